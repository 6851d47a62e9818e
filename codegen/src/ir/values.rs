//! Values a schema writes down (defaults, rule operands, examples),
//! checked against the types they belong to.

use serde_json::{Map, Value};

use super::scope::Scope;
use super::types::Example;
use super::{Enum, Envelope, Field, NamedType, Object, Scalar, Sink, Type, Variant};
use crate::spec;

/// The enum `ty` names, if it names one.
pub(super) fn enum_of<'s>(scope: &'s Scope, ty: &Type) -> Option<&'s Enum> {
    match ty {
        Type::Enum(name) | Type::IntEnum(name) => match scope.named(name)? {
            NamedType::Enum(e) => Some(e),
            NamedType::Object(_) => None,
        },
        _ => None,
    }
}

fn object_of<'s>(scope: &'s Scope, name: &str) -> Option<&'s Object> {
    match scope.named(name)? {
        NamedType::Object(o) => Some(o),
        NamedType::Enum(_) => None,
    }
}

/// The documented values, for a "use one of" fix.
pub(super) fn list_wires(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| v.wire.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Types a scalar from the schema against a field's type.
pub(super) fn scalar(
    sink: &mut Sink,
    scope: &Scope,
    path: &str,
    value: &Value,
    ty: &Type,
) -> Option<Scalar> {
    let typed = match (ty, value) {
        (Type::Boolean, Value::Bool(b)) => Some(Scalar::Bool(*b)),
        (Type::String, Value::String(s)) => Some(Scalar::Str(s.clone())),
        (Type::Integer, Value::Number(n)) => n.as_i64().map(Scalar::Int),
        (Type::Number, Value::Number(n)) => n.as_f64().map(Scalar::Number),
        (Type::Enum(_), Value::String(_)) | (Type::IntEnum(_), Value::Number(_)) => {
            // An enum that failed to resolve is reported where it is declared.
            let e = enum_of(scope, ty)?;
            let wire = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !e.variants.iter().any(|v| v.wire == wire) {
                sink.problem(
                    path,
                    format!("`{wire}` is not a documented value of this field's enum"),
                    format!("use one of: {}", list_wires(&e.variants)),
                );
                return None;
            }
            match value {
                Value::String(_) => Some(Scalar::Str(wire)),
                _ => value.as_i64().map(Scalar::Int),
            }
        }
        _ => None,
    };
    if typed.is_none() {
        sink.problem(
            path,
            format!("{value} does not fit the field's type"),
            format!("write a value of type {}", ty.describe()),
        );
    }
    typed
}

/// Checks fields' examples, once every type they may name is resolved.
/// `lenient` when the file has problems already: a field or enum value
/// that failed to resolve is missing from the model and is reported where
/// it is declared, not again by each example that uses it.
pub(super) fn check_examples(sink: &mut Sink, scope: &Scope, examples: &[Example], lenient: bool) {
    for example in examples {
        check_value(
            sink,
            scope,
            lenient,
            &example.path,
            &example.value,
            &example.ty,
        );
    }
}

/// Checks the page's request and response examples against the body and
/// the response data.
pub(super) fn check_page_examples(
    sink: &mut Sink,
    scope: &Scope,
    examples: &spec::Examples,
    body: Option<&Object>,
    response: &Object,
    lenient: bool,
) {
    if let Some(Value::Object(map)) = &examples.request_body {
        match body {
            Some(body) => check_object_value(
                sink,
                scope,
                lenient,
                "examples.request_body",
                map,
                &body.fields,
            ),
            None => sink.problem(
                "examples.request_body",
                "there is a request body example but no `body`",
                "describe the body, or remove the example",
            ),
        }
    }
    if let Some(example) = &examples.response {
        match example.get("data") {
            Some(Value::Object(data)) => {
                check_object_value(
                    sink,
                    scope,
                    lenient,
                    "examples.response.data",
                    data,
                    &response.fields,
                );
            }
            _ => sink.problem(
                "examples.response",
                "the response example has no `data` object",
                "copy the page's whole 响应体示例, with `code`, `msg` and `data`",
            ),
        }
    }
}

/// Checks a page's example delivery of an event: its envelope names the
/// event type, and its `event` object fits the event's fields.
pub(super) fn check_event_example(
    sink: &mut Sink,
    scope: &Scope,
    example: &Value,
    envelope: Envelope,
    event_type: &str,
    body: &Object,
    lenient: bool,
) {
    let named = match envelope {
        Envelope::V2 => example.pointer("/header/event_type"),
        Envelope::V1 => example.pointer("/event/type"),
    };
    if named.and_then(Value::as_str) != Some(event_type) {
        let (path, fix) = match envelope {
            Envelope::V2 => (
                "example.header.event_type",
                "a 2.0 envelope names it in `header.event_type`",
            ),
            Envelope::V1 => (
                "example.event.type",
                "a 1.0 envelope names it in `event.type`",
            ),
        };
        sink.problem(
            path,
            format!("the example is not a delivery of `{event_type}`"),
            format!("copy the page's 事件体示例 whole; {fix}"),
        );
    }
    match example.get("event") {
        Some(Value::Object(event)) => {
            check_object_value(sink, scope, lenient, "example.event", event, &body.fields);
        }
        _ => sink.problem(
            "example",
            "the example has no `event` object",
            "copy the page's 事件体示例 whole, envelope included",
        ),
    }
}

/// Checks an example (which may be an array or object) against a type.
fn check_value(
    sink: &mut Sink,
    scope: &Scope,
    lenient: bool,
    path: &str,
    value: &Value,
    ty: &Type,
) {
    match (ty, value) {
        // Any JSON value fits; the page says no more.
        (Type::Json, _) => {}
        // A file's bytes are no JSON value (the pages write 二进制文件).
        (Type::File, _) => sink.problem(
            path,
            "a file has no example value",
            "remove the example: a file's bytes are not JSON",
        ),
        (Type::Array(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_value(sink, scope, lenient, &format!("{path}[{i}]"), item, inner);
            }
        }
        (Type::Map(inner), Value::Object(entries)) => {
            for (key, entry) in entries {
                check_value(sink, scope, lenient, &format!("{path}.{key}"), entry, inner);
            }
        }
        (Type::Object(name), Value::Object(map)) => {
            if let Some(o) = object_of(scope, name) {
                check_object_value(sink, scope, lenient, path, map, &o.fields);
            }
        }
        (Type::IntEnum(_), Value::Number(n)) => {
            let Some(e) = enum_of(scope, ty) else { return };
            let wire = n.to_string();
            if !e.variants.iter().any(|v| v.wire == wire) && !lenient {
                sink.problem(
                    path,
                    format!("{wire} is not a documented value of {}", ty.describe()),
                    format!("fix the example: use one of {}", list_wires(&e.variants)),
                );
            }
        }
        (Type::Enum(_), Value::String(s)) => {
            let Some(e) = enum_of(scope, ty) else { return };
            let documented =
                e.variants.iter().any(|v| v.wire == *s) || e.aliases.iter().any(|a| a.wire == *s);
            if !documented && !lenient {
                sink.problem(
                    path,
                    format!("`{s}` is neither a documented value nor an alias of {}", ty.describe()),
                    "fix the example, or add an alias to the enum that says what the spelling means",
                );
            }
        }
        _ => {
            scalar(sink, scope, path, value, ty);
        }
    }
}

fn check_object_value(
    sink: &mut Sink,
    scope: &Scope,
    lenient: bool,
    path: &str,
    map: &Map<String, Value>,
    fields: &[Field],
) {
    for (key, value) in map {
        match fields.iter().find(|f| f.wire_name == *key) {
            Some(f) => check_value(sink, scope, lenient, &format!("{path}.{key}"), value, &f.ty),
            None if lenient => {}
            None => sink.problem(
                format!("{path}.{key}"),
                format!("the example has `{key}`, which no field describes"),
                "describe the field, or fix the example",
            ),
        }
    }
}
