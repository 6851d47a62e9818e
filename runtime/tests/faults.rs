//! Faults over real HTTP against the fake Feishu, each ending in the
//! documented error: connection refused, reset mid-body, slow headers,
//! truncated JSON, an HTML 502 page, `code` as a string, a huge body,
//! duplicate keys.

use std::time::Duration;

use crate::common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{Client, DEFAULT_MAX_RESPONSE_BYTES, ErrorKind, RequestOptions, RetryPolicy};

/// A client that does not retry, so each fault shows as it is.
async fn no_retries(fake: &FakeFeishu) -> Client {
    let client = client_builder(fake)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    // Fetch the token first: the faults below are for the call itself.
    create_chat(&client, private_chat()).await.unwrap();
    client
}

#[tokio::test]
async fn connection_refused_is_a_connect_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let options = RequestOptions::new().tenant_access_token("t-given");
    let result = create_chat_with(&client, &options).await;
    match result {
        Err(ErrorKind::Transport(error)) => assert!(error.is_connect(), "{error:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_reset_in_the_middle_of_the_body_is_a_transport_error() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = no_retries(&fake).await;
    fake.inject(Fault::ResetMidBody);
    let result = create_chat(&client, private_chat()).await;
    assert!(matches!(result, Err(ErrorKind::Transport(_))), "{result:?}");
}

#[tokio::test]
async fn a_reset_mid_body_is_retried_when_the_uuid_makes_it_safe() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(Fault::ResetMidBody);
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.api_requests().len(), 2);
    assert_eq!(fake.chats().len(), 1);
}

#[tokio::test]
async fn headers_slower_than_the_timeout_are_a_timeout() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = no_retries(&fake).await;
    fake.inject(Fault::Slow(Duration::from_secs(30)));
    let options = RequestOptions::new().timeout(Duration::from_millis(200));
    let result = create_chat_with(&client, &options).await;
    assert!(matches!(result, Err(ErrorKind::Timeout)), "{result:?}");
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_the_body() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = no_retries(&fake).await;
    fake.inject(Fault::MalformedJson);
    match create_chat(&client, private_chat()).await {
        Err(ErrorKind::Decode {
            status: 200,
            body,
            log_id,
            ..
        }) => {
            assert!(body.starts_with(r#"{"code":0"#), "{body}");
            assert!(log_id.is_some());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_502_page_is_an_http_status_error() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = no_retries(&fake).await;
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    fake.inject(Fault::RawWithHeaders {
        status: 502,
        headers: vec![("content-type".to_owned(), "text/html".to_owned())],
        body: page.to_owned(),
    });
    match create_chat(&client, private_chat()).await {
        Err(ErrorKind::HttpStatus {
            status: 502, body, ..
        }) => assert_eq!(body, page),
        other => panic!("expected an http status error, got {other:?}"),
    }
}

#[tokio::test]
async fn code_as_a_string_is_a_decode_error_at_code() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = no_retries(&fake).await;
    fake.inject(Fault::Raw {
        status: 200,
        body: r#"{"code":"0","msg":"success","data":{"chat_id":"oc_1"}}"#.to_owned(),
    });
    match create_chat(&client, private_chat()).await {
        Err(ErrorKind::Decode {
            status: 200, path, ..
        }) => assert_eq!(path.as_deref(), Some("code")),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // With an error status the same body is an HTTP status error.
    fake.inject(Fault::Raw {
        status: 400,
        body: r#"{"code":"232019","msg":"limited"}"#.to_owned(),
    });
    let result = create_chat(&client, private_chat()).await;
    assert!(
        matches!(result, Err(ErrorKind::HttpStatus { status: 400, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_huge_body_stops_at_the_configured_limit() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(RetryPolicy::none())
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    fake.inject(Fault::HugeBody {
        bytes: 64 * 1024 * 1024,
    });
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    assert!(
        matches!(
            error,
            ErrorKind::ResponseTooLarge {
                status: 200,
                limit: 1_048_576,
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("1048576 bytes"), "{message}");
    assert!(message.contains("max_response_bytes"), "{message}");
    // The client is still usable.
    create_chat(&client, private_chat()).await.unwrap();
}

#[tokio::test]
async fn the_default_limit_is_sixteen_mebibytes() {
    assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
    let fake = FakeFeishu::start().await.unwrap();
    let client = no_retries(&fake).await;
    fake.inject(Fault::HugeBody {
        bytes: DEFAULT_MAX_RESPONSE_BYTES + 1,
    });
    let result = create_chat(&client, private_chat()).await;
    assert!(
        matches!(result, Err(ErrorKind::ResponseTooLarge { limit, .. }) if limit == DEFAULT_MAX_RESPONSE_BYTES),
        "{result:?}"
    );
    // Just under the limit is read, then fails to decode as it should.
    fake.inject(Fault::HugeBody {
        bytes: DEFAULT_MAX_RESPONSE_BYTES,
    });
    let result = create_chat(&client, private_chat()).await;
    assert!(
        matches!(result, Err(ErrorKind::Decode { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_huge_token_answer_is_capped_too() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject_on_token(Fault::HugeBody {
        bytes: 4 * 1024 * 1024,
    });
    let client = client_builder(&fake)
        .retry(RetryPolicy::none())
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    match create_chat(&client, private_chat()).await {
        Err(ErrorKind::Auth(inner)) => assert!(
            matches!(*inner, ErrorKind::ResponseTooLarge { limit: 65_536, .. }),
            "{inner:?}"
        ),
        other => panic!("expected an auth error, got {other:?}"),
    }
}

#[tokio::test]
async fn duplicate_keys_take_the_last_value_over_http() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = no_retries(&fake).await;
    fake.inject(Fault::Raw {
        status: 200,
        body: r#"{"code":0,"data":{"chat_id":"oc_first","chat_id":"oc_last"}}"#.to_owned(),
    });
    let chat = create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(chat.chat_id, "oc_last");
    fake.inject(Fault::Raw {
        status: 400,
        body: r#"{"code":0,"code":232043,"msg":"unavailable ids"}"#.to_owned(),
    });
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    let api = error.api().expect("a Feishu error");
    assert_eq!(
        (api.code, api.documented),
        (232043, Some(ChatCode::UnavailableIds))
    );
}
