//! `cargo xtask import-doc <page.md> --out <schema.json> [--decisions
//! <schema.json>] [--types <types.json>]`: a draft schema from a doc page,
//! one `cargo xtask codegen` accepts as it is.
//!
//! The page states facts (shapes, required, defaults, examples, limits,
//! enum values, error codes, scopes, headers); it cannot state human
//! decisions: names of enums and object types, Rust names of error codes,
//! the schema's wording, cross-field rules, aliases for odd spellings.
//! Those come from `--decisions` (an existing schema) where the page agrees
//! with it; elsewhere the rules in [`names`] name them, and a type equal
//! (see [`shape`]) to one of the version's shared types names that one. An
//! open decision is reported only where the page contradicts a decision
//! or the rules leave a name truly ambiguous.
//!
//! Values the draft's types cannot hold are left out, each with an open
//! decision: first by `fit`, in its own words, then by whatever codegen's
//! checker still refuses (`checked`), so the draft stays one codegen
//! accepts.
//!
//! A shared type holds the words of the page it was first drafted from;
//! where this page words a field of one otherwise, the draft keeps the
//! page's words in `own_words` (always the page's, never a decision's), so
//! `drift` can compare the page with them.

mod checked;
mod draft_file;
mod errors;
mod event;
mod examples;
mod fit;
pub mod names;
pub mod promote;
mod schema_path;
pub mod shape;
mod types;

use std::collections::BTreeMap;
use std::path::Path;

use feishu_codegen::spec::{EndpointSpec, Examples, ObjectSpec, Source, TYPES_FILE, TypeSpec};

pub use draft_file::draft_text;
pub use event::{EventDraft, import_event};
pub use schema_path::{clash_place, place, schema_path};

use crate::page::{self, AnyPage, EventPage, Page};
use types::{Importer, Place};

/// A draft schema and the decisions left to the human.
#[derive(Debug)]
pub struct Draft {
    /// The schema, ready to write.
    pub spec: EndpointSpec,
    /// One line per open decision, in page order.
    pub open: Vec<String>,
}

/// What an import draws on besides the page.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// An existing schema whose decisions to keep, with its version's
    /// shared types among its own `types`.
    pub decisions: Option<&'a EndpointSpec>,
    /// The version's shared types, named instead of declared again.
    pub shared: Option<&'a BTreeMap<String, TypeSpec>>,
    /// Where the draft goes, ending `<resource>/<method>.json`: the names
    /// the generator will give the endpoint's own types come from it.
    pub out: Option<&'a Path>,
}

/// Builds the draft for `page`, taking human decisions from `decisions`.
pub fn import(page: &Page, decisions: Option<&EndpointSpec>) -> Draft {
    import_with(
        page,
        Context {
            decisions,
            ..Context::default()
        },
    )
}

/// Builds the draft for `page` in `cx`.
pub fn import_with(page: &Page, cx: Context) -> Draft {
    let decisions = cx.decisions;
    let no_types = BTreeMap::new();
    let prefix = prefix(page, &cx);
    let mut importer = Importer {
        decided: decisions.map_or(&no_types, |d| &d.types),
        shared: cx.shared.unwrap_or(&no_types),
        reserved: names::reserved(&prefix),
        types: BTreeMap::new(),
        open: Vec::new(),
    };
    let place = |at: &str, response: bool| Place {
        at: at.to_owned(),
        response,
        owner: prefix.clone(),
        enforce: !response,
    };
    let empty = ObjectSpec::default();
    let decided =
        |pick: fn(&EndpointSpec) -> Option<&ObjectSpec>| decisions.and_then(pick).unwrap_or(&empty);
    let decided_path = ObjectSpec {
        fields: decisions.map_or_else(Vec::new, |d| d.path_params.clone()),
        ..ObjectSpec::default()
    };
    let mut path_params = importer
        .object(&place("path", false), &page.path_params, &decided_path)
        .fields;
    // A path parameter is a segment of the path: always there, and text.
    for p in &mut path_params {
        p.required = true;
    }
    let query = importer.object(
        &place("query", false),
        &page.query,
        decided(|d| d.query.as_ref()),
    );
    let body = importer.object(
        &place("body", false),
        &page.body,
        decided(|d| d.body.as_ref()),
    );
    let response = importer.object(
        &place("response", true),
        &page.response,
        decided(|d| Some(&d.response)),
    );

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
        notes: decisions.map_or_else(|| page_notes(page), |d| d.notes.clone()),
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
        binary_response: page.binary_response,
        types: importer.types,
        errors: errors::errors(&page.errors, decisions),
        examples: (page.request_example.is_some() || page.response_example.is_some()).then(|| {
            Examples {
                request_body: page.request_example.clone(),
                response: page.response_example.clone(),
            }
        }),
        own_words: Vec::new(),
    };
    // A shared type holds one page's words; this page keeps its own where
    // they differ, for drift to compare the page with.
    if let Some(shared) = cx.shared.filter(|s| !s.is_empty()) {
        let own = import(page, None).spec;
        spec.own_words = crate::drift::own_words(page, &spec, &own, shared);
    }
    let mut open = importer.open;
    examples::reconcile(&mut spec);
    open.extend(fit::endpoint(&mut spec, cx.shared.unwrap_or(&no_types)));
    if spec.meta_schema.is_none() {
        spec.meta_schema = Some("../../../endpoint.schema.json".into());
    }
    Draft { spec, open }
}

/// The endpoint's type prefix, as the generator will derive it: the
/// decisions file's, else from where the draft goes, else from the API's
/// official name, else from the page's address (`.../chat/create`).
fn prefix(page: &Page, cx: &Context) -> String {
    if let Some(prefix) = cx.decisions.and_then(|d| d.type_prefix.clone()) {
        return prefix;
    }
    let from_out = cx.out.and_then(|out| {
        let method = out.file_stem()?.to_str()?;
        let resource = out.parent()?.file_name()?.to_str()?;
        Some((resource.to_owned(), method.to_owned()))
    });
    let from_api = || {
        let api = page.api.as_ref()?;
        Some((api.resource.clone(), api.method.clone()))
    };
    let from_url = || {
        let mut segments = page.source_url.trim_end_matches('/').rsplit('/');
        let method = segments.next()?.to_owned();
        Some((segments.next()?.to_owned(), method))
    };
    match from_out.or_else(from_api).or_else(from_url) {
        Some((resource, method)) => schema_path::type_prefix(&resource, &method),
        None => "Endpoint".into(),
    }
}

/// The page's notes, then its request headers other than Authorization,
/// which the format has no other place for.
fn page_notes(page: &Page) -> Vec<String> {
    let headers = page.headers.iter().map(|h| {
        let required = if h.required { "（必填）" } else { "" };
        format!("请求头 `{}`{required}：{}", h.name, h.description)
    });
    page.notes.iter().cloned().chain(headers).collect()
}

/// Reads `page`, imports it (with decisions from `decisions`, and the
/// version's shared types from `types`, else from the `types.json` of the
/// version `out` or `decisions` is in) and writes the draft to `out`
/// atomically. Refuses to replace `out` unless `force`. Returns the open
/// decisions: the page's misfits (statements it contradicts itself on,
/// left out), then the draft's. On any error nothing is written.
pub fn run(
    page: &Path,
    out: &Path,
    decisions: Option<&Path>,
    types: Option<&Path>,
    force: bool,
) -> Result<Vec<String>, String> {
    refuse_to_replace(out, force)?;
    let file = page.display().to_string();
    let page = page::read_any(page).map_err(|e| e.to_string())?;
    let from = types.map_or(SharedFrom::Version, SharedFrom::File);
    let (text, open) = prepare_any(&page, &file, out, decisions, from)?;
    crate::files::write_atomic(out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(open)
}

/// An error unless `out` may be written: it does not exist, or `force`.
pub fn refuse_to_replace(out: &Path, force: bool) -> Result<(), String> {
    if out.exists() && !force {
        return Err(format!(
            "{} exists: pass --force to replace it",
            out.display()
        ));
    }
    Ok(())
}

/// [`prepare`] or [`prepare_event`], for the kind of page `page` is.
pub fn prepare_any(
    page: &AnyPage,
    file: &str,
    out: &Path,
    decisions: Option<&Path>,
    types: SharedFrom,
) -> Result<(String, Vec<String>), String> {
    match page {
        AnyPage::Endpoint(page) => prepare(page, file, out, decisions, types),
        AnyPage::Event(page) => prepare_event(page, file, out, decisions, types),
    }
}

/// The draft of the event page `page` as `run` would write it to `out`, and
/// its open decisions; writes nothing.
pub fn prepare_event(
    page: &EventPage,
    file: &str,
    out: &Path,
    decisions: Option<&Path>,
    types: SharedFrom,
) -> Result<(String, Vec<String>), String> {
    let (decisions, beside_decisions) = match decisions {
        Some(path) => {
            let name = path.display().to_string();
            let (spec, shared) = crate::schema_file::read_event(path, &name)?;
            (Some(spec), Some(shared))
        }
        None => (None, None),
    };
    // An event file sits one folder deeper than an endpoint's.
    let shared = shared_types(types, out.parent().unwrap_or(out), beside_decisions)?;
    let draft = import_event(page, decisions.as_ref(), &shared);
    let mut open = page.misfits(file);
    open.extend(draft.open);
    let (text, misfits) =
        checked::leave_out_misfits(&draft_text(&draft.spec), checked::Kind::Event, &shared);
    open.extend(misfits);
    Ok((text, open))
}

/// The draft of `page` (read from `file`) as `run` would write it to
/// `out`, and its open decisions; writes nothing.
pub fn prepare(
    page: &Page,
    file: &str,
    out: &Path,
    decisions: Option<&Path>,
    types: SharedFrom,
) -> Result<(String, Vec<String>), String> {
    let (decisions, beside_decisions) = match decisions {
        // The version's shared types decide names as the file's own do.
        Some(path) => {
            let (spec, shared) =
                crate::schema_file::read_with_shared(path, &path.display().to_string())?;
            (Some(spec), Some(shared))
        }
        None => (None, None),
    };
    let shared = shared_types(types, out, beside_decisions)?;
    let mut draft = import_with(
        page,
        Context {
            decisions: decisions.as_ref(),
            shared: Some(&shared),
            out: Some(out),
        },
    );
    // The draft names the shared types instead of declaring them again.
    draft
        .spec
        .types
        .retain(|name, _| !shared.contains_key(name));
    if decisions.is_none()
        && let Some(meta) = draft_file::meta_schema_from(out)
    {
        draft.spec.meta_schema = Some(meta);
    }
    // What the page contradicts itself on was left out: a human says what
    // it should be.
    let mut open = page.misfits(file);
    open.extend(draft.open);
    let (text, misfits) =
        checked::leave_out_misfits(&draft_text(&draft.spec), checked::Kind::Endpoint, &shared);
    open.extend(misfits);
    Ok((text, open))
}

/// Where a draft's version's shared types come from.
#[derive(Clone, Copy, Debug)]
pub enum SharedFrom<'a> {
    /// A types file given (`--types`).
    File(&'a Path),
    /// The `types.json` of the version the draft goes to, else the one
    /// beside the decisions file, else none.
    Version,
    /// None: a folder import's first pass, which finds them.
    Nothing,
}

/// The shared types `from` names for an endpoint draft at `out` (an
/// event's is passed one folder up); `beside_decisions`, those of the
/// decisions file's version.
fn shared_types(
    from: SharedFrom,
    out: &Path,
    beside_decisions: Option<BTreeMap<String, TypeSpec>>,
) -> Result<BTreeMap<String, TypeSpec>, String> {
    match from {
        SharedFrom::File(path) => read_types(path),
        SharedFrom::Version => Ok(match version_types(out)? {
            Some(types) => types,
            None => beside_decisions.unwrap_or_default(),
        }),
        SharedFrom::Nothing => Ok(BTreeMap::new()),
    }
}

/// The shared types of the version a draft at `out` belongs to
/// (`<version>/<resource>/<method>.json`), if that version has any.
fn version_types(out: &Path) -> Result<Option<BTreeMap<String, TypeSpec>>, String> {
    let version = out.parent().and_then(Path::parent);
    // `create.json` and `chat/create.json` are in no version folder.
    let Some(path) = version
        .filter(|v| !v.as_os_str().is_empty())
        .map(|v| v.join(TYPES_FILE))
    else {
        return Ok(None);
    };
    if !path.is_file() {
        return Ok(None);
    }
    read_types(&path).map(Some)
}

fn read_types(path: &Path) -> Result<BTreeMap<String, TypeSpec>, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!("{name}: {e}: pass --types the version's types.json, or leave it out")
    })?;
    let types = feishu_codegen::parse_types(&name, &text).map_err(|p| p.to_string())?;
    Ok(types.types)
}
