//! The items around the fields: source, summary and notes, the request
//! basics (method, path, quota, app and token types, scopes, headers) and
//! the error table.

use std::collections::BTreeMap;

use feishu_codegen::spec::{AccessToken, AppType, EndpointSpec, RateLimitSpec};

use super::{Class, Report};
use crate::page::Page;

/// The page's wording of the JSON body's type: the one header a schema
/// implies (by having a body) rather than states.
const JSON: &str = "application/json; charset=utf-8";

/// `imported` is the page as `import-doc` writes it without decisions.
pub(super) fn compare(
    page: &Page,
    imported: &EndpointSpec,
    schema: &EndpointSpec,
    out: &mut Report,
) {
    source(page, schema, out);
    out.wording("title", "", &schema.source.title, &page.title);
    out.wording("summary", "", &schema.summary, &page.summary);
    notes(&schema.notes, &imported.notes, out);
    if page.method != schema.method {
        out.shape(format!(
            "method: {} -> {}",
            schema.method.as_str(),
            page.method.as_str()
        ));
    }
    if page.path != schema.path {
        out.shape(format!("path: {} -> {}", schema.path, page.path));
    }
    if page.binary_response != schema.binary_response {
        out.shape(format!(
            "binary_response: {} -> {}",
            schema.binary_response, page.binary_response
        ));
    }
    let quota = |l: Option<RateLimitSpec>| l.map(|l| (l.per_minute, l.per_second));
    if quota(page.rate_limit) != quota(schema.rate_limit) {
        out.shape(format!(
            "rate_limit: {} -> {}",
            show_quota(schema.rate_limit),
            show_quota(page.rate_limit)
        ));
    }
    let tokens = |v: &[AccessToken]| v.iter().map(|t| token(*t).to_owned()).collect::<Vec<_>>();
    let ours = tokens(&schema.access_tokens);
    added_removed(
        out,
        "access_tokens",
        "",
        &ours,
        &tokens(&page.access_tokens),
    );
    let apps = |v: &[AppType]| v.iter().map(|t| app(*t).to_owned()).collect::<Vec<_>>();
    added_removed(
        out,
        "app_types",
        "",
        &apps(&schema.app_types),
        &apps(&page.app_types),
    );
    let ours: Vec<_> = schema
        .scopes
        .iter()
        .map(|s| (&s.name, &s.description))
        .collect();
    let theirs: Vec<_> = page
        .scopes
        .iter()
        .map(|s| (&s.name, &s.description))
        .collect();
    scopes(out, "scopes", &ours, &theirs);
    let ours: Vec<_> = (schema.field_scopes.iter())
        .map(|s| (&s.name, &s.description))
        .collect();
    let theirs: Vec<_> = (page.field_scopes.iter())
        .map(|s| (&s.name, &s.description))
        .collect();
    scopes(out, "field_scopes", &ours, &theirs);
    headers(page, schema, out);
}

/// The date: `updated_at` when both sides have it, else the day.
fn source(page: &Page, schema: &EndpointSpec, out: &mut Report) {
    let ours = &schema.source;
    let moved = match (ours.updated_at, page.updated_at) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    };
    if moved || ours.last_remote_update != page.last_remote_update {
        let show = |day: &str, ms: Option<u64>| match ms {
            Some(ms) => format!("{day} ({ms})"),
            None => day.to_owned(),
        };
        out.push(
            Class::Source,
            format!(
                "updated: {} -> {}",
                show(&ours.last_remote_update, ours.updated_at),
                show(&page.last_remote_update, page.updated_at)
            ),
        );
    } else if ours.updated_at.is_none()
        && let Some(ms) = page.updated_at
    {
        out.push(Class::Source, format!("updated_at: none -> {ms}"));
    }
    if page.source_url != ours.url {
        out.push(
            Class::Source,
            format!("url: {} -> {}", ours.url, page.source_url),
        );
    }
}

/// Notes the same at both ends are set aside; the rest pair up by
/// position (a reworded note), and what is left over was added or removed.
fn notes(ours: &[String], theirs: &[String], out: &mut Report) {
    let same = |(o, t): (&String, &String)| super::wording::same(o, t);
    let head = ours.iter().zip(theirs).take_while(|&p| same(p)).count();
    let tail = (ours[head..].iter().rev())
        .zip(theirs[head..].iter().rev())
        .take_while(|&p| same(p))
        .count();
    let (ours, theirs) = (
        &ours[head..ours.len() - tail],
        &theirs[head..theirs.len() - tail],
    );
    for i in 0..ours.len().max(theirs.len()) {
        let at = format!("notes[{}]", head + i);
        match (ours.get(i), theirs.get(i)) {
            (Some(o), Some(t)) => out.wording(&at, "", o, t),
            (None, Some(t)) => out.push(Class::Wording, format!("{at}: added {t:?}")),
            (Some(o), None) => out.push(Class::Wording, format!("{at}: removed {o:?}")),
            (None, None) => {}
        }
    }
}

fn show_quota(l: Option<RateLimitSpec>) -> String {
    let opt = |v: Option<u32>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    match l {
        None => "none".to_owned(),
        Some(l) => format!("{}/min {}/s", opt(l.per_minute), opt(l.per_second)),
    }
}

/// A token type as the schema spells it.
fn token(t: AccessToken) -> &'static str {
    match t {
        AccessToken::Tenant => "tenant",
        AccessToken::User => "user",
        AccessToken::App => "app",
        AccessToken::NoToken => "none",
    }
}

/// An app type as the schema spells it.
fn app(t: AppType) -> &'static str {
    match t {
        AppType::SelfBuilt => "self_built",
        AppType::Store => "store",
    }
}

/// `at: added `x`` and `at: removed `y``, or with `what` the items are:
/// `body.chat_type: enum value added `secret``.
pub(super) fn added_removed(
    out: &mut Report,
    at: &str,
    what: &str,
    ours: &[String],
    theirs: &[String],
) {
    let what = if what.is_empty() {
        String::new()
    } else {
        format!("{what} ")
    };
    for t in theirs.iter().filter(|t| !ours.contains(t)) {
        out.shape(format!("{at}: {what}added `{t}`"));
    }
    for o in ours.iter().filter(|o| !theirs.contains(o)) {
        out.shape(format!("{at}: {what}removed `{o}`"));
    }
}

/// Scopes by name (shape), then the title of each kept one (wording).
fn scopes(out: &mut Report, at: &str, ours: &[(&String, &String)], theirs: &[(&String, &String)]) {
    let names = |v: &[(&String, &String)]| v.iter().map(|(n, _)| (*n).clone()).collect::<Vec<_>>();
    added_removed(out, at, "", &names(ours), &names(theirs));
    let titles: BTreeMap<&String, &String> = ours.iter().copied().collect();
    for (name, title) in theirs {
        if let Some(ours) = titles.get(name) {
            out.wording(&format!("{at}.{name}"), "", ours, title);
        }
    }
}

/// The schema states no headers; it implies `Content-Type: application/json`
/// by having a body. Any other header is one the schema cannot hold yet.
fn headers(page: &Page, schema: &EndpointSpec, out: &mut Report) {
    let mut implied = schema.body.is_some();
    for header in &page.headers {
        let at = format!("headers.{}", header.name);
        let json = header.name.eq_ignore_ascii_case("Content-Type");
        if !json {
            out.shape(format!("{at}: added (the schema format has no headers)"));
            continue;
        }
        let value = fixed_value(&header.description);
        if !implied {
            out.shape(format!("{at}: added ({value}), but the schema has no body"));
        } else if value != JSON {
            out.shape(format!("{at}: {JSON} -> {value}"));
        } else if !header.required {
            out.shape(format!("{at}: required true -> false"));
        }
        implied = false;
    }
    if implied {
        out.shape("headers.Content-Type: removed, but the schema has a body".into());
    }
}

/// `**固定值**："application/json; charset=utf-8"` gives the quoted value;
/// any other description is given whole.
fn fixed_value(description: &str) -> String {
    let quoted = description
        .split_once(['"', '“'])
        .and_then(|(_, rest)| rest.split_once(['"', '”']))
        .map(|(value, _)| value.trim());
    quoted.unwrap_or(description.trim()).to_owned()
}

/// Error codes (shape: added, removed, HTTP status) and what the page says
/// about each (wording: message, advice).
pub(super) fn errors(page: &Page, schema: &EndpointSpec, out: &mut Report) {
    for row in &page.errors {
        let at = format!("errors.{}", row.code);
        let Some(ours) = schema.errors.iter().find(|e| e.code == row.code) else {
            out.shape(format!("{at}: added ({} {})", row.http_status, row.message));
            continue;
        };
        if ours.http_status != row.http_status {
            out.shape(format!(
                "{at}: http status {} -> {}",
                ours.http_status, row.http_status
            ));
        }
        out.wording(&at, "message", &ours.message, &row.message);
        out.wording(&at, "advice", &ours.advice, &row.advice);
    }
    for ours in &schema.errors {
        if !page.errors.iter().any(|e| e.code == ours.code) {
            out.shape(format!("errors.{}: removed", ours.code));
        }
    }
}
