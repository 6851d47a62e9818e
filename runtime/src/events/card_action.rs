//! Card callbacks: a user clicks a card's button (or submits its form),
//! Feishu delivers `card.action.trigger` over the webhook or the long
//! connection, and waits 3 seconds for the reply, which may show a toast
//! and replace the card. The types follow the page "卡片回传交互回调"
//! (`pages/guides/cards/card-callback-communication.md`), whose examples
//! are their tests; they are written by hand because the page is a guide,
//! not an event page.
//!
//! A handler set with `on_card_action` (on [`EventReceiver`](super::EventReceiver)
//! or [`LongConnection`](super::LongConnection)) answers with a
//! [`CardReply`]. One still running at the acknowledgement time is
//! answered for with an empty reply (the card stays as it is) and goes on
//! in the background, with a warning: work longer than that should reply
//! at once and update the card later with [`CardAction::token`] (the
//! delayed update, `client.interactive().v1().card().update()`, valid 30
//! minutes, twice).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::typed::TypedEvent;

/// The callback's type.
pub const CARD_ACTION_TRIGGER: &str = "card.action.trigger";

/// The `event` of a `card.action.trigger` callback.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardAction {
    /// Who clicked.
    pub operator: Operator,
    /// The delayed-update token: updates this card within 30 minutes, at
    /// most twice.
    pub token: String,
    /// What was clicked or submitted.
    pub action: Action,
    /// Where the card is shown (`im_message`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `url_preview` for a link-preview card; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_type: Option<String>,
    /// The card's message and chat (and a link preview's URL and token).
    pub context: CardContext,
}

// The delayed-update token updates the user's card: it stays out of logs.
impl fmt::Debug for CardAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardAction")
            .field("operator", &self.operator)
            .field("token", &"<redacted>")
            .field("action", &self.action)
            .field("host", &self.host)
            .field("delivery_type", &self.delivery_type)
            .field("context", &self.context)
            .finish()
    }
}

impl TypedEvent for CardAction {
    const EVENT_TYPE: &'static str = CARD_ACTION_TRIGGER;
}

/// Who clicked: their tenant and ids (`user_id` only with the scope for it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Operator {
    /// The user's tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<String>,
    /// `user_id`, with the scope `contact:user.employee_id:readonly`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `union_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub union_id: Option<String>,
    /// `open_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
}

/// What the user did, and the data the card gave the component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Action {
    /// The component's own `value` (a string or an object, as the card
    /// set it).
    #[serde(skip_serializing_if = "Value::is_null")]
    pub value: Value,
    /// The component's tag (`button`, `select_static`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The user's time zone, for the date and time pickers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The component's `name`, inside a form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A submitted form's values, by component name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form_value: Option<Map<String, Value>>,
    /// An input's text, outside a form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_value: Option<String>,
    /// The option chosen in a single-choice component, outside a form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// The options chosen in a multi-choice component, outside a form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// A checker's state, outside a form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
}

/// Where the card is.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardContext {
    /// A link preview's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A link preview's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_token: Option<String>,
    /// The card's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_message_id: Option<String>,
    /// The card's chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_chat_id: Option<String>,
}

// A link preview's token stays out of logs, as the update token does.
impl fmt::Debug for CardContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let preview_token = self.preview_token.as_ref().map(|_| "<redacted>");
        f.debug_struct("CardContext")
            .field("url", &self.url)
            .field("preview_token", &preview_token)
            .field("open_message_id", &self.open_message_id)
            .field("open_chat_id", &self.open_chat_id)
            .finish()
    }
}

/// The reply to a card callback: a toast, a new card, both or neither
/// (`CardReply::default()`: the card stays as it is).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CardReply {
    /// A toast on the user's client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toast: Option<Toast>,
    /// The card that replaces the clicked one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<ReplyCard>,
}

impl CardReply {
    /// A reply with a toast.
    pub fn toast(kind: ToastKind, content: impl Into<String>) -> Self {
        Self {
            toast: Some(Toast::new(kind, content)),
            card: None,
        }
    }

    /// The same reply, replacing the card with this card JSON (1.0 or 2.0,
    /// as the card was sent).
    pub fn with_card(mut self, card: Value) -> Self {
        self.card = Some(ReplyCard::Raw(card));
        self
    }
}

/// A toast: its kind, and its text in one language or several.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Toast {
    /// How it looks.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ToastKind>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The text by language (`zh_cn`, `en_us`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n: Option<BTreeMap<String, String>>,
}

impl Toast {
    /// A toast with one text.
    pub fn new(kind: ToastKind, content: impl Into<String>) -> Self {
        Self {
            kind: Some(kind),
            content: Some(content.into()),
            i18n: None,
        }
    }
}

/// How a toast looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToastKind {
    /// `info`.
    Info,
    /// `success`.
    Success,
    /// `error`.
    Error,
    /// `warning`.
    Warning,
}

/// The card a reply puts in the clicked one's place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ReplyCard {
    /// `raw`: card JSON.
    Raw(Value),
    /// `template`: a card built in the card builder tool.
    Template(crate::message_content::send::CardTemplate),
}
