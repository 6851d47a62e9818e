//! A multipart request body as fields: what the client sends, and what a
//! server that plays Feishu reads back.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::UploadFile;

/// A generated request body sent as `multipart/form-data` (its
/// `form_impls!` line writes this).
pub trait Form {
    /// Each field that is set, by wire name, in field order.
    fn parts(&self) -> Vec<(&'static str, FormValue<'_>)>;

    /// The body from the parts a server received.
    fn from_parts(parts: Vec<ReceivedPart>) -> Result<Self, String>
    where
        Self: Sized;
}

/// One field of a multipart body.
#[derive(Debug)]
pub enum FormValue<'a> {
    /// A text part: a string as itself, another value as its JSON text.
    Text(String),
    /// A file part.
    File(&'a UploadFile),
}

/// One part as a server received it.
#[derive(Clone, Debug)]
pub struct ReceivedPart {
    /// The field's wire name.
    pub name: String,
    /// The part's file name, for a file.
    pub file_name: Option<String>,
    /// The part's bytes.
    pub bytes: Bytes,
}

/// A field type of a multipart body: a file, or a value sent as text.
pub trait FormField: Sized {
    /// The part this value is sent as.
    fn form_value(&self) -> FormValue<'_>;
    /// The value a received part holds.
    fn from_part(part: ReceivedPart) -> Result<Self, String>;
}

impl FormField for UploadFile {
    fn form_value(&self) -> FormValue<'_> {
        FormValue::File(self)
    }

    fn from_part(part: ReceivedPart) -> Result<Self, String> {
        let Some(name) = part.file_name else {
            return Err(format!(
                "`{}` is a text part where a file is documented",
                part.name
            ));
        };
        Ok(UploadFile::from_bytes(name, part.bytes))
    }
}

/// Text fields: strings, numbers, booleans, enums.
impl<T: Serialize + DeserializeOwned> FormField for T {
    fn form_value(&self) -> FormValue<'_> {
        FormValue::Text(match serde_json::to_value(self) {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        })
    }

    fn from_part(part: ReceivedPart) -> Result<Self, String> {
        let text = String::from_utf8(part.bytes.to_vec())
            .map_err(|_| format!("`{}` is not UTF-8 text", part.name))?;
        // A number or boolean reads as JSON; a string or enum is the text.
        serde_json::from_str(&text)
            .or_else(|_| serde_json::from_value(Value::String(text)))
            .map_err(|e| format!("`{}` does not decode: {e}", part.name))
    }
}
