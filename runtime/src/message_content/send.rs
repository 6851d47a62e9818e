//! The content of each message type as sent (send, reply, edit), per the
//! page "发送消息内容结构".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::post::PostBody;

/// `text`. A mention is written in the text as `<at user_id="ou_...">Tom</at>`
/// ([`Text::at`]); `**bold**`, `<i>`, `<u>` and `<s>` style it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    /// The text.
    pub text: String,
}

impl Text {
    /// A text message.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }

    /// The markup that mentions a user (`open_id`, `union_id` or `user_id`)
    /// in a text message; `"all"` mentions everyone, where the chat allows.
    pub fn at(user_id: &str, name: &str) -> String {
        format!("<at user_id=\"{user_id}\">{name}</at>")
    }
}

/// `post`: rich text in one or more languages, keyed by locale (`zh_cn`,
/// `en_us`); at least one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Post {
    /// The body of each locale.
    pub locales: BTreeMap<String, PostBody>,
}

impl Post {
    /// A post in one language.
    pub fn new(locale: impl Into<String>, body: PostBody) -> Self {
        Self {
            locales: BTreeMap::from([(locale.into(), body)]),
        }
    }

    /// Adds (or replaces) a language.
    pub fn locale(mut self, locale: impl Into<String>, body: PostBody) -> Self {
        self.locales.insert(locale.into(), body);
        self
    }
}

/// `image`: an image uploaded with the image upload endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The image's key.
    pub image_key: String,
}

/// `share_chat`: a group's card. The bot must be in that group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareChat {
    /// The group's `chat_id`.
    pub chat_id: String,
}

/// `share_user`: a user's card, by `open_id`; the user must be in the bot's
/// availability scope. A bot's card cannot be shared.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareUser {
    /// The user's `open_id`.
    pub user_id: String,
}

/// `audio`: a voice file uploaded with the file upload endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Audio {
    /// The file's key.
    pub file_key: String,
}

/// `media`: a video uploaded with the file upload endpoint, with an
/// optional cover image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Media {
    /// The video file's key.
    pub file_key: String,
    /// The cover image's key; no cover when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
}

/// `file`: a file uploaded with the file upload endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct File {
    /// The file's key.
    pub file_key: String,
}

/// `sticker`: a sticker the bot has received (its key from the message
/// event); others cannot be sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sticker {
    /// The sticker file's key.
    pub file_key: String,
}

/// `interactive`: a card, sent in one of the three documented ways.
#[derive(Clone, Debug, PartialEq)]
pub enum Card {
    /// A card entity made with CardKit (`{"type":"card","data":{"card_id":..}}`),
    /// the way to stream or partly update a card.
    Entity {
        /// The card entity's id.
        card_id: String,
    },
    /// A card built in the card builder tool, by template id
    /// (`{"type":"template","data":{..}}`).
    Template(CardTemplate),
    /// A card's JSON itself (no variables).
    Json(Value),
}

/// A card template and the values of its variables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CardTemplate {
    /// The template's id.
    pub template_id: String,
    /// The published version (`1.0.0`); the latest when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_name: Option<String>,
    /// Values of the template's variables, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_variable: Option<Map<String, Value>>,
}

impl Card {
    /// A card by template id, latest version, no variables.
    pub fn template(template_id: impl Into<String>) -> Self {
        Card::Template(CardTemplate {
            template_id: template_id.into(),
            ..CardTemplate::default()
        })
    }

    /// A card entity by id.
    pub fn entity(card_id: impl Into<String>) -> Self {
        Card::Entity {
            card_id: card_id.into(),
        }
    }
}

/// How a card's two referencing forms appear on the wire.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
enum CardRef {
    Card { card_id: String },
    Template(CardTemplate),
}

impl Serialize for Card {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Card::Entity { card_id } => CardRef::Card {
                card_id: card_id.clone(),
            }
            .serialize(s),
            Card::Template(t) => CardRef::Template(t.clone()).serialize(s),
            Card::Json(card) => card.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Card {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        // A card's own JSON has no top-level `type`; the two references do.
        let is_reference = matches!(
            value.get("type").and_then(Value::as_str),
            Some("card" | "template")
        );
        if !is_reference {
            return Ok(Card::Json(value));
        }
        Ok(
            match serde_json::from_value(value).map_err(serde::de::Error::custom)? {
                CardRef::Card { card_id } => Card::Entity { card_id },
                CardRef::Template(t) => Card::Template(t),
            },
        )
    }
}

/// `system`: a system message; only the divider (`type` `divider`), only in
/// a bot's one-to-one chat, and only with the scope for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct System {
    /// The kind; only `divider` is documented.
    #[serde(rename = "type")]
    pub kind: String,
    /// The parameters.
    pub params: SystemParams,
    /// Options by name: `need_rollup` (bool, default false) clears the
    /// screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Map<String, Value>>,
}

impl System {
    /// A divider with this text (at most 20 characters, or 10 Chinese).
    pub fn divider(text: impl Into<String>) -> Self {
        Self {
            kind: "divider".to_owned(),
            params: SystemParams {
                divider_text: Some(DividerText::new(text)),
            },
            options: None,
        }
    }
}

/// The parameters of a system message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemParams {
    /// The divider's text; required for a divider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divider_text: Option<DividerText>,
}

/// A divider's text, with its translations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DividerText {
    /// The default text, not empty.
    pub text: String,
    /// The text by language (`zh_CN`, `en_US`, ...; case matters when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_text: Option<BTreeMap<String, String>>,
}

impl DividerText {
    /// A text with no translations.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            i18n_text: None,
        }
    }
}
