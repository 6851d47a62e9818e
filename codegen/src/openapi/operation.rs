//! One endpoint's operation under `paths`, its documented errors under
//! `components/responses`, and the parts of an operation a webhook's has
//! too.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::schema::FieldSchema;
use super::{Names, Reference};
use crate::ir::{AppType, Endpoint, ErrorCase, ErrorCodes, Field, FieldScope, Scope, Source};

/// The operation of `endpoint`, made as it is written.
pub struct Operation<'a> {
    pub names: &'a Names<'a>,
    pub endpoint: &'a Endpoint,
    /// Other endpoints at the same method and path, by id.
    pub variants: Vec<(&'a Names<'a>, &'a Endpoint)>,
}

impl Serialize for Operation<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (names, e) = (self.names, self.endpoint);
        let parameters: Vec<Parameter> = e
            .path_params
            .iter()
            .map(|field| Parameter::new(names, field, "path"))
            .chain(
                e.query
                    .iter()
                    .flat_map(|q| &q.fields)
                    .map(|field| Parameter::new(names, field, "query")),
            )
            .collect();
        let mut statuses: Vec<u16> = e.errors.cases.iter().map(|c| c.http_status).collect();
        statuses.sort_unstable();
        statuses.dedup();
        OperationView {
            operation_id: names.id.as_str(),
            summary: &e.source.title,
            description: description(&e.summary, &e.notes),
            tags: [&e.module_path[0]],
            external_docs: ExternalDocs::new(&e.source),
            parameters,
            request_body: e.body.as_ref().map(|body| RequestBody {
                required: true,
                description: None,
                content: {
                    let schema = Reference::schema(&names.component(&body.rust_name));
                    match e.multipart {
                        true => Content::form(schema),
                        false => Content::json(schema),
                    }
                },
            }),
            responses: Responses {
                data: (!e.binary_response).then(|| names.component(&e.response.rust_name)),
                error: names.component(&e.errors.rust_name),
                statuses,
            },
            security: e
                .access_tokens
                .iter()
                .map(|t| Security(t.wire_name()))
                .collect(),
            rate_limit: e.rate_limit.map(|l| RateLimit {
                per_minute: l.per_minute,
                per_second: l.per_second,
            }),
            access: Access::new(&e.scopes, &e.field_scopes, &e.app_types),
            error_codes: Codes(&e.errors.cases),
            idempotency_key: e.idempotency_key.as_deref(),
            paged: e.paging.as_ref().map(|p| Paged {
                items: &p.items_wire,
            }),
            variants: self
                .variants
                .iter()
                .map(|(names, e)| Variant {
                    operation_id: names.id.as_str(),
                    summary: &e.source.title,
                    external_docs: ExternalDocs::new(&e.source),
                    request_body: e
                        .body
                        .as_ref()
                        .map(|body| Reference::schema(&names.component(&body.rust_name))),
                    response: Reference::schema(&names.component(&e.response.rust_name)),
                })
                .collect(),
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct OperationView<'a> {
    #[serde(rename = "operationId")]
    operation_id: &'a str,
    summary: &'a str,
    description: String,
    tags: [&'a String; 1],
    #[serde(rename = "externalDocs")]
    external_docs: ExternalDocs<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<Parameter<'a>>,
    #[serde(rename = "requestBody", skip_serializing_if = "Option::is_none")]
    request_body: Option<RequestBody<Reference>>,
    responses: Responses,
    security: Vec<Security>,
    #[serde(rename = "x-ratelimit", skip_serializing_if = "Option::is_none")]
    rate_limit: Option<RateLimit>,
    #[serde(flatten)]
    access: Access<'a>,
    #[serde(rename = "x-feishu-error-codes")]
    error_codes: Codes<'a>,
    #[serde(
        rename = "x-feishu-idempotency-key",
        skip_serializing_if = "Option::is_none"
    )]
    idempotency_key: Option<&'a str>,
    /// A list endpoint: the response field that holds a page's items.
    #[serde(rename = "x-feishu-paged", skip_serializing_if = "Option::is_none")]
    paged: Option<Paged<'a>>,
    #[serde(rename = "x-feishu-variants", skip_serializing_if = "Vec::is_empty")]
    variants: Vec<Variant<'a>>,
}

/// `x-feishu-variants`: another documented endpoint at the same method and
/// path, with its own body and data schemas.
#[derive(Serialize)]
struct Variant<'a> {
    #[serde(rename = "operationId")]
    operation_id: &'a str,
    summary: &'a str,
    #[serde(rename = "externalDocs")]
    external_docs: ExternalDocs<'a>,
    #[serde(rename = "requestBody", skip_serializing_if = "Option::is_none")]
    request_body: Option<Reference>,
    #[serde(rename = "x-feishu-data")]
    response: Reference,
}

/// `x-feishu-paged`: the endpoint pages with `page_token`/`has_more`, and
/// `items` names the array of each page.
#[derive(Serialize)]
struct Paged<'a> {
    items: &'a str,
}

/// The page's summary, then each note as a list item.
pub fn description(summary: &str, notes: &[String]) -> String {
    let mut description = summary.to_owned();
    for note in notes {
        description.push_str("\n\n- ");
        description.push_str(note);
    }
    description
}

/// The page an operation was written against.
#[derive(Serialize)]
pub struct ExternalDocs<'a> {
    url: &'a str,
    description: String,
}

impl<'a> ExternalDocs<'a> {
    pub fn new(source: &'a Source) -> Self {
        ExternalDocs {
            url: &source.url,
            description: format!("last updated {}", source.last_remote_update),
        }
    }
}

/// Who may call an endpoint or subscribe to an event: `x-feishu-scopes`,
/// `x-feishu-field-scopes` and `x-feishu-app-types`, in that order.
#[derive(Serialize)]
pub struct Access<'a> {
    #[serde(rename = "x-feishu-scopes")]
    scopes: Vec<ScopeView<'a>>,
    #[serde(
        rename = "x-feishu-field-scopes",
        skip_serializing_if = "Vec::is_empty"
    )]
    field_scopes: Vec<FieldScopeView<'a>>,
    #[serde(rename = "x-feishu-app-types")]
    app_types: Vec<&'static str>,
}

impl<'a> Access<'a> {
    pub fn new(scopes: &'a [Scope], field_scopes: &'a [FieldScope], app_types: &[AppType]) -> Self {
        Access {
            scopes: scopes.iter().map(ScopeView).collect(),
            field_scopes: field_scopes.iter().map(FieldScopeView).collect(),
            app_types: app_types
                .iter()
                .map(|a| match a {
                    AppType::SelfBuilt => "self_built",
                    AppType::Store => "store",
                })
                .collect(),
        }
    }
}

/// A path or query parameter.
#[derive(Serialize)]
struct Parameter<'a> {
    name: &'a str,
    #[serde(rename = "in")]
    location: &'static str,
    required: bool,
    description: &'a str,
    schema: FieldSchema<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<&'a serde_json::Value>,
}

impl<'a> Parameter<'a> {
    fn new(names: &'a Names<'a>, field: &'a Field, location: &'static str) -> Self {
        Parameter {
            name: &field.wire_name,
            location,
            required: field.required || location == "path",
            description: &field.description,
            schema: FieldSchema { names, field },
            example: field.example.as_ref(),
        }
    }
}

#[derive(Serialize)]
pub struct RequestBody<T> {
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'static str>,
    pub content: Content<T>,
}

/// `{"<media type>": {"schema": …}}`: JSON, or a multipart form.
pub struct Content<T> {
    media_type: &'static str,
    schema: MediaType<T>,
}

#[derive(Serialize)]
struct MediaType<T> {
    schema: T,
}

impl<T> Content<T> {
    pub fn json(schema: T) -> Self {
        Content {
            media_type: "application/json",
            schema: MediaType { schema },
        }
    }

    /// A request body that holds a file.
    pub fn form(schema: T) -> Self {
        Content {
            media_type: "multipart/form-data",
            schema: MediaType { schema },
        }
    }
}

impl<T: Serialize> Serialize for Content<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.media_type, &self.schema)?;
        map.end()
    }
}

/// `200` with the success envelope, then each documented error's status
/// pointing at the endpoint's error response. An error documented with
/// status 200 takes the success's place, as it did in the map this was
/// built in.
struct Responses {
    /// Component names of the response data (none when a success is a
    /// file's bytes) and of the error response.
    data: Option<String>,
    error: String,
    /// Documented error statuses, sorted, each once.
    statuses: Vec<u16>,
}

impl Serialize for Responses {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let error = || Reference {
            target: format!("#/components/responses/{}", self.error),
        };
        let mut map = serializer.serialize_map(None)?;
        if self.statuses.contains(&200) {
            map.serialize_entry("200", &error())?;
        } else if let Some(data) = &self.data {
            map.serialize_entry("200", &Success::new(data))?;
        } else {
            map.serialize_entry("200", &FileSuccess::default())?;
        }
        for status in self.statuses.iter().filter(|s| **s != 200) {
            map.serialize_entry(&status.to_string(), &error())?;
        }
        map.end()
    }
}

/// A success that is a file's bytes: any media type but Feishu's JSON.
#[derive(Serialize)]
struct FileSuccess {
    description: &'static str,
    content: FileContent,
}

impl Default for FileSuccess {
    fn default() -> Self {
        FileSuccess {
            description: "Success: the file's bytes (a JSON answer is an error).",
            content: FileContent { any: Empty {} },
        }
    }
}

#[derive(Serialize)]
struct FileContent {
    #[serde(rename = "application/octet-stream")]
    any: Empty,
}

#[derive(Serialize)]
struct Empty {}

/// The `{code, msg, data}` envelope of a success.
#[derive(Serialize)]
struct Success {
    description: &'static str,
    content: Content<Envelope>,
}

impl Success {
    fn new(data: &str) -> Self {
        Success {
            description: "Success: `code` is 0 and `data` holds the result.",
            content: Content::json(Envelope {
                kind: "object",
                required: ["code", "msg", "data"],
                properties: EnvelopeFields {
                    code: Const { value: 0 },
                    msg: Typed { kind: "string" },
                    data: Reference::schema(data),
                },
            }),
        }
    }
}

#[derive(Serialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: &'static str,
    required: [&'static str; 3],
    properties: EnvelopeFields,
}

#[derive(Serialize)]
struct EnvelopeFields {
    code: Const,
    msg: Typed,
    data: Reference,
}

/// `{"type": …}`
#[derive(Serialize)]
struct Typed {
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Const {
    #[serde(rename = "const")]
    value: u8,
}

/// `{"<token>": []}`: the token's bearer scheme, with no OAuth scopes.
struct Security(&'static str);

impl Serialize for Security {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &[(); 0])?;
        map.end()
    }
}

#[derive(Serialize)]
struct RateLimit {
    #[serde(skip_serializing_if = "Option::is_none")]
    per_minute: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_second: Option<u32>,
}

struct ScopeView<'a>(&'a Scope);

impl Serialize for ScopeView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("name", &self.0.name)?;
        map.serialize_entry("description", &self.0.description)?;
        map.end()
    }
}

struct FieldScopeView<'a>(&'a FieldScope);

impl Serialize for FieldScopeView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.0.name)?;
        map.serialize_entry("description", &self.0.description)?;
        if let Some(when) = &self.0.when {
            map.serialize_entry("when", when)?;
        }
        map.end()
    }
}

/// The documented error codes, in doc order.
struct Codes<'a>(&'a [ErrorCase]);

impl Serialize for Codes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|c| Code {
            code: c.code,
            http_status: c.http_status,
            name: &c.name,
            message: &c.message,
            advice: &c.advice,
            rate_limited: c.rate_limited,
        }))
    }
}

#[derive(Serialize)]
struct Code<'a> {
    code: i64,
    http_status: u16,
    name: &'a str,
    message: &'a str,
    advice: &'a str,
    rate_limited: bool,
}

/// An endpoint's documented errors, under `components/responses`.
pub struct ErrorResponse<'a>(pub &'a ErrorCodes);

impl Serialize for ErrorResponse<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            description: &'static str,
            content: Content<Reference>,
            #[serde(rename = "x-feishu-error-codes")]
            codes: Codes<'a>,
        }
        View {
            description: "A documented error: the body's `code` is one of `x-feishu-error-codes`.",
            content: Content::json(Reference {
                target: "#/components/schemas/FeishuError".to_owned(),
            }),
            codes: Codes(&self.0.cases),
        }
        .serialize(serializer)
    }
}
