//! Drift of an event page: the page is imported again with the reviewed
//! schema as its decisions (names), and what the draft writes differently
//! from the schema is the drift, by JSON path. A re-import of an unchanged
//! page writes the schema back exactly (the import tests prove it), so
//! every line is a change of the page. Decisions keep the schema's
//! wording, so the fields' descriptions are compared with an import
//! without decisions, field by field through the types they name. The
//! page's own words on a shared type's fields are in the draft's
//! `own_words`, compared by their path like the rest
//! (`own_words.event.users[].name.description`).

use std::collections::BTreeMap;

use feishu_codegen::spec::{EventSpec, FieldSpec, TypeSpec};
use serde_json::Value;

use super::{Class, Line, Report};
use crate::page::EventPage;

/// Every difference between `page` and `schema` (whose version shares
/// `shared`), as report lines.
pub fn compare_event(
    page: &EventPage,
    schema: &EventSpec,
    shared: &BTreeMap<String, TypeSpec>,
) -> Vec<Line> {
    let draft = crate::import::import_event(page, Some(schema), shared).spec;
    let ours = serde_json::to_value(schema).expect("a spec serializes");
    let theirs = serde_json::to_value(&draft).expect("a spec serializes");
    let mut out = Report::default();
    diff("", &ours, &theirs, &mut out);
    let page_words = crate::import::import_event(page, None, shared).spec;
    descriptions(
        "event.fields",
        &schema.event.fields,
        &schema.types,
        &page_words.event.fields,
        &page_words.types,
        &mut out,
    );
    out.0
}

/// Compares the descriptions of `ours` (the schema's fields, its types)
/// with the page's own, following each field into the object type it
/// names on both sides, whatever the two call it.
fn descriptions(
    path: &str,
    ours: &[FieldSpec],
    our_types: &BTreeMap<String, TypeSpec>,
    theirs: &[FieldSpec],
    their_types: &BTreeMap<String, TypeSpec>,
    out: &mut Report,
) {
    for field in ours {
        let Some(page) = theirs.iter().find(|f| f.name == field.name) else {
            continue;
        };
        let at = format!("{path}.{}", field.name);
        out.wording(&at, "description", &field.description, &page.description);
        let object = |types: &BTreeMap<String, TypeSpec>, ty: &str| match types
            .get(ty.trim_end_matches("[]"))
        {
            Some(TypeSpec::Object(o)) => Some(o.fields.clone()),
            _ => None,
        };
        if let (Some(a), Some(b)) = (object(our_types, &field.ty), object(their_types, &page.ty)) {
            descriptions(&format!("{at}.fields"), &a, our_types, &b, their_types, out);
        }
    }
}

/// What a path holds, for its report line's class.
fn class(path: &str) -> Class {
    let leaf = path.rsplit(['.', '[']).next().unwrap_or(path);
    if path.starts_with("source") {
        Class::Source
    } else if path.starts_with("example") || leaf == "example" {
        Class::Example
    } else if path.starts_with("notes")
        || path.starts_with("own_words")
        || matches!(leaf, "description" | "summary" | "title")
    {
        Class::Wording
    } else {
        Class::Shape
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn diff(path: &str, ours: &Value, theirs: &Value, out: &mut Report) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = join(path, key);
                match b.get(key) {
                    Some(other) => diff(&at, value, other, out),
                    None => out.push(class(&at), format!("{at}: removed ({})", value)),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                let at = join(path, key);
                out.push(class(&at), format!("{at}: added ({value})"));
            }
        }
        (Value::Array(a), Value::Array(b)) => match keyed(a).zip(keyed(b)) {
            // Fields, scopes and enum values by name, so one added in the
            // middle is one line.
            Some((a, b)) => diff_keyed(path, &a, &b, out),
            None if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    diff(&format!("{path}[{i}]"), x, y, out);
                }
            }
            None => out.push(class(path), format!("{path}: {ours} -> {theirs}")),
        },
        _ if ours != theirs => out.push(class(path), format!("{path}: {ours} -> {theirs}")),
        _ => {}
    }
}

/// The items of an array of objects that each carry a `name` (fields,
/// scopes), a `value` (enum values) or a `path` (own words), by that key.
fn keyed(items: &[Value]) -> Option<Vec<(String, &Value)>> {
    items
        .iter()
        .map(|item| {
            let key = item
                .get("name")
                .or_else(|| item.get("value"))
                .or_else(|| item.get("path"))?;
            Some((
                key.as_str().map_or_else(|| key.to_string(), str::to_owned),
                item,
            ))
        })
        .collect()
}

fn diff_keyed(
    path: &str,
    ours: &[(String, &Value)],
    theirs: &[(String, &Value)],
    out: &mut Report,
) {
    // Own words come and go with the page's words; any other item is a
    // field, scope or value.
    let class = if path == "own_words" {
        Class::Wording
    } else {
        Class::Shape
    };
    for (key, value) in ours {
        let at = format!("{path}.{key}");
        match theirs.iter().find(|(k, _)| k == key) {
            Some((_, other)) => diff(&at, value, other, out),
            None => out.push(class, format!("{at}: removed")),
        }
    }
    for (key, value) in theirs
        .iter()
        .filter(|(k, _)| !ours.iter().any(|(o, _)| o == k))
    {
        let at = format!("{path}.{key}");
        out.push(class, format!("{at}: added ({value})"));
    }
}
