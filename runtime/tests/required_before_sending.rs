//! A required field left unset stops the call before anything is sent.
//!
//! Create chat, the one endpoint generated so far, has no field that is
//! always required; its `name` is required when the chat is public (the
//! page's 232042). That is run here, through the generated builder against
//! the fake. A field required outright is run against a generated fixture
//! in codegen/tests/compatible_changes.rs.

use feishu_openapi::im::v1::chat::create::ChatType;
use feishu_openapi::testing::FakeFeishu;
use feishu_openapi::validate::{Limit, Violation};
use feishu_openapi::{Client, ErrorKind};

async fn fake_and_client() -> (FakeFeishu, Client) {
    let fake = FakeFeishu::start().await.unwrap();
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    (fake, client)
}

fn name_required() -> Violation {
    Violation {
        field: "body.name".to_owned(),
        limit: Limit::Required,
        when: Some("chat_type = \"public\""),
        code: Some(232042),
    }
}

#[tokio::test]
async fn a_public_chat_without_a_name_is_refused_before_sending() {
    let (fake, client) = fake_and_client().await;
    let error = client
        .im()
        .v1()
        .chat()
        .create()
        .chat_type(ChatType::Public)
        .owner_id("ou_7d8a6e6df7621556ce0d21922b676706ccs")
        .send()
        .await
        .unwrap_err();

    let ErrorKind::Validation(violations) = error.kind() else {
        panic!("expected a validation error, got {error:?}");
    };
    assert_eq!(violations, &[name_required()]);
    // Not even the token was fetched.
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn an_empty_name_counts_as_unset() {
    let (fake, client) = fake_and_client().await;
    let error = client
        .im()
        .v1()
        .chat()
        .create()
        .chat_type(ChatType::Public)
        .name("")
        .send()
        .await
        .unwrap_err();

    let ErrorKind::Validation(violations) = error.kind() else {
        panic!("expected a validation error, got {error:?}");
    };
    // Unset, and (being set to "") shorter than the page's 2 characters.
    assert_eq!(
        violations,
        &[
            name_required(),
            Violation {
                field: "body.name".to_owned(),
                limit: Limit::MinChars { min: 2, actual: 0 },
                when: Some("chat_type = \"public\""),
                code: Some(232020),
            }
        ]
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_private_chat_needs_no_name() {
    let (fake, client) = fake_and_client().await;
    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .chat_type(ChatType::Private)
        .send()
        .await
        .unwrap();
    // The fake names it as Feishu does.
    assert_eq!(chat.name.as_deref(), Some("(无主题)"));
    assert_eq!(fake.requests_to("/open-apis/im/v1/chats").len(), 1);
}
