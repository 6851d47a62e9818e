//! What a call hands back, over real HTTP against the fake Feishu: a
//! `Response` carries the answer's log id, status, headers and body next to
//! the typed data, and reads fields the schema does not know; every error
//! that has an answer's log id shows it in `Display`, and the idempotency
//! key too on endpoints that have one.

use crate::common::{CREATE_CHAT_WITHOUT_KEY, Chat, ChatCode, Query, private_chat};
use feishu_openapi::im::v1::chat::create::{CreateChatData, CreateChatErrorCode};
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{Client, Error, ErrorKind, NoDocumentedCodes, RequestOptions, RetryPolicy};
use serde_json::{Value, json};

/// The fake numbers its answers, token answers included, and sends the
/// number as `X-Tt-Logid` (`fake` and 20 digits): a fresh fake's first
/// answer is the token, the second the call.
const TOKEN_LOG_ID: &str = "fake00000000000000000001";
const CALL_LOG_ID: &str = "fake00000000000000000002";

/// A client that does not retry, so each answer shows as it is.
fn client(fake: &FakeFeishu) -> Client {
    Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Create chat through the generated builder, with a known key.
async fn create(
    client: &Client,
) -> Result<feishu_openapi::Response<CreateChatData>, Error<CreateChatErrorCode>> {
    client
        .im()
        .v1()
        .chat()
        .create()
        .name("周会")
        .idempotency_key("key-1")
        .send()
        .await
}

#[tokio::test]
async fn a_response_carries_the_log_id_status_and_headers_of_the_answer() {
    let fake = FakeFeishu::start().await.unwrap();
    let response = create(&client(&fake)).await.unwrap();

    assert_eq!(response.log_id(), Some(CALL_LOG_ID));
    assert_eq!(
        response
            .headers()
            .get("x-tt-logid")
            .map(|value| value.to_str().unwrap()),
        Some(CALL_LOG_ID)
    );
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .map(|value| value.to_str().unwrap()),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(response.idempotency_key(), Some("key-1"));

    // The body as the fake sent it, and the typed data read from it.
    let chat = &fake.chats()[0];
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(
        body,
        json!({"code": 0, "msg": "success", "data": chat.clone()})
    );
    assert_eq!(response.chat_id.as_deref(), chat["chat_id"].as_str());
    assert_eq!(response.name.as_deref(), Some("周会"));
    let data: CreateChatData = response.into_inner();
    assert_eq!(data.chat_id.as_deref(), chat["chat_id"].as_str());
    assert_eq!(
        serde_json::to_value(&data).unwrap()["tenant_key"],
        json!("736588c9260f175e")
    );
}

#[tokio::test]
async fn fields_the_schema_does_not_know_are_read_with_data_as() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake);
    let body = r#"{"code":0,"msg":"success","data":{"chat_id":"oc_new","name":"周会","pinned_topic":{"id":"t_1","votes":3}}}"#;
    fake.inject(Fault::RawWithHeaders {
        status: 200,
        headers: vec![("x-request-cost".to_owned(), "17ms".to_owned())],
        body: body.to_owned(),
    });

    let response = create(&client).await.unwrap();

    // Deref and `data()` give the typed data; what it has no field for is
    // still in the body.
    assert_eq!(response.chat_id.as_deref(), Some("oc_new"));
    assert_eq!(response.data().name.as_deref(), Some("周会"));
    assert_eq!(response.body(), body.as_bytes());
    let data: Value = response.data_as().unwrap();
    assert_eq!(data["pinned_topic"], json!({"id": "t_1", "votes": 3}));

    // A type of the caller's with just the new field.
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Pinned {
        pinned_topic: Topic,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Topic {
        id: String,
        votes: u32,
    }
    assert_eq!(
        response.data_as::<Pinned>().unwrap(),
        Pinned {
            pinned_topic: Topic {
                id: "t_1".to_owned(),
                votes: 3
            }
        }
    );

    // The extra header, next to the ones every answer has.
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    assert_eq!(header("x-request-cost").as_deref(), Some("17ms"));
    assert_eq!(header("x-tt-logid").as_deref(), Some(CALL_LOG_ID));
    assert_eq!(response.log_id(), Some(CALL_LOG_ID));
    assert_eq!(response.status(), 200);

    assert_eq!(response.into_inner().chat_id.as_deref(), Some("oc_new"));
}

#[tokio::test]
async fn an_api_error_shows_its_log_id_and_key() {
    let fake = FakeFeishu::start().await.unwrap();
    let error = client(&fake)
        .im()
        .v1()
        .chat()
        .create()
        .user_id_list(["ou_unknown"])
        .idempotency_key("key-1")
        .send()
        .await
        .unwrap_err();

    assert!(matches!(error.kind(), ErrorKind::Api(api) if api.code == 232043));
    assert_eq!(error.log_id(), Some(CALL_LOG_ID));
    assert_eq!(
        error.to_string(),
        "feishu error 232043: Your request contains unavailable ids. \
         (log id fake00000000000000000002) (idempotency key key-1)"
    );
}

#[tokio::test]
async fn an_http_status_error_shows_its_log_id_and_key() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject(Fault::ServerError { status: 502 });
    let error = create(&client(&fake)).await.unwrap_err();

    assert!(matches!(
        error.kind(),
        ErrorKind::HttpStatus { status: 502, .. }
    ));
    assert_eq!(
        error.to_string(),
        "http status 502 with a non-JSON body \
         (log id fake00000000000000000002) (idempotency key key-1)"
    );
}

#[tokio::test]
async fn decode_errors_show_their_log_id_and_key() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake);

    // Not JSON to the end.
    fake.inject(Fault::MalformedJson);
    let error = create(&client).await.unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::Decode {
            status: 200,
            path: None,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "cannot decode the answer: EOF while parsing a string at line 1 column 48 \
         (log id fake00000000000000000002) (idempotency key key-1)"
    );

    // JSON, but not of the documented shape.
    fake.inject(Fault::Raw {
        status: 200,
        body: r#"{"code":0,"msg":"success","data":{"chat_id":42}}"#.to_owned(),
    });
    let error = create(&client).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode the answer at data.chat_id: invalid type: integer `42`, expected a string \
         (log id fake00000000000000000003) (idempotency key key-1)"
    );
}

#[tokio::test]
async fn a_response_too_large_shows_its_log_id_and_key() {
    let fake = FakeFeishu::start().await.unwrap();
    // Room for the token answer, not for this one.
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .retry(RetryPolicy::none())
        .max_response_bytes(256)
        .build()
        .unwrap();
    fake.inject(Fault::Raw {
        status: 200,
        body: format!(
            r#"{{"code":0,"msg":"success","data":{{"description":"{}"}}}}"#,
            "x".repeat(1000)
        ),
    });
    let error = create(&client).await.unwrap_err();

    assert!(matches!(
        error.kind(),
        ErrorKind::ResponseTooLarge {
            status: 200,
            limit: 256,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "the answer (http status 200) is larger than the client's limit of 256 bytes \
         (max_response_bytes); it was not read further \
         (log id fake00000000000000000002) (idempotency key key-1)"
    );
}

#[tokio::test]
async fn a_failed_token_fetch_shows_the_token_answers_log_id_and_the_calls_key() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = Client::builder()
        .app(fake.app_id(), "not-the-app-secret")
        .base_url(fake.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = create(&client).await.unwrap_err();

    let ErrorKind::Auth(inner) = error.kind() else {
        panic!("expected an auth error, got {error:?}");
    };
    assert!(
        matches!(inner.as_ref(), ErrorKind::<NoDocumentedCodes>::Api(api) if api.code == 10014)
    );
    assert_eq!(error.log_id(), Some(TOKEN_LOG_ID));
    assert_eq!(
        error.to_string(),
        "cannot obtain a tenant_access_token: feishu error 10014: app secret invalid \
         (log id fake00000000000000000001) (idempotency key key-1)"
    );
    // The call itself was never sent.
    assert!(fake.api_requests().is_empty());
}

#[tokio::test]
async fn an_endpoint_without_a_key_shows_the_log_id_alone() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject(Fault::ServerError { status: 503 });
    let error = client(&fake)
        .call::<_, _, Chat, ChatCode>(
            &CREATE_CHAT_WITHOUT_KEY,
            &[],
            &Query::default(),
            Some(&private_chat()),
            &RequestOptions::new(),
        )
        .await
        .unwrap_err();

    assert_eq!(error.idempotency_key(), None);
    assert_eq!(
        error.to_string(),
        "http status 503 with a non-JSON body (log id fake00000000000000000002)"
    );
    assert_eq!(fake.api_requests()[0].query, None);
}

#[tokio::test]
async fn an_error_before_sending_has_neither_log_id_nor_key() {
    let fake = FakeFeishu::start().await.unwrap();
    let error = client(&fake)
        .im()
        .v1()
        .chat()
        .create()
        .chat_type("public")
        .idempotency_key("key-1")
        .send()
        .await
        .unwrap_err();

    assert_eq!((error.log_id(), error.idempotency_key()), (None, None));
    assert_eq!(
        error.to_string(),
        "request breaks documented limits: body.name is required \
         when chat_type = \"public\" (server code 232042)"
    );
    assert!(fake.requests().is_empty());
}
