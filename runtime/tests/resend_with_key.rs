//! Issue 11, "a duplicate chat after a timeout": a create chat whose every
//! attempt acts on the server but answers too late fails with a timeout and
//! hands back the idempotency key all its attempts carried; resending with
//! that key returns the chat the first attempt made instead of a second
//! one. And the key a caller gives is the one sent and handed back.

use std::time::Duration;

use feishu_openapi::testing::{FakeFeishu, Fault, RecordedRequest};
use feishu_openapi::{Client, ErrorKind, RetryPolicy};

const CHATS: &str = "/open-apis/im/v1/chats";
const OWNER: &str = "ou_7d8a6e6df7621556ce0d21922b676706ccs";

/// Each attempt may take `timeout`; three retries after the first attempt,
/// with waits of a few milliseconds.
fn client(fake: &FakeFeishu, timeout: Duration) -> Client {
    Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .timeout(timeout)
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

/// Every value of the `uuid` query parameter of each call to create chat.
fn uuids(calls: &[RecordedRequest]) -> Vec<Vec<String>> {
    calls
        .iter()
        .map(|call| {
            call.query_pairs()
                .into_iter()
                .filter(|(name, _)| name == "uuid")
                .map(|(_, value)| value)
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_create_that_timed_out_on_every_attempt_is_resent_with_its_key_and_makes_one_chat() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake, Duration::from_millis(500));
    // Four attempts (the first and three retries), each acted on by the
    // server, each answered long after the client gave up on it.
    for _ in 0..4 {
        fake.inject(Fault::Slow(Duration::from_secs(5)));
    }

    let error = client
        .im()
        .v1()
        .chat()
        .create()
        .name("发布 42")
        .owner_id(OWNER)
        .send()
        .await
        .unwrap_err();

    assert!(matches!(error.kind(), ErrorKind::Timeout), "{error:?}");
    let key = error
        .idempotency_key()
        .expect("create chat always sends a key")
        .to_owned();
    let attempts = fake.requests_to(CHATS);
    assert_eq!(attempts.len(), 4);
    // Every attempt carried exactly one uuid, the same one, the one the
    // error hands back.
    assert_eq!(uuids(&attempts), vec![vec![key.clone()]; 4]);
    assert_eq!(
        error.to_string(),
        format!("request timed out (idempotency key {key})")
    );
    // The server acted on the first attempt and deduplicated the others.
    assert_eq!(fake.chats().len(), 1);

    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .name("发布 42")
        .owner_id(OWNER)
        .idempotency_key(key.clone())
        .send()
        .await
        .unwrap();

    let chats = fake.chats();
    assert_eq!(chats.len(), 1, "the resend made no second chat");
    assert_eq!(chat.chat_id.as_deref(), chats[0]["chat_id"].as_str());
    assert_eq!(chat.idempotency_key(), Some(key.as_str()));
    let calls = fake.requests_to(CHATS);
    assert_eq!(calls.len(), 5);
    assert_eq!(uuids(&calls[4..]), [[key]]);
}

#[tokio::test]
async fn the_key_the_caller_gives_is_sent_and_handed_back() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake, Duration::from_secs(30));

    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .name("周会")
        .idempotency_key("caller-key-1")
        .send()
        .await
        .unwrap();

    assert_eq!(chat.idempotency_key(), Some("caller-key-1"));
    let calls = fake.requests_to(CHATS);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].query.as_deref(), Some("uuid=caller-key-1"));
}

#[tokio::test]
async fn the_key_the_caller_gives_is_handed_back_on_failure_too() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake, Duration::from_secs(30));

    // Unknown ids: the server refuses, nothing is retried.
    let error = client
        .im()
        .v1()
        .chat()
        .create()
        .user_id_list(["ou_unknown"])
        .idempotency_key("caller-key-2")
        .send()
        .await
        .unwrap_err();

    assert_eq!(error.api().map(|api| api.code), Some(232043));
    assert_eq!(error.idempotency_key(), Some("caller-key-2"));
    let calls = fake.requests_to(CHATS);
    assert_eq!(uuids(&calls), [["caller-key-2"]]);
}

/// Both the `uuid` query parameter and the `idempotency_key` option are
/// set: the option wins. It is what `idempotency_key(..)` is for (resending
/// a failed call's key), so it must not lose to a `uuid` set earlier in the
/// same chain or carried over in a reused query struct.
#[tokio::test]
async fn the_idempotency_key_option_wins_over_the_uuid_parameter() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake, Duration::from_secs(30));

    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .uuid("x")
        .idempotency_key("y")
        .send()
        .await
        .unwrap();

    assert_eq!(chat.idempotency_key(), Some("y"));
    let calls = fake.requests_to(CHATS);
    // One uuid parameter, not two: the server sees only the winner.
    assert_eq!(uuids(&calls), [["y"]]);
    assert_eq!(calls[0].query.as_deref(), Some("uuid=y"));

    // The order of the setters does not matter.
    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .idempotency_key("y2")
        .uuid("x2")
        .send()
        .await
        .unwrap();
    assert_eq!(chat.idempotency_key(), Some("y2"));
    assert_eq!(uuids(&fake.requests_to(CHATS)[1..]), [["y2"]]);
}

#[tokio::test]
async fn a_uuid_parameter_alone_is_the_key() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake, Duration::from_secs(30));

    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .uuid("from-the-query")
        .send()
        .await
        .unwrap();

    assert_eq!(chat.idempotency_key(), Some("from-the-query"));
    assert_eq!(uuids(&fake.requests_to(CHATS)), [["from-the-query"]]);
}

/// An empty key is no key: the doc says a `uuid` without a value turns
/// deduplication off, so the call must not go out with it, nor hand it back
/// as a key that makes a resend safe. As with an empty `uuid` parameter,
/// the client makes up a key instead.
#[tokio::test]
async fn an_empty_key_option_is_replaced_by_a_made_up_one() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake, Duration::from_secs(30));
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });

    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .idempotency_key("")
        .send()
        .await
        .unwrap();

    let sent = uuids(&fake.requests_to(CHATS));
    let key = chat.idempotency_key().expect("a made-up key").to_owned();
    assert_eq!(key.len(), 36, "a uuid: {key:?}");
    // Both attempts, the rate-limited one and its retry, carried it.
    assert_eq!(sent, vec![vec![key]; 2]);
    assert_eq!(fake.chats().len(), 1);
}
