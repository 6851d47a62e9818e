//! The rows of field and error-code tables, as both forms give them.

use super::cell;
use super::html::{self, Row, markdown};
use super::{ErrorRow, Field, Misfit, PageError};

/// A cell's text lines joined.
pub(super) fn joined(cell: &html::Cell, sep: &str) -> String {
    markdown(cell)
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join(sep)
}

/// Builds the fields of a field table: a row at level N+1 belongs to the
/// last row at level N above it.
pub(super) fn nest(file: &str, rows: &[Row]) -> Result<Vec<Field>, PageError> {
    let err = |line: usize, message: String| PageError::broken(file, line, message);
    // The open ancestors of the current row, outermost first.
    let mut open: Vec<Field> = Vec::new();
    let mut top = Vec::new();
    let close = |open: &mut Vec<Field>, top: &mut Vec<Field>| {
        let done = open.pop().expect("only called with an open row");
        match open.last_mut() {
            Some(parent) => parent.fields.push(done),
            None => top.push(done),
        }
    };
    for row in rows {
        let level = row.level.unwrap_or(0);
        if level > open.len() {
            return Err(err(
                row.line,
                format!(
                    "the row's level {level} jumps past level {}: a row may go one level below the row above",
                    open.len()
                ),
            ));
        }
        while open.len() > level {
            close(&mut open, &mut top);
        }
        open.push(field(file, row)?);
    }
    while !open.is_empty() {
        close(&mut open, &mut top);
    }
    Ok(top)
}

/// One field row, 名称 | 类型 | (必填 |) 描述, without its children.
pub(super) fn field(file: &str, row: &Row) -> Result<Field, PageError> {
    let err = |line: usize, message: String| PageError::broken(file, line, message);
    if !(3..=4).contains(&row.cells.len()) {
        return Err(err(
            row.line,
            format!("a field row has 3 or 4 cells, this one {}", row.cells.len()),
        ));
    }
    // A name cell may draw its nesting (`&emsp;∟`, coloured or not) even
    // where the row's level attribute gives it: the name is what follows.
    let (_, name) = super::pipe::nested_name(&joined(&row.cells[0], "").replace('\\', ""));
    let type_text = joined(&row.cells[1], "");
    let ty = cell::field_type(&type_text).ok_or_else(|| {
        err(
            row.cells[1].line,
            format!("unknown type `{type_text}` for `{name}`"),
        )
    })?;
    let required = match row.cells.len() {
        4 => cell::required(&joined(&row.cells[2], "")).map_err(|m| err(row.cells[2].line, m))?,
        _ => false,
    };
    let description = markdown(&row.cells[row.cells.len() - 1]);
    let lines: Vec<(usize, &str)> = description.iter().map(|(n, l)| (*n, l.as_str())).collect();
    cell::field(row.line, name, ty, required, &lines).map_err(|(line, message)| err(line, message))
}

/// The HTTP status an error row without one gets: what Feishu answers a
/// request it refuses with, for most codes; a `decide:` line says so.
const UNSTATED_STATUS: u16 = 400;

/// One 错误码 row: HTTP status | code | message | advice, or, in the older
/// tables that state no status, code | message | advice.
pub(super) fn error_row(file: &str, row: &Row) -> Result<ErrorRow, PageError> {
    let err = |message: String| PageError::broken(file, row.line, message);
    let stated = match row.cells.len() {
        4 => 1,
        3 => 0,
        n => {
            return Err(err(format!(
                "an error row has 4 cells (HTTP status, code, message, advice) or 3 (code, message, advice), this one {n}"
            )));
        }
    };
    let number = |i: usize, what: &str| {
        let cell = joined(&row.cells[i], "");
        cell.parse::<i64>()
            .map_err(|_| err(format!("the {what} `{cell}` is not a number")))
    };
    let http_status = match stated {
        1 => {
            let status = number(0, "HTTP status")?;
            u16::try_from(status)
                .map_err(|_| err(format!("HTTP status {status} is out of range")))?
        }
        _ => UNSTATED_STATUS,
    };
    Ok(ErrorRow {
        line: row.line,
        http_status,
        code: number(stated, "error code")?,
        message: joined(&row.cells[stated + 1], "\n"),
        advice: joined(&row.cells[stated + 2], "\n"),
    })
}

/// The open decision an error table without HTTP statuses leaves, at its
/// first row.
pub(super) fn no_status(rows: &[Row]) -> Option<Misfit> {
    let first = rows.iter().find(|r| r.cells.len() == 3)?;
    Some(Misfit {
        line: first.line,
        message: format!(
            "the 错误码 table states no HTTP status: the draft says {UNSTATED_STATUS} for each of its codes; set the status each is answered with"
        ),
    })
}
