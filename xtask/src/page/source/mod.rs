//! The reader for pages in the doc-source form the doc site serves: an
//! HTML-comment front matter, markdown, and `:::html` blocks whose
//! `md-table` / `md-dt-table` tables hold the request, headers, fields and
//! error codes. Field tables give nesting by `level`, so nothing is guessed.

use feishu_codegen::spec::{AccessToken, AppType, FieldScope, HttpMethod, Scope};

mod event;
mod pipe;
mod rows;

pub(super) use event::parse_event;

use super::html::{self, Block, Row, attribute, elements, markdown};
use super::sections::{Line, Sections, notes, summary};
use super::{ApiName, ErrorKind, Field, Header, Misfit, Page, PageError};
use super::{cell, example, untyped};
use rows::{error_row, joined, nest, no_status};

/// The doc site's own links, written as the rendered form writes them so
/// both forms give the same text.
const SITE_LINK: &str = "](/ssl:ttdoc/";
const DOC_LINK: &str = "](https://open.feishu.cn/document/";

/// A doc-source page's lines (links rewritten) and front matter.
struct Source {
    owned: Vec<String>,
    /// Index of the line closing the front matter.
    end: usize,
    title: String,
    source_url: String,
    updated_at: Option<u64>,
}

impl Source {
    fn read(file: &str, text: &str) -> Result<Self, PageError> {
        let no_page = |message: String| PageError {
            kind: ErrorKind::NoEndpoint,
            ..PageError::broken(file, 1, message)
        };
        let owned: Vec<String> = text.lines().map(rewrite).collect();
        let end = (owned.first().map(|l| l.trim()) == Some("<!--"))
            .then(|| owned.iter().position(|l| l.trim() == "-->"))
            .flatten()
            .ok_or_else(|| {
                no_page(
                    "not a Feishu doc page: it does not start with `<!--` front matter closed by `-->`"
                        .into(),
                )
            })?;
        let front = |key: &str| {
            owned[1..end].iter().find_map(|l| {
                let value = l.strip_prefix(key)?.strip_prefix(':')?;
                Some(value.trim().to_owned())
            })
        };
        let missing = |key: &str| {
            no_page(format!(
                "not a Feishu doc page: the front matter has no `{key}`"
            ))
        };
        Ok(Source {
            title: front("title").ok_or_else(|| missing("title"))?,
            source_url: front("source").ok_or_else(|| missing("source"))?,
            updated_at: front("updatedAt").and_then(|ms| ms.parse::<u64>().ok()),
            owned,
            end,
        })
    }

    /// The lines after the front matter, numbered from 1 in the file.
    fn body(&self) -> Vec<Line<'_>> {
        self.owned
            .iter()
            .enumerate()
            .skip(self.end + 1)
            .map(|(i, l)| (i + 1, l.as_str()))
            .collect()
    }
}

/// Parses a doc-source page. `file` names it in errors.
pub(super) fn parse(file: &str, text: &str) -> Result<Page, PageError> {
    let err = |line: usize, message: String| PageError::broken(file, line, message);
    let no_endpoint = |line: usize, message: String| PageError {
        kind: ErrorKind::NoEndpoint,
        ..err(line, message)
    };
    let page = Source::read(file, text)?;
    let rest = &page.body()[..];
    let Source {
        title,
        source_url,
        updated_at,
        ..
    } = &page;
    let (title, source_url, updated_at) = (title.clone(), source_url.clone(), *updated_at);
    let sections = Sections::split(rest);

    if let Some(event) = sections.get("事件") {
        // An overview lists its resource's events under `事件`, in prose.
        let Some(rows) = table_in(file, event)? else {
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
    let rows = first_table(file, request)?;
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
            .map(|(name, description)| Scope { name, description })
            .collect()
    });
    let field_scopes = basic(&rows, "字段权限要求").map_or_else(Vec::new, |(_, c)| {
        perms(&c.text)
            .map(|(name, description)| FieldScope {
                name,
                description,
                when: None,
            })
            .collect()
    });

    let header_rows = optional_table(file, &sections, "请求头")?;
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

    let fields_of = |name: &str| -> Result<Vec<Field>, PageError> {
        let rows = optional_table(file, &sections, name)?;
        nest(file, &rows)
    };
    let mut path_params = fields_of("路径参数")?;
    let mut query = fields_of("查询参数")?;
    let mut body = fields_of("请求体")?;
    // The older pages' 请求参数: the query of a GET or DELETE, else the body.
    let params = fields_of("请求参数")?;
    match method {
        HttpMethod::Get | HttpMethod::Delete => query.extend(params),
        _ => body.extend(params),
    }
    // `data` typed `\-` with no rows under it: the response carries nothing.
    let mut response = fields_of("响应体")?
        .into_iter()
        .find(|f| f.name == "data")
        .map_or_else(Vec::new, |data| data.fields);
    // The older pages call the response example 响应示例.
    let example = |names: &[&str]| match names.iter().find_map(|n| Some((*n, sections.get(n)?))) {
        Some((name, lines)) => json_example(file, name, lines),
        None => Ok(example::Read::default()),
    };
    let request_example = example(&["请求体示例"])?;
    let response_example = example(&["响应体示例", "响应示例"])?;
    let data = response_example.value.as_ref().and_then(|e| e.get("data"));
    untyped::settle(&mut path_params, None);
    untyped::settle(&mut query, None);
    untyped::settle(&mut body, request_example.value.as_ref());
    untyped::settle(&mut response, data);
    // A 错误码 section may only point to the general codes, in prose.
    let error_rows = match sections.get("错误码") {
        Some(lines) => table_in(file, lines)?.unwrap_or_default(),
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
        title,
        source_url,
        last_remote_update: updated_at.map_or_else(String::new, china_date),
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
        request_example: request_example.value,
        response_example: response_example.value,
        errors,
        headers,
        doubts,
    })
}

/// The doc site's links as the rendered form writes them, and the
/// `{尝试一下}(url=…)` API-explorer link dropped: the rendered form has neither.
fn rewrite(line: &str) -> String {
    let mut line = line.replace(SITE_LINK, DOC_LINK);
    while let Some(start) = line.find('{')
        && let Some(mid) = line[start..].find("}(url=").map(|m| start + m)
        && let Some(end) = line[mid..].find(')').map(|e| mid + e)
    {
        line.replace_range(start..=end, "");
    }
    line
}

/// The first table in a section.
fn first_table(file: &str, section: &[Line]) -> Result<Vec<Row>, PageError> {
    table_in(file, section)?
        .ok_or_else(|| PageError::broken(file, section[0].0, "the section has no table".into()))
}

/// The first table in a section, if it has one: an `:::html` table, else
/// a pipe table (the older pages', [`pipe::table`]).
fn table_in(file: &str, section: &[Line]) -> Result<Option<Vec<Row>>, PageError> {
    let blocks: Vec<Block> = html::blocks(section);
    let Some(block) = blocks
        .iter()
        .find(|b| b.lines.iter().any(|(_, l)| l.contains("table>")))
    else {
        return Ok(pipe::table(section));
    };
    html::table(block)
        .map(Some)
        .map_err(|(line, message)| PageError::broken(file, line, message))
}

/// The first table of the section `name`; none when the page has no such
/// section, or says there is nothing (`无`, the older pages' way).
fn optional_table(file: &str, sections: &Sections, name: &str) -> Result<Vec<Row>, PageError> {
    match sections.get(name) {
        Some(lines) if says_none(lines) => Ok(Vec::new()),
        Some(lines) => first_table(file, lines),
        None => Ok(Vec::new()),
    }
}

/// The section's only text, below its heading, is `无`.
fn says_none(section: &[Line]) -> bool {
    let mut text = section
        .iter()
        .skip(1)
        .map(|(_, l)| l.trim())
        .filter(|l| !l.is_empty());
    text.next() == Some("无") && text.next().is_none()
}

/// The value cell of a `key | value` row of the basic table.
fn basic<'r>(rows: &'r [Row], key: &str) -> Option<(usize, &'r html::Cell)> {
    rows.iter().find_map(|r| {
        let first = markdown(r.cells.first()?).into_iter().next()?.1;
        (first == key && r.cells.len() > 1).then(|| (r.line, &r.cells[1]))
    })
}

/// `<md-app-support types="custom,isv">`: custom is self-built, isv a store app.
fn app_types(cell: &str) -> Vec<AppType> {
    let types = elements(cell, "md-app-support")
        .first()
        .and_then(|(tag, _)| attribute(tag, "types"))
        .unwrap_or("");
    let mut out = Vec::new();
    for t in types.split(',').map(str::trim) {
        match t {
            "custom" => out.push(AppType::SelfBuilt),
            "isv" => out.push(AppType::Store),
            _ => {}
        }
    }
    out
}

/// `<md-perm name=".." desc="..">`: the scope key and its title.
fn perms(cell: &str) -> impl Iterator<Item = (String, String)> + '_ {
    elements(cell, "md-perm").into_iter().map(|(tag, title)| {
        let desc = attribute(tag, "desc").unwrap_or(title.trim());
        (
            attribute(tag, "name").unwrap_or("").to_owned(),
            desc.to_owned(),
        )
    })
}

/// `<md-tag type="token-tenant">` and the like in the Authorization row.
fn tokens(cell: &str) -> Vec<AccessToken> {
    elements(cell, "md-tag")
        .into_iter()
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
fn json_example(file: &str, name: &str, section: &[Line]) -> Result<example::Read, PageError> {
    let Some((open_line, body)) = code_block(file, section)? else {
        return Ok(example::Read::default());
    };
    let text: String = body.iter().map(|(_, l)| format!("{l}\n")).collect();
    Ok(example::read_section(name, open_line, &text))
}

/// The lines inside a section's first `<md-code-json>` element or code
/// fence, with the line that opens it.
fn code_block<'a>(
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
fn alerts(lines: &[Line]) -> Vec<String> {
    let blocks = html::blocks(lines);
    blocks
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
            (!text.is_empty()).then(|| text.join("\n"))
        })
        .collect()
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
