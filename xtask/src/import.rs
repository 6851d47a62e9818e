//! `cargo xtask import-doc <page.md> --out <schema.json> [--decisions <schema.json>]`:
//! a draft schema from a doc page.
//!
//! The page states facts (shapes, required, defaults, examples, limits, enum
//! values, error codes); it cannot state human decisions: names of shared
//! enums and object types, Rust names of error codes, the schema's wording,
//! which lengths are only recommended, cross-field rules, aliases for odd
//! spellings. Those come from `--decisions` (an existing schema) where the
//! page agrees with it; elsewhere the draft gets a `TODO_` name, which
//! codegen refuses as a Rust name, and an open decision is reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use feishu_codegen::spec::{
    EndpointSpec, EnumSpec, EnumValueSpec, ErrorSpec, Examples, FieldSpec, ObjectSpec, Source,
    TypeSpec,
};
use serde_json::Value;

use crate::page::{self, Field, FieldType, Page};

/// A draft schema and the decisions left to the human.
#[derive(Debug)]
pub struct Draft {
    /// The schema, ready to write.
    pub spec: EndpointSpec,
    /// One line per open decision, in page order.
    pub open: Vec<String>,
}

/// Builds the draft for `page`, taking human decisions from `decisions`.
pub fn import(page: &Page, decisions: Option<&EndpointSpec>) -> Draft {
    let mut cx = Importer {
        decided_types: decisions.map(|d| &d.types),
        types: BTreeMap::new(),
        open: Vec::new(),
    };
    let empty = ObjectSpec::default();
    let decided_object =
        |pick: fn(&EndpointSpec) -> Option<&ObjectSpec>| decisions.and_then(pick).unwrap_or(&empty);
    let decided_path = ObjectSpec {
        fields: decisions.map_or_else(Vec::new, |d| d.path_params.clone()),
        ..ObjectSpec::default()
    };
    let path_params = cx.object("path", &page.path_params, &decided_path).fields;
    let query = cx.object("query", &page.query, decided_object(|d| d.query.as_ref()));
    let body = cx.object("body", &page.body, decided_object(|d| d.body.as_ref()));
    let response = cx.object(
        "response",
        &page.response,
        decided_object(|d| Some(&d.response)),
    );

    let mut errors = Vec::new();
    for row in &page.errors {
        let decided = decisions.and_then(|d| d.errors.iter().find(|e| e.code == row.code));
        let name = match decided {
            Some(e) => e.name.clone(),
            None => {
                cx.open.push(format!(
                    "errors: name the Rust variant for code {} ({})",
                    row.code, row.message
                ));
                format!("TODO_Error_{}", row.code)
            }
        };
        let rate_limited = match decided {
            Some(e) => e.rate_limited,
            None => {
                if row.message.to_lowercase().contains("rate limit") {
                    cx.open.push(format!(
                        "errors: code {} reads like a rate limit: set `rate_limited` if the client should wait and retry",
                        row.code
                    ));
                }
                false
            }
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

    let field_scopes = page
        .field_scopes
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.when = decisions
                .and_then(|d| d.field_scopes.iter().find(|d| d.name == s.name))
                .and_then(|d| d.when.clone());
            s
        })
        .collect();
    if decisions.is_none() {
        cx.open.push(
            "rules: cross-field rules the page states in prose (e.g. a minimum length for public chats) are not imported: write them as `rules`".into(),
        );
    }

    let mut spec = EndpointSpec {
        meta_schema: decisions.and_then(|d| d.meta_schema.clone()),
        source: Source {
            title: page.title.clone(),
            url: page.source_url.clone(),
            last_remote_update: page.last_remote_update.clone(),
            updated_at: page.updated_at,
        },
        type_prefix: decisions.and_then(|d| d.type_prefix.clone()),
        summary: decisions.map_or_else(|| page.summary.clone(), |d| d.summary.clone()),
        notes: decisions.map_or_else(|| page.notes.clone(), |d| d.notes.clone()),
        method: page.method,
        path: page.path.clone(),
        access_tokens: page.access_tokens.clone(),
        app_types: page.app_types.clone(),
        scopes: page.scopes.clone(),
        field_scopes,
        rate_limit: page.rate_limit,
        path_params,
        query: (!query.fields.is_empty()).then_some(query),
        body: (!body.fields.is_empty()).then_some(body),
        response,
        types: cx.types,
        errors,
        examples: (page.request_example.is_some() || page.response_example.is_some()).then(|| {
            Examples {
                request_body: page.request_example.clone(),
                response: page.response_example.clone(),
            }
        }),
    };
    let mut open = cx.open;
    unlisted_example_values(&spec, &mut open);
    if spec.meta_schema.is_none() {
        spec.meta_schema = Some("../../../endpoint.schema.json".into());
    }
    Draft { spec, open }
}

struct Importer<'a> {
    decided_types: Option<&'a BTreeMap<String, TypeSpec>>,
    types: BTreeMap<String, TypeSpec>,
    open: Vec<String>,
}

impl Importer<'_> {
    fn object(&mut self, at: &str, fields: &[Field], decided: &ObjectSpec) -> ObjectSpec {
        let fields: Vec<FieldSpec> = fields
            .iter()
            .map(|f| {
                let d = decided.fields.iter().find(|d| d.name == f.name);
                self.field(&format!("{at}.{}", f.name), f, d)
            })
            .collect();
        // A rule is kept only while every field it names is still there.
        let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let rules = decided
            .rules
            .iter()
            .filter(|r| {
                let mut used = r.when.iter().map(|w| w.field.as_str()).collect::<Vec<_>>();
                match &r.then {
                    feishu_codegen::spec::CheckSpec::Required { field }
                    | feishu_codegen::spec::CheckSpec::MinLength { field, .. } => used.push(field),
                    feishu_codegen::spec::CheckSpec::NotAllEqual { fields, .. }
                    | feishu_codegen::spec::CheckSpec::NoneEqual { fields, .. } => {
                        used.extend(fields.iter().map(String::as_str))
                    }
                }
                used.iter().all(|u| names.contains(u))
            })
            .cloned()
            .collect();
        ObjectSpec {
            description: decided.description.clone(),
            fields,
            rules,
        }
    }

    fn field(&mut self, at: &str, f: &Field, decided: Option<&FieldSpec>) -> FieldSpec {
        let ty = self.ty(at, f, &f.ty, decided.map(|d| d.ty.trim_end_matches("[]")));
        if decided.is_none()
            && let Some(n) = recommended_length(&f.description)
        {
            self.open.push(format!(
                "{at}: the page recommends at most {n} characters: set `recommended_max_length` (or `max_length` if the server enforces it)"
            ));
        }
        FieldSpec {
            name: f.name.clone(),
            ty,
            required: f.required,
            description: decided.map_or_else(|| f.description.clone(), |d| d.description.clone()),
            default: f.default.clone(),
            example: f.example.clone(),
            max_length: f.limits.max_length,
            min_length: f.limits.min_length,
            max_items: f.limits.max_items,
            min_items: f.limits.min_items,
            minimum: None,
            maximum: None,
            pattern: None,
            recommended_max_length: decided.and_then(|d| d.recommended_max_length),
            value_descriptions: decided
                .map_or_else(BTreeMap::new, |d| d.value_descriptions.clone()),
            idempotency_key: decided.is_some_and(|d| d.idempotency_key),
            rust_name: decided.and_then(|d| d.rust_name.clone()),
        }
    }

    /// The schema type of a page type; `decided` is the decisions file's
    /// type name for the field, without `[]`.
    fn ty(&mut self, at: &str, f: &Field, ty: &FieldType, decided: Option<&str>) -> String {
        let decided_type = decided.and_then(|d| Some((d, self.decided_types?.get(d)?)));
        match ty {
            FieldType::Array(item) => format!("{}[]", self.ty(at, f, item, decided)),
            FieldType::Boolean => "boolean".into(),
            FieldType::Integer => "integer".into(),
            FieldType::Number => "number".into(),
            FieldType::String => match decided_type {
                Some((name, TypeSpec::Enum(e))) if f.values.is_empty() || same_values(e, f) => {
                    self.types
                        .entry(name.to_owned())
                        .or_insert_with(|| TypeSpec::Enum(e.clone()));
                    name.to_owned()
                }
                _ if f.values.is_empty() => "string".into(),
                Some((name, TypeSpec::Enum(_))) => {
                    self.open.push(format!(
                        "{at}: the page's values differ from `{name}`'s: extend `{name}` in the decisions file, or name a new enum"
                    ));
                    self.placeholder_enum(at, f, false)
                }
                _ => self.placeholder_enum(at, f, true),
            },
            FieldType::Object(page_name) => {
                let (name, decided_object) = match decided_type {
                    Some((name, TypeSpec::Object(o))) => (name.to_owned(), o.clone()),
                    _ => {
                        let name = format!("TODO_Type_{page_name}");
                        if !self.types.contains_key(&name) {
                            self.open.push(format!(
                                "{at}: name the object type `{page_name}` (an UpperCamelCase Rust type name)"
                            ));
                        }
                        let object = ObjectSpec {
                            description: Some(first_line(&f.description)),
                            ..ObjectSpec::default()
                        };
                        (name, object)
                    }
                };
                // The first use (the request's, with defaults and examples)
                // defines a type the response shares.
                if !self.types.contains_key(&name) {
                    let object = self.object(at, &f.fields, &decided_object);
                    let object = ObjectSpec {
                        description: decided_object.description.clone(),
                        ..object
                    };
                    self.types.insert(name.clone(), TypeSpec::Object(object));
                }
                name
            }
        }
    }

    /// A `TODO_` enum of the page's values; `ask` reports the open decision.
    fn placeholder_enum(&mut self, at: &str, f: &Field, ask: bool) -> String {
        let spec = EnumSpec {
            description: first_line(&f.description),
            repr: Default::default(),
            values: f
                .values
                .iter()
                .map(|(value, description)| EnumValueSpec {
                    value: value.clone(),
                    description: description.clone(),
                    rust_name: None,
                })
                .collect(),
            aliases: Vec::new(),
        };
        let values: Vec<&str> = f.values.iter().map(|(v, _)| v.as_str()).collect();
        // Fields of the same name with the same values share one draft enum.
        let mut name = format!("TODO_Enum_{}", f.name);
        if let Some(TypeSpec::Enum(existing)) = self.types.get(&name) {
            if same_values(existing, f) {
                return name;
            }
            name = format!("TODO_Enum_{}", at.replace('.', "_"));
        }
        if ask {
            self.open.push(format!(
                "{at}: name the enum of `{}` (or reuse a shared one with these values)",
                values.join("`, `")
            ));
        }
        self.types.insert(name.clone(), TypeSpec::Enum(spec));
        name
    }
}

fn same_values(e: &EnumSpec, f: &Field) -> bool {
    let ours: BTreeSet<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    let theirs: BTreeSet<&str> = f.values.iter().map(|(v, _)| v.as_str()).collect();
    ours == theirs
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_owned()
}

/// `建议不超过 60 字符` and the like: a recommendation, not an enforced limit.
fn recommended_length(text: &str) -> Option<usize> {
    let rest = &text[text.find("不超过")? + "不超过".len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Example values an enum field does not list (nor alias): a typo on the
/// page or an undocumented spelling; either way a human decides.
fn unlisted_example_values(spec: &EndpointSpec, open: &mut Vec<String>) {
    let Some(examples) = &spec.examples else {
        return;
    };
    let data = examples.response.as_ref().and_then(|r| r.get("data"));
    let walks = [
        ("body", spec.body.as_ref(), examples.request_body.as_ref()),
        ("response", Some(&spec.response), data),
    ];
    for (at, object, example) in walks {
        if let (Some(object), Some(example)) = (object, example) {
            walk(spec, at, &object.fields, example, open);
        }
    }
}

fn walk(
    spec: &EndpointSpec,
    at: &str,
    fields: &[FieldSpec],
    example: &Value,
    open: &mut Vec<String>,
) {
    for field in fields {
        let Some(value) = example.get(&field.name) else {
            continue;
        };
        let path = format!("{at}.{}", field.name);
        match (spec.types.get(&field.ty), value) {
            (Some(TypeSpec::Enum(e)), Value::String(s)) => {
                let known = e.values.iter().any(|v| v.value == *s)
                    || e.aliases.iter().any(|a| a.wire == *s);
                if !known {
                    open.push(format!(
                        "{path}: the example writes {value}, which `{}` does not list: add an alias or treat it as a typo",
                        field.ty
                    ));
                }
            }
            (Some(TypeSpec::Object(o)), _) => walk(spec, &path, &o.fields, value, open),
            _ => {}
        }
    }
}

/// Reads `page`, imports it (with decisions from `decisions`) and writes the
/// draft to `out` atomically. Refuses to replace `out` unless `force`.
/// Returns the open decisions. On any error nothing is written.
pub fn run(
    page: &Path,
    out: &Path,
    decisions: Option<&Path>,
    force: bool,
) -> Result<Vec<String>, String> {
    if out.exists() && !force {
        return Err(format!(
            "{} exists: pass --force to replace it",
            out.display()
        ));
    }
    let page = page::read(page).map_err(|e| e.to_string())?;
    let (decisions, shared) = match decisions {
        // The version's shared types decide names as the file's own do;
        // the draft then names them instead of declaring them again.
        Some(path) => {
            let (spec, shared) =
                crate::schema_file::read_with_shared(path, &path.display().to_string())?;
            (Some(spec), shared)
        }
        None => (None, Default::default()),
    };
    let mut draft = import(&page, decisions.as_ref());
    draft
        .spec
        .types
        .retain(|name, _| !shared.contains_key(name));
    if decisions.is_none()
        && let Some(meta) = meta_schema_from(out)
    {
        draft.spec.meta_schema = Some(meta);
    }
    let text = draft_text(&draft.spec);
    crate::files::write_atomic(out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(draft.open)
}

/// The draft as its file's text: pretty JSON with a final newline, with no
/// `"required": false` on any field (the format's default, so only noise).
pub fn draft_text(spec: &EndpointSpec) -> String {
    let mut value = serde_json::to_value(spec).expect("a spec serializes");
    for fields in field_lists(&mut value) {
        for field in fields.iter_mut().filter_map(Value::as_object_mut) {
            if field.get("required") == Some(&Value::Bool(false)) {
                field.shift_remove("required");
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&value).expect("a value serializes");
    text.push('\n');
    text
}

/// Every list of fields in a serialized spec: path parameters, the query,
/// body and response, and the named object types.
fn field_lists(spec: &mut Value) -> Vec<&mut Vec<Value>> {
    let mut lists = Vec::new();
    let Some(spec) = spec.as_object_mut() else {
        return lists;
    };
    for (key, value) in spec.iter_mut() {
        match key.as_str() {
            "path_params" => lists.extend(value.as_array_mut()),
            "query" | "body" | "response" => {
                lists.extend(value.get_mut("fields").and_then(Value::as_array_mut))
            }
            "types" => {
                for ty in value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|t| t.values_mut())
                {
                    if ty["kind"] == "object" {
                        lists.extend(ty.get_mut("fields").and_then(Value::as_array_mut));
                    }
                }
            }
            _ => {}
        }
    }
    lists
}

/// `$schema` for a draft written below a `schema/` folder: the way up to
/// its `endpoint.schema.json`.
fn meta_schema_from(out: &Path) -> Option<String> {
    let parent = out.parent()?;
    let depth = parent
        .components()
        .rev()
        .position(|c| c.as_os_str() == "schema")?;
    Some(format!("{}endpoint.schema.json", "../".repeat(depth)))
}
