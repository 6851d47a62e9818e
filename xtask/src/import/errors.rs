//! The page's error codes as the schema's `errors`.

use feishu_codegen::spec::{EndpointSpec, ErrorSpec};

use super::names;
use crate::page::ErrorRow;

/// One entry per code, in page order: the decisions file's name and
/// `rate_limited` where it lists the code, else the rules' name and what
/// the message says. A code the page lists twice keeps its first entry,
/// with the second's wording added to its advice.
pub(super) fn errors(rows: &[ErrorRow], decisions: Option<&EndpointSpec>) -> Vec<ErrorSpec> {
    let mut errors: Vec<ErrorSpec> = Vec::new();
    for row in rows {
        if let Some(first) = errors.iter_mut().find(|e| e.code == row.code) {
            first.advice = format!("{}\n\n{}：{}", first.advice, row.message, row.advice);
            continue;
        }
        let decided = decisions.and_then(|d| d.errors.iter().find(|e| e.code == row.code));
        let taken: Vec<String> = errors.iter().map(|e| e.name.clone()).collect();
        let (name, rate_limited) = match decided {
            Some(e) => (e.name.clone(), e.rate_limited),
            None => (
                names::error_name(row.code, &row.message, &taken),
                reads_rate_limited(&row.message),
            ),
        };
        errors.push(ErrorSpec {
            http_status: row.http_status,
            code: row.code,
            name,
            message: row.message.clone(),
            advice: row.advice.clone(),
            rate_limited,
        });
    }
    errors
}

/// The message says the call was throttled: the client should wait and
/// retry.
fn reads_rate_limited(message: &str) -> bool {
    let message = message.to_lowercase();
    ["rate limit", "too many requests", "frequency limit"]
        .iter()
        .any(|m| message.contains(m))
}
