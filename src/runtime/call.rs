//! [`Call`], the builder every operation of every API line returns, and the attempt loop.
//!
//! The attempt loop ([`run`]) lives here, once: retries, backoff and the deadline are the
//! same for every operation, and each attempt's outcome reaches it as a value
//! (`Result<Response<T>, Failure>`), so it needs nothing from the hooks. The
//! [`RetryPolicy`] decides when to try again; `tokio::time::timeout_at` bounds the whole call.
//!
//! A call is one boxed future once started: the API line's [`Execute`] (the generated method
//! and its input) builds it from the call's [`Parts`] ([`Parts::prepare`], then
//! [`Ready::send`]) with its types known, so its attempts run in it without a box or a client
//! of their own.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use tokio::time::Instant;

use super::attempt::CallPlan;
use super::headers::HeaderCollector;
use super::outcome::Failure;
use super::response::Response;
use super::retry::RetryPolicy;
use super::session::Pending;
use super::settings::Runtime;
use super::telemetry::CallSpan;
use crate::credentials::{AccessToken, SessionCookie};
use crate::error::{Error, InvalidInput, ResponseBody};
use crate::operation::Operation;

const PUBLISHABLE_KEY: HeaderName = HeaderName::from_static("x-publishable-api-key");

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The attempts of one call, each a fresh request: what [`run`] tries until one succeeds.
pub(crate) trait Attempts<T>: Sync {
    /// Makes attempt `number` (1 for the first).
    fn attempt(&self, number: u32) -> impl Future<Output = Result<Response<T>, Failure>> + Send;
    /// The call's plan, which every attempt reads.
    fn plan(&self) -> &CallPlan;
}

/// What sends a call once it is started: an API line's generated method and its input, with
/// their types erased here; [`Ready::send`] with its [`Attempts`] makes the future.
pub(crate) trait Execute<T>: Send {
    fn execute(
        self: Box<Self>,
        parts: Parts<T>,
        options: Options,
        keep_headers: bool,
    ) -> BoxFuture<Result<Response<T>, Error>>;
}

/// A token to keep, with what it still needs before it can act.
pub(crate) type HeldToken = (AccessToken, Option<Pending>);

/// What a call does to the client's session once it is over.
pub(crate) enum SessionEffect<T> {
    None,
    /// On success, send this token from now on (`get_token`, `login`), when there is one,
    /// with what it still needs before it can act.
    KeepToken(fn(&T) -> Option<HeldToken>),
    /// On success, forget the token if the answer set a new session cookie, which acts
    /// instead (`create_session`).
    ForgetTokenIfNewCookie,
    /// Forget the cookies and the token, even when the call failed (logging out).
    Forget,
}

/// A request a call makes after its own succeeded and changed the session, when there is
/// one to make (upgrading a cookie session with a new token); its error is the call's.
pub(crate) type FollowUp = Box<dyn FnOnce() -> Option<BoxFuture<Result<(), Error>>> + Send>;

/// One call, ready to send: `.await` it (or [`send`](Self::send) it), optionally after
/// adding headers, a timeout or a retry budget.
///
/// A call is itself the future (`Send + 'static`: it owns everything it needs), so it can be
/// spawned as it is, as can [`send`](Self::send)'s and
/// [`send_with_response`](Self::send_with_response)'s futures:
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), Box<dyn std::error::Error>> {
/// let session = tokio::spawn(client.get_session()).await??;
/// let with_headers = tokio::spawn(client.get_session().send_with_response()).await??;
/// # let _ = (session, with_headers); Ok(()) }
/// ```
///
/// Per-call headers apply to this call only and win over the client's defaults and its
/// session. A call that brings its own `Cookie` or `Authorization` header acts for someone
/// else: the client's own session is neither sent with it nor changed by its answer, so a
/// `Set-Cookie` or token it gets is not kept. For a visitor of a storefront, restore their
/// session instead (`restore_session`, see [`SavedSession`](crate::SavedSession)).
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
/// use std::time::Duration;
///
/// let session = client
///     .get_session()
///     .header("x-request-id", "7f0c...")
///     .timeout(Duration::from_secs(5))
///     .await?;
/// println!("{}", session.customer.email);
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    /// What the caller set for this call.
    options: Options,
    /// What the call will send; taken when it is first polled or sent.
    request: Option<Request<T>>,
    /// The call under way, once polled.
    running: Option<BoxFuture<Result<Response<T>, Error>>>,
}

/// What the caller can set on any call: per-call headers, a timeout, a retry budget.
#[derive(Clone, Default)]
pub(crate) struct Options {
    headers: HeaderCollector,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
}

/// What a call sends: one request, or several made in turn by `Steps`.
// `One` is nearly every call: boxing it to shrink the rare `Steps` would cost each call an
// allocation.
#[allow(clippy::large_enum_variant)]
enum Request<T> {
    One(Parts<T>, Box<dyn Execute<T>>),
    Steps(Steps<T>),
}

/// Several calls made in turn (`sign_up`), given the caller's options; the response is the
/// last one's.
pub(crate) type Steps<T> = Box<dyn FnOnce(Options) -> BoxFuture<Result<Response<T>, Error>> + Send>;

/// Everything one request is made of before it is sent, but the generated method.
pub(crate) struct Parts<T> {
    runtime: Runtime,
    operation: Operation,
    effect: SessionEffect<T>,
    follow_up: Option<FollowUp>,
    /// Reads the call's error as what it means for this operation (given its call name).
    refine_error: Option<fn(Error, &'static str) -> Error>,
    path: Option<Result<String, InvalidInput>>,
    query: Option<String>,
    /// Input found invalid when the call was made: it fails before anything is sent.
    invalid: Option<InvalidInput>,
}

impl<T: Send + 'static> Call<T> {
    pub(crate) fn new(
        runtime: Runtime,
        operation: Operation,
        execute: Box<dyn Execute<T>>,
    ) -> Self {
        let parts = Parts {
            runtime,
            operation,
            effect: SessionEffect::None,
            follow_up: None,
            refine_error: None,
            path: None,
            query: None,
            invalid: None,
        };
        Self {
            options: Options::default(),
            request: Some(Request::One(parts, execute)),
            running: None,
        }
    }

    /// A call made of several, in turn: `steps` makes them with the caller's options.
    pub(crate) fn steps(steps: Steps<T>) -> Self {
        Self {
            options: Options::default(),
            request: Some(Request::Steps(steps)),
            running: None,
        }
    }

    /// This call with `options` (a step of a call made of several gets the caller's).
    pub(crate) fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Changes the one request the call will send (nothing, once it is under way).
    fn with(mut self, change: impl FnOnce(&mut Parts<T>)) -> Self {
        if let Some(Request::One(parts, _)) = self.request.as_mut() {
            change(parts);
        }
        self
    }

    /// Sends the request to `path` (its parameters encoded by the caller) instead of the
    /// generated one; an error fails the call before anything is sent.
    pub(crate) fn with_path(self, path: Result<String, InvalidInput>) -> Self {
        self.with(|parts| parts.path = Some(path))
    }

    /// Sends this query string (encoded by the caller) in place of the generated one.
    pub(crate) fn with_query(self, query: String) -> Self {
        self.with(|parts| parts.query = Some(query))
    }

    /// Fails the call with `error` before anything is sent, if there is one.
    pub(crate) fn rejecting(self, error: Option<InvalidInput>) -> Self {
        self.with(|parts| parts.invalid = parts.invalid.take().or(error))
    }

    pub(crate) fn with_effect(self, effect: SessionEffect<T>) -> Self {
        self.with(|parts| parts.effect = effect)
    }

    /// Passes the call's error through `refine`, for an answer that means something else
    /// for this operation than for others.
    pub(crate) fn refining_error(self, refine: fn(Error, &'static str) -> Error) -> Self {
        self.with(|parts| parts.refine_error = Some(refine))
    }

    /// After success (for a call that uses the client's session), makes the request
    /// `follow_up` returns, if any.
    pub(crate) fn followed_by(self, follow_up: FollowUp) -> Self {
        self.with(|parts| parts.follow_up = Some(follow_up))
    }

    /// Adds a header to this call. Calling it twice with one name sends both values. An
    /// invalid name or value fails the call with [`Error::InvalidInput`] before anything
    /// is sent.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: AsRef<str>,
        HeaderValue: TryFrom<V>,
    {
        self.options.headers.append(name, value);
        self
    }

    /// Adds several headers to this call.
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        self.options.headers.extend(headers);
        self
    }

    /// Bounds this call, retries and their waits included, instead of the client's timeout.
    /// Any duration is accepted: one too long to represent means no bound.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Allows this many retries for this call instead of the client's policy's number
    /// (`0` sends it once).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.max_retries = Some(retries);
        self
    }

    /// Sends this `Idempotency-Key` (on every attempt of the call) instead of the one the
    /// client makes for each POST.
    pub fn idempotency_key(self, key: impl AsRef<str>) -> Self {
        let key = key.as_ref().to_string();
        self.header("idempotency-key", key)
    }

    /// Sends the call; the same as `.await` on it.
    pub async fn send(self) -> Result<T, Error> {
        self.await
    }

    /// Sends the call and keeps the status and headers of the response (`Set-Cookie`,
    /// `ETag`, ...) beside the typed value, which the result derefs to.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// let response = client.exists("alice@example.com").send_with_response().await?;
    /// println!("{} {:?} exists={}", response.status(), response.headers().get("etag"), response.exists);
    /// # Ok(()) }
    /// ```
    pub async fn send_with_response(self) -> Result<Response<T>, Error> {
        match self.request {
            Some(request) => request.start(self.options, true).await,
            None => Err(sent_already()),
        }
    }
}

impl<T: Send + 'static> Request<T> {
    /// The call's one future.
    fn start(self, options: Options, keep_headers: bool) -> BoxFuture<Result<Response<T>, Error>> {
        match self {
            Request::One(parts, execute) => execute.execute(parts, options, keep_headers),
            Request::Steps(steps) => steps(options),
        }
    }
}

impl Options {
    /// The call's timeout, or else `default`.
    pub(crate) fn timeout_or(&self, default: Duration) -> Duration {
        self.timeout.unwrap_or(default)
    }

    /// These options but the timeout: for the steps of a call whose timeout bounds them all.
    pub(crate) fn without_timeout(&self) -> Self {
        Self {
            timeout: None,
            ..self.clone()
        }
    }
}

/// A call checked and planned, ready to send: its limits, and what it does once its
/// attempts are over. Apart from the plan, which the attempts own.
pub(crate) struct Ready<T> {
    timeout: Duration,
    policy: RetryPolicy,
    effect: SessionEffect<T>,
    follow_up: Option<FollowUp>,
    refine_error: Option<fn(Error, &'static str) -> Error>,
    /// What "a new cookie" is compared with (`ForgetTokenIfNewCookie`).
    cookie_before: Option<SessionCookie>,
    started: Option<std::time::Instant>,
}

impl<T: Send + 'static> Parts<T> {
    /// Checks the call and plans its attempts, before anything is sent; the response keeps
    /// its headers when `keep_headers` is set (copying them costs a call that only wants
    /// the value).
    pub(crate) fn prepare(
        self,
        options: Options,
        keep_headers: bool,
    ) -> Result<(CallPlan, Ready<T>), Error> {
        let Options {
            headers,
            timeout,
            max_retries,
        } = options;
        let Parts {
            runtime,
            operation,
            effect,
            follow_up,
            refine_error,
            path,
            query,
            invalid,
        } = self;
        if let Some(invalid) = invalid {
            return Err(Error::InvalidInput(invalid));
        }
        let headers = headers.finish()?;
        let path = path.transpose().map_err(Error::InvalidInput)?;
        // The key sent is the call's, else the client's; an empty one would be refused by the
        // server as a wrong one is, so it counts as none.
        let has_key = || {
            let key = (headers.get(&PUBLISHABLE_KEY))
                .or_else(|| runtime.settings.default_headers.get(&PUBLISHABLE_KEY));
            key.is_some_and(|key| !key.as_bytes().trim_ascii().is_empty())
        };
        if operation.publishable_key && !has_key() {
            let call = operation.call;
            return Err(Error::InvalidInput(InvalidInput::MissingPublishableKey {
                call,
            }));
        }
        let uses_session = !headers.contains_key(COOKIE) && !headers.contains_key(AUTHORIZATION);
        let cookie_before = match effect {
            SessionEffect::ForgetTokenIfNewCookie => runtime.session_cookie(),
            _ => None,
        };
        let settings = &runtime.settings;
        let timeout = timeout.unwrap_or(settings.timeout);
        let mut policy = settings.retry.clone();
        if let Some(retries) = max_retries {
            policy = policy.with_max_retries(retries);
        }
        let span = CallSpan::new(operation.name, operation.method, operation.path);
        let started = span.start();
        let plan = CallPlan {
            runtime,
            operation,
            path,
            query,
            headers,
            uses_session,
            keep_headers,
            idempotency_key: (operation.method == "POST").then(new_idempotency_key),
            span,
        };
        let ready = Ready {
            timeout,
            policy,
            effect,
            follow_up,
            refine_error,
            cookie_before,
            started,
        };
        Ok((plan, ready))
    }
}

impl<T: Send + 'static> Ready<T> {
    /// Sends the call: its attempts, then what it does to the session.
    // An async block, not an async fn: an async fn keeps a second copy of its arguments in
    // its future (rust-lang/rust#62958), and this future is the call's box.
    #[allow(clippy::manual_async_fn)]
    pub(crate) fn send(
        self,
        attempts: impl Attempts<T> + Send,
    ) -> impl Future<Output = Result<Response<T>, Error>> + Send {
        async move {
            let mut result = run(&attempts, self.timeout, &self.policy).await;
            let plan = attempts.plan();
            if let Some(refine) = self.refine_error {
                result = result.map_err(|error| refine(error, plan.operation.call));
            }
            plan.span.finished(self.started);
            if plan.uses_session {
                (self.effect).apply(&plan.runtime, result.as_ref().ok(), self.cookie_before)?;
                if let (true, Some(follow_up)) = (result.is_ok(), self.follow_up) {
                    if let Some(request) = follow_up() {
                        request.await?;
                    }
                }
            }
            result
        }
    }
}

/// A call is a future: `.await` it, or hand it to `tokio::spawn` as it is. The request is
/// made when it is first polled; the builder methods change nothing after that.
impl<T: Send + 'static> Future for Call<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let running = match (&mut this.running, this.request.take()) {
            (Some(running), _) => running,
            (running @ None, Some(request)) => {
                let options = std::mem::take(&mut this.options);
                running.insert(request.start(options, false))
            }
            (None, None) => return Poll::Ready(Err(sent_already())),
        };
        let result = std::task::ready!(running.as_mut().poll(cx));
        this.running = None;
        Poll::Ready(result.map(Response::into_inner))
    }
}

/// What a call that was sent once (and is done) answers when it is polled or sent again.
fn sent_already() -> Error {
    Error::InvalidInput(InvalidInput::Request {
        reason: "this call was sent already".into(),
    })
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Call");
        match &self.request {
            Some(Request::One(parts, _)) => debug.field("operation", &parts.operation.name),
            Some(Request::Steps(_)) => debug.field("steps", &true),
            None => debug.field("under_way", &self.running.is_some()),
        };
        debug
            .field("timeout", &self.options.timeout)
            .field("max_retries", &self.options.max_retries)
            .finish_non_exhaustive()
    }
}

impl<T> SessionEffect<T> {
    fn apply(
        &self,
        runtime: &Runtime,
        response: Option<&Response<T>>,
        cookie_before: Option<SessionCookie>,
    ) -> Result<(), Error> {
        let session = &runtime.session;
        match (self, response) {
            // A token that cannot be a header value is a broken answer, not bad input.
            (SessionEffect::KeepToken(token), Some(response)) => match token(response) {
                Some((token, pending)) => {
                    session
                        .set_token(Some(token), pending)
                        .map_err(|_| Error::Decode {
                            status: response.status(),
                            content_type: None,
                            body: ResponseBody::default(),
                            source: None,
                        })
                }
                None => Ok(()),
            },
            (SessionEffect::ForgetTokenIfNewCookie, Some(_)) => {
                let now = runtime.session_cookie();
                if now.is_some() && now != cookie_before {
                    session.forget_token();
                }
                Ok(())
            }
            (SessionEffect::Forget, _) => {
                session.clear();
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Attempts until one succeeds, fails for good, the retry budget is spent, or the call's
/// deadline passes (retries and their waits included).
async fn run<T>(
    attempts: &impl Attempts<T>,
    timeout: Duration,
    policy: &RetryPolicy,
) -> Result<Response<T>, Error> {
    // A timeout too long to represent means no deadline at all.
    let deadline = Instant::now().checked_add(timeout);
    let tries = try_until_done(attempts, policy, deadline.unwrap_or_else(far_future));
    let outcome = match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, tries).await,
        None => Ok(tries.await),
    };
    outcome.unwrap_or(Err(Error::Timeout {
        limit: Some(timeout),
        source: None,
    }))
}

/// The attempt loop within the deadline: try again after the policy's wait while a failure
/// is retryable and a wait is left (the budget is not spent, and the wait ends before
/// `deadline`).
async fn try_until_done<T>(
    attempts: &impl Attempts<T>,
    policy: &RetryPolicy,
    deadline: Instant,
) -> Result<Response<T>, Error> {
    let mut backoffs = policy.backoffs();
    let mut number = 1;
    loop {
        let failure = match attempts.attempt(number).await {
            Ok(response) => return Ok(response),
            Err(failure) => failure,
        };
        let wait = match failure.retryable {
            true => policy.wait(failure.retry_after, backoffs.next(), deadline),
            false => None,
        };
        let Some(wait) = wait else {
            return Err(failure.error);
        };
        attempts.plan().span.retrying(number, wait);
        tokio::time::sleep(wait).await;
        number += 1;
    }
}

fn far_future() -> Instant {
    // About 30 years, as tokio's own "never".
    Instant::now() + Duration::from_secs(86_400 * 365 * 30)
}

/// A random (v4) UUID, hyphenated.
fn new_idempotency_key() -> HeaderValue {
    let mut key = [0; 36];
    uuid::Uuid::new_v4().hyphenated().encode_lower(&mut key);
    HeaderValue::from_bytes(&key).expect("a UUID is a header value")
}

#[cfg(test)]
mod tests {
    //! The attempt loop alone, on tokio's paused clock: no network, so virtual time is
    //! exact and no test waits real seconds.

    use super::*;
    use crate::Config;
    use reqwest::StatusCode;
    use std::sync::{Arc, Mutex};

    const OP: Operation = Operation {
        name: "GetAuth",
        method: "GET",
        path: "/store/auth",
        call: "get_session",
        publishable_key: false,
    };

    /// When each attempt started, by attempt number.
    type Starts = Arc<Mutex<Vec<(u32, Instant)>>>;

    /// Attempts that fail with `status` until `failures` have, each after `takes`, and note
    /// what each saw (its number, and when it started) in `seen`.
    struct Script {
        plan: CallPlan,
        failures: u32,
        status: StatusCode,
        retry_after: Option<Duration>,
        takes: Duration,
        seen: Starts,
    }

    impl Attempts<u32> for Script {
        fn attempt(&self, number: u32) -> impl Future<Output = Result<Response<u32>, Failure>> {
            self.seen.lock().unwrap().push((number, Instant::now()));
            async move {
                tokio::time::sleep(self.takes).await;
                if number <= self.failures {
                    Err(Failure {
                        error: Error::Unauthorized {
                            status: self.status,
                            error: None,
                        },
                        retryable: crate::runtime::retry::is_retryable_status(self.status),
                        retry_after: self.retry_after,
                    })
                } else {
                    Ok(Response::new(StatusCode::OK, HeaderMap::new(), number))
                }
            }
        }

        fn plan(&self) -> &CallPlan {
            &self.plan
        }
    }

    /// A script (see [`Script`]), and what its attempts will note.
    fn script(
        failures: u32,
        status: u16,
        retry_after: Option<Duration>,
        takes: Duration,
    ) -> (Script, Starts) {
        let seen = Starts::default();
        let script = Script {
            plan: plan(),
            failures,
            status: StatusCode::from_u16(status).unwrap(),
            retry_after,
            takes,
            seen: seen.clone(),
        };
        (script, seen)
    }

    fn plan() -> CallPlan {
        let runtime = Runtime::new(Config::new()).unwrap();
        CallPlan {
            runtime,
            operation: OP,
            path: None,
            query: None,
            headers: HeaderMap::new(),
            uses_session: true,
            keep_headers: false,
            idempotency_key: None,
            span: CallSpan::new(OP.name, OP.method, OP.path),
        }
    }

    fn fixed(backoff: Duration) -> RetryPolicy {
        RetryPolicy::default()
            .with_initial_backoff(backoff)
            .with_max_backoff(backoff)
    }

    #[tokio::test(start_paused = true)]
    async fn retries_wait_the_backoff_between_attempts_and_stop_at_the_budget() {
        let (attempt, seen) = script(9, 503, None, Duration::from_millis(10));
        let started = Instant::now();
        let result = run(
            &attempt,
            Duration::from_secs(60),
            &fixed(Duration::from_secs(1)),
        )
        .await;
        assert_eq!(
            result.unwrap_err().status(),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        let seen = seen.lock().unwrap();
        let starts: Vec<Duration> = seen.iter().map(|(_, at)| *at - started).collect();
        // Three attempts (two retries), each 10 ms, with 1 s between them.
        assert_eq!(
            starts,
            [
                Duration::ZERO,
                Duration::from_millis(1010),
                Duration::from_millis(2020)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_after_retries_is_returned() {
        let (attempt, _) = script(2, 502, None, Duration::ZERO);
        let result = run(
            &attempt,
            Duration::from_secs(60),
            &fixed(Duration::from_millis(5)),
        )
        .await;
        assert_eq!(*result.unwrap(), 3, "the third attempt's value");
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_waited_for_and_zero_keeps_the_backoff() {
        let (attempt, seen) = script(1, 503, Some(Duration::from_secs(7)), Duration::ZERO);
        let started = Instant::now();
        run(
            &attempt,
            Duration::from_secs(60),
            &fixed(Duration::from_secs(1)),
        )
        .await
        .unwrap();
        assert_eq!(seen.lock().unwrap()[1].1 - started, Duration::from_secs(7));

        let (attempt, seen) = script(3, 429, Some(Duration::ZERO), Duration::ZERO);
        let policy = fixed(Duration::from_millis(300)).with_max_retries(3);
        let started = Instant::now();
        run(&attempt, Duration::from_secs(60), &policy)
            .await
            .unwrap();
        let last = seen.lock().unwrap()[3].1 - started;
        assert_eq!(
            last,
            Duration::from_millis(900),
            "Retry-After: 0 still waits the backoff"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_bounds_attempts_and_waits() {
        // Each attempt takes 300 ms and fails; 800 ms allow two attempts and a wait.
        let (attempt, seen) = script(99, 503, None, Duration::from_millis(300));
        let started = Instant::now();
        let policy = fixed(Duration::from_millis(100)).with_max_retries(10);
        let err = run(&attempt, Duration::from_millis(800), &policy)
            .await
            .unwrap_err();
        assert!(err.is_timeout() || err.status().is_some(), "{err:?}");
        assert!(Instant::now() - started <= Duration::from_millis(800));
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn durations_too_long_to_represent_saturate() {
        let (attempt, _) = script(1, 503, Some(Duration::MAX), Duration::ZERO);
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX)
            .with_max_retry_after(Duration::MAX);
        // A wait that cannot end: the error at once, no panic.
        let err = run(&attempt, Duration::MAX, &policy).await.unwrap_err();
        assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    }

    #[tokio::test(start_paused = true)]
    async fn errors_that_will_not_heal_are_not_retried() {
        let (attempt, seen) = script(9, 401, None, Duration::ZERO);
        run(&attempt, Duration::from_secs(60), &RetryPolicy::default())
            .await
            .unwrap_err();
        assert_eq!(seen.lock().unwrap().len(), 1);
    }
}
