//! One event type's webhook under `webhooks`: the delivery Feishu posts to
//! the app's request URL, and the envelope schemas deliveries share.

use serde::{Serialize, Serializer};
use serde_json::json;

use super::operation::{Access, Content, ExternalDocs, RequestBody, description};
use super::{Names, Reference};
use crate::ir::{Envelope, EventType};

/// `{"post": …}`: Feishu delivers every event with a POST.
#[derive(Serialize)]
pub struct PathItem<'a> {
    pub post: Webhook<'a>,
}

/// The operation of `event`, made as it is written.
pub struct Webhook<'a> {
    pub names: &'a Names<'a>,
    pub event: &'a EventType,
}

impl Serialize for Webhook<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (names, e) = (self.names, self.event);
        WebhookView {
            operation_id: names.id.as_str(),
            summary: &e.source.title,
            description: description(&e.summary, &e.notes),
            tags: [&e.module_path[0]],
            external_docs: ExternalDocs::new(&e.source),
            request_body: RequestBody {
                required: true,
                description: Some(
                    "The delivery. With an Encrypt Key set, Feishu posts `{\"encrypt\": \"…\"}` instead, which decrypts to this, and signs it with the `X-Lark-Request-Timestamp`, `X-Lark-Request-Nonce` and `X-Lark-Signature` headers.",
                ),
                content: Content::json(Delivery {
                    all_of: (
                        Reference::schema(envelope_component(e.envelope)),
                        Carries {
                            kind: "object",
                            required: ["event"],
                            properties: EventProperty {
                                event: Reference::schema(&names.component(e.rust_name())),
                            },
                        },
                    ),
                }),
            },
            responses: Responses {
                ok: Acknowledged {
                    description: "Received: Feishu waits 3 seconds for a 200, then delivers the event again (after 15 seconds, 5 minutes, 1 hour and 6 hours), so a slow handler answers first and works after.",
                },
            },
            access: Access::new(&e.scopes, &e.field_scopes, &e.app_types),
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct WebhookView<'a> {
    #[serde(rename = "operationId")]
    operation_id: &'a str,
    summary: &'a str,
    description: String,
    tags: [&'a String; 1],
    #[serde(rename = "externalDocs")]
    external_docs: ExternalDocs<'a>,
    #[serde(rename = "requestBody")]
    request_body: RequestBody<Delivery>,
    responses: Responses,
    #[serde(flatten)]
    access: Access<'a>,
}

/// The envelope's fields and the event's `event` object.
#[derive(Serialize)]
struct Delivery {
    #[serde(rename = "allOf")]
    all_of: (Reference, Carries),
}

#[derive(Serialize)]
struct Carries {
    #[serde(rename = "type")]
    kind: &'static str,
    required: [&'static str; 1],
    properties: EventProperty,
}

#[derive(Serialize)]
struct EventProperty {
    event: Reference,
}

#[derive(Serialize)]
struct Responses {
    #[serde(rename = "200")]
    ok: Acknowledged,
}

#[derive(Serialize)]
struct Acknowledged {
    description: &'static str,
}

/// The component holding what every delivery in `envelope` carries
/// besides its `event`; one per envelope, so no webhook repeats it.
pub fn envelope_component(envelope: Envelope) -> &'static str {
    match envelope {
        Envelope::V2 => "FeishuEventEnvelopeV2",
        Envelope::V1 => "FeishuEventEnvelopeV1",
    }
}

/// The schema of [`envelope_component`]: the fields the event guide
/// documents, the ones the receiver cannot do without required.
pub fn envelope_schema<S: Serializer>(
    serializer: S,
    envelope: Envelope,
) -> Result<S::Ok, S::Error> {
    match envelope {
        Envelope::V2 => json!({
            "type": "object",
            "description": "A 2.0 delivery besides its `event`: the event's type and id are in `header`.",
            "required": ["schema", "header"],
            "properties": {
                "schema": { "type": "string", "const": "2.0", "description": "事件的版本。v1.0 版本的事件，无此字段。" },
                "header": {
                    "type": "object",
                    "required": ["event_id", "token", "create_time", "event_type"],
                    "properties": {
                        "event_id": { "type": "string", "description": "事件的唯一标识。重复推送的事件 event_id 相同，可据此去重。", "examples": ["f7984f25108f8137722bb63cee927e66"] },
                        "token": { "type": "string", "description": "即 Verification Token", "examples": ["066zT6pS4QCbgj5Do145GfDbbagCHGgF"] },
                        "create_time": { "type": "string", "description": "事件发送的时间，一般近似于事件发生的时间。", "examples": ["1603977298000000"] },
                        "event_type": { "type": "string", "description": "事件类型", "examples": ["im.chat.disbanded_v1"] },
                        "tenant_key": { "type": "string", "description": "企业标识" },
                        "app_id": { "type": "string", "description": "应用的 App ID", "examples": ["cli_9c8609450f78d102"] }
                    }
                }
            }
        })
        .serialize(serializer),
        Envelope::V1 => json!({
            "type": "object",
            "description": "A 1.0 delivery besides its `event`: the event's type is `event.type`.",
            "required": ["uuid", "token", "ts", "type"],
            "properties": {
                "uuid": { "type": "string", "description": "事件的唯一标识。重复推送的事件 uuid 相同，可据此去重。", "examples": ["bc447199585340d1f3728d26b1c0297a"] },
                "token": { "type": "string", "description": "即 Verification Token", "examples": ["41a9425ea7df4536a7623e38fa321bae"] },
                "ts": { "type": "string", "description": "事件发送的时间，一般近似于事件发生的时间。", "examples": ["1502199207.7171419"] },
                "type": { "type": "string", "const": "event_callback", "description": "1.0 事件推送的类型；事件类型在 `event.type`。" }
            }
        })
        .serialize(serializer),
    }
}
