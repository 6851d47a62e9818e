//! The endpoint description format: serde types that mirror a
//! `schema/**/*.json` file exactly. The meta-schema editors validate with is
//! generated from these same types (see [`meta_schema`]), never by hand.
//!
//! Nothing here is checked beyond JSON shape; `ir` resolves and checks.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One endpoint, as described on one Feishu documentation page.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointSpec {
    /// Path of the meta-schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub meta_schema: Option<String>,
    /// The documentation page this file was written against.
    pub source: Source,
    /// Prefix of the endpoint's type names, e.g. `CreateChat` gives
    /// `CreateChatBody`; by default the file name and resource, e.g.
    /// `create` in `chat/` gives `CreateChat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_prefix: Option<String>,
    /// The page's one-paragraph summary.
    pub summary: String,
    /// Prerequisites, limits and caveats the page lists, one per entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path below the base URL; path parameters are written `:name`.
    pub path: String,
    /// Token types the endpoint accepts; `["none"]` for a call that sends
    /// no `Authorization` header (one that authenticates with the app's
    /// credentials in its body, or an address a browser opens). Never
    /// empty: a list the page left out is an error, not "no token".
    pub access_tokens: Vec<AccessToken>,
    /// App types that may call the endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_types: Vec<AppType>,
    /// Scopes, any one of which allows the call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// Scopes without which some response fields are left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_scopes: Vec<FieldScope>,
    /// Documented quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitSpec>,
    /// Path parameters, in path order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_params: Vec<FieldSpec>,
    /// Query parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<ObjectSpec>,
    /// Request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<ObjectSpec>,
    /// The `data` object of a successful response.
    pub response: ObjectSpec,
    /// A successful answer is a file's bytes, not JSON (the page: 返回文件二进制流);
    /// `response` then lists no fields.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub binary_response: bool,
    /// Named object and enum types the fields refer to.
    #[serde(default)]
    pub types: BTreeMap<String, TypeSpec>,
    /// Documented error codes.
    #[serde(default)]
    pub errors: Vec<ErrorSpec>,
    /// The page's own examples, kept as test data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub examples: Option<Examples>,
    /// The page's own words for fields it reaches through one of the
    /// version's shared types, where they differ from the type's (which
    /// are the words of the page it was first drafted from): `import-doc`
    /// writes them, `drift` compares the page with them. The generator does
    /// not read them: the client is built from the shared type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_words: Vec<OwnWords>,
}

/// How a page words one field of a shared type, in place of the type's
/// description, example and value meanings.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnWords {
    /// The field's path as `drift` reports it, e.g.
    /// `response.chat_tabs[].tab_content.url`.
    pub path: String,
    /// The page's description of the field.
    pub description: String,
    /// The page's 示例值; absent when the page gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// What each value means on this page, where it words it differently
    /// from the enum.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub value_descriptions: BTreeMap<String, String>,
}

/// Where the description comes from.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The page's title, e.g. `创建群`.
    pub title: String,
    /// The page's address.
    pub url: String,
    /// The day the page was last changed, e.g. `2024-11-25` (China time).
    pub last_remote_update: String,
    /// The page's `updatedAt`: when it was last changed, in milliseconds
    /// since the Unix epoch. Finer than the day, so drift sees every edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<u64>,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// Token type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessToken {
    /// `tenant_access_token`
    Tenant,
    /// `user_access_token`
    User,
    /// `app_access_token`
    App,
    /// No token at all: the call sends no `Authorization` header. Listed
    /// alone.
    #[serde(rename = "none")]
    NoToken,
}

/// App type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppType {
    /// 自建应用
    SelfBuilt,
    /// 商店应用
    Store,
}

/// A permission scope.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Scope key, e.g. `im:chat`.
    pub name: String,
    /// The scope's title in the developer console.
    pub description: String,
}

/// A scope that unlocks some fields.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldScope {
    /// Scope key, e.g. `contact:user.employee_id:readonly`.
    pub name: String,
    /// The scope's title in the developer console.
    pub description: String,
    /// When the scope is needed, as the page says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// Documented quota.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSpec {
    /// Calls per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_minute: Option<u32>,
    /// Calls per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_second: Option<u32>,
}

/// A named type.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TypeSpec {
    /// A JSON object with named fields.
    Object(ObjectSpec),
    /// A string with a documented set of values.
    Enum(EnumSpec),
}

/// A JSON object: the query, the body, the response data, or a named type.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectSpec {
    /// What the object is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields, in the doc's order.
    pub fields: Vec<FieldSpec>,
    /// Rules that span fields, checked before a request is sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
}

/// One field (or query or path parameter).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The name on the wire.
    pub name: String,
    /// `string`, `boolean`, `integer`, `number`, `json` (any JSON value),
    /// a name from `types`, or any of these followed by `[]` for an array
    /// or inside `map<string, T>` for an object whose keys are data (a map
    /// from string keys to values of type T).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the doc marks it 必填 (required).
    #[serde(default)]
    pub required: bool,
    /// The doc's description, kept in the doc's language.
    pub description: String,
    /// 默认值: what the server assumes when the field is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// 示例值.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Most characters a string may have (enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Fewest characters a string may have (enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// Most items an array may have (enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    /// Fewest items an array may have (enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    /// Smallest value an integer may have, inclusive (最小值; enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// Largest value an integer may have, inclusive (最大值; enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    /// A regular expression a string must match somewhere (enforced), as
    /// JSON Schema's `pattern`: write `^...$` to match the whole string.
    /// The syntax is the `regex-lite` crate's, which the runtime matches
    /// with: no Unicode classes such as `\p{Han}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// A length the doc recommends but the server does not enforce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_max_length: Option<usize>,
    /// What each enum value means for this field, where the doc words it
    /// differently from the shared enum.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub value_descriptions: BTreeMap<String, String>,
    /// The server deduplicates requests on this query parameter, so a
    /// request carrying it may be retried safely.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub idempotency_key: bool,
    /// This body field is a message's content: JSON text whose type the
    /// body's `msg_type` field names. The request builder gets a `message`
    /// setter that takes the typed content and sets both fields.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub message_content: bool,
    /// Fewest bytes of a `file` (1: not empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_bytes: Option<u64>,
    /// Most bytes of a `file` (`10 MB` on a page is 10 × 1024 × 1024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// Rust name, where the wire name does not make a good one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// An enum: a string, or with `"repr": "integer"` an integer, with a
/// documented set of values.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumSpec {
    /// What the values choose between.
    pub description: String,
    /// What the values are on the wire: strings (the default) or integers.
    #[serde(default, skip_serializing_if = "EnumRepr::is_string")]
    pub repr: EnumRepr,
    /// The documented values, in the doc's order.
    pub values: Vec<EnumValueSpec>,
    /// Other spellings the server or doc uses for a value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<AliasSpec>,
}

/// What an enum's values are on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnumRepr {
    /// JSON strings.
    #[default]
    String,
    /// JSON integers, e.g. `succeed_type`'s 0, 1 and 2.
    Integer,
}

impl EnumRepr {
    fn is_string(&self) -> bool {
        *self == EnumRepr::String
    }
}

/// One documented enum value.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    /// The value on the wire: a string, or in an integer enum an integer
    /// (kept here as its decimal text).
    #[serde(deserialize_with = "wire_value::deserialize")]
    #[schemars(with = "wire_value::EnumWireValue")]
    pub value: String,
    /// What it means.
    pub description: String,
    /// Rust variant name, where the value does not make a good one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// An enum value as the schema writes it: a string, or an integer kept as
/// its decimal text, so that string and integer enums share one model.
mod wire_value {
    use serde::{Deserialize, Deserializer};

    /// A string or an integer.
    #[derive(Deserialize, schemars::JsonSchema)]
    #[serde(untagged)]
    #[allow(dead_code)] // read only through its schema and `deserialize`
    pub enum EnumWireValue {
        /// A string enum's value.
        String(String),
        /// An integer enum's value.
        Integer(i64),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        Ok(match EnumWireValue::deserialize(deserializer)? {
            EnumWireValue::String(s) => s,
            EnumWireValue::Integer(i) => i.to_string(),
        })
    }
}

/// Another spelling of a documented value: it decodes to that value's
/// variant, which encodes back in the documented spelling.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AliasSpec {
    /// The spelling seen, e.g. `all members`.
    pub wire: String,
    /// The documented value it means, e.g. `all_members`.
    pub means: String,
    /// Why the alias exists.
    pub reason: String,
}

/// A rule that spans fields of one object.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The doc's wording of the rule.
    pub description: String,
    /// The rule applies only when this holds; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<ConditionSpec>,
    /// What must hold.
    pub then: CheckSpec,
    /// The error code the server answers when the rule is broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
}

/// A condition on one field; an absent field counts as its default.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// Field name in the same object.
    pub field: String,
    /// The value (enum value, string or boolean) it must equal.
    pub equals: Value,
}

/// What a rule requires.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "check", rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckSpec {
    /// The field must be set.
    Required {
        /// Field name.
        field: String,
    },
    /// The string field, when set, has at least `min` characters.
    MinLength {
        /// Field name.
        field: String,
        /// Fewest characters.
        min: usize,
    },
    /// The fields (defaults standing in for absent ones) are not all `value`.
    NotAllEqual {
        /// Field names.
        fields: Vec<String>,
        /// The forbidden common value.
        value: String,
    },
    /// None of the fields (defaults standing in for absent ones) is `value`.
    NoneEqual {
        /// Field names.
        fields: Vec<String>,
        /// The forbidden value.
        value: String,
    },
}

/// One documented error code.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    /// HTTP status the server answers with.
    pub http_status: u16,
    /// The body's `code`.
    pub code: i64,
    /// Rust variant name.
    pub name: String,
    /// The body's `msg`, as documented.
    pub message: String,
    /// 排查建议: what to do about it.
    pub advice: String,
    /// The code means "too many requests": wait and retry.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rate_limited: bool,
}

/// Examples from the page.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// 请求体示例.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<Value>,
    /// 响应体示例: the whole envelope (`code`, `msg`, `data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
}

/// One event Feishu pushes (to a webhook or over the long connection), as
/// described on one doc page: `schema/<group>/<version>/<resource>/events/<name>.json`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// Path of the meta-schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub meta_schema: Option<String>,
    /// The documentation page this file was written against.
    pub source: Source,
    /// 事件类型, e.g. `im.chat.disbanded_v1`: what the envelope names the
    /// event by (`header.event_type` in 2.0, `event.type` in 1.0).
    pub event_type: String,
    /// Which envelope the event comes in.
    pub envelope: EnvelopeVersion,
    /// Rust name of the event's struct; by default the event type without
    /// its API group, e.g. `ChatDisbandedV1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// The page's one-paragraph summary.
    pub summary: String,
    /// Prerequisites, limits and caveats the page lists, one per entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// App types that may subscribe.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_types: Vec<AppType>,
    /// Scopes, any one of which allows the subscription.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// Scopes without which some fields are left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_scopes: Vec<FieldScope>,
    /// The envelope's `event` object: what happened.
    pub event: ObjectSpec,
    /// Named object and enum types the fields refer to.
    #[serde(default)]
    pub types: BTreeMap<String, TypeSpec>,
    /// The page's example delivery (事件体示例), the whole envelope, kept as
    /// test data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// As an endpoint's: the page's own words for fields it reaches through
    /// one of the version's shared types, where they differ from the
    /// type's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_words: Vec<OwnWords>,
}

/// The two envelopes Feishu delivers events in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum EnvelopeVersion {
    /// `{"schema": "2.0", "header": {..}, "event": {..}}`
    #[serde(rename = "2.0")]
    V2,
    /// `{"uuid": .., "type": "event_callback", "event": {"type": .., ..}}`
    #[serde(rename = "1.0")]
    V1,
}

/// Named types that several endpoints of one API version use, described
/// once: `schema/<group>/<version>/types.json`. Endpoint files of that
/// version refer to them by name, as to their own `types`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypesSpec {
    /// Path of the meta-schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub meta_schema: Option<String>,
    /// What the types have in common, for the generated module's doc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Named object and enum types.
    pub types: BTreeMap<String, TypeSpec>,
}

/// One file under `schema/`, told apart by its place: `types.json` directly
/// in a version folder holds shared types, a file in an `events/` folder an
/// event, every other file an endpoint.
#[derive(Clone, Debug)]
pub enum SchemaFile {
    /// An endpoint file.
    Endpoint(Box<EndpointSpec>),
    /// A version's shared types.
    Types(TypesSpec),
    /// An event file.
    Event(Box<EventSpec>),
}

/// The folder that holds a resource's event files.
pub const EVENTS_FOLDER: &str = "events";

/// The file name that holds a version's shared types.
pub const TYPES_FILE: &str = "types.json";

/// The meta-schema for endpoint files, as pretty JSON with a final newline.
pub fn meta_schema() -> String {
    let schema = schemars::schema_for!(EndpointSpec).to_value();
    crate::render::json(schema, "$comment", "the types in codegen/src/spec.rs")
}

/// The meta-schema for event files.
pub fn event_meta_schema() -> String {
    let schema = schemars::schema_for!(EventSpec).to_value();
    crate::render::json(schema, "$comment", "the types in codegen/src/spec.rs")
}

/// The meta-schema for shared-types files.
pub fn types_meta_schema() -> String {
    let schema = schemars::schema_for!(TypesSpec).to_value();
    crate::render::json(schema, "$comment", "the types in codegen/src/spec.rs")
}
