//! Parsing one schema file, and explaining a file that does not parse:
//! where (the JSON path) and what to do about it.

use crate::META_SCHEMA_PATH;
use crate::problem::Problem;

/// Parses `text` (the file `file`) as `T`, or says where it goes wrong.
pub(crate) fn parse_as<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, Problem> {
    // Tracking the JSON path costs as much again as the parse itself, so
    // it runs only to explain a file that failed.
    if let Ok(spec) = serde_json::from_str(text) {
        return Ok(spec);
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(&mut *de) {
        Err(err) => {
            let path = err.path().to_string();
            Err(json_problem(file, path, err.into_inner()))
        }
        // The value itself was fine: what follows it is not.
        Ok(spec) => match de.end() {
            Ok(()) => Ok(spec),
            Err(err) => Err(json_problem(file, String::new(), err)),
        },
    }
}

fn json_problem(file: &str, path: String, inner: serde_json::Error) -> Problem {
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
            "make the value match the endpoint format ({META_SCHEMA_PATH} describes it; editors check it through \"$schema\")"
        )
    };
    Problem {
        file: file.to_owned(),
        path,
        message: inner.to_string(),
        fix,
    }
}
