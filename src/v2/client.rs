//! [`AuthClient`] for Medusa v2: construction from a [`Config`](crate::Config), and the
//! session accessors. The calls are in `auth.rs` and `customer.rs`.

use std::fmt;

use crate::error::Error;
use crate::runtime::{Config, Runtime};

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
            runtime: Runtime::new(config)?,
        })
    }

    /// A client for `base_url` with every other setting at its default, and no publishable
    /// key: the `/auth/*` calls work, the `/store/*` ones fail until one is given per call.
    pub fn with_base_url(base_url: impl Into<String>) -> Result<Self, Error> {
        Self::new(Config::new().with_base_url(base_url))
    }

    crate::runtime::session_accessors!();
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
