//! The generated group-chat client against the fake Feishu that remembers,
//! over real HTTP: page streams walk the chats a page at a time, and the
//! documented error comes back typed once a chat is disbanded.

use feishu_openapi::im::v1::chat::get::GetChatErrorCode;
use feishu_openapi::testing::FakeFeishu;
use feishu_openapi::{Client, ErrorKind};
use futures_util::StreamExt;

async fn client(fake: &FakeFeishu) -> Client {
    Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn items_walk_every_chat_a_page_at_a_time() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake).await;
    let mut created = Vec::new();
    for i in 0..45 {
        let chat = client
            .im()
            .v1()
            .chat()
            .create()
            .name(format!("chat {i}"))
            .send()
            .await
            .unwrap();
        created.push(chat.chat_id.clone().unwrap());
    }
    let listed: Vec<String> = client
        .im()
        .v1()
        .chat()
        .list()
        .page_size(20)
        .items()
        .map(|chat| chat.unwrap().chat_id.unwrap())
        .collect()
        .await;
    assert_eq!(listed, created);
    // Three requests, each asked for when the page before was read.
    let before = fake.requests_to("/open-apis/im/v1/chats").len();
    let pages: Vec<_> = client
        .im()
        .v1()
        .chat()
        .list()
        .page_size(20)
        .pages()
        .collect()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page.as_ref().unwrap().items.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [20, 20, 5]);
    assert!(
        pages
            .iter()
            .all(|page| page.as_ref().unwrap().log_id().is_some())
    );
    assert_eq!(fake.requests_to("/open-apis/im/v1/chats").len() - before, 3);
}

#[tokio::test]
async fn a_disbanded_chat_answers_get_with_the_documented_variant() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake).await;
    let chats = client.im().v1().chat();
    let chat_id = chats
        .create()
        .name("short-lived")
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();
    let got = chats.get(&chat_id).send().await.unwrap();
    assert_eq!(got.name.as_deref(), Some("short-lived"));
    chats.delete(&chat_id).send().await.unwrap();
    let error = chats.get(&chat_id).send().await.unwrap_err();
    let ErrorKind::Api(api) = error.kind() else {
        panic!("expected a Feishu error, got {error:?}");
    };
    assert_eq!(api.code, 232006);
    assert_eq!(api.documented, Some(GetChatErrorCode::InvalidChatId));
    // The same in one step, as a caller matches it.
    assert_eq!(error.documented(), Some(GetChatErrorCode::InvalidChatId));
}
