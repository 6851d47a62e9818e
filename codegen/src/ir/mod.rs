//! The resolved model: every name chosen, every reference resolved, every
//! limit typed, every fact the emitters need computed. [`check`] builds it
//! and is the one place that checks what a human can get wrong in the
//! schema files; emitting from the model cannot fail, and nothing after
//! this step reads [`crate::spec`].
//!
//! The checker is split by concern: `names` (identifiers), `scope` (which
//! names a file can refer to), `types` (named types, objects and fields),
//! `graph` (cycles, nesting depth, defaults and validation, computed once
//! per type), `rules` (cross-field rules), `values` (defaults and
//! examples), `endpoint` (one endpoint file) and `tree` (what spans files:
//! module names and cargo features).

mod endpoint;
mod event;
mod graph;
pub(crate) mod names;
mod rules;
mod scope;
mod tree;
mod types;
mod values;

pub use event::default_event_name;
pub use names::is_type_ident;
pub use types::taken_type_names;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::problem::Problem;
use crate::spec::{EndpointSpec, SchemaFile};

/// Everything under `schema/`, checked and resolved.
#[derive(Clone, Debug, Default)]
pub struct Api {
    /// Endpoints, in file order.
    pub endpoints: Vec<Endpoint>,
    /// Each API version's shared types, in file order.
    pub shared: Vec<SharedTypes>,
    /// Event types, in file order.
    pub events: Vec<EventType>,
}

/// One event type Feishu pushes, ready to emit: a struct for its `event`
/// object, in a module of its own.
#[derive(Clone, Debug)]
pub struct EventType {
    /// The schema file, relative to the workspace root.
    pub source_file: String,
    /// Module path: `["im", "v1", "chat", "events", "disbanded"]`.
    pub module_path: Vec<String>,
    /// The page this was written against.
    pub source: Source,
    /// The page's summary.
    pub summary: String,
    /// The page's notes.
    pub notes: Vec<String>,
    /// 事件类型 as the envelope writes it, e.g. `im.chat.disbanded_v1`.
    pub wire: String,
    /// Which envelope it comes in.
    pub envelope: Envelope,
    /// App types that may subscribe.
    pub app_types: Vec<AppType>,
    /// Scopes, any one of which allows the subscription.
    pub scopes: Vec<Scope>,
    /// Scopes that unlock fields.
    pub field_scopes: Vec<FieldScope>,
    /// The `event` object; its name is the event's Rust name.
    pub body: Object,
    /// The event's own named types, in name order.
    pub types: Vec<NamedType>,
    /// The shared types it names; its module re-exports them.
    pub shared: Option<SharedUse>,
    /// The schema keeps the page's example delivery, which a generated test
    /// decodes.
    pub example: bool,
}

impl EventType {
    /// The Rust name of the event's struct and of its variant in the
    /// version's event enum.
    pub fn rust_name(&self) -> &str {
        &self.body.rust_name
    }

    /// Dotted id, e.g. `im.v1.chat.events.disbanded`, spelled as
    /// [`Endpoint::id`] spells an endpoint's.
    pub fn id(&self) -> String {
        dotted_id(&self.module_path)
    }
}

/// The envelope an event comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envelope {
    /// 2.0: the type in `header.event_type`.
    V2,
    /// 1.0: the type in `event.type`.
    V1,
}

/// The types one API version's endpoints share (`types.json`).
#[derive(Clone, Debug)]
pub struct SharedTypes {
    /// The schema file, relative to the workspace root.
    pub source_file: String,
    /// Module path: `["im", "v1", "types"]`.
    pub module_path: Vec<String>,
    /// What the types have in common.
    pub description: String,
    /// Named types, in name order.
    pub types: Vec<NamedType>,
}

/// One endpoint, ready to emit.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The schema file, relative to the workspace root, with `/` separators.
    pub source_file: String,
    /// The request builder's name, `{prefix}Request`.
    pub request_name: String,
    /// Module path below the crate root: `["im", "v1", "chat", "create"]`.
    /// The last segment is also the client method's name.
    pub module_path: Vec<String>,
    /// The page this was written against.
    pub source: Source,
    /// The page's summary.
    pub summary: String,
    /// The page's notes.
    pub notes: Vec<String>,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: String,
    /// Path parameters, in path order.
    pub path_params: Vec<Field>,
    /// Accepted tokens; empty when the call sends none (`["none"]` in
    /// the schema).
    pub access_tokens: Vec<AccessToken>,
    /// Allowed app types.
    pub app_types: Vec<AppType>,
    /// Scopes, any one of which allows the call.
    pub scopes: Vec<Scope>,
    /// Scopes that unlock fields.
    pub field_scopes: Vec<FieldScope>,
    /// Documented quota.
    pub rate_limit: Option<RateLimit>,
    /// Wire name of the query parameter the server deduplicates on.
    pub idempotency_key: Option<String>,
    /// The body's typed-message setter, where a body field holds a
    /// message's content.
    pub message_setter: Option<MessageSetter>,
    /// Query parameters, as an object named `{prefix}Query`.
    pub query: Option<Object>,
    /// Request body, named `{prefix}Body`.
    pub body: Option<Object>,
    /// Response data, named `{prefix}Data`.
    pub response: Object,
    /// A successful answer is a file's bytes: `send` answers a
    /// `Download`, and `response` is unused.
    pub binary_response: bool,
    /// The body holds a file, so it goes out as `multipart/form-data`.
    pub multipart: bool,
    /// The endpoint's own named types, in name order.
    pub types: Vec<NamedType>,
    /// The shared types the endpoint names, directly or through other
    /// shared types; its module re-exports them.
    pub shared: Option<SharedUse>,
    /// Documented error codes, named `{prefix}ErrorCode`.
    pub errors: ErrorCodes,
    /// How the endpoint pages, when it is a list endpoint.
    pub paging: Option<Paging>,
    /// Which of the page's examples the schema keeps (`examples`), each
    /// checked against the generated types by a generated test.
    pub page_examples: PageExamples,
    /// The `data` of the page's response example, as compact JSON: what
    /// the fake Feishu answers for this endpoint.
    pub example_data: Option<String>,
}

/// Which of a page's examples an endpoint's schema keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageExamples {
    /// 请求体示例 (`examples.request_body`).
    pub request_body: bool,
    /// 响应体示例 (`examples.response`).
    pub response: bool,
}

/// A list endpoint: `page_token` (string) and `page_size` (integer) in the
/// query, and `has_more` (boolean), `page_token` (string) and exactly one
/// array in the response data. Its builder walks the pages as a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paging {
    /// Rust name of the response field holding a page's items.
    pub items_field: String,
    /// Wire name of that field.
    pub items_wire: String,
    /// The type of one item.
    pub item_type: Type,
}

impl Endpoint {
    /// Dotted id, e.g. `im.v1.chat.create`: the schema's names, so a
    /// keyword module `move_` is `move` here.
    pub fn id(&self) -> String {
        dotted_id(&self.module_path)
    }

    /// The client method name (the file name).
    pub fn method_name(&self) -> &str {
        self.module_path.last().expect("module path is never empty")
    }
}

/// A module path as the schema names it: a keyword module `move_` is
/// `move` here.
fn dotted_id(module_path: &[String]) -> String {
    let names: Vec<&str> = module_path.iter().map(|m| names::schema_name(m)).collect();
    names.join(".")
}

/// The shared types one endpoint names, directly or through other shared
/// types.
#[derive(Clone, Debug)]
pub struct SharedUse {
    /// The module that declares them: `["im", "v1", "types"]`.
    pub module_path: Vec<String>,
    /// Their names, in name order.
    pub names: Vec<String>,
}

/// Where a description comes from.
#[derive(Clone, Debug)]
pub struct Source {
    /// The page's title.
    pub title: String,
    /// The page's address.
    pub url: String,
    /// When the page last changed, e.g. `2024-11-25`.
    pub last_remote_update: String,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A token type an endpoint accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessToken {
    /// `tenant_access_token`
    Tenant,
    /// `user_access_token`
    User,
    /// `app_access_token`
    App,
}

impl AccessToken {
    /// The token's name in the docs.
    pub fn wire_name(self) -> &'static str {
        match self {
            AccessToken::Tenant => "tenant_access_token",
            AccessToken::User => "user_access_token",
            AccessToken::App => "app_access_token",
        }
    }
}

/// An app type allowed to call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppType {
    /// 自建应用
    SelfBuilt,
    /// 商店应用
    Store,
}

/// A permission scope.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Scope key, e.g. `im:chat`.
    pub name: String,
    /// Its title in the developer console.
    pub description: String,
}

/// A scope that unlocks some fields.
#[derive(Clone, Debug)]
pub struct FieldScope {
    /// Scope key.
    pub name: String,
    /// Its title in the developer console.
    pub description: String,
    /// When it is needed.
    pub when: Option<String>,
}

/// The body fields a `message` setter fills from typed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageSetter {
    /// Rust name of the field holding the content's JSON text.
    pub content: String,
    /// Rust name of the field naming the content's type.
    pub msg_type: String,
}

/// A documented quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls per minute.
    pub per_minute: Option<u32>,
    /// Calls per second.
    pub per_second: Option<u32>,
}

/// A named type.
#[derive(Clone, Debug)]
pub enum NamedType {
    /// A struct.
    Object(Object),
    /// An open string enum.
    Enum(Enum),
}

impl NamedType {
    /// The Rust type name.
    pub fn rust_name(&self) -> &str {
        match self {
            NamedType::Object(o) => &o.rust_name,
            NamedType::Enum(e) => &e.rust_name,
        }
    }
}

/// A struct.
#[derive(Clone, Debug)]
pub struct Object {
    /// Rust type name.
    pub rust_name: String,
    /// What it is.
    pub description: String,
    /// Fields in doc order.
    pub fields: Vec<Field>,
    /// Cross-field rules.
    pub rules: Vec<CrossFieldRule>,
    /// A value has something to check: a required field, a limit or rule of
    /// its own, or of an object it holds.
    pub validates: bool,
    /// How many objects deep it nests inline, itself counting one.
    pub nesting: usize,
}

/// A field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name (may carry a trailing `_` for keywords).
    pub rust_name: String,
    /// Resolved type.
    pub ty: Type,
    /// Must be set.
    pub required: bool,
    /// The doc's description.
    pub description: String,
    /// Documented default.
    pub default: Option<Scalar>,
    /// Documented example.
    pub example: Option<Value>,
    /// Enforced bounds and pattern.
    pub limits: Limits,
    /// A recommended, unenforced length.
    pub recommended_max_length: Option<usize>,
    /// Field-specific wording of enum values, in value order.
    pub value_descriptions: Vec<(String, String)>,
    /// The value holds objects with checks of their own to run.
    pub validates_inside: bool,
}

/// Enforced bounds of a field, and the pattern a string must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Fewest characters.
    pub min_length: Option<usize>,
    /// Most characters.
    pub max_length: Option<usize>,
    /// Fewest items.
    pub min_items: Option<usize>,
    /// Most items.
    pub max_items: Option<usize>,
    /// Smallest integer, inclusive.
    pub minimum: Option<i64>,
    /// Largest integer, inclusive.
    pub maximum: Option<i64>,
    /// A regular expression the string matches somewhere.
    pub pattern: Option<String>,
    /// Fewest bytes of a file.
    pub min_bytes: Option<u64>,
    /// Most bytes of a file.
    pub max_bytes: Option<u64>,
}

impl Limits {
    /// Whether any bound is set.
    pub fn any(&self) -> bool {
        *self != Limits::default()
    }
}

/// A resolved type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// `String`
    String,
    /// `bool`
    Boolean,
    /// `i64`
    Integer,
    /// `f64`
    Number,
    /// A named enum of strings.
    Enum(String),
    /// A named enum of integers.
    IntEnum(String),
    /// A named struct.
    Object(String),
    /// `Vec<T>`
    Array(Box<Type>),
    /// `BTreeMap<String, T>`: a JSON object whose keys are data, not field
    /// names (`map<string, T>` in the schema). A `BTreeMap` rather than a
    /// `HashMap`, so that encoding a value gives the same bytes every time.
    Map(Box<Type>),
    /// `serde_json::Value`: any JSON value (`json` in the schema), for what a
    /// page types `union`, e.g. a bitable cell, whose shape depends on
    /// the column.
    Json,
    /// A file to upload (`file` in the schema): only a request body's own
    /// field, and it makes the body `multipart/form-data`.
    File,
}

impl Type {
    /// The type as the schema spells it, for messages.
    pub fn describe(&self) -> String {
        match self {
            Type::String => "string".into(),
            Type::Boolean => "boolean".into(),
            Type::Integer => "integer".into(),
            Type::Number => "number".into(),
            Type::Enum(n) | Type::IntEnum(n) | Type::Object(n) => n.clone(),
            Type::Array(inner) => format!("{}[]", inner.describe()),
            Type::Map(value) => format!("map<string, {}>", value.describe()),
            Type::Json => "json".into(),
            Type::File => "file".into(),
        }
    }
}

/// A scalar value from the schema (a default, a rule's operand), typed
/// against its field.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A boolean.
    Bool(bool),
    /// A string or enum value (the wire text).
    Str(String),
    /// An integer.
    Int(i64),
    /// A number.
    Number(f64),
}

impl Scalar {
    /// The value as JSON text, for doc comments and messages.
    pub fn to_json(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Str(s) => format!("{s:?}"),
            Scalar::Int(i) => i.to_string(),
            Scalar::Number(n) => n.to_string(),
        }
    }
}

/// An open enum of strings or integers.
#[derive(Clone, Debug)]
pub struct Enum {
    /// Rust type name.
    pub rust_name: String,
    /// The values are JSON integers, not strings.
    pub integer: bool,
    /// What it chooses.
    pub description: String,
    /// Documented values.
    pub variants: Vec<Variant>,
    /// Other spellings.
    pub aliases: Vec<Alias>,
}

/// A documented enum value.
#[derive(Clone, Debug)]
pub struct Variant {
    /// Wire text: the string, or the integer's decimal text.
    pub wire: String,
    /// The integer, in an integer enum.
    pub number: Option<i64>,
    /// Rust variant name.
    pub rust_name: String,
    /// Meaning.
    pub description: String,
}

/// Another spelling of a documented value.
#[derive(Clone, Debug)]
pub struct Alias {
    /// The spelling seen.
    pub wire: String,
    /// The variant it decodes to.
    pub variant: String,
    /// Why it exists.
    pub reason: String,
}

/// A rule that spans fields of one object.
#[derive(Clone, Debug)]
pub struct CrossFieldRule {
    /// The doc's wording.
    pub description: String,
    /// When it applies.
    pub when: Option<Condition>,
    /// What must hold.
    pub check: Check,
    /// The server's code for breaking it.
    pub error_code: Option<i64>,
}

/// `field == value`, with the field's default standing in when absent.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The field.
    pub field: Field,
    /// The value.
    pub equals: Scalar,
}

/// What a rule requires.
#[derive(Clone, Debug)]
pub enum Check {
    /// The field must be set.
    Required(Field),
    /// The string field has at least `min` characters.
    MinLength(Field, usize),
    /// The fields are not all `value`.
    NotAllEqual(Vec<Field>, String),
    /// No field is `value`.
    NoneEqual(Vec<Field>, String),
}

/// The endpoint's documented error codes.
#[derive(Clone, Debug)]
pub struct ErrorCodes {
    /// Rust enum name.
    pub rust_name: String,
    /// In doc order.
    pub cases: Vec<ErrorCase>,
}

/// One documented error code.
#[derive(Clone, Debug)]
pub struct ErrorCase {
    /// HTTP status.
    pub http_status: u16,
    /// The body's `code`.
    pub code: i64,
    /// Rust variant name.
    pub name: String,
    /// The body's `msg`.
    pub message: String,
    /// What to do about it.
    pub advice: String,
    /// Means "too many requests".
    pub rate_limited: bool,
}

/// Checks every loaded file and resolves them together: each version's
/// shared types first, then the endpoints that refer to them, then what
/// spans files. `files` holds paths relative to the workspace root
/// (`schema/im/v1/chat/create.json`); `features` the generated crate's
/// cargo features, one of which every API group needs. Every problem of
/// every file is reported at once.
///
/// `unloaded` names the files that did not load, whose problems the
/// caller has. A file naming a type that one of them may declare is left
/// unchecked, so that one mistake is reported once, where it is. The
/// model is then incomplete, so the result is `Err`, with no problem of
/// its own if none was found.
pub fn check(
    files: &[(String, SchemaFile)],
    unloaded: &BTreeSet<&str>,
    features: &BTreeSet<String>,
) -> Result<Api, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut api = Api::default();
    for (file, spec) in files {
        if let SchemaFile::Types(spec) = spec {
            let (shared, mut found) = types::shared(file, spec);
            api.shared.extend(shared);
            problems.append(&mut found);
        }
    }
    let endpoints: Vec<(&str, &EndpointSpec)> = files
        .iter()
        .filter_map(|(file, spec)| match spec {
            SchemaFile::Endpoint(spec) => Some((file.as_str(), &**spec)),
            SchemaFile::Types(_) | SchemaFile::Event(_) => None,
        })
        .collect();
    // Each endpoint is resolved on its own, so on every core; results and
    // problems keep file order.
    let resolved = crate::parallel::map(&endpoints, |&(file, spec)| {
        endpoint::resolve(file, spec, tree::shared_for(file, &api.shared, unloaded))
    });
    for result in resolved {
        match result {
            Ok(endpoint) => api.endpoints.push(endpoint),
            Err(mut found) => problems.append(&mut found),
        }
    }
    for (file, spec) in files {
        if let SchemaFile::Event(spec) = spec {
            let shared = tree::shared_for(file, &api.shared, unloaded);
            match event::resolve(file, spec, shared) {
                Ok(event) => api.events.push(event),
                Err(mut found) => problems.append(&mut found),
            }
        }
    }
    problems.extend(tree::problems(&api, features));
    if problems.is_empty() && unloaded.is_empty() {
        Ok(api)
    } else {
        Err(problems)
    }
}

/// Collects the problems of one file.
pub(crate) struct Sink<'a> {
    file: &'a str,
    problems: Vec<Problem>,
    /// The file is left unchecked: see [`Sink::mute`].
    muted: bool,
}

impl<'a> Sink<'a> {
    fn new(file: &'a str) -> Self {
        Sink {
            file,
            problems: Vec::new(),
            muted: false,
        }
    }

    /// Drops the file's problems, found and to come: it names a type that
    /// a file which did not load may declare, so each of them may only
    /// follow from that file's problem. They show once it loads.
    fn mute(&mut self) {
        self.muted = true;
        self.problems.clear();
    }

    fn problem(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        if self.muted {
            return;
        }
        self.problems.push(Problem {
            file: self.file.to_owned(),
            path: path.into(),
            message: message.into(),
            fix: fix.into(),
        });
    }

    /// `value` when nothing went wrong, else every problem (none when the
    /// file is left unchecked).
    fn finish<T>(self, value: T) -> Result<T, Vec<Problem>> {
        if self.problems.is_empty() && !self.muted {
            Ok(value)
        } else {
            Err(self.problems)
        }
    }
}
