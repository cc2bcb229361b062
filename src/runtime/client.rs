//! What the client of every API line has besides its calls: construction, the session
//! accessors, and the helper its calls are made with, written once as a macro that each
//! line's `impl AuthClient` block invokes with its generated client and error types (the
//! client keeps its [`Runtime`](super::Runtime) in a field named `runtime`).

/// Construction, session accessors and the `call` helper of an API line's client.
macro_rules! client_basics {
    ($generated:ty, $error:ty, $line:expr) => {
        /// Builds a client. Fails on an invalid base URL or header, or if the HTTP client
        /// cannot be built (TLS initialisation).
        pub fn new(config: $crate::Config) -> Result<Self, $crate::Error> {
            Ok(Self {
                runtime: $crate::runtime::Runtime::new(config)?,
            })
        }

        /// A client for `base_url` with every other setting at its default.
        pub fn with_base_url(base_url: impl Into<String>) -> Result<Self, $crate::Error> {
            Self::new($crate::Config::new().with_base_url(base_url))
        }

        /// A call of `operation` whose every attempt runs `method` (a method of this line's
        /// generated client) with `input`.
        pub(super) fn call<I, T>(
            &self,
            operation: $crate::operation::Operation,
            input: I,
            method: $crate::runtime::Method<$generated, I, T, $error>,
        ) -> $crate::runtime::Call<T>
        where
            I: Send + Sync + 'static,
            T: Send + 'static,
        {
            self.runtime.call(operation, input, method)
        }

        /// The base URL calls go to, without a trailing slash.
        pub fn base_url(&self) -> &str {
            &self.runtime.settings.base_url
        }

        /// The token this client sends as `Authorization: Bearer`, if any: to save it, or to
        /// hand it to a browser. `Debug` prints it as `<redacted>`.
        pub fn token(&self) -> Option<$crate::AccessToken> {
            self.runtime.token()
        }

        /// Sends `token` as `Authorization: Bearer` on this client's later calls (and its
        /// clones'). Fails if the token cannot be a header value.
        pub fn set_token(&self, token: $crate::AccessToken) -> Result<(), $crate::Error> {
            self.runtime.set_token(Some(token))
        }

        /// Stops sending a token. The server does not revoke it: it stays valid until it
        /// expires.
        pub fn clear_token(&self) {
            // Clearing cannot fail: there is no header value to build.
            let _ = self.runtime.set_token(None);
        }

        /// The session cookie this client holds for its server (from a login, from
        /// [`Config::with_session_cookie`](crate::Config::with_session_cookie), or set by any
        /// earlier answer), to save it and rebuild a client from it later. `Debug` prints it as
        /// `<redacted>`.
        pub fn session_cookie(&self) -> Option<$crate::SessionCookie> {
            self.runtime.session_cookie()
        }

        /// Puts a saved session cookie back in this client's session: it is sent to every
        /// path of the client's server until the server sets or deletes its own cookie of
        /// that name. Fails if it cannot be a cookie value.
        pub fn set_session_cookie(
            &self,
            cookie: &$crate::SessionCookie,
        ) -> Result<(), $crate::Error> {
            self.runtime.set_session_cookie(cookie)
        }

        /// A client with this one's configuration and connection pool but a session of its
        /// own (no cookie, no token): for one customer per request on a shared pool. It opens
        /// no connection.
        pub fn new_session(&self) -> Self {
            Self {
                runtime: self.runtime.new_session(),
            }
        }

        /// This client's session (cookie, token, what a sign-in still needs), saved: to
        /// keep in the visitor's browser between requests
        /// ([`SavedSession::encode`](crate::SavedSession::encode)), and to compare with the
        /// one the request started from, to tell whether it changed.
        pub fn saved_session(&self) -> $crate::SavedSession {
            self.runtime.saved($line)
        }

        /// A client for one visitor, restored from a [`SavedSession`](crate::SavedSession):
        /// this one's configuration and connection pool, and a session of its own holding
        /// the saved cookie and token, as [`new_session`](Self::new_session) then the
        /// setters. It opens no connection. Fails with
        /// [`InvalidInput::SavedSession`](crate::InvalidInput::SavedSession) for a session
        /// saved by the other Medusa line's client, or a cookie or token that cannot be a
        /// header value.
        pub fn restore_session(&self, saved: &$crate::SavedSession) -> Result<Self, $crate::Error> {
            Ok(Self {
                runtime: self.runtime.restored($line, saved)?,
            })
        }
    };
}
pub(crate) use client_basics;
