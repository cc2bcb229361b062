//! When a call is tried again, and how long the client waits first.
//!
//! Retried: connection failures and timeouts, and the statuses that say "try again":
//! 408, 409 (Medusa's transaction conflicts, whose message asks for a retry with the same
//! `Idempotency-Key`), 429, 502, 503 and 504. Never retried: other 4xx (400, 401, 404, 422:
//! the same request fails the same way) and 500, which Medusa answers for every
//! non-Medusa error, including ones that cannot heal such as a malformed percent-escape
//! (medusa-js does not retry it either).

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;

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

    /// The backoff before each retry, `max_retries` of them.
    pub(crate) fn backoffs(&self) -> impl Iterator<Item = Duration> + Send {
        let cap = self.max_backoff;
        ExponentialBuilder::new()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(cap)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(self.max_retries as usize)
            .build()
            .map(move |delay| delay.min(cap))
    }
}

/// The retries of one call: after each attempt, whether to try again and after how long.
/// Made only once an attempt asks for a retry (most calls never need one).
pub(crate) struct Retries {
    policy: RetryPolicy,
    backoffs: Box<dyn Iterator<Item = Duration> + Send>,
}

impl Retries {
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        let backoffs = Box::new(policy.backoffs());
        Self { policy, backoffs }
    }

    /// The wait before trying again after attempt number `attempt` ended with `verdict`, or
    /// `None` to return its outcome: not worth retrying, the budget is spent, the server
    /// asks for a longer wait than the policy allows, or the wait would pass `deadline`.
    pub(crate) fn wait_after(
        &mut self,
        attempt: u32,
        verdict: Verdict,
        deadline: Instant,
    ) -> Option<Duration> {
        let Verdict::Retry { retry_after } = verdict else {
            return None;
        };
        if attempt > self.policy.max_retries {
            return None;
        }
        let backoff = self.backoffs.next()?;
        let wait = match retry_after {
            // Longer than the policy allows: give the caller the answer now.
            Some(wait) if wait > self.policy.max_retry_after => return None,
            Some(wait) => wait,
            None => backoff,
        };
        (Instant::now() + wait < deadline).then_some(wait)
    }
}

/// What the outcome of one attempt says about trying again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Done: a success, or an error that will not heal.
    #[default]
    Final,
    /// Worth another attempt; the server may have said when.
    Retry { retry_after: Option<Duration> },
}

pub(crate) fn verdict(result: &reqwest::Result<reqwest::Response>) -> Verdict {
    match result {
        // No response: the request may not have reached the server, or it never answered.
        Err(e) if e.is_connect() || e.is_timeout() || e.is_request() => {
            Verdict::Retry { retry_after: None }
        }
        Err(_) => Verdict::Final,
        Ok(response) if is_retryable_status(response.status()) => Verdict::Retry {
            retry_after: retry_after(response.headers()),
        },
        Ok(_) => Verdict::Final,
    }
}

pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 502 | 503 | 504)
}

/// `Retry-After` as delay-seconds or an HTTP date; a date in the past means now.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
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

    #[test]
    fn backoffs_grow_stay_under_the_cap_and_stop_at_the_budget() {
        let policy = RetryPolicy::default()
            .with_max_retries(6)
            .with_max_backoff(Duration::from_secs(3));
        for _ in 0..100 {
            let waits: Vec<Duration> = policy.backoffs().collect();
            assert_eq!(waits.len(), 6);
            assert!(
                waits[0] >= Duration::from_millis(500) && waits[0] < Duration::from_secs(1),
                "{waits:?}"
            );
            assert!(waits[1] >= Duration::from_secs(1), "{waits:?}");
            assert!(
                waits.iter().all(|w| *w <= Duration::from_secs(3)),
                "{waits:?}"
            );
        }
        assert_eq!(RetryPolicy::none().backoffs().count(), 0);
    }

    #[test]
    fn the_default_waits_half_a_second_then_one_jittered_up_to_double() {
        for _ in 0..100 {
            let waits: Vec<Duration> = RetryPolicy::default().backoffs().collect();
            let [first, second] = waits[..] else {
                panic!("{waits:?}")
            };
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
            assert!(second >= Duration::from_secs(1) && second <= Duration::from_secs(2));
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        headers.insert(RETRY_AFTER, later.parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn statuses_that_are_retried() {
        let retried: Vec<u16> = (100..600)
            .filter(|s| is_retryable_status(StatusCode::from_u16(*s).unwrap()))
            .collect();
        assert_eq!(retried, [408, 409, 429, 502, 503, 504]);
    }
}
