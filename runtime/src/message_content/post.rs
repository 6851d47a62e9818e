//! Rich text (`post`): paragraphs of tagged elements, the same elements
//! whether sent or received (the `md` tag is sent only; Feishu answers it
//! converted to the other tags).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// One language of a rich-text message: a title and its paragraphs. Sent
/// under a locale key (see [`Post`](super::send::Post)); received bare.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostBody {
    /// The title; none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The paragraphs, each a list of elements. An image, a video or a
    /// Markdown element must be a paragraph of its own.
    #[serde(default)]
    pub content: Vec<Vec<PostElement>>,
}

impl PostBody {
    /// A body with this title and no paragraphs yet.
    pub fn titled(title: impl Into<String>) -> Self {
        Self {
            title: Some(title.into()),
            content: Vec::new(),
        }
    }

    /// Adds a paragraph.
    pub fn paragraph(mut self, elements: impl IntoIterator<Item = PostElement>) -> Self {
        self.content.push(elements.into_iter().collect());
        self
    }
}

/// A text style of the `text`, `a` and `at` elements. Feishu ignores a value
/// it does not know, so any other spelling is kept as [`Style::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `bold`.
    Bold,
    /// `underline`.
    Underline,
    /// `lineThrough`: struck through.
    LineThrough,
    /// `italic`.
    Italic,
    /// A value this version does not know, as it came.
    Other(String),
}

impl Style {
    /// The wire spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Style::Bold => "bold",
            Style::Underline => "underline",
            Style::LineThrough => "lineThrough",
            Style::Italic => "italic",
            Style::Other(s) => s,
        }
    }
}

impl From<&str> for Style {
    fn from(wire: &str) -> Self {
        match wire {
            "bold" => Style::Bold,
            "underline" => Style::Underline,
            "lineThrough" => Style::LineThrough,
            "italic" => Style::Italic,
            other => Style::Other(other.to_owned()),
        }
    }
}

impl Serialize for Style {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Style {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Style::from(String::deserialize(d)?.as_str()))
    }
}

/// `text`: plain text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostText {
    /// The text.
    pub text: String,
    /// Whether the text is unescaped; `false` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub un_escape: Option<bool>,
    /// Styles; none when absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Vec<Style>>,
}

/// `a`: a link. The address must be valid or the message is refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostLink {
    /// The link's text.
    pub text: String,
    /// The address.
    pub href: String,
    /// Styles; none when absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Vec<Style>>,
}

/// `at`: a mention. Sent with a user's `open_id`, `union_id` or `user_id`
/// (`all` for everyone); received with the mention's key (`@_user_1`),
/// which the message's `mentions` resolve.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostAt {
    /// Who is mentioned.
    pub user_id: String,
    /// The user's name, in received messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// Styles; none when absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Vec<Style>>,
}

/// `img`: an image uploaded with the image upload endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostImage {
    /// The image's key.
    pub image_key: String,
}

/// `media`: a video (an mp4 uploaded as a file), with an optional cover.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostMedia {
    /// The video file's key.
    pub file_key: String,
    /// The cover image's key; no cover when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
}

/// `emotion`: an emoji, by its documented type (`SMILE`, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostEmotion {
    /// The emoji type.
    pub emoji_type: String,
}

/// `code_block`: code, in a language named case-insensitively (`GO`,
/// `RUST`, ...); plain text when the language is absent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostCodeBlock {
    /// The language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The code.
    pub text: String,
}

/// `md`: Markdown (send only), a paragraph of its own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostMarkdown {
    /// The Markdown text.
    pub text: String,
}

/// An element of a rich-text paragraph, tagged on the wire by `tag`. A tag
/// this version does not know is kept as it came, in [`PostElement::Other`].
#[derive(Clone, Debug, PartialEq)]
pub enum PostElement {
    /// `text`.
    Text(PostText),
    /// `a`.
    Link(PostLink),
    /// `at`.
    At(PostAt),
    /// `img`.
    Image(PostImage),
    /// `media`.
    Media(PostMedia),
    /// `emotion`.
    Emotion(PostEmotion),
    /// `code_block`.
    CodeBlock(PostCodeBlock),
    /// `hr`: a dividing line, with nothing else.
    Rule,
    /// `md` (send only).
    Markdown(PostMarkdown),
    /// An element with another tag, the whole object as it came.
    Other(Value),
}

impl PostElement {
    /// Plain text.
    pub fn text(text: impl Into<String>) -> Self {
        PostElement::Text(PostText {
            text: text.into(),
            ..PostText::default()
        })
    }

    /// A link.
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        PostElement::Link(PostLink {
            text: text.into(),
            href: href.into(),
            style: None,
        })
    }

    /// A mention of a user by id, or of everyone with `"all"`.
    pub fn at(user_id: impl Into<String>) -> Self {
        PostElement::At(PostAt {
            user_id: user_id.into(),
            ..PostAt::default()
        })
    }

    /// An image.
    pub fn image(image_key: impl Into<String>) -> Self {
        PostElement::Image(PostImage {
            image_key: image_key.into(),
        })
    }

    /// Markdown (send only).
    pub fn markdown(text: impl Into<String>) -> Self {
        PostElement::Markdown(PostMarkdown { text: text.into() })
    }

    /// The wire tag.
    pub fn tag(&self) -> &str {
        match self {
            PostElement::Text(_) => "text",
            PostElement::Link(_) => "a",
            PostElement::At(_) => "at",
            PostElement::Image(_) => "img",
            PostElement::Media(_) => "media",
            PostElement::Emotion(_) => "emotion",
            PostElement::CodeBlock(_) => "code_block",
            PostElement::Rule => "hr",
            PostElement::Markdown(_) => "md",
            PostElement::Other(v) => v.get("tag").and_then(Value::as_str).unwrap_or(""),
        }
    }
}

/// An element's fields after its `tag`: the wire writes the tag first.
#[derive(Serialize)]
struct Tagged<'a, T> {
    tag: &'a str,
    #[serde(flatten)]
    fields: &'a T,
}

impl Serialize for PostElement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tag = self.tag();
        match self {
            PostElement::Text(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::Link(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::At(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::Image(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::Media(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::Emotion(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::CodeBlock(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::Markdown(f) => Tagged { tag, fields: f }.serialize(s),
            PostElement::Rule => Tagged {
                tag,
                fields: &serde_json::Map::new(),
            }
            .serialize(s),
            PostElement::Other(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for PostElement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let Some(tag) = value.get("tag").and_then(Value::as_str) else {
            return Err(D::Error::custom("a rich-text element has no `tag`"));
        };
        fn fields<T: serde::de::DeserializeOwned, E: serde::de::Error>(v: Value) -> Result<T, E> {
            serde_json::from_value(v).map_err(E::custom)
        }
        Ok(match tag {
            "text" => PostElement::Text(fields(value)?),
            "a" => PostElement::Link(fields(value)?),
            "at" => PostElement::At(fields(value)?),
            "img" => PostElement::Image(fields(value)?),
            "media" => PostElement::Media(fields(value)?),
            "emotion" => PostElement::Emotion(fields(value)?),
            "code_block" => PostElement::CodeBlock(fields(value)?),
            "md" => PostElement::Markdown(fields(value)?),
            "hr" => PostElement::Rule,
            _ => PostElement::Other(value),
        })
    }
}
