//! `import-doc` and `drift` over many pages at once: a folder stands for
//! every `.md` file below it. Each page gets one summary line; the run gets
//! one exit status, the worst of its pages'.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::drift::{self, Class, Schemas};
use crate::import;
use crate::page::{self, PageError};

/// The page files `path` names: itself, or every `.md` below the folder
/// (hidden files left out), sorted so runs and reports are repeatable.
pub fn page_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut rel = Vec::new();
    crate::files::list_files(path, path, &mut rel)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    rel.retain(|r| r.ends_with(".md"));
    rel.sort();
    if rel.is_empty() {
        return Err(format!("{}: no .md page below this folder", path.display()));
    }
    Ok(rel.iter().map(|r| path.join(r)).collect())
}

/// What one page of a run came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done; the summary line.
    Done(String),
    /// Done, but something needs a look (drift found, decisions open).
    Attention(String),
    /// Not an endpoint page (an event, a guide, an index): left alone.
    Skipped(String),
    /// The page or its schema could not be read; the reason.
    Failed(String),
    /// A version's shared types written by a folder import: not a page,
    /// so the tally leaves it out.
    SharedTypes(String),
}

impl Outcome {
    /// A read error as the outcome of its page: skipped when the file
    /// describes no endpoint and the run covers a folder (a folder mixes
    /// endpoint pages with others), failed otherwise.
    pub fn from_page_error(e: &PageError, in_folder: bool) -> Self {
        if in_folder && e.describes_no_endpoint() {
            Outcome::Skipped(format!("skipped {e}"))
        } else {
            Outcome::Failed(format!("error: {e}"))
        }
    }

    /// The line to print.
    pub fn line(&self) -> &str {
        match self {
            Outcome::Done(l)
            | Outcome::Attention(l)
            | Outcome::Skipped(l)
            | Outcome::Failed(l)
            | Outcome::SharedTypes(l) => l,
        }
    }
}

/// The run's tally line, e.g. `30 pages: 28 done, 2 need a look, 10 skipped, 0 failed`.
pub fn tally(outcomes: &[Outcome]) -> String {
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    format!(
        "{} pages: {} done, {} need a look, {} skipped, {} failed",
        outcomes.len() - count(|o| matches!(o, Outcome::SharedTypes(_))),
        count(|o| matches!(o, Outcome::Done(_))),
        count(|o| matches!(o, Outcome::Attention(_))),
        count(|o| matches!(o, Outcome::Skipped(_))),
        count(|o| matches!(o, Outcome::Failed(_))),
    )
}

/// The run's exit status: 2 when a page failed, 1 when one needs a look,
/// else 0.
pub fn status(outcomes: &[Outcome]) -> u8 {
    if outcomes.iter().any(|o| matches!(o, Outcome::Failed(_))) {
        2
    } else if outcomes.iter().any(|o| matches!(o, Outcome::Attention(_))) {
        1
    } else {
        0
    }
}

/// `drift` over every page below `folder`. Each page's schema comes from
/// `schemas` (a folder laid out by the path rule), else from the checkout
/// `root` finds, by `source.url`. An endpoint page no schema describes needs
/// a look (the doc site added an endpoint); pages that describe no endpoint
/// are skipped. Lines of an `ignore`d class are printed, marked, and do
/// not count.
pub fn drift(
    folder: &Path,
    schemas: Option<&Path>,
    ignore: &[Class],
    root: impl FnOnce() -> Result<PathBuf, String>,
) -> Result<Vec<Outcome>, String> {
    let files = page_files(folder)?;
    let lookup = match schemas {
        Some(dir) => Schemas::ByApiName(dir.to_owned()),
        None => Schemas::of_checkout(&root()?)?,
    };
    Ok(files
        .iter()
        .map(|file| drift_one(file, &lookup, ignore))
        .collect())
}

fn drift_one(file: &Path, schemas: &Schemas, ignore: &[Class]) -> Outcome {
    let shown = file.display();
    let page = match page::read_any(file) {
        Ok(page) => page,
        Err(e) => return Outcome::from_page_error(&e, true),
    };
    let Some((schema, name)) = schemas.file_for(page.source_url(), page.api()) else {
        return Outcome::Attention(format!(
            "{shown}: no schema describes this page yet: import it with `cargo xtask import-doc`"
        ));
    };
    let lines = match drift::compare_any(&page, &schema, &name) {
        Ok(lines) => lines,
        Err(e) => return Outcome::Failed(format!("error: {e}")),
    };
    if lines.is_empty() {
        return Outcome::Done(format!("no drift: {name} matches {shown}"));
    }
    let mut text = format!("{shown} against {name}:");
    let mut counted = false;
    for line in &lines {
        let ignored = ignore.contains(&line.class);
        counted |= !ignored;
        text.push_str(&format!(
            "\n  {}{line}",
            if ignored { "(ignored) " } else { "" }
        ));
    }
    if counted {
        Outcome::Attention(text)
    } else {
        Outcome::Done(text)
    }
}

/// `import-doc` over every page below `folder`: each endpoint or event
/// page's draft goes to `out` (a schema folder) at its place by the path
/// rule ([`import::place`]), taking decisions from the schema at the same
/// place under `decisions` where one exists. Pages that claim one place
/// are ranked by `claim_rank`, never by file order, so a folder of
/// pages re-imports to the places a crawl imported them to: the first
/// keeps the place, the others go beside it by the clash rule
/// ([`import::clash_place`]). Each page stands alone: one that fails
/// writes nothing and is reported, the others are written.
///
/// Shared types come in two passes. First every page is drafted with no
/// shared types, and the types several drafts of a version declare
/// identically are written to that version's `types.json`
/// ([`import::promote`]); then every page is drafted again as a page
/// imported alone would be, naming its version's shared types, so a
/// folder import and `import-doc` of one page agree, and `drift` finds
/// nothing on what was just imported. (`--types` stands for every
/// version's shared types in both passes.)
pub fn import(
    folder: &Path,
    out: &Path,
    decisions: Option<&Path>,
    types: Option<&Path>,
    force: bool,
) -> Result<Vec<Outcome>, String> {
    let files = page_files(folder)?;
    let read: Vec<Result<(page::AnyPage, PathBuf), Outcome>> =
        files.iter().map(|file| read_and_place(file)).collect();
    let places = settle_places(&read);
    let cx = DraftContext {
        out,
        decisions,
        force,
    };
    let draft_all = |from: import::SharedFrom| -> Vec<Result<Drafted, Outcome>> {
        files
            .iter()
            .zip(&read)
            .zip(&places)
            .map(|((file, read), place)| match (read, place) {
                (Ok((page, claimed)), Some((rel, first))) => {
                    let lost = first.map(|i| (claimed.clone(), files[i].clone()));
                    draft_one(file, page, rel.clone(), lost, &cx, from)
                        .map_err(|e| Outcome::Failed(format!("error: {e}")))
                }
                (Err(outcome), _) => Err(outcome.clone()),
                (Ok(_), None) => unreachable!("every placed page is settled"),
            })
            .collect()
    };
    let first = draft_all(types.map_or(import::SharedFrom::Nothing, import::SharedFrom::File));
    let values: Vec<(PathBuf, serde_json::Value)> = first
        .iter()
        .flatten()
        .map(|d| {
            let value = serde_json::from_str(&d.text).expect("a draft is JSON");
            (d.rel.clone(), value)
        })
        .collect();
    let may_write = |rel: &Path| force || !out.join(rel).exists();
    let (type_files, kept) = import::promote::promote(&values, may_write);
    let mut shared_lines = Vec::new();
    for (rel, contents) in type_files {
        let target = out.join(&rel);
        let count = contents["types"].as_object().map_or(0, |t| t.len());
        shared_lines.push(match write_text(&target, &import::draft_text(&contents)) {
            Ok(()) => Outcome::SharedTypes(format!(
                "wrote {} ({count} type(s) several drafts of the version declare alike)",
                target.display()
            )),
            Err(e) => Outcome::Failed(format!("error: {e}")),
        });
    }
    for rel in kept {
        shared_lines.push(Outcome::Attention(format!(
            "{} exists: pass --force to replace it with the types this folder's drafts share",
            out.join(rel).display()
        )));
    }
    let second = draft_all(types.map_or(import::SharedFrom::Version, import::SharedFrom::File));
    let mut outcomes: Vec<Outcome> = second
        .into_iter()
        .map(|d| match d {
            Ok(d) => write_draft(d, out),
            Err(outcome) => outcome,
        })
        .collect();
    outcomes.extend(shared_lines);
    Ok(outcomes)
}

/// A page read and the place the path rule gives it; a page that cannot
/// be read or placed is its outcome.
fn read_and_place(file: &Path) -> Result<(page::AnyPage, PathBuf), Outcome> {
    let shown = file.display().to_string();
    let page = page::read_any(file).map_err(|e| Outcome::from_page_error(&e, true))?;
    let Some(rel) = import::place(&page, file) else {
        let stated = match &page {
            page::AnyPage::Endpoint(p) => format!(
                "its address `{}` is not /open-apis/<project>/[v<N>/]<resource>...",
                p.path
            ),
            page::AnyPage::Event(p) => format!(
                "its event type `{}` names no project and version (a 1.0 type), nor does its doc address `{}`",
                p.event_type, p.source_url
            ),
        };
        return Err(Outcome::Failed(format!(
            "error: {shown}: no place for its schema: the page has no API explorer link, {stated}, and it sits in no <project>/<version> folder: import it alone with --out, or put it below a <project>/<version>/<resource>/ folder"
        )));
    };
    Ok((page, rel))
}

/// How a page's claim on a place ranks, lowest first: a place named by
/// the page's API explorer link before one its address or folders give;
/// then a current page before one below `historic-version/`; then by doc
/// address. None of it depends on where the page file sits.
fn claim_rank(page: &page::AnyPage) -> (bool, bool, &str) {
    let url = page.source_url();
    (
        page.api().is_none(),
        url.contains("/historic-version/"),
        url,
    )
}

/// The place of each placed page (`None` for the others), and for a page
/// that lost its place, the index of the page that kept it: claimants of
/// one place in [`claim_rank`] order, the first keeping it, each other
/// beside it by the clash rule, the places taken so far counted taken.
fn settle_places(
    read: &[Result<(page::AnyPage, PathBuf), Outcome>],
) -> Vec<Option<(PathBuf, Option<usize>)>> {
    let mut claims: BTreeMap<&Path, Vec<usize>> = BTreeMap::new();
    for (i, r) in read.iter().enumerate() {
        if let Ok((_, rel)) = r {
            claims.entry(rel.as_path()).or_default().push(i);
        }
    }
    let page = |i: usize| &read[i].as_ref().expect("claims hold placed pages").0;
    let mut taken: std::collections::BTreeSet<PathBuf> =
        claims.keys().map(|p| p.to_path_buf()).collect();
    let mut settled = vec![None; read.len()];
    for (rel, mut who) in claims {
        who.sort_by(|a, b| claim_rank(page(*a)).cmp(&claim_rank(page(*b))));
        let first = who[0];
        settled[first] = Some((rel.to_path_buf(), None));
        for &i in &who[1..] {
            let beside = import::clash_place(rel, page(i).source_url(), |p| taken.contains(p));
            taken.insert(beside.clone());
            settled[i] = Some((beside, Some(first)));
        }
    }
    settled
}

/// What every draft of a folder import is made with.
struct DraftContext<'a> {
    out: &'a Path,
    decisions: Option<&'a Path>,
    force: bool,
}

/// One page's draft, not yet written.
struct Drafted {
    /// The draft's place below `out`.
    rel: PathBuf,
    text: String,
    /// Its open decisions.
    open: Vec<String>,
    /// The place it claimed and the page that kept it, if it lost one.
    lost: Option<(PathBuf, PathBuf)>,
}

/// Drafts one page at `rel`; writes nothing.
fn draft_one(
    file: &Path,
    page: &page::AnyPage,
    rel: PathBuf,
    lost: Option<(PathBuf, PathBuf)>,
    cx: &DraftContext,
    from: import::SharedFrom,
) -> Result<Drafted, String> {
    let shown = file.display().to_string();
    let target = cx.out.join(&rel);
    import::refuse_to_replace(&target, cx.force)?;
    let decided = cx.decisions.map(|d| d.join(&rel)).filter(|d| d.is_file());
    let (text, open) = import::prepare_any(page, &shown, &target, decided.as_deref(), from)?;
    Ok(Drafted {
        rel,
        text,
        open,
        lost,
    })
}

fn write_text(target: &Path, text: &str) -> Result<(), String> {
    crate::files::write_atomic(target, text).map_err(|e| format!("{}: {e}", target.display()))
}

/// Writes a draft and says what was written.
fn write_draft(d: Drafted, out: &Path) -> Outcome {
    let target = out.join(&d.rel);
    if let Err(e) = write_text(&target, &d.text) {
        return Outcome::Failed(format!("error: {e}"));
    }
    let mut line = format!("wrote {}", target.display());
    if let Some((place, first)) = &d.lost {
        line.push_str(&format!(
            " (its place {} is {}'s)",
            out.join(place).display(),
            first.display()
        ));
    }
    if !d.open.is_empty() {
        line.push_str(&format!(" ({} open decision(s))", d.open.len()));
    }
    for decision in &d.open {
        line.push_str(&format!("\n  decide: {decision}"));
    }
    Outcome::Done(line)
}
