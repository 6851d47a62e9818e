//! Parsing one schema file, and explaining a file that does not parse:
//! where (the JSON path) and what to do about it.

use serde::de::DeserializeOwned;

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
        Err(err) => {
            let path = err.path().to_string();
            Err(json_problem::<T>(file, path, err.into_inner()))
        }
        // The value itself was fine: what follows it is not.
        Ok(spec) => match de.end() {
            Ok(()) => Ok(spec),
            Err(err) => Err(json_problem::<T>(file, String::new(), err)),
        },
    }
}

fn json_problem<T: Format>(file: &str, path: String, inner: serde_json::Error) -> Problem {
    // A syntax error has no JSON path; its line and column say where.
    let syntax = matches!(
        inner.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    );
    let path = if syntax || path == "." {
        String::new()
    } else {
        path
    };
    let fix = if syntax {
        format!(
            "fix the JSON syntax at line {}, column {}",
            inner.line(),
            inner.column()
        )
    } else {
        format!(
            "make the value match the {} format ({} describes it; editors check it through \"$schema\")",
            T::NAME,
            T::META_SCHEMA
        )
    };
    Problem {
        file: file.to_owned(),
        path,
        message: inner.to_string(),
        fix,
    }
}
