//! What the generated client carries into the hooks: the client's shared state and this
//! call's options. A call runs on a clone of the generated client whose `inner` is a fresh
//! [`CallContext`], so per-call headers cannot reach any other call.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::{StatusCode, Url};

use crate::headers;
use crate::retry::{RetryPolicy, Verdict};
use crate::session::Session;
use crate::telemetry::CallSpan;

/// State shared by every clone of one [`AuthClient`](crate::AuthClient).
pub(crate) struct Shared {
    /// Normalised: no trailing slash; the generated code appends `/store/auth...`.
    pub(crate) base_url: String,
    /// The same, parsed: cookies are stored and read for this URL.
    pub(crate) base: Url,
    pub(crate) http: reqwest::Client,
    /// Client defaults, `x-publishable-api-key` included.
    pub(crate) default_headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) session: Session,
}

/// Options of one call (opaque outside the crate).
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) headers: HeaderMap,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    /// Replaces the last path segment, encoded by the crate (see `auth::Exists`).
    pub(crate) last_segment: Option<String>,
    pub(crate) span: CallSpan,
    /// The call layer (`auth::Prepared::run`) runs this call: it holds the deadline around
    /// the whole call, keeps one Idempotency-Key for it, and takes the response headers from
    /// the `exec` hook. Otherwise (`AuthClient::raw`, which may be kept and reused) each
    /// method call carries the whole timeout as reqwest's and a key of its own, and
    /// responses keep their headers.
    pub(crate) in_call_layer: bool,
}

/// The generated client's inner value: the client's state plus one call's options.
///
/// It is reachable only through [`AuthClient::raw`](crate::AuthClient::raw) and has no
/// public API of its own.
pub struct CallContext {
    pub(crate) shared: Arc<Shared>,
    pub(crate) call: CallOptions,
    /// When the call must be over, retries and backoff included.
    pub(crate) deadline: Instant,
    /// The `Idempotency-Key` the `pre` hook made for this call, sent again on its retries.
    pub(crate) idempotency_key: OnceLock<[u8; 36]>,
    /// What the `exec` hook saw of the last attempt: progenitor drops the response when a
    /// body fails to decode, and the retry loop (`auth::Prepared::run`) reads the verdict.
    last_attempt: Mutex<Attempt>,
}

/// The last attempt of a call, as the `exec` hook saw it.
#[derive(Debug, Default)]
pub(crate) struct Attempt {
    /// 1 for the first attempt.
    pub(crate) number: u32,
    /// `None` when no response arrived.
    pub(crate) status: Option<StatusCode>,
    pub(crate) verdict: Verdict,
    /// The headers of the response, taken off it by the `exec` hook for the call layer:
    /// progenitor would clone them into every `ResponseValue` (two allocations and a copy
    /// of each header per call) where only `send_with_response` shows them. Empty for the
    /// generated client alone (`AuthClient::raw`), whose responses keep their headers.
    pub(crate) headers: HeaderMap,
}

impl Attempt {
    fn without_headers(&self) -> Self {
        Self {
            number: self.number,
            status: self.status,
            verdict: self.verdict,
            headers: HeaderMap::new(),
        }
    }
}

/// The status and content type of a response.
#[derive(Clone, Debug)]
pub(crate) struct ResponseHead {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<HeaderValue>,
}

impl CallContext {
    pub(crate) fn new(shared: Arc<Shared>, call: CallOptions) -> Self {
        let deadline = Instant::now() + call.timeout.unwrap_or(shared.timeout);
        Self {
            shared,
            call,
            deadline,
            idempotency_key: OnceLock::new(),
            last_attempt: Mutex::default(),
        }
    }

    /// How long the call may take.
    pub(crate) fn timeout(&self) -> Duration {
        self.call.timeout.unwrap_or(self.shared.timeout)
    }

    /// The retry policy of this call: the client's, with the call's retry budget if set.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        let policy = self.shared.retry.clone();
        match self.call.max_retries {
            Some(retries) => policy.with_max_retries(retries),
            None => policy,
        }
    }

    /// Records an attempt's outcome; returns its number. For the call layer it also takes
    /// the response's headers off it and keeps them (see [`Attempt::headers`]). One lock
    /// per attempt.
    pub(crate) fn record_attempt(&self, result: &mut reqwest::Result<reqwest::Response>) -> u32 {
        let verdict = crate::retry::verdict(result);
        let (status, headers) = match result {
            Ok(response) if self.call.in_call_layer => (
                Some(response.status()),
                std::mem::take(response.headers_mut()),
            ),
            Ok(response) => (Some(response.status()), HeaderMap::new()),
            Err(_) => (None, HeaderMap::new()),
        };
        let mut last = self.lock_attempt();
        last.number += 1;
        last.status = status;
        last.verdict = verdict;
        last.headers = headers;
        last.number
    }

    /// The number of the last attempt and what it says about trying again.
    pub(crate) fn last_verdict(&self) -> (u32, Verdict) {
        let last = self.lock_attempt();
        (last.number, last.verdict)
    }

    /// The status and content type of the last response, for errors: read here rather than
    /// recorded on every attempt, since a successful call never asks.
    pub(crate) fn last_response(&self) -> Option<ResponseHead> {
        let last = self.lock_attempt();
        Some(ResponseHead {
            status: last.status?,
            content_type: last.headers.get(CONTENT_TYPE).cloned(),
        })
    }

    /// The headers of the last response, for `send_with_response`.
    pub(crate) fn take_response_headers(&self) -> HeaderMap {
        std::mem::take(&mut self.lock_attempt().headers)
    }

    fn lock_attempt(&self) -> std::sync::MutexGuard<'_, Attempt> {
        self.last_attempt
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clone for CallContext {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            call: self.call.clone(),
            deadline: self.deadline,
            idempotency_key: self.idempotency_key.clone(),
            last_attempt: Mutex::new(self.lock_attempt().without_headers()),
        }
    }
}

impl fmt::Debug for CallContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: header values can be credentials.
        f.debug_struct("CallContext")
            .field("base_url", &self.shared.base_url)
            .field(
                "default_header_names",
                &headers::names(&self.shared.default_headers),
            )
            .field("call_header_names", &headers::names(&self.call.headers))
            .field("timeout", &self.call.timeout.unwrap_or(self.shared.timeout))
            .field("retry", &self.retry_policy())
            .finish_non_exhaustive()
    }
}
