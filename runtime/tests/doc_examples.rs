//! The checks the generated `doc_examples` test runs, on types that agree
//! and disagree with a page's examples.

use feishu_runtime::NoDocumentedCodes;
use feishu_runtime::doc_examples::{request_example, response_example};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Body {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<i64>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Data {
    chat_id: Option<String>,
    #[serde(default)]
    items: Vec<Body>,
}

const SCHEMA: &str = r#"{"examples": {
    "request_body": {"name": "a", "size": 3},
    "response": {"code": 0, "msg": "success",
                 "data": {"chat_id": "oc_1", "items": [{"name": "b"}], "gone": null}}
}}"#;

#[test]
fn examples_the_types_agree_with_pass() {
    request_example::<Body>(SCHEMA);
    response_example::<Data, NoDocumentedCodes>(SCHEMA);
}

#[test]
#[should_panic(expected = r#"the body drops: ["request_body.extra"]"#)]
fn a_request_field_the_body_drops_fails() {
    request_example::<Body>(r#"{"examples": {"request_body": {"name": "a", "extra": 1}}}"#);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Sized {
    name: String,
    #[serde(default)]
    size: i64,
}

#[test]
#[should_panic(expected = r#"the request example lacks: ["request_body.size"]"#)]
fn a_field_the_body_sends_that_the_page_lacks_fails() {
    request_example::<Sized>(r#"{"examples": {"request_body": {"name": "a"}}}"#);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Image {
    width: f64,
    state: State,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum State {
    #[serde(rename = "READ", alias = "read")]
    Read,
}

/// `100` and `100.0` are one JSON number; an alias is its value's spelling.
#[test]
fn a_number_and_an_alias_as_the_page_spells_them_pass() {
    request_example::<Image>(r#"{"examples": {"request_body": {"width": 100, "state": "read"}}}"#);
}

#[test]
#[should_panic(expected = r#"drop: ["data.items[0].size2"]"#)]
fn a_response_field_the_data_drops_fails_with_its_path() {
    response_example::<Data, NoDocumentedCodes>(
        r#"{"examples": {"response": {"code": 0, "data": {"items": [{"name": "b", "size2": 1}]}}}}"#,
    );
}

#[test]
#[should_panic(expected = "does not decode")]
fn an_error_answer_as_the_example_fails() {
    response_example::<Data, NoDocumentedCodes>(
        r#"{"examples": {"response": {"code": 232001, "msg": "no"}}}"#,
    );
}

#[test]
#[should_panic(expected = "keeps no `examples.request_body`")]
fn a_missing_example_fails() {
    request_example::<Body>(r#"{"examples": {}}"#);
}
