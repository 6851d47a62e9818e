//! `import-doc` on values the page writes that the draft's types cannot
//! hold as written (a default outside its enum, a limit on the wrong kind
//! of field, an example key no field describes, a response example with no
//! `data`): the draft leaves each out and says so in a `decide:` line or
//! in words, and `cargo xtask codegen` accepts it.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

/// `pages/<rel>` with each `(from, to)` replaced once (`from` must be
/// there), imported to where `rel` is in `pages/`: the draft and its open
/// decisions.
fn import(rel: &str, edits: &[(&str, &str)]) -> (Value, Vec<String>) {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages");
    let mut text = fs::read_to_string(pages.join(rel)).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let dir = tempfile::tempdir().unwrap();
    let page_file = dir.path().join("page.md");
    fs::write(&page_file, &text).unwrap();
    let page = xtask::page::read_any(&page_file).unwrap();
    let out = dir.path().join(rel).with_extension("json");
    let (draft, open) = xtask::import::prepare_any(
        &page,
        "page.md",
        &out,
        None,
        xtask::import::SharedFrom::Version,
    )
    .unwrap();
    (serde_json::from_str(&draft).unwrap(), open)
}

/// The query field `name` of a draft.
fn query_field<'a>(draft: &'a Value, name: &str) -> &'a Value {
    draft["query"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap()
}

#[test]
fn a_default_outside_the_enum_is_left_out_with_a_decision() {
    let (draft, open) = import(
        "im/v1/chat/list.md",
        &[("**默认值**：`ByCreateTimeAsc`", "**默认值**：`ByNameAsc`")],
    );
    assert_eq!(query_field(&draft, "sort_type").get("default"), None);
    assert_eq!(
        open,
        [
            "query.sort_type.default: the page gives \"ByNameAsc\", which `SortType` does not list (add a value or an alias to `SortType`): left out; say what the default is"
        ]
    );
}

#[test]
fn limits_on_the_wrong_kind_of_field_stay_in_words() {
    let (draft, open) = import(
        "im/v1/chat/list.md",
        &[
            (
                "<md-text type=\"field-type\" >int</md-text>",
                "<md-text type=\"field-type\" >float</md-text>",
            ),
            (
                "**默认值**：`ByCreateTimeAsc`",
                "**默认值**：`ByCreateTimeAsc`\n\n**数据校验规则**：\n\n- 最大长度：`20` 字符",
            ),
        ],
    );
    let page_size = query_field(&draft, "page_size");
    assert_eq!(page_size["type"], "number");
    assert_eq!(page_size.get("maximum"), None);
    assert!(
        page_size["description"]
            .as_str()
            .unwrap()
            .ends_with("\n\n数据校验规则：\n- 最大值：`100`"),
        "{page_size}"
    );
    let sort_type = query_field(&draft, "sort_type");
    assert_eq!(sort_type["type"], "SortType");
    assert_eq!(sort_type.get("max_length"), None);
    assert!(
        sort_type["description"]
            .as_str()
            .unwrap()
            .ends_with("\n\n数据校验规则：\n- 最大长度：`20` 字符"),
        "{sort_type}"
    );
    assert_eq!(open, Vec::<String>::new());
}

#[test]
fn an_example_key_no_field_describes_is_left_out_with_a_decision() {
    let (draft, open) = import(
        "im/v1/chat/delete.md",
        &[("\"data\": {}", "\"data\": {\"extra\": [1, 2]}")],
    );
    assert_eq!(
        draft["examples"]["response"],
        json!({"code": 0, "msg": "success", "data": {}})
    );
    assert_eq!(
        open,
        [
            "examples.response.data.extra: the example has `extra`, which no field of the page describes: left out of the example: [1,2]; describe the field, or confirm the example is wrong"
        ]
    );
}

#[test]
fn a_response_example_without_data_is_kept_in_the_notes() {
    let (draft, open) = import(
        "im/v1/chat/delete.md",
        &[(
            "\"msg\": \"success\",\n    \"data\": {}",
            "\"msg\": \"success\"",
        )],
    );
    assert_eq!(draft.get("examples"), None);
    assert_eq!(
        draft["notes"].as_array().unwrap().last().unwrap(),
        "响应体示例：`{\"code\":0,\"msg\":\"success\"}`"
    );
    assert_eq!(
        open,
        [
            "examples.response: the page's response example has no `data` object: kept in `notes`; say what `data` is"
        ]
    );
}

/// The body field `name` of a draft.
fn body_field<'a>(draft: &'a Value, name: &str) -> &'a Value {
    draft["body"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap()
}

#[test]
fn an_object_example_written_as_json_text_is_that_object() {
    let i18n = "群国际化名称，建议不超过 60 字符";
    let (draft, open) = import(
        "im/v1/chat/update.md",
        &[(
            i18n,
            "群国际化名称，建议不超过 60 字符\n\n**示例值**：{\"zh_cn\": \"群聊\"}",
        )],
    );
    assert_eq!(
        body_field(&draft, "i18n_names")["example"],
        json!({"zh_cn": "群聊"})
    );
    assert_eq!(open, Vec::<String>::new());
}

#[test]
fn an_object_example_that_is_no_object_is_left_out_with_a_decision() {
    let i18n = "群国际化名称，建议不超过 60 字符";
    let (draft, open) = import(
        "im/v1/chat/update.md",
        &[(i18n, "群国际化名称，建议不超过 60 字符\n\n**示例值**：群聊")],
    );
    assert_eq!(body_field(&draft, "i18n_names").get("example"), None);
    assert_eq!(
        open,
        [
            "body.i18n_names.example: the page gives \"群聊\", which is not a `I18nNames` object: left out; fix the example or the type"
        ]
    );
}

#[test]
fn tokens_named_in_the_basics_are_the_endpoint_s_without_an_authorization_row() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages");
    let text = fs::read_to_string(pages.join("im/v1/chat/delete.md")).unwrap();
    let start = text
        .find("    <md-tr>\n      <md-td>Authorization")
        .unwrap();
    let end = start + text[start..].find("</md-tr>").unwrap() + "</md-tr>".len();
    let authorization = &text[start..end];
    let (draft, open) = import(
        "im/v1/chat/delete.md",
        &[
            (authorization, ""),
            (
                "<md-td>DELETE</md-td>\n    </md-tr>",
                "<md-td>DELETE</md-td>\n    </md-tr>\n    <md-tr>\n      <md-th>凭证要求</md-th>\n      <md-td>user_access_token</md-td>\n    </md-tr>",
            ),
        ],
    );
    assert_eq!(draft["access_tokens"], json!(["user"]));
    assert_eq!(open, Vec::<String>::new());
}

#[test]
fn an_example_value_outside_the_enum_is_left_out_with_a_decision() {
    let (draft, open) = import(
        "im/v1/chat/update.md",
        &[("\"chat_type\": \"private\"", "\"chat_type\": \"secret\"")],
    );
    assert_eq!(draft["examples"]["request_body"].get("chat_type"), None);
    assert_eq!(draft["examples"]["request_body"]["name"], "群聊");
    assert_eq!(
        open,
        [
            "examples.request_body.chat_type: the example writes \"secret\", which `ChatType` does not list (add a value or an alias to `ChatType`): left out of the example; fix the example or the type"
        ]
    );
}

#[test]
fn an_event_example_key_no_field_describes_is_left_out_with_a_decision() {
    let (draft, open) = import(
        "im/v1/chat/events/disbanded.md",
        &[(
            "\"event\": {\n        \"chat_id\"",
            "\"event\": {\n        \"extra\": true,\n        \"chat_id\"",
        )],
    );
    assert_eq!(draft["example"]["event"].get("extra"), None);
    assert_eq!(
        draft["example"]["event"]["chat_id"],
        "oc_413871888e0d5492e25b173f0812efb7"
    );
    assert_eq!(
        open,
        [
            "example.event.extra: the example has `extra`, which no field of the page describes: left out of the example: true; describe the field, or confirm the example is wrong"
        ]
    );
}

/// A page with neither an Authorization row nor a 凭证要求 row states a
/// call that carries no token (the token endpoints): `["none"]`.
#[test]
fn a_page_without_authorization_or_credentials_sends_no_token() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages");
    let text = fs::read_to_string(pages.join("im/v1/chat/delete.md")).unwrap();
    let start = text
        .find("    <md-tr>\n      <md-td>Authorization")
        .unwrap();
    let end = start + text[start..].find("</md-tr>").unwrap() + "</md-tr>".len();
    let (draft, open) = import("im/v1/chat/delete.md", &[(&text[start..end], "")]);
    assert_eq!(draft["access_tokens"], json!(["none"]));
    assert_eq!(open, Vec::<String>::new());
}

#[test]
fn an_event_example_of_another_event_type_is_left_out_with_a_decision() {
    let (draft, open) = import(
        "im/v1/chat/events/disbanded.md",
        &[(
            "\"event_type\": \"im.chat.disbanded_v1\"",
            "\"event_type\": \"im.chat.updated_v1\"",
        )],
    );
    assert_eq!(draft.get("example"), None);
    assert_eq!(
        open,
        [
            "example: the page's example is a delivery of `im.chat.updated_v1`, not of `im.chat.disbanded_v1`: left out; copy the page's example of `im.chat.disbanded_v1` into `example`"
        ]
    );
}
