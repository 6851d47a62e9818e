//! `cargo xtask drift`: the seed page against the hand-written schema has no
//! drift; each kind of doc change, made on a copy of the page, gives exactly
//! its report line.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::{drift, page};

const SEED: &str = include_str!("fixtures/im-v1-chat-create.md");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The create-chat schema with its version's shared types, as drift reads it.
fn schema() -> feishu_codegen::spec::EndpointSpec {
    let path = root().join("schema/im/v1/chat/create.json");
    xtask::schema_file::read_with_shared(&path, "create.json")
        .unwrap()
        .0
}

/// The report for the seed page with each `(from, to)` replaced once.
fn report(edits: &[(&str, &str)]) -> Vec<String> {
    let mut text = SEED.to_owned();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit target not unique: {from}"
        );
        text = text.replacen(from, to, 1);
    }
    let page = page::parse("page.md", &text).unwrap();
    drift::compare(&page, &schema())
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_seed_page_matches_the_hand_written_schema() {
    assert_eq!(report(&[]), Vec::<String>::new());
}

/// Every page of `im` against the committed schema that names it, as
/// `cargo xtask drift pages` runs: nothing differs, so CI can fail on any
/// difference. (CI runs that command over all of `pages/`: in a debug
/// build, minutes.)
#[test]
fn every_im_page_matches_its_committed_schema() {
    let outcomes = xtask::batch::drift(&root().join("pages/im"), None, &[], || Ok(root())).unwrap();
    let not_matching: Vec<&str> = outcomes
        .iter()
        .map(xtask::batch::Outcome::line)
        .filter(|line| !line.starts_with("no drift: "))
        .collect();
    assert!(not_matching.is_empty(), "{not_matching:#?}");
    assert_eq!(outcomes.len(), 86);
    assert_eq!(xtask::batch::status(&outcomes), 0);
}

#[test]
fn a_newer_page_is_reported() {
    assert_eq!(
        report(&[(
            "last_remote_update: 2024-11-25",
            "last_remote_update: 2025-02-01"
        )]),
        ["source: updated: 2024-11-25 (1732502476000) -> 2025-02-01 (1732502476000)"]
    );
}

#[test]
fn method_and_path_changes_are_reported() {
    assert_eq!(
        report(&[
            ("HTTP Method | POST", "HTTP Method | PUT"),
            (
                "HTTP URL | https://open.feishu.cn/open-apis/im/v1/chats",
                "HTTP URL | https://open.feishu.cn/open-apis/im/v2/chats"
            ),
        ]),
        [
            "shape: method: POST -> PUT",
            "shape: path: /open-apis/im/v1/chats -> /open-apis/im/v2/chats",
        ]
    );
}

#[test]
fn an_added_enum_value_is_reported() {
    assert_eq!(
        report(&[(
            "- `public`：公开群  \n**示例值**：\"private\"",
            "- `public`：公开群  \n- `secret`：秘密群  \n**示例值**：\"private\""
        )]),
        ["shape: body.chat_type: enum value added `secret`"]
    );
}

#[test]
fn a_removed_enum_value_is_reported() {
    assert_eq!(
        report(&[("- `moderator_list`：指定群成员\n", "")]),
        ["shape: response.moderation_permission: enum value removed `moderator_list`"]
    );
}

#[test]
fn a_changed_limit_and_default_are_reported() {
    assert_eq!(
        report(&[
            ("- 最大长度：`50` 字符", "- 最大长度：`64` 字符"),
            ("**默认值**：`private`", "**默认值**：`public`"),
        ]),
        [
            "shape: query.uuid: max_length 50 -> 64",
            "shape: body.chat_type: default \"private\" -> \"public\"",
        ]
    );
}

#[test]
fn added_removed_and_retyped_fields_and_required_ness_are_reported() {
    assert_eq!(
        report(&[
            (
                "avatar | string | 否 | 群头像对应的 Image Key",
                "avatar | string | 是 | 群头像对应的 Image Key"
            ),
            (
                "external | boolean | 是否是外部群",
                "external | string | 是否是外部群"
            ),
            ("tenant_key | string | 租户", "tenant_name | string | 租户"),
            (
                "user_id_type | string | 否 | 用户 ID 类型",
                "page_size | int | 否 | 分页大小\nuser_id_type | string | 否 | 用户 ID 类型"
            ),
        ]),
        [
            "shape: query.page_size: field added (integer)",
            "shape: body.avatar: required false -> true",
            "shape: response.external: type boolean -> string",
            "shape: response.tenant_name: field added (string)",
            "shape: response.tenant_key: field removed",
        ]
    );
}

#[test]
fn a_field_added_inside_a_nested_object_is_reported() {
    assert_eq!(
        report(&[
            (
                "ja_jp | string | 否 | 日文名  \n**示例值**：\"グループチャット\"",
                "ja_jp | string | 否 | 日文名  \n**示例值**：\"グループチャット\"\nko_kr | string | 否 | 韩文名"
            ),
            (
                "        \"ja_jp\": \"グループチャット\"\n    },\n    \"owner_id\"",
                "        \"ja_jp\": \"グループチャット\",\n        \"ko_kr\": \"그룹\"\n    },\n    \"owner_id\""
            ),
        ]),
        [
            "shape: body.i18n_names.ko_kr: field added (string)",
            "example: request_example.i18n_names.ko_kr: added \"그룹\"",
        ]
    );
}

#[test]
fn error_codes_added_and_removed_are_reported() {
    assert_eq!(
        report(&[(
            "400 | 232021 | Bot can NOT be found. | 未找到机器人。\n",
            "400 | 232099 | Something new. | 新错误。\n"
        ),]),
        [
            "shape: errors.232099: added (400 Something new.)",
            "shape: errors.232021: removed",
        ]
    );
}

#[test]
fn the_command_exits_0_without_drift_1_with_drift_and_2_on_a_bad_page() {
    let dir = tempfile::tempdir().unwrap();
    let run = |text: &str| {
        let page = dir.path().join("page.md");
        fs::write(&page, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args([
                "drift",
                page.to_str().unwrap(),
                "--root",
                root().to_str().unwrap(),
            ])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, stdout, _) = run(SEED);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("no drift: schema/im/v1/chat/create.json matches "));

    let (code, stdout, _) = run(&SEED.replace("HTTP Method | POST", "HTTP Method | GET"));
    assert_eq!(
        (code, stdout.as_str()),
        (Some(1), "shape: method: POST -> GET\n")
    );

    let (code, _, stderr) = run("# 创建群\n");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("page.md:1: not a Feishu doc page"),
        "{stderr}"
    );
}

#[test]
fn an_older_page_and_another_address_are_reported() {
    assert_eq!(
        report(&[
            (
                "last_remote_update: 2024-11-25",
                "last_remote_update: 2024-01-02"
            ),
            (
                "source_url: https://open.feishu.cn/document/server-docs/group/chat/create",
                "source_url: https://open.feishu.cn/document/group/chat/create"
            ),
        ]),
        [
            "source: updated: 2024-11-25 (1732502476000) -> 2024-01-02 (1732502476000)",
            "source: url: https://open.feishu.cn/document/server-docs/group/chat/create -> https://open.feishu.cn/document/group/chat/create",
        ]
    );
}

#[test]
fn rate_limit_and_scope_changes_are_reported() {
    assert_eq!(
        report(&[
            ("[1000 次/分钟、50 次/秒]", "[100 次/分钟、5 次/秒]"),
            ("创建群(im:chat:create)", "创建群(im:chat:create_v2)"),
        ]),
        [
            "shape: rate_limit: 1000/min 50/s -> 100/min 5/s",
            "shape: scopes: added `im:chat:create_v2`",
            "shape: scopes: removed `im:chat:create`",
        ]
    );
}

#[test]
fn values_listed_for_a_plain_string_field_are_reported() {
    assert_eq!(
        report(&[(
            "tenant_key | string | 租户在飞书上的唯一标识，用来换取对应的 tenant_access_token，也可以用作租户在应用里面的唯一标识\n",
            "tenant_key | string | 租户在飞书上的唯一标识，用来换取对应的 tenant_access_token，也可以用作租户在应用里面的唯一标识  \n**可选值有**：  \n- `a`：甲  \n- `b`：乙\n",
        )]),
        ["shape: response.tenant_key: the page now lists values `a`, `b` (schema: plain string)"]
    );
}

#[test]
fn path_parameters_are_compared() {
    assert_eq!(
        report(&[
            (
                "https://open.feishu.cn/open-apis/im/v1/chats\n",
                "https://open.feishu.cn/open-apis/im/v1/chats/:chat_id\n"
            ),
            (
                "### 查询参数\n",
                "### 路径参数\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\nchat_id | string | 是 | 群 ID  \n**示例值**：\"oc_a0553eda9014c201e6969b478895c230\"\n\n### 查询参数\n"
            ),
        ]),
        [
            "shape: path: /open-apis/im/v1/chats -> /open-apis/im/v1/chats/:chat_id",
            "shape: path.chat_id: field added (string)",
        ]
    );
}

#[test]
fn the_command_takes_the_schema_as_a_second_argument() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    fs::write(
        &page,
        SEED.replace("**默认值**：`private`", "**默认值**：`public`"),
    )
    .unwrap();
    let schema = root().join("schema/im/v1/chat/create.json");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["drift", page.to_str().unwrap(), schema.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "shape: body.chat_type: default \"private\" -> \"public\"\n"
    );

    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["drift", page.to_str().unwrap(), bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("error: ")
    );
}

#[test]
fn every_kind_of_edit_is_reported_at_its_path_with_its_class() {
    assert_eq!(
        report(&[
            // source and head
            (
                "last_remote_update_timestamp: 1732502476000",
                "last_remote_update_timestamp: 1732502999000"
            ),
            ("title: \"创建群\"", "title: \"新建群\""),
            (
                "创建群聊，创建时支持设置群头像",
                "创建群组，创建时支持设置群头像"
            ),
            ("应用需要开启[机器人能力]", "应用必须开启[机器人能力]"),
            (
                "支持的应用类型 | 自建应用、商店应用",
                "支持的应用类型 | 自建应用"
            ),
            (
                "获取与更新群组信息(im:chat)  \n",
                "获取与更新群组信息(im:chat)  \n            读取群组信息(im:chat:readonly)  \n"
            ),
            (
                "        获取用户 user ID(contact:user.employee_id:readonly)\n",
                "        获取用户 user ID(contact:user.employee_id:readonly)  \n        获取用户邮箱(contact:user.email:readonly)\n"
            ),
            (
                "Authorization | string | 是 | `tenant_access_token`",
                "Authorization | string | 是 | `tenant_access_token` 或 `user_access_token`"
            ),
            (
                "**固定值**：\"application/json; charset=utf-8\"",
                "**固定值**：\"application/json\"\nX-Request-Id | string | 否 | 请求 ID"
            ),
            // fields
            ("- 建议群名称不超过 60 字符  \n", "- 最多 50 个字符  \n"),
            ("**示例值**：\"测试群名称\"", "**示例值**：\"测试群\""),
            (
                "ja_jp | string | 否 | 日文名  \n**示例值**：\"グループチャット\"",
                "ja_jp | string | 否 | 日文名  \n**示例值**：\"グループチャット\"\nko_kr | string | 否 | 韩文名  \n**示例值**：\"그룹\""
            ),
            (
                "- `private`：私有群  \n- `public`：公开群  \n**示例值**",
                "- `private`：私密群  \n- `public`：公开群  \n**示例值**"
            ),
            ("- 最大长度：`5`", "- 最大长度：`10`"),
            (
                "message_has_permission_setting | string | 允许复制和转发消息",
                "pin_setting | string | 谁可以置顶\nmessage_has_permission_setting | string | 允许复制和转发消息"
            ),
            // examples (the rendered form nests a row by the example)
            (
                "        \"ja_jp\": \"グループチャット\"\n    },\n    \"owner_id\"",
                "        \"ja_jp\": \"グループチャット\",\n        \"ko_kr\": \"그룹\"\n    },\n    \"owner_id\""
            ),
            (
                "    \"chat_type\": \"private\",\n    \"join_message_visibility\"",
                "    \"chat_type\": \"secret\",\n    \"join_message_visibility\""
            ),
            (
                "        \"chat_tag\": \"inner\",",
                "        \"chat_tag\": \"inner\",\n        \"labels\": [1],"
            ),
            // errors
            (
                "400 | 232021 | Bot can NOT be found. | 未找到机器人。",
                "404 | 232021 | The bot can NOT be found. | 未找到该机器人。"
            ),
        ]),
        [
            "source: updated: 2024-11-25 (1732502476000) -> 2024-11-25 (1732502999000)",
            "wording: title: \"创建群\" -> \"新建群\"",
            "wording: summary: \"创建群聊 创建时支持…\" -> \"创建群组 创建时支持…\"",
            "wording: notes[0]: \"…提条件 应用需要开启 机器人…\" -> \"…提条件 应用必须开启 机器人…\"",
            // headers are notes too, as import-doc keeps them
            "wording: notes[5]: \"…application json charset utf 8\" -> \"…application json\"",
            "wording: notes[6]: added \"请求头 `X-Request-Id`：请求 ID\"",
            "shape: access_tokens: added `user`",
            "shape: app_types: removed `store`",
            "shape: scopes: added `im:chat:readonly`",
            "shape: field_scopes: added `contact:user.email:readonly`",
            "shape: headers.Content-Type: application/json; charset=utf-8 -> application/json",
            "shape: headers.X-Request-Id: added (the schema format has no headers)",
            "example: body.name: example \"测试群名称\" -> \"测试群\"",
            "wording: body.name: description \"…名称 注意 建议群名称不超过 60 字符 公开群…\" -> \"…名称 注意 最多 50 个字符 公开群…\"",
            "shape: body.i18n_names.ko_kr: field added (string)",
            "shape: body.bot_id_list: max_items 5 -> 10",
            "wording: body.chat_type: value `private` \"私有群\" -> \"私密群\"",
            "shape: response.restricted_mode_setting.pin_setting: field added (string)",
            "example: request_example.i18n_names.ko_kr: added \"그룹\"",
            "example: request_example.chat_type: \"private\" -> \"secret\"",
            "shape: request_example.chat_type: the example writes \"secret\", which `ChatType` does not list",
            "example: response_example.data.labels: added [1]",
            "shape: errors.232021: http status 400 -> 404",
            "wording: errors.232021: message \"Bot can NOT…\" -> \"The bot can NOT…\"",
            "wording: errors.232021: advice \"未找到机器人\" -> \"未找到该机器人\"",
        ]
    );
}

#[test]
fn a_date_changed_alone_is_reported() {
    assert_eq!(
        report(&[(
            "last_remote_update: 2024-11-25",
            "last_remote_update: 2024-11-26"
        )]),
        ["source: updated: 2024-11-25 (1732502476000) -> 2024-11-26 (1732502476000)"]
    );
}

#[test]
fn ignored_classes_print_marked_and_do_not_fail_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    let schema = root().join("schema/im/v1/chat/create.json");
    let run = |text: &str, ignore: &str| {
        fs::write(&page, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["drift", page.to_str().unwrap(), schema.to_str().unwrap()])
            .args(["--ignore", ignore])
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let reworded = SEED.replace("| 群分享权限", "| 群的分享权限");
    assert_eq!(
        run(&reworded, "wording,example,source"),
        (
            Some(0),
            "(ignored) wording: response.share_card_permission: description \"群分享权限\" -> \"群的分享权限\"\n".into()
        )
    );
    let both = reworded.replace("HTTP Method | POST", "HTTP Method | PUT");
    assert_eq!(
        run(&both, "wording"),
        (
            Some(1),
            "shape: method: POST -> PUT\n(ignored) wording: response.share_card_permission: description \"群分享权限\" -> \"群的分享权限\"\n".into()
        )
    );
}
