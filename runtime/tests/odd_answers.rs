//! Answers and inputs found by review to break the client: a token endpoint
//! that overstates `expire` or answers in the wrong shape, an empty `uuid`,
//! a base URL with credentials.

use crate::common::*;
use feishu_openapi::im::v1::chat::create::{CreateChatBody, CreateChatQuery};
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{BuildError, Client, ErrorKind, NoDocumentedCodes};

fn token_answer(body: &str) -> Fault {
    Fault::Raw {
        status: 200,
        body: body.to_owned(),
    }
}

#[tokio::test]
async fn an_absurd_expire_is_capped_not_a_panic() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject_on_token(token_answer(
        r#"{"code":0,"msg":"ok","tenant_access_token":"t-forever","expire":18446744073709551615}"#,
    ));
    let client = client_builder(&fake).build().unwrap();
    // Before the fix, adding u64::MAX seconds to the clock panicked here.
    let result = create_chat(&client, private_chat()).await;
    // The fake never issued t-forever and rejects it; the client drops it,
    // fetches a real token once, and the call succeeds.
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(fake.token_requests().len(), 2);
    let sent = fake.api_requests();
    assert_eq!(sent[0].header("authorization"), Some("Bearer t-forever"));
    assert_ne!(sent[1].header("authorization"), Some("Bearer t-forever"));
}

#[tokio::test]
async fn a_token_answer_that_does_not_decode_keeps_the_token_out_of_the_error() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject_on_token(token_answer(
        r#"{"code":0,"msg":"ok","tenant_access_token":"t-SECRETTOKEN","expire":"7200"}"#,
    ));
    let client = client_builder(&fake)
        .retry(feishu_openapi::RetryPolicy::none())
        .build()
        .unwrap();
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    let ErrorKind::Auth(inner) = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    let ErrorKind::<NoDocumentedCodes>::Decode {
        status, path, body, ..
    } = inner.as_ref()
    else {
        panic!("expected a decode error, got {inner:?}");
    };
    assert_eq!((*status, path.as_deref()), (200, Some("expire")));
    assert_eq!(
        body,
        "<withheld: the token endpoint's answer may hold the token>"
    );
    assert!(!format!("{error:?}").contains("t-SECRETTOKEN"));
    assert!(!error.to_string().contains("t-SECRETTOKEN"));
}

#[tokio::test]
async fn an_empty_uuid_is_replaced_by_one_kept_across_retries() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    let client = client_builder(&fake).build().unwrap();
    let query = CreateChatQuery {
        uuid: Some(String::new()),
        ..Default::default()
    };
    let body = CreateChatBody {
        name: Some("周会".into()),
        ..Default::default()
    };
    client
        .im()
        .v1()
        .chat()
        .create()
        .query(query)
        .body(body)
        .send()
        .await
        .unwrap();
    let uuids: Vec<Vec<String>> = fake
        .api_requests()
        .iter()
        .map(|r| {
            r.query_pairs()
                .into_iter()
                .filter(|(name, _)| name == "uuid")
                .map(|(_, value)| value)
                .collect()
        })
        .collect();
    assert_eq!(uuids.len(), 2, "one rate-limited attempt, one retry");
    assert_eq!(uuids[0].len(), 1, "exactly one uuid parameter: {uuids:?}");
    assert_eq!(uuids[0][0].len(), 36);
    assert_eq!(uuids[0], uuids[1]);
    assert_eq!(fake.chats().len(), 1);
}

#[test]
fn a_base_url_with_credentials_is_refused() {
    for url in [
        "https://user:pass@open.feishu.cn",
        "https://user@open.feishu.cn",
    ] {
        match Client::builder().base_url(url).build() {
            Err(BuildError::InvalidBaseUrl(given)) => assert_eq!(given, url),
            other => panic!("{url}: expected InvalidBaseUrl, got {other:?}"),
        }
    }
}
