//! `object_impls!`, the serde impls of every generated struct: what it
//! sends and what it reads, through both ways the runtime decodes (bytes,
//! and a `Value` for events).

use serde_json::{Value, json};

#[derive(Clone, Debug, Default)]
struct Inner {
    id: Option<String>,
}

feishu_runtime::object_impls!(Inner { id = "id" });

#[derive(Clone, Debug, Default)]
struct Outer {
    type_: Option<String>,
    count: Option<i64>,
    inner: Option<Vec<Inner>>,
    extra: Option<Value>,
}

feishu_runtime::object_impls!(Outer {
    type_ = "type",
    count = "count",
    inner = "inner",
    extra = "extra",
});

#[test]
fn none_is_left_out_and_fields_go_in_declared_order_by_wire_name() {
    let value = Outer {
        count: Some(3),
        type_: Some("a".into()),
        inner: Some(vec![
            Inner::default(),
            Inner {
                id: Some("x".into()),
            },
        ]),
        extra: None,
    };
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"type":"a","count":3,"inner":[{},{"id":"x"}]}"#
    );
    assert_eq!(serde_json::to_string(&Outer::default()).unwrap(), "{}");
}

#[test]
fn decoding_skips_unknown_keys_and_leaves_missing_and_null_fields_none() {
    let text = r#"{"later":{"deep":[1,{"x":null}]},"type":"a","count":null,"inner":[{"id":"x","more":true}]}"#;
    let read: Outer = serde_json::from_str(text).unwrap();
    assert_eq!(read.type_.as_deref(), Some("a"));
    assert_eq!(read.count, None);
    assert_eq!(read.extra, None);
    let inner = read.inner.unwrap();
    assert_eq!(inner.len(), 1);
    assert_eq!(inner[0].id.as_deref(), Some("x"));
}

#[test]
fn escaped_keys_owned_keys_and_a_repeated_key() {
    // `\u0074ype` is `type`: serde_json cannot lend that key from the input.
    let read: Outer = serde_json::from_slice(br#"{"\u0074ype":"a","count":1,"count":2}"#).unwrap();
    assert_eq!((read.type_.as_deref(), read.count), (Some("a"), Some(2)));
    // A `Value` hands its keys over as owned strings.
    let read: Outer = serde_json::from_value(json!({"type": "b", "extra": [1]})).unwrap();
    assert_eq!(read.type_.as_deref(), Some("b"));
    assert_eq!(read.extra, Some(json!([1])));
}

#[test]
fn a_wrong_shape_is_an_error_naming_the_type() {
    let error = serde_json::from_str::<Outer>("[1]").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: sequence, expected a JSON object for Outer at line 1 column 0"
    );
    let error = serde_json::from_str::<Outer>(r#"{"count":"3"}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: string \"3\", expected i64 at line 1 column 12"
    );
}
