//! What a Feishu doc page states about one endpoint, read from either form
//! the docs come in, shared by `import-doc` and `drift`. Every item carries
//! its line number so errors and reports can point at it.

mod rendered;

use std::fmt;

use feishu_codegen::spec::{AccessToken, AppType, FieldScope, HttpMethod, RateLimitSpec, Scope};
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
    /// 请求体示例.
    pub request_example: Option<Value>,
    /// 响应体示例 (the whole envelope).
    pub response_example: Option<Value>,
    /// 错误码 rows.
    pub errors: Vec<ErrorRow>,
    /// 请求头 rows other than `Authorization`.
    pub headers: Vec<Header>,
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

/// Parses a page in the rendered form. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Page, PageError> {
    rendered::parse(file, text)
}

/// Reads and parses the page at `path`; errors name it as given.
pub fn read(path: &std::path::Path) -> Result<Page, PageError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PageError {
        file: file.clone(),
        line: 1,
        message: format!("cannot read the page: {e}"),
    })?;
    parse(&file, &text)
}
