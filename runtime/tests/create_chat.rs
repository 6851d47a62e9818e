//! The generated create chat method, end to end against the fake Feishu.

use std::time::Duration;

use feishu_openapi::im::v1::chat::create::{
    ChatMode, ChatType, CreateChatBody, CreateChatErrorCode, CreateChatQuery, GroupMessageType,
    I18nNames, MembershipApproval, MessageVisibility, OwnerOrAllMembers, RestrictedModePermission,
    RestrictedModeSetting, UserIdType,
};
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::validate::Limit;
use feishu_openapi::{Client, Error, ErrorKind, Response, RetryPolicy};
use serde_json::json;

const OWNER: &str = "ou_7d8a6e6df7621556ce0d21922b676706ccs";

fn client(fake: &FakeFeishu) -> Client {
    Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

/// The request body example of the doc, as typed values.
fn doc_example_body() -> CreateChatBody {
    CreateChatBody {
        avatar: Some("default-avatar_44ae0ca3-e140-494b-956f-78091e348435".to_owned()),
        name: Some("测试群名称".to_owned()),
        description: Some("测试群描述".to_owned()),
        i18n_names: Some(I18nNames {
            zh_cn: Some("群聊".to_owned()),
            en_us: Some("group chat".to_owned()),
            ja_jp: Some("グループチャット".to_owned()),
        }),
        owner_id: Some(OWNER.to_owned()),
        user_id_list: Some(vec![OWNER.to_owned()]),
        bot_id_list: Some(vec!["cli_a10fbf7e94b8d01d".to_owned()]),
        group_message_type: Some(GroupMessageType::Chat),
        chat_mode: Some(ChatMode::Group),
        chat_type: Some(ChatType::Private),
        join_message_visibility: Some(MessageVisibility::AllMembers),
        leave_message_visibility: Some(MessageVisibility::AllMembers),
        membership_approval: Some(MembershipApproval::NoApprovalRequired),
        restricted_mode_setting: Some(RestrictedModeSetting {
            status: Some(false),
            screenshot_has_permission_setting: Some(RestrictedModePermission::AllMembers),
            download_has_permission_setting: Some(RestrictedModePermission::AllMembers),
            message_has_permission_setting: Some(RestrictedModePermission::AllMembers),
        }),
        urgent_setting: Some(OwnerOrAllMembers::AllMembers),
        video_conference_setting: Some(OwnerOrAllMembers::AllMembers),
        edit_permission: Some(OwnerOrAllMembers::AllMembers),
        hide_member_count_setting: Some(OwnerOrAllMembers::AllMembers),
    }
}

#[tokio::test]
async fn creates_the_doc_example_chat() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake);
    let query = CreateChatQuery {
        user_id_type: Some(UserIdType::OpenId),
        set_bot_manager: Some(false),
        uuid: Some("b13g2t38-1jd2-458b-8djf-dtbca5104204".to_owned()),
    };

    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .query(query.clone())
        .body(doc_example_body())
        .send()
        .await
        .unwrap();

    let call = fake.api_requests().pop().unwrap();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("POST", "/open-apis/im/v1/chats")
    );
    assert_eq!(
        call.query.as_deref(),
        Some(
            "user_id_type=open_id&set_bot_manager=false&uuid=b13g2t38-1jd2-458b-8djf-dtbca5104204"
        )
    );
    assert_eq!(
        call.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {}", fake.issued_tokens()[0]).as_str())
    );
    assert_eq!(
        call.json(),
        Some(json!({
            "avatar": "default-avatar_44ae0ca3-e140-494b-956f-78091e348435",
            "name": "测试群名称",
            "description": "测试群描述",
            "i18n_names": {"zh_cn": "群聊", "en_us": "group chat", "ja_jp": "グループチャット"},
            "owner_id": OWNER,
            "user_id_list": [OWNER],
            "bot_id_list": ["cli_a10fbf7e94b8d01d"],
            "group_message_type": "chat",
            "chat_mode": "group",
            "chat_type": "private",
            "join_message_visibility": "all_members",
            "leave_message_visibility": "all_members",
            "membership_approval": "no_approval_required",
            "restricted_mode_setting": {
                "status": false,
                "screenshot_has_permission_setting": "all_members",
                "download_has_permission_setting": "all_members",
                "message_has_permission_setting": "all_members"
            },
            "urgent_setting": "all_members",
            "video_conference_setting": "all_members",
            "edit_permission": "all_members",
            "hide_member_count_setting": "all_members"
        }))
    );

    let created = fake.chats();
    assert_eq!(created.len(), 1);
    assert_eq!(chat.chat_id.as_deref(), created[0]["chat_id"].as_str());
    assert_eq!(chat.name.as_deref(), Some("测试群名称"));
    assert_eq!(chat.chat_type, Some(ChatType::Private));
    assert_eq!(chat.owner_id.as_deref(), Some(OWNER));
    assert_eq!(chat.owner_id_type, Some(UserIdType::OpenId));
    assert_eq!(chat.external, Some(false));
}

#[tokio::test]
async fn same_uuid_and_owner_create_one_chat() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake);
    let query = CreateChatQuery {
        uuid: Some("one-chat-please".to_owned()),
        ..Default::default()
    };
    let first = client
        .im()
        .v1()
        .chat()
        .create()
        .query(query.clone())
        .body(doc_example_body())
        .send()
        .await
        .unwrap();
    let second = client
        .im()
        .v1()
        .chat()
        .create()
        .query(query.clone())
        .body(doc_example_body())
        .send()
        .await
        .unwrap();
    assert_eq!(first.chat_id, second.chat_id);
    assert_eq!(fake.chats().len(), 1);
}

#[tokio::test]
async fn documented_limits_stop_the_call_before_sending() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake);
    let body = CreateChatBody {
        chat_type: Some(ChatType::Public),
        name: Some("x".to_owned()),
        bot_id_list: Some(vec!["cli_a10fbf7e94b8d01d".to_owned(); 6]),
        ..Default::default()
    };
    let result = client
        .im()
        .v1()
        .chat()
        .create()
        .body(body)
        .send()
        .await
        .map(Response::into_inner)
        .map_err(Error::into_kind);
    let Err(ErrorKind::Validation(violations)) = result else {
        panic!("expected a validation error, got {result:?}");
    };
    let found: Vec<_> = violations
        .iter()
        .map(|violation| (violation.field.as_str(), violation.code))
        .collect();
    assert_eq!(
        found,
        [("body.bot_id_list", None), ("body.name", Some(232020))]
    );
    assert_eq!(violations[1].limit, Limit::MinChars { min: 2, actual: 1 });
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn server_side_codes_map_to_the_documented_variant() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake);
    let error = client
        .im()
        .v1()
        .chat()
        .create()
        .user_id_list(["ou_unknown"])
        .send()
        .await
        .unwrap_err();
    let api = error.api().expect("a Feishu error");
    assert_eq!((api.code, api.http_status), (232043, 400));
    assert_eq!(api.documented, Some(CreateChatErrorCode::UnavailableIds));
    assert!(
        api.advice()
            .is_some_and(|advice| advice.contains("bot_id_list"))
    );
    assert!(error.log_id().is_some());
}

#[tokio::test]
async fn rate_limited_create_is_retried_with_one_uuid_and_options_apply() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client(&fake);
    fake.inject(Fault::ChatRateLimited);
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    let chat = client
        .im()
        .v1()
        .chat()
        .create()
        .body(doc_example_body())
        .request_id("bot-run-7")
        .send()
        .await
        .unwrap();

    let calls = fake.api_requests();
    assert_eq!(calls.len(), 3);
    let uuid = calls[0].query_param("uuid").expect("a generated uuid");
    assert!(
        calls
            .iter()
            .all(|call| call.query_param("uuid").as_deref() == Some(uuid.as_str()))
    );
    assert!(
        calls
            .iter()
            .all(|call| call.header("x-request-id") == Some("bot-run-7"))
    );
    assert_eq!(fake.chats().len(), 1);
    assert_eq!(chat.chat_id.as_deref(), fake.chats()[0]["chat_id"].as_str());
}
