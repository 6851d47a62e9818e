//! A token that cannot be an HTTP header value (a newline in it) is a typed
//! error, `ErrorKind::InvalidAccessToken`, and nothing is sent with it; one the
//! client fetched is dropped, so the next call fetches a good one.

use crate::common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{ErrorKind, RequestOptions};

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
            ErrorKind::InvalidAccessToken {
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
            Err(ErrorKind::InvalidAccessToken {
                fetched_by_client: false
            })
        ),
        "{result:?}"
    );
    assert!(fake.requests().is_empty());
}
