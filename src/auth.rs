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

use std::future::{poll_fn, Future, IntoFuture};
use std::pin::{pin, Pin};
use std::task::Poll;
use std::time::Duration;

use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::header::{HeaderMap, HeaderValue};

use crate::client::AuthClient;
use crate::context::CallOptions;
use crate::error::{Error, InvalidInput};
use crate::generated;
use crate::headers::HeaderCollector;
use crate::retry::{Retries, Verdict};
use crate::telemetry::CallSpan;
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
/// use std::time::{Duration, Instant};
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
    max_retries: Option<u32>,
}

impl<'a, Op: Operation<'a> + 'a> Call<'a, Op> {
    fn new(client: &'a AuthClient, operation: Op) -> Self {
        Self {
            client,
            operation,
            headers: HeaderCollector::default(),
            timeout: None,
            max_retries: None,
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

    /// Bounds this call, retries and their waits included, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Allows this many retries for this call instead of the client's policy's number
    /// (`0` sends it once).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Sends this `Idempotency-Key` (on every attempt of the call) instead of the one the
    /// client makes for each POST.
    pub fn idempotency_key(self, key: impl AsRef<str>) -> Self {
        let key = key.as_ref().to_string();
        self.header("idempotency-key", key)
    }

    /// Sends the call; the same as `.await` on it.
    pub async fn send(self) -> Result<Op::Output, Error> {
        self.await
    }

    /// Sends the call and keeps the status and headers of the response (`Set-Cookie`,
    /// `ETag`, ...) beside the typed value, which the result derefs to.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// let response = client.exists("alice@example.com").send_with_response().await?;
    /// println!("{} {:?} exists={}", response.status(), response.headers().get("etag"), response.exists);
    /// # Ok(()) }
    /// ```
    pub async fn send_with_response(self) -> Result<ResponseValue<Op::Output>, Error> {
        self.execute(|response, headers| {
            let status = response.status();
            ResponseValue::new(response.into_inner(), status, headers)
        })
        .await
    }

    /// The checks and the per-call generated client, made before the call's future so that
    /// the future carries neither the builder nor the options.
    fn prepare(self) -> Result<Prepared<'a, Op>, Error> {
        let Call {
            client,
            mut operation,
            headers,
            timeout,
            max_retries,
        } = self;
        let span = CallSpan::new(Op::NAME, Op::METHOD, Op::PATH);
        let started = span.start();
        let mut options = CallOptions {
            headers: headers.finish()?,
            timeout,
            max_retries,
            last_segment: None,
            span,
            in_call_layer: true,
        };
        operation.prepare(&mut options)?;
        Ok(Prepared {
            client,
            operation,
            raw: client.call_client(options),
            started,
        })
    }

    /// The whole call: the checks now, then a future that runs it and returns `output` of
    /// the response and its headers.
    fn execute<R: Send + 'a>(
        self,
        output: impl FnOnce(ResponseValue<Op::Output>, HeaderMap) -> R + Send + 'a,
    ) -> Pin<Box<dyn Future<Output = Result<R, Error>> + Send + 'a>> {
        match self.prepare() {
            // Allocated first and written in place: `Box::pin(future)` would build the
            // (2 KB) future on the stack and copy it over.
            Ok(prepared) => in_place(|| prepared.run(output)),
            Err(error) => Box::pin(std::future::ready(Err(error))),
        }
    }
}

/// Allocates first and builds the value in the allocation (`Box::pin(make())` builds it on
/// the stack and copies it over).
fn in_place<F>(make: impl FnOnce() -> F) -> Pin<Box<F>> {
    Box::into_pin(Box::write(Box::new_uninit(), make()))
}

/// A call ready to run: see [`Call::prepare`].
struct Prepared<'a, Op> {
    client: &'a AuthClient,
    operation: Op,
    raw: generated::Client,
    started: Option<std::time::Instant>,
}

impl<'a, Op: Operation<'a> + 'a> Prepared<'a, Op> {
    /// Attempts, what the client keeps of the outcome, then `output`. One future from
    /// `.await` to the generated method, its fields used in place: the response (about
    /// 1 KB) is copied at every layer it is returned through, and every move of the call's
    /// state is a copy too.
    // Not `async fn`: its arguments would be copied into a second slot of the future
    // (rust-lang/rust#62958); the block below uses `self` where it was captured.
    #[allow(clippy::manual_async_fn)]
    fn run<R: Send + 'a>(
        self,
        output: impl FnOnce(ResponseValue<Op::Output>, HeaderMap) -> R + Send + 'a,
    ) -> impl Future<Output = Result<R, Error>> + Send + 'a {
        async move {
            let ctx = self.raw.inner();
            // Attempts, waits between them and reading the bodies, all within the call's
            // deadline: one timer for the whole call (reqwest's per-request timeout would box
            // one per attempt and wrap the response body). Each attempt re-runs the generated
            // method, so the happy path never pays for a copy of the request kept in case of a
            // retry.
            let mut deadline = pin!(tokio::time::sleep_until(ctx.deadline.into()));
            let timed_out = || Error::Timeout {
                limit: Some(ctx.timeout()),
                source: None,
            };
            let mut retries = None;
            let error = loop {
                let attempt = pin!(self.operation.attempt(&self.raw));
                let error = match until(deadline.as_mut(), attempt).await {
                    None => break timed_out(),
                    // Returned from here: each move of the response is a copy.
                    Some(Ok(response)) => {
                        let completed = self.operation.complete(self.client, Some(&response));
                        ctx.call.span.finished(self.started);
                        completed?;
                        return Ok(output(response, ctx.take_response_headers()));
                    }
                    Some(Err(error)) => error,
                };
                let (attempt, verdict) = ctx.last_verdict();
                let wait = match verdict {
                    Verdict::Final => None,
                    Verdict::Retry { .. } => retries
                        .get_or_insert_with(|| Retries::new(ctx.retry_policy()))
                        .wait_after(attempt, verdict, ctx.deadline),
                };
                let Some(wait) = wait else {
                    // Boxed: the error path's future is large and rarely needed, and the
                    // call's future (boxed by `.await`) stays small.
                    let mut error = Box::pin(Error::from_generated(error, ctx));
                    break until(deadline.as_mut(), error.as_mut())
                        .await
                        .unwrap_or_else(timed_out);
                };
                drop(error);
                ctx.call.span.retrying(attempt, wait);
                // `wait_after` keeps the wait within the deadline.
                tokio::time::sleep(wait).await;
            };
            let completed = self.operation.complete(self.client, None);
            ctx.call.span.finished(self.started);
            completed?;
            Err(error)
        }
    }
}

impl<'a, Op: Operation<'a> + 'a> IntoFuture for Call<'a, Op> {
    type Output = Result<Op::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        self.execute(|response, _| response.into_inner())
    }
}

mod sealed {
    use super::*;

    /// One of the five operations; implemented only in this module.
    pub trait Operation<'a>: Send + Sync {
        /// What the call returns.
        type Output: Send;
        /// The operation's name in the OpenAPI document (and in tracing).
        const NAME: &'static str;
        /// Its HTTP method.
        const METHOD: &'static str;
        /// Its path template.
        const PATH: &'static str;

        /// Checks the input and adjusts the call's options before anything is sent.
        #[doc(hidden)]
        fn prepare(&mut self, _options: &mut CallOptions) -> Result<(), Error> {
            Ok(())
        }

        /// One attempt: the generated method, run again on each retry.
        #[doc(hidden)]
        fn attempt<'r>(
            &'r self,
            raw: &'r generated::Client,
        ) -> impl Future<Output = Generated<Self::Output>> + Send + 'r;

        /// What the client keeps or forgets once the call is over; `response` is `None` when
        /// the call failed. An error replaces the call's result.
        #[doc(hidden)]
        fn complete(
            &self,
            _client: &AuthClient,
            _response: Option<&Self::Output>,
        ) -> Result<(), Error> {
            Ok(())
        }
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
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// client.delete_session().await?;
    /// assert!(client.token().is_none() && client.session_cookie().is_none());
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// match client.get_session().await {
    ///     Ok(session) => println!("signed in as {}", session.customer.email),
    ///     Err(e) if e.is_unauthorized() => println!("signed out"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
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
    /// - Returns: the token (HS256, valid 30 days; `Debug` hides it). The server never
    ///   revokes it, not even on [`delete_session`](Self::delete_session).
    /// - Errors: as [`authenticate`](Self::authenticate).
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::types::StorePostAuthReq;
    ///
    /// let res = client.get_token(&StorePostAuthReq::new("alice@example.com", "S3cret-pass!")).await?;
    /// let save_me: &str = res.access_token.expose();
    /// let me = client.get_session().await?; // sent with `Authorization: Bearer`
    /// # let _ = (save_me, me); Ok(()) }
    /// ```
    pub fn get_token<'a>(&'a self, payload: &'a StorePostAuthReq) -> Call<'a, GetToken<'a>> {
        Call::new(self, GetToken(payload))
    }
}

/// What a generated method returns.
type Generated<T> = Result<ResponseValue<T>, progenitor_client::Error<StoreError>>;

/// Polls `future` until it is done, or until `deadline` passes (then `None`). Both are
/// pinned by the caller, so neither is moved.
fn until<'p, F: Future>(
    mut deadline: Pin<&'p mut tokio::time::Sleep>,
    mut future: Pin<&'p mut F>,
) -> impl Future<Output = Option<F::Output>> + 'p {
    poll_fn(move |cx| match future.as_mut().poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => deadline.as_mut().poll(cx).map(|()| None),
    })
}

impl<'a> Operation<'a> for Authenticate<'a> {
    type Output = StoreAuthRes;
    const NAME: &'static str = "PostAuth";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/store/auth";
    fn attempt<'r>(
        &'r self,
        raw: &'r generated::Client,
    ) -> impl Future<Output = Generated<StoreAuthRes>> + Send + 'r {
        raw.post_auth(self.0)
    }
}

impl Operation<'_> for DeleteSession {
    type Output = ();
    const NAME: &'static str = "DeleteAuth";
    const METHOD: &'static str = "DELETE";
    const PATH: &'static str = "/store/auth";
    // Not `async fn`: the trait wants the future bound to `'r` and `Send` explicitly.
    #[allow(clippy::manual_async_fn)]
    fn attempt<'r>(
        &'r self,
        raw: &'r generated::Client,
    ) -> impl Future<Output = Generated<()>> + Send + 'r {
        async move {
            match raw.delete_auth().await {
                // The body is the text `OK`; nothing in it to keep.
                Ok(response) => response.map(|_| ()),
                // Tolerate a 204 or another 2xx from a proxy in front of Medusa.
                Err(progenitor_client::Error::UnexpectedResponse(response))
                    if response.status().is_success() =>
                {
                    Ok(ResponseValue::new(
                        (),
                        response.status(),
                        response.headers().clone(),
                    ))
                }
                Err(error) => Err(error),
            }
        }
    }
    fn complete(&self, client: &AuthClient, _response: Option<&()>) -> Result<(), Error> {
        // Even when the call failed: the client never stays logged in by accident.
        client.session().clear();
        Ok(())
    }
}

impl Operation<'_> for GetSession {
    type Output = StoreAuthRes;
    const NAME: &'static str = "GetAuth";
    const METHOD: &'static str = "GET";
    const PATH: &'static str = "/store/auth";
    fn attempt<'r>(
        &'r self,
        raw: &'r generated::Client,
    ) -> impl Future<Output = Generated<StoreAuthRes>> + Send + 'r {
        raw.get_auth()
    }
}

/// Sent to the generated method in place of the email; the `pre` hook puts the real one
/// there, encoded by the crate (see `hooks::replace_last_segment`).
const EMAIL_PLACEHOLDER: &str = "email";

impl Operation<'_> for Exists {
    type Output = StoreGetAuthEmailRes;
    const NAME: &'static str = "GetAuthEmail";
    const METHOD: &'static str = "GET";
    const PATH: &'static str = "/store/auth/{email}";
    fn prepare(&mut self, options: &mut CallOptions) -> Result<(), Error> {
        let reason = match self.0.as_str() {
            "" => Some("it is empty (the server would answer GET /store/auth instead)"),
            "." | ".." => Some("`.` and `..` cannot travel as a URL path segment"),
            _ => None,
        };
        if let Some(reason) = reason {
            return Err(Error::InvalidInput(InvalidInput::Email { reason }));
        }
        // An email of only unreserved characters reads the same encoded either way, so it
        // can go through the generated method as it is; anything else takes the crate's
        // encoding (see `hooks::replace_last_segment`).
        let plain = self
            .0
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~@+".contains(&b));
        if !plain {
            options.last_segment = Some(std::mem::replace(
                &mut self.0,
                EMAIL_PLACEHOLDER.to_string(),
            ));
        }
        Ok(())
    }
    fn attempt<'r>(
        &'r self,
        raw: &'r generated::Client,
    ) -> impl Future<Output = Generated<StoreGetAuthEmailRes>> + Send + 'r {
        raw.get_auth_email(&self.0)
    }
}

impl<'a> Operation<'a> for GetToken<'a> {
    type Output = StoreBearerAuthRes;
    const NAME: &'static str = "PostToken";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/store/auth/token";
    fn attempt<'r>(
        &'r self,
        raw: &'r generated::Client,
    ) -> impl Future<Output = Generated<StoreBearerAuthRes>> + Send + 'r {
        raw.post_token(self.0)
    }
    fn complete(
        &self,
        client: &AuthClient,
        response: Option<&StoreBearerAuthRes>,
    ) -> Result<(), Error> {
        match response {
            Some(response) => client.set_token(response.access_token.clone()),
            None => Ok(()),
        }
    }
}
