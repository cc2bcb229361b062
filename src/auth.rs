//! The five calls of medusa-js's `AuthResource`, under its names in snake_case, and the
//! per-call builder ([`Call`]) that carries custom headers and a timeout.
//!
//! | method | request | returns |
//! |---|---|---|
//! | [`authenticate`](AuthClient::authenticate) | `POST /store/auth` | [`StoreAuthRes`]; the session cookie is kept |
//! | [`delete_session`](AuthClient::delete_session) | `DELETE /store/auth` | `()`; cookie and token are forgotten |
//! | [`get_session`](AuthClient::get_session) | `GET /store/auth` | [`StoreAuthRes`] |
//! | [`exists`](AuthClient::exists) | `GET /store/auth/{email}` | [`StoreGetAuthEmailRes`] |
//! | [`get_token`](AuthClient::get_token) | `POST /store/auth/token` | [`StoreBearerAuthRes`]; the token is kept |

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::header::{HeaderMap, HeaderValue};

use crate::client::AuthClient;
use crate::context::CallOptions;
use crate::error::{Error, InvalidInput};
use crate::generated;
use crate::headers::HeaderCollector;
use crate::types::{
    StoreAuthRes, StoreBearerAuthRes, StoreError, StoreGetAuthEmailRes, StorePostAuthReq,
};

/// One call, ready to send: `.await` it, optionally after adding headers or a timeout.
///
/// Per-call headers apply to this call only and win over the client's defaults and its
/// session (see the crate docs for the full precedence).
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
/// use std::time::Duration;
///
/// let session = client
///     .get_session()
///     .header("cookie", "connect.sid=s%3A...") // forward a browser's session
///     .timeout(Duration::from_secs(5))
///     .await?;
/// println!("{}", session.customer.email);
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, Op> {
    client: &'a AuthClient,
    operation: Op,
    headers: HeaderCollector,
    timeout: Option<Duration>,
}

impl<'a, Op: Operation<'a>> Call<'a, Op> {
    fn new(client: &'a AuthClient, operation: Op) -> Self {
        Self {
            client,
            operation,
            headers: HeaderCollector::default(),
            timeout: None,
        }
    }

    /// Adds a header to this call. Calling it twice with one name sends both values. An
    /// invalid name or value fails the call with [`Error::InvalidInput`] before anything
    /// is sent.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: AsRef<str>,
        HeaderValue: TryFrom<V>,
    {
        self.headers.append(name, value);
        self
    }

    /// Adds several headers to this call.
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        self.headers.extend(headers);
        self
    }

    /// Bounds this call (request and response body) instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends the call; the same as `.await` on it.
    pub async fn send(self) -> Result<Op::Output, Error> {
        let options = CallOptions {
            headers: self.headers.finish()?,
            timeout: self.timeout,
            last_segment: None,
        };
        self.operation.run(self.client, options).await
    }
}

impl<'a, Op: Operation<'a> + 'a> IntoFuture for Call<'a, Op> {
    type Output = Result<Op::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

mod sealed {
    use super::*;

    /// One of the five operations; implemented only in this module.
    pub trait Operation<'a>: Send {
        /// What the call returns.
        type Output: Send;
        #[doc(hidden)]
        fn run(
            self,
            client: &'a AuthClient,
            options: CallOptions,
        ) -> impl Future<Output = Result<Self::Output, Error>> + Send + 'a;
    }
}
pub use sealed::Operation;

/// `POST /store/auth`; built by [`AuthClient::authenticate`].
pub struct Authenticate<'a>(&'a StorePostAuthReq);
/// `DELETE /store/auth`; built by [`AuthClient::delete_session`].
pub struct DeleteSession;
/// `GET /store/auth`; built by [`AuthClient::get_session`].
pub struct GetSession;
/// `GET /store/auth/{email}`; built by [`AuthClient::exists`].
pub struct Exists(String);
/// `POST /store/auth/token`; built by [`AuthClient::get_token`].
pub struct GetToken<'a>(&'a StorePostAuthReq);

impl AuthClient {
    /// Logs a customer in with email and password (`POST /store/auth`).
    ///
    /// On success Medusa sets the `connect.sid` session cookie, which this client (and its
    /// clones) sends on later calls, so [`get_session`](Self::get_session) then succeeds.
    ///
    /// - Auth: none.
    /// - Returns: the customer, with `orders` and `shipping_addresses`.
    /// - Errors: [`Error::Unauthorized`] for a wrong password, an unknown email or a guest
    ///   customer (Medusa does not tell them apart); [`Error::Api`] 400 `invalid_data` for
    ///   an email that is not an email or an empty password.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::types::StorePostAuthReq;
    ///
    /// let res = client.authenticate(&StorePostAuthReq::new("alice@example.com", "S3cret-pass!")).await?;
    /// println!("logged in as {}", res.customer.id);
    /// # Ok(()) }
    /// ```
    pub fn authenticate<'a>(&'a self, payload: &'a StorePostAuthReq) -> Call<'a, Authenticate<'a>> {
        Call::new(self, Authenticate(payload))
    }

    /// Ends the session (`DELETE /store/auth`) and forgets this client's session cookie and
    /// token.
    ///
    /// The server destroys the session behind the cookie; it does **not** revoke JWTs, which
    /// stay valid until they expire (30 days). The local cookie and token are forgotten even
    /// when the call fails, so the client never stays logged in by accident.
    ///
    /// - Auth: the session cookie, if any (the server answers 200 `OK` with or without one).
    /// - Returns: `()`.
    /// - Errors: transport errors and timeouts; Medusa itself always answers 200.
    pub fn delete_session(&self) -> Call<'_, DeleteSession> {
        Call::new(self, DeleteSession)
    }

    /// Reads the logged-in customer (`GET /store/auth`).
    ///
    /// - Auth: the session cookie from [`authenticate`](Self::authenticate), or the token
    ///   from [`get_token`](Self::get_token) / [`set_token`](Self::set_token). When both are
    ///   present the server checks the cookie first.
    /// - Returns: the customer, with `orders` and `shipping_addresses`.
    /// - Errors: [`Error::Unauthorized`] without a valid session or token.
    pub fn get_session(&self) -> Call<'_, GetSession> {
        Call::new(self, GetSession)
    }

    /// Checks whether a customer account exists for `email` (`GET /store/auth/{email}`).
    ///
    /// The email travels as exactly one percent-encoded path segment, so `+`, `/`, `%`, `#`,
    /// `?`, spaces and non-ASCII characters arrive intact and cannot change the path or
    /// query (medusa-js sends it unencoded). The server compares case-insensitively and
    /// answers `exists: false` for guest customers.
    ///
    /// - Auth: none.
    /// - Errors: [`Error::InvalidInput`] for an empty email, or `.` / `..` (which no URL can
    ///   carry as a segment), before anything is sent. An empty segment would reach
    ///   `GET /store/auth` instead.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// if client.exists("o'hara#1/x%y@example.com").await?.exists {
    ///     println!("please log in");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn exists(&self, email: impl Into<String>) -> Call<'_, Exists> {
        Call::new(self, Exists(email.into()))
    }

    /// Logs a customer in and returns a JWT (`POST /store/auth/token`), which this client
    /// (and its clones, but no other client) then sends as `Authorization: Bearer`.
    ///
    /// - Auth: none.
    /// - Returns: the token (HS256, valid 30 days; `Debug` hides it).
    /// - Errors: as [`authenticate`](Self::authenticate).
    pub fn get_token<'a>(&'a self, payload: &'a StorePostAuthReq) -> Call<'a, GetToken<'a>> {
        Call::new(self, GetToken(payload))
    }
}

/// Maps a generated method's result to the crate's, keeping the status the hooks saw.
async fn finish<T>(
    raw: &generated::Client,
    result: Result<ResponseValue<T>, progenitor_client::Error<StoreError>>,
) -> Result<T, Error> {
    match result {
        Ok(value) => Ok(value.into_inner()),
        Err(error) => Err(Error::from_generated(error, raw.inner().last_response()).await),
    }
}

impl<'a> Operation<'a> for Authenticate<'a> {
    type Output = StoreAuthRes;
    async fn run(
        self,
        client: &'a AuthClient,
        options: CallOptions,
    ) -> Result<StoreAuthRes, Error> {
        let raw = client.call_client(options);
        finish(&raw, raw.post_auth(self.0).await).await
    }
}

impl<'a> Operation<'a> for DeleteSession {
    type Output = ();
    async fn run(self, client: &'a AuthClient, options: CallOptions) -> Result<(), Error> {
        let raw = client.call_client(options);
        let result = raw.delete_auth().await;
        client.session().clear();
        match result {
            // The body is the text `OK`; nothing in it to keep.
            Ok(_) => Ok(()),
            // Tolerate a 204 or another 2xx from a proxy in front of Medusa.
            Err(progenitor_client::Error::UnexpectedResponse(response))
                if response.status().is_success() =>
            {
                Ok(())
            }
            Err(error) => Err(Error::from_generated(error, raw.inner().last_response()).await),
        }
    }
}

impl<'a> Operation<'a> for GetSession {
    type Output = StoreAuthRes;
    async fn run(
        self,
        client: &'a AuthClient,
        options: CallOptions,
    ) -> Result<StoreAuthRes, Error> {
        let raw = client.call_client(options);
        finish(&raw, raw.get_auth().await).await
    }
}

/// Sent to the generated method in place of the email; the `pre` hook swaps in the real
/// one with `url`'s segment encoder. progenitor's own encoding leaves `\` as is, which
/// URL parsing then reads as `/`.
const EMAIL_PLACEHOLDER: &str = "email";

impl<'a> Operation<'a> for Exists {
    type Output = StoreGetAuthEmailRes;
    async fn run(
        self,
        client: &'a AuthClient,
        mut options: CallOptions,
    ) -> Result<StoreGetAuthEmailRes, Error> {
        let reason = match self.0.as_str() {
            "" => Some("it is empty (the server would answer GET /store/auth instead)"),
            "." | ".." => Some("`.` and `..` cannot travel as a URL path segment"),
            _ => None,
        };
        if let Some(reason) = reason {
            return Err(Error::InvalidInput(InvalidInput::Email { reason }));
        }
        options.last_segment = Some(self.0);
        let raw = client.call_client(options);
        finish(&raw, raw.get_auth_email(EMAIL_PLACEHOLDER).await).await
    }
}

impl<'a> Operation<'a> for GetToken<'a> {
    type Output = StoreBearerAuthRes;
    async fn run(
        self,
        client: &'a AuthClient,
        options: CallOptions,
    ) -> Result<StoreBearerAuthRes, Error> {
        let raw = client.call_client(options);
        let response = finish(&raw, raw.post_token(self.0).await).await?;
        client.set_token(response.access_token.clone())?;
        Ok(response)
    }
}
