//! Review findings on the runtime, each proved against the fake Feishu:
//! shared token fetches, short-lived tokens, the server's reset and
//! `Retry-After`, unusable tokens, the builder's timeouts, every invalid-token
//! code.

#![cfg(feature = "testing")]

mod common;

use std::time::Duration;

use common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{Error, NoDocumentedCodes, RequestOptions, RetryPolicy};

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
            Err(Error::Auth(inner)) => match inner.as_ref() {
                Error::<NoDocumentedCodes>::Timeout => timeouts += 1,
                Error::SharedTokenFetchFailed { message, retryable } => {
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
            .all(|result| matches!(result, Err(Error::Auth(_))))
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

/// A policy whose own backoff would wait an hour: a call that completes
/// quickly proves the server's word was taken instead.
fn hour_long_backoff() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_secs(3600),
        max_delay: Duration::from_secs(7200),
    }
}

async fn within_a_minute<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("the client waited its own backoff, not the server's reset")
}

#[tokio::test]
async fn the_servers_reset_header_sets_the_wait() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(hour_long_backoff())
        .build()
        .unwrap();
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    within_a_minute(create_chat(&client, private_chat()))
        .await
        .unwrap();
    assert_eq!(fake.api_requests().len(), 2);
    // The same wait, as the pure function computes it.
    assert_eq!(
        hour_long_backoff().wait(1, Some(Duration::ZERO), 0.5),
        Some(Duration::ZERO)
    );
}

#[tokio::test]
async fn retry_after_on_a_bare_429_sets_the_wait() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(hour_long_backoff())
        .build()
        .unwrap();
    fake.inject(Fault::RawWithHeaders {
        status: 429,
        headers: vec![("retry-after".to_owned(), "0".to_owned())],
        body: "<html><body>Too Many Requests</body></html>".to_owned(),
    });
    within_a_minute(create_chat(&client, private_chat()))
        .await
        .unwrap();
    assert_eq!(fake.api_requests().len(), 2);
    assert_eq!(fake.chats().len(), 1);
}

#[tokio::test]
async fn a_reset_beyond_max_delay_fails_at_once() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_secs(60),
        })
        .build()
        .unwrap();
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(120),
    });
    let error = within_a_minute(create_chat(&client, private_chat()))
        .await
        .unwrap_err();
    let api = error.api().expect("the rate-limit error");
    assert_eq!((api.code, api.http_status), (99991400, 429));
    // Not retried early into a sure refusal.
    assert_eq!(fake.api_requests().len(), 1);
}

#[tokio::test]
async fn a_server_token_that_cannot_be_a_header_is_a_typed_error_and_dropped() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject_on_token(Fault::Raw {
        status: 200,
        body: r#"{"code":0,"msg":"ok","tenant_access_token":"t-bad\ntoken","expire":7200}"#
            .to_owned(),
    });
    let client = client_builder(&fake).build().unwrap();

    let error = create_chat(&client, private_chat()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidAccessToken {
                fetched_by_client: true
            }
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains("t-bad"));
    assert!(!format!("{error:?}").contains("t-bad"));
    // Nothing was sent with it.
    assert!(fake.api_requests().is_empty());
    // It was dropped: the next call fetches a good token and succeeds.
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 2);
}

#[tokio::test]
async fn a_callers_token_that_cannot_be_a_header_is_a_typed_error() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let options = RequestOptions::new().user_access_token("u-bad\r\nX-Evil: 1");
    let result = create_chat_with(&client, &options).await;
    assert!(
        matches!(
            result,
            Err(Error::InvalidAccessToken {
                fetched_by_client: false
            })
        ),
        "{result:?}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn the_builders_timeout_applies_to_each_attempt() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    // The token fetch is quick; the call itself hangs.
    create_chat(&client, private_chat()).await.unwrap();
    fake.inject(Fault::Slow(Duration::from_secs(30)));
    let started = std::time::Instant::now();
    let result = create_chat(&client, private_chat()).await;
    assert!(matches!(result, Err(Error::Timeout)), "{result:?}");
    // Only an upper bound: far below the fake's 30 s, whatever the load.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn the_builders_connect_timeout_is_kept() {
    // A connect timeout cannot be provoked deterministically on loopback (a
    // closed port refuses at once); the request timeout is tested above.
    let builder = feishu_openapi::Client::builder()
        .connect_timeout(Duration::from_millis(250))
        .timeout(Duration::from_millis(750));
    let debug = format!("{builder:?}");
    assert!(debug.contains("connect_timeout: 250ms"), "{debug}");
    assert!(debug.contains("timeout: 750ms"), "{debug}");
    builder.build().unwrap();
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
