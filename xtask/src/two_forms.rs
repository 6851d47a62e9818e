//! `two-forms`: a page that exists in both forms (doc source and rendered)
//! must import into the same schema. The forms are paired by address: the
//! source form's front matter `source` is the rendered form's `source_url`
//! (the older `fullPath` names the page's earlier address, which the
//! rendered form does not keep). Each pair is imported as `import-doc`
//! would, to the place the source page's schema goes, and the two drafts
//! are compared as JSON; each difference is reported at its JSON pointer.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::batch::page_files;
use crate::import;
use crate::page::{self, AnyPage};

/// The two files of one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The page's address, the same in both.
    pub url: String,
    /// The doc-source form.
    pub source: PathBuf,
    /// The rendered form.
    pub rendered: PathBuf,
}

/// One difference between the two drafts of a pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// JSON pointer into the draft (`/response/fields/2/type`); an index is
    /// the source draft's, or the rendered one's where only it has the item.
    pub pointer: String,
    /// The source draft's value there, as compact JSON; `None` when it has
    /// none.
    pub source: Option<String>,
    /// The rendered draft's value there.
    pub rendered: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Two texts are shown from a little before where they part.
        let from = match (&self.source, &self.rendered) {
            (Some(a), Some(b)) => a
                .chars()
                .zip(b.chars())
                .position(|(x, y)| x != y)
                .map_or(0, |i| i.saturating_sub(40)),
            _ => 0,
        };
        let shown = |v: &Option<String>| match v {
            Some(v) if from > 0 => {
                format!("…{}", shorten(&v.chars().skip(from).collect::<String>()))
            }
            Some(v) => shorten(v),
            None => "(none)".to_owned(),
        };
        write!(
            f,
            "{}: source {} / rendered {}",
            self.pointer,
            shown(&self.source),
            shown(&self.rendered)
        )
    }
}

/// What comparing one pair came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Both import into the same schema.
    Agree,
    /// Both import, into different schemas.
    Differ(Vec<Difference>),
    /// Both describe no endpoint or event (a guide, an overview).
    Skipped,
    /// The crawl holds the doc site's error in place of the source form
    /// (`无法从飞书开放平台获取该文档内容`): there is one form to read.
    Unfetched,
    /// One form (or both) could not be read or imported, or they read as
    /// different kinds of page; why.
    Failed(String),
}

/// The pairs of the pages below `source` and `rendered`, by address, in
/// the source folder's order; and the source pages with no rendered form.
pub fn pairs(source: &Path, rendered: &Path) -> Result<(Vec<Pair>, Vec<PathBuf>), String> {
    let mut by_url: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in page_files(rendered)? {
        if let Some(url) = front_value(&file, "source_url") {
            by_url.entry(url).or_insert(file);
        }
    }
    let mut found = Vec::new();
    let mut alone = Vec::new();
    for file in page_files(source)? {
        match front_value(&file, "source").and_then(|url| Some((by_url.get(&url)?, url))) {
            Some((rendered, url)) => found.push(Pair {
                url,
                source: file,
                rendered: rendered.clone(),
            }),
            None => alone.push(file),
        }
    }
    Ok((found, alone))
}

/// The value of `key` in a page file's front matter (either form).
fn front_value(file: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let mut lines = text.lines();
    let close = match lines.next()?.trim_start_matches('\u{feff}').trim() {
        "<!--" => "-->",
        "---" => "---",
        _ => return None,
    };
    lines
        .take_while(|l| l.trim() != close)
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().trim_matches('"').to_owned())
}

/// What the crawl wrote where the doc site answered with an error.
const UNFETCHED: &str = "无法从飞书开放平台获取该文档内容";

/// Imports both forms of `pair` and compares the drafts.
pub fn compare(pair: &Pair) -> Outcome {
    let read = |file: &Path| page::read_any(file);
    let (source, rendered) = match (read(&pair.source), read(&pair.rendered)) {
        (Ok(s), Ok(r)) => (s, r),
        // The error page reads as no page; only then is the file read again.
        (Err(_), _)
            if std::fs::read_to_string(&pair.source).is_ok_and(|t| t.contains(UNFETCHED)) =>
        {
            return Outcome::Unfetched;
        }
        (Err(s), Err(r)) if s.describes_no_endpoint() && r.describes_no_endpoint() => {
            return Outcome::Skipped;
        }
        (Err(e), _) | (_, Err(e)) => return Outcome::Failed(e.to_string()),
    };
    let kind = |p: &AnyPage| match p {
        AnyPage::Endpoint(_) => "an endpoint",
        AnyPage::Event(_) => "an event",
    };
    if kind(&source) != kind(&rendered) {
        return Outcome::Failed(format!(
            "{} reads as {}, {} as {}",
            pair.source.display(),
            kind(&source),
            pair.rendered.display(),
            kind(&rendered)
        ));
    }
    // Both drafts go where the source page's would, so their type names
    // come from the same place; no folder of shared types is there. A page
    // with no place of its own (a 1.0 event, an address outside
    // `/open-apis/<project>/v<N>`) takes a stand-in one, the same for both.
    let rel = import::place(&source, &pair.source)
        .unwrap_or_else(|| PathBuf::from("unplaced/v1/page/page.json"));
    let out = Path::new("two-forms").join(rel);
    let draft = |page: &AnyPage, file: &Path| -> Result<Value, String> {
        let shown = file.display().to_string();
        let (text, _) = import::prepare_any(page, &shown, &out, None, import::SharedFrom::Version)?;
        serde_json::from_str(&text).map_err(|e| format!("{shown}: the draft is no JSON: {e}"))
    };
    match (
        draft(&source, &pair.source),
        draft(&rendered, &pair.rendered),
    ) {
        (Ok(s), Ok(r)) => {
            let found = differences(&s, &r);
            if found.is_empty() {
                Outcome::Agree
            } else {
                Outcome::Differ(found)
            }
        }
        (Err(e), _) | (_, Err(e)) => Outcome::Failed(e),
    }
}

/// Every difference of two JSON values, at its pointer. Lists whose items
/// all have a `name` are matched by name, so one field missing is one
/// difference, not one per field after it.
pub fn differences(source: &Value, rendered: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("", Some(source), Some(rendered), &mut out);
    out
}

fn walk(at: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Difference>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            for (key, value) in x {
                walk(&pointer(at, key), Some(value), y.get(key), out);
            }
            for (key, value) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                walk(&pointer(at, key), None, Some(value), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => match (names(x), names(y)) {
            (Some(xn), Some(yn)) => {
                for (i, name) in xn.iter().enumerate() {
                    let other = yn.iter().position(|n| n == name).map(|j| &y[j]);
                    walk(&pointer(at, &i.to_string()), Some(&x[i]), other, out);
                }
                for (j, name) in yn.iter().enumerate() {
                    if !xn.contains(name) {
                        walk(&pointer(at, &j.to_string()), None, Some(&y[j]), out);
                    }
                }
            }
            // A list of text (notes) differs as a whole: one item more
            // shifts all after it.
            _ if !x.iter().chain(y).any(|v| v.is_object() || v.is_array()) => {
                if x != y {
                    out.push(Difference {
                        pointer: at.to_owned(),
                        source: a.map(Value::to_string),
                        rendered: b.map(Value::to_string),
                    });
                }
            }
            _ => {
                for i in 0..x.len().max(y.len()) {
                    walk(&pointer(at, &i.to_string()), x.get(i), y.get(i), out);
                }
            }
        },
        (x, y) if x == y => {}
        (x, y) => out.push(Difference {
            pointer: if at.is_empty() {
                "/".into()
            } else {
                at.to_owned()
            },
            source: x.map(Value::to_string),
            rendered: y.map(Value::to_string),
        }),
    }
}

/// The `name` of every item, if every item is an object with one and no
/// two share it.
fn names(items: &[Value]) -> Option<Vec<&str>> {
    let found: Vec<&str> = items
        .iter()
        .map(|i| i.get("name")?.as_str())
        .collect::<Option<_>>()?;
    let mut sorted = found.clone();
    sorted.sort_unstable();
    sorted.dedup();
    (sorted.len() == found.len()).then_some(found)
}

/// `at` and one more reference token, escaped as RFC 6901 says.
fn pointer(at: &str, token: &str) -> String {
    format!("{at}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// A value's JSON cut to a readable length.
fn shorten(text: &str) -> String {
    const MAX: usize = 160;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The report of a run: one line per difference (and per pair that could
/// not be compared), then a tally; and whether any pair differs or failed.
pub fn run(source: &Path, rendered: &Path) -> Result<(Vec<String>, String, bool, bool), String> {
    let (found, alone) = pairs(source, rendered)?;
    let mut lines = Vec::new();
    let (mut agree, mut differ, mut skipped, mut unfetched, mut failed) = (0, 0, 0, 0, 0);
    for pair in &found {
        match compare(pair) {
            Outcome::Agree => agree += 1,
            Outcome::Skipped => skipped += 1,
            Outcome::Unfetched => unfetched += 1,
            Outcome::Differ(list) => {
                differ += 1;
                for d in list {
                    lines.push(format!(
                        "{} | {}: {d}",
                        pair.source.display(),
                        pair.rendered.display()
                    ));
                }
            }
            Outcome::Failed(why) => {
                failed += 1;
                lines.push(format!("error: {why}"));
            }
        }
    }
    let tally = format!(
        "{} pairs: {agree} agree, {differ} differ, {skipped} skipped (no endpoint or event), {unfetched} with no source form (the doc site's error), {failed} failed; {} source pages have no rendered form",
        found.len(),
        alone.len()
    );
    Ok((lines, tally, differ > 0, failed > 0))
}
