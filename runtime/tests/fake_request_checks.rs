//! Building a client hands the fake Feishu the generated request checks:
//! alone in its test binary, so nothing else registers them first.

use feishu_openapi::Client;
use feishu_openapi::testing::FakeFeishu;
use serde_json::{Value, json};

#[tokio::test]
async fn once_a_client_is_built_the_fake_checks_the_pages_limits_on_arrival() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    // The client refuses to send what breaks a limit, so the request that
    // does goes out raw, with a token the client fetched.
    client.im().v1().chat().list().send().await.unwrap();
    let token = fake.issued_tokens().pop().unwrap();
    let answer: Value = reqwest::Client::new()
        .get(format!(
            "{}/open-apis/im/v1/chats?page_size=101",
            fake.url()
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        answer,
        json!({
            "code": 99992402,
            "msg": "field validation failed",
            "error": {"field_violations": [
                {"field": "query.page_size", "description": "must be at most 100 (is 101)"}
            ]},
        })
    );
}
