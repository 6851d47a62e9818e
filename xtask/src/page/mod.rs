//! What a Feishu doc page states about one endpoint, read from either form
//! the docs come in, shared by `import-doc` and `drift`. Every item carries
//! its line number so errors and reports can point at it.

mod cell;
mod endpoint;
mod event;
mod example;
mod flat;
mod front;
mod html;
mod pipe;
mod rows;
mod sections;
mod untyped;

use std::fmt;

use feishu_codegen::spec::{
    AccessToken, AppType, EnvelopeVersion, FieldScope, HttpMethod, RateLimitSpec, Scope,
};
use serde_json::Value;

/// A page that cannot be read as a Feishu doc page, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageError {
    /// The page file as given.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// Whether the file is no endpoint page at all or a broken one.
    pub kind: ErrorKind,
}

/// What kind of file a [`PageError`] met.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorKind {
    /// An endpoint page that cannot be read: a broken table, block or value.
    #[default]
    Broken,
    /// A file that describes no endpoint the client can call: an event
    /// page, a guide, an index, an endpoint outside `/open-apis/`, or no
    /// Feishu doc page at all. Callers walking a folder skip these.
    NoEndpoint,
}

impl PageError {
    /// An error in a page that is an endpoint page but cannot be read.
    pub(crate) fn broken(file: &str, line: usize, message: String) -> Self {
        PageError {
            file: file.to_owned(),
            line,
            message,
            kind: ErrorKind::Broken,
        }
    }

    /// The file is not an endpoint page (see [`ErrorKind::NoEndpoint`]).
    pub fn describes_no_endpoint(&self) -> bool {
        self.kind == ErrorKind::NoEndpoint
    }
}

/// The `/open-apis/…` part of the `HTTP URL` cell at `line`. An address
/// outside `/open-apis/` (the approval pages' older
/// `https://www.feishu.cn/approval/openapi/…`, on another host) is no
/// endpoint the client can call: it sends every path below `/open-apis/` of
/// its one base URL, and a schema's `path` says no host. A query string
/// some older pages write after the path (`building/list?page_size=1`) is
/// an example of the query parameters the page's table describes, not part
/// of the path.
fn api_path(file: &str, line: usize, url: &str) -> Result<String, PageError> {
    match url.find("/open-apis/") {
        Some(i) => {
            let path = url[i..].trim();
            Ok(path.split_once('?').map_or(path, |(p, _)| p).to_owned())
        }
        None => Err(PageError {
            kind: ErrorKind::NoEndpoint,
            ..PageError::broken(
                file,
                line,
                format!(
                    "describes no endpoint the client can call: `{url}` is outside /open-apis/ (the client calls paths below /open-apis/ on its one host)"
                ),
            )
        }),
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for PageError {}

/// What one doc page states about one endpoint.
#[derive(Clone, Debug)]
pub struct Page {
    /// Front matter `title`.
    pub title: String,
    /// Front matter `source_url`.
    pub source_url: String,
    /// Front matter `last_remote_update`, e.g. `2024-11-25`.
    pub last_remote_update: String,
    /// `updatedAt` (or `last_remote_update_timestamp`), in milliseconds.
    pub updated_at: Option<u64>,
    /// The API's official name, from the page's API explorer link
    /// (`{尝试一下}(url=...?project=im&version=v1&resource=chat.tab&method=create)`).
    pub api: Option<ApiName>,
    /// The first paragraph below the `#` title.
    pub summary: String,
    /// 前提条件 / 使用限制 / 注意事项, one entry per paragraph or bullet.
    pub notes: Vec<String>,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path below the host, e.g. `/open-apis/im/v1/chats`.
    pub path: String,
    /// 接口频率限制.
    pub rate_limit: Option<RateLimitSpec>,
    /// Token types named in the Authorization header row.
    pub access_tokens: Vec<AccessToken>,
    /// 支持的应用类型.
    pub app_types: Vec<AppType>,
    /// 权限要求: any one allows the call.
    pub scopes: Vec<Scope>,
    /// 字段权限要求.
    pub field_scopes: Vec<FieldScope>,
    /// 路径参数 rows.
    pub path_params: Vec<Field>,
    /// 查询参数 rows.
    pub query: Vec<Field>,
    /// 请求体 rows, nested.
    pub body: Vec<Field>,
    /// The rows below `data` in 响应体.
    pub response: Vec<Field>,
    /// A successful answer is a file's bytes: a 响应 section says
    /// 返回文件二进制流.
    pub binary_response: bool,
    /// 请求体示例.
    pub request_example: Option<Value>,
    /// 响应体示例 (the whole envelope).
    pub response_example: Option<Value>,
    /// 错误码 rows.
    pub errors: Vec<ErrorRow>,
    /// 请求头 rows other than `Authorization`.
    pub headers: Vec<Header>,
    /// What the page leaves to a human outside its fields (several
    /// examples in one block, an example meant as JSON that does not read,
    /// an error table without HTTP statuses), with its line.
    pub doubts: Vec<Misfit>,
}

/// What one doc page states about one event.
#[derive(Clone, Debug)]
pub struct EventPage {
    /// Front matter `title`.
    pub title: String,
    /// Front matter `source`.
    pub source_url: String,
    /// The day of `updatedAt`, e.g. `2024-10-30`.
    pub last_remote_update: String,
    /// `updatedAt`, in milliseconds.
    pub updated_at: Option<u64>,
    /// The event's official name, from the page's API explorer link
    /// (`...?project=im&version=v1&resource=chat&event=disbanded`).
    pub api: Option<ApiName>,
    /// The first paragraph below the `#` title.
    pub summary: String,
    /// 前提条件 / 使用限制 / 注意事项, one entry per paragraph or bullet.
    pub notes: Vec<String>,
    /// 事件类型, e.g. `im.chat.disbanded_v1`.
    pub event_type: String,
    /// 2.0 when the page has a 事件体 table, 1.0 when only an example.
    pub envelope: EnvelopeVersion,
    /// 支持的应用类型.
    pub app_types: Vec<AppType>,
    /// 权限要求: any one allows the subscription.
    pub scopes: Vec<Scope>,
    /// 字段权限要求.
    pub field_scopes: Vec<FieldScope>,
    /// The rows below `event` in 事件体 (1.0: read from the example).
    pub fields: Vec<Field>,
    /// 事件体示例 / 回调示例: the whole envelope.
    pub example: Option<Value>,
    /// What the page leaves to a human outside its fields, as [`Page::doubts`].
    pub doubts: Vec<Misfit>,
}

/// An API's official name: what the API explorer and the official SDKs
/// call it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiName {
    /// `im`
    pub project: String,
    /// `v1`
    pub version: String,
    /// `chat.tab`
    pub resource: String,
    /// `create`; an event's name (`disbanded`) when `event`.
    pub method: String,
    /// The link names an event (`event=`), not a method.
    pub event: bool,
}

impl ApiName {
    /// Finds the API explorer link's query in `text`.
    pub fn find(text: &str) -> Option<ApiName> {
        let start = text.find("api_explore_config?")? + "api_explore_config?".len();
        let query = &text[start..];
        let query = &query[..query.find([')', ' ', '"']).unwrap_or(query.len())];
        let value = |key: &str| {
            query.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (k == key && !v.is_empty()).then(|| v.to_owned())
            })
        };
        let (method, event) = match value("method") {
            Some(method) => (method, false),
            None => (value("event")?, true),
        };
        Some(ApiName {
            project: value("project")?,
            version: value("version")?,
            resource: value("resource")?,
            method,
            event,
        })
    }
}

impl Page {
    /// Every [`Misfit`] of every field, in page order, as `file:line: message`.
    pub fn misfits(&self, file: &str) -> Vec<String> {
        misfits(
            file,
            &[&self.path_params, &self.query, &self.body, &self.response],
            &self.doubts,
        )
    }
}

impl EventPage {
    /// Every [`Misfit`] of every field, in page order, as `file:line: message`.
    pub fn misfits(&self, file: &str) -> Vec<String> {
        misfits(file, &[&self.fields], &self.doubts)
    }
}

/// The misfits of `lists` of fields, nested ones included, and `more`, in
/// page order.
fn misfits(file: &str, lists: &[&[Field]], more: &[Misfit]) -> Vec<String> {
    fn walk<'a>(fields: &'a [Field], out: &mut Vec<&'a Misfit>) {
        for field in fields {
            out.extend(&field.misfits);
            walk(&field.fields, out);
        }
    }
    let mut all: Vec<&Misfit> = more.iter().collect();
    for fields in lists {
        walk(fields, &mut all);
    }
    all.sort_by_key(|m| m.line);
    all.iter()
        .map(|m| format!("{file}:{}: {}", m.line, m.message))
        .collect()
}

/// One 请求头 row other than `Authorization`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Line of the row.
    pub line: usize,
    /// Header name, e.g. `Content-Type`.
    pub name: String,
    /// 必填 is 是.
    pub required: bool,
    /// The description, e.g. `**固定值**："application/json; charset=utf-8"`.
    pub description: String,
}

/// A field's type as the page writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `int`, `integer`, `int32`, `int64`
    Integer,
    /// `float`, `double`, `number`
    Number,
    /// An object type; the page's name for it (`-` when unnamed). Its rows
    /// are the field's `fields`.
    Object(String),
    /// `T[]`
    Array(Box<FieldType>),
    /// `map<string, T>`: an object whose keys are data, each value a T.
    Map(Box<FieldType>),
    /// `union`: any JSON value, e.g. a bitable cell, whose shape the
    /// column decides (`json` in the schema).
    Json,
    /// `file` with no rows below it, a field of a request body: the file
    /// to upload, which makes the body `multipart/form-data`.
    File,
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::String => f.write_str("string"),
            FieldType::Boolean => f.write_str("boolean"),
            FieldType::Integer => f.write_str("integer"),
            FieldType::Number => f.write_str("number"),
            FieldType::Object(_) => f.write_str("object"),
            FieldType::Array(item) => write!(f, "{item}[]"),
            FieldType::Map(value) => write!(f, "map<string, {value}>"),
            FieldType::Json => f.write_str("json"),
            FieldType::File => f.write_str("file"),
        }
    }
}

/// Enforced bounds stated under 数据校验规则.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// 最大长度 of a string.
    pub max_length: Option<usize>,
    /// 最小长度 of a string.
    pub min_length: Option<usize>,
    /// 最大长度 of an array.
    pub max_items: Option<usize>,
    /// 最小长度 of an array.
    pub min_items: Option<usize>,
    /// 最大值 of a number.
    pub maximum: Option<i64>,
    /// 最小值 of a number.
    pub minimum: Option<i64>,
    /// 正则 / pattern a string must match.
    pub pattern: Option<String>,
    /// Fewest bytes of a file (its description: not empty, 大小在 3KB-…).
    pub min_bytes: Option<u64>,
    /// Most bytes of a file (its description: 不能超过 10 MB, 最大 300 MB).
    pub max_bytes: Option<u64>,
}

/// One row of a 名称 | 类型 | 必填 | 描述 table, with the rows it owns.
#[derive(Clone, Debug)]
pub struct Field {
    /// Line of the row.
    pub line: usize,
    /// Wire name.
    pub name: String,
    /// Type.
    pub ty: FieldType,
    /// 必填 is 是 (always false in 响应体, which has no such column).
    pub required: bool,
    /// The description without the marked parts below, `==x==` as `` `x` ``.
    pub description: String,
    /// 默认值, typed by the field (`空` counts as none).
    pub default: Option<Value>,
    /// 示例值.
    pub example: Option<Value>,
    /// 数据校验规则.
    pub limits: Limits,
    /// 可选值有: value and meaning, in page order.
    pub values: Vec<(String, String)>,
    /// Rows of an object type (or an array of one).
    pub fields: Vec<Field>,
    /// What the row states that cannot be used as stated (an example that
    /// does not fit the type), with its line: reported, left out of the
    /// page, never a reason to refuse the page.
    pub misfits: Vec<Misfit>,
}

/// A statement of the page that contradicts the page, left out of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misfit {
    /// Line of the statement.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// One row of the 错误码 table.
#[derive(Clone, Debug)]
pub struct ErrorRow {
    /// Line of the row.
    pub line: usize,
    /// HTTP状态码.
    pub http_status: u16,
    /// 错误码.
    pub code: i64,
    /// 描述 (the `msg`).
    pub message: String,
    /// 排查建议.
    pub advice: String,
}

/// Parses an endpoint page in either form, picked by its first line:
/// `<!--` starts the doc-source form, `---` the rendered one. `file` names
/// it in errors.
pub fn parse(file: &str, text: &str) -> Result<Page, PageError> {
    endpoint::parse(file, text)
}

/// Parses an endpoint page in either form ([`parse`]).
pub fn parse_any(file: &str, text: &str) -> Result<Page, PageError> {
    endpoint::parse(file, text)
}

/// Parses an event page in either form. `file` names it in errors.
pub fn parse_event(file: &str, text: &str) -> Result<EventPage, PageError> {
    event::parse_event(file, text)
}

/// A doc page of either kind.
#[derive(Clone, Debug)]
pub enum AnyPage {
    /// An endpoint page.
    Endpoint(Box<Page>),
    /// An event page.
    Event(Box<EventPage>),
}

impl AnyPage {
    /// The page's address.
    pub fn source_url(&self) -> &str {
        match self {
            AnyPage::Endpoint(page) => &page.source_url,
            AnyPage::Event(page) => &page.source_url,
        }
    }

    /// The official name, from the page's API explorer link.
    pub fn api(&self) -> Option<&ApiName> {
        match self {
            AnyPage::Endpoint(page) => page.api.as_ref(),
            AnyPage::Event(page) => page.api.as_ref(),
        }
    }
}

/// Reads and parses the page at `path`, an endpoint page in either form or
/// an event page; errors name it as given. A file that is neither is a
/// [`ErrorKind::NoEndpoint`] error.
pub fn read_any(path: &std::path::Path) -> Result<AnyPage, PageError> {
    let (file, text) = read_text(path)?;
    match parse_any(&file, &text) {
        Ok(page) => Ok(AnyPage::Endpoint(Box::new(page))),
        Err(e) if e.describes_no_endpoint() => match parse_event(&file, &text) {
            Ok(page) => Ok(AnyPage::Event(Box::new(page))),
            // Neither: say why it is no endpoint page.
            Err(event) if event.describes_no_endpoint() => Err(e),
            Err(event) => Err(event),
        },
        Err(e) => Err(e),
    }
}

/// Reads and parses the event page at `path`.
pub fn read_event(path: &std::path::Path) -> Result<EventPage, PageError> {
    let (file, text) = read_text(path)?;
    parse_event(&file, &text)
}

/// Reads and parses the page at `path`, in either form; errors name it as
/// given.
pub fn read(path: &std::path::Path) -> Result<Page, PageError> {
    let (file, text) = read_text(path)?;
    parse_any(&file, &text)
}

fn read_text(path: &std::path::Path) -> Result<(String, String), PageError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PageError {
        file: file.clone(),
        line: 1,
        message: format!("cannot read the page: {e}"),
        kind: ErrorKind::Broken,
    })?;
    Ok((file, text))
}

#[cfg(test)]
mod tests {
    use super::{ApiName, api_path};

    #[test]
    fn an_address_s_query_string_is_no_part_of_its_path() {
        let url =
            "https://open.feishu.cn/open-apis/meeting_room/building/list?page_size=1&fields=*";
        assert_eq!(
            api_path("p.md", 1, url).unwrap(),
            "/open-apis/meeting_room/building/list"
        );
        let url = "https://www.feishu.cn/approval/openapi/v2/instance/search";
        assert!(
            api_path("p.md", 1, url)
                .unwrap_err()
                .describes_no_endpoint()
        );
    }

    #[test]
    fn api_name_comes_from_the_explorer_link() {
        let line = "在指定会话内添加标签页。{尝试一下}(url=/api/tools/api_explore/api_explore_config?project=im&version=v1&resource=chat.tab&method=create)";
        assert_eq!(
            ApiName::find(line),
            Some(ApiName {
                project: "im".into(),
                version: "v1".into(),
                resource: "chat.tab".into(),
                method: "create".into(),
                event: false,
            })
        );
        let event = "{使用示例}(url=/api/tools/api_explore/api_explore_config?project=im&version=v1&resource=chat.member.user&event=added)";
        assert_eq!(
            ApiName::find(event),
            Some(ApiName {
                project: "im".into(),
                version: "v1".into(),
                resource: "chat.member.user".into(),
                method: "added".into(),
                event: true,
            })
        );
        assert_eq!(
            ApiName::find("api_explore_config?project=im&version=v1&resource=chat"),
            None
        );
        assert_eq!(ApiName::find("no link here"), None);
    }
}
