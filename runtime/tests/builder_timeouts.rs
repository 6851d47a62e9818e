//! The builder's timeouts reach the HTTP client: `timeout` bounds each
//! attempt, and `connect_timeout` is kept.

use std::time::Duration;

use crate::common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{ErrorKind, RetryPolicy};

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
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
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
