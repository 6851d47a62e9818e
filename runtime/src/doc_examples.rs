//! Checks of a doc page's examples against the types generated from its
//! schema, for the generated crate's `doc_examples` test: what a page shows
//! must be what the client sends and reads. Each function takes the schema
//! file's text (its `examples` key holds the page's examples) and panics,
//! saying what differs, when the types disagree with the page. Event
//! schemas keep their example delivery under `example`.
//!
//! Each check decodes and encodes the way the client and the fake do
//! (`from_slice` and `to_vec`, never through a `Value`), so that in a debug
//! build the test reuses the code the API crates already hold for each type
//! rather than compiling every type's serde impls again: over the whole API
//! that was most of the test's build.

use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ErrorCode;
use crate::response::decode_answer;

/// The page's request example (`examples.request_body`) decodes into the
/// body type `B`, which sends every key the example has and none it lacks,
/// and decodes what it sends unchanged (it sends it again byte for byte:
/// the generated types do not derive `PartialEq`, which would cost the
/// build of every API group for this one test). The values are the same JSON, if
/// not the same spelling: a `number` the page writes `100` goes as `100.0`,
/// an enum the page writes by a documented alias goes as its value.
pub fn request_example<B>(schema: &str)
where
    B: Serialize + DeserializeOwned,
{
    let example = example(schema, "request_body");
    let sent = serde_json::to_vec(&example).expect("JSON values encode");
    let body: B = serde_json::from_slice(&sent).unwrap_or_else(|error| {
        panic!(
            "the request example does not decode into {}: {error}",
            std::any::type_name::<B>()
        )
    });
    let bytes = serde_json::to_vec(&body).expect("generated types encode");
    let encoded: Value = serde_json::from_slice(&bytes).expect("generated types encode JSON");
    let mut lost = Vec::new();
    missing_keys(&example, &encoded, "request_body", &mut lost);
    assert!(
        lost.is_empty(),
        "the request example's fields the body drops: {lost:?}"
    );
    let mut added = Vec::new();
    missing_keys(&encoded, &example, "request_body", &mut added);
    assert!(
        added.is_empty(),
        "fields the body sends that the request example lacks: {added:?}"
    );
    round_trip::<B>(&bytes, "the request body");
}

/// The page's response example (`examples.response`, the whole envelope)
/// decodes as a call's answer would into `D`, losing no field the example
/// has, and `D` decodes what it encodes unchanged (as for a request).
pub fn response_example<D, E>(schema: &str)
where
    D: Serialize + DeserializeOwned,
    E: ErrorCode,
{
    let example = example(schema, "response");
    let body = serde_json::to_vec(&example).expect("JSON values encode");
    let data: D = decode_answer::<D, E>(200, HeaderMap::new(), body)
        .unwrap_or_else(|error| panic!("the response example does not decode: {error:?}"));
    let bytes = serde_json::to_vec(&data).expect("generated types encode");
    let encoded: Value = serde_json::from_slice(&bytes).expect("generated types encode JSON");
    if let Some(page) = example.get("data") {
        let mut lost = Vec::new();
        missing_keys(page, &encoded, "data", &mut lost);
        assert!(
            lost.is_empty(),
            "the response example's fields the types drop: {lost:?}"
        );
    }
    round_trip::<D>(&bytes, "the response data");
}

/// What `T` encoded (`bytes`) decodes into a value that encodes to the
/// same bytes.
fn round_trip<T: Serialize + DeserializeOwned>(bytes: &[u8], what: &str) {
    let again: T = serde_json::from_slice(bytes).expect("what a type encodes, it decodes");
    let again = serde_json::to_vec(&again).expect("generated types encode");
    assert_eq!(
        String::from_utf8_lossy(&again),
        String::from_utf8_lossy(bytes),
        "{what} changes on a round trip"
    );
}

/// `value` as the client sends it, read back as JSON.
fn encode<T: Serialize>(value: &T) -> Value {
    let bytes = serde_json::to_vec(value).expect("generated types encode");
    serde_json::from_slice(&bytes).expect("generated types encode JSON")
}

fn example(schema: &str, key: &str) -> Value {
    let schema: Value = serde_json::from_str(schema).expect("schema files are JSON");
    match schema
        .get("examples")
        .and_then(|examples| examples.get(key))
    {
        Some(example) => example.clone(),
        None => panic!("the schema keeps no `examples.{key}`"),
    }
}

/// Pushes the path of every key of `page` (at any depth, through arrays)
/// that `encoded` lacks. A `null` on the page is an absent value, which the
/// types leave out.
fn missing_keys(page: &Value, encoded: &Value, at: &str, lost: &mut Vec<String>) {
    match (page, encoded) {
        (Value::Object(page), Value::Object(encoded)) => {
            for (key, value) in page {
                let path = format!("{at}.{key}");
                match encoded.get(key) {
                    Some(inner) => missing_keys(value, inner, &path, lost),
                    None if value.is_null() => {}
                    None => lost.push(path),
                }
            }
        }
        (Value::Array(page), Value::Array(encoded)) => {
            for (i, (value, inner)) in page.iter().zip(encoded).enumerate() {
                missing_keys(value, inner, &format!("{at}[{i}]"), lost);
            }
        }
        _ => {}
    }
}

/// The page's example delivery (`example`, the whole envelope) is read as
/// the webhook reads one, and its `event` object decodes into `T`, losing
/// no field, and comes back unchanged from what `T` encodes. Returns the
/// delivery, for the caller to check the dispatch.
pub fn event_example<T>(schema: &str) -> crate::events::Event
where
    T: crate::events::TypedEvent + Serialize,
{
    let schema: Value = serde_json::from_str(schema).expect("schema files are JSON");
    let Some(Value::Object(example)) = schema.get("example").cloned() else {
        panic!("the schema keeps no `example` delivery");
    };
    let event = crate::events::Event::from_object(example)
        .unwrap_or_else(|| panic!("the example is neither a 2.0 nor a 1.0 envelope"));
    let typed = T::from_event(&event).unwrap_or_else(|error| panic!("{error}"));
    let encoded = encode(&typed);
    let mut lost = Vec::new();
    missing_keys(&event.body["event"], &encoded, "event", &mut lost);
    assert!(
        lost.is_empty(),
        "the example's fields the types drop: {lost:?}"
    );
    // Read back the way the webhook reads a delivery.
    let mut encoded_event = event.clone();
    encoded_event.body["event"] = encoded.clone();
    let again = T::from_event(&encoded_event).expect("what a type encodes, it decodes");
    assert_eq!(encode(&again), encoded, "the event changes on a round trip");
    event
}
