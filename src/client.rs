//! [`AuthClient`]: construction from a [`Config`], the shared HTTP client, and the session
//! accessors. The five calls are in `auth.rs`.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use crate::config::Config;
use crate::context::{CallContext, CallOptions, Shared};
use crate::credentials::{AccessToken, SessionCookie};
use crate::error::{Error, InvalidInput};
use crate::generated;
use crate::session::Session;

const USER_AGENT: &str = concat!("medusa-store-auth/", env!("CARGO_PKG_VERSION"));

/// A client for the Medusa v1 Store auth API.
///
/// Cheap to clone; clones share the connection pool **and the session** (cookie and token),
/// like tabs of one browser. For a separate customer, build another client or call
/// [`new_session`](Self::new_session): two clients never share a session or a token.
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
        let (base_url, base) = normalise_base_url(&config.base_url)?;
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
                .redirect(same_origin_redirects())
                .build()
                .map_err(Error::transport)?,
        };
        let session = Session::new(config.session_cookie_name);
        if let Some(cookie) = &config.session_cookie {
            session
                .set_session_cookie(cookie)
                .map_err(Error::InvalidInput)?;
        }
        session
            .set_token(config.token)
            .map_err(Error::InvalidInput)?;
        let shared = Shared {
            base_url,
            base,
            http,
            default_headers,
            timeout: config.timeout,
            retry: config.retry,
            max_response_bytes: config.max_response_bytes,
            session,
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
    /// session and timeout applied to every call; it makes one attempt per call (retries are
    /// the call layer's). Its results are progenitor's own types.
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

    /// The session cookie this client holds for its server (from `authenticate`, from
    /// [`Config::with_session_cookie`], or issued anonymously by any earlier call), to save it
    /// and rebuild a client from it later. `Debug` prints it as `<redacted>`.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::types::StorePostAuthReq;
    ///
    /// client.authenticate(&StorePostAuthReq::new("alice@example.com", "S3cret-pass!")).await?;
    /// if let Some(cookie) = client.session_cookie() {
    ///     // e.g. `Set-Cookie: connect.sid=<cookie>; HttpOnly; Secure` to the browser
    ///     let _value: &str = cookie.expose();
    /// }
    /// # Ok(()) }
    /// ```
    pub fn session_cookie(&self) -> Option<SessionCookie> {
        self.shared.session.session_cookie(&self.shared.base)
    }

    /// Puts a saved session cookie in this client's jar. Fails if it cannot be a cookie value.
    pub fn set_session_cookie(&self, cookie: &SessionCookie) -> Result<(), Error> {
        self.shared
            .session
            .set_session_cookie(cookie)
            .map_err(Error::InvalidInput)
    }

    /// A client with this one's configuration and connection pool but a session of its own
    /// (no cookie, no token): for one customer per request on a shared pool.
    ///
    /// ```
    /// # fn demo(shared: &medusa_store_auth::AuthClient) {
    /// let per_request = shared.new_session();
    /// assert!(per_request.token().is_none() && per_request.session_cookie().is_none());
    /// # }
    /// ```
    pub fn new_session(&self) -> Self {
        let shared = Shared {
            base_url: self.shared.base_url.clone(),
            base: self.shared.base.clone(),
            http: self.shared.http.clone(),
            default_headers: self.shared.default_headers.clone(),
            timeout: self.shared.timeout,
            retry: self.shared.retry.clone(),
            max_response_bytes: self.shared.max_response_bytes,
            session: self.shared.session.fresh(),
        };
        Self {
            shared: Arc::new(shared),
        }
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
            .field("has_session_cookie", &self.session_cookie().is_some())
            .finish_non_exhaustive()
    }
}

/// Follows redirects within the base URL's origin only (5 at most). Medusa's auth routes
/// never redirect; a redirect elsewhere comes back as the call's error, so no header the
/// caller set (reqwest strips only `Authorization` and `Cookie` on its own) reaches
/// another origin.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let previous = attempt.previous();
        let same_origin = previous
            .first()
            .is_none_or(|first| first.origin() == attempt.url().origin());
        if previous.len() > 5 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// `http(s)://host[:port][/prefix]`, without a trailing slash, query or fragment.
fn normalise_base_url(base_url: &str) -> Result<(String, Url), Error> {
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
    let normalised = url.as_str().trim_end_matches('/').to_string();
    Ok((normalised, url))
}
