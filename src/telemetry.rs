//! Tracing, behind the `tracing` feature: one span per call (`medusa_store_auth.call`) with
//! the operation, method and path template, then its attempts, final status and duration;
//! an event per attempt and per retry. Never a header value, a body or the email: the path
//! is the template (`/store/auth/{email}`). Silent unless the application installs a
//! subscriber; without the feature every function here is a no-op.

use std::future::Future;
use std::time::Duration;

#[cfg(feature = "tracing")]
pub(crate) fn instrument<F: Future>(
    future: F,
    operation: &'static str,
    method: &'static str,
    path: &'static str,
) -> impl Future<Output = F::Output> {
    use tracing::Instrument;
    let span = tracing::info_span!(
        "medusa_store_auth.call",
        operation,
        method,
        path,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    future.instrument(span)
}

#[cfg(not(feature = "tracing"))]
pub(crate) fn instrument<F: Future>(
    future: F,
    _operation: &'static str,
    _method: &'static str,
    _path: &'static str,
) -> F {
    future
}

/// One attempt ended with `status` (or no response) after `elapsed`.
pub(crate) fn attempt(attempt: u32, status: Option<u16>, elapsed: Duration) {
    #[cfg(feature = "tracing")]
    {
        let span = tracing::Span::current();
        span.record("attempts", attempt);
        if let Some(status) = status {
            span.record("status", status);
        }
        tracing::debug!(
            attempt,
            status,
            elapsed_ms = elapsed.as_millis() as u64,
            "attempt finished"
        );
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (attempt, status, elapsed);
}

/// Attempt `attempt` will be followed by another after `wait`.
pub(crate) fn retrying(attempt: u32, wait: Duration) {
    #[cfg(feature = "tracing")]
    tracing::info!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
    #[cfg(not(feature = "tracing"))]
    let _ = (attempt, wait);
}

/// The call ended after `elapsed`.
pub(crate) fn finished(elapsed: Duration) {
    #[cfg(feature = "tracing")]
    tracing::Span::current().record("duration_ms", elapsed.as_millis() as u64);
    #[cfg(not(feature = "tracing"))]
    let _ = elapsed;
}
