//! The `:::html` blocks of the doc-source form and the `md-table` /
//! `md-dt-table` tables in them, read just far enough to get rows and cells
//! with their page lines. The markup is the doc site's own and regular, so a
//! tag scanner does; anything it cannot match is an error at its line.

use super::sections::Line;

/// A `:::html` block: the lines between its markers.
pub(super) struct Block<'a> {
    /// Line of the `:::html` marker.
    pub line: usize,
    pub lines: Vec<Line<'a>>,
}

/// The `:::html` blocks among `lines`. A block left open (a page forgot
/// its `:::`) ends where the next `:::html` opens, or with `lines`.
pub(super) fn blocks<'a>(lines: &[Line<'a>]) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for &(n, l) in lines {
        match (l.trim(), open.as_mut()) {
            (":::", Some(_)) => blocks.extend(open.take()),
            (":::html", _) => {
                blocks.extend(open.take());
                open = Some(Block {
                    line: n,
                    lines: Vec::new(),
                });
            }
            (_, Some(block)) => block.lines.push((n, l)),
            (_, None) => {}
        }
    }
    blocks.extend(open);
    blocks
}

/// One cell: its inner text and the line it starts on.
#[derive(Clone)]
pub(super) struct Cell {
    pub line: usize,
    pub text: String,
}

/// One body row: `level` from `<md-dt-tr level="N">`.
#[derive(Clone)]
pub(super) struct Row {
    pub line: usize,
    pub level: Option<usize>,
    pub cells: Vec<Cell>,
}

/// The body rows of the table in a block, each checked to have as many
/// cells as the header has columns.
pub(super) fn table(block: &Block) -> Result<Vec<Row>, (usize, String)> {
    let text: String = block.lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let first = block.lines.first().map_or(block.line + 1, |(n, _)| *n);
    // Each cell asks for its line: counting from the top each time took
    // seconds on the pages with thousands of rows (docx blocks).
    let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_at = |offset: usize| first + breaks.partition_point(|&b| b < offset);
    let body = find_tag(&text, 0, &["md-tbody", "md-dt-tbody"])
        .ok_or_else(|| (block.line, "the html block holds no table body".to_owned()))?;
    let header = &text[..body.0];
    let columns = count_tags(header, &["md-th", "md-dt-th"]);
    let mut rows = Vec::new();
    let mut at = body.0;
    let rows_end = ["</md-tbody>", "</md-dt-tbody>"]
        .iter()
        .filter_map(|t| text[body.0..].find(t).map(|e| body.0 + e))
        .min()
        .unwrap_or(text.len());
    while let Some((start, name)) = find_tag(&text[..rows_end], at, &["md-tr", "md-dt-tr"]) {
        let close = format!("</{name}>");
        let open_end = text[start..rows_end]
            .find('>')
            .map(|e| start + e + 1)
            .ok_or_else(|| (line_at(start), format!("the <{name}> tag is never ended")))?;
        // A row left open ends where the next row or the body does, as a
        // browser reads it.
        let (end, next) = ended(&text[..rows_end], open_end, &close, &["md-tr", "md-dt-tr"]);
        let level = attribute(&text[start..open_end], "level")
            .map(|v| {
                v.parse::<usize>()
                    .map_err(|_| (line_at(start), format!("the level `{v}` is not a number")))
            })
            .transpose()?
            // A field row without a level is a top row.
            .or((name == "md-dt-tr").then_some(0));
        let cells = cells(&text, open_end, end, &line_at)?;
        if columns > 0 && cells.len() != columns {
            return Err((
                line_at(start),
                format!(
                    "broken table row: {} cells, the table has {columns} columns",
                    cells.len()
                ),
            ));
        }
        rows.push(Row {
            line: line_at(start),
            level,
            cells,
        });
        at = next;
    }
    Ok(rows)
}

/// Where the element whose opening tag ends at `from` ends in `text`: at
/// its `close` tag, else where the next `siblings` tag opens, else at the
/// end of `text`; and where reading goes on.
fn ended(text: &str, from: usize, close: &str, siblings: &[&str]) -> (usize, usize) {
    let closed = text[from..].find(close).map(|e| from + e);
    let next = find_tag(text, from, siblings).map(|(start, _)| start);
    match (closed, next) {
        (Some(c), Some(n)) if n < c => (n, n),
        (Some(c), _) => (c, c + close.len()),
        (None, Some(n)) => (n, n),
        (None, None) => (text.len(), text.len()),
    }
}

fn cells(
    text: &str,
    from: usize,
    to: usize,
    line_at: &dyn Fn(usize) -> usize,
) -> Result<Vec<Cell>, (usize, String)> {
    let mut cells = Vec::new();
    let mut at = from;
    while let Some((start, name)) = find_tag(&text[..to], at, &["md-td", "md-th", "md-dt-td"]) {
        let close = format!("</{name}>");
        let open_end = text[start..to]
            .find('>')
            .map(|e| start + e + 1)
            .ok_or_else(|| (line_at(start), format!("the <{name}> tag is never ended")))?;
        // A cell left open ends where the next cell or the row does.
        let (end, next) = ended(
            &text[..to],
            open_end,
            &close,
            &["md-td", "md-th", "md-dt-td"],
        );
        cells.push(Cell {
            line: line_at(start),
            text: text[open_end..end].to_owned(),
        });
        at = next;
    }
    // Text the page left after the last cell, before the row ends (a
    // `**示例值**` line below `</md-td>`), is the last cell's: the rendered
    // form shows it in the row too.
    let after = &text[at.min(to)..to];
    if !strip_markup(after).trim().is_empty()
        && let Some(last) = cells.last_mut()
    {
        last.text.push_str(after);
    }
    Ok(cells)
}

/// The first `<name` tag (one of `names`, not a longer name) at or after
/// `from`, and which name it was.
pub(super) fn find_tag<'n>(text: &str, from: usize, names: &[&'n str]) -> Option<(usize, &'n str)> {
    let mut at = from;
    while let Some(i) = text.get(at..)?.find('<') {
        let start = at + i;
        let rest = &text[start + 1..];
        for name in names {
            if let Some(after) = rest.strip_prefix(name)
                && after.starts_with(|c: char| c == '>' || c.is_whitespace())
            {
                return Some((start, name));
            }
        }
        at = start + 1;
    }
    None
}

fn count_tags(text: &str, names: &[&str]) -> usize {
    let mut count = 0;
    let mut at = 0;
    while let Some((start, _)) = find_tag(text, at, names) {
        count += 1;
        at = start + 1;
    }
    count
}

/// `name="value"` in a tag.
pub(super) fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut at = 0;
    while let Some(i) = tag.get(at..)?.find(name) {
        let start = at + i;
        let boundary = start == 0 || tag[..start].ends_with(char::is_whitespace);
        if let Some(rest) = tag[start + name.len()..].strip_prefix("=\"")
            && boundary
        {
            return rest.find('"').map(|end| &rest[..end]);
        }
        at = start + name.len();
    }
    None
}

/// Every `<name …>inner</name>` in `text`: the opening tag and the inner text.
pub(super) fn elements<'a>(text: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let close = format!("</{name}>");
    let mut found = Vec::new();
    let mut at = 0;
    while let Some((start, _)) = find_tag(text, at, &[name]) {
        let Some(open_end) = text[start..].find('>').map(|e| start + e + 1) else {
            break;
        };
        let Some(end) = text[open_end..].find(&close).map(|e| open_end + e) else {
            break;
        };
        found.push((&text[start..open_end], &text[open_end..end]));
        at = end + close.len();
    }
    found
}

/// A cell's text as the rendered form writes it, one entry per non-blank
/// page line: enum items become `- key：meaning`, a permission
/// `title(scope:key)`, other markup is dropped and its text kept.
pub(super) fn markdown(cell: &Cell) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    // `<br>` breaks a line where it stands (a break at a line's end is
    // the line's own).
    let broken: Vec<(usize, String)> = cell
        .text
        .lines()
        .enumerate()
        .flat_map(|(i, raw)| {
            // The rendered form writes `&nbsp;` as the space it is.
            let raw = raw
                .replace("&nbsp;", " ")
                .replace("<br/>", "<br>")
                .replace("<br />", "<br>")
                .replace("</br>", "<br>");
            let parts: Vec<String> = raw.split("<br>").map(str::to_owned).collect();
            parts.into_iter().map(move |part| (i, part))
        })
        .collect();
    // An alert in a cell is a `**注意事项**：` line in the rendered form.
    let mut alert = false;
    for (i, raw) in broken {
        let mut line = raw.trim().to_owned();
        alert |= line.starts_with("<md-alert");
        // An item whose text runs over several lines closes on a later
        // one; its first line is the item, as when it closes at once.
        let item = find_tag(&line, 0, &["md-enum-item"])
            .and_then(|(start, _)| Some((start, line[start..].find('>')? + start + 1)));
        if let Some((start, open_end)) = item {
            let key = attribute(&line[start..open_end], "key").unwrap_or("");
            let meaning = line[open_end..].replace("</md-enum-item>", "");
            line = format!("- {key}：{}", meaning.trim());
        }
        // An inline tag (`<md-tag type="token-tenant">tenant_access_token`)
        // is code in the rendered form.
        for (tag, text) in elements(&line.clone(), "md-tag") {
            let whole = format!("{tag}{text}</md-tag>");
            line = line.replace(&whole, &format!("`{}`", text.trim()));
        }
        for (tag, title) in elements(&line.clone(), "md-perm") {
            let name = attribute(tag, "name").unwrap_or("");
            let whole = format!("{tag}{title}</md-perm>");
            line = line.replace(&whole, &format!("{}({name})", title.trim()));
        }
        let line = strip_markup(&line);
        let line = line.trim();
        if !line.is_empty() {
            let label = if std::mem::take(&mut alert) {
                super::sections::ALERT
            } else {
                ""
            };
            lines.push((cell.line + i, format!("{label}{line}")));
        }
    }
    lines
}

/// The text without the doc site's tags (`<md-…>`, `</md-…>`, `<div …>`);
/// any other `<` is text.
pub(super) fn strip_markup(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag = &rest[i + 1..];
        let markup = ["md-", "/md-", "div", "/div", "tr>", "/tr>"]
            .iter()
            .any(|p| tag.starts_with(p));
        match (markup, tag.find('>')) {
            (true, Some(end)) => rest = &tag[end + 1..],
            _ => {
                out.push('<');
                rest = tag;
            }
        }
    }
    out.push_str(rest);
    out
}
