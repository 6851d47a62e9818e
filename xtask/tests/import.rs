//! `cargo xtask import-doc`: the seed page with the hand-written schema as
//! decisions generates the same code as the hand-written schema; without
//! decisions the naming rules give a draft codegen accepts; bad pages
//! give errors with line numbers and write nothing.

use std::fs;
use std::process::Command;

use crate::common::root;

use feishu_codegen::spec::{EndpointSpec, TypeSpec};
use xtask::{import, page};

const SEED: &str = include_str!("fixtures/im-v1-chat-create.md");
const CREATE: &str = "schema/im/v1/chat/create.json";

const SHARED_TYPES: &str = "schema/im/v1/types.json";

/// The hand-written create-chat schema, with the shared types it names
/// made its own, as `import-doc` sees them when given it as decisions.
fn hand_written() -> EndpointSpec {
    let text = fs::read_to_string(root().join(CREATE)).unwrap();
    let mut spec = feishu_codegen::parse_endpoint(CREATE, &text).unwrap();
    // The generator writes every type a file declares: only those create
    // chat names.
    spec.types = crate::common::create_chat_shared_types();
    spec
}

/// What the checker makes of `spec` as the create-chat file; the JSON round
/// trip is the one a written draft takes.
fn check(spec: &EndpointSpec) -> Result<feishu_codegen::ir::Api, feishu_codegen::Problems> {
    let text = serde_json::to_string_pretty(spec).unwrap();
    feishu_codegen::check_sources(&[(CREATE, &text)])
}

/// The generated Rust of the endpoint file for `spec`, as if it were the
/// create-chat schema.
fn generated(spec: &EndpointSpec) -> String {
    feishu_codegen::generate(&check(spec).unwrap())
        .remove("generated/groups/im/src/v1/chat/create.rs")
        .unwrap()
}

#[test]
fn importing_the_seed_page_with_the_hand_written_decisions_generates_the_same_code() {
    let page = page::parse("page.md", SEED).unwrap();
    let draft = import::import(&page, Some(&hand_written()));
    assert_eq!(draft.open, Vec::<String>::new());
    let ours = generated(&draft.spec);
    let theirs = generated(&hand_written());
    assert!(ours == theirs, "generated code differs:\n{ours}");
}

#[test]
fn without_decisions_the_rules_name_everything_and_codegen_accepts_the_draft() {
    let page = page::parse("page.md", SEED).unwrap();
    let draft = import::import(&page, None);
    assert_eq!(draft.open, Vec::<String>::new());
    let body = draft.spec.body.as_ref().unwrap();
    let field = |name: &str| body.fields.iter().find(|f| f.name == name).unwrap();
    assert_eq!(field("chat_type").ty, "ChatType");
    assert_eq!(field("chat_type").default, Some("private".into()));
    assert_eq!(field("i18n_names").ty, "I18nNames");
    // Equal value sets share the first field's enum.
    assert_eq!(field("join_message_visibility").ty, "JoinMessageVisibility");
    assert_eq!(
        field("leave_message_visibility").ty,
        "JoinMessageVisibility"
    );
    // A length the page recommends in prose is documented, not enforced.
    assert_eq!(field("name").recommended_max_length, Some(60));
    assert_eq!(field("name").max_length, None);
    let errors = &draft.spec.errors;
    assert_eq!(errors[0].name, "InvalidParameter");
    assert_eq!(errors[1].name, "AppNotExist");
    assert_eq!(errors[2].name, "RateLimited");
    assert!(errors[2].rate_limited);
    // The example's `all members` is read as an alias of `all_members`.
    let Some(TypeSpec::Enum(permission)) = draft.spec.types.get("UrgentSetting") else {
        panic!("no UrgentSetting enum");
    };
    assert_eq!(permission.aliases.len(), 1);
    assert_eq!(
        (
            permission.aliases[0].wire.as_str(),
            permission.aliases[0].means.as_str()
        ),
        ("all members", "all_members")
    );
    assert!(!import::draft_text(&draft.spec).contains("TODO_"));
    check(&draft.spec).unwrap();
}

#[test]
fn the_versions_shared_types_are_named_not_copied() {
    let page = page::parse("page.md", SEED).unwrap();
    let shared_text = fs::read_to_string(root().join(SHARED_TYPES)).unwrap();
    let shared = feishu_codegen::parse_types(SHARED_TYPES, &shared_text)
        .unwrap()
        .types;
    let draft = import::import_with(
        &page,
        import::Context {
            shared: Some(&shared),
            ..import::Context::default()
        },
    );
    assert_eq!(draft.open, Vec::<String>::new());
    for name in [
        "UserIdType",
        "I18nNames",
        "ChatType",
        "RestrictedModeSetting",
    ] {
        assert!(!draft.spec.types.contains_key(name), "{name} is copied");
    }
    let query = &draft.spec.query.as_ref().unwrap().fields;
    assert_eq!(query[0].ty, "UserIdType");
    let body = draft.spec.body.as_ref().unwrap();
    let field = |name: &str| body.fields.iter().find(|f| f.name == name).unwrap();
    assert_eq!(field("restricted_mode_setting").ty, "RestrictedModeSetting");
    assert_eq!(field("join_message_visibility").ty, "MessageVisibility");
    // The shared enum words a value differently from this field's page.
    assert_eq!(field("hide_member_count_setting").ty, "OwnerOrAllMembers");
    assert_eq!(
        field("hide_member_count_setting").value_descriptions["all_members"],
        "所有群成员可见"
    );
    let text = serde_json::to_string_pretty(&draft.spec).unwrap();
    feishu_codegen::check_sources(&[(CREATE, &text), (SHARED_TYPES, &shared_text)]).unwrap();
}

#[test]
fn the_page_facts_are_recovered() {
    let page = page::parse("page.md", SEED).unwrap();
    let spec = import::import(&page, None).spec;
    let query = &spec.query.as_ref().unwrap().fields;
    assert_eq!(query[2].name, "uuid");
    assert_eq!(query[2].max_length, Some(50));
    assert_eq!(query[1].default, Some(false.into()));
    let body = &spec.body.as_ref().unwrap().fields;
    let users = body.iter().find(|f| f.name == "user_id_list").unwrap();
    assert_eq!((users.ty.as_str(), users.max_items), ("string[]", Some(50)));
    assert_eq!(
        users.example,
        Some(serde_json::json!([
            "ou_7d8a6e6df7621556ce0d21922b676706ccs"
        ]))
    );
    let description = body.iter().find(|f| f.name == "description").unwrap();
    assert_eq!(description.default, None, "默认值 空 is no default");
    let rate = spec.rate_limit.unwrap();
    assert_eq!((rate.per_minute, rate.per_second), (Some(1000), Some(50)));
    assert_eq!(spec.scopes[1].name, "im:chat:create");
    assert_eq!(spec.scopes[1].description, "创建群");
    assert_eq!(
        spec.field_scopes[0].name,
        "contact:user.employee_id:readonly"
    );
    assert_eq!(spec.response.fields.len(), 25);
    assert_eq!(spec.errors.len(), 22);
}

fn xtask(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn the_command_writes_a_pretty_draft_and_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    fs::write(&page, SEED).unwrap();
    let out = dir.path().join("create.json");
    let decisions = root().join(CREATE);
    let args = [
        "import-doc",
        page.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--decisions",
        decisions.to_str().unwrap(),
    ];
    let (code, stderr) = xtask(&args);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("{\n  \"$schema\": \"../../../endpoint.schema.json\",\n"));

    fs::write(&out, "keep").unwrap();
    let (code, stderr) = xtask(&args);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("exists: pass --force to replace it"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep");

    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(xtask(&forced).0, Some(0));
    assert_eq!(fs::read_to_string(&out).unwrap(), text);
}

/// The error for the seed page with `from` replaced by `to`; the command
/// writes nothing for it.
fn bad(from: &str, to: &str) -> String {
    assert_eq!(
        SEED.matches(from).count(),
        1,
        "edit target not unique: {from}"
    );
    let text = SEED.replacen(from, to, 1);
    let err = page::parse("page.md", &text).unwrap_err().to_string();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    fs::write(&page, &text).unwrap();
    let out = dir.path().join("draft.json");
    let (code, stderr) = xtask(&[
        "import-doc",
        page.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.ends_with("nothing was written\n"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the page"
    );
    err
}

#[test]
fn a_missing_row_is_an_error() {
    let line = SEED.lines().position(|l| l == "## 请求").unwrap() + 1;
    assert_eq!(
        bad("HTTP Method | POST\n", ""),
        format!("page.md:{line}: the 请求 table has no `HTTP Method` row")
    );
}

#[test]
fn a_broken_row_is_an_error_with_its_line() {
    let line = SEED
        .lines()
        .position(|l| l.starts_with("set_bot_manager |"))
        .unwrap()
        + 1;
    assert_eq!(
        bad(
            "set_bot_manager | boolean | 否 |",
            "set_bot_manager | boolean | 否"
        ),
        format!(
            "page.md:{line}: broken table row: 3 cells, the table has 4 columns; a cell runs over several lines only where each of its lines but the last ends in two spaces"
        )
    );
}

#[test]
fn an_unknown_type_is_reported_with_its_line() {
    let line = SEED
        .lines()
        .position(|l| l.starts_with("avatar | string | 否"))
        .unwrap()
        + 1;
    // A name the example contradicts with a plain value is read as the
    // example's type, and left to a human.
    let text = SEED.replacen("avatar | string | 否", "avatar | strnig | 否", 1);
    let page = page::parse("page.md", &text).unwrap();
    assert_eq!(page.body[0].name, "avatar");
    assert_eq!(page.body[0].ty, page::FieldType::String);
    assert_eq!(
        page.misfits("page.md"),
        [format!(
            "page.md:{line}: unknown type `strnig` for `avatar`: the example shows a string, so the draft reads it as one; write the type the page means"
        )]
    );
    // A type cell that is no name at all is an error.
    assert_eq!(
        bad("avatar | string | 否", "avatar | map<string> | 否"),
        format!("page.md:{line}: unknown type `map<string>` for `avatar`")
    );
}

#[test]
fn a_file_that_is_not_a_doc_page_is_an_error() {
    assert_eq!(
        page::parse("notes.md", "# notes\n\nnothing here\n")
            .unwrap_err()
            .to_string(),
        "notes.md:1: not a Feishu doc page: it starts with neither `<!--` (doc source) nor `---` (rendered) front matter"
    );
}

#[test]
fn a_page_that_disagrees_with_a_decision_leaves_it_open() {
    let text = SEED.replacen(
        "- `public`：公开群  \n**示例值**：\"private\"",
        "- `public`：公开群  \n- `secret`：秘密群  \n**示例值**：\"private\"",
        1,
    );
    let page = page::parse("page.md", &text).unwrap();
    let draft = import::import(&page, Some(&hand_written()));
    assert_eq!(
        draft.open,
        [
            "body.chat_type: the page's values differ from `ChatType`'s: extend `ChatType` in the decisions file, or name a new enum"
        ]
    );
    let body = draft.spec.body.as_ref().unwrap();
    let chat_type = body.fields.iter().find(|f| f.name == "chat_type").unwrap();
    // `ChatType` is the decision's; the body's own enum is qualified.
    assert_eq!(chat_type.ty, "CreateChatChatType");
    // The response's chat_type still agrees with the decision.
    let response = draft
        .spec
        .response
        .fields
        .iter()
        .find(|f| f.name == "chat_type")
        .unwrap();
    assert_eq!(response.ty, "ChatType");
}

#[test]
fn without_decisions_the_command_names_the_versions_types_and_points_schema_at_the_meta_schema() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    fs::write(&page, SEED).unwrap();
    let version = dir.path().join("schema/im/v1");
    fs::create_dir_all(version.join("chat")).unwrap();
    fs::copy(root().join(SHARED_TYPES), version.join("types.json")).unwrap();
    let out = version.join("chat/create.json");
    let (code, stderr) = xtask(&[
        "import-doc",
        page.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let draft: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(draft["$schema"], "../../../endpoint.schema.json");
    assert_eq!(draft["query"]["fields"][0]["type"], "UserIdType");
    assert!(draft["types"].get("UserIdType").is_none());

    let shallow = dir.path().join("schema/create.json");
    xtask(&[
        "import-doc",
        page.to_str().unwrap(),
        "--out",
        shallow.to_str().unwrap(),
    ]);
    let draft: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&shallow).unwrap()).unwrap();
    assert_eq!(draft["$schema"], "endpoint.schema.json");
    // No types.json beside it: the draft declares its own.
    assert!(draft["types"].get("UserIdType").is_some());
}

#[test]
fn a_bad_types_file_is_an_error_naming_it_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    fs::write(&page, SEED).unwrap();
    let types = dir.path().join("types.json");
    fs::write(&types, "{\"types\": {\"X\": {\"kind\": \"struct\"}}}").unwrap();
    let out = dir.path().join("create.json");
    let (code, stderr) = xtask(&[
        "import-doc",
        page.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--types",
        types.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("types.json"), "{stderr}");
    assert!(stderr.contains("types.X"), "{stderr}");
    assert!(stderr.ends_with("nothing was written\n"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn the_command_lists_open_decisions() {
    let text = SEED.replacen(
        "- `public`：公开群  \n**示例值**：\"private\"",
        "- `public`：公开群  \n- `secret`：秘密群  \n**示例值**：\"private\"",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.md");
    fs::write(&page, text).unwrap();
    let out = dir.path().join("create.json");
    let decisions = root().join(CREATE);
    let (code, stderr) = xtask(&[
        "import-doc",
        page.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--decisions",
        decisions.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "decide: body.chat_type: the page's values differ from `ChatType`'s: extend `ChatType` in the decisions file, or name a new enum",
            "1 open decision(s): the draft works as it is; settle them before review",
        ]
    );
}

#[test]
fn a_written_draft_says_required_only_where_a_field_is() {
    // The seed page marks no field 必填; make the body's avatar one.
    let text = SEED.replacen("avatar | string | 否", "avatar | string | 是", 1);
    let dir = tempfile::tempdir().unwrap();
    let page_file = dir.path().join("page.md");
    fs::write(&page_file, &text).unwrap();
    let out = dir.path().join("create.json");
    let decisions = root().join(CREATE);
    let (code, stderr) = xtask(&[
        "import-doc",
        page_file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--decisions",
        decisions.to_str().unwrap(),
    ]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let written = fs::read_to_string(&out).unwrap();
    assert_eq!(written.matches("\"required\": false").count(), 0);
    assert_eq!(written.matches("\"required\": true").count(), 1);
    // The file reads back as the draft that was built.
    let mut draft = import::import(
        &page::parse("page.md", &text).unwrap(),
        Some(&hand_written()),
    );
    // Every type create chat names is the version's shared one: not repeated.
    draft.spec.types.clear();
    let read_back = feishu_codegen::parse_endpoint(CREATE, &written).unwrap();
    assert_eq!(
        serde_json::to_value(&read_back).unwrap(),
        serde_json::to_value(&draft.spec).unwrap()
    );
    let body = read_back.body.as_ref().unwrap();
    let required: Vec<&str> = body
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(required, ["avatar"]);
}

#[test]
fn the_draft_file_of_the_seed_page_generates_the_same_code_as_the_hand_written_schema() {
    let page = page::parse("page.md", SEED).unwrap();
    let text = import::draft_text(&import::import(&page, Some(&hand_written())).spec);
    assert!(!text.contains("\"required\":"), "no field is required");
    let spec = feishu_codegen::parse_endpoint(CREATE, &text).unwrap();
    assert!(generated(&spec) == generated(&hand_written()));
}

#[test]
fn a_type_that_differs_from_the_shared_one_of_its_name_is_qualified_not_merged() {
    // The body's i18n_names now requires ja_jp: no longer the shared type.
    let text = SEED.replacen("ja_jp | string | 否", "ja_jp | string | 是", 1);
    let page = page::parse("page.md", &text).unwrap();
    let shared_text = fs::read_to_string(root().join(SHARED_TYPES)).unwrap();
    let shared = feishu_codegen::parse_types(SHARED_TYPES, &shared_text)
        .unwrap()
        .types;
    let draft = import::import_with(
        &page,
        import::Context {
            shared: Some(&shared),
            ..import::Context::default()
        },
    );
    assert_eq!(draft.open, Vec::<String>::new());
    let body = draft.spec.body.as_ref().unwrap();
    let i18n = body.fields.iter().find(|f| f.name == "i18n_names").unwrap();
    assert_eq!(i18n.ty, "CreateChatI18nNames");
    let response = &draft.spec.response.fields;
    let i18n = response.iter().find(|f| f.name == "i18n_names").unwrap();
    assert_eq!(i18n.ty, "I18nNames");
    let text = serde_json::to_string_pretty(&draft.spec).unwrap();
    feishu_codegen::check_sources(&[(CREATE, &text), (SHARED_TYPES, &shared_text)]).unwrap();
}

/// A map whose value type the page names, over the rows `key` and `value`
/// (`map<string, abnormal_code>` in the directory events), is a map of the
/// value row's type, named for the map: its listed integers make the
/// integer enum `FieldErrors`, as a `map<string, int>` listing them does.
#[test]
fn a_map_over_key_and_value_rows_is_a_map_of_the_value() {
    use xtask::page::FieldType;
    let mut page = page::parse("page.md", SEED).unwrap();
    let template = page.body[0].clone();
    let row = |name: &str, ty: FieldType, values: Vec<(String, String)>| page::Field {
        name: name.into(),
        ty,
        values,
        description: "x".into(),
        example: None,
        default: None,
        fields: Vec::new(),
        ..template.clone()
    };
    let codes = vec![
        ("0".into(), "成功".into()),
        ("1000".into(), "没权限".into()),
    ];
    let mut map = row(
        "field_errors",
        FieldType::Map(Box::new(FieldType::Object("abnormal_code".into()))),
        Vec::new(),
    );
    map.fields = vec![
        row("key", FieldType::String, Vec::new()),
        row("value", FieldType::Integer, codes),
    ];
    page.body.push(map);
    let draft = import::import(&page, None);
    let body = draft.spec.body.as_ref().unwrap();
    let field = body
        .fields
        .iter()
        .find(|f| f.name == "field_errors")
        .unwrap();
    assert_eq!(field.ty, "map<string, FieldErrors>");
    let Some(TypeSpec::Enum(e)) = draft.spec.types.get("FieldErrors") else {
        panic!("no enum FieldErrors: {:?}", draft.spec.types.keys());
    };
    let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["0", "1000"]);
    check(&draft.spec).unwrap();
}
