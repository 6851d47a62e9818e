//! Pipe tables inside the doc-source form. The older pages write their
//! field and error tables in markdown (`|参数|类型|必须|说明|`), a nested
//! field's name led by one `∟` per level (after `&emsp;`s), a line break in
//! a cell as `<br>`. They are read into the rows an `:::html` table gives,
//! so the rest of the reader serves both.

use super::super::html::{Cell, Row};
use super::super::sections::Line;

/// The header spellings of a field table's columns, in the order the
/// `md-dt-table` has them: name, type, required, description.
const NAME: &[&str] = &["参数", "名称", "属性名称", "参数名称", "字段", "字段名"];
const TYPE: &[&str] = &["类型", "参数类型", "数据类型", "字段类型"];
const REQUIRED: &[&str] = &["必须", "必填", "是否必填", "是否必须"];
const DESCRIPTION: &[&str] = &["说明", "描述", "字段说明"];

/// The first pipe table among `lines`, if there is one. A field table's
/// cells come as the `md-dt-table`'s (name, type, required when the page
/// has the column, description; an empty type when it has none), with the
/// level its `∟`s give; any other table's in page order.
pub(super) fn table(lines: &[Line]) -> Option<Vec<Row>> {
    // The outer pipes are optional (`参数 |类型| 说明`).
    let header = lines
        .windows(2)
        .position(|pair| pair[0].1.contains('|') && is_separator(pair[1].1))?;
    let columns: Vec<String> = cells(lines[header].1)
        .iter()
        .map(|c| c.replace(['*', ' '], "").replace("&nbsp;", ""))
        .collect();
    let find = |names: &[&str]| columns.iter().position(|c| names.contains(&c.as_str()));
    let field_columns = match (find(NAME), find(DESCRIPTION)) {
        (Some(name), Some(description)) => Some((name, find(TYPE), find(REQUIRED), description)),
        _ => None,
    };
    // Indentation is the page's drawing: a row goes at most one level
    // below the row above.
    let mut deepest = 0;
    let rows = lines[header + 2..]
        .iter()
        .take_while(|(_, l)| l.contains('|'))
        .map(|&(line, text)| {
            let found = cells(text);
            let at = |i: Option<usize>| i.and_then(|i| found.get(i)).cloned().unwrap_or_default();
            let cell = |text: String| Cell { line, text };
            match field_columns {
                Some((name, ty, required, description)) => {
                    let (level, name) = nested_name(&at(Some(name)));
                    let level = level.min(deepest);
                    deepest = level + 1;
                    let mut cells = vec![cell(name), cell(at(ty).replace('`', ""))];
                    if required.is_some() {
                        cells.push(cell(at(required)));
                    }
                    cells.push(cell(at(Some(description))));
                    Row {
                        line,
                        level: Some(level),
                        cells,
                    }
                }
                None => Row {
                    line,
                    level: None,
                    cells: found.into_iter().map(cell).collect(),
                },
            }
        })
        .collect();
    Some(rows)
}

/// `|--|:---|` or `-- |--| --`: the line under a pipe table's header.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.contains('|') && line.contains('-') && line.chars().all(|c| "|-: ".contains(c))
}

/// A row's cells, trimmed, `<br>` as a line break; `\|` is a `|` in a cell.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim().trim_start_matches('|');
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cells.last_mut().expect("one cell at least").push('|');
            }
            '|' => cells.push(String::new()),
            _ => cells.last_mut().expect("one cell at least").push(c),
        }
    }
    cells
        .into_iter()
        .map(|c| {
            c.replace("<br/>", "\n")
                .replace("<br>", "\n")
                .replace("&nbsp;", " ")
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// `&emsp;&emsp;∟app_name` as level 2 and `app_name`: one level per
/// `&emsp;`, or per `∟` where a page writes only those (`∟∟∟vc_type`); the
/// name without its backticks.
fn nested_name(cell: &str) -> (usize, String) {
    let spaces = cell.matches("&emsp;").count();
    let bare = cell.replace("&emsp;", "").replace('`', "");
    let bare = bare.trim();
    let name = bare.trim_start_matches('∟').trim();
    let marks = bare.chars().take_while(|&c| c == '∟').count();
    (spaces.max(marks), name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(usize, Option<usize>, Vec<String>)> {
        let lines: Vec<Line> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        table(&lines)
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
        assert!(table(&[(1, "no table here")]).is_none());
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
