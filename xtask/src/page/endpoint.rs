//! The reader of endpoint pages, for both forms: past the front matter
//! ([`Front`]) they have the same sections, and their tables hold the same
//! rows, as `:::html` `md-table` / `md-dt-table` blocks (doc source) or
//! pipe tables (rendered, and older doc-source pages). A table that states
//! its nesting (`level`, `∟`) is nested so; a flat one by its example
//! ([`flat::nest`]).

use feishu_codegen::spec::{AccessToken, AppType, FieldScope, HttpMethod, Scope};

use super::front::{Form, Front};
use super::html::{self, Block, Row, attribute, elements, markdown};
use super::rows::{error_row, joined, nest, no_status};
use super::sections::{self, Line, Sections, notes, summary};
use super::{ApiName, ErrorKind, Field, Header, Misfit, Page, PageError};
use super::{cell, example, flat, pipe, untyped};

/// Parses an endpoint page in either form. `file` names it in errors.
pub(super) fn parse(file: &str, text: &str) -> Result<Page, PageError> {
    let err = |line: usize, message: String| PageError::broken(file, line, message);
    let no_endpoint = |line: usize, message: String| PageError {
        kind: ErrorKind::NoEndpoint,
        ..err(line, message)
    };
    let page = Front::read(file, text)?;
    let form = page.form;
    let rest = &page.body()[..];
    let sections = Sections::split(rest);

    if let Some(event) = sections.get("事件") {
        // An overview lists its resource's events under `事件`, in prose.
        let Some(rows) = table_in(file, form, event)? else {
            return Err(no_endpoint(
                event[0].0,
                "describes no endpoint: an overview (its `事件` section lists events, with no table)"
                    .into(),
            ));
        };
        let kind = basic(&rows, "事件类型").map_or_else(
            || "an event".to_owned(),
            |(_, cell)| format!("an event ({})", joined(cell, " ")),
        );
        return Err(no_endpoint(
            event[0].0,
            format!("describes {kind}, not an endpoint"),
        ));
    }
    let Some(request) = sections.get("请求") else {
        return Err(no_endpoint(
            1,
            "describes no endpoint: the page has no `请求` section".into(),
        ));
    };
    let rows = first_table(file, form, request)?;
    let row = |key: &str| {
        basic(&rows, key)
            .ok_or_else(|| err(request[0].0, format!("the 请求 table has no `{key}` row")))
    };
    let (url_line, url) = row("HTTP URL")?;
    let path = super::api_path(file, url_line, &joined(url, ""))?;
    let (method_line, method) = row("HTTP Method")?;
    let method = cell::http_method(&joined(method, "")).map_err(|m| err(method_line, m))?;
    let rate_limit = basic(&rows, "接口频率限制").and_then(|(_, c)| cell::rate_limit(&c.text));
    let app_types =
        basic(&rows, "支持的应用类型").map_or_else(Vec::new, |(_, c)| app_types(&c.text));
    let scopes = basic(&rows, "权限要求").map_or_else(Vec::new, |(_, c)| {
        perms(&c.text)
            .into_iter()
            .map(|(name, description)| Scope { name, description })
            .collect()
    });
    let field_scopes = basic(&rows, "字段权限要求").map_or_else(Vec::new, |(_, c)| {
        perms(&c.text)
            .into_iter()
            .map(|(name, description)| FieldScope {
                name,
                description,
                when: None,
            })
            .collect()
    });

    let header_rows = optional_table(file, form, &sections, "请求头")?;
    let mut access_tokens = Vec::new();
    let mut authorization = false;
    let mut headers = Vec::new();
    for r in &header_rows {
        // A table without a header row is not checked for its columns.
        let (Some(first), Some(last)) = (r.cells.first(), r.cells.last()) else {
            return Err(err(r.line, "a header row without cells".into()));
        };
        let name = joined(first, "");
        if name == "Authorization" {
            authorization = true;
            access_tokens = tokens(&last.text);
            continue;
        }
        headers.push(Header {
            line: r.line,
            name,
            required: r.cells.get(2).is_some_and(|c| joined(c, "") == "是"),
            description: joined(last, "\n"),
        });
    }

    // Older pages name the tokens in words in the basics' 凭证要求 row,
    // with no Authorization header row.
    let credentials = basic(&rows, "凭证要求");
    if access_tokens.is_empty()
        && let Some((_, c)) = credentials
    {
        access_tokens = cell::tokens_named(&c.text);
    }
    // A page with neither states that the call carries no token (the
    // token endpoints, which take the app's credentials in the body; the
    // authorization address a browser opens).
    if !authorization && credentials.is_none() {
        access_tokens = vec![AccessToken::NoToken];
    }

    // The older pages call the response example 响应示例.
    let example = |names: &[&str]| match names.iter().find_map(|n| Some((*n, sections.get(n)?))) {
        Some((name, lines)) => json_example(file, name, lines),
        None => Ok(example::Read::default()),
    };
    let request_example = example(&["请求体示例"])?;
    let response_example = example(&["响应体示例", "响应示例"])?;
    let fields_of = |name: &str, example: Option<&serde_json::Value>| {
        fields(file, &optional_table(file, form, &sections, name)?, example)
    };
    let mut path_params = fields_of("路径参数", None)?;
    let mut query = fields_of("查询参数", None)?;
    let mut body = fields_of("请求体", request_example.value.as_ref())?;
    // The older pages' 请求参数: the query of a GET or DELETE, else the body.
    let params = fields_of("请求参数", request_example.value.as_ref())?;
    match method {
        HttpMethod::Get | HttpMethod::Delete => query.extend(params),
        _ => body.extend(params),
    }
    // `data` typed `\-` with no rows under it: the response carries nothing.
    // Older pages list `data`'s fields with no `data` row: where the
    // example's `data` is an object, or no example shows one, the rows but
    // `code` and `msg` are its fields. (The token endpoints answer with no
    // `data`: their example has none.)
    let response_rows = optional_table(file, form, &sections, "响应体")?;
    let example_root = response_example.value.as_ref();
    let data = example_root.and_then(|e| e.get("data"));
    let envelope = fields(file, &response_rows, example_root)?;
    let data_rows = example_root.is_none() || data.is_some_and(serde_json::Value::is_object);
    let mut response = match envelope.into_iter().find(|f| f.name == "data") {
        Some(data) => data.fields,
        None if data_rows => fields(file, &response_rows, data)?
            .into_iter()
            .filter(|f| !["code", "msg"].contains(&f.name.as_str()))
            .collect(),
        None => Vec::new(),
    };
    untyped::settle(&mut path_params, None);
    untyped::settle(&mut query, None);
    untyped::settle(&mut body, request_example.value.as_ref());
    untyped::files(&mut body);
    untyped::settle(&mut response, data);
    // A 错误码 section may only point to the general codes, in prose.
    let error_rows = match sections.get("错误码") {
        Some(lines) => table_in(file, form, lines)?.unwrap_or_default(),
        None => Vec::new(),
    };
    let errors = error_rows
        .iter()
        .map(|r| error_row(file, r))
        .collect::<Result<_, _>>()?;

    let mut page_notes = notes(&sections);
    page_notes.extend(alerts(rest));
    let examples = [&request_example, &response_example];
    page_notes.extend(examples.iter().filter_map(|e| e.note.clone()));
    let mut doubts: Vec<Misfit> = examples.iter().filter_map(|e| e.misfit.clone()).collect();
    doubts.extend(no_status(&error_rows));
    Ok(Page {
        title: page.title.clone(),
        source_url: page.source_url.clone(),
        last_remote_update: page.last_remote_update.clone(),
        updated_at: page.updated_at,
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
        binary_response: binary_response(&sections),
        request_example: request_example.value,
        response_example: response_example.value,
        errors,
        headers,
        doubts,
    })
}

/// The fields of a field table: nested by the levels it states, else (a
/// flat pipe table) by `example`, the value the fields are the fields of.
pub(super) fn fields(
    file: &str,
    rows: &[Row],
    example: Option<&serde_json::Value>,
) -> Result<Vec<Field>, PageError> {
    if rows.iter().any(|r| r.level.is_some()) {
        nest(file, rows)
    } else if let Some(leveled) = drawn_levels(rows) {
        nest(file, &leveled)
    } else {
        flat::nest(file, rows, example)
    }
}

/// The rows of an `md-table` with no level attributes whose name cells draw
/// the nesting (`&emsp;&emsp;∟children`), leveled by it: pages indent the
/// first level by one `&emsp;` or by two, so each depth drawn is one level
/// below the next shallower one. `None` when no row draws any.
fn drawn_levels(rows: &[Row]) -> Option<Vec<Row>> {
    let depth = |row: &Row| {
        let name = row.cells.first().map(|c| super::rows::joined(c, ""));
        super::pipe::nested_name(&name.unwrap_or_default()).0
    };
    let mut depths: Vec<usize> = rows.iter().map(depth).filter(|d| *d > 0).collect();
    if depths.is_empty() {
        return None;
    }
    depths.sort_unstable();
    depths.dedup();
    Some(
        rows.iter()
            .map(|row| {
                let drawn = depth(row);
                let level = depths.iter().position(|d| *d == drawn).map_or(0, |i| i + 1);
                Row {
                    level: Some(level),
                    ..row.clone()
                }
            })
            .collect(),
    )
}

/// The first table in a section.
pub(super) fn first_table(file: &str, form: Form, section: &[Line]) -> Result<Vec<Row>, PageError> {
    table_in(file, form, section)?
        .ok_or_else(|| {
            PageError::broken(
                file,
                section[0].0,
                "the section has no table: a header row followed by a `--- | ---` line, or an `:::html` table".into(),
            )
        })
}

/// The first table in a section, if it has one: an `:::html` table, else
/// a pipe table ([`pipe::table`]).
pub(super) fn table_in(
    file: &str,
    form: Form,
    section: &[Line],
) -> Result<Option<Vec<Row>>, PageError> {
    let blocks: Vec<Block> = html::blocks(section);
    let Some(block) = blocks
        .iter()
        .find(|b| b.lines.iter().any(|(_, l)| l.contains("table>")))
    else {
        return pipe::table(section, form)
            .map_err(|(line, message)| PageError::broken(file, line, message));
    };
    html::table(block)
        .map(Some)
        .map_err(|(line, message)| PageError::broken(file, line, message))
}

/// The first table of the section `name`; none when the page has no such
/// section, or says there is nothing (`无`, the older pages' way).
fn optional_table(
    file: &str,
    form: Form,
    sections: &Sections,
    name: &str,
) -> Result<Vec<Row>, PageError> {
    match sections.get(name) {
        Some(lines) if says_none(lines) => Ok(Vec::new()),
        Some(lines) => first_table(file, form, lines),
        None => Ok(Vec::new()),
    }
}

/// The section's only text, below its heading, is `无`.
pub(super) fn says_none(section: &[Line]) -> bool {
    let mut text = section
        .iter()
        .skip(1)
        .map(|(_, l)| l.trim())
        .filter(|l| !l.is_empty());
    text.next() == Some("无") && text.next().is_none()
}

/// The value cell of a `key | value` row of the basic table.
pub(super) fn basic<'r>(rows: &'r [Row], key: &str) -> Option<(usize, &'r html::Cell)> {
    rows.iter().find_map(|r| {
        let first = markdown(r.cells.first()?).into_iter().next()?.1;
        (first == key && r.cells.len() > 1).then(|| (r.line, &r.cells[1]))
    })
}

/// The app types of a 支持的应用类型 cell: `<md-app-support
/// types="custom,isv">` (custom is self-built, isv a store app), or in
/// words, `自建应用、商店应用`.
pub(super) fn app_types(cell: &str) -> Vec<AppType> {
    let mut out = Vec::new();
    match elements(cell, "md-app-support").first() {
        Some((tag, _)) => {
            for t in attribute(tag, "types").unwrap_or("").split(',') {
                match t.trim() {
                    "custom" => out.push(AppType::SelfBuilt),
                    "isv" => out.push(AppType::Store),
                    _ => {}
                }
            }
        }
        None => {
            if cell.contains("自建应用") {
                out.push(AppType::SelfBuilt);
            }
            if cell.contains("商店应用") {
                out.push(AppType::Store);
            }
        }
    }
    out
}

/// The scopes of a 权限要求 cell, key and title: `<md-perm name=".."
/// desc="..">`, or `title(scope:key)` as the rendered form writes one.
pub(super) fn perms(cell: &str) -> Vec<(String, String)> {
    let tags = elements(cell, "md-perm");
    if !tags.is_empty() {
        // A permission without its key names no scope.
        return tags
            .into_iter()
            .filter(|(tag, _)| attribute(tag, "name").is_some_and(|n| !n.is_empty()))
            .map(|(tag, title)| {
                let desc = attribute(tag, "desc").unwrap_or(title.trim());
                (
                    attribute(tag, "name").unwrap_or("").to_owned(),
                    desc.trim().to_owned(),
                )
            })
            .collect();
    }
    let mut out = Vec::new();
    for line in cell.lines() {
        let mut rest = line;
        while let Some(open) = rest.find('(') {
            let Some(close) = rest[open..].find(')').map(|c| open + c) else {
                break;
            };
            let key = &rest[open + 1..close];
            if key.contains(':') && !key.contains([' ', '/']) {
                let title = rest[..open].rsplit(['|', '*']).next().unwrap_or("").trim();
                out.push((key.to_owned(), title.to_owned()));
            }
            rest = &rest[close + 1..];
        }
    }
    out
}

/// The tokens of the Authorization row: `<md-tag type="token-tenant">`
/// and the like, or named in words.
pub(super) fn tokens(cell: &str) -> Vec<AccessToken> {
    let tags = elements(cell, "md-tag");
    if tags.is_empty() {
        return cell::tokens_named(cell);
    }
    tags.into_iter()
        .filter_map(|(tag, _)| match attribute(tag, "type")? {
            "token-tenant" => Some(AccessToken::Tenant),
            "token-user" => Some(AccessToken::User),
            "token-app" => Some(AccessToken::App),
            _ => None,
        })
        .collect()
}

/// The example in the section `name`'s `<md-code-json>` element or code
/// fence, read as the page means it ([`example::read_section`]).
pub(super) fn json_example(
    file: &str,
    name: &str,
    section: &[Line],
) -> Result<example::Read, PageError> {
    let Some((open_line, body)) = code_block(file, section)? else {
        return Ok(example::Read::default());
    };
    let text: String = body.iter().map(|(_, l)| format!("{l}\n")).collect();
    Ok(example::read_section(name, open_line, &text))
}

/// The lines inside a section's first `<md-code-json>` element or code
/// fence, with the line that opens it.
pub(super) fn code_block<'a>(
    file: &str,
    section: &[Line<'a>],
) -> Result<Option<(usize, Vec<Line<'a>>)>, PageError> {
    let open = section.iter().position(|(_, l)| {
        let l = l.trim();
        l.starts_with("<md-code-json") || l.starts_with("```")
    });
    let Some(open) = open else {
        return Ok(None);
    };
    let body: Vec<Line> = section[open + 1..]
        .iter()
        .take_while(|(_, l)| {
            let l = l.trim();
            !l.starts_with("</md-code-json>") && !l.starts_with("```")
        })
        .copied()
        .collect();
    if section.get(open + 1 + body.len()).is_none() {
        let message = "the example is never closed".into();
        return Err(PageError::broken(file, section[open].0, message));
    }
    Ok(Some((section[open].0, body)))
}

/// The non-empty `md-alert` texts of top-level blocks (the alerts inside
/// tables are the tables' own).
pub(super) fn alerts(lines: &[Line]) -> Vec<String> {
    let blocks = html::blocks(lines);
    let mut found: Vec<(usize, String)> = blocks
        .iter()
        .filter(|b| {
            let first = b.lines.iter().find(|(_, l)| !l.trim().is_empty());
            first.is_some_and(|(_, l)| l.trim_start().starts_with("<md-alert"))
        })
        .filter_map(|b| {
            let text: Vec<String> = b
                .lines
                .iter()
                .map(|(_, l)| html::strip_markup(l).trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect();
            (!text.is_empty()).then(|| (b.line, text.join("\n")))
        })
        .collect();
    found.extend(alert_paragraphs(lines));
    found.sort_by_key(|(line, _)| *line);
    found.into_iter().map(|(_, text)| text).collect()
}

/// The alerts the rendered form writes as paragraphs led by
/// [`sections::ALERT`], each with its line: the text after the label and
/// the lines after it up to a heading, table, code block or alert. A line that goes on
/// a table cell (the line before ends in two spaces) is the cell's.
fn alert_paragraphs(lines: &[Line]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let (mut in_code, mut in_html) = (false, false);
    for (i, &(n, l)) in lines.iter().enumerate() {
        match l.trim() {
            t if t.starts_with("```") => in_code = !in_code,
            ":::html" => in_html = true,
            ":::" => in_html = false,
            _ => {}
        }
        let in_cell = i > 0 && lines[i - 1].1.ends_with("  ");
        let Some(first) = l.strip_prefix(sections::ALERT) else {
            continue;
        };
        if in_code || in_html || in_cell {
            continue;
        }
        let mut text = vec![first.trim().to_owned()];
        let rest: Vec<&str> = lines[i + 1..].iter().map(|(_, l)| l.trim()).collect();
        // The alert runs over blank lines to the next heading, table,
        // code block or alert.
        for l in rest {
            let ends = l.starts_with('#')
                || l.starts_with(sections::ALERT)
                || l.starts_with("```")
                || l.starts_with(":::")
                || l.contains(" | ")
                || l.contains("|---")
                || l.starts_with('|');
            if ends {
                break;
            }
            text.push((*l).to_owned());
        }
        text.retain(|l| !l.is_empty());
        if !text.is_empty() {
            found.push((n, text.join("\n")));
        }
    }
    found
}

/// Whether a 响应 section (响应, 响应头, 响应体) says the answer is the
/// file's bytes, in the line both forms write: 返回文件二进制流.
fn binary_response(sections: &Sections) -> bool {
    sections
        .starting_with("响应")
        .any(|(_, l)| l.trim() == "返回文件二进制流")
}
