//! `import-doc` on the event pages in `pages/`: each page reads (the 2.0
//! ones from their 事件体 table, the 1.0 one from its commented example),
//! and a re-import that keeps the reviewed schema's decisions writes that
//! schema again byte for byte, so a changed page shows as a diff of what
//! changed and nothing else.

use std::path::Path;

use feishu_codegen::spec::EnvelopeVersion;
use xtask::import;
use xtask::page::{self, AnyPage, FieldType};

/// Every event page with the schema it is reviewed as.
const EVENT_PAGES: [(&str, &str); 9] = [
    (
        "bot/events/p2p_chat_create.md",
        "bot/events/p2p_chat_create.json",
    ),
    ("chat/events/disbanded.md", "chat/events/disbanded.json"),
    ("chat/events/updated.md", "chat/events/updated.json"),
    (
        "chat-access_event/events/bot_p2p_chat_entered.md",
        "chat_access_event/events/bot_p2p_chat_entered.json",
    ),
    (
        "chat-member-bot/events/added.md",
        "chat_member_bot/events/added.json",
    ),
    (
        "chat-member-bot/events/deleted.md",
        "chat_member_bot/events/deleted.json",
    ),
    (
        "chat-member-user/events/added.md",
        "chat_member_user/events/added.json",
    ),
    (
        "chat-member-user/events/deleted.md",
        "chat_member_user/events/deleted.json",
    ),
    (
        "chat-member-user/events/withdrawn.md",
        "chat_member_user/events/withdrawn.json",
    ),
];

#[test]
fn reimporting_each_event_page_with_its_decisions_gives_the_reviewed_schema() {
    let root = crate::common::root();
    for (page_file, schema_file) in EVENT_PAGES {
        let page_path = root.join("pages/im/v1").join(page_file);
        let schema_path = root.join("schema/im/v1").join(schema_file);
        let page = page::read_any(&page_path).unwrap();
        assert!(matches!(page, AnyPage::Event(_)), "{page_file}");
        let (text, open) = import::prepare_any(
            &page,
            page_file,
            &schema_path,
            Some(&schema_path),
            import::SharedFrom::Version,
        )
        .unwrap();
        assert_eq!(open, Vec::<String>::new(), "{page_file}");
        let reviewed = std::fs::read_to_string(&schema_path).unwrap();
        assert_eq!(text, reviewed, "{page_file}");
    }
}

#[test]
fn a_2_0_page_is_read_from_its_event_table() {
    let root = crate::common::root();
    let page =
        page::read_event(&root.join("pages/im/v1/chat-member-user/events/added.md")).unwrap();
    assert_eq!(page.event_type, "im.chat.member.user.added_v1");
    assert_eq!(page.envelope, EnvelopeVersion::V2);
    let api = page.api.as_ref().unwrap();
    assert_eq!(
        (api.resource.as_str(), api.method.as_str(), api.event),
        ("chat.member.user", "added", true)
    );
    assert_eq!(
        import::schema_path(api),
        Path::new("im/v1/chat_member_user/events/added.json")
    );
    let names: Vec<&str> = page.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "chat_id",
            "operator_id",
            "external",
            "operator_tenant_key",
            "users",
            "name",
            "i18n_names"
        ]
    );
    let users = &page.fields[4];
    assert_eq!(
        users.ty,
        FieldType::Array(Box::new(FieldType::Object("chat.member.user".into())))
    );
    let user_fields: Vec<&str> = users.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(user_fields, ["name", "tenant_key", "user_id"]);
    assert_eq!(page.scopes.len(), 3);
    assert_eq!(
        page.example.as_ref().unwrap()["header"]["event_type"],
        "im.chat.member.user.added_v1"
    );
}

#[test]
fn a_1_0_page_is_read_from_its_commented_example() {
    let root = crate::common::root();
    let page = page::read_event(&root.join("pages/im/v1/bot/events/p2p_chat_create.md")).unwrap();
    assert_eq!(page.event_type, "p2p_chat_create");
    assert_eq!(page.envelope, EnvelopeVersion::V1);
    assert!(page.api.is_none(), "the page has no explorer link");
    let chat_id = page.fields.iter().find(|f| f.name == "chat_id").unwrap();
    assert_eq!(chat_id.ty, FieldType::String);
    assert_eq!(chat_id.description, "机器人和用户的会话id");
    let operator = page.fields.iter().find(|f| f.name == "operator").unwrap();
    assert_eq!(
        operator.description,
        "会话的发起人。可能是用户，也可能是机器人。"
    );
    let ids: Vec<&str> = operator.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(ids, ["open_id", "user_id"]);
    assert_eq!(
        operator.fields[1].description,
        "即“用户ID”，仅企业自建应用会返回"
    );
}

#[test]
fn an_event_page_without_its_event_type_names_the_line() {
    let root = crate::common::root();
    let text = std::fs::read_to_string(root.join("pages/im/v1/chat/events/disbanded.md")).unwrap();
    let broken = text.replace("<md-th>事件类型</md-th>", "<md-th>类型</md-th>");
    let error = page::parse_event("disbanded.md", &broken).unwrap_err();
    assert!(!error.describes_no_endpoint());
    assert_eq!(error.message, "the 事件 table has no `事件类型` row");
    let line = text.lines().position(|l| l.trim() == "## 事件").unwrap() + 1;
    assert_eq!(error.line, line);
    // An endpoint page is no event page, and says so.
    let endpoint = std::fs::read_to_string(root.join("pages/im/v1/chat/get.md")).unwrap();
    let error = page::parse_event("get.md", &endpoint).unwrap_err();
    assert!(error.describes_no_endpoint());
}

#[test]
fn drift_of_an_event_page_names_each_change_by_its_path() {
    let root = crate::common::root();
    let schema_path = root.join("schema/im/v1/chat/events/disbanded.json");
    let (schema, shared) = xtask::schema_file::read_event(&schema_path, "disbanded.json").unwrap();
    let text = std::fs::read_to_string(root.join("pages/im/v1/chat/events/disbanded.md")).unwrap();
    let page = page::parse_event("disbanded.md", &text).unwrap();
    assert_eq!(xtask::drift::compare_event(&page, &schema, &shared), []);

    let changed = text
        .replace("updatedAt: 1730257052000", "updatedAt: 1740000000000")
        .replace("被解散的群是否是外部群", "被解散的群是否为外部群")
        .replace(
            "<md-text type=\"field-type\" >boolean</md-text>",
            "<md-text type=\"field-type\" >string</md-text>",
        )
        .replace("\"external\": false", "\"external\": \"false\"");
    let page = page::parse_event("disbanded.md", &changed).unwrap();
    let lines: Vec<String> = xtask::drift::compare_event(&page, &schema, &shared)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "source: source.last_remote_update: \"2024-10-30\" -> \"2025-02-20\"",
            "source: source.updated_at: 1730257052000 -> 1740000000000",
            "shape: event.fields.external.type: \"boolean\" -> \"string\"",
            "example: example.event.external: false -> \"false\"",
            "wording: event.fields.external: description \"…解散的群是否是外部群\" -> \"…解散的群是否为外部群\"",
        ]
    );
}

/// A page with a 事件体 table whose example is a 1.0 delivery (the type in
/// `event.type`, no `header`): the example says the envelope is 1.0.
#[test]
fn a_table_page_whose_example_is_a_1_0_delivery_is_1_0() {
    let dir = tempfile::tempdir().unwrap();
    let example = |body: &str| {
        format!(
            r#"<!--
title: 抄送
id: 1
fullPath: /x/event/cc
updatedAt: 1742781472000
source: https://open.feishu.cn/document/server-docs/approval-v4/event/common-event/cc
-->
# 抄送

抄送时触发。

## 事件

:::html
<md-table>
  <md-tbody>
    <md-tr>
      <md-th>事件类型</md-th>
      <md-td>approval_cc</md-td>
    </md-tr>
  </md-tbody>
</md-table>
:::

## 事件体

:::html
<md-dt-table>
<md-dt-tbody>
<md-dt-tr level="0">
<md-dt-td>event</md-dt-td>
<md-dt-td>object</md-dt-td>
<md-dt-td>事件。</md-dt-td>
</md-dt-tr>
<md-dt-tr level="1">
<md-dt-td>type</md-dt-td>
<md-dt-td>string</md-dt-td>
<md-dt-td>事件类型。</md-dt-td>
</md-dt-tr>
</md-dt-tbody>
</md-dt-table>
:::

## 事件体示例

```json
{body}
```
"#
        )
    };
    let read = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, example(body)).unwrap();
        page::read_event(&path).unwrap().envelope
    };
    let one_oh = r#"{"uuid": "u", "type": "event_callback", "event": {"type": "approval_cc"}}"#;
    assert_eq!(read("one.md", one_oh), EnvelopeVersion::V1);
    let two_oh = r#"{"schema": "2.0", "header": {"event_type": "approval_cc"}, "event": {"type": "approval_cc"}}"#;
    assert_eq!(read("two.md", two_oh), EnvelopeVersion::V2);
}
