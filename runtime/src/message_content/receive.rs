//! The content of each message type as received (the message event, get
//! and list), per the page "接收消息内容结构". Types whose received form is
//! the sent one are re-exported from [`send`](super::send).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::send::{Image, ShareChat, ShareUser, Sticker, Text};

/// `post`, received: one language, the reader's. A mention's `user_id` is
/// its key (`@_user_1`), resolved by the message's `mentions`.
pub use super::post::PostBody as Post;

/// `file`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct File {
    /// The file's key; a file the bot uploaded can be downloaded by it, any
    /// other through the message resource endpoint.
    pub file_key: String,
    /// The file's name.
    #[serde(default)]
    pub file_name: String,
}

/// `folder`: its key and name only; a folder cannot be downloaded through
/// the API.
pub type Folder = File;

/// `audio`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Audio {
    /// The file's key.
    pub file_key: String,
    /// The length in milliseconds.
    #[serde(default)]
    pub duration: i64,
}

/// `media`: a video.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Media {
    /// The video file's key.
    pub file_key: String,
    /// The cover image's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
    /// The file's name.
    #[serde(default)]
    pub file_name: String,
    /// The length in milliseconds.
    #[serde(default)]
    pub duration: i64,
}

/// `interactive`: a card as Feishu answers it, which is not the card's
/// JSON (and is empty for a JSON 2.0 card): a title and rows of elements,
/// each an object tagged by `tag` (`button`, `text`, `img`, `note`, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The rows of elements.
    #[serde(default)]
    pub elements: Vec<Vec<Value>>,
}

/// `hongbao`: a red packet; only its text (`[红包]`) is answered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Hongbao {
    /// The text.
    pub text: String,
}

/// The calendar cards: `share_calendar_event`, `calendar` (an invitation)
/// and `general_calendar` (a transfer, a note, a change of calendar).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarEvent {
    /// The event's title.
    pub summary: String,
    /// Start, a timestamp in milliseconds.
    pub start_time: String,
    /// End, a timestamp in milliseconds.
    pub end_time: String,
}

/// `system`: a system message, its `template` with `{name}` placeholders
/// and the value of each.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct System {
    /// The template, e.g. `{from_user} invited {to_chatters} to this chat.`
    pub template: String,
    /// `{from_user}`: who acted.
    #[serde(default)]
    pub from_user: Vec<String>,
    /// `{to_chatters}`: who was added.
    #[serde(default)]
    pub to_chatters: Vec<String>,
    /// `{divider_text}`, in a divider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divider_text: Option<super::send::DividerText>,
    /// Any other placeholder's value, by name.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// `location`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The place's name.
    pub name: String,
    /// Longitude.
    pub longitude: String,
    /// Latitude.
    pub latitude: String,
}

/// `video_chat`: a video call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VideoChat {
    /// The call's topic.
    pub topic: String,
    /// Start, a timestamp in milliseconds.
    pub start_time: String,
}

/// `todo`: a task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Todo {
    /// The task's id, for the task endpoints.
    pub task_id: String,
    /// The task's title, as rich text.
    pub summary: Post,
    /// Due, a timestamp in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_time: Option<String>,
}

/// `vote`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vote {
    /// The vote's topic.
    pub topic: String,
    /// The options.
    #[serde(default)]
    pub options: Vec<String>,
}

/// `merge_forward`: always `Merged and Forwarded Message`; the merged
/// messages come from the get endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MergeForward {
    /// The fixed text.
    pub content: String,
}
