//! An opt-in client-side limiter that keeps the calls of each endpoint
//! within every quota its doc states, so a busy bot waits on its own side
//! instead of meeting the server's 429s (see `ClientBuilder::respect_rate_limits`).
//!
//! Each documented quota is a window: at most `limit` calls starting in any
//! span of `length`. The shortest one (per second, when given) is kept as
//! even spacing, 50/s as one call every 20 ms, so calls never go in bursts.
//! Each longer one (per minute) is a sliding log of its last `limit` starts:
//! a call may start once the oldest of them is a whole window back. That is
//! exact whatever the alignment of the server's windows: the 1,001st create
//! of a minute goes when the first leaves the minute, not before. A GCRA per
//! window keeps no log but is not exact: it admits a minute's quota at once
//! and then one more call every 60 ms, up to `2 * limit - 1` in a minute.
//! A log holds one instant per call of the last window, at most `limit`
//! (16 KB for 1,000/min).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::endpoint::{EndpointInfo, RateLimit};

/// The quotas of every endpoint called so far, keyed by endpoint id. One per
/// client, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    quotas: Mutex<HashMap<&'static str, Vec<Window>>>,
}

/// No slot of the endpoint's quota starts before the call's deadline; none
/// was taken.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PastDeadline;

/// At most `limit` starts in any span of `length`.
#[derive(Debug)]
struct Window {
    limit: usize,
    length: Duration,
    /// The latest starts granted, oldest first; never more than `limit`.
    starts: VecDeque<Instant>,
}

impl Window {
    fn new(limit: usize, length: Duration) -> Self {
        Self {
            limit,
            length,
            starts: VecDeque::new(),
        }
    }

    /// The earliest instant this window lets another call start: once its
    /// oldest start is a whole window back, if it is full.
    fn free_at(&self) -> Option<Instant> {
        let oldest = self.starts.front()?;
        (self.starts.len() >= self.limit).then(|| *oldest + self.length)
    }

    fn record(&mut self, start: Instant) {
        // Starts a whole window back constrain no later start: dropping them
        // frees the memory of an endpoint no longer called.
        while self
            .starts
            .front()
            .is_some_and(|oldest| *oldest + self.length <= start)
        {
            self.starts.pop_front();
        }
        if self.starts.len() == self.limit {
            self.starts.pop_front();
        }
        self.starts.push_back(start);
    }
}

/// The windows of a documented quota: the shortest as spacing, the longer
/// ones as logs. Empty for a quota with no positive figure.
fn windows(quota: RateLimit) -> Vec<Window> {
    let mut documented = [
        (quota.per_second, Duration::from_secs(1)),
        (quota.per_minute, Duration::from_secs(60)),
    ]
    .into_iter()
    .filter_map(|(limit, length)| Some((limit.filter(|limit| *limit > 0)?, length)));
    let mut windows = Vec::new();
    if let Some((limit, length)) = documented.next() {
        // Rounded up: 3/s spaced 333,333,333 ns apart would fit a fourth
        // call into a second.
        let mut spacing = length / limit;
        if spacing * limit < length {
            spacing += Duration::from_nanos(1);
        }
        windows.push(Window::new(1, spacing));
    }
    for (limit, length) in documented {
        windows.push(Window::new(limit as usize, length));
    }
    windows
}

/// Takes the earliest start at or after `now` that every window allows, and
/// never before a start already granted (first come, first served), unless
/// it would be at or past `deadline`.
fn reserve(
    windows: &mut [Window],
    now: Instant,
    deadline: Option<Instant>,
) -> Result<Instant, PastDeadline> {
    let mut start = now;
    for window in windows.iter() {
        if let Some(latest) = window.starts.back() {
            start = start.max(*latest);
        }
        if let Some(free) = window.free_at() {
            start = start.max(free);
        }
    }
    if deadline.is_some_and(|deadline| start >= deadline) {
        return Err(PastDeadline);
    }
    for window in windows.iter_mut() {
        window.record(start);
    }
    Ok(start)
}

impl RateLimiter {
    /// Waits for this call's slot in every window of the endpoint's quota.
    /// When the slot would come at or after `deadline`, returns at once
    /// without taking it. A caller that stops waiting (its future dropped)
    /// leaves its slot taken: the limiter errs on the side of the quota.
    pub async fn wait(
        &self,
        endpoint: &'static EndpointInfo,
        deadline: Option<Instant>,
    ) -> Result<(), PastDeadline> {
        let Some(quota) = endpoint.rate_limit else {
            return Ok(());
        };
        let slot = {
            let mut quotas = self
                .quotas
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let windows = quotas.entry(endpoint.id).or_insert_with(|| windows(quota));
            reserve(windows, Instant::now(), deadline)?
        };
        let wait = slot.saturating_duration_since(Instant::now());
        if !wait.is_zero() {
            tracing::debug!(?wait, "waiting for the endpoint's quota");
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Method;

    const ZERO: Duration = Duration::ZERO;
    const MS: Duration = Duration::from_millis(1);
    const SECOND: Duration = Duration::from_secs(1);
    const MINUTE: Duration = Duration::from_secs(60);

    static CREATE_CHAT: EndpointInfo = EndpointInfo {
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
        ..CREATE_CHAT
    };

    static UNLIMITED: EndpointInfo = EndpointInfo {
        id: "unlimited",
        rate_limit: None,
        ..CREATE_CHAT
    };

    fn quota(per_second: Option<u32>, per_minute: Option<u32>) -> RateLimit {
        RateLimit {
            per_minute,
            per_second,
        }
    }

    /// Create chat's windows: 50 per second, 1,000 per minute.
    fn create_chat_windows() -> Vec<Window> {
        windows(quota(Some(50), Some(1000)))
    }

    fn shape(windows: &[Window]) -> Vec<(usize, Duration)> {
        windows.iter().map(|w| (w.limit, w.length)).collect()
    }

    /// Reserves `count` starts at `now`, as that many calls arriving at once.
    fn reserve_many(windows: &mut [Window], now: Instant, count: usize) -> Vec<Duration> {
        (0..count)
            .map(|_| reserve(windows, now, None).unwrap() - now)
            .collect()
    }

    #[test]
    fn every_documented_window_is_kept() {
        // Per second as spacing, per minute as a log of 1,000.
        assert_eq!(
            shape(&windows(quota(Some(50), Some(1000)))),
            [(1, 20 * MS), (1000, MINUTE)]
        );
        // Only per minute: spacing at that rate, as the old limiter did.
        assert_eq!(shape(&windows(quota(None, Some(600)))), [(1, 100 * MS)]);
        assert_eq!(
            shape(&windows(quota(Some(3), None))),
            [(1, Duration::from_nanos(333_333_334))]
        );
        // A zero is no quota, not a ban.
        assert_eq!(shape(&windows(quota(Some(0), Some(0)))), []);
        assert_eq!(shape(&windows(quota(Some(0), Some(1000)))), [(1, 60 * MS)]);
    }

    #[test]
    fn the_minute_log_is_exact_at_its_boundary() {
        let mut windows = create_chat_windows();
        let t0 = Instant::now();
        let starts = reserve_many(&mut windows, t0, 1002);
        // 1,000 starts 20 ms apart: the last at 19.98 s.
        for (i, start) in starts[..1000].iter().enumerate() {
            assert_eq!(*start, 20 * MS * i as u32, "start {i}");
        }
        // The 1,001st waits until the first is a minute back, to the
        // nanosecond; the 1,002nd until the second is.
        assert_eq!(starts[1000], MINUTE);
        assert_eq!(starts[1001], MINUTE + 20 * MS);
        // No minute-long span holds more than 1,000 starts.
        for (i, first) in starts.iter().enumerate() {
            let in_minute = starts[i..]
                .iter()
                .take_while(|at| **at < *first + MINUTE)
                .count();
            assert!(in_minute <= 1000, "{in_minute} starts within a minute");
        }
    }

    #[test]
    fn a_log_allows_bursts_up_to_its_limit() {
        // Three per second as a log (the shape of a longer window).
        let mut windows = vec![Window::new(3, SECOND)];
        let t0 = Instant::now();
        assert_eq!(
            reserve_many(&mut windows, t0, 7),
            [ZERO, ZERO, ZERO, SECOND, SECOND, SECOND, 2 * SECOND]
        );
        // Time passing frees the slots of starts a window back, no more.
        let mut windows = vec![Window::new(3, SECOND)];
        assert_eq!(reserve_many(&mut windows, t0, 2), [ZERO, ZERO]);
        let later = t0 + 600 * MS;
        assert_eq!(reserve_many(&mut windows, later, 1), [ZERO]);
        let mut at = |d: Duration| reserve(&mut windows, t0 + d, None).unwrap() - t0;
        assert_eq!(at(700 * MS), SECOND);
        assert_eq!(at(1500 * MS), 1500 * MS);
        // Long idle: the log empties and a burst fits again.
        assert_eq!(at(10 * SECOND), 10 * SECOND);
        assert_eq!(at(10 * SECOND), 10 * SECOND);
        assert_eq!(at(10 * SECOND), 10 * SECOND);
        assert_eq!(windows[0].starts.len(), 3);
    }

    #[test]
    fn starts_are_granted_in_order_of_asking() {
        // A start granted in the future is never overtaken by a later
        // request, even where the log alone would let it in.
        let mut windows = vec![Window::new(2, SECOND)];
        let t0 = Instant::now();
        assert_eq!(reserve_many(&mut windows, t0, 3), [ZERO, ZERO, SECOND]);
        // Asked at 0.5 s. The log, pruned when the start at 1 s was
        // granted, would let it in at once: three starts in the first
        // second. It goes after the start granted before it.
        assert_eq!(
            reserve(&mut windows, t0 + 500 * MS, None).unwrap() - t0,
            SECOND
        );
        assert_eq!(
            reserve(&mut windows, t0 + 500 * MS, None).unwrap() - t0,
            2 * SECOND
        );
    }

    #[test]
    fn a_slot_at_or_past_the_deadline_is_not_taken() {
        let mut windows = create_chat_windows();
        let t0 = Instant::now();
        reserve_many(&mut windows, t0, 1000);
        // The next slot is at 60 s.
        assert_eq!(
            reserve(&mut windows, t0, Some(t0 + MINUTE)),
            Err(PastDeadline)
        );
        assert_eq!(
            reserve(&mut windows, t0, Some(t0 + 30 * SECOND)),
            Err(PastDeadline)
        );
        // Refusals took nothing: the slot is still the one at 60 s.
        assert_eq!(
            reserve(&mut windows, t0, Some(t0 + MINUTE + MS)),
            Ok(t0 + MINUTE)
        );
        // A deadline already reached refuses even a free slot.
        let mut free = create_chat_windows();
        assert_eq!(reserve(&mut free, t0, Some(t0)), Err(PastDeadline));
        assert_eq!(reserve(&mut free, t0, Some(t0 + MS)), Ok(t0));
    }

    // Paused time: the limiter's sleeps advance a virtual clock, so the
    // figures are exact whatever the machine's load.
    #[tokio::test(start_paused = true)]
    async fn concurrent_calls_keep_to_both_windows() {
        let limiter = std::sync::Arc::new(RateLimiter::default());
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..1001 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move {
                limiter.wait(&CREATE_CHAT, None).await.unwrap();
                Instant::now() - start
            }));
        }
        let mut starts = Vec::new();
        for task in tasks {
            starts.push(task.await.unwrap());
        }
        starts.sort();
        // 1,000 calls at 50/s: the 1,000th starts 999 intervals after the
        // first; the 1,001st when the first leaves the minute.
        assert_eq!(starts[0], Duration::ZERO);
        assert_eq!(starts[999], 20 * MS * 999);
        assert_eq!(starts[1000], MINUTE);
        // No one-second window holds more than 50 starts.
        for (i, first) in starts.iter().enumerate() {
            let in_window = starts[i..]
                .iter()
                .take_while(|at| **at < *first + SECOND)
                .count();
            assert!(in_window <= 50, "{in_window} starts within a second");
        }
        // Another endpoint has its own quota; one without a quota waits not.
        let before = Instant::now();
        limiter.wait(&PER_MINUTE_ONLY, None).await.unwrap();
        limiter.wait(&UNLIMITED, None).await.unwrap();
        assert_eq!(Instant::now(), before);
    }
}
