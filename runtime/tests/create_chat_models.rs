//! The generated create-chat types against the doc page's own examples and
//! rules: exact JSON on the wire, open enums, every documented limit.

use feishu_openapi::ErrorCode;
use feishu_openapi::im::v1::chat::create::*;
use feishu_openapi::query::QueryParams;
use feishu_openapi::validate::{Limit, Validate, Violation};
use serde_json::{Value, json};

/// The schema file keeps the page's 请求体示例 and 响应体示例.
fn example(name: &str) -> Value {
    let schema: Value =
        serde_json::from_str(include_str!("../../schema/im/v1/chat/create.json")).unwrap();
    schema["examples"][name].clone()
}

#[test]
fn request_example_round_trips_exactly() {
    let example = example("request_body");
    let body: CreateChatBody = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(body.chat_type, Some(ChatType::Private));
    assert_eq!(
        body.user_id_list.as_deref(),
        Some(&["ou_7d8a6e6df7621556ce0d21922b676706ccs".to_owned()][..])
    );
    assert_eq!(
        body.restricted_mode_setting
            .as_ref()
            .unwrap()
            .download_has_permission_setting,
        Some(RestrictedModePermission::AllMembers)
    );
    assert_eq!(serde_json::to_value(&body).unwrap(), example);
}

#[test]
fn response_example_decodes_including_the_all_members_spelling() {
    let example = example("response");
    assert_eq!(example["code"], 0);
    let data: CreateChatData = serde_json::from_value(example["data"].clone()).unwrap();
    assert_eq!(
        data.chat_id.as_deref(),
        Some("oc_a0553eda9014c201e6969b478895c230")
    );
    assert_eq!(data.owner_id_type, Some(UserIdType::OpenId));
    // The page writes "all members"; the schema's alias says it means all_members.
    assert_eq!(
        data.add_member_permission,
        Some(OwnerOrAllMembers::AllMembers)
    );
    assert_eq!(data.at_all_permission, Some(OwnerOrAllMembers::AllMembers));
    assert_eq!(data.edit_permission, Some(OwnerOrAllMembers::AllMembers));
    assert_eq!(
        data.share_card_permission,
        Some(ShareCardPermission::Allowed)
    );
    assert_eq!(data.chat_tag, Some(ChatTag::Inner));
    assert_eq!(
        data.moderation_permission,
        Some(ModerationPermission::AllMembers)
    );
    assert_eq!(data.external, Some(false));
    let names: I18nNames = data.i18n_names.clone().unwrap();
    assert_eq!(names.zh_cn.as_deref(), Some("群聊"));
    assert_eq!(names.en_us.as_deref(), Some("group chat"));
    assert_eq!(names.ja_jp.as_deref(), Some("グループチャット"));
    // Re-encoding writes the documented spelling.
    let again = serde_json::to_value(&data).unwrap();
    assert_eq!(again["add_member_permission"], "all_members");
    let mut expected = example["data"].clone();
    for key in [
        "add_member_permission",
        "at_all_permission",
        "edit_permission",
    ] {
        expected[key] = json!("all_members");
    }
    assert_eq!(again, expected);
}

#[test]
fn unset_optional_fields_are_absent_on_the_wire() {
    assert_eq!(
        serde_json::to_value(CreateChatBody::default()).unwrap(),
        json!({})
    );
    let body = CreateChatBody {
        name: Some("周会".into()),
        chat_type: Some(ChatType::Public),
        restricted_mode_setting: Some(RestrictedModeSetting {
            status: Some(true),
            screenshot_has_permission_setting: Some(RestrictedModePermission::NotAnyone),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"name":"周会","chat_type":"public","restricted_mode_setting":{"status":true,"screenshot_has_permission_setting":"not_anyone"}}"#
    );
}

#[test]
fn unknown_enum_values_round_trip_unchanged() {
    let data: CreateChatData = serde_json::from_value(
        json!({ "chat_tag": "vip_group", "chat_mode": "topic", "owner_id_type": "email" }),
    )
    .unwrap();
    assert_eq!(data.chat_tag, Some(ChatTag::Unknown("vip_group".into())));
    assert_eq!(data.chat_mode, Some(ChatMode::Unknown("topic".into())));
    assert_eq!(
        serde_json::to_value(&data).unwrap(),
        json!({ "chat_tag": "vip_group", "chat_mode": "topic", "owner_id_type": "email" })
    );
    assert_eq!(ChatTag::from("vip_group").as_str(), "vip_group");
    assert_eq!(ChatTag::from("customer_service"), ChatTag::CustomerService);
    assert_eq!(
        OwnerOrAllMembers::documented("all members"),
        Some(OwnerOrAllMembers::AllMembers)
    );
    assert_eq!(OwnerOrAllMembers::documented("everyone"), None);
    assert_eq!(MessageVisibility::NotAnyone.to_string(), "not_anyone");
}

#[test]
fn non_string_enum_value_is_a_decode_error_not_a_panic() {
    let err = serde_json::from_value::<CreateChatData>(json!({ "chat_type": 3 })).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid type: integer `3`, expected a string"
    );
}

#[test]
fn query_parameters_in_doc_order_as_wire_text() {
    let query = CreateChatQuery {
        user_id_type: Some(UserIdType::UnionId),
        set_bot_manager: Some(true),
        uuid: Some("b13g2t38-1jd2-458b-8djf-dtbca5104204".into()),
    };
    let mut pairs = Vec::new();
    query.append_to(&mut pairs);
    assert_eq!(
        pairs,
        [
            ("user_id_type", "union_id".to_owned()),
            ("set_bot_manager", "true".to_owned()),
            ("uuid", "b13g2t38-1jd2-458b-8djf-dtbca5104204".to_owned()),
        ]
    );
    let mut none = Vec::new();
    CreateChatQuery::default().append_to(&mut none);
    assert_eq!(none, []);
}

fn violations<T: Validate>(value: &T, at: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    value.validate(at, &mut out);
    out
}

fn violation(
    field: &str,
    limit: Limit,
    when: Option<&'static str>,
    code: Option<i64>,
) -> Violation {
    Violation {
        field: field.into(),
        limit,
        when,
        code,
    }
}

#[test]
fn the_doc_examples_pass_validation() {
    let body: CreateChatBody = serde_json::from_value(example("request_body")).unwrap();
    assert_eq!(violations(&body, "body"), []);
    assert_eq!(violations(&CreateChatBody::default(), "body"), []);
}

#[test]
fn uuid_is_at_most_50_characters() {
    let ok = CreateChatQuery {
        uuid: Some("群".repeat(50)),
        ..Default::default()
    };
    assert_eq!(violations(&ok, "query"), []);
    let long = CreateChatQuery {
        uuid: Some("u".repeat(51)),
        ..Default::default()
    };
    assert_eq!(
        violations(&long, "query"),
        [violation(
            "query.uuid",
            Limit::MaxChars {
                max: 50,
                actual: 51
            },
            None,
            None
        )]
    );
}

#[test]
fn member_and_bot_lists_are_bounded() {
    let body = CreateChatBody {
        user_id_list: Some(vec!["ou_x".into(); 51]),
        bot_id_list: Some(vec!["cli_x".into(); 6]),
        ..Default::default()
    };
    assert_eq!(
        violations(&body, "body"),
        [
            violation(
                "body.user_id_list",
                Limit::MaxItems {
                    max: 50,
                    actual: 51
                },
                None,
                None
            ),
            violation(
                "body.bot_id_list",
                Limit::MaxItems { max: 5, actual: 6 },
                None,
                None
            ),
        ]
    );
    let at_limit = CreateChatBody {
        user_id_list: Some(vec!["ou_x".into(); 50]),
        bot_id_list: Some(vec!["cli_x".into(); 5]),
        ..Default::default()
    };
    assert_eq!(violations(&at_limit, "body"), []);
}

#[test]
fn a_public_chat_needs_a_name_of_two_characters() {
    let public = |name: Option<&str>| CreateChatBody {
        chat_type: Some(ChatType::Public),
        name: name.map(str::to_owned),
        ..Default::default()
    };
    let when = Some("chat_type = \"public\"");
    assert_eq!(
        violations(&public(None), "body"),
        [violation("body.name", Limit::Required, when, Some(232042))]
    );
    assert_eq!(
        violations(&public(Some("群")), "body"),
        [violation(
            "body.name",
            Limit::MinChars { min: 2, actual: 1 },
            when,
            Some(232020)
        )]
    );
    // An empty name is a missing name to the server (232042), and too short.
    assert_eq!(
        violations(&public(Some("")), "body"),
        [
            violation("body.name", Limit::Required, when, Some(232042)),
            violation(
                "body.name",
                Limit::MinChars { min: 2, actual: 0 },
                when,
                Some(232020)
            ),
        ]
    );
    assert_eq!(violations(&public(Some("群聊")), "body"), []);
    // Private is the default chat type; short names are fine there.
    let private = CreateChatBody {
        name: Some("群".into()),
        ..Default::default()
    };
    assert_eq!(violations(&private, "body"), []);
}

#[test]
fn restricted_mode_on_needs_one_setting_that_is_not_all_members() {
    let on = |screenshot: Option<RestrictedModePermission>| CreateChatBody {
        restricted_mode_setting: Some(RestrictedModeSetting {
            status: Some(true),
            screenshot_has_permission_setting: screenshot,
            ..Default::default()
        }),
        ..Default::default()
    };
    // Absent settings default to all_members, so all three are all_members.
    assert_eq!(
        violations(&on(None), "body"),
        [violation(
            "body.restricted_mode_setting",
            Limit::NotAllEqual {
                fields: &[
                    "screenshot_has_permission_setting",
                    "download_has_permission_setting",
                    "message_has_permission_setting",
                ],
                value: "all_members",
            },
            Some("status = true"),
            None,
        )]
    );
    assert_eq!(
        violations(&on(Some(RestrictedModePermission::NotAnyone)), "body"),
        []
    );
}

#[test]
fn restricted_mode_off_allows_no_not_anyone() {
    let off = |status: Option<bool>| RestrictedModeSetting {
        status,
        download_has_permission_setting: Some(RestrictedModePermission::NotAnyone),
        message_has_permission_setting: Some(RestrictedModePermission::NotAnyone),
        ..Default::default()
    };
    let expected = [
        violation(
            "body.restricted_mode_setting.download_has_permission_setting",
            Limit::NotEqual {
                value: "not_anyone",
            },
            Some("status = false"),
            None,
        ),
        violation(
            "body.restricted_mode_setting.message_has_permission_setting",
            Limit::NotEqual {
                value: "not_anyone",
            },
            Some("status = false"),
            None,
        ),
    ];
    assert_eq!(
        violations(&off(Some(false)), "body.restricted_mode_setting"),
        expected
    );
    // status defaults to false.
    assert_eq!(
        violations(&off(None), "body.restricted_mode_setting"),
        expected
    );
    assert_eq!(
        violations(&off(Some(true)), "body.restricted_mode_setting"),
        []
    );
}

#[test]
fn all_22_documented_error_codes_with_message_and_advice() {
    let codes = [
        232001, 232004, 232019, 232020, 232021, 232022, 232023, 232025, 232030, 232032, 232033,
        232034, 232037, 232042, 232043, 232057, 232068, 232069, 232091, 232095, 232078, 232079,
    ];
    for code in codes {
        let known = CreateChatErrorCode::from_code(code).unwrap_or_else(|| panic!("{code}"));
        assert_eq!(known.code(), code);
        assert_eq!(known.http_status(), 400);
        assert!(!known.message().is_empty() && !known.advice().is_empty());
    }
    let short = CreateChatErrorCode::from_code(232020).unwrap();
    assert_eq!(short, CreateChatErrorCode::PublicChatNameTooShort);
    assert_eq!(
        short.message(),
        "Name can NOT be less than two characters for public chats."
    );
    assert_eq!(short.advice(), "公开群名称太短，不得少于 2 个字符。");
    assert_eq!(CreateChatErrorCode::from_code(99991663), None);
    assert_eq!(RATE_LIMITED_CODES, [232019]);
}

#[test]
fn endpoint_descriptor_matches_the_page() {
    use feishu_openapi::endpoint::{AccessTokenKind, Method, RateLimit};
    assert_eq!(ENDPOINT.id, "im.v1.chat.create");
    assert_eq!(ENDPOINT.method, Method::Post);
    assert_eq!(ENDPOINT.path, "/open-apis/im/v1/chats");
    assert_eq!(ENDPOINT.access_tokens, [AccessTokenKind::Tenant]);
    assert_eq!(ENDPOINT.idempotency_key, Some("uuid"));
    assert_eq!(
        ENDPOINT.rate_limit,
        Some(RateLimit {
            per_minute: Some(1000),
            per_second: Some(50)
        })
    );
    assert_eq!(ENDPOINT.rate_limited_codes, [232019]);
    assert_eq!(SCOPES, ["im:chat", "im:chat:create"]);
}

#[test]
fn resource_handles_borrow_the_client_not_each_other() {
    let client = feishu_openapi::Client::new("cli_test", "secret").unwrap();
    // Keeping a handle in a variable compiles only when it borrows the client.
    let chat = client.im().v1().chat();
    let copy = chat;
    assert_eq!(format!("{:?}", copy.clone()), format!("{chat:?}"));
}
