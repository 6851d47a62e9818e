//! Which endpoints the checker takes for list endpoints: `page_token` and
//! `page_size` in the query, `has_more`, `page_token` and exactly one array
//! in the response. The fixture's `match/list.json` is one; variants of it
//! that break one condition are not.

use std::path::Path;

use feishu_codegen::check_sources;
use feishu_codegen::ir::{Paging, Type};
use serde_json::{Value, json};

const FILE: &str = "schema/fixture/v1/match/list.json";

fn list() -> Value {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/group_chat_shapes")
        .join(FILE);
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

/// The IR's paging of the schema, which must check clean.
fn paging(schema: &Value) -> Option<Paging> {
    let text = serde_json::to_string(schema).unwrap();
    let api = check_sources(&[(FILE, &text)]).unwrap_or_else(|problems| panic!("{problems}"));
    assert_eq!(api.endpoints.len(), 1);
    api.endpoints[0].paging.clone()
}

fn response_fields(schema: &mut Value) -> &mut Vec<Value> {
    schema["response"]["fields"].as_array_mut().unwrap()
}

fn query_fields(schema: &mut Value) -> &mut Vec<Value> {
    schema["query"]["fields"].as_array_mut().unwrap()
}

#[test]
fn the_fixture_list_endpoint_is_paged_over_its_items() {
    assert_eq!(
        paging(&list()),
        Some(Paging {
            items_field: "items".into(),
            items_wire: "items".into(),
            item_type: Type::Object("MatchMember".into()),
        })
    );
}

#[test]
fn a_single_array_of_another_name_holds_the_items() {
    let mut schema = list();
    response_fields(&mut schema)[0]["name"] = json!("member_list");
    let paging = paging(&schema).expect("paged");
    assert_eq!(paging.items_field, "member_list");
}

#[test]
fn a_response_with_two_arrays_is_not_paged() {
    let mut schema = list();
    response_fields(&mut schema).push(json!({
        "name": "invalid_id_list",
        "type": "string[]",
        "description": "无效的成员 ID"
    }));
    assert_eq!(paging(&schema), None);
}

#[test]
fn a_response_without_an_array_is_not_paged() {
    let mut schema = list();
    response_fields(&mut schema).remove(0);
    schema["types"] = json!({});
    assert_eq!(paging(&schema), None);
}

#[test]
fn without_has_more_or_a_page_size_it_is_not_paged() {
    let mut schema = list();
    response_fields(&mut schema).retain(|f| f["name"] != "has_more");
    assert_eq!(paging(&schema), None);

    let mut schema = list();
    query_fields(&mut schema).retain(|f| f["name"] != "page_size");
    assert_eq!(paging(&schema), None);
}

#[test]
fn a_has_more_of_another_type_is_not_paged() {
    let mut schema = list();
    response_fields(&mut schema)[2]["type"] = json!("integer");
    assert_eq!(response_fields(&mut schema)[2]["name"], "has_more");
    assert_eq!(paging(&schema), None);
}
