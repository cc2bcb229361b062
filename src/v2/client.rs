//! [`AuthClient`] for Medusa v2: construction from a [`Config`](crate::Config), and the
//! session accessors. The calls are in `auth.rs` and `customer.rs`.

use std::fmt;

use crate::credentials::{AccessToken, SessionCookie};
use crate::error::Error;
use crate::runtime::{Config, Runtime};

const USER_AGENT: &str = concat!("medusa-store-auth/", env!("CARGO_PKG_VERSION"));

/// A client for Medusa v2's customer auth and store customer routes.
///
/// Cheap to clone; clones share the connection pool **and the session** (token and cookie),
/// like tabs of one browser. For a separate customer, build another client or call
/// [`new_session`](Self::new_session): two clients never share a session or a token.
///
/// The token from [`login`](Self::login), [`register`](Self::register),
/// [`callback`](Self::callback) or [`refresh`](Self::refresh) is kept and sent as
/// `Authorization: Bearer` until [`logout`](Self::logout) or
/// [`clear_token`](Self::clear_token); it is never dropped silently (js-sdk drops it in Node).
/// A cookie session ([`create_session`](Self::create_session)) is kept in the client's jar
/// and sent back, as a browser would.
///
/// Every `/store/*` call needs a publishable API key
/// ([`Config::with_publishable_api_key`]); without one it fails with
/// [`InvalidInput::MissingPublishableKey`](crate::InvalidInput::MissingPublishableKey)
/// before anything is sent.
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

    /// The base URL calls go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.runtime.settings.base_url
    }

    /// The token this client sends as `Authorization: Bearer`, if any: to save it, or to
    /// hand it to a browser.
    pub fn token(&self) -> Option<AccessToken> {
        self.runtime.token()
    }

    /// Sends `token` as `Authorization: Bearer` on this client's later calls (and its clones').
    /// Fails if the token cannot be a header value.
    pub fn set_token(&self, token: AccessToken) -> Result<(), Error> {
        self.runtime.set_token(Some(token))
    }

    /// Stops sending a token. The server does not revoke it: it stays valid until it expires.
    pub fn clear_token(&self) {
        // Clearing cannot fail: there is no header value to build.
        let _ = self.runtime.set_token(None);
    }

    /// The session cookie this client holds for its server (from
    /// [`create_session`](Self::create_session) or [`Config::with_session_cookie`]).
    /// `Debug` prints it as `<redacted>`.
    pub fn session_cookie(&self) -> Option<SessionCookie> {
        self.runtime.session_cookie()
    }

    /// Puts a saved session cookie in this client's jar. Fails if it cannot be a cookie value.
    pub fn set_session_cookie(&self, cookie: &SessionCookie) -> Result<(), Error> {
        self.runtime.set_session_cookie(cookie)
    }

    /// A client with this one's configuration and connection pool but a session of its own
    /// (no token, no cookie): for one customer per request on a shared pool.
    pub fn new_session(&self) -> Self {
        Self {
            runtime: self.runtime.new_session(),
        }
    }
}

impl fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("v2::AuthClient")
            .field("base_url", &self.base_url())
            .field("has_token", &self.token().is_some())
            .field("has_session_cookie", &self.session_cookie().is_some())
            .finish_non_exhaustive()
    }
}
