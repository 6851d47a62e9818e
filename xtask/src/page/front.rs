//! The two forms a doc page comes in and their front matter: the doc-source
//! form opens with an HTML comment (`title`, `id`, `fullPath`, `updatedAt`,
//! `source`), the rendered form with YAML (`title`, `source_url`,
//! `last_remote_update`, `last_remote_update_timestamp`). Past the front
//! matter one reader serves both; what differs is how a table cell breaks
//! a line, which [`Form`] says.

use super::sections::Line;
use super::{ErrorKind, PageError};

/// The doc site's own links, written as the rendered form writes them so
/// both forms give the same text.
const SITE_LINK: &str = "/ssl:ttdoc";
const DOC_LINK: &str = "https://open.feishu.cn/document";

/// Which form a page is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// `<!--` front matter, `:::html` tables, older pages' pipe tables with
    /// `<br>` line breaks in cells.
    Source,
    /// `---` front matter, pipe tables whose cells run over several lines
    /// where a line ends in two spaces.
    Rendered,
}

/// A page's lines (in the source form, links rewritten) and front matter.
pub(super) struct Front {
    pub form: Form,
    owned: Vec<String>,
    /// Index of the first line after the front matter.
    start: usize,
    pub title: String,
    pub source_url: String,
    /// The day of the last update, `YYYY-MM-DD`.
    pub last_remote_update: String,
    /// The last update, in milliseconds.
    pub updated_at: Option<u64>,
}

impl Front {
    /// Reads the front matter of a page in either form, picked by its first
    /// line. A file in neither form is [`ErrorKind::NoEndpoint`].
    pub(super) fn read(file: &str, text: &str) -> Result<Self, PageError> {
        let no_page = |message: String| PageError {
            kind: ErrorKind::NoEndpoint,
            ..PageError::broken(file, 1, message)
        };
        // A byte-order mark from an editor is no part of the first line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (form, close) = match text.lines().next().map(str::trim) {
            Some("<!--") => (Form::Source, "-->"),
            Some("---") => (Form::Rendered, "---"),
            _ => return Err(no_page(
                "not a Feishu doc page: it starts with neither `<!--` (doc source) nor `---` (rendered) front matter".into(),
            )),
        };
        let owned: Vec<String> = match form {
            Form::Source => {
                let mut lines: Vec<String> = Vec::new();
                for line in text.lines() {
                    // A link whose target the page starts on the next line.
                    let target_next = lines.last().is_some_and(|l| l.ends_with("]("));
                    lines.push(match target_next {
                        true => rewrite(&format!("]({line}"))[2..].to_owned(),
                        false => rewrite(line),
                    });
                }
                lines
            }
            Form::Rendered => text.lines().map(str::to_owned).collect(),
        };
        let end = owned
            .iter()
            .skip(1)
            .position(|l| l.trim() == close)
            .map(|i| i + 1)
            .ok_or_else(|| {
                no_page(format!(
                    "not a Feishu doc page: its front matter is never closed by `{close}`"
                ))
            })?;
        let front = |key: &str| {
            owned[1..end].iter().find_map(|l| {
                let value = l.strip_prefix(key)?.strip_prefix(':')?.trim();
                // YAML quotes a value; the HTML comment does not.
                Some(match form {
                    Form::Rendered => value.trim_matches('"').trim().to_owned(),
                    Form::Source => value.to_owned(),
                })
            })
        };
        let missing = |key: &str| {
            no_page(format!(
                "not a Feishu doc page: the front matter has no `{key}`"
            ))
        };
        let (url_key, time_key) = match form {
            Form::Source => ("source", "updatedAt"),
            Form::Rendered => ("source_url", "last_remote_update_timestamp"),
        };
        let updated_at = front(time_key).and_then(|ms| ms.parse::<u64>().ok());
        let last_remote_update = match form {
            Form::Source => updated_at.map_or_else(String::new, china_date),
            // As the page states it, though a few pages state the UTC day
            // of their timestamp where the doc source gives the China one.
            Form::Rendered => {
                front("last_remote_update").ok_or_else(|| missing("last_remote_update"))?
            }
        };
        Ok(Front {
            form,
            title: front("title").ok_or_else(|| missing("title"))?,
            source_url: front(url_key).ok_or_else(|| missing(url_key))?,
            last_remote_update,
            updated_at,
            owned,
            start: end + 1,
        })
    }

    /// The lines after the front matter, numbered from 1 in the file.
    pub(super) fn body(&self) -> Vec<Line<'_>> {
        self.owned
            .iter()
            .enumerate()
            .skip(self.start)
            .map(|(i, l)| (i + 1, l.as_str()))
            .collect()
    }
}

/// A source line as the rendered form writes it: the doc site's links in
/// full, bold `<b>` as `**`, no `<font>` colour, and the
/// `{尝试一下}(url=…)` API-explorer link dropped.
fn rewrite(line: &str) -> String {
    let mut line = full_links(line)
        .replace("<b>", "**")
        .replace("</b>", "**")
        .replace("</font>", "");
    while let Some(start) = line.find("<font")
        && let Some(end) = line[start..].find('>').map(|e| start + e)
    {
        line.replace_range(start..=end, "");
    }
    while let Some(start) = line.find('{')
        && let Some(mid) = line[start..].find("}(url=").map(|m| start + m)
        && let Some(end) = line[mid..].find(')').map(|e| mid + e)
    {
        line.replace_range(start..=end, "");
    }
    line
}

/// Every link target written in full, as the rendered form writes it: the
/// doc site's own (`/ssl:ttdoc/…`) and one with no scheme
/// (`//sf3-cn.feishucdn.com/…`), also where the target starts after a space
/// or a tab.
fn full_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let (before, target) = rest.split_at(at + 2);
        out.push_str(before);
        let blank = target.len() - target.trim_start_matches([' ', '\t']).len();
        out.push_str(&target[..blank]);
        let target = &target[blank..];
        rest = if let Some(path) = target.strip_prefix(SITE_LINK) {
            out.push_str(DOC_LINK);
            path
        } else if let Some(path) = target.strip_prefix("//") {
            out.push_str("https://");
            path
        } else {
            target
        };
    }
    out.push_str(rest);
    out
}

/// The day of a millisecond instant in China time (UTC+8), `YYYY-MM-DD`.
fn china_date(ms: u64) -> String {
    let days = (ms / 1000 + 8 * 3600) / 86_400;
    // Civil date from days since 1970-01-01, counting in 400-year eras that
    // start on 1 March so the leap day falls at the end of a year.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
