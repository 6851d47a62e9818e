//! An opt-in client-side limiter that spaces calls of each endpoint to its
//! documented quota, so a busy bot waits on its own side instead of meeting
//! the server's 429s (see `ClientBuilder::respect_rate_limits`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::endpoint::EndpointInfo;

/// Spaces calls per endpoint id: at most one start per interval.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    next_start: Mutex<HashMap<&'static str, Instant>>,
}

/// The documented spacing between calls of `endpoint`, if the doc gives a
/// quota: per second when given, else per minute.
pub(crate) fn interval(endpoint: &EndpointInfo) -> Option<Duration> {
    let limit = endpoint.rate_limit?;
    match (limit.per_second, limit.per_minute) {
        (Some(per_second), _) if per_second > 0 => Some(Duration::from_secs(1) / per_second),
        (_, Some(per_minute)) if per_minute > 0 => Some(Duration::from_secs(60) / per_minute),
        _ => None,
    }
}

impl RateLimiter {
    /// Waits for this call's slot: the first call of an endpoint goes at
    /// once, each later one an interval after the one before it.
    pub async fn wait(&self, endpoint: &'static EndpointInfo) {
        let Some(interval) = interval(endpoint) else {
            return;
        };
        let slot = {
            let mut next_start = self
                .next_start
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            let next = next_start.entry(endpoint.id).or_insert(now);
            let slot = (*next).max(now);
            *next = slot + interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Method, RateLimit};

    static FIFTY_PER_SECOND: EndpointInfo = EndpointInfo {
        id: "im.v1.chat.create",
        method: Method::Post,
        path: "/open-apis/im/v1/chats",
        access_tokens: &[],
        idempotency_key: Some("uuid"),
        rate_limit: Some(RateLimit {
            per_minute: Some(1000),
            per_second: Some(50),
        }),
        rate_limited_codes: &[],
    };

    static PER_MINUTE_ONLY: EndpointInfo = EndpointInfo {
        id: "other",
        rate_limit: Some(RateLimit {
            per_minute: Some(600),
            per_second: None,
        }),
        ..FIFTY_PER_SECOND
    };

    static UNLIMITED: EndpointInfo = EndpointInfo {
        id: "unlimited",
        rate_limit: None,
        ..FIFTY_PER_SECOND
    };

    #[test]
    fn intervals_follow_the_documented_quota() {
        assert_eq!(interval(&FIFTY_PER_SECOND), Some(Duration::from_millis(20)));
        assert_eq!(interval(&PER_MINUTE_ONLY), Some(Duration::from_millis(100)));
        assert_eq!(interval(&UNLIMITED), None);
    }

    // Paused time: the limiter's sleeps advance a virtual clock, so the
    // figures are exact whatever the machine's load.
    #[tokio::test(start_paused = true)]
    async fn concurrent_calls_start_fifty_per_second() {
        let limiter = std::sync::Arc::new(RateLimiter::default());
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move {
                limiter.wait(&FIFTY_PER_SECOND).await;
                Instant::now() - start
            }));
        }
        let mut starts = Vec::new();
        for task in tasks {
            starts.push(task.await.unwrap());
        }
        starts.sort();
        // 200 calls at 50/s: the last starts 199 intervals after the first.
        assert_eq!(starts[0], Duration::ZERO);
        assert_eq!(starts[199], Duration::from_millis(20) * 199);
        // No one-second window holds more than 50 starts.
        for (i, first) in starts.iter().enumerate() {
            let in_window = starts[i..]
                .iter()
                .take_while(|at| **at < *first + Duration::from_secs(1))
                .count();
            assert!(in_window <= 50, "{in_window} starts within a second");
        }
        // Another endpoint has its own spacing; one without a quota waits not.
        let before = Instant::now();
        limiter.wait(&PER_MINUTE_ONLY).await;
        limiter.wait(&UNLIMITED).await;
        assert_eq!(Instant::now(), before);
    }
}
