//! What each generated endpoint tells a server that plays Feishu (feature
//! `routes`): its [`Route`], with the request check the client runs before
//! sending and the page's response example. The fake Feishu
//! (`feishu_openapi::testing`) serves every route the generated crate
//! lists, so a new schema is a new fake endpoint with no hand-written code.

use serde::de::DeserializeOwned;

use crate::endpoint::EndpointInfo;
use crate::validate::{Validate, Violation};

/// One endpoint as a fake server serves it; each generated endpoint module
/// has one, `ROUTE`, and the generated crate lists them all in `routes()`.
#[derive(Debug)]
pub struct Route {
    /// The endpoint: its method and path template pick the requests.
    pub endpoint: &'static EndpointInfo,
    /// The query string (without `?`) and body in, the violations out.
    pub check: fn(Option<&str>, &[u8]) -> Vec<FieldViolation>,
    /// The `data` of the page's response example, as JSON text; `None`
    /// when the page shows none.
    pub example: Option<&'static str>,
    /// A successful answer is a file's bytes, not JSON.
    pub binary_response: bool,
    /// The body holds a file: it comes as `multipart/form-data`.
    pub multipart: bool,
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
    /// The query or body does not decode into the endpoint's types at all
    /// (`field` is `query` or `body`): a server with state of its own may
    /// answer that with its endpoint's own code instead.
    pub malformed: bool,
}

/// Decodes the query string into `Q` and validates it.
#[doc(hidden)]
pub fn check_query<Q: DeserializeOwned + Validate>(
    query: Option<&str>,
    out: &mut Vec<FieldViolation>,
) {
    match serde_urlencoded::from_str::<Q>(query.unwrap_or_default()) {
        Ok(query) => validated(&query, "query", out),
        Err(error) => out.push(malformed("query", &error)),
    }
}

/// Decodes the body (an empty one as `{}`) into `B` and validates it.
#[doc(hidden)]
pub fn check_body<B: DeserializeOwned + Validate>(body: &[u8], out: &mut Vec<FieldViolation>) {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    match serde_json::from_slice::<B>(body) {
        Ok(body) => validated(&body, "body", out),
        Err(error) => out.push(malformed("body", &error)),
    }
}

/// Decodes a `multipart/form-data` body into `B` and validates it.
#[doc(hidden)]
pub fn check_form<B: crate::upload::Form + Validate>(body: &[u8], out: &mut Vec<FieldViolation>) {
    match crate::upload::multipart::parts(body).and_then(B::from_parts) {
        Ok(body) => validated(&body, "body", out),
        Err(error) => out.push(malformed("body", &error)),
    }
}

fn malformed(field: &str, error: &dyn std::fmt::Display) -> FieldViolation {
    FieldViolation {
        field: field.to_owned(),
        description: format!("does not decode: {error}"),
        code: None,
        malformed: true,
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
        malformed: false,
    }));
}
