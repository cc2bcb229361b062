//! [`AuthClient`]: construction from a [`Config`], the shared HTTP client, and the session
//! accessors. The five calls are in `auth.rs`.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use crate::config::Config;
use crate::context::{CallContext, CallOptions, Shared};
use crate::credentials::AccessToken;
use crate::error::{Error, InvalidInput};
use crate::generated;
use crate::session::Session;

const USER_AGENT: &str = concat!("medusa-store-auth/", env!("CARGO_PKG_VERSION"));

/// A client for the Medusa v1 Store auth API.
///
/// Cheap to clone; clones share the connection pool **and the session** (cookie and token),
/// like a browser tab. For a separate customer, build another client: two clients never
/// share a session.
///
/// ```no_run
/// # async fn demo() -> Result<(), medusa_store_auth::Error> {
/// use medusa_store_auth::{AuthClient, Config};
///
/// let client = AuthClient::new(Config::new().with_base_url("http://localhost:9000"))?;
/// let exists = client.exists("alice@example.com").await?.exists;
/// # let _ = exists; Ok(()) }
/// ```
#[derive(Clone)]
pub struct AuthClient {
    shared: Arc<Shared>,
}

impl AuthClient {
    /// Builds a client. Fails on an invalid base URL or header, or if the HTTP client cannot
    /// be built (TLS initialisation).
    pub fn new(config: Config) -> Result<Self, Error> {
        let base_url = normalise_base_url(&config.base_url)?;
        let mut default_headers = config.headers.finish()?;
        if let Some(key) = &config.publishable_api_key {
            let value = HeaderValue::try_from(key.as_str()).map_err(|_| {
                Error::InvalidInput(InvalidInput::HeaderValue {
                    name: "x-publishable-api-key".into(),
                })
            })?;
            default_headers.insert(HeaderName::from_static("x-publishable-api-key"), value);
        }
        let http = match config.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(Error::transport)?,
        };
        let shared = Shared {
            base_url,
            http,
            default_headers,
            timeout: config.timeout,
            session: Session::default(),
        };
        Ok(Self {
            shared: Arc::new(shared),
        })
    }

    /// A client for `base_url` with every other setting at its default.
    pub fn with_base_url(base_url: impl Into<String>) -> Result<Self, Error> {
        Self::new(Config::new().with_base_url(base_url))
    }

    /// The base URL calls go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The generated low-level client (one method per operation: `post_auth`, `delete_auth`,
    /// `get_auth`, `get_auth_email`, `post_token`), with this client's default headers,
    /// session and timeout applied to every call. Its results are progenitor's own types.
    pub fn raw(&self) -> generated::Client {
        self.call_client(CallOptions::default())
    }

    /// The token this client sends as `Authorization: Bearer`, if any.
    pub fn token(&self) -> Option<AccessToken> {
        self.shared.session.token()
    }

    /// Sends `token` as `Authorization: Bearer` on this client's later calls (and its clones').
    /// Fails if the token cannot be a header value.
    pub fn set_token(&self, token: AccessToken) -> Result<(), Error> {
        self.shared
            .session
            .set_token(Some(token))
            .map_err(Error::InvalidInput)
    }

    /// Stops sending a token.
    pub fn clear_token(&self) {
        // Clearing cannot fail: there is no header value to build.
        let _ = self.shared.session.set_token(None);
    }

    pub(crate) fn session(&self) -> &Session {
        &self.shared.session
    }

    /// A generated client for one call: same pool and session, this call's options.
    pub(crate) fn call_client(&self, call: CallOptions) -> generated::Client {
        generated::Client {
            baseurl: self.shared.base_url.clone(),
            client: self.shared.http.clone(),
            inner: CallContext::new(self.shared.clone(), call),
        }
    }
}

impl fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthClient")
            .field("base_url", &self.shared.base_url)
            .field("has_token", &self.shared.session.token().is_some())
            .finish_non_exhaustive()
    }
}

/// `http(s)://host[:port][/prefix]`, without a trailing slash, query or fragment.
fn normalise_base_url(base_url: &str) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidInput(InvalidInput::BaseUrl { reason });
    let url = Url::parse(base_url.trim()).map_err(|e| invalid(format!("{e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme `{}` is not http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "a query or fragment cannot prefix API paths".into(),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "credentials in the URL are not supported; use a header".into(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}
