//! The attempts of one call, as the generated client's hooks see them: [`AttemptContext`] is
//! the generated client's inner value, made fresh for every call, so nothing one call sets
//! can reach another call (or another visitor's) on a shared client.
//!
//! The hooks of every API line call [`AttemptContext::prepare`] (`pre`: shape the request)
//! and [`AttemptContext::send`] (`exec`: send it once, keep what the session may keep).

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use reqwest::header::{
    Entry, HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE,
    LOCATION, RETRY_AFTER,
};
use reqwest::{Method, StatusCode};

use super::headers::{names, override_with};
use super::settings::Runtime;
use super::telemetry::CallSpan;
use crate::operation::Operation;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const API_VERSION: HeaderName = HeaderName::from_static("api-version");
/// The most redirects one attempt follows.
const MAX_HOPS: u32 = 5;

/// What every attempt of one call shares: made once per call, read-only.
#[derive(Clone)]
pub(crate) struct CallPlan {
    pub(crate) runtime: Runtime,
    pub(crate) operation: Operation,
    /// The request path, its parameters encoded by the crate, in place of progenitor's
    /// (whose encoding leaves `\` and dot segments to URL parsing).
    pub(crate) path: Option<String>,
    /// The query string, encoded by the crate (a provider's callback parameters).
    pub(crate) query: Option<String>,
    /// Per-call headers, validated.
    pub(crate) headers: HeaderMap,
    /// False when the call brought its own `Cookie` or `Authorization`: it acts for
    /// someone else, so the client's session neither goes out with it nor learns from it.
    pub(crate) uses_session: bool,
    /// Whether the caller wants the response headers (`send_with_response`).
    pub(crate) keep_headers: bool,
    /// Sent on every attempt of a POST, so the server can tell a retry from a new request.
    pub(crate) idempotency_key: Option<HeaderValue>,
    pub(crate) span: CallSpan,
}

/// The inner value of a generated client made for one call (opaque outside the crate): the
/// call's plan, and which attempt is under way.
pub struct AttemptContext {
    plan: CallPlan,
    /// The attempt under way, 1 for the first ([`begin`](Self::begin)).
    number: AtomicU32,
    /// Noted by `exec`: progenitor drops the response when an error body does not decode,
    /// and this attempt's error still needs its status and content type. Taken by the
    /// attempt itself (`outcome::failure`), and cleared when the next one begins.
    head: Mutex<Option<ResponseHead>>,
}

/// What an error needs of a response that may be gone by then.
#[derive(Clone, Debug)]
pub(crate) struct ResponseHead {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<HeaderValue>,
    pub(crate) retry_after: Option<HeaderValue>,
}

impl AttemptContext {
    pub(crate) fn new(plan: CallPlan) -> Self {
        Self {
            plan,
            number: AtomicU32::new(0),
            head: Mutex::new(None),
        }
    }

    pub(crate) fn plan(&self) -> &CallPlan {
        &self.plan
    }

    /// Attempt `number` begins: nothing of the one before stays.
    pub(crate) fn begin(&self, number: u32) {
        self.number.store(number, Ordering::Relaxed);
        *self.lock_head() = None;
    }

    /// The attempt under way, 1 for the first.
    pub(crate) fn number(&self) -> u32 {
        self.number.load(Ordering::Relaxed)
    }

    /// The head of the attempt's response, if it got one.
    pub(crate) fn take_head(&self) -> Option<ResponseHead> {
        self.lock_head().take()
    }

    fn lock_head(&self) -> std::sync::MutexGuard<'_, Option<ResponseHead>> {
        // Nothing can panic while it is held: a poisoned lock still holds a whole value.
        self.head
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The `pre` hook: the crate's path, then the headers ([`shape`](Self::shape)).
    pub fn prepare(&self, request: &mut reqwest::Request) {
        let plan = &self.plan;
        if let Some(path) = &plan.path {
            request.url_mut().set_path(path);
        }
        if let Some(query) = &plan.query {
            request
                .url_mut()
                .set_query(Some(query).filter(|q| !q.is_empty()).map(String::as_str));
        }
        self.shape(request);
    }

    /// Headers by precedence (lowest first): built in < client defaults < the session's for
    /// the request's URL (`Cookie`, `Authorization: Bearer`) < per call.
    fn shape(&self, request: &mut reqwest::Request) {
        let plan = &self.plan;
        let settings = &plan.runtime.settings;
        let session = &plan.runtime.session;
        let (cookie, bearer) = if plan.uses_session {
            (
                session.cookie_header(request.url()),
                session.bearer_header(),
            )
        } else {
            (None, None)
        };
        let headers = request.headers_mut();
        // progenitor sends `api-version: <document version>`; Medusa ignores it, and in a
        // browser it would force a CORS preflight.
        headers.remove(API_VERSION);
        override_with(headers, &settings.default_headers);
        if let Some(cookie) = cookie {
            headers.insert(COOKIE, cookie);
        }
        if let Some(bearer) = bearer {
            headers.insert(AUTHORIZATION, bearer);
        }
        override_with(headers, &plan.headers);
        if let Some(key) = &plan.idempotency_key {
            if let Entry::Vacant(slot) = headers.entry(IDEMPOTENCY_KEY) {
                slot.insert(key.clone());
            }
        }
    }

    /// The `exec` hook: sends the request once (following a same-origin redirect hop by hop,
    /// with the crate's own client), lets the session keep the cookies of each answer from
    /// the base origin (unless the call acts for someone else), and bounds what will be
    /// read of the body.
    pub async fn send(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let plan = &self.plan;
        let base = &plan.runtime.settings.base;
        let mut request = request;
        let mut hops = 0;
        let response = loop {
            let (method, has_body) = (request.method().clone(), request.body().is_some());
            let started = plan.span.start();
            let result = plan.span.instrument(http.execute(request)).await;
            let status = result.as_ref().ok().map(|r| r.status().as_u16());
            plan.span.attempt(self.number(), status, started);
            let response = result?;
            // Only the base origin's cookies ever enter the session: a caller's client may
            // have followed a redirect to another origin (cookie stores ignore ports).
            if plan.uses_session && same_origin(response.url(), base) {
                plan.runtime
                    .session
                    .absorb(response.headers(), response.url());
            }
            match self.next_hop(&method, has_body, &response, hops) {
                Some(next) => (request, hops) = (next, hops + 1),
                None => break response,
            }
        };
        let headers = response.headers();
        *self.lock_head() = Some(ResponseHead {
            status: response.status(),
            content_type: headers.get(CONTENT_TYPE).cloned(),
            retry_after: headers.get(RETRY_AFTER).cloned(),
        });
        Ok(limit_body(
            response,
            plan.runtime.settings.max_response_bytes,
        ))
    }
}

impl AttemptContext {
    /// The next request of a redirect the crate's own client follows, as a browser does
    /// (RFC 6265 per hop): the session's cookies for the new URL (after the hop's
    /// `Set-Cookie`), within the base origin only, at most [`MAX_HOPS`]. 303, and 301 or 302
    /// after a POST, continue as a GET without a body; 307 and 308 of a request with a body
    /// are not followed (its body is not kept): the redirect is the call's answer, as one
    /// elsewhere is.
    fn next_hop(
        &self,
        method: &Method,
        has_body: bool,
        response: &reqwest::Response,
        hops: u32,
    ) -> Option<reqwest::Request> {
        let settings = &self.plan.runtime.settings;
        if !settings.follows_redirects || hops >= MAX_HOPS {
            return None;
        }
        let method = match response.status() {
            StatusCode::SEE_OTHER => Method::GET,
            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND if *method == Method::POST => {
                Method::GET
            }
            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND => method.clone(),
            StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT if !has_body => {
                method.clone()
            }
            _ => return None,
        };
        let location = response.headers().get(LOCATION)?.to_str().ok()?;
        let url = response.url().join(location).ok()?;
        if !same_origin(&url, &settings.base) {
            return None;
        }
        let mut request = reqwest::Request::new(method, url);
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        self.shape(&mut request);
        Some(request)
    }
}

/// progenitor derives `Clone` for its client: a clone is at the same attempt.
impl Clone for AttemptContext {
    fn clone(&self) -> Self {
        Self {
            plan: self.plan.clone(),
            number: AtomicU32::new(self.number()),
            head: Mutex::new(self.lock_head().clone()),
        }
    }
}

impl fmt::Debug for AttemptContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: header values can be credentials.
        f.debug_struct("AttemptContext")
            .field("operation", &self.plan.operation.name)
            .field("attempt", &self.number())
            .field("call_header_names", &names(&self.plan.headers))
            .finish_non_exhaustive()
    }
}

/// Whether `a` and `b` have one origin (scheme, host and port), compared in place: this
/// runs on every answer, and `Url::origin` allocates.
fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Makes reading the body fail once it passes `limit` bytes (a `LengthLimitError`, which
/// the outcome reports as `ResponseTooLarge`), so a hostile or broken server cannot make
/// the client buffer without end.
fn limit_body(response: reqwest::Response, limit: usize) -> reqwest::Response {
    // hyper never reads past a Content-Length: a body that announces a length within the
    // limit needs no wrapper.
    if response
        .content_length()
        .is_some_and(|length| length <= limit as u64)
    {
        return response;
    }
    let (parts, body) = http::Response::from(response).into_parts();
    let body = reqwest::Body::wrap(http_body_util::Limited::new(body, limit));
    reqwest::Response::from(http::Response::from_parts(parts, body))
}
