//! The server's word on when to retry: `x-ogw-ratelimit-reset`, or
//! `Retry-After` on a bare 429, sets the wait instead of the client's own
//! backoff, and a reset beyond `RetryPolicy::max_delay` ends the retries at
//! once.

use std::time::Duration;

use crate::common::*;
use feishu_openapi::RetryPolicy;
use feishu_openapi::testing::{FakeFeishu, Fault};

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
