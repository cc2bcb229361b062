//! [`AuthClient`]: construction from a [`Config`](crate::Config), and the session
//! accessors. The five calls are in `auth.rs`.

use std::fmt;

use crate::credentials::{AccessToken, SessionCookie};
use crate::error::Error;
use crate::runtime::{Config, Runtime};

const USER_AGENT: &str = concat!("medusa-store-auth/", env!("CARGO_PKG_VERSION"));

/// A client for the Medusa v1 Store auth API.
///
/// Cheap to clone; clones share the connection pool **and the session** (cookie and token),
/// like tabs of one browser. For a separate customer, build another client or call
/// [`new_session`](Self::new_session): two clients never share a session or a token.
///
/// ```no_run
/// # async fn demo() -> Result<(), medusa_store_auth::Error> {
/// use medusa_store_auth::v1::AuthClient;
/// use medusa_store_auth::Config;
///
/// let client = AuthClient::new(Config::new().with_base_url("http://localhost:9000"))?;
/// let exists = client.exists("alice@example.com").await?.exists;
/// # let _ = exists; Ok(()) }
/// ```
#[derive(Clone)]
pub struct AuthClient {
    pub(super) runtime: Runtime,
}

impl AuthClient {
    /// Builds a client. Fails on an invalid base URL or header, or if the HTTP client cannot
    /// be built (TLS initialisation).
    pub fn new(config: Config) -> Result<Self, Error> {
        Ok(Self {
            runtime: Runtime::new(config, USER_AGENT)?,
        })
    }

    /// A client for `base_url` with every other setting at its default.
    pub fn with_base_url(base_url: impl Into<String>) -> Result<Self, Error> {
        Self::new(Config::new().with_base_url(base_url))
    }

    /// The base URL calls go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.runtime.settings.base_url
    }

    /// The token this client sends as `Authorization: Bearer`, if any.
    pub fn token(&self) -> Option<AccessToken> {
        self.runtime.token()
    }

    /// Sends `token` as `Authorization: Bearer` on this client's later calls (and its clones').
    /// Fails if the token cannot be a header value.
    pub fn set_token(&self, token: AccessToken) -> Result<(), Error> {
        self.runtime.set_token(Some(token))
    }

    /// Stops sending a token.
    pub fn clear_token(&self) {
        // Clearing cannot fail: there is no header value to build.
        let _ = self.runtime.set_token(None);
    }

    /// The session cookie this client holds for its server (from `authenticate`, from
    /// [`Config::with_session_cookie`], or issued anonymously by any earlier call), to save it
    /// and rebuild a client from it later. `Debug` prints it as `<redacted>`.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v1::types::StorePostAuthReq;
    ///
    /// client.authenticate(&StorePostAuthReq::new("alice@example.com", "S3cret-pass!")).await?;
    /// if let Some(cookie) = client.session_cookie() {
    ///     // e.g. `Set-Cookie: connect.sid=<cookie>; HttpOnly; Secure` to the browser
    ///     let _value: &str = cookie.expose();
    /// }
    /// # Ok(()) }
    /// ```
    pub fn session_cookie(&self) -> Option<SessionCookie> {
        self.runtime.session_cookie()
    }

    /// Puts a saved session cookie in this client's jar. Fails if it cannot be a cookie value.
    pub fn set_session_cookie(&self, cookie: &SessionCookie) -> Result<(), Error> {
        self.runtime.set_session_cookie(cookie)
    }

    /// A client with this one's configuration and connection pool but a session of its own
    /// (no cookie, no token): for one customer per request on a shared pool.
    ///
    /// ```
    /// # fn demo(shared: &medusa_store_auth::v1::AuthClient) {
    /// let per_request = shared.new_session();
    /// assert!(per_request.token().is_none() && per_request.session_cookie().is_none());
    /// # }
    /// ```
    pub fn new_session(&self) -> Self {
        Self {
            runtime: self.runtime.new_session(),
        }
    }
}

impl fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthClient")
            .field("base_url", &self.base_url())
            .field("has_token", &self.token().is_some())
            .field("has_session_cookie", &self.session_cookie().is_some())
            .finish_non_exhaustive()
    }
}
