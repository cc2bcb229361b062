//! [`AuthClient`]: construction from a [`Config`](crate::Config), and the session
//! accessors. The five calls are in `auth.rs`.

use std::fmt;

use crate::runtime::Runtime;

/// A client for the Medusa v1 Store auth API.
///
/// Cheap to clone; clones share the connection pool **and the session** (cookie and token),
/// like tabs of one browser. For a separate customer, build another client or call
/// [`new_session`](Self::new_session): two clients never share a session or a token.
///
/// A storefront server keeps **one** client for every visitor and, per request, restores the
/// visitor's session on it with [`restore_session`](Self::restore_session) (a
/// [`SavedSession`](crate::SavedSession) kept in the browser), then saves
/// [`saved_session`](Self::saved_session) again if it changed.
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
    crate::runtime::client_basics!(
        super::generated::Client,
        super::types::StoreError,
        crate::runtime::Line::V1
    );
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
