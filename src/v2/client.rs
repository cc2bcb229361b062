//! [`AuthClient`] for Medusa v2: construction from a [`Config`](crate::Config), and the
//! session accessors. The calls are in `auth.rs` and `customer.rs`.

use std::fmt;

use crate::runtime::Runtime;

/// A client for Medusa v2's customer auth and store customer routes.
///
/// Cheap to clone; clones share the connection pool **and the session** (token and cookie),
/// like tabs of one browser. For a separate customer, build another client or call
/// [`new_session`](Self::new_session): two clients never share a session or a token.
///
/// A storefront server keeps **one** client for every visitor and, per request, restores the
/// visitor's session on it with [`restore_session`](Self::restore_session) (a
/// [`SavedSession`](crate::SavedSession) kept in the browser), then saves
/// [`saved_session`](Self::saved_session) again if it changed.
///
/// The token from [`login`](Self::login), [`register`](Self::register),
/// [`callback`](Self::callback) or [`refresh`](Self::refresh) is kept and sent as
/// `Authorization: Bearer` until [`logout`](Self::logout) or
/// [`clear_token`](Self::clear_token); it is never dropped silently (js-sdk drops it in Node).
/// A cookie session ([`create_session`](Self::create_session)) is kept in the client's jar
/// and sent back, as a browser would.
///
/// Every `/store/*` call needs a publishable API key
/// ([`Config::with_publishable_api_key`](crate::Config::with_publishable_api_key)); without one it fails with
/// [`InvalidInput::MissingPublishableKey`](crate::InvalidInput::MissingPublishableKey)
/// before anything is sent.
#[derive(Clone)]
pub struct AuthClient {
    pub(super) runtime: Runtime,
}

impl AuthClient {
    crate::runtime::client_basics!(
        super::generated::Client,
        super::types::StoreError,
        crate::runtime::Line::V2
    );

    /// What the sign-in still needs, when the client's token (or the cookie session made
    /// from it) cannot act as the customer yet: the last `login`, `callback` or `refresh`
    /// answered [`Login::MfaRequired`](super::types::Login::MfaRequired) or
    /// [`Login::VerificationRequired`](super::types::Login::VerificationRequired). `None`
    /// once a token that acts was kept, after [`logout`](Self::logout), and after
    /// [`set_token`](Self::set_token) or [`clear_token`](Self::clear_token).
    pub fn pending(&self) -> Option<super::Pending> {
        self.runtime.pending()
    }
}

impl fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("v2::AuthClient")
            .field("base_url", &self.base_url())
            .field("has_token", &self.token().is_some())
            .field("has_session_cookie", &self.session_cookie().is_some())
            .field("pending", &self.pending())
            .finish_non_exhaustive()
    }
}
