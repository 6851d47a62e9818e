//! The doc page's request example (`examples.request_body` of the
//! create-chat schema), built the two ways the benches compare. Both
//! benches check the two against the example before timing.

use feishu_openapi::im::v1::chat::create::{
    ChatMode, ChatType, CreateChatBody, GroupMessageType, I18nNames, MembershipApproval,
    MessageVisibility, OwnerOrAllMembers, RestrictedModePermission, RestrictedModeSetting,
};
use serde_json::{Value, json};

/// The request example built field by field, as a caller would.
pub fn typed() -> CreateChatBody {
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
pub fn untyped() -> Value {
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
