//! When a failed call is sent again, and how long to wait first.

use std::time::Duration;

/// How the client retries rate-limited and failed calls.
///
/// Rate limiting (HTTP 429, code 99991400, an endpoint's own rate-limit
/// codes) is always safe to retry: the server refused the call. Transport
/// errors, timeouts and 5xx answers are ambiguous (the server may have acted),
/// so they are retried only for idempotent methods and for calls carrying the
/// endpoint's idempotency key. Connection failures, where nothing was sent,
/// are retried for every call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// Wait before the first retry when the server gives no reset time;
    /// doubled for each further retry.
    pub base_delay: Duration,
    /// Longest wait before a retry, including waits the server asks for.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub const fn none() -> Self {
        Self {
            max_retries: 0,
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
        }
    }

    /// Whether retrying is on at all.
    pub const fn enabled(&self) -> bool {
        self.max_retries > 0
    }

    /// The wait before retry number `retry` (1 for the first), given the
    /// server's reset time if it sent one (`x-ogw-ratelimit-reset`).
    pub fn delay(&self, retry: u32, server_reset: Option<Duration>) -> Duration {
        let wanted = server_reset.unwrap_or_else(|| {
            let factor = 1u32
                .checked_shl(retry.saturating_sub(1))
                .unwrap_or(u32::MAX);
            self.base_delay.saturating_mul(factor)
        });
        wanted.min(self.max_delay)
    }

    /// The wait the client actually takes before retry number `retry`, or
    /// `None` to give up at once: when the server's reset lies beyond
    /// `max_delay`, retrying sooner would only meet another refusal.
    ///
    /// A server reset is waited exactly. A computed backoff is shortened by
    /// up to a fifth, by `unit` (a random number in `[0, 1)`), so that calls
    /// failing together do not all come back at the same instant.
    pub fn wait(&self, retry: u32, server_reset: Option<Duration>, unit: f64) -> Option<Duration> {
        if let Some(reset) = server_reset {
            return (reset <= self.max_delay).then_some(reset);
        }
        let backoff = self.delay(retry, None);
        let unit = if unit.is_finite() {
            unit.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Some(backoff.saturating_sub(backoff.mul_f64(unit / 5.0)))
    }
}

/// A random number in `[0, 1)` for [`RetryPolicy::wait`].
pub(crate) fn random_unit() -> f64 {
    // 53 random bits, the precision of an f64 in [0, 1).
    let bits = uuid::Uuid::new_v4().as_u128() >> 75;
    bits as f64 / (1u64 << 53) as f64
}

/// Reads Feishu's `x-ogw-ratelimit-reset` header (seconds until the quota
/// window resets) or, without it, a standard `Retry-After` given in seconds
/// (as a proxy in front of Feishu may send with a bare 429).
pub(crate) fn server_reset(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    seconds_header(headers, "x-ogw-ratelimit-reset")
        .or_else(|| seconds_header(headers, reqwest::header::RETRY_AFTER.as_str()))
}

fn seconds_header(headers: &reqwest::header::HeaderMap, name: &str) -> Option<Duration> {
    let text = headers.get(name)?.to_str().ok()?;
    let seconds: f64 = text.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_base_and_stops_at_max() {
        let policy = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
        };
        assert_eq!(policy.delay(1, None), Duration::from_millis(100));
        assert_eq!(policy.delay(2, None), Duration::from_millis(200));
        assert_eq!(policy.delay(3, None), Duration::from_millis(350));
        assert_eq!(policy.delay(40, None), Duration::from_millis(350));
    }

    #[test]
    fn server_reset_wins_but_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(600))),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn a_server_reset_is_waited_exactly_unless_past_max_delay() {
        let policy = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(3600),
            max_delay: Duration::from_secs(60),
        };
        for unit in [0.0, 0.5, 0.999] {
            assert_eq!(
                policy.wait(1, Some(Duration::ZERO), unit),
                Some(Duration::ZERO)
            );
            assert_eq!(
                policy.wait(2, Some(Duration::from_secs(7)), unit),
                Some(Duration::from_secs(7))
            );
            assert_eq!(policy.wait(1, Some(Duration::from_secs(61)), unit), None);
        }
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(60)), 0.3),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn backoff_jitter_stays_within_a_fifth_below_the_backoff() {
        let policy = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
        };
        assert_eq!(policy.wait(1, None, 0.0), Some(Duration::from_millis(100)));
        assert_eq!(policy.wait(2, None, 1.0), Some(Duration::from_millis(160)));
        assert_eq!(
            policy.wait(1, None, f64::NAN),
            Some(Duration::from_millis(100))
        );
        let mut seen = std::collections::HashSet::new();
        for retry in 1..=6 {
            let full = policy.delay(retry, None);
            for _ in 0..200 {
                let unit = random_unit();
                assert!((0.0..1.0).contains(&unit), "{unit}");
                let wait = policy.wait(retry, None, unit).unwrap();
                assert!(
                    wait <= full && wait >= full.mul_f64(0.8),
                    "{wait:?} vs {full:?}"
                );
                seen.insert(wait);
            }
        }
        // Random, not constant.
        assert!(seen.len() > 100, "{}", seen.len());
    }

    #[test]
    fn reads_retry_after_when_feishu_sends_no_reset() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("retry-after", "4".parse().unwrap());
        assert_eq!(server_reset(&headers), Some(Duration::from_secs(4)));
        headers.insert("x-ogw-ratelimit-reset", "2".parse().unwrap());
        assert_eq!(server_reset(&headers), Some(Duration::from_secs(2)));
        headers.remove("x-ogw-ratelimit-reset");
        // An HTTP date is not understood; the backoff applies instead.
        headers.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(server_reset(&headers), None);
    }

    #[test]
    fn reads_reset_header() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(server_reset(&headers), None);
        headers.insert("x-ogw-ratelimit-reset", "3".parse().unwrap());
        assert_eq!(server_reset(&headers), Some(Duration::from_secs(3)));
        headers.insert("x-ogw-ratelimit-reset", "soon".parse().unwrap());
        assert_eq!(server_reset(&headers), None);
    }
}
