//! What the generated client carries into the hooks: the client's shared state and this
//! call's options. A call runs on a clone of the generated client whose `inner` is a fresh
//! [`CallContext`], so per-call headers cannot reach any other call.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::{StatusCode, Url};

use crate::headers;
use crate::retry::RetryPolicy;
use crate::session::Session;

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
    /// What the `exec` hook saw of the last response: progenitor drops it when a body
    /// fails to decode.
    last_response: Mutex<Option<ResponseHead>>,
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
            last_response: Mutex::new(None),
        }
    }

    /// The retry policy of this call: the client's, with the call's retry budget if set.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        let policy = self.shared.retry.clone();
        match self.call.max_retries {
            Some(retries) => policy.with_max_retries(retries),
            None => policy,
        }
    }

    pub(crate) fn record_response(&self, response: &reqwest::Response) {
        let head = ResponseHead {
            status: response.status(),
            content_type: response.headers().get(CONTENT_TYPE).cloned(),
        };
        *self
            .last_response
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(head);
    }

    pub(crate) fn last_response(&self) -> Option<ResponseHead> {
        self.last_response
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Clone for CallContext {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            call: self.call.clone(),
            deadline: self.deadline,
            last_response: Mutex::new(self.last_response()),
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
