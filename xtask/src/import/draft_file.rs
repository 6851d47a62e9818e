//! The draft as the text of its file.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

/// The draft as its file's text: pretty JSON with a final newline, with no
/// `"required": false` on any field (the format's default, so only noise)
/// and integer enum values written as integers. `spec` is an endpoint or an
/// event schema.
pub fn draft_text(spec: &impl Serialize) -> String {
    let mut value = serde_json::to_value(spec).expect("a spec serializes");
    for fields in field_lists(&mut value) {
        for field in fields.iter_mut().filter_map(Value::as_object_mut) {
            if field.get("required") == Some(&Value::Bool(false)) {
                field.shift_remove("required");
            }
        }
    }
    integer_values_as_numbers(&mut value);
    let mut text = serde_json::to_string_pretty(&value).expect("a value serializes");
    text.push('\n');
    text
}

/// Every list of fields in a serialized spec: path parameters, the query,
/// body and response (an event's `event`), and the named object types.
fn field_lists(spec: &mut Value) -> Vec<&mut Vec<Value>> {
    let mut lists = Vec::new();
    let Some(spec) = spec.as_object_mut() else {
        return lists;
    };
    for (key, value) in spec.iter_mut() {
        match key.as_str() {
            "path_params" => lists.extend(value.as_array_mut()),
            "query" | "body" | "response" | "event" => {
                lists.extend(value.get_mut("fields").and_then(Value::as_array_mut))
            }
            "types" => {
                for ty in value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|t| t.values_mut())
                {
                    if ty["kind"] == "object" {
                        lists.extend(ty.get_mut("fields").and_then(Value::as_array_mut));
                    }
                }
            }
            _ => {}
        }
    }
    lists
}

/// An integer enum's values as the JSON integers they are on the wire (the
/// spec keeps them as decimal text).
fn integer_values_as_numbers(spec: &mut Value) {
    let Some(types) = spec.get_mut("types").and_then(Value::as_object_mut) else {
        return;
    };
    for ty in types.values_mut().filter(|t| t["repr"] == "integer") {
        for value in ty["values"].as_array_mut().into_iter().flatten() {
            let number = value["value"].as_str().and_then(|v| v.parse::<i64>().ok());
            if let Some(number) = number {
                value["value"] = number.into();
            }
        }
    }
}

/// `$schema` for a draft written below a `schema/` folder: the way up to
/// its `endpoint.schema.json`.
pub(super) fn meta_schema_from(out: &Path) -> Option<String> {
    let parent = out.parent()?;
    let depth = parent
        .components()
        .rev()
        .position(|c| c.as_os_str() == "schema")?;
    Some(format!("{}endpoint.schema.json", "../".repeat(depth)))
}
