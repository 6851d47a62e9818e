//! Parsing one schema file, and explaining a file that does not parse:
//! where (the JSON path) and what to do about it.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::error::Category;
use serde_path_to_error::{Path, Segment};

use crate::ir::names::nearest;
use crate::problem::Problem;
use crate::spec::{EndpointSpec, EventSpec, TypesSpec};
use crate::{EVENT_META_SCHEMA_PATH, META_SCHEMA_PATH, TYPES_META_SCHEMA_PATH};

/// A kind of schema file: what a fix calls its format, and the meta-schema
/// that describes it. Tied to the type, so a file is always pointed to the
/// meta-schema of the kind it was parsed as.
pub(crate) trait Format: DeserializeOwned {
    /// The format's name in a fix, e.g. `endpoint`.
    const NAME: &'static str;
    /// Where its meta-schema lives, relative to the workspace root.
    const META_SCHEMA: &'static str;
}

impl Format for EndpointSpec {
    const NAME: &'static str = "endpoint";
    const META_SCHEMA: &'static str = META_SCHEMA_PATH;
}

impl Format for EventSpec {
    const NAME: &'static str = "event";
    const META_SCHEMA: &'static str = EVENT_META_SCHEMA_PATH;
}

impl Format for TypesSpec {
    const NAME: &'static str = "shared-types";
    const META_SCHEMA: &'static str = TYPES_META_SCHEMA_PATH;
}

/// Parses `text` (the file `file`) as `T`, or says where it goes wrong.
pub(crate) fn parse_as<T: Format>(file: &str, text: &str) -> Result<T, Problem> {
    // Tracking the JSON path costs as much again as the parse itself, so
    // it runs only to explain a file that failed.
    if let Ok(spec) = serde_json::from_str(text) {
        return Ok(spec);
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(&mut *de) {
        Err(err) => Err(explain::<T>(file, text, err)),
        // The value itself was fine: what follows it is not.
        Ok(spec) => match de.end() {
            Ok(()) => Ok(spec),
            Err(err) => Err(syntax_problem(file, err)),
        },
    }
}

/// Explains why serde refused a file: a syntax error by its line and
/// column, a value of the wrong shape by its JSON path, with the name it
/// was likely meant to have if it looks misspelled.
fn explain<T: Format>(
    file: &str,
    text: &str,
    err: serde_path_to_error::Error<serde_json::Error>,
) -> Problem {
    let (path, inner) = (err.path().clone(), err.into_inner());
    if matches!(inner.classify(), Category::Syntax | Category::Eof) {
        return syntax_problem(file, inner);
    }
    let message = inner.to_string();
    let (at, fix) = match misspelled::<T>(text, &path, &message) {
        Some((at, meant)) => (at, format!("did you mean `{meant}`?")),
        None => (
            path_text(&path),
            format!(
                "make the value match the {} format ({} describes it; editors check it through \"$schema\")",
                T::NAME,
                T::META_SCHEMA
            ),
        ),
    };
    Problem {
        file: file.to_owned(),
        path: at,
        message,
        fix,
    }
}

/// A syntax error has no JSON path; its line and column say where.
fn syntax_problem(file: &str, inner: serde_json::Error) -> Problem {
    Problem {
        file: file.to_owned(),
        path: String::new(),
        fix: format!(
            "fix the JSON syntax at line {}, column {}",
            inner.line(),
            inner.column()
        ),
        message: inner.to_string(),
    }
}

/// A key or value serde refused that looks like a misspelling: where it is
/// and the name it was likely meant to be. Read from serde's messages:
/// "unknown field `x`, expected ..." (or variant) lists what is valid;
/// "missing field `x`" may mean `x` is there, misspelled (a tag such as
/// `kind` is looked for before unknown keys are).
fn misspelled<T: Format>(text: &str, path: &Path, message: &str) -> Option<(String, String)> {
    let unknown = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"));
    if let Some((word, expected)) = unknown.and_then(|rest| rest.split_once("`, expected ")) {
        // The expected names are the backticked words: `a`, `b` or `c`.
        let valid = expected.split('`').skip(1).step_by(2);
        let meant = nearest(word, valid)?;
        return Some((path_text(path), meant.to_owned()));
    }
    let field = message.strip_prefix("missing field `")?.split('`').next()?;
    let key = misspelled_key::<T>(text, path, field)?;
    let at = match path_text(path) {
        object if object.is_empty() => key,
        object => format!("{object}.{key}"),
    };
    Some((at, field.to_owned()))
}

/// The key of the object at `path` that misspells the missing `field`: the
/// key nearest to it, if serde, given `field` as well, then refuses that
/// key as unknown. A key the format knows is no misspelling however near
/// it is (`when` beside a missing `then`).
fn misspelled_key<T: Format>(text: &str, path: &Path, field: &str) -> Option<String> {
    let mut value: Value = serde_json::from_str(text).ok()?;
    let object = value.pointer_mut(&pointer(path)?)?.as_object_mut()?;
    let key = nearest(field, object.keys().map(String::as_str))?.to_owned();
    object.insert(field.to_owned(), object[&key].clone());
    let err = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let refused = path_text(err.path()) == path_text(path)
        && err
            .inner()
            .to_string()
            .starts_with(&format!("unknown field `{key}`"));
    refused.then_some(key)
}

/// `path` as a JSON pointer (`/types/UserIdType`), if it names no enum
/// variant or unknown step.
fn pointer(path: &Path) -> Option<String> {
    let mut pointer = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => return None,
        }
    }
    Some(pointer)
}

/// `path` as problems write it: `body.fields[1].type`, empty for the file.
fn path_text(path: &Path) -> String {
    let text = path.to_string();
    if text == "." { String::new() } else { text }
}
