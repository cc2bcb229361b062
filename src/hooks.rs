//! The one `ClientHooks` implementation for the generated client: every generated method
//! runs `pre` (shape the request) → `exec` (send it once, keep cookies, record what came
//! back) → `post`. Retries re-run the generated method (`auth::Prepared::run`), so the
//! request never has to be cloned in case one is needed.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{Entry, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use reqwest::Method;

use crate::context::CallContext;
use crate::generated::Client;
use crate::headers::override_with;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
// A constant name: removing by `&str` would parse the name on every call.
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

impl ClientHooks<CallContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let ctx = self.inner();
        let shared = &ctx.shared;

        if let Some(segment) = &ctx.call.last_segment {
            replace_last_segment(request.url_mut(), segment);
        }
        let cookie = shared.session.cookie_header(request.url());
        let bearer = shared.session.bearer_header();
        let is_post = request.method() == Method::POST;

        let headers = request.headers_mut();
        // progenitor sends `api-version: <info.version>`; Medusa ignores it, and in a browser
        // it would force a CORS preflight.
        headers.remove(API_VERSION);
        override_with(headers, &shared.default_headers);
        if let Some(cookie) = cookie {
            headers.insert(COOKIE, cookie);
        }
        if let Some(bearer) = bearer {
            headers.insert(AUTHORIZATION, bearer);
        }
        override_with(headers, &ctx.call.headers);
        // One key per call, kept in the call's context, so every retry of the call carries
        // the same key; a caller's own key wins. The generated client alone (`raw()`) makes
        // one attempt per method call and may be reused: a new key each time.
        if is_post {
            // One lookup for "has the caller set one?" and the insertion.
            if let Entry::Vacant(slot) = headers.entry(IDEMPOTENCY_KEY) {
                let key = if ctx.call.in_call_layer {
                    *ctx.idempotency_key.get_or_init(new_idempotency_key)
                } else {
                    new_idempotency_key()
                };
                if let Ok(key) = HeaderValue::from_bytes(&key) {
                    slot.insert(key);
                }
            }
        }
        Ok(())
    }

    async fn exec(
        &self,
        mut request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let ctx = self.inner();
        // Read the clock only when a subscriber will see the attempt's duration.
        let started = ctx.call.span.start();
        if !ctx.call.in_call_layer {
            // The generated client alone (`raw()`): no call layer holds a deadline, and the
            // client may be kept and reused, so each method call gets the whole timeout as
            // reqwest's.
            *request.timeout_mut() = Some(ctx.timeout());
        }
        let mut result = ctx
            .call
            .span
            .instrument(self.client().execute(request))
            .await;
        if let Ok(response) = &result {
            let shared = &ctx.shared;
            shared
                .session
                .store_cookies(response.headers(), response.url(), &shared.base);
        }
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        let attempt = ctx.record_attempt(&mut result);
        ctx.call.span.attempt(attempt, status, started);
        result.map(|response| {
            // Bound what the generated code will read of the body.
            limit_body(response, ctx.shared.max_response_bytes)
        })
    }
}

/// A random (v4) UUID, hyphenated: kept as bytes, so each attempt's header value costs one
/// allocation (a `HeaderValue` clone would cost two).
fn new_idempotency_key() -> [u8; 36] {
    let mut key = [0; 36];
    uuid::Uuid::new_v4().hyphenated().encode_lower(&mut key);
    key
}

/// Makes reading the body fail once it passes `limit` bytes (a `LengthLimitError`, which
/// `Error::from_generated` reports as `ResponseTooLarge`), so a hostile or broken server
/// cannot make the client buffer without end.
fn limit_body(response: reqwest::Response, limit: usize) -> reqwest::Response {
    // hyper never reads past a Content-Length: a body that announces a length within the
    // limit needs no wrapper (and the hot path keeps its allocations down).
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

/// Everything but the characters that mean the same raw or encoded in a path segment
/// (RFC 3986 unreserved, plus `@` and `+`, which Medusa's live captures show it reads raw).
/// Tabs and newlines are encoded too: URL parsing would silently drop them.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@')
    .remove(b'+');

/// Puts `segment` in place of the URL's last path segment, percent-encoded as one segment.
/// `auth::Exists` sends a placeholder through the generated method and lands here, because
/// progenitor's own encoding leaves `\` and control characters to URL parsing, which turns
/// `\` into `/` and drops tabs and newlines.
fn replace_last_segment(url: &mut reqwest::Url, segment: &str) {
    let path = url.path();
    let prefix = &path[..path.rfind('/').unwrap_or(0)];
    let path = format!("{prefix}/{}", utf8_percent_encode(segment, SEGMENT));
    url.set_path(&path);
}
