//! What the naming rules make of the real doc-source pages in the
//! repository's `pages/`: the
//! same page type in a request and a response with different fields stays
//! two types, equal value sets share one enum, the version's shared types
//! are named, and what the format has no place for is kept in words.

use std::fs;
use std::path::Path;

use feishu_codegen::spec::{EndpointSpec, EnumRepr, FieldSpec, TypeSpec};
use xtask::{import, page};

use crate::common::{create_chat_shared_types as shared, root};

/// The draft of `pages/im/v1/<rel>`, with the version's shared types.
fn draft(rel: &str) -> import::Draft {
    let path = root().join("pages/im/v1").join(rel);
    let page = page::read(&path).unwrap();
    let shared = shared();
    import::import_with(
        &page,
        import::Context {
            shared: Some(&shared),
            ..import::Context::default()
        },
    )
}

fn field<'a>(fields: &'a [FieldSpec], name: &str) -> &'a FieldSpec {
    fields.iter().find(|f| f.name == name).unwrap()
}

fn object_fields<'a>(spec: &'a EndpointSpec, name: &str) -> Vec<&'a str> {
    match &spec.types[name] {
        TypeSpec::Object(o) => o.fields.iter().map(|f| f.name.as_str()).collect(),
        TypeSpec::Enum(_) => panic!("{name} is an enum"),
    }
}

#[test]
fn a_request_and_a_response_type_of_one_page_name_stay_two_types() {
    let draft = draft("chat-tab/create.md");
    assert_eq!(draft.open, Vec::<String>::new());
    let spec = &draft.spec;
    let body = &spec.body.as_ref().unwrap().fields;
    assert_eq!(field(body, "chat_tabs").ty, "ChatTab[]");
    assert_eq!(
        field(&spec.response.fields, "chat_tabs").ty,
        "ChatTabResponse[]"
    );
    assert_eq!(
        object_fields(spec, "ChatTab"),
        ["tab_name", "tab_type", "tab_content", "tab_config"]
    );
    assert_eq!(object_fields(spec, "ChatTabResponse")[0], "tab_id");
    // The nested types are equal on both sides, so shared.
    let TypeSpec::Object(response) = &spec.types["ChatTabResponse"] else {
        unreachable!()
    };
    assert_eq!(field(&response.fields, "tab_type").ty, "TabType");
    assert_eq!(field(&response.fields, "tab_content").ty, "ChatTabContent");
    assert_eq!(spec.errors[1].name, "ChatIdInvalid");
}

#[test]
fn the_raw_create_page_names_only_shared_types() {
    let spec = draft("chat/create.md").spec;
    assert_eq!(spec.types.keys().collect::<Vec<_>>(), Vec::<&String>::new());
    let body = &spec.body.as_ref().unwrap().fields;
    assert_eq!(
        field(body, "join_message_visibility").ty,
        "MessageVisibility"
    );
    assert_eq!(
        field(body, "restricted_mode_setting").ty,
        "RestrictedModeSetting"
    );
    assert_eq!(field(body, "i18n_names").ty, "I18nNames");
    // Headers have no place of their own in the format: a note each.
    assert!(
        spec.notes
            .iter()
            .any(|n| n.starts_with("请求头 `Content-Type`（必填）")),
        "{:?}",
        spec.notes
    );
}

#[test]
fn integer_values_make_an_integer_enum_and_value_bounds_are_enforced() {
    let spec = draft("chat-members/create.md").spec;
    let query = &spec.query.as_ref().unwrap().fields;
    let succeed = field(query, "succeed_type");
    assert_eq!(succeed.ty, "SucceedType");
    let TypeSpec::Enum(e) = &spec.types["SucceedType"] else {
        panic!("not an enum")
    };
    assert_eq!(e.repr, EnumRepr::Integer);
    let names: Vec<Option<&str>> = e.values.iter().map(|v| v.rust_name.as_deref()).collect();
    assert_eq!(names, [Some("Value0"), Some("Value1"), Some("Value2")]);
    // The file writes them as the integers they are, and reads back.
    let text = import::draft_text(&spec);
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["types"]["SucceedType"]["values"][2]["value"], 2);
    feishu_codegen::parse_endpoint("create.json", &text).unwrap();
    assert_eq!(field(query, "member_id_type").ty, "MemberIdType");

    let spec = draft("chat/list.md").spec;
    let query = &spec.query.as_ref().unwrap().fields;
    let page_size = field(query, "page_size");
    assert_eq!(page_size.maximum, Some(100));
    assert!(!page_size.description.contains("最大值"));
}

#[test]
fn an_empty_data_gives_an_empty_response_and_path_parameters_are_required() {
    let spec = draft("chat/update.md").spec;
    assert!(spec.response.fields.is_empty());
    assert_eq!(spec.path_params.len(), 1);
    assert!(spec.path_params[0].required);
}

#[test]
fn the_raw_create_page_with_the_hand_written_decisions_gives_the_hand_written_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("create.json");
    let page = root().join("pages/im/v1/chat/create.md");
    let decisions = root().join("schema/im/v1/chat/create.json");
    let open = import::run(&page, &out, Some(&decisions), None, false).unwrap();
    assert_eq!(open, Vec::<String>::new());
    let read = |path: &Path| -> serde_json::Value {
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
    };
    let (mut ours, theirs) = (read(&out), read(&decisions));
    // The hand-written file names only shared types, and says so by
    // leaving `types` out.
    let types = ours.as_object_mut().unwrap().shift_remove("types");
    assert_eq!(types, Some(serde_json::json!({})));
    assert_eq!(ours, theirs);
}

#[test]
fn what_a_page_contradicts_itself_on_is_left_out_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("get.json");
    let page = root().join("pages/im/v1/chat-moderation/get.md");
    let open = import::run(&page, &out, None, None, false).unwrap();
    assert_eq!(open.len(), 2, "{open:#?}");
    assert!(open[0].contains(":222: the example"), "{}", open[0]);
    assert!(open[1].contains(":244: the rule"), "{}", open[1]);
    let draft: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    let page_size = &draft["query"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "page_size")
        .unwrap();
    assert!(page_size.get("example").is_none());
}
