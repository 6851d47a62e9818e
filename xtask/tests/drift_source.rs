//! `cargo xtask drift` on the doc-source pages in the repository's
//! `pages/`: a page against
//! the schema just imported from it has no drift, and each kind of edit
//! made to a page gives exactly its report line, at its exact path.

use std::path::{Path, PathBuf};

use xtask::{drift, import, page};

fn raw() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages")
}

/// Every endpoint page of `im/v1`'s group chats and messages, whose
/// schemas were reviewed (events have no request to compare). The other
/// pages' schemas, uploads and downloads among them, are their drafts,
/// which `cargo xtask drift pages` finds unchanged.
fn endpoint_pages() -> Vec<PathBuf> {
    const DRAFTED: [&str; 3] = ["file", "image", "message_resource"];
    let mut pages = xtask::batch::page_files(&raw().join("im/v1")).unwrap();
    pages.retain(|p| {
        !p.components()
            .any(|c| c.as_os_str() == "events" || DRAFTED.iter().any(|d| c.as_os_str() == *d))
    });
    pages
}

/// The report for the page at `rel` (below `raw/im/v1`) with each
/// `(from, to)` replaced once, against the schema imported from the page
/// as it stands.
fn report(rel: &str, edits: &[(&str, &str)]) -> Vec<String> {
    let text = std::fs::read_to_string(raw().join("im/v1").join(rel)).unwrap();
    let schema = import::import(&page::parse_any(rel, &text).unwrap(), None).spec;
    lines(&edited(rel, edits), &schema)
}

/// The report for the page at `rel` (below `raw/im/v1`) with each
/// `(from, to)` replaced once, against its committed schema `schema`
/// (below `schema/im/v1`) with the version's shared types, as `cargo
/// xtask drift` reads it.
fn against_committed(rel: &str, schema: &str, edits: &[(&str, &str)]) -> Vec<String> {
    let path = raw().join("../schema/im/v1").join(schema);
    let schema = xtask::schema_file::read_with_shared(&path, schema)
        .unwrap()
        .0;
    lines(&edited(rel, edits), &schema)
}

/// The page at `rel` (below `raw/im/v1`) with each `(from, to)` replaced
/// once.
fn edited(rel: &str, edits: &[(&str, &str)]) -> page::Page {
    let mut text = std::fs::read_to_string(raw().join("im/v1").join(rel)).unwrap();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit target not unique: {from}"
        );
        text = text.replacen(from, to, 1);
    }
    page::parse_any(rel, &text).unwrap()
}

/// A `md-dt-table` row, as the doc source writes one.
fn row(level: u8, name: &str, ty: &str, required: Option<&str>, description: &str) -> String {
    let required = required.map_or_else(String::new, |r| {
        format!("\t<md-dt-td>\n\t{r}\n\t</md-dt-td>\n")
    });
    format!(
        "<md-dt-tr level=\"{level}\">\n\t<md-dt-td>\n\t<md-text type=\"field-name\" >{name}</md-text>\n\t</md-dt-td>\n\t<md-dt-td>\n\t<md-text type=\"field-type\" >{ty}</md-text>\n\t</md-dt-td>\n{required}\t<md-dt-td>\n\t{description}\n\t</md-dt-td>\n</md-dt-tr>\n\n\n"
    )
}

fn lines(page: &page::Page, schema: &feishu_codegen::spec::EndpointSpec) -> Vec<String> {
    drift::compare(page, schema)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_endpoint_page_matches_the_schema_imported_from_it() {
    let pages = endpoint_pages();
    assert!(pages.len() >= 30, "{} pages", pages.len());
    let mut failures = Vec::new();
    for path in &pages {
        // A page the reader refuses (one swaps two examples) is its tests'
        // concern, not drift's.
        let Ok(page) = page::read(path) else {
            continue;
        };
        let schema = import::import(&page, None).spec;
        let report = lines(&page, &schema);
        if !report.is_empty() {
            failures.push(format!("{}:\n  {}", path.display(), report.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Imported with the version's shared types, which hold other pages'
/// words, each page keeps its own words where they differ: drift finds no
/// wording or example to report. (The shapes are the names import picks
/// without decisions, which the reviewed schemas may choose otherwise.)
#[test]
fn every_endpoint_page_imported_with_the_shared_types_keeps_its_own_words() {
    let types = raw().join("../schema/im/v1/types.json");
    let text = std::fs::read_to_string(&types).unwrap();
    let shared = feishu_codegen::parse_types("types.json", &text)
        .unwrap()
        .types;
    let mut failures = Vec::new();
    for path in &endpoint_pages() {
        let Ok(page) = page::read(path) else {
            continue;
        };
        let cx = import::Context {
            shared: Some(&shared),
            ..import::Context::default()
        };
        let mut schema = import::import_with(&page, cx).spec;
        // As drift reads a schema file: the version's types among its own.
        for (name, ty) in &shared {
            schema
                .types
                .entry(name.clone())
                .or_insert_with(|| ty.clone());
        }
        let words: Vec<String> = lines(&page, &schema)
            .into_iter()
            .filter(|line| !line.starts_with("shape: "))
            .collect();
        if !words.is_empty() {
            failures.push(format!("{}:\n  {}", path.display(), words.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn edits_of_the_add_tab_page_are_reported_at_their_nested_paths() {
    let pinned = row(2, "is_pinned", "boolean", Some("否"), "是否置顶");
    let before_built_in = "<md-dt-tr level=\"2\">\n\t<md-dt-td>\n\t<md-text type=\"field-name\" >is_built_in</md-text>";
    let with_pinned = format!("{pinned}{before_built_in}");
    // The body's list of tab types (the response lists them again).
    let body_values = std::fs::read_to_string(raw().join("im/v1/chat-tab/create.md"))
        .unwrap()
        .split("**示例值**：\"doc\"")
        .nth(1)
        .and_then(|rest| rest.split("</md-enum>").next())
        .map(|list| format!("**示例值**：\"doc\"{list}</md-enum>"))
        .unwrap();
    let body_values_edited = body_values
        .replace(">Pin<", ">置顶<")
        .replace("<md-enum-item key=\"task\" >任务</md-enum-item>\n", "");
    assert_eq!(
        report(
            "chat-tab/create.md",
            &[
                ("updatedAt: 1754898941000", "updatedAt: 1754898942000"),
                ("title: 添加会话标签页", "title: 新增会话标签页"),
                (
                    "仅支持添加文档类型（doc）或 URL （url）类型的标签页。",
                    "仅支持添加文档类型（doc）的标签页。"
                ),
                (
                    "<md-app-support types=\"custom,isv\">",
                    "<md-app-support types=\"custom\">"
                ),
                (
                    "或\n<md-tag mode=\"inline\" type=\"token-user\">user_access_token</md-tag>",
                    ""
                ),
                (
                    "<md-perm name=\"im:chat.tabs:write_only\" desc=\"操作群会话标签页\" support_app_types=\"custom,isv\" tags=\"\">操作群会话标签页</md-perm>",
                    "<md-perm name=\"im:chat.tabs:write_only\" desc=\"管理群会话标签页\" support_app_types=\"custom,isv\" tags=\"\">管理群会话标签页</md-perm>"
                ),
                ("**示例值**：\"文档\"", "**示例值**：\"表格\""),
                (&body_values, &body_values_edited),
                (
                    "URL 地址，在 tab_type 取值为 url 时生效",
                    "URL 链接，在 tab_type 取值为 url 时生效"
                ),
                (before_built_in, &with_pinned),
                (
                    "\n            \"tab_type\": \"doc\",",
                    "\n            \"tab_type\": \"docx\","
                ),
                (
                    "<md-td>Your request specifies a chat_id which is invalid.</md-td>",
                    "<md-td>The chat_id is invalid.</md-td>"
                ),
            ]
        ),
        [
            "source: updated: 2025-08-11 (1754898941000) -> 2025-08-11 (1754898942000)",
            "wording: title: \"添加会话标签页\" -> \"新增会话标签页\"",
            "wording: summary: \"…型 doc 或 URL url 类型的标签页\" -> \"…型 doc 的标签页\"",
            "shape: access_tokens: removed `user`",
            "shape: app_types: removed `store`",
            "wording: scopes.im:chat.tabs:write_only: \"操作群会话标签页\" -> \"管理群会话标签页\"",
            "example: body.chat_tabs[].tab_name: example \"文档\" -> \"表格\"",
            "shape: body.chat_tabs[].tab_type: enum value removed `task`",
            "wording: body.chat_tabs[].tab_type: value `pin` \"Pin\" -> \"置顶\"",
            "wording: body.chat_tabs[].tab_content.url: description \"URL 地址 在 tab…\" -> \"URL 链接 在 tab…\"",
            "shape: body.chat_tabs[].tab_config.is_pinned: field added (boolean)",
            "example: request_example.chat_tabs[0].tab_type: \"doc\" -> \"docx\"",
            "shape: request_example.chat_tabs[0].tab_type: the example writes \"docx\", which `TabType` does not list",
            "wording: errors.232006: message \"Your request specifies a chat id which is invalid\" -> \"The chat id is invalid\"",
        ]
    );
}

#[test]
fn edits_of_the_get_chat_page_are_reported_at_their_nested_paths() {
    let pin = row(2, "pin_setting", "string", None, "谁可以置顶");
    let before_urgent = "<md-dt-tr level=\"1\">\n\t<md-dt-td>\n\t<md-text type=\"field-name\" >urgent_setting</md-text>";
    let with_pin = format!("{pin}{before_urgent}");
    let ko = row(2, "ko_kr", "string", None, "韩文名");
    let before_add = "<md-dt-tr level=\"1\">\n\t<md-dt-td>\n\t<md-text type=\"field-name\" >add_member_permission</md-text>";
    let with_ko = format!("{ko}{before_add}");
    assert_eq!(
        report(
            "chat/get.md",
            &[
                (before_urgent, &with_pin),
                (before_add, &with_ko),
                (
                    "<md-perm name=\"im:chat:readonly\" desc=\"获取群组信息\" support_app_types=\"custom,isv\" tags=\"\">获取群组信息</md-perm>\n",
                    ""
                ),
                (
                    "        <md-perm name=\"contact:user.employee_id:readonly\" desc=\"获取用户 user ID\" support_app_types=\"custom\" tags=\"\">获取用户 user ID</md-perm>\n",
                    "        <md-perm name=\"contact:user.employee_id:readonly\" desc=\"获取用户 user ID\" support_app_types=\"custom\" tags=\"\">获取用户 user ID</md-perm>\n<md-perm name=\"contact:user.email:readonly\" desc=\"获取用户邮箱\" support_app_types=\"custom\" tags=\"\">获取用户邮箱</md-perm>\n"
                ),
                (
                    "<md-enum-item key=\"not_anyone\" >所有成员禁止复制和转发消息</md-enum-item>",
                    "<md-enum-item key=\"not_anyone\" >所有成员均禁止复制和转发消息</md-enum-item>"
                ),
                (
                    "            \"message_has_permission_setting\": \"all_members\"\n",
                    "            \"message_has_permission_setting\": \"some_members\"\n"
                ),
            ]
        ),
        [
            "shape: scopes: removed `im:chat:readonly`",
            "shape: field_scopes: added `contact:user.email:readonly`",
            "shape: response.i18n_names.ko_kr: field added (string)",
            "wording: response.restricted_mode_setting.message_has_permission_setting: value `not_anyone` \"所有成员禁止复制和转…\" -> \"所有成员均禁止复制和转…\"",
            "shape: response.restricted_mode_setting.pin_setting: field added (string)",
            "example: response_example.data.restricted_mode_setting.message_has_permission_setting: \"all_members\" -> \"some_members\"",
            "shape: response_example.data.restricted_mode_setting.message_has_permission_setting: the example writes \"some_members\", which `ScreenshotHasPermissionSetting` does not list",
        ]
    );
}

#[test]
fn the_reviewed_create_chat_schema_matches_the_doc_source_page_too() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let path = root.join("schema/im/v1/chat/create.json");
    let schema = xtask::schema_file::read_with_shared(&path, "create.json")
        .unwrap()
        .0;
    let page = page::read(&raw().join("im/v1/chat/create.md")).unwrap();
    assert_eq!(lines(&page, &schema), Vec::<String>::new());
}

#[test]
fn shape_edits_of_the_member_list_page_are_reported() {
    let name_row = "<md-dt-tr level=\"2\">\n\t<md-dt-td>\n\t<md-text type=\"field-name\" >name</md-text>\n\t</md-dt-td>\n\t<md-dt-td>\n\t<md-text type=\"field-type\" >string</md-text>\n\t</md-dt-td>\n\t<md-dt-td>\n\t名字\n\t</md-dt-td>\n</md-dt-tr>\n";
    let header = "</md-td>\n</md-tr>\n<md-tr>\n<md-td>X-Request-Id</md-td>\n<md-td>string</md-td>\n<md-td>否</md-td>\n<md-td>请求 ID</md-td>\n</md-tr>\n</md-tbody>";
    assert_eq!(
        report(
            "chat-members/get.md",
            &[
                (
                    "- 该接口不会返回群组内的机器人成员。",
                    "- 该接口会返回群组内的机器人成员。"
                ),
                ("<md-td>GET</md-td>", "<md-td>POST</md-td>"),
                (
                    "<md-td>https://open.feishu.cn/open-apis/im/v1/chats/:chat_id/members</md-td>",
                    "<md-td>https://open.feishu.cn/open-apis/im/v2/chats/:chat_id/members</md-td>"
                ),
                ("[1000 次/分钟、50 次/秒]", "[100 次/分钟、5 次/秒]"),
                ("</md-td>\n</md-tr>\n</md-tbody>", header),
                ("**默认值**：`20`", "**默认值**：`50`"),
                ("- 最大值：`100`", "- 最大值：`50`"),
                (name_row, ""),
                (
                    "member_total</md-text>\n\t</md-dt-td>\n\t<md-dt-td>\n\t<md-text type=\"field-type\" >int",
                    "member_total</md-text>\n\t</md-dt-td>\n\t<md-dt-td>\n\t<md-text type=\"field-type\" >string"
                ),
                ("\"member_total\": 2", "\"member_total\": \"2\""),
                (
                    "<md-td>400</md-td>\n  <md-td>232004</md-td>",
                    "<md-td>403</md-td>\n  <md-td>232004</md-td>"
                ),
                (
                    "<md-td>232001</md-td>\n  <md-td>Your request contains an invalid request parameter.</md-td>\n  <md-td>参数错误",
                    "<md-td>232099</md-td>\n  <md-td>Your request contains an invalid request parameter.</md-td>\n  <md-td>参数错误"
                ),
                (
                    "请联系[技术支持](https://applink.feishu.cn/TLJsX982)。</md-td>",
                    "请联系管理员。</md-td>"
                ),
            ]
        ),
        [
            "wording: notes[2]: \"该接口不会返回群组内…\" -> \"该接口会返回群组内…\"",
            "wording: notes[6]: added \"请求头 `X-Request-Id`：请求 ID\"",
            "shape: method: GET -> POST",
            "shape: path: /open-apis/im/v1/chats/:chat_id/members -> /open-apis/im/v2/chats/:chat_id/members",
            "shape: rate_limit: 1000/min 50/s -> 100/min 5/s",
            "shape: headers.X-Request-Id: added (the schema format has no headers)",
            "shape: query.page_size: default 20 -> 50",
            "shape: query.page_size: maximum 100 -> 50",
            "shape: response.items[].name: field removed",
            "shape: response.member_total: type integer -> string",
            "example: response_example.data.member_total: 2 -> \"2\"",
            "shape: errors.232099: added (400 Your request contains an invalid request parameter.)",
            "shape: errors.232004: http status 400 -> 403",
            "wording: errors.232004: advice \"…存在 请联系 技术支持 https applink feishu cn TLJsX982\" -> \"…存在 请联系管理员\"",
            "shape: errors.232001: removed",
        ]
    );
}

/// `I18nNames` and `ChatTab` are shared and carry the words of their first
/// use (create chat, add tabs); get chat and list tabs word some of their
/// fields otherwise and keep those words as their own, so each page's own
/// change is reported at its path, as on the first-use page itself.
#[test]
fn a_pages_own_words_on_a_shared_type_are_compared_with_that_page() {
    assert_eq!(
        against_committed(
            "chat/get.md",
            "chat/get.json",
            &[
                ("\t中文名\n", "\t中文名称\n\n**示例值**：\"群\"\n"),
                (
                    "<md-enum-item key=\"not_anyone\" >所有成员禁止复制和转发消息</md-enum-item>",
                    "<md-enum-item key=\"not_anyone\" >所有成员均禁止复制和转发消息</md-enum-item>"
                ),
            ]
        ),
        [
            "example: response.i18n_names.zh_cn: example none -> \"群\"",
            "wording: response.i18n_names.zh_cn: description \"中文名\" -> \"中文名称\"",
            "wording: response.restricted_mode_setting.message_has_permission_setting: value `not_anyone` \"所有成员禁止复制和转…\" -> \"所有成员均禁止复制和转…\"",
        ]
    );
    assert_eq!(
        against_committed(
            "chat-tab/list_tabs.md",
            "chat_tab/list_tabs.json",
            &[(
                "\turl 类型标签页对应的 URL 地址\n",
                "\turl 类型标签页对应的链接\n"
            )]
        ),
        [
            "wording: response.chat_tabs[].tab_content.url: description \"…标签页对应的 URL 地址\" -> \"…标签页对应的链接\""
        ]
    );
    assert_eq!(
        against_committed(
            "chat/create.md",
            "chat/create.json",
            &[(
                "\t中文名\n\n**示例值**：\"群聊\"",
                "\t中文名\n\n**示例值**：\"群组\""
            )]
        ),
        ["example: body.i18n_names.zh_cn: example \"群聊\" -> \"群组\""]
    );
}

/// Own words kept for a field the page no longer has are what a re-import
/// drops: reported with the field.
#[test]
fn own_words_for_a_field_the_page_dropped_are_reported() {
    let url_row = row(3, "url", "string", None, "url 类型标签页对应的 URL 地址");
    assert_eq!(
        against_committed(
            "chat-tab/list_tabs.md",
            "chat_tab/list_tabs.json",
            &[(&url_row, "")]
        ),
        [
            "shape: response.chat_tabs[].tab_content.url: field removed",
            "wording: response.chat_tabs[].tab_content.url: own words no field of the page uses (a re-import drops them)",
        ]
    );
}

/// An event page keeps its own words on a shared type's fields too, and
/// its drift, a re-import compared by JSON path, compares them: a changed
/// record, or one the change of a type's first-use page calls for.
#[test]
fn an_event_pages_own_words_on_a_shared_type_are_compared_with_that_page() {
    let report = |rel: &str, schema: &str, from: &str, to: &str| -> Vec<String> {
        let text = std::fs::read_to_string(raw().join("im/v1").join(rel)).unwrap();
        assert!(text.contains(from), "edit target missing: {from}");
        let page = page::parse_event(rel, &text.replace(from, to)).unwrap();
        let path = raw().join("../schema/im/v1").join(schema);
        let (spec, shared) = xtask::schema_file::read_event(&path, schema).unwrap();
        drift::compare_event(&page, &spec, &shared)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        report(
            "chat/events/updated.md",
            "chat/events/updated.json",
            "\t防泄密模式是否开启\n",
            "\t防泄密模式是否已开启\n"
        ),
        [
            "wording: own_words.event.after_change.restricted_mode_setting.status.description: \"防泄密模式是否开启\" -> \"防泄密模式是否已开启\""
        ]
    );
    assert_eq!(
        report(
            "chat-member-user/events/added.md",
            "chat_member_user/events/added.json",
            "\t用户名字\n",
            "\t用户的名字\n"
        ),
        [
            "wording: own_words.event.users[].name: added ({\"path\":\"event.users[].name\",\"description\":\"用户的名字\"})"
        ]
    );
}
