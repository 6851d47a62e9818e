//! Event pages, in either form: the 事件 table (event type, app
//! types, scopes), the 事件体 field table (`schema`, `header` and `event`,
//! nested by level) and the example delivery. A 1.0 event page has no field
//! table; its fields are read from its commented example.

use std::collections::BTreeMap;

use feishu_codegen::spec::{EnvelopeVersion, FieldScope, Scope};
use serde_json::Value;

use super::endpoint::{alerts, app_types, basic, code_block, fields, first_table, perms, table_in};
use super::front::Front;
use super::rows::joined;
use super::sections::{Line, Sections, notes, summary};
use super::{ApiName, ErrorKind, EventPage, Field, FieldType, Limits, PageError};
use super::{example, untyped};

/// Parses an event page in either form. `file` names it in errors.
pub(super) fn parse_event(file: &str, text: &str) -> Result<EventPage, PageError> {
    let err = |line: usize, message: String| PageError::broken(file, line, message);
    let page = Front::read(file, text)?;
    let form = page.form;
    let rest = &page.body()[..];
    let sections = Sections::split(rest);
    let Some(event) = sections.get("事件") else {
        return Err(PageError {
            kind: ErrorKind::NoEndpoint,
            ..err(
                1,
                "describes no event: the page has no `事件` section".into(),
            )
        });
    };
    let Some(rows) = table_in(file, form, event)? else {
        return Err(PageError {
            kind: ErrorKind::NoEndpoint,
            ..err(
                event[0].0,
                "describes no event: an overview (its `事件` section lists events, with no table)"
                    .into(),
            )
        });
    };
    let (type_line, event_type) = basic(&rows, "事件类型")
        .map(|(line, cell)| (line, joined(cell, "")))
        .ok_or_else(|| err(event[0].0, "the 事件 table has no `事件类型` row".into()))?;
    if event_type.is_empty() {
        return Err(err(type_line, "the 事件类型 row is empty".into()));
    }
    let example_section = ["事件体示例", "回调示例"]
        .into_iter()
        .find_map(|name| Some((name, sections.get(name)?)));
    let (read, comments) = match example_section {
        Some((name, lines)) => commented_example(file, name, lines)?,
        None => (example::Read::default(), BTreeMap::new()),
    };
    let example = read.value;
    let example_section = example_section.map(|(_, lines)| lines);
    let (envelope, mut fields) = match sections.get("事件体") {
        Some(lines) => {
            let top = fields(file, &first_table(file, form, lines)?, example.as_ref())?;
            let fields = top
                .into_iter()
                .find(|f| f.name == "event")
                .map_or_else(Vec::new, |event| event.fields);
            // Some 1.0 events have the table too: their example, a
            // delivery with no `header` that is an `event_callback` or
            // names the type in `event.type`, says which envelope they
            // come in.
            let one_oh = example.as_ref().is_some_and(|e| {
                let text = |pointer: &str| e.pointer(pointer).and_then(Value::as_str);
                e.get("header").is_none()
                    && (text("/type") == Some("event_callback")
                        || text("/event/type") == Some(&event_type))
            });
            let envelope = if one_oh {
                EnvelopeVersion::V1
            } else {
                EnvelopeVersion::V2
            };
            (envelope, fields)
        }
        // The older pages show only a commented example.
        None => {
            let line = example_section.map_or(1, |l| l[0].0);
            let event = example.as_ref().and_then(|e| e.get("event"));
            let Some(Value::Object(event)) = event else {
                return Err(err(
                    line,
                    "the page has neither a 事件体 table nor an example with an `event` object"
                        .into(),
                ));
            };
            (
                EnvelopeVersion::V1,
                from_example(event, "event", &comments, line),
            )
        }
    };
    untyped::settle(&mut fields, example.as_ref().and_then(|e| e.get("event")));
    let mut page_notes = notes(&sections);
    page_notes.extend(alerts(rest));
    page_notes.extend(read.note);
    Ok(EventPage {
        title: page.title.clone(),
        source_url: page.source_url.clone(),
        last_remote_update: page.last_remote_update.clone(),
        updated_at: page.updated_at,
        api: ApiName::find(text),
        summary: summary(rest),
        notes: page_notes,
        event_type,
        envelope,
        app_types: basic(&rows, "支持的应用类型")
            .map_or_else(Vec::new, |(_, c)| app_types(&c.text)),
        scopes: basic(&rows, "权限要求").map_or_else(Vec::new, |(_, c)| {
            perms(&c.text)
                .into_iter()
                .map(|(name, description)| Scope { name, description })
                .collect()
        }),
        field_scopes: basic(&rows, "字段权限要求").map_or_else(Vec::new, |(_, c)| {
            perms(&c.text)
                .into_iter()
                .map(|(name, description)| FieldScope {
                    name,
                    description,
                    when: None,
                })
                .collect()
        }),
        fields,
        example,
        doubts: read.misfit.into_iter().collect(),
    })
}

/// The example of the section `name`'s code block, read as the page means
/// it, with each `//` comment (the 1.0 pages explain their example that
/// way) by the dotted path of the key on its line (`event.operator.open_id`).
fn commented_example(
    file: &str,
    name: &str,
    section: &[Line],
) -> Result<(example::Read, BTreeMap<String, String>), PageError> {
    let Some((open_line, body)) = code_block(file, section)? else {
        return Ok((example::Read::default(), BTreeMap::new()));
    };
    let mut text = String::new();
    let mut comments = BTreeMap::new();
    let mut path: Vec<String> = Vec::new();
    for (_, line) in &body {
        text.push_str(line);
        text.push('\n');
        let (_, comment, key) = scan(line, &mut path);
        if let (Some(comment), Some(key)) = (comment, key) {
            comments.insert(key, comment.to_owned());
        }
    }
    Ok((example::read_section(name, open_line, &text), comments))
}

/// One line of commented JSON: its code, its comment, and the dotted path
/// of the last key on it. `path` holds the keys of the open objects and
/// arrays (an array's key ends `[]`), carried from line to line.
fn scan<'l>(line: &'l str, path: &mut Vec<String>) -> (&'l str, Option<&'l str>, Option<String>) {
    let bytes = line.as_bytes();
    let (mut i, mut key, mut pending) = (0, None, None::<String>);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let word = &line[start..i.min(line.len())];
                let after = line[(i + 1).min(line.len())..].trim_start();
                if after.starts_with(':') {
                    let mut full: Vec<&str> = path
                        .iter()
                        .map(String::as_str)
                        .filter(|k| !k.is_empty())
                        .collect();
                    full.push(word);
                    key = Some(full.join("."));
                    pending = Some(word.to_owned());
                }
            }
            // An object or array in an array adds nothing to the path.
            b'{' => path.push(pending.take().unwrap_or_default()),
            b'[' => path.push(pending.take().map(|k| format!("{k}[]")).unwrap_or_default()),
            b'}' | b']' => {
                path.pop();
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let comment = line[i + 2..].trim();
                return (&line[..i], (!comment.is_empty()).then_some(comment), key);
            }
            b',' => pending = None,
            _ => {}
        }
        i += 1;
    }
    (line, None, key)
}

/// Fields read from an example object: each value's JSON type, its comment
/// as the description, nested objects and arrays of objects below.
fn from_example(
    object: &serde_json::Map<String, Value>,
    at: &str,
    comments: &BTreeMap<String, String>,
    line: usize,
) -> Vec<Field> {
    object
        .iter()
        .map(|(name, value)| {
            let path = format!("{at}.{name}");
            let (ty, fields) = example_type(value, &path, comments, line);
            Field {
                line,
                name: name.clone(),
                ty,
                required: false,
                description: comments.get(&path).cloned().unwrap_or_default(),
                default: None,
                example: (!value.is_object() && !value.is_array()).then(|| value.clone()),
                limits: Limits::default(),
                values: Vec::new(),
                fields,
                misfits: Vec::new(),
            }
        })
        .collect()
}

fn example_type(
    value: &Value,
    path: &str,
    comments: &BTreeMap<String, String>,
    line: usize,
) -> (FieldType, Vec<Field>) {
    match value {
        Value::Bool(_) => (FieldType::Boolean, Vec::new()),
        Value::Number(n) if n.is_i64() || n.is_u64() => (FieldType::Integer, Vec::new()),
        Value::Number(_) => (FieldType::Number, Vec::new()),
        Value::Object(inner) => (
            FieldType::Object("-".into()),
            from_example(inner, path, comments, line),
        ),
        Value::Array(items) => {
            let item = items.first().unwrap_or(&Value::Null);
            let (ty, fields) = example_type(item, &format!("{path}[]"), comments, line);
            (FieldType::Array(Box::new(ty)), fields)
        }
        Value::String(_) | Value::Null => (FieldType::String, Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_to_the_key_on_their_line() {
        let mut path = Vec::new();
        let lines = [
            r#"{ "uuid": "u", // the id"#,
            r#"  "event": { // what happened"#,
            r#"    "users": [ // who joined"#,
            r#"      { "name": "n", // their name"#,
            r#"        "open_id": "ou_1" } ],"#,
            r#"    "type": "p2p_chat_create" // the type"#,
            r#"  }"#,
            r#"}"#,
        ];
        let scanned: Vec<_> = lines
            .iter()
            .map(|l| {
                let (_, comment, key) = scan(l, &mut path);
                (key, comment.map(str::to_owned))
            })
            .collect();
        assert_eq!(scanned[0], (Some("uuid".into()), Some("the id".into())));
        assert_eq!(
            scanned[1],
            (Some("event".into()), Some("what happened".into()))
        );
        assert_eq!(
            scanned[2],
            (Some("event.users".into()), Some("who joined".into()))
        );
        assert_eq!(
            scanned[3],
            (Some("event.users[].name".into()), Some("their name".into()))
        );
        assert_eq!(scanned[4], (Some("event.users[].open_id".into()), None));
        assert_eq!(
            scanned[5],
            (Some("event.type".into()), Some("the type".into()))
        );
        assert!(path.is_empty());
    }
}
