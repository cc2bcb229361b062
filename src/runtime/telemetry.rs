//! Tracing, behind the `tracing` feature: one span per call (`medusa_store_auth.call`) with
//! the operation, method and path template, then its attempts, final status and duration;
//! an event per attempt and per retry, each a child of the call's span. Never a header
//! value, a body or the email: the path is the template (`/store/auth/{email}`). Silent
//! unless the application installs a subscriber; without the feature [`CallSpan`] is empty
//! and every method a no-op.
//!
//! The span travels in the call's plan and the crate's events name it as their parent; each
//! HTTP exchange runs inside it, so reqwest's and hyper's own events nest under the call.

use std::future::Future;
use std::time::{Duration, Instant};

/// The span of one call.
#[derive(Clone)]
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    #[cfg(feature = "tracing")]
    pub(crate) fn new(operation: &'static str, method: &'static str, path: &'static str) -> Self {
        let span = tracing::info_span!(
            "medusa_store_auth.call",
            operation,
            method,
            path,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        Self { span }
    }

    #[cfg(not(feature = "tracing"))]
    pub(crate) fn new(_: &'static str, _: &'static str, _: &'static str) -> Self {
        Self {}
    }

    /// Runs `future` inside the span, if anyone listens (entering a span costs otherwise).
    #[cfg(feature = "tracing")]
    pub(crate) async fn instrument<F: Future>(&self, future: F) -> F::Output {
        match self.span.is_disabled() {
            true => future.await,
            false => tracing::Instrument::instrument(future, self.span.clone()).await,
        }
    }

    #[cfg(not(feature = "tracing"))]
    pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }

    /// When the call started, if anyone listens (reading the clock costs otherwise).
    pub(crate) fn start(&self) -> Option<Instant> {
        #[cfg(feature = "tracing")]
        if !self.span.is_disabled() {
            return Some(Instant::now());
        }
        None
    }

    /// One attempt, started at `started` (from [`start`](Self::start)), ended with `status`
    /// (or no response).
    pub(crate) fn attempt(&self, attempt: u32, status: Option<u16>, started: Option<Instant>) {
        #[cfg(feature = "tracing")]
        if let Some(started) = started {
            let elapsed = started.elapsed();
            self.span.record("attempts", attempt);
            if let Some(status) = status {
                self.span.record("status", status);
            }
            tracing::debug!(
                parent: &self.span,
                attempt,
                status,
                elapsed_ms = elapsed.as_millis() as u64,
                "attempt finished"
            );
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, status, started);
    }

    /// Attempt `attempt` will be followed by another after `wait`.
    pub(crate) fn retrying(&self, attempt: u32, wait: Duration) {
        #[cfg(feature = "tracing")]
        tracing::info!(
            parent: &self.span,
            attempt,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, wait);
    }

    /// The call that started at `started` is over.
    pub(crate) fn finished(&self, started: Option<Instant>) {
        #[cfg(feature = "tracing")]
        if let Some(started) = started {
            self.span
                .record("duration_ms", started.elapsed().as_millis() as u64);
        }
        #[cfg(not(feature = "tracing"))]
        let _ = started;
    }
}
