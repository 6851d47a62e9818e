//! Real rendered pages, copied into `fixtures/` as served: a multi-line
//! Authorization cell followed by a 3-column table, an event page, and two
//! pages in both forms whose drafts agree; and one of them with a scope
//! reworded in its rendered form, whose drafts differ at one JSON pointer.

use std::path::{Path, PathBuf};

use feishu_codegen::spec::AccessToken;
use xtask::page::{self, AnyPage, Field, FieldType};
use xtask::two_forms::{self, Difference, Outcome, Pair};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

#[test]
fn a_multi_line_authorization_cell_then_a_three_column_table() {
    let page = page::read(&fixture("rendered/delete-managers.md")).unwrap();
    assert_eq!(
        page.path,
        "/open-apis/im/v1/chats/:chat_id/managers/delete_managers"
    );
    // The Authorization cell runs over lines 39-44 and names both tokens.
    assert_eq!(page.access_tokens, [AccessToken::Tenant, AccessToken::User]);
    assert_eq!(page.headers.len(), 1);
    assert_eq!(page.headers[0].line, 45);
    assert_eq!(page.headers[0].name, "Content-Type");
    assert_eq!(
        page.headers[0].description,
        "**固定值**：\"application/json; charset=utf-8\""
    );
    // The 路径参数 table after it has three columns.
    assert_eq!(names(&page.path_params), ["chat_id"]);
    let chat_id = &page.path_params[0];
    assert_eq!((chat_id.line, &chat_id.ty), (51, &FieldType::String));
    assert_eq!(
        chat_id.example,
        Some(serde_json::json!("oc_a0553eda9014c201e6969b478895c230"))
    );
    assert_eq!(names(&page.query), ["member_id_type"]);
    assert_eq!(
        page.query[0]
            .values
            .iter()
            .map(|(v, _)| v.as_str())
            .collect::<Vec<_>>(),
        ["open_id", "union_id", "user_id", "app_id"]
    );
    assert_eq!(names(&page.body), ["manager_ids"]);
    assert_eq!(
        page.body[0].ty,
        FieldType::Array(Box::new(FieldType::String))
    );
    assert_eq!(page.body[0].limits.max_items, Some(50));
    assert_eq!(
        names(&page.response),
        ["chat_managers", "chat_bot_managers"]
    );
    let scopes: Vec<(&str, &str)> = page
        .scopes
        .iter()
        .map(|s| (s.name.as_str(), s.description.as_str()))
        .collect();
    assert_eq!(
        scopes,
        [
            ("im:chat", "获取与更新群组信息"),
            ("im:chat.managers:write_only", "添加、删除群管理员"),
        ]
    );
    assert_eq!(page.errors.len(), 11);
    assert_eq!(page.errors[0].code, 232001);
}

#[test]
fn a_rendered_event_page_reads_as_an_event() {
    let AnyPage::Event(event) = page::read_any(&fixture("rendered/chat-disbanded.md")).unwrap()
    else {
        panic!("an endpoint");
    };
    assert_eq!(event.event_type, "im.chat.disbanded_v1");
    assert_eq!(event.last_remote_update, "2024-10-30");
    assert_eq!(
        names(&event.fields),
        [
            "chat_id",
            "operator_id",
            "external",
            "operator_tenant_key",
            "name",
            "i18n_names"
        ]
    );
    // The flat table is nested by the example: operator_id owns the three
    // ids, i18n_names the three names.
    assert_eq!(
        names(&event.fields[1].fields),
        ["union_id", "user_id", "open_id"]
    );
    assert_eq!(names(&event.fields[5].fields), ["zh_cn", "en_us", "ja_jp"]);
    let scopes: Vec<&str> = event.scopes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(scopes, ["im:chat", "im:chat:read", "im:chat:readonly"]);
    let field_scopes: Vec<&str> = event.field_scopes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(field_scopes, ["contact:user.employee_id:readonly"]);
}

#[test]
fn pairs_are_found_by_address_and_compared() {
    let (pairs, alone) =
        two_forms::pairs(&fixture("two-forms/source"), &fixture("two-forms/rendered")).unwrap();
    assert!(alone.is_empty());
    let pair = |name: &str, url: &str| Pair {
        url: format!("https://open.feishu.cn/document/server-docs/{url}"),
        source: fixture(&format!("two-forms/source/{name}.md")),
        rendered: fixture(&format!("two-forms/rendered/{name}.md")),
    };
    assert_eq!(
        pairs,
        [
            pair(
                "agent-skill-create",
                "helpdesk-v1/agent-function/agent_skill/create"
            ),
            pair("calendar-acl-delete", "calendar-v4/calendar-acl/delete"),
        ]
    );
    // The rendered form's `**注意事项**：` paragraph is the source form's
    // md-alert: both read it as a note.
    assert_eq!(two_forms::compare(&pairs[1]), Outcome::Agree);
    // The rendered form draws no nesting and the example shows no
    // `category` in a rule: the row follows the rule's last row the example
    // shows, so it is the rule's, where the source form's level puts it.
    assert_eq!(two_forms::compare(&pairs[0]), Outcome::Agree);
}

#[test]
fn a_difference_is_reported_at_its_json_pointer() {
    // The same page, its rendered form naming a scope in other words (as
    // the two forms of some real pages do).
    let pair = Pair {
        url: String::new(),
        source: fixture("two-forms/source/calendar-acl-delete.md"),
        rendered: fixture("two-forms-differ/calendar-acl-delete.md"),
    };
    assert_eq!(
        two_forms::compare(&pair),
        Outcome::Differ(vec![Difference {
            pointer: "/scopes/1/description".into(),
            source: Some(r#""删除日历访问控制权限""#.into()),
            rendered: Some(r#""删除日历的访问控制""#.into()),
        }])
    );
}

#[test]
fn a_title_quoted_with_a_trailing_space_is_the_title() {
    let text = include_str!("fixtures/im-v1-chat-create.md").replacen(
        "title: \"创建群\"",
        "title: \"创建群 \"",
        1,
    );
    assert_eq!(page::parse("page.md", &text).unwrap().title, "创建群");
}

#[test]
fn a_response_table_with_no_data_row_lists_the_fields_of_data() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages");
    let meta = page::read(&pages.join("sheets/v2/spreadsheet_metainfo/get.md")).unwrap();
    assert_eq!(
        names(&meta.response),
        ["spreadsheetToken", "properties", "sheets"]
    );
    assert_eq!(
        names(&meta.response[2].fields)[..3],
        ["sheetId", "title", "index"]
    );
    // The token endpoints answer with no `data`, as their example shows:
    // their rows are not `data`'s.
    let token = page::read(&pages.join("auth/v3/tenant_access_token/internal.md")).unwrap();
    assert!(token.response.is_empty());
}
