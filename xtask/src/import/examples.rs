//! The page's examples against the draft's enums: a value an enum does not
//! list is read as another spelling of the value it normalizes to (`all
//! members` -> `all_members`), an alias the draft adds; any other is left
//! to a human (see `fit`), since codegen refuses it.

use feishu_codegen::spec::{AliasSpec, EndpointSpec, FieldSpec, TypeSpec};
use serde_json::Value;

/// Adds the aliases the examples need; a value no listed value explains
/// is left to [`super::fit`], which reports it.
pub(super) fn reconcile(spec: &mut EndpointSpec) {
    let Some(examples) = &spec.examples else {
        return;
    };
    let data = examples.response.as_ref().and_then(|r| r.get("data"));
    let walks = [
        ("body", spec.body.as_ref(), examples.request_body.as_ref()),
        ("response", Some(&spec.response), data),
    ];
    let mut seen = Vec::new();
    for (at, object, example) in walks {
        if let (Some(object), Some(example)) = (object, example) {
            walk(spec, at, &object.fields, example, &mut seen);
        }
    }
    for (path, ty, wire) in seen {
        let Some(TypeSpec::Enum(e)) = spec.types.get_mut(&ty) else {
            continue;
        };
        if e.values.iter().any(|v| v.value == wire) || e.aliases.iter().any(|a| a.wire == wire) {
            continue;
        }
        if let Some(v) = e
            .values
            .iter()
            .find(|v| normalized(&v.value) == normalized(&wire))
        {
            e.aliases.push(AliasSpec {
                wire: wire.clone(),
                means: v.value.clone(),
                reason: format!("文档示例中 {path} 写作 \"{wire}\""),
            });
        }
    }
}

/// Lowercase, with spaces and hyphens as `_`.
fn normalized(value: &str) -> String {
    value.to_lowercase().replace([' ', '-'], "_")
}

/// Collects `(path, enum, value)` for every enum value the example writes.
fn walk(
    spec: &EndpointSpec,
    at: &str,
    fields: &[FieldSpec],
    example: &Value,
    seen: &mut Vec<(String, String, String)>,
) {
    for field in fields {
        if let Some(value) = example.get(&field.name) {
            let ty = field.ty.trim_end_matches("[]");
            walk_value(spec, &format!("{at}.{}", field.name), ty, value, seen);
        }
    }
}

fn walk_value(
    spec: &EndpointSpec,
    path: &str,
    ty: &str,
    value: &Value,
    seen: &mut Vec<(String, String, String)>,
) {
    match (spec.types.get(ty), value) {
        (_, Value::Array(items)) => {
            for item in items {
                walk_value(spec, path, ty, item, seen);
            }
        }
        (Some(TypeSpec::Enum(_)), Value::String(s)) => {
            seen.push((path.to_owned(), ty.to_owned(), s.clone()));
        }
        (Some(TypeSpec::Object(o)), _) => walk(spec, path, &o.fields, value, seen),
        _ => {}
    }
}
