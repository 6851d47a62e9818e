//! Typed events: the struct generated from an event page reads the `event`
//! object of a delivery of its type.

use serde::de::DeserializeOwned;

use super::envelope::Event;

/// The `event` object of one event type, as generated from its doc page.
pub trait TypedEvent: DeserializeOwned {
    /// 事件类型: `header.event_type` (2.0) or `event.type` (1.0).
    const EVENT_TYPE: &'static str;

    /// Reads the `event` object of `event`, a delivery of this type.
    fn from_event(event: &Event) -> Result<Self, EventDecodeError> {
        let error = |path: String, message: String| EventDecodeError {
            event_type: event.event_type.clone(),
            event_id: event.id.clone(),
            path,
            message,
        };
        if event.event_type != Self::EVENT_TYPE {
            return Err(error(
                String::new(),
                format!(
                    "a delivery of {} was read as {}",
                    event.event_type,
                    Self::EVENT_TYPE
                ),
            ));
        }
        let Some(object) = event.body.get("event") else {
            return Err(error(String::new(), "the delivery has no `event`".into()));
        };
        serde_path_to_error::deserialize(object).map_err(|e| {
            let path = e.path().to_string();
            error(path, e.into_inner().to_string())
        })
    }
}

/// A delivery of a described event type whose `event` object does not fit
/// the type its page describes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the `event` of {event_type} (event id {event_id}) does not decode at `{path}`: {message}")]
pub struct EventDecodeError {
    /// The delivery's event type.
    pub event_type: String,
    /// The delivery's event id (1.0: `uuid`).
    pub event_id: String,
    /// Where in the `event` object, e.g. `operator_id.open_id`.
    pub path: String,
    /// What serde found there.
    pub message: String,
}
