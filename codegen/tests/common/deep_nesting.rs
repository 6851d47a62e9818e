//! The `deep_nesting` fixture, built in code since it is mostly repetition:
//! named types `Level01` .. `LevelNN`, each holding the next level three
//! times in optional fields, the last holding three strings, and a body
//! with one field of type `Level01`. Used by tests/nesting.rs and
//! benches/check.rs.

use serde_json::{Value, json};

/// Where the fixture's endpoint file sits.
pub const FILE: &str = "schema/fixture/v1/deep/create.json";

/// The name of level `n` (1-based): `Level01`.
pub fn level(n: usize) -> String {
    format!("Level{n:02}")
}

/// The endpoint file's text, with `levels` nested object types.
pub fn deep_nesting(levels: usize) -> String {
    let mut types = serde_json::Map::new();
    for n in 1..=levels {
        let ty = if n == levels {
            "string".to_owned()
        } else {
            level(n + 1)
        };
        let fields: Vec<Value> = ["a", "b", "c"]
            .iter()
            .map(|name| json!({ "name": name, "type": ty, "description": format!("第 {n} 层的 {name}") }))
            .collect();
        types.insert(level(n), json!({ "kind": "object", "fields": fields }));
    }
    let spec = json!({
        "source": {
            "title": "深层嵌套",
            "url": "https://open.feishu.cn/document/fixture/deep/create",
            "last_remote_update": "2025-01-11"
        },
        "summary": format!("请求体内联嵌套 {levels} 层对象。"),
        "method": "POST",
        "path": "/open-apis/fixture/v1/deep",
        "access_tokens": ["tenant"],
        "body": {
            "fields": [{ "name": "root", "type": level(1), "description": "第 1 层" }]
        },
        "response": { "fields": [] },
        "types": types
    });
    serde_json::to_string_pretty(&spec).expect("JSON values serialize")
}
