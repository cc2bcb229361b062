//! When a call is tried again, and how long the client waits first.
//!
//! Retried: connection failures and timeouts, and the statuses that say "try again":
//! 408, 409 (Medusa's transaction conflicts, whose message asks for a retry with the same
//! `Idempotency-Key`), 429, 502, 503 and 504. Never retried: other 4xx (400, 401, 404, 422:
//! the same request fails the same way) and 500, which Medusa answers for every
//! non-Medusa error, including ones that cannot heal such as a malformed percent-escape
//! (medusa-js does not retry it either).

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::HeaderValue;
use reqwest::StatusCode;
use tokio::time::Instant;

/// Retries with exponential backoff and jitter, honouring `Retry-After`.
///
/// The default: 2 retries (3 attempts), backoff from 0.5 s doubling up to 8 s with up to
/// +100 % jitter (capped at the maximum), `Retry-After` honoured up to 60 s. A longer
/// `Retry-After` is not waited for: the call returns the error at once. Every wait also
/// stays within the call's timeout, which bounds the whole call, retries included.
///
/// ```
/// use std::time::Duration;
/// use medusa_store_auth::{Config, RetryPolicy};
///
/// let config = Config::new().with_retry_policy(
///     RetryPolicy::default().with_max_retries(4).with_max_backoff(Duration::from_secs(2)),
/// );
/// let no_retries = Config::new().with_retry_policy(RetryPolicy::none());
/// # let _ = (config, no_retries);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times a call may be tried again after its first attempt (default 2).
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff (default 0.5 s); each next one doubles.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff, jitter included (default 8 s).
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` the client waits for (default 60 s); a longer one ends the
    /// call with the error instead.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of retries allowed.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The backoffs of one call, `max_retries` of them (backon's exponential backoff with
    /// jitter).
    pub(crate) fn backoffs(&self) -> impl Iterator<Item = Duration> {
        ExponentialBuilder::new()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(self.max_retries as usize)
            .build()
    }

    /// The wait before the next attempt, or `None` to give the caller the error now: the
    /// budget is spent (`backoff` is `None`), the server asks for a longer wait than the
    /// policy allows, or the wait would end past `deadline`. The longer of the server's
    /// `Retry-After` and the backoff: a `Retry-After: 0` does not switch the backoff off.
    pub(crate) fn wait(
        &self,
        retry_after: Option<Duration>,
        backoff: Option<Duration>,
        deadline: Instant,
    ) -> Option<Duration> {
        // Jitter can take a backoff past the maximum; the maximum is a promise.
        let backoff = backoff?.min(self.max_backoff);
        let wait = match retry_after {
            Some(wait) if wait > self.max_retry_after => return None,
            Some(wait) => wait.max(backoff),
            None => backoff,
        };
        let ends = Instant::now().checked_add(wait)?;
        (ends < deadline).then_some(wait)
    }
}

/// The statuses that say "try again": 408, 409 (Medusa's transaction conflicts, whose
/// message asks for a retry with the same `Idempotency-Key`), 429, 502, 503 and 504.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 502 | 503 | 504)
}

/// A failure before any response that a new connection may not repeat: the connection was
/// refused, reset or closed under the request (a server restarting, a keep-alive connection
/// the server had just closed), or it timed out. Not TLS failures, malformed responses or
/// anything else that the same server will do again.
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    use std::io::ErrorKind::*;
    if error.is_timeout() {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | BrokenPipe
                    | UnexpectedEof
                    | TimedOut
            );
        }
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() || hyper.is_canceled() {
                return true;
            }
            if hyper.is_parse() || hyper.is_user() {
                return false;
            }
        }
        source = e.source();
    }
    false
}

/// `Retry-After` as delay-seconds or an HTTP date; a date in the past means now.
pub(crate) fn retry_after(value: &HeaderValue) -> Option<Duration> {
    let value = value.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The waits a call would make with no `Retry-After` and no deadline in sight.
    fn waits(policy: &RetryPolicy) -> Vec<Duration> {
        let far = Instant::now() + Duration::from_secs(3600);
        let mut backoff = policy.backoffs();
        std::iter::from_fn(|| policy.wait(None, backoff.next(), far)).collect()
    }

    #[test]
    fn backoffs_grow_stay_under_the_cap_and_stop_at_the_budget() {
        let policy = RetryPolicy::default()
            .with_max_retries(6)
            .with_max_backoff(Duration::from_secs(3));
        for _ in 0..100 {
            let waits = waits(&policy);
            assert_eq!(waits.len(), 6);
            assert!(
                waits[0] >= Duration::from_millis(500) && waits[0] <= Duration::from_secs(1),
                "{waits:?}"
            );
            assert!(waits[1] >= Duration::from_secs(1), "{waits:?}");
            assert!(
                waits.iter().all(|w| *w <= Duration::from_secs(3)),
                "{waits:?}"
            );
        }
        assert!(waits(&RetryPolicy::none()).is_empty());
    }

    #[test]
    fn the_default_waits_half_a_second_then_one_jittered_up_to_double() {
        for _ in 0..100 {
            let waits = waits(&RetryPolicy::default());
            let [first, second] = waits[..] else {
                panic!("{waits:?}")
            };
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
            assert!(second >= Duration::from_secs(1) && second <= Duration::from_secs(2));
        }
    }

    #[test]
    fn retry_after_is_a_floor_capped_by_the_policy_and_the_deadline() {
        let policy = RetryPolicy::default();
        let far = Instant::now() + Duration::from_secs(3600);
        let backoff = Some(Duration::from_millis(700));
        // `Retry-After: 0` keeps the backoff; a longer one wins.
        assert_eq!(policy.wait(Some(Duration::ZERO), backoff, far), backoff);
        assert_eq!(
            policy.wait(Some(Duration::from_secs(5)), backoff, far),
            Some(Duration::from_secs(5))
        );
        // Past the policy's cap, or past the deadline: the error now.
        assert_eq!(
            policy.wait(Some(Duration::from_secs(61)), backoff, far),
            None
        );
        let soon = Instant::now() + Duration::from_millis(500);
        assert_eq!(policy.wait(None, backoff, soon), None);
        // Durations that overflow an Instant saturate to "never" instead of panicking.
        let max = RetryPolicy::default()
            .with_max_backoff(Duration::MAX)
            .with_max_retry_after(Duration::MAX);
        assert_eq!(max.wait(Some(Duration::MAX), backoff, far), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let value = |s: &str| HeaderValue::from_str(s).unwrap();
        assert_eq!(retry_after(&value("7")), Some(Duration::from_secs(7)));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let wait = retry_after(&value(&later)).unwrap();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(
            retry_after(&value("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&value("soon")), None);
    }

    #[test]
    fn statuses_that_are_retried() {
        let retried: Vec<u16> = (100..600)
            .filter(|s| is_retryable_status(StatusCode::from_u16(*s).unwrap()))
            .collect();
        assert_eq!(retried, [408, 409, 429, 502, 503, 504]);
    }
}
