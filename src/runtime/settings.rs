//! What a client holds: its settings, shared unchanged by its clones and sessions, and its
//! session.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use super::config::Config;
use super::headers;
use super::retry::RetryPolicy;
use super::saved::{Line, SavedSession};
use super::session::{Pending, Session};
use crate::credentials::{AccessToken, SessionCookie};
use crate::error::{Error, InvalidInput};

/// What a client was configured with; shared, unchanged, by its clones and its sessions.
/// Every line's calls name the crate and its version.
const USER_AGENT: &str = concat!("medusa-store-auth/", env!("CARGO_PKG_VERSION"));

pub(crate) struct Settings {
    /// Without a trailing slash: the generated code appends `/store/...`.
    pub(crate) base_url: String,
    pub(crate) base: Url,
    pub(crate) http: reqwest::Client,
    /// Client defaults, `x-publishable-api-key` included.
    pub(crate) default_headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) session_cookie_name: String,
    /// Whether the crate follows redirects itself, hop by hop (its own client); a caller's
    /// client follows them as it is set up to.
    pub(crate) follows_redirects: bool,
}

/// A client's settings and its session. Cheap to clone; clones share both.
#[derive(Clone)]
pub(crate) struct Runtime {
    pub(crate) settings: Arc<Settings>,
    pub(crate) session: Arc<Session>,
}

impl Runtime {
    pub(crate) fn new(config: Config) -> Result<Self, Error> {
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
        headers::check_cookie_name(&config.session_cookie_name)?;
        let follows_redirects = config.http_client.is_none();
        let http = match config.http_client {
            Some(client) => client,
            // Redirects are followed by the crate (`AttemptContext::send`), hop by hop.
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(config.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(Error::transport)?,
        };
        let runtime = Self {
            settings: Arc::new(Settings {
                base_url,
                base,
                http,
                default_headers,
                timeout: config.timeout,
                retry: config.retry,
                max_response_bytes: config.max_response_bytes,
                session_cookie_name: config.session_cookie_name,
                follows_redirects,
            }),
            session: Arc::new(Session::new()),
        };
        if let Some(cookie) = &config.session_cookie {
            runtime.set_session_cookie(cookie)?;
        }
        runtime
            .session
            .set_token(config.token, None)
            .map_err(Error::InvalidInput)?;
        Ok(runtime)
    }

    /// The same settings and connection pool with an empty session of its own.
    pub(crate) fn new_session(&self) -> Self {
        Self {
            settings: self.settings.clone(),
            session: Arc::new(Session::new()),
        }
    }

    pub(crate) fn token(&self) -> Option<AccessToken> {
        self.session.token()
    }

    /// Sends `token` from now on, as a token that can act (nothing pending).
    pub(crate) fn set_token(&self, token: Option<AccessToken>) -> Result<(), Error> {
        self.session
            .set_token(token, None)
            .map_err(Error::InvalidInput)
    }

    pub(crate) fn pending(&self) -> Option<Pending> {
        self.session.pending()
    }

    /// This session, saved, for a client of `line`.
    pub(crate) fn saved(&self, line: Line) -> SavedSession {
        SavedSession::new(line, self.session_cookie(), self.token(), self.pending())
    }

    /// A session of its own on these settings (and pool), restored from `saved`.
    pub(crate) fn restored(&self, line: Line, saved: &SavedSession) -> Result<Self, Error> {
        if saved.line != line {
            return Err(Error::InvalidInput(InvalidInput::SavedSession {
                reason: "it was saved by a client of the other Medusa line",
            }));
        }
        let runtime = self.new_session();
        if let Some(cookie) = &saved.cookie {
            runtime.set_session_cookie(cookie)?;
        }
        runtime
            .session
            .set_token(saved.token.clone(), saved.pending)
            .map_err(Error::InvalidInput)?;
        Ok(runtime)
    }

    pub(crate) fn session_cookie(&self) -> Option<SessionCookie> {
        let settings = &self.settings;
        self.session
            .cookie(&settings.session_cookie_name, &settings.base)
    }

    pub(crate) fn set_session_cookie(&self, cookie: &SessionCookie) -> Result<(), Error> {
        let settings = &self.settings;
        self.session
            .set_cookie(&settings.session_cookie_name, cookie, &settings.base)
            .map_err(Error::InvalidInput)
    }
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
