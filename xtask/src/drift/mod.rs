//! `cargo xtask drift <page.md> [schema.json]`: what a maintainer must change
//! in a schema because its doc page changed, one line per difference, in the
//! page's order. An event page is compared by the `event` module's simpler
//! rule (import again with the schema's decisions, diff by JSON path); the
//! rest of this doc is about endpoint pages.
//!
//! # Report lines
//!
//! `<class>: <where>: <what>`, e.g.
//! `shape: body.i18n_names.ko_kr: field added (string)`. `<where>` is the
//! item's exact path: fields under their real parent, named types followed
//! through, array items as `[]` (`body.chat_tabs[].tab_content.url`),
//! example JSON as `request_example.i18n_names.ja_jp` or
//! `response_example.data.items[0]`, errors as `errors.232021`. The classes:
//!
//! - `shape`: what the generated client is built from: method, path, token
//!   and app types, scopes, field scopes, rate limit, headers, fields
//!   (added, removed, type, required, default, limits), enum values, error
//!   codes and their HTTP status, and an example value an enum field does
//!   not list.
//! - `example`: a field's example value, the request and response example.
//! - `wording`: the title, summary, notes, descriptions of fields and
//!   scopes, the meaning of each enum value, error messages and advice.
//!   Compared by their words only (see the `wording` module): layout and punctuation the
//!   schema chose are not wording.
//! - `source`: the page's address and when it was last updated
//!   (`updated_at` in ms when both sides have it, else the day).
//!
//! `cargo xtask drift --ignore wording,example,source` fails only on shape;
//! ignored lines are still printed, marked `(ignored)`.
//!
//! # As import would write it
//!
//! Each item is compared the way `import-doc` would have written it from
//! the page: the page is imported (without decisions) and drift takes from
//! that import what import derives rather than copies: notes (the page's,
//! then one per request header), path parameters (always required), enum
//! values (trimmed, each listed once) with their meanings, and descriptions
//! (with the value bounds the format does not enforce). So a schema just
//! imported from a page has no drift against it. Headers are also checked
//! as shape: the schema implies `Content-Type: application/json` by having
//! a body and can state no other header.
//!
//! # Not compared
//!
//! Decisions a human makes on top of the page: type, variant and error
//! names (`rust_name`, `name`, `type_prefix`, the page's API name),
//! descriptions of named types and of the query and body objects,
//! `recommended_max_length`, `rules`, `aliases`, `idempotency_key`,
//! `rate_limited`, a field scope's `when`. Enum values are compared by
//! meaning: a field's `value_descriptions` entry stands in for the shared
//! enum's wording, so a schema that words a value once for all fields and
//! overrides it for one agrees with the page. A boolean or number the page
//! lists values for has no enum in the schema; the schema may fold those
//! meanings into the description, which must then begin with the page's
//! description (and the meanings are not compared). A named object type
//! used again (the response repeating a body type) is compared for fields
//! added, removed and retyped, and values added or removed, only: the
//! schema takes the rest from its first use, as `import-doc` does. Value
//! limits (`minimum`, `maximum`, `pattern`) are compared as import writes
//! them: one on a response field, or a pattern the runtime cannot match,
//! lives in the description. The date is what the reader reads: the front
//! matter (rendered form) or `updatedAt` (doc source), not the page's
//! `最后更新于` line.
//!
//! # Shared types
//!
//! A version's shared type (`types.json`) holds the words and examples of
//! the page it was first drafted from. At its first use on any page, each
//! of its fields is compared with the page's own words that the schema
//! keeps in `own_words` under the field's path, where the page words it
//! otherwise, else with the type's. `import-doc` writes `own_words` where
//! this comparison would find the type's words different (see
//! `fields::own_words`), so a schema just imported has no drift, and a
//! change of a page's own words is reported at its path. Own words that
//! no field uses are a `wording` line: a re-import drops them.

mod event;
mod examples;
mod fields;
mod head;
mod wording;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use feishu_codegen::spec::EndpointSpec;

pub use event::compare_event;
pub(crate) use fields::{event_own_words, own_words};

use crate::page::{AnyPage, ApiName, Page};

/// What kind of change a report line is; see the module doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Class {
    /// What the generated client is built from.
    Shape,
    /// Example values.
    Example,
    /// Text: descriptions, messages, notes.
    Wording,
    /// The page's address and date.
    Source,
}

impl Class {
    /// The class as report lines start with it.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Shape => "shape",
            Class::Example => "example",
            Class::Wording => "wording",
            Class::Source => "source",
        }
    }
}

/// One difference: `class: text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// What kind of change.
    pub class: Class,
    /// Where and what, e.g. `body.avatar: required false -> true`.
    pub text: String,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class.as_str(), self.text)
    }
}

/// Report lines as they are collected.
#[derive(Default)]
pub(crate) struct Report(Vec<Line>);

impl Report {
    pub(crate) fn push(&mut self, class: Class, text: String) {
        self.0.push(Line { class, text });
    }

    pub(crate) fn shape(&mut self, text: String) {
        self.push(Class::Shape, text);
    }

    /// Reports `at: what "old" -> "new"` when the words differ.
    pub(crate) fn wording(&mut self, at: &str, what: &str, ours: &str, theirs: &str) {
        if !wording::same(ours, theirs) {
            let what = if what.is_empty() {
                String::new()
            } else {
                format!("{what} ")
            };
            let change = wording::change(ours, theirs);
            self.push(Class::Wording, format!("{at}: {what}{change}"));
        }
    }
}

/// Every difference between `page` and `schema`, as report lines.
pub fn compare(page: &Page, schema: &EndpointSpec) -> Vec<Line> {
    let mut out = Report::default();
    // What `import-doc` writes for the page where it derives an item
    // rather than copying it (notes with the headers, path parameters
    // always required), so the two cannot disagree on it.
    let imported = crate::import::import(page, None).spec;
    head::compare(page, &imported, schema, &mut out);
    fields::compare(page, &imported, schema, &mut out);
    examples::compare(page, schema, &mut out);
    head::errors(page, schema, &mut out);
    out.0
}

/// Reads the page and its schema (`schema`, or the file under the
/// checkout's `schema/` whose `source.url` is the page's `source_url`;
/// `root` finds the checkout, only then) and compares them.
/// Returns the schema file's name and the report lines.
pub fn run(
    page: &Path,
    schema: Option<&Path>,
    root: impl FnOnce() -> Result<PathBuf, String>,
) -> Result<(String, Vec<Line>), String> {
    let page = crate::page::read_any(page).map_err(|e| e.to_string())?;
    let (path, name) = match schema {
        Some(path) => (path.to_owned(), path.display().to_string()),
        None => {
            let url = page.source_url();
            Schemas::of_checkout(&root()?)?
                .file_for(url, None)
                .ok_or_else(|| {
                    format!("no schema under schema/ has source.url {url}: name the schema file")
                })?
        }
    };
    Ok((name.clone(), compare_any(&page, &path, &name)?))
}

/// Compares a page of either kind with the schema file at `path`.
///
/// A schema that is, byte for byte, the draft `import-doc` writes from the
/// page today has no drift, whatever the comparison finds: what differs
/// then is what the draft leaves out on purpose (a value that does not fit
/// its type, a header the format cannot state), each an open `decide:`
/// line of the import, not a change of the page.
pub fn compare_any(page: &AnyPage, path: &Path, name: &str) -> Result<Vec<Line>, String> {
    let lines = match page {
        AnyPage::Endpoint(page) => compare(page, &read_schema(path, name)?.1),
        AnyPage::Event(page) => {
            let (spec, shared) = crate::schema_file::read_event(path, name)?;
            compare_event(page, &spec, &shared)
        }
    };
    // Drafting costs more than comparing: only when something differs.
    if !lines.is_empty() && is_the_draft(page, path, name) {
        return Ok(Vec::new());
    }
    Ok(lines)
}

/// Whether the schema file at `path` is what `import-doc` writes there
/// from `page` with no decisions.
fn is_the_draft(page: &AnyPage, path: &Path, name: &str) -> bool {
    let Ok((draft, _)) =
        crate::import::prepare_any(page, name, path, None, crate::import::SharedFrom::Version)
    else {
        return false;
    };
    std::fs::read_to_string(path).is_ok_and(|kept| kept == draft)
}

/// The schema file at `path` (called `name`) with its version's shared
/// types, and its name.
pub fn read_schema(path: &Path, name: &str) -> Result<(String, EndpointSpec), String> {
    let (spec, _) = crate::schema_file::read_with_shared(path, name)?;
    Ok((name.to_owned(), spec))
}

/// Where each page's schema is, looked up once for a run over many pages.
pub enum Schemas {
    /// The checkout's schemas by their `source.url`, as `cargo xtask
    /// codegen` loads them (file names relative to the checkout `root`).
    ByUrl {
        root: PathBuf,
        files: BTreeMap<String, String>,
    },
    /// A schema folder laid out by the path rule
    /// ([`crate::import::schema_path`]).
    ByApiName(PathBuf),
}

impl Schemas {
    /// The checkout's schemas under `root/schema`.
    pub fn of_checkout(root: &Path) -> Result<Self, String> {
        let api = feishu_codegen::load(root).map_err(|problems| {
            format!(
                "cannot look up schemas by source.url while schema/ has problems: fix them, or name the schema\n{problems}"
            )
        })?;
        Ok(Schemas::ByUrl {
            root: root.to_owned(),
            files: api
                .endpoints
                .iter()
                .map(|e| (e.source.url.clone(), e.source_file.clone()))
                .chain(
                    api.events
                        .iter()
                        .map(|e| (e.source.url.clone(), e.source_file.clone())),
                )
                .collect(),
        })
    }

    /// The schema file for the page at `source_url` with the official name
    /// `api`, if there is one, and its name in reports.
    pub fn file_for(&self, source_url: &str, api: Option<&ApiName>) -> Option<(PathBuf, String)> {
        match self {
            Schemas::ByUrl { root, files } => {
                let rel = files.get(source_url)?;
                Some((root.join(rel), rel.clone()))
            }
            Schemas::ByApiName(dir) => {
                let file = dir.join(crate::import::schema_path(api?));
                let name = file.display().to_string();
                file.is_file().then_some((file, name))
            }
        }
    }
}
