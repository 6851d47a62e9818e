//! `respect_rate_limits(true)` keeps every documented window at once, over
//! real HTTP against the fake: create chat's 50 per second and 1,000 per
//! minute. Time is paused: the limiter's waits advance a virtual clock and
//! loopback HTTP takes none of it, so the times asserted are exact and the
//! minute passes at once.

use std::time::Duration;

use crate::common::*;
use feishu_openapi::endpoint::{EndpointInfo, RateLimit};
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{Client, ErrorKind, RequestOptions, RetryPolicy};
use tokio::time::Instant;

const MS: Duration = Duration::from_millis(1);
const MINUTE: Duration = Duration::from_secs(60);

/// Create chat under another id with a small quota, 5 per second and 20 per
/// minute: a minute's quota is used in 3.8 s.
static SMALL_QUOTA: EndpointInfo = EndpointInfo {
    id: "test.create_chat.small_quota",
    rate_limit: Some(RateLimit {
        per_minute: Some(20),
        per_second: Some(5),
    }),
    ..CREATE_CHAT
};

/// A limited client that does not retry, so every attempt is one call.
fn limited_client(fake: &FakeFeishu) -> Client {
    client_builder(fake)
        .respect_rate_limits(true)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// One create through `endpoint`; when it succeeds, the virtual time it
/// ended at, counted from `start`.
async fn create_at(
    client: &Client,
    endpoint: &'static EndpointInfo,
    options: &RequestOptions,
    start: Instant,
) -> Result<Duration, ErrorKind<ChatCode>> {
    create(
        client,
        endpoint,
        &Query::default(),
        &private_chat(),
        options,
    )
    .await
    .map(|_| start.elapsed())
}

/// Uses `SMALL_QUOTA`'s minute: 20 calls, one every 200 ms from `start`.
async fn use_the_small_minute(client: &Client, start: Instant) {
    for i in 0..20 {
        let ended = create_at(client, &SMALL_QUOTA, &RequestOptions::new(), start).await;
        assert_eq!(ended.unwrap(), 200 * MS * i);
    }
}

#[tokio::test(start_paused = true)]
async fn the_1001st_create_of_a_minute_waits_for_the_minute_to_free_a_slot() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = limited_client(&fake);
    let start = Instant::now();
    // 1,001 creates asked for at once, each through its own clone.
    let mut tasks = Vec::new();
    for _ in 0..1001 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            create_at(&client, &CREATE_CHAT, &RequestOptions::new(), start).await
        }));
    }
    // A millisecond before the minute is up, the fake has seen 1,000.
    tokio::time::sleep_until(start + MINUTE - MS).await;
    assert_eq!(fake.api_requests().len(), 1000);

    let mut ended = Vec::new();
    for task in tasks {
        ended.push(task.await.unwrap().unwrap());
    }
    ended.sort();
    // The first 1,000 at 50 per second: one every 20 ms, the last at 19.98 s.
    for (i, at) in ended[..1000].iter().enumerate() {
        assert_eq!(*at, 20 * MS * i as u32, "create {i}");
    }
    // The 1,001st when the first is a minute back, not before.
    assert_eq!(ended[1000], MINUTE);
    assert_eq!(fake.api_requests().len(), 1001);
    assert_eq!(fake.chats().len(), 1001);
    assert_eq!(fake.token_requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn clones_share_the_count_other_clients_and_endpoints_do_not() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = limited_client(&fake);
    let clone = client.clone();
    let start = Instant::now();
    // The minute's 20, alternately through the client and its clone: one
    // count, so still one call every 200 ms.
    for i in 0..20 {
        let through = if i % 2 == 0 { &client } else { &clone };
        let ended = create_at(through, &SMALL_QUOTA, &RequestOptions::new(), start).await;
        assert_eq!(ended.unwrap(), 200 * MS * i);
    }
    let now = start.elapsed();
    assert_eq!(now, 3800 * MS);
    // Another endpoint has its own count: create chat goes at once.
    let ended = create_at(&clone, &CREATE_CHAT, &RequestOptions::new(), start).await;
    assert_eq!(ended.unwrap(), now);
    // So does a client built apart, even to the same endpoint.
    let apart = limited_client(&fake);
    let ended = create_at(&apart, &SMALL_QUOTA, &RequestOptions::new(), start).await;
    assert_eq!(ended.unwrap(), now);
    // The clone's 21st waits for the minute.
    let ended = create_at(&clone, &SMALL_QUOTA, &RequestOptions::new(), start).await;
    assert_eq!(ended.unwrap(), MINUTE);
    assert_eq!(fake.api_requests().len(), 23);
}

#[tokio::test(start_paused = true)]
async fn a_quota_slot_past_the_deadline_is_neither_waited_for_nor_taken() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = limited_client(&fake);
    let start = Instant::now();
    use_the_small_minute(&client, start).await;
    // The next slot is at 60 s; a call that must end by 13.8 s is refused
    // at once, with nothing sent.
    let asked = Instant::now();
    let options = RequestOptions::new().deadline(Duration::from_secs(10));
    let result = create_at(&client, &SMALL_QUOTA, &options, start).await;
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    assert_eq!(asked.elapsed(), Duration::ZERO);
    assert_eq!(fake.api_requests().len(), 20);
    // The refused call took no slot: the next one still goes at 60 s, and a
    // deadline just after it is enough.
    let options = RequestOptions::new().deadline(MINUTE - 3800 * MS + MS);
    let ended = create_at(&client, &SMALL_QUOTA, &options, start).await;
    assert_eq!(ended.unwrap(), MINUTE);
    assert_eq!(fake.api_requests().len(), 21);
}

#[tokio::test(start_paused = true)]
async fn a_retry_whose_quota_slot_is_past_the_deadline_returns_the_last_error() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .respect_rate_limits(true)
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let start = Instant::now();
    // 19 of the minute's 20.
    for i in 0..19 {
        let ended = create_at(&client, &SMALL_QUOTA, &RequestOptions::new(), start).await;
        assert_eq!(ended.unwrap(), 200 * MS * i);
    }
    // The 20th is refused by the server; its retry would need the 21st slot,
    // at 60 s, past the deadline: the refusal comes back, without waiting.
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    let options = RequestOptions::new().deadline(Duration::from_secs(10));
    match create_at(&client, &SMALL_QUOTA, &options, start).await {
        Err(ErrorKind::Api(api)) => assert_eq!((api.code, api.http_status), (99991400, 429)),
        other => panic!("expected the rate-limit error, got {other:?}"),
    }
    // Sent in its slot at 3.8 s, refused, and given up on then.
    assert_eq!(start.elapsed(), 3800 * MS);
    assert_eq!(fake.api_requests().len(), 20);
}
