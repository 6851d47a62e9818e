//! The reader for pages in their rendered markdown form: YAML front matter,
//! then 请求 / 查询参数 / 请求体 / 响应体 / 错误码 sections with pipe tables.

use feishu_codegen::spec::{AccessToken, AppType, FieldScope, HttpMethod, RateLimitSpec, Scope};
use serde_json::Value;

use super::{ErrorRow, Field, FieldType, Header, Limits, Page, PageError};

/// A line of the page with its 1-based number.
type Line<'a> = (usize, &'a str);

/// Parses a rendered page. `file` names it in errors.
pub(super) fn parse(file: &str, text: &str) -> Result<Page, PageError> {
    let err = |line: usize, message: String| PageError {
        file: file.to_owned(),
        line,
        message,
    };
    let lines: Vec<Line> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let (front, body_start) = front_matter(&lines).ok_or_else(|| {
        err(
            1,
            "not a Feishu doc page: it does not start with front matter (`---`, title, source_url, last_remote_update, `---`)".into(),
        )
    })?;
    let front_value = |key: &str| {
        front
            .iter()
            .find_map(|(_, l)| l.strip_prefix(key)?.strip_prefix(':'))
            .map(|v| v.trim().trim_matches('"').to_owned())
            .ok_or_else(|| {
                err(
                    1,
                    format!("not a Feishu doc page: the front matter has no `{key}`"),
                )
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
    let path = match url.find("/open-apis/") {
        Some(i) => url[i..].to_owned(),
        None => {
            return Err(err(
                url_line,
                format!("`{url}` is not an /open-apis/ address"),
            ));
        }
    };
    let (method_line, method) = find("HTTP Method").ok_or_else(|| {
        err(
            heading_line,
            "the 请求 table has no `HTTP Method` row".into(),
        )
    })?;
    let method: HttpMethod = serde_json::from_value(Value::String(method.to_uppercase()))
        .map_err(|_| err(method_line, format!("unknown HTTP method `{method}`")))?;
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
        for (word, token) in [
            ("tenant_access_token", AccessToken::Tenant),
            ("user_access_token", AccessToken::User),
            ("app_access_token", AccessToken::App),
        ] {
            if auth.cells[3].contains(word) {
                access_tokens.push(token);
            }
        }
    }

    let request_example = match sections.get("请求体示例") {
        Some(lines) => json_block(file, lines)?,
        None => None,
    };
    let response_example = json_block(file, need("响应体示例")?)?;
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

    Ok(Page {
        title,
        source_url,
        last_remote_update,
        updated_at,
        summary: summary(rest),
        notes: notes(&sections),
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
        request_example,
        response_example,
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

/// The page's sections by heading text; each holds the lines up to the next
/// heading of any level (the heading line first).
struct Sections<'a>(Vec<(String, Vec<Line<'a>>)>);

impl<'a> Sections<'a> {
    fn split(lines: &[Line<'a>]) -> Self {
        let mut sections: Vec<(String, Vec<Line<'a>>)> = Vec::new();
        let mut in_code = false;
        for &(n, l) in lines {
            if l.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && l.starts_with('#') {
                let name = l.trim_start_matches('#').trim().to_owned();
                sections.push((name, vec![(n, l)]));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push((n, l));
            }
        }
        Sections(sections)
    }

    fn get(&self, name: &str) -> Option<&[Line<'a>]> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, l)| l.as_slice())
    }
}

fn summary(lines: &[Line]) -> String {
    let after_title = lines
        .iter()
        .skip_while(|(_, l)| !l.starts_with("# "))
        .skip(1);
    after_title
        .map(|(_, l)| l.trim())
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty() && !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("")
}

fn notes(sections: &Sections) -> Vec<String> {
    let mut notes = Vec::new();
    for name in ["前提条件", "使用限制", "注意事项"] {
        let Some(lines) = sections.get(name) else {
            continue;
        };
        for (_, l) in &lines[1..] {
            let l = l.trim();
            if l.is_empty() {
                continue;
            }
            match l.strip_prefix("- ") {
                Some(item) => notes.push(item.trim().to_owned()),
                None => notes.push(format!("{name}：{l}")),
            }
        }
    }
    notes
}

/// `1000 次/分钟、50 次/秒`
fn rate_limit(text: &str) -> Option<RateLimitSpec> {
    let number_before = |unit: &str| {
        let end = text.find(unit)?;
        let digits: String = text[..end]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().ok()
    };
    let limit = RateLimitSpec {
        per_minute: number_before("次/分钟"),
        per_second: number_before("次/秒"),
    };
    (limit.per_minute.is_some() || limit.per_second.is_some()).then_some(limit)
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

/// The first fenced JSON block of a section.
fn json_block(file: &str, lines: &[Line]) -> Result<Option<Value>, PageError> {
    let Some(start) = lines
        .iter()
        .position(|(_, l)| l.trim_start().starts_with("```"))
    else {
        return Ok(None);
    };
    let Some(len) = lines[start + 1..]
        .iter()
        .position(|(_, l)| l.trim_start().starts_with("```"))
    else {
        return Err(PageError {
            file: file.to_owned(),
            line: lines[start].0,
            message: "the code block is never closed".into(),
        });
    };
    let body = &lines[start + 1..start + 1 + len];
    let text: String = body.iter().map(|(_, l)| format!("{l}\n")).collect();
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| PageError {
            file: file.to_owned(),
            line: lines[start].0 + e.line(),
            message: format!("the JSON example does not parse: {e}"),
        })
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
    let type_text = row.cells[1].replace('\\', "");
    let (base, array) = match type_text.strip_suffix("[]") {
        Some(base) => (base.to_owned(), true),
        None => (type_text.clone(), false),
    };
    let primitive = match base.as_str() {
        "string" => Some(FieldType::String),
        "boolean" | "bool" => Some(FieldType::Boolean),
        "int" | "integer" | "int32" | "int64" | "long" => Some(FieldType::Integer),
        "float" | "double" | "number" => Some(FieldType::Number),
        _ => None,
    };
    let valid_name = |s: &str| s == "-" || s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if primitive.is_none() && (base.is_empty() || !valid_name(&base)) {
        return Err(err(format!("unknown type `{}` for `{name}`", row.cells[1])));
    }
    let (required, description) = match row.cells.len() {
        4 => match row.cells[2].as_str() {
            "是" => (true, &row.cells[3]),
            "否" => (false, &row.cells[3]),
            other => {
                return Err(err(format!("必填 must be 是 or 否, not `{other}`")));
            }
        },
        _ => (false, &row.cells[2]),
    };
    let ty = primitive.clone().unwrap_or(FieldType::Object(base.clone()));
    let ty = if array {
        FieldType::Array(Box::new(ty))
    } else {
        ty
    };
    let mut field = Field {
        line: row.line,
        name,
        ty,
        required,
        description: String::new(),
        default: None,
        example: None,
        limits: Limits::default(),
        values: Vec::new(),
        fields: Vec::new(),
    };
    describe(&mut field, description).map_err(err)?;
    Ok(FlatField {
        field,
        object_name: primitive.is_none().then_some(base),
        array,
    })
}

/// Splits a description cell into the free text and the marked parts
/// (示例值, 默认值, 可选值有, 数据校验规则).
fn describe(field: &mut Field, cell: &str) -> Result<(), String> {
    enum Block {
        Text,
        Values,
        Rules,
    }
    let mut block = Block::Text;
    let mut text = Vec::new();
    for raw in cell.lines() {
        let line = raw.trim();
        if let Some(v) = marked(line, "示例值") {
            field.example = Some(literal(&field.ty, v));
            block = Block::Text;
        } else if let Some(v) = marked(line, "默认值") {
            let v = v.trim_matches('`');
            field.default = (v != "空" && !v.is_empty()).then(|| literal(&field.ty, v));
            block = Block::Text;
        } else if marked(line, "可选值有").is_some() {
            block = Block::Values;
        } else if marked(line, "数据校验规则").is_some() {
            block = Block::Rules;
        } else if let (Block::Values, Some(item)) = (&block, line.strip_prefix("- ")) {
            let (value, meaning) = item.split_once('：').unwrap_or((item, ""));
            field.values.push((
                value.trim().trim_matches('`').to_owned(),
                meaning.trim().to_owned(),
            ));
        } else if let (Block::Rules, Some(item)) = (&block, line.strip_prefix("- ")) {
            let (rule, value) = item
                .split_once('：')
                .ok_or_else(|| format!("cannot read the rule `{item}`"))?;
            let number: usize = value
                .trim()
                .trim_end_matches("字符")
                .trim()
                .trim_matches('`')
                .parse()
                .map_err(|_| format!("the limit `{value}` is not a number"))?;
            let array = matches!(field.ty, FieldType::Array(_));
            let slot = match (rule.trim(), array) {
                ("最大长度", false) => &mut field.limits.max_length,
                ("最小长度", false) => &mut field.limits.min_length,
                ("最大长度", true) => &mut field.limits.max_items,
                ("最小长度", true) => &mut field.limits.min_items,
                (other, _) => return Err(format!("unknown rule `{other}` under 数据校验规则")),
            };
            *slot = Some(number);
        } else {
            block = Block::Text;
            if !line.is_empty() {
                text.push(highlight_to_code(line));
            }
        }
    }
    field.description = text.join("\n");
    Ok(())
}

/// `**示例值**：x` gives `x`.
fn marked<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix("**")?
        .strip_prefix(key)?
        .strip_prefix("**")?;
    let rest = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
    Some(rest.trim())
}

/// A value written on the page, typed by its field: JSON where it parses
/// as the field's type, else the bare text.
fn literal(ty: &FieldType, text: &str) -> Value {
    let parsed = serde_json::from_str::<Value>(text).ok();
    match (ty, parsed) {
        (FieldType::String | FieldType::Object(_), Some(Value::String(s))) => Value::String(s),
        (FieldType::String | FieldType::Object(_), _) => Value::String(text.to_owned()),
        (_, Some(v)) => v,
        (_, None) => Value::String(text.to_owned()),
    }
}

/// The doc's `==x==` highlight, as code.
fn highlight_to_code(line: &str) -> String {
    // An unpaired `==` is text, not a highlight.
    if line.matches("==").count() % 2 == 1 {
        return line.to_owned();
    }
    line.split("==")
        .enumerate()
        .map(|(i, part)| {
            if i > 0 {
                format!("`{part}")
            } else {
                part.to_owned()
            }
        })
        .collect()
}
