//! A version's shared types (`schema/<group>/<version>/types.json`): named
//! from endpoint files like their own types, declared once, and every
//! mistake across files caught with the file, the JSON path and the fix.

use feishu_codegen::{Problem, check_sources};
use serde_json::{Value, json};

const CREATE_FILE: &str = "schema/im/v1/chat/create.json";
const TYPES_FILE: &str = "schema/im/v1/types.json";

fn create() -> Value {
    serde_json::from_str(crate::common::CREATE).unwrap()
}

fn shared() -> Value {
    serde_json::from_str(crate::common::SHARED_TYPES).unwrap()
}

/// The problems of the given files, `Ok` when there are none.
fn check(files: &[(&str, &Value)]) -> Result<feishu_codegen::ir::Api, Vec<Problem>> {
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|(path, value)| ((*path).to_owned(), value.to_string()))
        .collect();
    let sources: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    check_sources(&sources).map_err(|p| p.0)
}

fn problem(file: &str, path: &str, message: &str, fix: &str) -> Problem {
    Problem {
        file: file.into(),
        path: path.into(),
        message: message.into(),
        fix: fix.into(),
    }
}

#[test]
fn shared_types_are_declared_once_and_named_by_the_endpoint() {
    let api = check(&[(CREATE_FILE, &create()), (TYPES_FILE, &shared())]).unwrap();
    assert_eq!(api.shared.len(), 1);
    assert_eq!(api.shared[0].module_path, ["im", "v1", "types"]);
    let endpoint = &api.endpoints[0];
    assert!(endpoint.types.is_empty());
    let uses = endpoint.shared.as_ref().unwrap();
    assert_eq!(uses.module_path, ["im", "v1", "types"]);
    assert!(uses.names.iter().any(|n| n == "UserIdType"));
    assert!(uses.names.iter().any(|n| n == "I18nNames"));
    let files = feishu_codegen::generate(&api);
    let types = files
        .iter()
        .find(|(path, _)| path.ends_with("im/src/v1/types.rs"))
        .unwrap()
        .1;
    assert_eq!(types.matches("pub enum UserIdType {").count(), 1);
    assert_eq!(types.matches("pub struct I18nNames {").count(), 1);
    let create = files
        .iter()
        .find(|(path, _)| path.ends_with("im/src/v1/chat/create.rs"))
        .unwrap()
        .1;
    assert!(!create.contains("pub enum UserIdType"));
    assert!(create.contains("pub use crate::v1::types::{"));
}

#[test]
fn a_second_endpoint_shares_the_same_types() {
    let mut get = create();
    get["path"] = json!("/open-apis/im/v1/chats/:chat_id");
    get["method"] = json!("GET");
    get["path_params"] = json!([
        { "name": "chat_id", "type": "string", "required": true, "description": "群 ID" }
    ]);
    get.as_object_mut().unwrap().remove("body");
    get["examples"]
        .as_object_mut()
        .unwrap()
        .remove("request_body");
    let api = check(&[
        (CREATE_FILE, &create()),
        ("schema/im/v1/chat/get.json", &get),
        (TYPES_FILE, &shared()),
    ])
    .unwrap();
    let uses: Vec<_> = api
        .endpoints
        .iter()
        .map(|e| {
            e.shared
                .as_ref()
                .unwrap()
                .names
                .contains(&"UserIdType".to_owned())
        })
        .collect();
    assert_eq!(uses, [true, true]);
    let files = feishu_codegen::generate(&api);
    let declarations = files
        .values()
        .map(|text| text.matches("pub enum UserIdType {").count())
        .sum::<usize>();
    assert_eq!(declarations, 1);
}

#[test]
fn a_type_both_local_and_shared_is_ambiguous() {
    let mut endpoint = create();
    endpoint["types"] = json!({
        "UserIdType": { "kind": "enum", "description": "d", "values": [{ "value": "open_id", "description": "x" }] }
    });
    let found = check(&[(CREATE_FILE, &endpoint), (TYPES_FILE, &shared())]).unwrap_err();
    assert_eq!(
        found,
        [problem(
            CREATE_FILE,
            "types.UserIdType",
            "`UserIdType` is also a shared type in schema/im/v1/types.json, so the name is ambiguous",
            "remove this copy and use the shared type, or give this one another name",
        )]
    );
}

#[test]
fn an_unknown_name_lists_the_shared_types_too() {
    let mut endpoint = create();
    endpoint["body"]["fields"][3]["type"] = json!("I18nName");
    let found = check(&[(CREATE_FILE, &endpoint), (TYPES_FILE, &shared())]).unwrap_err();
    assert_eq!(
        found,
        [problem(
            CREATE_FILE,
            "body.fields[3].type",
            "unknown type `I18nName`",
            "did you mean `I18nNames`?",
        )]
    );
    endpoint["body"]["fields"][3]["type"] = json!("Flag");
    let found = check(&[(CREATE_FILE, &endpoint), (TYPES_FILE, &shared())]).unwrap_err();
    assert!(
        found[0].fix.starts_with(
            "use string, boolean, integer, number, json, one of the names under `types` or in schema/im/v1/types.json (ChatMemberUser, ChatMenuActionType, "
        ),
        "{}",
        found[0].fix
    );
}

#[test]
fn without_its_shared_types_an_endpoint_names_unknown_types() {
    let found = check(&[(CREATE_FILE, &create())]).unwrap_err();
    assert!(!found.is_empty());
    assert!(
        found.iter().all(
            |p| p.file == CREATE_FILE && p.message.starts_with("unknown type `")
                || p.message.starts_with("no field")
        ),
        "{found:?}"
    );
}

#[test]
fn a_mistake_in_the_shared_file_is_reported_there_once() {
    let mut types = shared();
    types["types"]["ChatTag"]["aliases"] =
        json!([{ "wire": "x", "means": "nothing", "reason": "r" }]);
    let found = check(&[(CREATE_FILE, &create()), (TYPES_FILE, &types)]).unwrap_err();
    assert_eq!(
        found,
        [problem(
            TYPES_FILE,
            "types.ChatTag.aliases[0].means",
            "`nothing` is not a value of ChatTag",
            "use one of: inner, tenant, department, edu, meeting, customer_service",
        )]
    );
}

#[test]
fn shared_types_live_in_a_version_folder() {
    let found = check(&[("schema/im/types.json", &shared())]).unwrap_err();
    assert_eq!(
        found,
        [problem(
            "schema/im/types.json",
            "",
            "shared types belong to one API version",
            "move the file to schema/<group>/<version>/types.json, e.g. schema/im/v1/types.json",
        )]
    );
}

#[test]
fn a_resource_folder_named_types_collides_with_the_shared_module() {
    let found = check(&[
        ("schema/im/v1/types/create.json", &create()),
        (TYPES_FILE, &shared()),
    ])
    .unwrap_err();
    assert_eq!(
        found,
        [problem(
            TYPES_FILE,
            "",
            "this file and the folder of schema/im/v1/types/create.json both become the module `im::v1::types`",
            "rename the file or the folder",
        )]
    );
}

#[test]
fn an_open_decision_is_reported_as_one_not_renamed_away() {
    let mut endpoint = crate::common::self_contained_create();
    let types = endpoint["types"].as_object_mut().unwrap();
    let chat_type = types.remove("ChatType").unwrap();
    types.insert("TODO_Enum_chat_type".into(), chat_type);
    endpoint["errors"][0]["name"] = json!("TODO_Error_232001");
    for at in ["body", "response"] {
        for field in endpoint[at]["fields"].as_array_mut().unwrap() {
            if field["name"] == "chat_type" {
                field["type"] = json!("TODO_Enum_chat_type");
            }
        }
    }
    let found = check(&[(CREATE_FILE, &endpoint)]).unwrap_err();
    assert_eq!(
        found,
        [
            problem(
                CREATE_FILE,
                "types.TODO_Enum_chat_type",
                "`TODO_Enum_chat_type` is an open decision import-doc left: the page does not say the name of this type",
                "choose the name of this type (read the page's description of it) and write it in place of `TODO_Enum_chat_type`",
            ),
            problem(
                CREATE_FILE,
                "errors[0].name",
                "`TODO_Error_232001` is an open decision import-doc left: the page does not say the Rust name of this error code",
                "choose the Rust name of this error code (read the page's description of it) and write it in place of `TODO_Error_232001`",
            ),
        ]
    );
}
