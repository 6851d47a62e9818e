//! A message's content, typed both ways.
//!
//! The API carries a message's content as a JSON document inside a JSON
//! string (`content`), its type named beside it (`msg_type`). [`Content`]
//! is what a bot sends (send, reply, edit): the request builders' `message`
//! setter writes both fields from it. [`Received`] is what a message holds
//! when it arrives (the `im.message.receive_v1` event, get, list):
//! [`Received::parse`] reads the two fields back, and keeps a type this
//! version does not know as it came.
//!
//! The types follow Feishu's two content pages, "发送消息内容结构" and
//! "接收消息内容结构" (in `pages/guides/im/v1/message_content/`); each page's
//! examples are this module's tests. They are written by hand: the pages
//! are guides, not endpoint pages, and their shapes (a tagged union of
//! rich-text elements, a locale map, three ways to name a card) are fewer
//! than a reader for them would cost.
//!
//! ```
//! use feishu_runtime::message_content::{Content, Received, send};
//!
//! let hello = Content::from(send::Text::new("hello"));
//! assert_eq!(hello.msg_type(), "text");
//! assert_eq!(hello.to_json(), r#"{"text":"hello"}"#);
//!
//! let got = Received::parse("text", r#"{"text":"@_user_1 hi"}"#).unwrap();
//! assert!(matches!(got, Received::Text(t) if t.text == "@_user_1 hi"));
//! ```

mod post;
pub mod receive;
pub mod send;

pub use post::{
    PostAt, PostBody, PostCodeBlock, PostElement, PostEmotion, PostImage, PostLink, PostMarkdown,
    PostMedia, PostText, Style,
};

/// A message's content could not be read as its `msg_type` documents.
#[derive(Debug, thiserror::Error)]
#[error("the content of a `{msg_type}` message is not as documented, at `{path}`: {reason}")]
pub struct ContentError {
    /// The message type.
    pub msg_type: String,
    /// Where in the content, as a JSON path (`.` for the whole).
    pub path: String,
    /// What was wrong there.
    pub reason: String,
}

/// Reads `content` as `T`, naming the JSON path of what does not fit.
fn read<T: serde::de::DeserializeOwned>(msg_type: &str, content: &str) -> Result<T, ContentError> {
    let mut json = serde_json::Deserializer::from_str(content);
    serde_path_to_error::deserialize(&mut json).map_err(|e| ContentError {
        msg_type: msg_type.to_owned(),
        path: e.path().to_string(),
        reason: e.inner().to_string(),
    })
}

/// The JSON text of a content value. Every content type serializes (its
/// maps are keyed by strings), so this cannot fail.
fn write<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Declares a content enum: one variant per message type, with the
/// `msg_type` spelling, reading and writing in one table.
macro_rules! message_types {
    (
        $(#[$doc:meta])*
        $name:ident { $($(#[$vdoc:meta])* $variant:ident($ty:ty) = $wire:literal,)* }
        $(other: $(#[$odoc:meta])* $other:ident)?
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name {
            $($(#[$vdoc])* #[doc = concat!("\n\n`msg_type` `", $wire, "`.")] $variant($ty),)*
            $($(#[$odoc])* $other {
                /// The message type, as it came.
                msg_type: String,
                /// The content, as it came.
                content: String,
            },)?
        }

        impl $name {
            /// The `msg_type` this content is sent or received with.
            pub fn msg_type(&self) -> &str {
                match self {
                    $($name::$variant(_) => $wire,)*
                    $($name::$other { msg_type, .. } => msg_type,)?
                }
            }

            /// The content as the API carries it: the JSON text that goes
            /// into the `content` string.
            pub fn to_json(&self) -> String {
                match self {
                    $($name::$variant(c) => write(c),)*
                    $($name::$other { content, .. } => content.clone(),)?
                }
            }

            /// The content of a message of type `msg_type`, read from its
            /// `content` string.
            pub fn parse(msg_type: &str, content: &str) -> Result<Self, ContentError> {
                Ok(match msg_type {
                    $($wire => $name::$variant(read(msg_type, content)?),)*
                    _ => return Self::unknown(msg_type, content),
                })
            }
        }
    };
}

message_types! {
    /// The content of a message to send, reply or edit with; each type's
    /// value converts into it (`Content::from(send::Text::new("hi"))`).
    Content {
        /// Text.
        Text(send::Text) = "text",
        /// Rich text.
        Post(send::Post) = "post",
        /// An image.
        Image(send::Image) = "image",
        /// A card.
        Card(send::Card) = "interactive",
        /// A group's card.
        ShareChat(send::ShareChat) = "share_chat",
        /// A user's card.
        ShareUser(send::ShareUser) = "share_user",
        /// A voice message.
        Audio(send::Audio) = "audio",
        /// A video.
        Media(send::Media) = "media",
        /// A file.
        File(send::File) = "file",
        /// A sticker.
        Sticker(send::Sticker) = "sticker",
        /// A system message (a divider).
        System(send::System) = "system",
    }
}

impl Content {
    /// Sending knows every type it can send.
    fn unknown(msg_type: &str, _content: &str) -> Result<Self, ContentError> {
        Err(ContentError {
            msg_type: msg_type.to_owned(),
            path: ".".to_owned(),
            reason: "no such message type can be sent".to_owned(),
        })
    }
}

/// Each sendable type converts into the content it is.
macro_rules! into_content {
    ($($variant:ident),*) => {
        $(impl From<send::$variant> for Content {
            fn from(content: send::$variant) -> Self {
                Content::$variant(content)
            }
        })*
    };
}
into_content!(
    Text, Post, Image, Card, ShareChat, ShareUser, Audio, Media, File, Sticker, System
);

message_types! {
    /// The content of a message as received; read it with
    /// [`Received::parse`] from the message's type and content
    /// (`message_type` and `content` in the message event, `msg_type` and
    /// `body.content` from get and list).
    Received {
        /// Text; mentions read `@_user_1`, resolved by the message's `mentions`.
        Text(receive::Text) = "text",
        /// Rich text, in the reader's language.
        Post(receive::Post) = "post",
        /// An image.
        Image(receive::Image) = "image",
        /// A file.
        File(receive::File) = "file",
        /// A folder.
        Folder(receive::Folder) = "folder",
        /// A voice message.
        Audio(receive::Audio) = "audio",
        /// A video.
        Media(receive::Media) = "media",
        /// A sticker.
        Sticker(receive::Sticker) = "sticker",
        /// A card, as Feishu answers it.
        Card(receive::Card) = "interactive",
        /// A red packet.
        Hongbao(receive::Hongbao) = "hongbao",
        /// A shared calendar event.
        ShareCalendarEvent(receive::CalendarEvent) = "share_calendar_event",
        /// A calendar invitation.
        Calendar(receive::CalendarEvent) = "calendar",
        /// A calendar transfer, note or change of calendar.
        GeneralCalendar(receive::CalendarEvent) = "general_calendar",
        /// A group's card.
        ShareChat(receive::ShareChat) = "share_chat",
        /// A user's card.
        ShareUser(receive::ShareUser) = "share_user",
        /// A system message.
        System(receive::System) = "system",
        /// A location.
        Location(receive::Location) = "location",
        /// A video call.
        VideoChat(receive::VideoChat) = "video_chat",
        /// A task.
        Todo(receive::Todo) = "todo",
        /// A vote.
        Vote(receive::Vote) = "vote",
        /// A merged forward.
        MergeForward(receive::MergeForward) = "merge_forward",
    }
    other:
        /// A type this version does not know, kept as it came.
        Other
}

impl Received {
    /// A type the page does not list is kept, not refused: Feishu adds
    /// message types.
    fn unknown(msg_type: &str, content: &str) -> Result<Self, ContentError> {
        Ok(Received::Other {
            msg_type: msg_type.to_owned(),
            content: content.to_owned(),
        })
    }
}
