//! `openapi.json`: every schema as one OpenAPI 3.1 document at the
//! workspace root, built from the resolved IR so it says what the generated
//! client does.
//!
//! Mapping:
//! - named types, bodies and response data go under `components/schemas`,
//!   named `<endpoint id>.<Rust name>` (e.g. `im.v1.chat.create.ChatType`)
//!   so two endpoints' types never collide;
//! - enums are open (the server adds values before the docs do), so an enum
//!   is `anyOf` the documented values and any string; `x-enum-descriptions`
//!   and `x-aliases` carry what JSON Schema cannot;
//! - a success is the `{code, msg, data}` envelope with the endpoint's data;
//!   documented errors are one `400` response (Feishu answers `{code, msg}`)
//!   listing its codes in `x-feishu-error-codes`;
//! - tokens are bearer security schemes; quota, scopes and app types are
//!   `x-ratelimit`, `x-feishu-scopes` and `x-feishu-app-types`; a list
//!   endpoint's `x-feishu-paged` names the array of each page;
//! - each event type is a webhook keyed by its wire type (e.g.
//!   `im.chat.disbanded_v1`), whose `post` body is the delivery: `allOf`
//!   its envelope's fields (`FeishuEventEnvelopeV2` or
//!   `FeishuEventEnvelopeV1`, one component each) and `event`, the event's
//!   object; that object and its types are named like an endpoint's, under
//!   the event's id (`im.v1.chat.events.disbanded.ChatDisbandedV1`), and the
//!   operation carries the page, scopes and app types as an endpoint's does.
//!
//! The document is serialized straight from the IR through `Serialize`
//! views that borrow it: at 1,000 endpoints, building a `serde_json::Value`
//! tree first took about a fifth of `cargo xtask codegen` and held a few
//! hundred MB. Keys come in the order the views list them.

mod operation;
mod ordered;
mod schema;
mod webhook;

use serde::Serialize;
use serde_json::{Value, json};

use crate::ir::{self, Api, Endpoint, Envelope, EventType};
use operation::{ErrorResponse, Operation};
use ordered::Ordered;
use schema::Schema;
use webhook::{PathItem, Webhook};

/// Where the document is written, relative to the workspace root.
pub const OPENAPI_PATH: &str = "openapi.json";

/// The document as pretty JSON with a final newline; same input, same bytes.
pub fn render(api: &Api) -> String {
    let shared: Vec<Names> = api
        .shared
        .iter()
        .map(|shared| Names {
            id: shared.module_path.join("."),
            shared: None,
        })
        .collect();
    let mut endpoints = named(&api.endpoints, |e| (e.id(), e.shared.as_ref()));
    endpoints.sort_by(|(a, _), (b, _)| a.id.cmp(&b.id));
    let mut events = named(&api.events, |e| (e.id(), e.shared.as_ref()));
    events.sort_by(|(_, a), (_, b)| a.wire.cmp(&b.wire));
    let document = Document::new(api, &shared, &endpoints, &events);
    // A string straight away: serde_json knows what it writes is UTF-8, so
    // the document (47 MB at 1,000 endpoints) is not checked again.
    let mut text = serde_json::to_string_pretty(&document).expect("the document serializes");
    text.push('\n');
    text
}

/// Each of `items` (endpoints or events) with the names of its types, from
/// its id and the shared types it names.
fn named<'a, T>(
    items: &'a [T],
    id_and_shared: impl Fn(&'a T) -> (String, Option<&'a ir::SharedUse>),
) -> Vec<(Names<'a>, &'a T)> {
    items
        .iter()
        .map(|item| {
            let (id, shared) = id_and_shared(item);
            (Names { id, shared }, item)
        })
        .collect()
}

/// Component names for the types one file can name: its own under its
/// id, shared ones under the shared module's.
struct Names<'a> {
    id: String,
    shared: Option<&'a ir::SharedUse>,
}

impl Names<'_> {
    fn component(&self, rust: &str) -> String {
        match self.shared {
            Some(shared) if shared.names.iter().any(|n| n == rust) => {
                format!("{}.{rust}", shared.module_path.join("."))
            }
            _ => format!("{}.{rust}", self.id),
        }
    }
}

/// The whole document. `paths`, `schemas` and `responses` hold references
/// into the IR; their views are made as they are written.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "x-generated")]
    generated: String,
    openapi: &'static str,
    info: Value,
    servers: Value,
    paths: Ordered<String, Ordered<String, Operation<'a>>>,
    #[serde(skip_serializing_if = "Ordered::is_empty")]
    webhooks: Ordered<&'a str, PathItem<'a>>,
    components: Components<'a>,
}

#[derive(Serialize)]
struct Components<'a> {
    schemas: Ordered<String, Schema<'a>>,
    responses: Ordered<String, ErrorResponse<'a>>,
    #[serde(rename = "securitySchemes")]
    security_schemes: Value,
}

impl<'a> Document<'a> {
    /// `shared` names each shared-types file of `api`, in order;
    /// `endpoints` are sorted by id, `events` by wire type.
    fn new(
        api: &'a Api,
        shared: &'a [Names<'a>],
        endpoints: &'a [(Names<'a>, &'a Endpoint)],
        events: &'a [(Names<'a>, &'a EventType)],
    ) -> Self {
        let mut paths: Ordered<String, Ordered<String, Operation>> = Ordered::default();
        let mut schemas = Ordered::default();
        let mut responses = Ordered::default();
        schemas.insert("FeishuError".to_owned(), Schema::FeishuError);
        for (names, types) in shared.iter().zip(&api.shared) {
            schema::named_types(names, &types.types, &mut schemas);
        }
        for (names, e) in endpoints {
            let name = |rust: &str| names.component(rust);
            schema::named_types(names, &e.types, &mut schemas);
            if let Some(body) = &e.body {
                schemas.insert(name(&body.rust_name), Schema::Object(names, body));
            }
            if !e.binary_response {
                schemas.insert(
                    name(&e.response.rust_name),
                    Schema::Object(names, &e.response),
                );
            }
            responses.insert(name(&e.errors.rust_name), ErrorResponse(&e.errors));
            // Feishu documents some addresses twice, a page per kind of
            // body (the OAuth token's grant types): OpenAPI has one
            // operation per method and path, so the later page is a
            // variant of the earlier one's operation.
            let methods = paths.entry(openapi_path(&e.path));
            let method = e.method.as_str().to_lowercase();
            match methods.get_mut(&method) {
                Some(operation) => operation.variants.push((names, e)),
                None => methods.insert(
                    method,
                    Operation {
                        names,
                        endpoint: e,
                        variants: Vec::new(),
                    },
                ),
            }
        }
        let mut webhooks = Ordered::default();
        // Only the envelopes in use, so a document without 1.0 events
        // does not describe one.
        for envelope in [Envelope::V2, Envelope::V1] {
            if events.iter().any(|(_, e)| e.envelope == envelope) {
                schemas.insert(
                    webhook::envelope_component(envelope).to_owned(),
                    Schema::EventEnvelope(envelope),
                );
            }
        }
        for (names, e) in events {
            schema::named_types(names, &e.types, &mut schemas);
            schemas.insert(
                names.component(e.rust_name()),
                Schema::Object(names, &e.body),
            );
            webhooks.insert(
                e.wire.as_str(),
                PathItem {
                    post: Webhook { names, event: e },
                },
            );
        }
        Document {
            generated: crate::render::generated_by("schema/**/*.json"),
            openapi: "3.1.0",
            info: json!({
                "title": "Feishu Open API",
                "version": env!("CARGO_PKG_VERSION"),
                "description": "The endpoints and events described under schema/ in feishu-openapi, from Feishu's documentation pages."
            }),
            servers: json!([
                { "url": "https://open.feishu.cn", "description": "Feishu" },
                { "url": "https://open.larksuite.com", "description": "Lark" }
            ]),
            paths,
            webhooks,
            components: Components {
                schemas,
                responses,
                security_schemes: json!({
                    "tenant_access_token": { "type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <tenant_access_token>`" },
                    "user_access_token": { "type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <user_access_token>`" },
                    "app_access_token": { "type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <app_access_token>`" }
                }),
            },
        }
    }
}

/// `/chats/:chat_id` is `/chats/{chat_id}`.
fn openapi_path(path: &str) -> String {
    path.split('/')
        .map(|s| match s.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `{"$ref": "#/components/<kind>/<name>"}`.
#[derive(Serialize)]
struct Reference {
    #[serde(rename = "$ref")]
    target: String,
}

impl Reference {
    fn schema(component: &str) -> Self {
        Reference {
            target: format!("#/components/schemas/{component}"),
        }
    }
}
