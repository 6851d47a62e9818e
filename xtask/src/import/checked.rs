//! Codegen has the last word on a draft's values: the draft, with the
//! version's shared types, goes through the checker `cargo xtask codegen`
//! runs (`feishu_codegen::check_sources`), and each value it finds does not
//! fit (a field's example or default, a value in the page's examples), and
//! the later of two fields one level describes twice, is left out, with an
//! open decision naming it. [`super::fit`] leaves out
//! what it knows first, in words of its own; this catches what it does not
//! foresee, so the draft stays one codegen accepts.

use std::collections::BTreeMap;

use feishu_codegen::spec::{TYPES_FILE, TypeSpec, TypesSpec};
use serde_json::Value;

use super::draft_file::draft_text;

/// What the checked draft is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Endpoint,
    Event,
}

/// The messages of the checker's value problems: a value that does not
/// fit its type, a value its enum does not list, a key no field describes.
const MISFITS: [&str; 4] = [
    "does not fit the field's type",
    "is not a documented value of",
    "is neither a documented value nor an alias of",
    "which no field describes",
];

/// How many rounds: leaving a value out never makes another misfit, but a
/// problem the checker reports only once the first is gone might.
const ROUNDS: usize = 4;

/// `text` (a draft as `draft_text` writes it) with every value the checker
/// finds does not fit left out, and one open decision per value.
pub(super) fn leave_out_misfits(
    text: &str,
    kind: Kind,
    shared: &BTreeMap<String, TypeSpec>,
) -> (String, Vec<String>) {
    // The draft's own place does not matter to its values: a fixed one,
    // whose names cannot meet the draft's.
    let file = match kind {
        Kind::Endpoint => "schema/draft/v1/draft/draft.json",
        Kind::Event => "schema/draft/v1/draft/events/draft.json",
    };
    let types_file = format!("schema/draft/v1/{TYPES_FILE}");
    let types_text = (!shared.is_empty()).then(|| {
        draft_text(&TypesSpec {
            meta_schema: None,
            description: None,
            types: shared.clone(),
        })
    });
    let Ok(mut value) = serde_json::from_str::<Value>(text) else {
        return (text.to_owned(), Vec::new());
    };
    let mut open = Vec::new();
    let mut text = text.to_owned();
    for _ in 0..ROUNDS {
        let mut sources = vec![(file, text.as_str())];
        if let Some(types) = &types_text {
            sources.push((types_file.as_str(), types.as_str()));
        }
        let Err(problems) = feishu_codegen::check_sources(&sources) else {
            break;
        };
        let mut left_out = false;
        let mut round = Vec::new();
        // Backwards, so taking an item out of a list leaves the paths of
        // the problems still to come valid.
        for p in problems.0.iter().rev().filter(|p| p.file == file) {
            if let Some(field) = twice_described(&p.path, &p.message) {
                if let Some(removed) = remove(&mut value, field) {
                    let ty = removed.get("type").and_then(Value::as_str).unwrap_or("?");
                    round.push(format!(
                        "{}: {}: the later one (type `{ty}`) left out; nest it where the page means it, or merge the two",
                        field, p.message
                    ));
                    left_out = true;
                }
                continue;
            }
            if !is_value_path(&p.path) || !MISFITS.iter().any(|m| p.message.contains(m)) {
                continue;
            }
            // The line is all that keeps the value: whole, on one line.
            if let Some(removed) = remove(&mut value, &p.path) {
                round.push(format!(
                    "{}: {}: left out: {removed}; {}",
                    p.path, p.message, p.fix
                ));
                left_out = true;
            }
        }
        open.extend(round.into_iter().rev());
        if !left_out {
            break;
        }
        text = draft_text(&value);
    }
    (text, open)
}

/// The path of a field the checker found described twice at one level
/// (a flat table whose nesting the reader could not tell), if that is the
/// problem: the later of the two, which is left out.
fn twice_described<'a>(path: &'a str, message: &str) -> Option<&'a str> {
    if !message.contains("is described twice") {
        return None;
    }
    path.strip_suffix(".name")
}

/// Whether `path` names a written value: a field's example or default, or
/// a value inside one, or inside the page's examples.
fn is_value_path(path: &str) -> bool {
    ["examples.", "example."]
        .iter()
        .any(|p| path.starts_with(p))
        || path.ends_with(".example")
        || path.ends_with(".default")
        || path.contains(".example.")
        || path.contains(".example[")
}

/// One step of a JSON path: a key or an index.
#[derive(Debug, PartialEq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `a.b[0].c` as its steps; `None` when it does not read as a path.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if key.is_empty() {
            return None;
        }
        steps.push(Step::Key(key));
        while !rest.is_empty() {
            let (index, after) = rest.split_once(']')?;
            steps.push(Step::Index(index.parse().ok()?));
            rest = match after {
                "" => "",
                more => more.strip_prefix('[')?,
            };
        }
    }
    Some(steps)
}

/// Removes the value at `path` from `value`, returning it.
fn remove(value: &mut Value, path: &str) -> Option<Value> {
    let steps = steps(path)?;
    let (last, inner) = steps.split_last()?;
    let mut at = value;
    for step in inner {
        at = match step {
            Step::Key(key) => at.get_mut(*key)?,
            Step::Index(i) => at.get_mut(*i)?,
        };
    }
    match last {
        Step::Key(key) => at.as_object_mut()?.shift_remove(*key),
        Step::Index(i) => {
            let items = at.as_array_mut()?;
            (*i < items.len()).then(|| items.remove(*i))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_path_reads_as_keys_and_indexes() {
        assert_eq!(
            steps("examples.response.data.items[0][2].name"),
            Some(vec![
                Step::Key("examples"),
                Step::Key("response"),
                Step::Key("data"),
                Step::Key("items"),
                Step::Index(0),
                Step::Index(2),
                Step::Key("name"),
            ])
        );
        assert_eq!(steps("a..b"), None);
        assert_eq!(steps("a[x]"), None);
        assert_eq!(steps("a[0"), None);
    }

    #[test]
    fn removing_takes_out_one_key_or_item() {
        let mut value = json!({"a": {"b": [1, 2, {"c": 3, "d": 4}]}});
        assert_eq!(remove(&mut value, "a.b[2].c"), Some(json!(3)));
        assert_eq!(remove(&mut value, "a.b[0]"), Some(json!(1)));
        assert_eq!(remove(&mut value, "a.b[9]"), None);
        assert_eq!(remove(&mut value, "a.x.y"), None);
        assert_eq!(value, json!({"a": {"b": [2, {"d": 4}]}}));
    }

    /// A flat table read without its nesting lists a level's field twice:
    /// the later one is left out, and what refers to it stays valid.
    #[test]
    fn a_field_described_twice_keeps_the_first() {
        let draft = json!({
            "source": {"title": "t", "url": "https://x/y", "last_remote_update": "2025-01-01"},
            "summary": "s",
            "method": "GET",
            "path": "/open-apis/x/v1/ys",
            "access_tokens": ["tenant"],
            "response": {"fields": [
                {"name": "id", "type": "string", "description": "the item's"},
                {"name": "owner", "type": "string", "description": "o"},
                {"name": "id", "type": "integer", "description": "the owner's"},
                {"name": "owner", "type": "boolean", "description": "again"}
            ]},
            "errors": []
        });
        let (checked, open) =
            leave_out_misfits(&draft_text(&draft), Kind::Endpoint, &BTreeMap::new());
        assert_eq!(
            open,
            [
                "response.fields[2]: field `id` is described twice: the later one (type `integer`) left out; nest it where the page means it, or merge the two",
                "response.fields[3]: field `owner` is described twice: the later one (type `boolean`) left out; nest it where the page means it, or merge the two",
            ]
        );
        let checked: Value = serde_json::from_str(&checked).unwrap();
        assert_eq!(
            checked["response"]["fields"],
            json!([
                {"name": "id", "type": "string", "description": "the item's"},
                {"name": "owner", "type": "string", "description": "o"}
            ])
        );
    }

    /// Values the checker refuses, a field's example and an entry of the
    /// response example: each left out with the checker's words.
    #[test]
    fn what_the_checker_refuses_is_left_out_with_its_words() {
        let draft = json!({
            "source": {"title": "t", "url": "https://x/y", "last_remote_update": "2025-01-01"},
            "summary": "s",
            "method": "GET",
            "path": "/open-apis/x/v1/ys",
            "access_tokens": ["tenant"],
            "response": {"fields": [
                {"name": "count", "type": "integer", "description": "c", "example": "many"},
                {"name": "names", "type": "map<string, string>", "description": "n"}
            ]},
            "errors": [],
            "examples": {"response": {"code": 0, "data": {"count": 1, "names": {"zh": 1, "en": "x"}}}}
        });
        let text = draft_text(&draft);
        let (checked, open) = leave_out_misfits(&text, Kind::Endpoint, &BTreeMap::new());
        assert_eq!(
            open,
            [
                "response.fields[0].example: \"many\" does not fit the field's type: left out: \"many\"; write a value of type integer",
                "examples.response.data.names.zh: 1 does not fit the field's type: left out: 1; write a value of type string",
            ]
        );
        let checked: Value = serde_json::from_str(&checked).unwrap();
        assert_eq!(checked["response"]["fields"][0].get("example"), None);
        assert_eq!(
            checked["examples"]["response"]["data"],
            json!({"count": 1, "names": {"en": "x"}})
        );
        // A draft the checker accepts comes back as it was.
        let clean = leave_out_misfits(&draft_text(&checked), Kind::Endpoint, &BTreeMap::new());
        assert_eq!(clean, (draft_text(&checked), Vec::new()));
    }
}
