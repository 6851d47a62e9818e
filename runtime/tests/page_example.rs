//! The create chat page's request example, written as builder calls: what
//! goes on the wire is the page's example body byte for byte (the schema
//! keeps the example, `examples.request_body`, and serde_json keeps its key
//! order), and its query is the page's query parameter examples.

use feishu_openapi::im::v1::chat::create::{
    ChatMode, ChatType, GroupMessageType, I18nNames, MembershipApproval, MessageVisibility,
    OwnerOrAllMembers, RestrictedModePermission, RestrictedModeSetting, UserIdType,
};
use feishu_openapi::testing::FakeFeishu;
use feishu_openapi::{Client, RetryPolicy};
use serde_json::Value;

/// The schema of create chat, as checked in.
const SCHEMA: &str = include_str!("../../schema/im/v1/chat/create.json");

fn schema() -> Value {
    serde_json::from_str(SCHEMA).unwrap()
}

#[tokio::test]
async fn the_pages_request_example_as_builder_calls_sends_the_example_bytes() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    // The page's example, one setter per value. Nested objects have no
    // builders of their own: they are struct literals.
    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .user_id_type(UserIdType::OpenId)
        .set_bot_manager(false)
        .uuid("b13g2t38-1jd2-458b-8djf-dtbca5104204")
        .avatar("default-avatar_44ae0ca3-e140-494b-956f-78091e348435")
        .name("测试群名称")
        .description("测试群描述")
        .i18n_names(I18nNames {
            zh_cn: Some("群聊".into()),
            en_us: Some("group chat".into()),
            ja_jp: Some("グループチャット".into()),
        })
        .owner_id("ou_7d8a6e6df7621556ce0d21922b676706ccs")
        .user_id_list(["ou_7d8a6e6df7621556ce0d21922b676706ccs"])
        .bot_id_list(["cli_a10fbf7e94b8d01d"])
        .group_message_type(GroupMessageType::Chat)
        .chat_mode(ChatMode::Group)
        .chat_type(ChatType::Private)
        .join_message_visibility(MessageVisibility::AllMembers)
        .leave_message_visibility(MessageVisibility::AllMembers)
        .membership_approval(MembershipApproval::NoApprovalRequired)
        .restricted_mode_setting(RestrictedModeSetting {
            status: Some(false),
            screenshot_has_permission_setting: Some(RestrictedModePermission::AllMembers),
            download_has_permission_setting: Some(RestrictedModePermission::AllMembers),
            message_has_permission_setting: Some(RestrictedModePermission::AllMembers),
        })
        .urgent_setting(OwnerOrAllMembers::AllMembers)
        .video_conference_setting(OwnerOrAllMembers::AllMembers)
        .edit_permission(OwnerOrAllMembers::AllMembers)
        .hide_member_count_setting(OwnerOrAllMembers::AllMembers)
        .send()
        .await
        .unwrap();

    let schema = schema();
    let calls = fake.requests_to("/open-apis/im/v1/chats");
    assert_eq!(calls.len(), 1);
    let sent = &calls[0];

    // The body: the page's example, byte for byte.
    let example = &schema["examples"]["request_body"];
    let expected = serde_json::to_vec(example).unwrap();
    assert!(
        sent.body == expected,
        "sent:\n{}\nthe page's example:\n{}",
        String::from_utf8_lossy(&sent.body),
        String::from_utf8_lossy(&expected)
    );

    // The query: each parameter's example, in the schema's order.
    let expected_query: Vec<(String, String)> = schema["query"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| {
            let value = match &field["example"] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (field["name"].as_str().unwrap().to_owned(), value)
        })
        .collect();
    assert_eq!(sent.query_pairs(), expected_query);
    assert_eq!(
        sent.query.as_deref(),
        Some(
            "user_id_type=open_id&set_bot_manager=false&uuid=b13g2t38-1jd2-458b-8djf-dtbca5104204"
        )
    );

    // The example's uuid is the call's idempotency key.
    assert_eq!(
        chat.idempotency_key(),
        Some("b13g2t38-1jd2-458b-8djf-dtbca5104204")
    );
    assert_eq!(chat.chat_id.as_deref(), fake.chats()[0]["chat_id"].as_str());
}
