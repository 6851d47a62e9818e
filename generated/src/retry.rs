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
}

/// Reads Feishu's `x-ogw-ratelimit-reset` header: whole seconds until the
/// quota window resets.
pub(crate) fn server_reset(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = headers.get("x-ogw-ratelimit-reset")?.to_str().ok()?;
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
    fn reads_reset_header() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(server_reset(&headers), None);
        headers.insert("x-ogw-ratelimit-reset", "3".parse().unwrap());
        assert_eq!(server_reset(&headers), Some(Duration::from_secs(3)));
        headers.insert("x-ogw-ratelimit-reset", "soon".parse().unwrap());
        assert_eq!(server_reset(&headers), None);
    }
}
