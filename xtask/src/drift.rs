//! `cargo xtask drift <page.md> [schema.json]`: what a maintainer must change
//! in a schema because its doc page changed, one line per difference, in the
//! page's order.
//!
//! Only what the page states is compared (shape, required, enum values,
//! defaults, limits, error codes, method, path, scopes); wording and the
//! human decisions the schema records (names, rules, aliases) are not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use feishu_codegen::spec::{EndpointSpec, FieldSpec, ObjectSpec, TypeSpec};
use serde_json::Value;

use crate::page::{Field, FieldType, Page};

/// Every difference between `page` and `schema`, as report lines.
pub fn compare(page: &Page, schema: &EndpointSpec) -> Vec<String> {
    let mut out = Vec::new();
    // ISO dates order as text.
    let (ours, theirs) = (&schema.source.last_remote_update, &page.last_remote_update);
    if theirs > ours {
        out.push(format!(
            "source: page updated {ours} -> {theirs} (schema written against {ours})"
        ));
    } else if theirs < ours {
        out.push(format!(
            "source: page is older ({theirs}) than the one the schema was written against ({ours})"
        ));
    }
    if page.source_url != schema.source.url {
        out.push(format!(
            "source: url {} -> {}",
            schema.source.url, page.source_url
        ));
    }
    if page.method != schema.method {
        out.push(format!(
            "method: {} -> {}",
            schema.method.as_str(),
            page.method.as_str()
        ));
    }
    if page.path != schema.path {
        out.push(format!("path: {} -> {}", schema.path, page.path));
    }
    let limit =
        |l: Option<feishu_codegen::spec::RateLimitSpec>| l.map(|l| (l.per_minute, l.per_second));
    if limit(page.rate_limit) != limit(schema.rate_limit) {
        let show = |l: Option<(Option<u32>, Option<u32>)>| match l {
            None => "none".to_owned(),
            Some((m, s)) => format!("{}/min {}/s", opt(m), opt(s)),
        };
        out.push(format!(
            "rate_limit: {} -> {}",
            show(limit(schema.rate_limit)),
            show(limit(page.rate_limit))
        ));
    }
    let ours: Vec<&str> = schema.scopes.iter().map(|s| s.name.as_str()).collect();
    let theirs: Vec<&str> = page.scopes.iter().map(|s| s.name.as_str()).collect();
    added_removed(&mut out, "scopes", "scope", &ours, &theirs);

    let mut cx = Compare {
        types: &schema.types,
        seen: BTreeSet::new(),
        out: &mut out,
    };
    let empty = ObjectSpec::default();
    cx.fields("path", &page.path_params, &schema.path_params, true);
    cx.object(
        "query",
        &page.query,
        schema.query.as_ref().unwrap_or(&empty),
    );
    cx.object("body", &page.body, schema.body.as_ref().unwrap_or(&empty));
    cx.object("response", &page.response, &schema.response);

    let by_code: BTreeMap<i64, u16> = schema
        .errors
        .iter()
        .map(|e| (e.code, e.http_status))
        .collect();
    for row in &page.errors {
        match by_code.get(&row.code) {
            None => out.push(format!("errors: code {} added", row.code)),
            Some(&status) if status != row.http_status => out.push(format!(
                "errors: code {}: http status {status} -> {}",
                row.code, row.http_status
            )),
            Some(_) => {}
        }
    }
    let documented: BTreeSet<i64> = page.errors.iter().map(|e| e.code).collect();
    for e in &schema.errors {
        if !documented.contains(&e.code) {
            out.push(format!("errors: code {} removed", e.code));
        }
    }
    out
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn added_removed(out: &mut Vec<String>, at: &str, what: &str, ours: &[&str], theirs: &[&str]) {
    for t in theirs {
        if !ours.contains(t) {
            out.push(format!("{at}: {what} added: `{t}`"));
        }
    }
    for o in ours {
        if !theirs.contains(o) {
            out.push(format!("{at}: {what} removed: `{o}`"));
        }
    }
}

struct Compare<'a> {
    types: &'a BTreeMap<String, TypeSpec>,
    /// Named object types already compared in full: a later use (the
    /// response repeating a body type) is compared for shape only, as the
    /// page states defaults and examples at one place.
    seen: BTreeSet<String>,
    out: &'a mut Vec<String>,
}

impl Compare<'_> {
    fn object(&mut self, at: &str, page: &[Field], schema: &ObjectSpec) {
        self.fields(at, page, &schema.fields, true);
    }

    fn fields(&mut self, at: &str, page: &[Field], schema: &[FieldSpec], full: bool) {
        for field in page {
            let path = format!("{at}.{}", field.name);
            match schema.iter().find(|f| f.name == field.name) {
                None => self.out.push(format!("{path}: field added ({})", field.ty)),
                Some(ours) => self.field(&path, field, ours, full),
            }
        }
        for ours in schema {
            if !page.iter().any(|f| f.name == ours.name) {
                self.out.push(format!("{at}.{}: field removed", ours.name));
            }
        }
    }

    fn field(&mut self, path: &str, page: &Field, ours: &FieldSpec, full: bool) {
        let shape = self.shape(&ours.ty);
        let page_shape = page.ty.to_string();
        if shape != page_shape {
            self.out
                .push(format!("{path}: type {shape} -> {page_shape}"));
            return;
        }
        if page.required != ours.required {
            self.out.push(format!(
                "{path}: required {} -> {}",
                ours.required, page.required
            ));
        }
        let base = ours.ty.trim_end_matches("[]");
        match self.types.get(base) {
            Some(TypeSpec::Enum(e)) if !page.values.is_empty() => {
                let ours: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
                let theirs: Vec<&str> = page.values.iter().map(|(v, _)| v.as_str()).collect();
                added_removed(self.out, path, "enum value", &ours, &theirs);
            }
            None if !page.values.is_empty() && matches!(page.ty, FieldType::String) => {
                let values: Vec<String> =
                    page.values.iter().map(|(v, _)| format!("`{v}`")).collect();
                self.out.push(format!(
                    "{path}: the page now lists values {} (schema: plain string)",
                    values.join(", ")
                ));
            }
            Some(TypeSpec::Object(object)) => {
                let full = full && self.seen.insert(base.to_owned());
                self.fields(path, &page.fields, &object.fields, full);
            }
            _ => {}
        }
        if !full {
            return;
        }
        if page.default != ours.default {
            self.out.push(format!(
                "{path}: default {} -> {}",
                json(ours.default.as_ref()),
                json(page.default.as_ref())
            ));
        }
        let limits = [
            ("max_length", ours.max_length, page.limits.max_length),
            ("min_length", ours.min_length, page.limits.min_length),
            ("max_items", ours.max_items, page.limits.max_items),
            ("min_items", ours.min_items, page.limits.min_items),
        ];
        for (name, ours, theirs) in limits {
            if ours != theirs {
                self.out
                    .push(format!("{path}: {name} {} -> {}", opt(ours), opt(theirs)));
            }
        }
    }

    /// The page's view of a schema type: enums are strings, named objects
    /// are objects.
    fn shape(&self, ty: &str) -> String {
        if let Some(item) = ty.strip_suffix("[]") {
            return format!("{}[]", self.shape(item));
        }
        match ty {
            "string" | "boolean" | "integer" | "number" => ty.to_owned(),
            _ => match self.types.get(ty) {
                Some(TypeSpec::Enum(_)) => "string".to_owned(),
                Some(TypeSpec::Object(_)) => "object".to_owned(),
                None => format!("unknown type `{ty}`"),
            },
        }
    }
}

fn json(v: Option<&Value>) -> String {
    v.map_or_else(|| "none".to_owned(), Value::to_string)
}

/// Reads the page and its schema (`schema`, or the file under the
/// checkout's `schema/` whose `source.url` is the page's `source_url`;
/// `root` finds the checkout, only then) and compares them.
/// Returns the schema file's name and the report lines.
pub fn run(
    page: &Path,
    schema: Option<&Path>,
    root: impl FnOnce() -> Result<PathBuf, String>,
) -> Result<(String, Vec<String>), String> {
    let page = crate::page::read(page).map_err(|e| e.to_string())?;
    let (name, spec) = match schema {
        Some(path) => {
            let name = path.display().to_string();
            let (spec, _) = crate::schema_file::read_with_shared(path, &name)?;
            (name, spec)
        }
        None => find_schema(&root()?, &page.source_url)?,
    };
    let lines = compare(&page, &spec);
    Ok((name, lines))
}

/// The schema under `root/schema` whose `source.url` is `url`, found among
/// the endpoints `cargo xtask codegen` loads.
fn find_schema(root: &Path, url: &str) -> Result<(String, EndpointSpec), String> {
    let api = feishu_codegen::load(root).map_err(|problems| {
        format!(
            "cannot look up the schema whose source.url is {url} while schema/ has problems: fix them, or name the schema file\n{problems}"
        )
    })?;
    let Some(endpoint) = api.endpoints.iter().find(|e| e.source.url == url) else {
        return Err(format!(
            "no schema under schema/ has source.url {url}: name the schema file"
        ));
    };
    let name = endpoint.source_file.clone();
    let (spec, _) = crate::schema_file::read_with_shared(&root.join(&name), &name)?;
    Ok((name, spec))
}
