//! The tenant token the client fetches for itself: calls waiting on one
//! fetch share its result, even a failure (one token request per retry
//! round, not per call); a token is reused while fresh, even one shorter
//! than the refresh margin, and refreshed after half its life; each
//! invalid-token code makes the client fetch a new one, once.

use std::time::Duration;

use crate::common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{ErrorKind, NoDocumentedCodes, RetryPolicy};

/// Runs `n` creates at once and returns their results.
async fn concurrent_creates(client: &feishu_openapi::Client, n: usize) -> Vec<ChatResult> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            create_chat(&client, private_chat()).await
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_share_a_failed_token_fetch_instead_of_repeating_it() {
    let fake = FakeFeishu::start().await.unwrap();
    // The token endpoint hangs past the timeout.
    fake.inject_on_token(Fault::Slow(Duration::from_secs(5)));
    let client = client_builder(&fake)
        .timeout(Duration::from_millis(800))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let results = concurrent_creates(&client, 10).await;

    // Before the fix: ten sequential token requests, each timing out.
    assert_eq!(fake.token_requests().len(), 1);
    assert!(fake.api_requests().is_empty());
    let mut timeouts = 0;
    let mut shared = 0;
    for result in &results {
        match result {
            Err(ErrorKind::Auth(inner)) => match inner.as_ref() {
                ErrorKind::<NoDocumentedCodes>::Timeout => timeouts += 1,
                ErrorKind::SharedTokenFetchFailed { message, retryable } => {
                    assert!(*retryable);
                    assert_eq!(message, "request timed out");
                    shared += 1;
                }
                other => panic!("unexpected inner error {other:?}"),
            },
            other => panic!("expected an auth error, got {other:?}"),
        }
    }
    assert_eq!((timeouts, shared), (1, 9));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_retry_round_makes_one_token_request() {
    let fake = FakeFeishu::start().await.unwrap();
    for _ in 0..3 {
        fake.inject_on_token(Fault::Slow(Duration::from_secs(5)));
    }
    let client = client_builder(&fake)
        .timeout(Duration::from_millis(800))
        .retry(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
        })
        .build()
        .unwrap();

    let results = concurrent_creates(&client, 10).await;

    assert!(
        results
            .iter()
            .all(|result| matches!(result, Err(ErrorKind::Auth(_))))
    );
    // Three rounds (one attempt, two retries), one token request each.
    assert_eq!(fake.token_requests().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_then_recovery() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject_on_token(Fault::Slow(Duration::from_secs(5)));
    let client = client_builder(&fake)
        .timeout(Duration::from_millis(800))
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
        })
        .build()
        .unwrap();
    let results = concurrent_creates(&client, 10).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // One failed fetch, then one that served everyone.
    assert_eq!(fake.token_requests().len(), 2);
    assert_eq!(fake.chats().len(), 10);
}

#[tokio::test]
async fn a_token_shorter_than_the_refresh_margin_is_still_reused() {
    let fake = FakeFeishu::builder()
        .token_expire(60)
        .start()
        .await
        .unwrap();
    // Default refresh margin: 5 minutes, longer than the token's life.
    let client = client_builder(&fake).build().unwrap();
    for _ in 0..3 {
        create_chat(&client, private_chat()).await.unwrap();
    }
    assert_eq!(fake.token_requests().len(), 1);
}

#[tokio::test]
async fn a_short_token_is_refreshed_after_half_its_life() {
    let fake = FakeFeishu::builder()
        .token_expire(60)
        .start()
        .await
        .unwrap();
    let clock = std::sync::Arc::new(feishu_openapi::clock::ManualClock::new());
    let client = client_builder(&fake).clock(clock.clone()).build().unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    clock.advance(Duration::from_secs(29));
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 1);
    clock.advance(Duration::from_secs(2));
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 2);
}

async fn one_refresh_on_code(code: i64) {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    fake.inject(Fault::Raw {
        status: 400,
        body: format!(r#"{{"code":{code},"msg":"token rejected"}}"#),
    });
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 2, "code {code}");
    assert_eq!(fake.api_requests().len(), 3, "code {code}");
    assert_eq!(fake.chats().len(), 2, "code {code}");
}

#[tokio::test]
async fn code_99991664_refreshes_the_token_once() {
    one_refresh_on_code(99991664).await;
}

#[tokio::test]
async fn code_99991671_refreshes_the_token_once() {
    one_refresh_on_code(99991671).await;
}
