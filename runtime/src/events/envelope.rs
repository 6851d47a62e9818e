//! An event as delivered, in either of Feishu's two envelopes: 2.0
//! (`{"schema": "2.0", "header": {..}, "event": {..}}`) and 1.0
//! (`{"uuid": .., "token": .., "ts": .., "type": "event_callback",
//! "event": {"type": .., ..}}`).

use std::fmt;

use serde_json::{Map, Value};

/// Which envelope an event came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// `"schema": "2.0"`, the type in `header.event_type`.
    V2,
    /// The older envelope, the type in `event.type`.
    V1,
}

/// One event, decrypted and verified, its envelope read.
#[derive(Clone, PartialEq)]
pub struct Event {
    /// Which envelope it came in.
    pub schema: Schema,
    /// What identifies a delivery, redeliveries included: `header.event_id`
    /// (2.0) or `uuid` (1.0). Deduplication keys on it.
    pub id: String,
    /// `header.event_type` (2.0) or `event.type` (1.0), e.g.
    /// `im.chat.disbanded_v1`.
    pub event_type: String,
    /// The tenant the event happened in, when the envelope says.
    pub tenant_key: Option<String>,
    /// The app the event is for, when the envelope says.
    pub app_id: Option<String>,
    /// The verification token the envelope carries.
    pub(crate) token: Option<String>,
    /// The whole envelope, as decrypted.
    pub body: Map<String, Value>,
}

impl fmt::Debug for Event {
    // The envelope carries the verification token; the body is the
    // caller's to print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("schema", &self.schema)
            .field("id", &self.id)
            .field("event_type", &self.event_type)
            .field("tenant_key", &self.tenant_key)
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

impl Event {
    /// Reads the envelope; `None` when the object is neither kind.
    pub fn from_object(body: Map<String, Value>) -> Option<Self> {
        let text = |object: &Map<String, Value>, key: &str| {
            object.get(key).and_then(Value::as_str).map(str::to_owned)
        };
        if text(&body, "schema").as_deref() == Some("2.0") {
            let header = body.get("header")?.as_object()?;
            return Some(Self {
                schema: Schema::V2,
                id: text(header, "event_id")?,
                event_type: text(header, "event_type")?,
                tenant_key: text(header, "tenant_key"),
                app_id: text(header, "app_id"),
                token: text(header, "token"),
                body,
            });
        }
        let event = body.get("event")?.as_object()?;
        Some(Self {
            schema: Schema::V1,
            id: text(&body, "uuid")?,
            event_type: text(event, "type")?,
            tenant_key: text(event, "tenant_key"),
            app_id: text(event, "app_id"),
            token: text(&body, "token"),
            body,
        })
    }

    /// The `event` object: what happened.
    pub fn event(&self) -> Option<&Map<String, Value>> {
        self.body.get("event")?.as_object()
    }
}
