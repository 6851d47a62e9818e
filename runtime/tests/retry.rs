//! Retries against the fake Feishu: rate limits are waited out, and a
//! create is never sent twice unless it carries its idempotency key.

use std::time::Duration;

use crate::common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{ErrorKind, RequestOptions};

fn uuids(fake: &FakeFeishu) -> Vec<Option<String>> {
    fake.api_requests()
        .iter()
        .map(|call| call.query_param("uuid"))
        .collect()
}

#[tokio::test]
async fn rate_limited_create_is_retried_with_the_same_generated_uuid() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    // A reset within max_delay (a longer one now fails at once).
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    fake.inject(Fault::ChatRateLimited);

    let chat = create_chat(&client, private_chat()).await.unwrap();

    let sent = uuids(&fake);
    assert_eq!(sent.len(), 3);
    let first = sent[0].clone().expect("a generated uuid");
    assert_eq!(first.len(), 36);
    assert!(
        sent.iter()
            .all(|uuid| uuid.as_deref() == Some(first.as_str()))
    );
    let created = fake.chats();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["chat_id"], chat.chat_id.as_str());
}

#[tokio::test]
async fn the_callers_uuid_is_kept() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(Fault::RateLimited {
        reset_seconds: None,
    });
    let query = Query {
        user_id_type: Some("open_id"),
        uuid: Some("my-uuid".to_owned()),
    };
    create(
        &client,
        &CREATE_CHAT,
        &query,
        &private_chat(),
        &RequestOptions::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        uuids(&fake),
        [Some("my-uuid".to_owned()), Some("my-uuid".to_owned())]
    );
    assert_eq!(
        fake.api_requests()[1].query.as_deref(),
        Some("user_id_type=open_id&uuid=my-uuid")
    );
}

#[tokio::test]
async fn without_retries_a_uuid_is_still_sent_and_handed_back() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(fast_retries(0))
        .build()
        .unwrap();
    fake.inject(Fault::ServerError { status: 502 });
    let error = client
        .call::<_, _, Chat, ChatCode>(
            &CREATE_CHAT,
            &[],
            &Query::default(),
            Some(&private_chat()),
            &RequestOptions::new(),
        )
        .await
        .unwrap_err();
    // The caller cannot know whether the server acted; the key it hands
    // back lets the caller resend safely.
    let sent = uuids(&fake);
    assert_eq!(sent.len(), 1);
    assert_eq!(error.idempotency_key(), sent[0].as_deref());
    assert!(matches!(
        error.kind(),
        ErrorKind::HttpStatus { status: 502, .. }
    ));
}

#[tokio::test]
async fn retrying_stops_at_the_bound() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(fast_retries(2))
        .build()
        .unwrap();
    for _ in 0..3 {
        fake.inject(Fault::RateLimited {
            reset_seconds: Some(0),
        });
    }
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    let ErrorKind::Api(api) = &error else {
        panic!("expected a Feishu error, got {error:?}");
    };
    assert_eq!((api.code, api.http_status), (99991400, 429));
    assert_eq!(fake.api_requests().len(), 3);
    assert!(fake.chats().is_empty());
}

#[tokio::test]
async fn ambiguous_timeout_without_a_key_is_not_retried() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    fake.inject(Fault::Slow(Duration::from_secs(3)));
    let options = RequestOptions::new().timeout(Duration::from_millis(200));

    let result = create(
        &client,
        &CREATE_CHAT_WITHOUT_KEY,
        &Query::default(),
        &private_chat(),
        &options,
    )
    .await;

    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
    // The server did create the chat; a blind retry would have made a second.
    assert_eq!(fake.api_requests().len(), 2);
    assert_eq!(fake.chats().len(), 2);
}

#[tokio::test]
async fn server_error_without_a_key_is_not_retried() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(Fault::ServerError { status: 503 });
    let result = create(
        &client,
        &CREATE_CHAT_WITHOUT_KEY,
        &Query::default(),
        &private_chat(),
        &RequestOptions::new(),
    )
    .await;
    assert!(
        matches!(result, Err(ErrorKind::HttpStatus { status: 503, .. })),
        "{result:?}"
    );
    assert_eq!(fake.api_requests().len(), 1);
}

#[tokio::test]
async fn ambiguous_timeout_with_a_uuid_is_retried_and_creates_one_chat() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    fake.inject(Fault::Slow(Duration::from_secs(3)));
    let options = RequestOptions::new().timeout(Duration::from_millis(200));

    let chat = create_chat_with(&client, &options).await.unwrap();

    let sent = uuids(&fake);
    assert_eq!(sent.len(), 3);
    assert!(sent[1].is_some());
    assert_eq!(sent[1], sent[2]);
    // The first attempt created the chat; the retry got the same one back.
    let created = fake.chats();
    assert_eq!(created.len(), 2);
    assert_eq!(created[1]["chat_id"], chat.chat_id.as_str());
}

#[tokio::test]
async fn server_error_with_a_uuid_is_retried() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(Fault::ServerError { status: 500 });
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.api_requests().len(), 2);
    assert_eq!(fake.chats().len(), 1);
}

#[tokio::test]
async fn a_failed_token_fetch_is_retried() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject_on_token(Fault::ServerError { status: 502 });
    fake.inject_on_token(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 3);
    assert_eq!(fake.api_requests().len(), 1);
}

#[tokio::test]
async fn a_bare_429_is_retried_even_without_a_key() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(Fault::Raw {
        status: 429,
        body: "Too Many Requests".to_owned(),
    });
    let result = create(
        &client,
        &CREATE_CHAT_WITHOUT_KEY,
        &Query::default(),
        &private_chat(),
        &RequestOptions::new(),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
    // Refused calls are safe to repeat: the server did nothing.
    assert_eq!(fake.api_requests().len(), 2);
    assert_eq!(fake.chats().len(), 1);
}
