//! Client configuration: where the server is, which headers every call sends, timeouts,
//! and an optional `reqwest::Client` of the caller's own.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use super::headers::{self, HeaderCollector};
use super::retry::RetryPolicy;
use super::session::DEFAULT_SESSION_COOKIE_NAME;
use crate::credentials::{AccessToken, SessionCookie};

/// The base URL medusa-js uses when none is given.
pub const DEFAULT_BASE_URL: &str = "http://localhost:9000";
/// How long establishing a connection may take, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole call (request and response body) may take, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest response body the client reads, by default (real answers are a few KiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// How to reach and talk to a Medusa server, in the style of medusa-js's `Config`.
///
/// ```
/// use std::time::Duration;
/// use medusa_store_auth::Config;
///
/// let config = Config::new()
///     .with_base_url("https://shop.example.com")
///     .with_publishable_api_key("pk_01H...")
///     .with_header("x-tenant", "acme")
///     .with_timeout(Duration::from_secs(10));
/// # let _ = config;
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) base_url: String,
    pub(crate) headers: HeaderCollector,
    pub(crate) publishable_api_key: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) session_cookie_name: String,
    pub(crate) session_cookie: Option<SessionCookie>,
    pub(crate) token: Option<AccessToken>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            headers: HeaderCollector::default(),
            publishable_api_key: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_client: None,
            session_cookie_name: DEFAULT_SESSION_COOKIE_NAME.to_string(),
            session_cookie: None,
            token: None,
        }
    }
}

impl Config {
    /// The defaults: `http://localhost:9000`, no extra headers, 10 s to connect, 60 s per
    /// call, 2 retries ([`RetryPolicy::default`]), an empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// The Medusa backend's URL, such as `https://shop.example.com` or
    /// `http://127.0.0.1:9000/medusa` (a path prefix is kept; a trailing slash is ignored).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// A header sent on every call of the client (a per-call header of the same name wins).
    /// Calling it twice with one name sends both values. An invalid name or value makes
    /// [`AuthClient::new`](crate::v1::AuthClient::new) fail with [`Error::InvalidInput`](crate::Error::InvalidInput).
    pub fn with_header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: AsRef<str>,
        HeaderValue: TryFrom<V>,
    {
        self.headers.append(name, value);
        self
    }

    /// Several headers sent on every call, as [`with_header`](Self::with_header).
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers.extend(headers);
        self
    }

    /// Sends `x-publishable-api-key` on every call. Medusa v2's `/store/*` calls
    /// (`create_customer`, `retrieve_customer`) require it: without one they fail before
    /// anything is sent ([`InvalidInput::MissingPublishableKey`](crate::InvalidInput::MissingPublishableKey)).
    /// Medusa v1's auth routes ignore it. An empty key (an unset environment variable, say)
    /// counts as none: the server would refuse it.
    pub fn with_publishable_api_key(mut self, key: impl Into<String>) -> Self {
        let key = key.into();
        self.publishable_api_key = Some(key).filter(|key| !key.trim().is_empty());
        self
    }

    /// How long connecting may take (default 10 s). Applies to clients the crate builds; a
    /// client given with [`with_http_client`](Self::with_http_client) keeps its own.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole call may take, retries and their waits included (default 60 s);
    /// each call can override it with [`Call::timeout`](crate::Call::timeout). A call
    /// that runs out of time fails with [`Error::Timeout`](crate::Error::Timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// use medusa_store_auth::Config;
    ///
    /// let config = Config::new().with_connect_timeout(Duration::from_secs(2)).with_timeout(Duration::from_secs(10));
    /// # let _ = config;
    /// ```
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest response body the client reads (default 4 MiB). A larger one fails the
    /// call with [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) once the limit
    /// is reached, without reading the rest.
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// When and how calls are retried (default: [`RetryPolicy::default`], 2 retries).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Starts the client logged in with a session cookie saved from an earlier
    /// `session_cookie()` ([v1](crate::v1::AuthClient::session_cookie),
    /// [v2](crate::v2::AuthClient::session_cookie)). For one visitor per request on a shared
    /// client, prefer `new_session()` then `set_session_cookie()`: it keeps the one connection
    /// pool, where each `Config` builds its own.
    ///
    /// ```no_run
    /// # async fn demo(cookie_from_browser: String) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v1::AuthClient;
    /// use medusa_store_auth::{Config, SessionCookie};
    ///
    /// let client = AuthClient::new(Config::new().with_session_cookie(SessionCookie::new(cookie_from_browser)))?;
    /// let me = client.get_session().await?;
    /// # let _ = me; Ok(()) }
    /// ```
    pub fn with_session_cookie(mut self, cookie: SessionCookie) -> Self {
        self.session_cookie = Some(cookie);
        self
    }

    /// Starts the client with a token saved earlier (v1's `get_token`, v2's `login`,
    /// `refresh` or an MFA challenge), sent as `Authorization: Bearer`.
    pub fn with_token(mut self, token: AccessToken) -> Self {
        self.token = Some(token);
        self
    }

    /// The name of Medusa's session cookie, if the server sets
    /// `projectConfig.session_options.name` (default `connect.sid`).
    pub fn with_session_cookie_name(mut self, name: impl Into<String>) -> Self {
        self.session_cookie_name = name.into();
        self
    }

    /// Uses this [`reqwest::Client`] (proxy, TLS roots, a shared pool) instead of building one.
    /// Headers, the session (cookie and token), retries and the call timeout still apply,
    /// per call, through the crate's hooks; the connect timeout and user agent are the
    /// client's own. Give it no `cookie_store`: the crate keeps cookies per session.
    ///
    /// Its redirect policy and `Referer` are its own too: the crate cannot stop a redirect
    /// from carrying `x-medusa-access-token` or other headers to another origin, `Referer`
    /// from carrying the email of `exists`, or a 307 from posting a password elsewhere.
    /// And the crate sees only the last answer of a redirect it followed: a `Set-Cookie` on
    /// an earlier hop is lost, and the `Cookie` header built for the first URL goes on every
    /// same-origin hop. Only cookies from the base URL's origin (scheme, host and port) ever
    /// enter the session. The crate's own client instead follows same-origin redirects
    /// itself, hop by hop as a browser does (each hop gets the cookies for its URL and its
    /// `Set-Cookie` is kept), and never follows one to another origin.
    /// Medusa's auth routes never redirect: build it with
    /// `.redirect(reqwest::redirect::Policy::none())` and `.referer(false)`, as below.
    ///
    /// ```
    /// use medusa_store_auth::v1::AuthClient;
    /// use medusa_store_auth::Config;
    ///
    /// let http = reqwest::Client::builder()
    ///     .user_agent("my-storefront/1.0")
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .referer(false)
    ///     .build()
    ///     .unwrap();
    /// let client = AuthClient::new(Config::new().with_http_client(http))?;
    /// # let _ = client; Ok::<(), medusa_store_auth::Error>(())
    /// ```
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values can be credentials: show names only.
        let names = self
            .headers
            .clone()
            .finish()
            .map(|h| headers::names(&h).join(", "))
            .unwrap_or_default();
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("header_names", &names)
            .field("publishable_api_key", &self.publishable_api_key)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("custom_http_client", &self.http_client.is_some())
            .field("session_cookie_name", &self.session_cookie_name)
            .field("session_cookie", &self.session_cookie)
            .field("token", &self.token)
            .finish()
    }
}
