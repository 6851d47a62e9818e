//! A deadline bounds the whole call: every attempt, the token fetch and the
//! waits between retries. Over real HTTP against the fake, on paused time:
//! the fake's slow answers, the client's timeouts and its waits all run on
//! the virtual clock and loopback HTTP takes none of it, so the times
//! asserted are exact figures, not speeds.

use std::time::Duration;

use crate::common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{ErrorKind, RequestOptions, RetryPolicy};
use tokio::time::Instant;

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

/// An answer slower than any timeout below.
const NEVER: Fault = Fault::Slow(Duration::from_secs(3600));

/// How long after `asked` the call ended: its deadline exactly, or within
/// the fraction of a millisecond the timer rounds up to.
fn assert_ended_at(asked: Instant, deadline: Duration) {
    let took = asked.elapsed();
    assert!(
        took >= deadline && took < deadline + MS,
        "ended after {took:?}, deadline {deadline:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_server_is_cut_at_the_deadline_mid_attempt() {
    let fake = FakeFeishu::start().await.unwrap();
    // 1 s per attempt, retries 5 to 20 ms apart, three retries allowed.
    let client = client_builder(&fake)
        .timeout(SECOND)
        .retry(fast_retries(3))
        .build()
        .unwrap();
    for _ in 0..4 {
        fake.inject(NEVER);
    }
    let asked = Instant::now();
    let options = RequestOptions::new().deadline(2500 * MS);
    let result = create_chat_with(&client, &options).await;
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    assert_ended_at(asked, 2500 * MS);
    // Attempts at 0 s and about 1.01 s timed out after 1 s each; the third,
    // from about 2.02 s, was cut at 2.5 s. The fourth never started.
    let attempts = fake.api_requests();
    assert_eq!(attempts.len(), 3);
    // The server acted on them (one chat: the same uuid every time); a
    // timeout says nothing about that.
    assert_eq!(fake.chats().len(), 1);
    assert!(
        attempts
            .iter()
            .all(|attempt| attempt.query_param("uuid") == attempts[0].query_param("uuid"))
    );
}

#[tokio::test(start_paused = true)]
async fn the_clients_deadline_is_the_default_and_a_calls_own_overrides_it() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .timeout(SECOND)
        .retry(fast_retries(3))
        .deadline(1500 * MS)
        .build()
        .unwrap();
    for _ in 0..8 {
        fake.inject(NEVER);
    }
    let asked = Instant::now();
    let result = create_chat(&client, private_chat()).await;
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    assert_ended_at(asked, 1500 * MS);
    assert_eq!(fake.api_requests().len(), 2);

    // Longer than the client's: one attempt more.
    let asked = Instant::now();
    let options = RequestOptions::new().deadline(2500 * MS);
    let result = create_chat_with(&client, &options).await;
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    assert_ended_at(asked, 2500 * MS);
    assert_eq!(fake.api_requests().len(), 2 + 3);
}

#[tokio::test(start_paused = true)]
async fn with_a_one_second_timeout_and_default_retries_a_deadline_of_two_seconds_ends_the_call_at_two()
 {
    // The figure the README gives: the same call, without and with a deadline.
    let fake = FakeFeishu::start().await.unwrap();
    let without = client_builder(&fake)
        .timeout(SECOND)
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    for _ in 0..4 {
        fake.inject(NEVER);
    }
    let asked = Instant::now();
    let result = create_chat(&without, private_chat()).await;
    let took = asked.elapsed();
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    // Four attempts of 1 s and backoffs of 0.5, 1 and 2 s, each shortened
    // by up to a fifth.
    assert_eq!(fake.api_requests().len(), 4);
    assert!(
        took >= 6800 * MS && took <= 7500 * MS + 3 * MS,
        "without a deadline: {took:?}"
    );
    eprintln!("1 s timeout, default retries, no deadline: the call took {took:?}");

    let with = client_builder(&fake)
        .timeout(SECOND)
        .retry(RetryPolicy::default())
        .deadline(2 * SECOND)
        .build()
        .unwrap();
    for _ in 0..4 {
        fake.inject(NEVER);
    }
    let asked = Instant::now();
    let result = create_chat(&with, private_chat()).await;
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    assert_ended_at(asked, 2 * SECOND);
    // One attempt of 1 s, a wait of 0.4 to 0.5 s, a second attempt cut.
    assert_eq!(fake.api_requests().len(), 4 + 2);
    eprintln!("the same with .deadline(2 s): {:?}", asked.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_deadline_longer_than_all_retries_changes_nothing() {
    let fake = FakeFeishu::start().await.unwrap();
    let builder = || client_builder(&fake).timeout(SECOND).retry(fast_retries(2));
    let clients = [
        builder().build().unwrap(),
        builder().deadline(Duration::from_secs(60)).build().unwrap(),
    ];
    for client in &clients {
        let before = fake.api_requests().len();
        // Refused, failed, then answered: the third attempt succeeds.
        fake.inject(Fault::RateLimited {
            reset_seconds: Some(0),
        });
        fake.inject(Fault::ServerError { status: 503 });
        create_chat(client, private_chat()).await.unwrap();
        assert_eq!(fake.api_requests().len() - before, 3);

        // Never answered: three attempts, the timeout of the last.
        for _ in 0..3 {
            fake.inject(NEVER);
        }
        let asked = Instant::now();
        let result = create_chat(client, private_chat()).await;
        assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
        assert_eq!(fake.api_requests().len() - before, 3 + 3);
        let took = asked.elapsed();
        assert!(
            took >= 3 * SECOND && took < 3 * SECOND + 40 * MS,
            "{took:?}"
        );
    }
    // A deadline of a year is no trouble either, nor one past the end of
    // the clock.
    for budget in [Duration::from_secs(365 * 24 * 3600), Duration::MAX] {
        let client = builder().deadline(budget).build().unwrap();
        create_chat(&client, private_chat()).await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_reset_past_the_deadline_returns_the_rate_limit_error_at_once() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_secs(60),
        })
        .build()
        .unwrap();
    // The server asks for 30 s; the call has 10.
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(30),
    });
    let asked = Instant::now();
    let options = RequestOptions::new().deadline(Duration::from_secs(10));
    match create_chat_with(&client, &options).await {
        Err(ErrorKind::Api(api)) => assert_eq!((api.code, api.http_status), (99991400, 429)),
        other => panic!("expected the rate-limit error, got {other:?}"),
    }
    // No wait at all: neither the 30 s nor up to the deadline.
    assert_eq!(asked.elapsed(), Duration::ZERO);
    assert_eq!(fake.api_requests().len(), 1);

    // A reset that fits is waited, and the retry succeeds.
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(3),
    });
    let asked = Instant::now();
    create_chat_with(&client, &options).await.unwrap();
    assert_eq!(asked.elapsed(), 3 * SECOND);
    assert_eq!(fake.api_requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_backoff_past_the_deadline_returns_the_last_error_at_once() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(20),
            max_delay: Duration::from_secs(60),
        })
        .build()
        .unwrap();
    fake.inject(Fault::ServerError { status: 503 });
    let asked = Instant::now();
    let options = RequestOptions::new().deadline(Duration::from_secs(10));
    let result = create_chat_with(&client, &options).await;
    assert!(
        matches!(result, Err(ErrorKind::HttpStatus { status: 503, .. })),
        "{result:?}"
    );
    assert_eq!(asked.elapsed(), Duration::ZERO);
    assert_eq!(fake.api_requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_slow_token_fetch_counts_toward_the_deadline() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    fake.inject_on_token(NEVER);
    let asked = Instant::now();
    let options = RequestOptions::new().deadline(SECOND);
    let result = create_chat_with(&client, &options).await;
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    assert_ended_at(asked, SECOND);
    assert_eq!(fake.token_requests().len(), 1);
    assert!(fake.api_requests().is_empty());
    // The fetch cut short left nothing behind: the next call fetches anew.
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 2);
}
