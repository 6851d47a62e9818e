//! The fake's routes: the generated crate's table, one [`Route`] per
//! endpoint compiled in. A request is matched to its endpoint, checked the
//! way the client checks it before sending, and answered by the group-chat
//! family's state when that family keeps state for it, else with the page's
//! response example.

use axum::http::StatusCode;
use feishu_runtime::route::{FieldViolation, Route};
use serde_json::{Value, json};

use crate::answer::{Answer, failure, success};

/// Feishu's answer code for a request whose fields break a limit.
pub const FIELD_VALIDATION_FAILED: i64 = 99992402;

/// The route whose endpoint has `method` and a path template `path` fits,
/// with the path's parameters in the template's order; of several, the one
/// with the fewest parameters, so `/chats/search` is not taken for
/// `/chats/:chat_id`.
pub(crate) fn find(
    routes: &[&'static Route],
    method: &str,
    path: &str,
) -> Option<(&'static Route, Vec<String>)> {
    routes
        .iter()
        .filter(|route| route.endpoint.method.as_str() == method)
        .filter_map(|route| Some((*route, path_params(route.endpoint.path, path)?)))
        .min_by_key(|(route, _)| route.endpoint.path.matches(':').count())
}

/// What `path` gives the `:name` segments of `template`, in order; `None`
/// when it does not fit. Feishu ids are plain ASCII words: a segment with
/// escapes (`oc_a%2Fb`) fits no parameter, as Feishu's gateway 404s it.
pub(crate) fn path_params(template: &str, path: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = template.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, segment) in parts.iter().zip(&segments) {
        if part.starts_with(':') {
            let plain = !segment.is_empty()
                && segment
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
            if !plain {
                return None;
            }
            params.push((*segment).to_owned());
        } else if part != segment {
            return None;
        }
    }
    Some(params)
}

/// The answer to a request that breaks its endpoint's documented limits:
/// the code of the first broken rule that documents one, else 99992402
/// with every field, as Feishu answers. `None` lets the request through.
/// With `own_codes`, a query or body that does not decode at all is left
/// to the endpoint's state, which answers it with the endpoint's own code.
pub(crate) fn refusal(
    route: &Route,
    query: Option<&str>,
    body: &[u8],
    own_codes: bool,
) -> Option<Answer> {
    let mut violations = (route.check)(query, body);
    if own_codes {
        violations.retain(|violation| !violation.malformed);
    }
    if let Some((code, violation)) = violations
        .iter()
        .find_map(|violation| violation.code.map(|code| (code, violation)))
    {
        return Some(failure(code, &violation.description));
    }
    if violations.is_empty() {
        return None;
    }
    Some(field_validation_failed(&violations))
}

fn field_validation_failed(violations: &[FieldViolation]) -> Answer {
    let fields: Vec<_> = violations
        .iter()
        .map(|violation| json!({"field": violation.field, "description": violation.description}))
        .collect();
    (
        StatusCode::BAD_REQUEST,
        json!({
            "code": FIELD_VALIDATION_FAILED,
            "msg": "field validation failed",
            "error": {"field_violations": fields},
        }),
    )
}

/// The page's response example as the answer, with the request's path
/// parameters put back in: every field named like a path parameter takes
/// the request's value, so `get(":chat_id" = "oc_1")` answers `oc_1`. An
/// endpoint whose page shows no example answers empty `data`.
pub(crate) fn example_answer(route: &Route, params: &[String]) -> Answer {
    let mut data = route
        .example
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_else(|| json!({}));
    let names = route
        .endpoint
        .path
        .split('/')
        .filter_map(|part| part.strip_prefix(':'));
    let params: Vec<(&str, &str)> = names.zip(params.iter().map(String::as_str)).collect();
    put_back(&mut data, &params);
    success(data)
}

fn put_back(value: &mut Value, params: &[(&str, &str)]) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                match params.iter().find(|(param, _)| param == name) {
                    Some((_, given)) if field.is_string() => *field = json!(given),
                    _ => put_back(field, params),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| put_back(item, params)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn path_parameters_are_put_back_at_any_depth_but_only_into_strings() {
        let mut data = json!({
            "chat_id": "oc_example",
            "items": [{"chat_id": "oc_example", "n": 1}],
            "nested": {"menu_item_id": "m_example", "chat_id": 7},
        });
        put_back(&mut data, &[("chat_id", "oc_1"), ("menu_item_id", "m_2")]);
        assert_eq!(
            data,
            json!({
                "chat_id": "oc_1",
                "items": [{"chat_id": "oc_1", "n": 1}],
                "nested": {"menu_item_id": "m_2", "chat_id": 7},
            })
        );
    }
}
