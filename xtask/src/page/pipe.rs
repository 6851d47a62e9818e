//! Pipe tables, as both forms write them. The rendered form writes every
//! table so, a cell running over several lines where a line ends in two
//! spaces; the older doc-source pages write their field and error tables
//! so too, a line break in a cell as `<br>`. A nested field's name is led
//! by one `∟` per level (after `&emsp;`s) where the page draws the nesting.
//! They are read into the rows an `:::html` table gives, so the rest of the
//! reader serves both.

use super::front::Form;
use super::html::{Cell, Row};
use super::sections::Line;

/// The header spellings of a field table's columns, in the order the
/// `md-dt-table` has them: name, type, required, description.
const NAME: &[&str] = &["参数", "名称", "属性名称", "参数名称", "字段", "字段名"];
const TYPE: &[&str] = &["类型", "参数类型", "数据类型", "字段类型", "格式"];
const REQUIRED: &[&str] = &["必须", "必填", "是否必填", "是否必须"];
const DESCRIPTION: &[&str] = &["说明", "描述", "字段说明"];

/// The first pipe table among `lines`, if there is one. A field table's
/// cells come as the `md-dt-table`'s (name, type, required when the page
/// has the column, description; an empty type when it has none), with the
/// level its `∟`s give, or no level at all when no row draws one (a flat
/// table, nested by its example); any other table's in page order. A row
/// with more cells than the header has a `|` the page did not escape, in
/// its last cell; one with fewer is an error at its line.
pub(super) fn table(lines: &[Line], form: Form) -> Result<Option<Vec<Row>>, (usize, String)> {
    // The outer pipes are optional (`参数 |类型| 说明`). A field table's
    // header may come without its separator line (a hire page): its rows
    // start on the next line.
    let separated = lines
        .windows(2)
        .position(|pair| pair[0].1.contains('|') && is_separator(pair[1].1));
    let Some((header, first_row)) = separated.map(|h| (h, h + 2)).or_else(|| {
        let h = lines.iter().position(|(_, l)| field_header(l))?;
        Some((h, h + 1))
    }) else {
        return Ok(None);
    };
    let header_line = lines[header].1.trim();
    let outer = outer_pipes(header_line);
    let columns = column_names(header_line, outer);
    let find = |names: &[&str]| columns.iter().position(|c| names.contains(&c.as_str()));
    let field_columns = match (find(NAME), find(DESCRIPTION)) {
        (Some(name), Some(description)) => Some((name, find(TYPE), find(REQUIRED), description)),
        _ => None,
    };
    let mut rows = Vec::new();
    let full = |text: &str| cells(text, outer, false).len() >= columns.len();
    for (line, text) in logical_lines(&lines[first_row..], form, full) {
        if !text.contains('|') {
            break;
        }
        // A pipe with no space on either side (`^0|[^od]`) in a row with
        // too many cells is text, if the row still has its cells without it.
        let mut split = cells(&text, outer, false);
        if split.len() > columns.len() {
            let fewer = cells(&text, outer, true);
            if fewer.len() >= columns.len() {
                split = fewer;
            }
        }
        let mut found: Vec<Cell> = split
            .into_iter()
            .map(|(offset, text)| Cell {
                line: line + offset,
                text,
            })
            .collect();
        if found.len() < columns.len() {
            return Err((
                line,
                format!(
                    "broken table row: {} cells, the table has {} columns; a cell runs over several lines only where each of its lines but the last ends in two spaces",
                    found.len(),
                    columns.len()
                ),
            ));
        }
        if found.len() > columns.len() && !columns.is_empty() {
            let surplus: Vec<Cell> = found.split_off(columns.len());
            let last = found.last_mut().expect("a header has a column");
            for cell in surplus {
                // A marked part (`**示例值**`) the page set off as a cell of
                // its own is the cell's next line.
                let between = if cell.text.starts_with("**") {
                    "\n"
                } else {
                    " | "
                };
                last.text.push_str(between);
                last.text.push_str(&cell.text);
            }
        }
        rows.push(Row {
            line,
            level: None,
            cells: found,
        });
    }
    let Some((name, ty, required, description)) = field_columns else {
        return Ok(Some(rows));
    };
    // Indentation is the page's drawing: a row goes at most one level
    // below the row above.
    let mut deepest = 0;
    let mut drawn = false;
    for row in &mut rows {
        let take = |i: usize, row: &mut Row| std::mem::take(&mut row.cells[i].text);
        let (level, bare) = nested_name(&row.cells[name].text);
        drawn |= level > 0;
        let level = level.min(deepest);
        deepest = level + 1;
        let at_line = |i: Option<usize>, row: &Row| i.map_or(row.line, |i| row.cells[i].line);
        let mut cells = vec![Cell {
            line: row.cells[name].line,
            text: bare,
        }];
        let type_line = at_line(ty, row);
        let type_text = ty
            .map(|i| take(i, row))
            .unwrap_or_default()
            .replace('`', "");
        cells.push(Cell {
            line: type_line,
            text: type_text,
        });
        if let Some(i) = required {
            cells.push(Cell {
                line: row.cells[i].line,
                text: take(i, row),
            });
        }
        cells.push(Cell {
            line: row.cells[description].line,
            text: take(description, row),
        });
        row.cells = cells;
        row.level = Some(level);
    }
    if !drawn {
        for row in &mut rows {
            row.level = None;
        }
    }
    Ok(Some(rows))
}

/// Whether a header line writes the outer pipes (`| a | b |`); an escaped
/// last pipe (`\\|`) is a cell's text.
fn outer_pipes(line: &str) -> bool {
    line.ends_with('|') && !line.ends_with("\\|")
}

/// The column names of a header line, as the page marks them up or not.
fn column_names(header_line: &str, outer: bool) -> Vec<String> {
    cells(header_line, outer, false)
        .iter()
        .map(|(_, c)| c.replace(['*', ' '], "").replace("&nbsp;", ""))
        .collect()
}

/// Whether `line` is a field table's header: a name column and a
/// description column.
fn field_header(line: &str) -> bool {
    let line = line.trim();
    if !line.contains('|') {
        return false;
    }
    let columns = column_names(line, outer_pipes(line));
    let has = |names: &[&str]| columns.iter().any(|c| names.contains(&c.as_str()));
    has(NAME) && has(DESCRIPTION)
}

/// The table's lines after its separator, each with its page line: in the
/// rendered form, a line ending in two spaces goes on on the next line
/// (joined by `\n`), unless both are `full` rows on their own (a cell's
/// last line may end in two spaces too; a list item or a marked line,
/// `- …` or `**…`, is never a row).
fn logical_lines(lines: &[Line], form: Form, full: impl Fn(&str) -> bool) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for &(n, l) in lines {
        match out.last_mut() {
            Some((_, text)) if open && !(full(text) && full(l) && !item(l)) => {
                text.push('\n');
                text.push_str(l);
            }
            _ => {
                if l.trim().is_empty() {
                    break;
                }
                out.push((n, l.to_owned()));
            }
        }
        open = form == Form::Rendered && l.ends_with("  ");
    }
    if form == Form::Source {
        return out;
    }
    // A rendered row's cell also goes on in a line with no `|` (an image
    // below the text) though the line before ends without spaces.
    let mut merged: Vec<(usize, String)> = Vec::new();
    for (n, text) in out {
        match merged.last_mut() {
            Some((_, last)) if !text.contains('|') => {
                last.push('\n');
                last.push_str(&text);
            }
            _ => merged.push((n, text)),
        }
    }
    merged
}

/// A line that goes on a cell: a list item or a marked part (`**示例值**`).
fn item(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("- ") || line.starts_with("**")
}

/// `|--|:---|` or `-- |--| --`: the line under a pipe table's header.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.contains('|') && line.contains('-') && line.chars().all(|c| "|-: ".contains(c))
}

/// A row's cells, trimmed, `<br>` as a line break, each with the number of
/// line breaks before it in `line`; `\|` is a `|` in a cell, and so is one
/// with no space beside it where `tight_is_text`. `outer`: the table closes
/// its rows with a `|` (as does a row that opens with one).
fn cells(line: &str, outer: bool, tight_is_text: bool) -> Vec<(usize, String)> {
    let line = line.trim();
    let led = line.starts_with('|');
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = match outer || led {
        true => line.strip_suffix('|').unwrap_or(line),
        false => line,
    };
    let mut cells = vec![(0, String::new())];
    let mut breaks = 0;
    let mut chars = line.chars().peekable();
    // A `|` in a link's target (`](…#tabs0|line)`) is part of the address.
    let mut in_target = false;
    let mut last = ' ';
    while let Some(c) = chars.next() {
        in_target = match c {
            '(' if last == ']' => true,
            ')' | '\n' => false,
            _ => in_target,
        };
        let tight = !last.is_whitespace() && chars.peek().is_some_and(|n| !n.is_whitespace());
        let text_pipe = in_target || tight_is_text && tight;
        last = c;
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cells.last_mut().expect("one cell at least").1.push('|');
            }
            '|' if !text_pipe => {
                cells.push((breaks, String::new()));
            }
            _ => {
                if c == '\n' {
                    breaks += 1;
                }
                cells.last_mut().expect("one cell at least").1.push(c);
            }
        }
    }
    cells
        .into_iter()
        .map(|(at, c)| {
            // A cell's own leading line break moves its start down.
            let lead = c.len() - c.trim_start().len();
            let at = at + c[..lead].matches('\n').count();
            let text = c
                .replace("<br/>", "\n")
                .replace("<br>", "\n")
                .replace("&nbsp;", " ")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            (at, text)
        })
        .collect()
}

/// `&emsp;&emsp;∟app_name` as level 2 and `app_name`: one level per
/// `&emsp;`, or per `∟` where a page writes only those (`∟∟∟vc_type`); the
/// name without its backticks, or the tags a page colours the `∟` with
/// (`<span style="color: #8F959E">∟</span>`).
pub(super) fn nested_name(cell: &str) -> (usize, String) {
    let spaces = cell.matches("&emsp;").count();
    let bare = cell
        .replace("&emsp;", "")
        .replace("&nbsp;", " ")
        .replace('`', "");
    let bare = without_tags(&bare);
    let bare = bare.trim();
    let name = bare.trim_start_matches('∟').trim();
    let marks = bare.chars().take_while(|&c| c == '∟').count();
    (spaces.max(marks), name.to_owned())
}

/// `text` without its HTML tags (`<span …>`, `</span>`); a field name has
/// no `<` of its own.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coloured_nesting_mark_nests_like_a_plain_one() {
        assert_eq!(
            nested_name("&emsp;&emsp;<span style=\"color: #8F959E\">∟</span>&nbsp;id"),
            (2, "id".to_owned())
        );
    }

    fn read(text: &str) -> Vec<(usize, Option<usize>, Vec<String>)> {
        let lines: Vec<Line> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        table(&lines, Form::Source)
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.line,
                    r.level,
                    r.cells.into_iter().map(|c| c.text).collect(),
                )
            })
            .collect()
    }

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn a_field_table_reads_as_the_html_one() {
        let text = "### 响应体\n|参数|说明|\n|--|--|\n|data|返回的业务信息|\n|&emsp;∟is_app_admin|是否为管理员<br>true 为是|\n|&emsp;&emsp;∟deep|更深|\n\n|other|table|";
        assert_eq!(
            read(text),
            [
                (4, Some(0), strings(&["data", "", "返回的业务信息"])),
                (
                    5,
                    Some(1),
                    strings(&["is_app_admin", "", "是否为管理员\ntrue 为是"])
                ),
                (6, Some(2), strings(&["deep", "", "更深"])),
            ]
        );
        // `∟`s alone give the level too; a row deeper than one below the
        // row above is one below it.
        let text = "| **参数** | **参数类型** | **必须** | **说明** |\n| -- | -- | -- | -- |\n|vchat|-|否|会议|\n|∟∟∟`vc_type`|`string`|否|类型 a\\|b|";
        assert_eq!(
            read(text),
            [
                (3, Some(0), strings(&["vchat", "-", "否", "会议"])),
                (
                    4,
                    Some(1),
                    strings(&["vc_type", "string", "否", "类型 a|b"])
                ),
            ]
        );
    }

    #[test]
    fn a_field_table_without_its_separator_line_starts_below_its_header() {
        let text = "## 响应\n      名称 | 类型 | 描述\ncode | int | 错误码\nmsg | string | 错误描述\n\nafter";
        assert_eq!(
            read(text),
            [
                (3, None, strings(&["code", "int", "错误码"])),
                (4, None, strings(&["msg", "string", "错误描述"])),
            ]
        );
        // Only a field table's header stands without one.
        assert!(matches!(
            table(&[(1, "a | b"), (2, "c | d")], Form::Source),
            Ok(None)
        ));
    }

    #[test]
    fn another_table_keeps_its_cells_in_page_order() {
        let text = "|HTTP状态码|错误码|描述|排查建议|\n|---|---|---|---|\n|200|10001|invalid param|参数错误|";
        assert_eq!(
            read(text),
            [(
                3,
                None,
                strings(&["200", "10001", "invalid param", "参数错误"])
            )]
        );
        assert!(matches!(
            table(&[(1, "no table here")], Form::Source),
            Ok(None)
        ));
        let text =
            "参数 |类型| 说明 \n-- |--| -- \ncode |int| 错误码\n&emsp;∟id |string| ID\n\nafter";
        assert_eq!(
            read(text),
            [
                (3, Some(0), strings(&["code", "int", "错误码"])),
                (4, Some(1), strings(&["id", "string", "ID"])),
            ]
        );
    }
}
