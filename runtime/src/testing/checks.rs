//! Requests checked the way the client checks them before sending: each
//! generated endpoint module has a [`RequestCheck`] that decodes the query
//! and body into its types and runs their `Validate`. The fake answers a
//! request that fails one as Feishu does, with code 99992402 and the
//! fields, or with the code a broken rule documents.

use std::sync::OnceLock;

use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::answer::{Answer, failure};
use super::server::path_params;
use crate::endpoint::EndpointInfo;
use crate::validate::{Validate, Violation};

/// Feishu's answer code for a request whose fields break a limit.
pub const FIELD_VALIDATION_FAILED: i64 = 99992402;

/// How requests to one endpoint are checked; each generated endpoint module
/// has one, `REQUEST_CHECK` (feature `testing`).
#[derive(Debug)]
pub struct RequestCheck {
    /// The endpoint: its method and path template pick the requests.
    pub endpoint: &'static EndpointInfo,
    /// The query string (without `?`) and body in, the violations out.
    pub check: fn(Option<&str>, &[u8]) -> Vec<FieldViolation>,
}

/// A field a request got wrong, as Feishu's `field_violations` list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldViolation {
    /// JSON path of the field (`query.page_size`, `body.name`).
    pub field: String,
    /// What is wrong.
    pub description: String,
    /// The error code a documented rule answers with, if any.
    pub code: Option<i64>,
}

/// The checks of every endpoint compiled into the generated crate; set
/// when the first generated client is built (through [`know_requests`]),
/// read as requests arrive.
static KNOWN: OnceLock<Vec<&'static RequestCheck>> = OnceLock::new();

/// Tells the fake which endpoints exist: the generated crate calls it with
/// its list when a client is built. Later calls change nothing: every
/// client of a process has the same list.
#[doc(hidden)]
pub fn know_requests(checks: fn() -> Vec<&'static RequestCheck>) {
    KNOWN.get_or_init(checks);
}

/// The answer to a request that breaks its endpoint's documented limits:
/// the code of the first broken rule that documents one, else 99992402
/// with every field, as Feishu answers. `None` lets the request through.
pub(super) fn refusal(
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Option<Answer> {
    let check = find(KNOWN.get()?, method, path)?;
    let violations = (check.check)(query, body);
    if let Some((code, violation)) = violations
        .iter()
        .find_map(|violation| violation.code.map(|code| (code, violation)))
    {
        return Some(failure(code, &violation.description));
    }
    if violations.is_empty() {
        return None;
    }
    let fields: Vec<_> = violations
        .iter()
        .map(|violation| json!({"field": violation.field, "description": violation.description}))
        .collect();
    Some((
        StatusCode::BAD_REQUEST,
        json!({
            "code": FIELD_VALIDATION_FAILED,
            "msg": "field validation failed",
            "error": {"field_violations": fields},
        }),
    ))
}

/// The check whose endpoint has `method` and a path template `path` fits;
/// of several, the one with the fewest parameters, so `/chats/search` is
/// not taken for `/chats/:chat_id`.
fn find<'a>(
    checks: &'a [&'static RequestCheck],
    method: &str,
    path: &str,
) -> Option<&'a RequestCheck> {
    checks
        .iter()
        .copied()
        .filter(|check| {
            let endpoint = check.endpoint;
            endpoint.method.as_str() == method && path_params(endpoint.path, path).is_some()
        })
        .min_by_key(|check| check.endpoint.path.matches(':').count())
}

/// Decodes the query string into `Q` and validates it; a query that does
/// not decode is left to the endpoint.
#[doc(hidden)]
pub fn check_query<Q: DeserializeOwned + Validate>(
    query: Option<&str>,
    out: &mut Vec<FieldViolation>,
) {
    // What does not decode is the endpoint's to refuse with its own
    // documented code (232001 in this family); only limits are checked here.
    if let Ok(query) = serde_urlencoded::from_str::<Q>(query.unwrap_or_default()) {
        validated(&query, "query", out);
    }
}

/// Decodes the body (an empty one as `{}`) into `B` and validates it; a
/// body that does not decode is left to the endpoint.
#[doc(hidden)]
pub fn check_body<B: DeserializeOwned + Validate>(body: &[u8], out: &mut Vec<FieldViolation>) {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    if let Ok(body) = serde_json::from_slice::<B>(body) {
        validated(&body, "body", out);
    }
}

fn validated(value: &impl Validate, at: &str, out: &mut Vec<FieldViolation>) {
    let mut violations: Vec<Violation> = Vec::new();
    value.validate(at, &mut violations);
    out.extend(violations.into_iter().map(|violation| FieldViolation {
        description: match violation.when {
            Some(when) => format!("{} when {when}", violation.limit),
            None => violation.limit.to_string(),
        },
        field: violation.field,
        code: violation.code,
    }));
}

#[cfg(test)]
mod tests {
    use super::path_params;

    #[test]
    fn path_templates_fit_one_segment_per_parameter() {
        let template = "/open-apis/im/v1/chats/:chat_id/members";
        let fits = |path| path_params(template, path).is_some();
        assert!(fits("/open-apis/im/v1/chats/oc_1/members"));
        assert!(!fits("/open-apis/im/v1/chats//members"));
        assert!(!fits("/open-apis/im/v1/chats/oc_1"));
        assert!(!fits("/open-apis/im/v1/chats/oc_1/members/x"));
        assert!(path_params("/open-apis/im/v1/chats", "/open-apis/im/v1/chats").is_some());
    }
}
