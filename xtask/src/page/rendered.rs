//! The reader for pages in their rendered markdown form: YAML front matter,
//! then 请求 / 查询参数 / 请求体 / 响应体 / 错误码 sections with pipe tables.

use feishu_codegen::spec::{AppType, FieldScope, Scope};
use serde_json::Value;

use super::cell::{self, rate_limit};
use super::sections::{Line, Sections, notes, summary};
use super::{ApiName, ErrorKind, ErrorRow, Field, FieldType, Header, Page, PageError};
use super::{example, untyped};

/// Parses a rendered page. `file` names it in errors.
pub(super) fn parse(file: &str, text: &str) -> Result<Page, PageError> {
    let err = |line: usize, message: String| PageError {
        kind: ErrorKind::Broken,
        file: file.to_owned(),
        line,
        message,
    };
    let lines: Vec<Line> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let not_a_page = |message: String| PageError {
        kind: ErrorKind::NoEndpoint,
        ..err(1, message)
    };
    let (front, body_start) = front_matter(&lines).ok_or_else(|| {
        not_a_page(
            "not a Feishu doc page: it does not start with front matter (`---`, title, source_url, last_remote_update, `---`)".into(),
        )
    })?;
    let front_value = |key: &str| {
        front
            .iter()
            .find_map(|(_, l)| l.strip_prefix(key)?.strip_prefix(':'))
            .map(|v| v.trim().trim_matches('"').to_owned())
            .ok_or_else(|| {
                not_a_page(format!(
                    "not a Feishu doc page: the front matter has no `{key}`"
                ))
            })
    };
    let title = front_value("title")?;
    let source_url = front_value("source_url")?;
    let last_remote_update = front_value("last_remote_update")?;
    let updated_at = front_value("last_remote_update_timestamp")
        .ok()
        .and_then(|ms| ms.parse().ok());
    let rest = &lines[body_start..];
    let sections = Sections::split(rest);
    let need = |name: &str| {
        sections.get(name).ok_or_else(|| {
            err(
                lines.len().max(1),
                format!("the page has no `{name}` section (a heading `## {name}` or `### {name}`)"),
            )
        })
    };

    let request = need("请求")?;
    let request_text = request.to_vec();
    let find = |key: &str| {
        request_text.iter().find_map(|&(n, l)| {
            let rest = l.trim().strip_prefix(key)?.trim_start().strip_prefix('|')?;
            Some((n, rest.trim().to_owned()))
        })
    };
    let heading_line = request.first().map_or(1, |(n, _)| *n);
    let (url_line, url) = find("HTTP URL")
        .ok_or_else(|| err(heading_line, "the 请求 table has no `HTTP URL` row".into()))?;
    let path = super::api_path(file, url_line, &url)?;
    let (method_line, method) = find("HTTP Method").ok_or_else(|| {
        err(
            heading_line,
            "the 请求 table has no `HTTP Method` row".into(),
        )
    })?;
    let method = cell::http_method(&method).map_err(|m| err(method_line, m))?;
    let rate_limit = find("接口频率限制").and_then(|(_, v)| rate_limit(&v));
    let app_types = find("支持的应用类型").map_or_else(Vec::new, |(_, v)| {
        let mut types = Vec::new();
        if v.contains("自建应用") {
            types.push(AppType::SelfBuilt);
        }
        if v.contains("商店应用") {
            types.push(AppType::Store);
        }
        types
    });
    let (scopes, field_scopes) = scopes(&request_text);

    let header_rows = match sections.get("请求头") {
        Some(lines) => table(file, lines, 4)?,
        None => Vec::new(),
    };
    let mut access_tokens = Vec::new();
    if let Some(auth) = header_rows.iter().find(|r| r.cells[0] == "Authorization") {
        access_tokens = cell::tokens_named(&auth.cells[3]);
    }

    let request_read = match sections.get("请求体示例") {
        Some(lines) => json_block(file, "请求体示例", lines)?,
        None => example::Read::default(),
    };
    let response_read = json_block(file, "响应体示例", need("响应体示例")?)?;
    let (request_example, response_example) = (&request_read.value, &response_read.value);
    let path_params = match sections.get("路径参数") {
        Some(lines) => fields(file, &table(file, lines, 4)?, None)?,
        None => Vec::new(),
    };
    let query = match sections.get("查询参数") {
        Some(lines) => fields(file, &table(file, lines, 4)?, None)?,
        None => Vec::new(),
    };
    let body = match sections.get("请求体") {
        Some(lines) => fields(file, &table(file, lines, 4)?, request_example.as_ref())?,
        None => Vec::new(),
    };
    let response_section = need("响应体")?;
    let response_rows = table(file, response_section, 3)?;
    let envelope = fields(file, &response_rows, response_example.as_ref())?;
    let response = match envelope.into_iter().find(|f| f.name == "data") {
        Some(data) => data.fields,
        None => Vec::new(),
    };

    let mut errors = Vec::new();
    for row in table(file, need("错误码")?, 4)? {
        let number = |cell: &str, what: &str| {
            cell.parse::<i64>()
                .map_err(|_| err(row.line, format!("the {what} `{cell}` is not a number")))
        };
        let status = number(&row.cells[0], "HTTP status")?;
        errors.push(ErrorRow {
            line: row.line,
            http_status: u16::try_from(status)
                .map_err(|_| err(row.line, format!("HTTP status {status} is out of range")))?,
            code: number(&row.cells[1], "error code")?,
            message: row.cells[2].clone(),
            advice: row.cells[3].clone(),
        });
    }

    let reads = [&request_read, &response_read];
    let mut page_notes = notes(&sections);
    page_notes.extend(reads.iter().filter_map(|r| r.note.clone()));
    Ok(Page {
        title,
        source_url,
        last_remote_update,
        updated_at,
        api: ApiName::find(text),
        summary: summary(rest),
        notes: page_notes,
        method,
        path,
        rate_limit,
        access_tokens,
        app_types,
        scopes,
        field_scopes,
        path_params,
        query,
        body,
        response,
        request_example: request_read.value.clone(),
        response_example: response_read.value.clone(),
        doubts: reads.iter().filter_map(|r| r.misfit.clone()).collect(),
        errors,
        headers: header_rows
            .iter()
            .filter(|r| r.cells[0] != "Authorization")
            .map(|r| Header {
                line: r.line,
                name: r.cells[0].clone(),
                required: r.cells[2] == "是",
                description: r.cells[3].clone(),
            })
            .collect(),
    })
}

/// The front matter lines and the index of the first line after it.
fn front_matter<'a>(lines: &[Line<'a>]) -> Option<(Vec<Line<'a>>, usize)> {
    if lines.first()?.1.trim() != "---" {
        return None;
    }
    let end = lines.iter().skip(1).position(|(_, l)| l.trim() == "---")? + 1;
    Some((lines[1..end].to_vec(), end + 1))
}

/// Scopes are written `title(scope:key)`; those after the 字段权限要求 row
/// unlock fields.
fn scopes(lines: &[Line]) -> (Vec<Scope>, Vec<FieldScope>) {
    let mut scopes = Vec::new();
    let mut field_scopes = Vec::new();
    let mut in_fields = false;
    for (_, l) in lines {
        if l.trim_start().starts_with("字段权限要求") {
            in_fields = true;
        }
        let mut rest = *l;
        while let Some(open) = rest.find('(') {
            let Some(close) = rest[open..].find(')').map(|c| open + c) else {
                break;
            };
            let key = &rest[open + 1..close];
            if key.contains(':') && !key.contains(' ') && !key.contains('/') {
                let title = rest[..open]
                    .rsplit(['|', '*'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                if in_fields {
                    field_scopes.push(FieldScope {
                        name: key.to_owned(),
                        description: title,
                        when: None,
                    });
                } else {
                    scopes.push(Scope {
                        name: key.to_owned(),
                        description: title,
                    });
                }
            }
            rest = &rest[close + 1..];
        }
    }
    (scopes, field_scopes)
}

/// The example in the first fenced block of the section `name`, read as
/// the page means it ([`example::read_section`]).
fn json_block(file: &str, name: &str, lines: &[Line]) -> Result<example::Read, PageError> {
    let Some(start) = lines
        .iter()
        .position(|(_, l)| l.trim_start().starts_with("```"))
    else {
        return Ok(example::Read::default());
    };
    let Some(len) = lines[start + 1..]
        .iter()
        .position(|(_, l)| l.trim_start().starts_with("```"))
    else {
        return Err(PageError {
            kind: ErrorKind::Broken,
            file: file.to_owned(),
            line: lines[start].0,
            message: "the code block is never closed".into(),
        });
    };
    let body = &lines[start + 1..start + 1 + len];
    let text: String = body.iter().map(|(_, l)| format!("{l}\n")).collect();
    Ok(example::read_section(name, lines[start].0, &text))
}

/// One table row: its cells, continuation lines joined to the last cell with
/// `\n`.
struct Row {
    line: usize,
    cells: Vec<String>,
}

/// The table of a section. A line with `|` starts a row and must have
/// `columns` cells; a line without continues the last cell; a blank line
/// ends the table.
fn table(file: &str, lines: &[Line], columns: usize) -> Result<Vec<Row>, PageError> {
    let err = |line: usize, message: String| PageError {
        kind: ErrorKind::Broken,
        file: file.to_owned(),
        line,
        message,
    };
    let heading = lines.first().map_or(1, |(n, _)| *n);
    let Some(header) = lines.iter().position(|(_, l)| l.contains('|')) else {
        return Err(err(heading, "the section has no table".into()));
    };
    let separator = lines.get(header + 1);
    if !separator.is_some_and(|(_, l)| l.contains("---")) {
        return Err(err(
            lines[header].0,
            "the table header is not followed by a `--- | ---` line".into(),
        ));
    }
    let mut rows: Vec<Row> = Vec::new();
    for &(n, l) in &lines[header + 2..] {
        if l.trim().is_empty() || l.trim_start().starts_with("```") {
            break;
        }
        if l.contains('|') {
            let cells: Vec<String> = l.split('|').map(|c| c.trim().to_owned()).collect();
            if cells.len() != columns {
                return Err(err(
                    n,
                    format!(
                        "broken table row: {} cells, the table has {columns} columns",
                        cells.len()
                    ),
                ));
            }
            rows.push(Row { line: n, cells });
        } else if let Some(row) = rows.last_mut() {
            let last = row.cells.last_mut().expect("rows have cells");
            last.push('\n');
            last.push_str(l.trim_end());
        } else {
            return Err(err(
                n,
                "text between the table header and its first row".into(),
            ));
        }
    }
    Ok(rows)
}

/// A flat table row before nesting.
struct FlatField {
    field: Field,
    /// The type cell names something other than a primitive.
    object_name: Option<String>,
    array: bool,
}

/// Builds fields from a field table (3 or 4 columns), nesting rows under
/// object-typed rows. The page itself is flat; the example JSON tells which
/// rows an object owns: the keys of its example value. A row neither example
/// knows (a field added without updating the example) goes with the next
/// row either example knows.
fn fields(file: &str, rows: &[Row], example: Option<&Value>) -> Result<Vec<Field>, PageError> {
    let flat = rows
        .iter()
        .map(|row| flat_field(file, row))
        .collect::<Result<Vec<_>, _>>()?;
    let mut at = 0;
    let mut out = Vec::new();
    while at < flat.len() {
        out.push(nest(file, &flat, &mut at, example)?);
    }
    untyped::settle(&mut out, example);
    Ok(out)
}

fn nest(
    file: &str,
    rows: &[FlatField],
    at: &mut usize,
    parent_example: Option<&Value>,
) -> Result<Field, PageError> {
    let flat = &rows[*at];
    *at += 1;
    let mut field = flat.field.clone();
    let Some(type_name) = flat.object_name.clone() else {
        return Ok(field);
    };
    let mut own_example = parent_example.and_then(|e| e.get(&field.name));
    if let Some(Value::Array(items)) = own_example {
        own_example = items.first();
    }
    if let Some(Value::Object(keys)) = own_example {
        let parent_has = |name: &str| parent_example.and_then(|e| e.get(name)).is_some();
        let belongs = |i: usize| {
            // The first row at or after `i` that an example knows decides.
            let known = rows[i..]
                .iter()
                .map(|r| r.field.name.as_str())
                .find(|n| keys.contains_key(*n) || parent_has(n));
            known.is_none_or(|n| keys.contains_key(n))
        };
        while *at < rows.len() && belongs(*at) {
            field.fields.push(nest(file, rows, at, own_example)?);
        }
    }
    if field.fields.is_empty() {
        return Err(PageError {
            kind: ErrorKind::Broken,
            file: file.to_owned(),
            line: field.line,
            message: format!(
                "unknown type `{type_name}` for `{}`: expected string, boolean, int, float, `T[]`, or an object type whose rows follow it (and whose keys the example JSON shows)",
                field.name
            ),
        });
    }
    let object = FieldType::Object(type_name);
    field.ty = if flat.array {
        FieldType::Array(Box::new(object))
    } else {
        object
    };
    Ok(field)
}

fn flat_field(file: &str, row: &Row) -> Result<FlatField, PageError> {
    let err = |message: String| PageError {
        kind: ErrorKind::Broken,
        file: file.to_owned(),
        line: row.line,
        message,
    };
    let name = row.cells[0].replace('\\', "");
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(err(format!("`{}` is not a field name", row.cells[0])));
    }
    let ty = cell::field_type(&row.cells[1])
        .ok_or_else(|| err(format!("unknown type `{}` for `{name}`", row.cells[1])))?;
    // The nesting below needs the object's name and whether it is an array.
    let (object_name, array) = match &ty {
        FieldType::Object(n) => (Some(n.clone()), false),
        FieldType::Array(item) => match &**item {
            FieldType::Object(n) => (Some(n.clone()), true),
            _ => (None, true),
        },
        _ => (None, false),
    };
    let (required, description) = match row.cells.len() {
        4 => (cell::required(&row.cells[2]).map_err(err)?, &row.cells[3]),
        _ => (false, &row.cells[2]),
    };
    // Continuation lines of a cell are the page lines after the row's.
    let lines: Vec<(usize, &str)> = description
        .lines()
        .enumerate()
        .map(|(i, l)| (row.line + i, l))
        .collect();
    let field =
        cell::field(row.line, name, ty, required, &lines).map_err(|(line, message)| PageError {
            kind: ErrorKind::Broken,
            file: file.to_owned(),
            line,
            message,
        })?;
    Ok(FlatField {
        field,
        object_name,
        array,
    })
}
