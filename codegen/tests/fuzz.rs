//! Property tests of the generator: no input makes it panic, and every
//! schema the checker accepts becomes Rust that parses, and (for a sample)
//! compiles clean under clippy. Odd names on purpose: keywords, non-ASCII,
//! empty strings, names that collide after case conversion.
//!
//! `PROPTEST_CASES=100000 cargo test -p feishu-codegen --test integration --release -- fuzz::`
//! runs a long session; the default is a short smoke run.

use crate::scratch::Scratch;
use feishu_codegen::{check_sources, generate};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

// A version without shared types, so that in the compile test below the
// samples declare every type they name themselves.
const FILE: &str = "schema/im/v0/fuzz/create.json";

/// Odd names the checker accepts (keywords get a trailing `_`, separators
/// become `_`), and odd names it must refuse.
const FIELD_NAMES: &[&str] = &[
    "type", "self", "Self", "crate", "super", "async", "gen", "a-b", "A", "aB", "user id",
    "unknown", "x_", "X", "value", "r#type",
];
const BAD_FIELD_NAMES: &[&str] = &["", "2fa", "_", "名字", "ключ", "-"];
const TYPE_NAMES: &[&str] = &[
    "Node",
    "Leaf",
    "Type",
    "Unknown",
    "X",
    "ChatType",
    "I18nNames",
    "Async",
];
const BAD_TYPE_NAMES: &[&str] = &[
    "Self",
    "名字",
    "Option",
    "String",
    "Vec",
    "Result",
    "Serialize",
    "FuzzCreateBody",
    "x",
    "a_b",
];
const VALUES: &[&str] = &[
    "private",
    "public",
    "all members",
    "all_members",
    "ALL_MEMBERS",
    "self",
    "a-b",
    "a b",
    "\"quoted\"",
    "back\\slash",
    "type",
];
const BAD_VALUES: &[&str] = &["", "1", "unknown", "Unknown", "名", "é"];

/// Mostly ordinary names from `pattern`, some odd ones the checker
/// accepts, a few it must refuse.
fn pick(
    odd: &'static [&'static str],
    bad: &'static [&'static str],
    pattern: &'static str,
) -> BoxedStrategy<String> {
    prop_oneof![
        30 => pattern,
        6 => prop::sample::select(odd).prop_map(str::to_owned),
        1 => prop::sample::select(bad).prop_map(str::to_owned),
    ]
    .boxed()
}

fn type_ref(names: Vec<String>) -> BoxedStrategy<String> {
    let mut choices = vec![
        "string".to_owned(),
        "boolean".into(),
        "integer".into(),
        "number".into(),
    ];
    choices.extend(names);
    (
        prop::sample::select(choices),
        prop_oneof![4 => Just(0usize), 1 => 1..3usize],
        prop_oneof![5 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(name, arrays, map)| {
            let ty = format!("{name}{}", "[]".repeat(arrays));
            if map {
                format!("map<string, {ty}>")
            } else {
                ty
            }
        })
        .boxed()
}

/// Limits and defaults only where the type admits them, so most schemas
/// get past the checker and exercise the emitter.
fn field(names: Vec<String>, request: bool) -> BoxedStrategy<Value> {
    (
        pick(FIELD_NAMES, BAD_FIELD_NAMES, "[a-z][a-z0-9_]{0,8}"),
        type_ref(names),
        any::<bool>(),
        prop::option::of((0..80usize, 0..80usize)),
        prop::option::of(pick(VALUES, BAD_VALUES, "[a-z_]{0,6}")),
        any::<bool>(),
    )
        .prop_map(move |(name, ty, required, limits, text, flag)| {
            let mut f = json!({ "name": name, "type": ty, "required": required, "description": "字段 `x` [link](https://example.com)" });
            // Limits are for requests; the checker refuses them in responses.
            if let Some((a, b)) = limits.filter(|_| request) {
                let (min, max) = (a.min(b), a.max(b));
                if ty.ends_with("[]") {
                    f["min_items"] = json!(min);
                    f["max_items"] = json!(max);
                } else if ty == "string" {
                    f["min_length"] = json!(min);
                    f["max_length"] = json!(max);
                }
            }
            match ty.as_str() {
                "string" => f["default"] = json!(text),
                "boolean" => f["default"] = json!(flag),
                _ => {}
            }
            f
        })
        .boxed()
}

fn fields(names: Vec<String>, request: bool) -> BoxedStrategy<Value> {
    prop::collection::vec(field(names, request), 0..8)
        .prop_map(Value::Array)
        .boxed()
}

fn enumeration() -> BoxedStrategy<Value> {
    (
        prop_oneof![
            6 => prop::collection::btree_set(pick(VALUES, BAD_VALUES, "[a-z][a-z_]{0,8}"), 1..8)
                .prop_map(|values| values.into_iter().collect::<Vec<_>>()),
            1 => (1..400usize).prop_map(|n| (0..n).map(|i| format!("value_{i}")).collect()),
        ],
        any::<bool>(),
    )
        .prop_map(|(values, alias)| {
            let values: Vec<Value> = values
                .iter()
                .map(|v| json!({ "value": v, "description": "值" }))
                .collect();
            let mut e = json!({ "kind": "enum", "description": "枚举", "values": values });
            if alias {
                let means = e["values"][0]["value"].clone();
                e["aliases"] =
                    json!([{ "wire": "other spelling", "means": means, "reason": "seen" }]);
            }
            e
        })
        .boxed()
}

/// A schema with odd names: structurally valid, semantically anything.
fn schema() -> impl Strategy<Value = Value> {
    prop::collection::btree_set(pick(TYPE_NAMES, BAD_TYPE_NAMES, "[A-Z][a-z]{1,8}"), 0..6).prop_flat_map(|names| {
        let names: Vec<String> = names.into_iter().collect();
        let kinds = prop::collection::vec(
            prop_oneof![
                enumeration(),
                fields(names.clone(), true).prop_map(|f| json!({ "kind": "object", "fields": f })),
            ],
            names.len(),
        );
        (
            Just(names.clone()),
            kinds,
            fields(names.clone(), true),
            fields(names.clone(), true),
            fields(names, false),
        )
            .prop_map(|(names, kinds, mut query, body, response)| {
                // A query parameter cannot be a map; the checker's refusal
                // of one is a mistakes test, not something to fuzz often.
                for field in query.as_array_mut().into_iter().flatten() {
                    let ty = field["type"].as_str().unwrap_or_default();
                    if let Some(value) = ty.strip_prefix("map<string, ").and_then(|t| t.strip_suffix('>')) {
                        field["type"] = json!(value);
                    }
                }
                let types: serde_json::Map<String, Value> = names.into_iter().zip(kinds).collect();
                json!({
                    "source": { "title": "模糊", "url": "https://open.feishu.cn/document/fuzz", "last_remote_update": "2024-11-25" },
                    "summary": "由属性测试生成。",
                    "method": "POST",
                    "path": "/open-apis/im/v1/fuzz",
                    "access_tokens": ["tenant"],
                    "query": { "fields": query },
                    "body": { "fields": body },
                    "response": { "fields": response },
                    "types": types,
                    "errors": [{ "http_status": 400, "code": 1, "name": "Bad", "message": "m", "advice": "a" }],
                })
            })
    })
}

/// What the generator makes of `text`: `Ok(None)` when the checker refuses
/// it, the rendered files when it accepts it. Panics are failures.
fn run(file: &str, text: &str) -> Option<Vec<(String, String)>> {
    let api = check_sources(&[(file, text)]).ok()?;
    Some(generate(&api).into_iter().collect())
}

// 256 cases each unless PROPTEST_CASES says otherwise.
proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        run(FILE, &text);
    }

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        run(FILE, &value.to_string());
    }

    #[test]
    fn accepted_schemas_render_rust_that_parses(schema in schema()) {
        if let Some(files) = run(FILE, &schema.to_string()) {
            for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
                let parsed = syn::parse_file(text);
                prop_assert!(parsed.is_ok(), "{path}: {:?}", parsed.err());
            }
        }
    }

    #[test]
    fn mutations_of_the_real_schema_never_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), arbitrary_json()), 1..4)) {
        let mut schema: Value = crate::common::self_contained_create();
        for (index, value) in edits {
            let paths = pointers(&schema);
            let path = index.get(&paths).clone();
            *schema.pointer_mut(&path).unwrap() = value;
        }
        run("schema/im/v1/chat/create.json", &schema.to_string());
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            prop::sample::select(VALUES).prop_map(str::to_owned),
            "\\PC{0,12}"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer in `value`.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = vec![String::new()];
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                out.extend(pointers(child).into_iter().map(|p| format!("/{key}{p}")));
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                out.extend(pointers(child).into_iter().map(|p| format!("/{i}{p}")));
            }
        }
        _ => {}
    }
    out
}

/// The edge cases in one schema: 32 levels of nesting (the most the checker
/// allows), a 5,000-value enum,
/// types that hold each other through arrays (a tree: found by these tests
/// to recurse without end), a nested array of checked objects (found by
/// the compile sample to call `validate` on a `Vec`), and checked objects
/// held through maps.
fn edge_cases() -> Value {
    let mut schema: Value = crate::common::self_contained_create();
    for depth in 0..32 {
        let next = if depth == 31 {
            json!({ "name": "leaf", "type": "string", "description": "底层", "max_length": 3 })
        } else {
            json!({ "name": "next", "type": format!("Level{}", depth + 1), "description": "下一层" })
        };
        schema["types"][format!("Level{depth}")] = json!({ "kind": "object", "fields": [next] });
    }
    let values: Vec<Value> = (0..5000)
        .map(|i| json!({ "value": format!("v{i}"), "description": "值" }))
        .collect();
    schema["types"]["Huge"] = json!({ "kind": "enum", "description": "大", "values": values });
    schema["types"]["Node"] = json!({ "kind": "object", "fields": [
        { "name": "children", "type": "Leaf[]", "description": "子节点" },
    ]});
    schema["types"]["Leaf"] = json!({ "kind": "object", "fields": [
        { "name": "parent", "type": "Node[]", "description": "父节点" },
        { "name": "label", "type": "string", "description": "标签", "max_length": 10 },
        { "name": "named", "type": "map<string, Node>", "description": "按名字的子树" },
    ]});
    let body = schema["body"]["fields"].as_array_mut().unwrap();
    body.push(json!({ "name": "deep", "type": "Level0", "description": "深" }));
    body.push(json!({ "name": "huge", "type": "Huge[]", "description": "大" }));
    body.push(json!({ "name": "tree", "type": "Node", "description": "树" }));
    body.push(
        json!({ "name": "grid", "type": "Leaf[][]", "required": true, "description": "网格" }),
    );
    // Checked objects inside maps inside maps, each validated at its key.
    body.push(json!({ "name": "forest", "type": "map<string, map<string, Leaf[]>>", "description": "森林" }));
    // Untyped JSON, through the runtime's re-export of serde_json.
    body.push(json!({ "name": "cells", "type": "map<string, json>[]", "description": "单元格" }));
    // More `#` after a quote than a raw string's fence may hold.
    let hashes = format!("\"{}", "#".repeat(300));
    body.push(json!({ "name": "hashes", "type": "string", "description": hashes }));
    // Fields named like the runtime's per-call option setters.
    body.push(json!({ "name": "tenant_key", "type": "string", "description": "租户" }));
    let query = schema["query"]["fields"].as_array_mut().unwrap();
    query.push(json!({ "name": "request_id", "type": "string", "description": "请求" }));
    schema
}

#[test]
fn edge_cases_generate() {
    let files = run("schema/im/v1/chat/create.json", &edge_cases().to_string()).expect("accepted");
    let create = &files
        .iter()
        .find(|(p, _)| p.ends_with("create.rs"))
        .unwrap()
        .1;
    assert!(create.contains("pub struct Level31 {"));
    assert!(create.contains("            Self::V4999 => \"v4999\",\n"));
    // Node checks its children because a Leaf has a limit.
    assert!(
        create.contains(
            "impl crate::validate::Validate for Node {\n    fn validate(&self, at: &str,"
        )
    );
    assert!(create.contains("for (i1, item1) in item0.iter().enumerate() {"));
    assert!(create.contains(&format!("    /// \"{}\n", "#".repeat(300))));
    // The option setters keep their names; the fields' setters are renamed.
    assert!(
        create
            .contains("    pub fn body_tenant_key(mut self, value: impl Into<String>) -> Self {\n")
    );
    assert!(
        create.contains(
            "    pub fn query_request_id(mut self, value: impl Into<String>) -> Self {\n"
        )
    );
}

/// Schemas the checker accepts, from a fixed seed so failures reproduce.
fn accepted_sample(count: usize) -> Vec<Value> {
    let mut runner = TestRunner::deterministic();
    let strategy = schema();
    let mut sample = Vec::new();
    while sample.len() < count {
        let value = strategy.new_tree(&mut runner).unwrap().current();
        if run(FILE, &value.to_string()).is_some() {
            sample.push(value);
        }
    }
    sample
}

/// Generates the sample into a scratch crate and runs clippy on it, every
/// feature on: accepted schemas must become Rust that compiles cleanly.
#[test]
fn a_sample_of_accepted_schemas_compiles_clean() {
    let mut schemas = accepted_sample(6);
    schemas.push(edge_cases());
    let paths: Vec<String> = (0..schemas.len())
        .map(|i| format!("schema/im/v0/fuzz{i}/create.json"))
        .collect();
    let files: Vec<(&str, Value)> = paths.iter().map(String::as_str).zip(schemas).collect();
    let scratch = Scratch::new("fuzz", "", "fn main() {}");
    scratch.generate(&files);
    let clippy = [
        "clippy",
        "--lib",
        "-p",
        scratch.api(),
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    let output = scratch.cargo(&clippy, &[]);
    assert!(
        output.status.success(),
        "generated code for accepted schemas does not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Guards the strategy itself: a fuzzer whose inputs the checker always
/// refuses would exercise nothing behind it.
#[test]
fn most_generated_schemas_reach_the_emitter() {
    let mut runner = TestRunner::deterministic();
    let strategy = schema();
    let accepted = (0..400)
        .filter(|_| {
            run(
                FILE,
                &strategy
                    .new_tree(&mut runner)
                    .unwrap()
                    .current()
                    .to_string(),
            )
            .is_some()
        })
        .count();
    assert!(
        accepted >= 80,
        "only {accepted} of 400 generated schemas were accepted"
    );
}
