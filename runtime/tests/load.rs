//! Load: 2,000 creates through 200 concurrent tasks against the fake, with
//! rate limits and 5xx injected. Every call ends in one outcome, no uuid
//! makes two chats, one token serves them all, and the opt-in limiter keeps
//! to the endpoint's documented quota.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use feishu_openapi::im::v1::chat::create::CreateChatBody;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{Client, RetryPolicy};

const CALLS: usize = 2_000;
const TASKS: usize = 200;

fn body(i: usize) -> CreateChatBody {
    CreateChatBody {
        name: Some(format!("load-{i}")),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_creates_through_two_hundred_tasks_with_faults() {
    let fake = FakeFeishu::start().await.unwrap();
    // 600 refusals and 5xx, interleaved: each is used by one request.
    let mut injected = 0;
    for i in 0..600 {
        fake.inject(match i % 6 {
            0 | 1 => Fault::RateLimited {
                reset_seconds: Some(0),
            },
            2 => Fault::RateLimited {
                reset_seconds: None,
            },
            3 => Fault::ChatRateLimited,
            4 => Fault::ServerError { status: 500 },
            _ => Fault::ServerError { status: 503 },
        });
        injected += 1;
    }
    // And ten answers slower than the client's timeout, after the chat was
    // made: the retry (same uuid) must get the same chat, not a second.
    for _ in 0..10 {
        fake.inject(Fault::Slow(Duration::from_secs(4)));
        injected += 1;
    }
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .timeout(Duration::from_secs(2))
        // Zero-wait retries keep the wall time small; many are allowed, as
        // a call may meet several of the faults in a row.
        .retry(RetryPolicy {
            max_retries: 30,
            base_delay: Duration::ZERO,
            max_delay: Duration::from_millis(1),
        })
        .build()
        .unwrap();

    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let client = client.clone();
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= CALLS {
                    return outcomes;
                }
                let result = client.im().v1().chat().create().body(body(i)).send().await;
                outcomes.push((i, result));
            }
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.unwrap());
    }

    // Exactly one outcome per call.
    assert_eq!(outcomes.len(), CALLS);
    let calls: HashSet<usize> = outcomes.iter().map(|(i, _)| *i).collect();
    assert_eq!(calls.len(), CALLS);
    let errors: Vec<_> = outcomes
        .iter()
        .filter_map(|(_, result)| result.as_ref().err())
        .collect();
    assert!(
        errors.is_empty(),
        "{} failed: {:?}",
        errors.len(),
        errors.first()
    );
    let chat_ids: HashSet<String> = outcomes
        .iter()
        .filter_map(|(_, result)| result.as_ref().ok()?.chat_id.clone())
        .collect();
    assert_eq!(chat_ids.len(), CALLS);

    // No duplicate chat for any uuid: one chat per call, one uuid per call.
    let requests = fake.api_requests();
    let uuids: HashSet<String> = requests
        .iter()
        .filter_map(|request| request.query_param("uuid"))
        .collect();
    assert_eq!(uuids.len(), CALLS);
    assert_eq!(fake.chats().len(), CALLS);
    // Every fault was met and retried: one request per call plus one per
    // fault (more only if a normal answer took longer than the timeout).
    assert!(requests.len() >= CALLS + injected, "{}", requests.len());
    // One token for the whole run (it does not expire during it).
    assert_eq!(fake.token_requests().len(), 1);
    eprintln!(
        "load: {CALLS} calls, {TASKS} tasks, {injected} faults, {} requests, {} ok, 0 errors, {} chats, {} token fetches",
        requests.len(),
        chat_ids.len(),
        fake.chats().len(),
        fake.token_requests().len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_opt_in_limiter_keeps_to_fifty_per_second() {
    // Create chat documents 50 calls a second. Only a lower bound on time
    // is asserted, which load cannot break: 30 calls need 29 intervals of
    // 20 ms at least. The exact spacing is tested on paused time in the
    // limiter's unit tests.
    let fake = FakeFeishu::start().await.unwrap();
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .respect_rate_limits(true)
        .build()
        .unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..30 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.im().v1().chat().create().body(body(i)).send().await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert!(started.elapsed() >= Duration::from_millis(20 * 29));
    assert_eq!(fake.chats().len(), 30);
}
