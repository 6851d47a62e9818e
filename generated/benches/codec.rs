//! Encoding and decoding create chat's doc examples with the generated types
//! against `serde_json::Value`, which SDKs without types pass around.
//!
//! `cargo bench -p feishu-openapi --bench codec`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use feishu_openapi::im::v1::chat::create::{
    ChatMode, ChatType, CreateChatBody, CreateChatResponse, GroupMessageType, I18nNames,
    MembershipApproval, MessageVisibility, OwnerOrAllMembers, RestrictedModePermission,
    RestrictedModeSetting,
};
use serde::Deserialize;
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("../../schema/im/v1/chat/create.json");

/// The doc page's request body and whole response, as JSON text.
fn examples() -> (String, Vec<u8>) {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let examples = &schema["examples"];
    (
        examples["request_body"].to_string(),
        serde_json::to_vec(&examples["response"]).unwrap(),
    )
}

/// The envelope with typed `data`: what a typed client decodes an answer into.
#[derive(Deserialize)]
#[allow(dead_code)] // fields are decoded, not read
struct Envelope {
    code: i64,
    msg: String,
    data: CreateChatResponse,
}

/// The request example built field by field, as a caller would.
fn typed_request() -> CreateChatBody {
    CreateChatBody {
        avatar: Some("default-avatar_44ae0ca3-e140-494b-956f-78091e348435".into()),
        name: Some("测试群名称".into()),
        description: Some("测试群描述".into()),
        i18n_names: Some(I18nNames {
            zh_cn: Some("群聊".into()),
            en_us: Some("group chat".into()),
            ja_jp: Some("グループチャット".into()),
        }),
        owner_id: Some("ou_7d8a6e6df7621556ce0d21922b676706ccs".into()),
        user_id_list: Some(vec!["ou_7d8a6e6df7621556ce0d21922b676706ccs".into()]),
        bot_id_list: Some(vec!["cli_a10fbf7e94b8d01d".into()]),
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

/// The same request as an untyped SDK builds it.
fn value_request() -> Value {
    json!({
        "avatar": "default-avatar_44ae0ca3-e140-494b-956f-78091e348435",
        "name": "测试群名称",
        "description": "测试群描述",
        "i18n_names": {"zh_cn": "群聊", "en_us": "group chat", "ja_jp": "グループチャット"},
        "owner_id": "ou_7d8a6e6df7621556ce0d21922b676706ccs",
        "user_id_list": ["ou_7d8a6e6df7621556ce0d21922b676706ccs"],
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
    })
}

fn encode(c: &mut Criterion) {
    let (request, _) = examples();
    // Both builders must produce the doc's example, or the race is unfair.
    let doc: Value = serde_json::from_str(&request).unwrap();
    assert_eq!(serde_json::to_value(typed_request()).unwrap(), doc);
    assert_eq!(value_request(), doc);

    let mut group = c.benchmark_group("encode");
    group.measurement_time(Duration::from_secs(3));
    let typed = typed_request();
    let value = value_request();
    group.bench_function("serialize/typed", |b| {
        b.iter(|| serde_json::to_vec(black_box(&typed)).unwrap())
    });
    group.bench_function("serialize/value", |b| {
        b.iter(|| serde_json::to_vec(black_box(&value)).unwrap())
    });
    group.bench_function("build_and_serialize/typed", |b| {
        b.iter(|| serde_json::to_vec(&typed_request()).unwrap())
    });
    group.bench_function("build_and_serialize/value", |b| {
        b.iter(|| serde_json::to_vec(&value_request()).unwrap())
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let (_, response) = examples();
    let mut group = c.benchmark_group("decode");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("response/typed", |b| {
        b.iter(|| serde_json::from_slice::<Envelope>(black_box(&response)).unwrap())
    });
    group.bench_function("response/value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&response)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, encode, decode);
criterion_main!(benches);
