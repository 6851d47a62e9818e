//! Files in requests. A request body with a field the schema types `file`
//! (image and file uploads, drive's uploads) goes out as
//! `multipart/form-data`: each set field a part, text as its wire value,
//! the file streamed from where it is with its length known, never read
//! whole into memory. Each attempt reads the file afresh, so a retry
//! resends it whole (a reader can be sent once). A large file goes up in
//! [`blocks`](UploadFile::blocks), one call per block, so a failed block
//! is resent alone.

mod file;
mod form;
#[cfg(feature = "routes")]
pub(crate) mod multipart;

pub use file::UploadFile;

/// The parts of a `multipart/form-data` body, for a server that plays
/// Feishu.
#[cfg(feature = "routes")]
#[doc(hidden)]
pub fn form_parts(body: &[u8]) -> Result<Vec<ReceivedPart>, String> {
    multipart::parts(body)
}
#[doc(hidden)]
pub use form::{Form, FormField, FormValue, ReceivedPart};

/// Implements [`Form`] for a generated request body that holds a file:
/// `form_impls!(Name { field = "wire", ... })`. Its text fields go out as
/// their wire value (a string as itself, other values as JSON text).
#[doc(hidden)]
#[macro_export]
macro_rules! form_impls {
    ($name:ident { $($field:ident = $wire:literal),* $(,)? }) => {
        impl $crate::upload::Form for $name {
            fn parts(&self) -> ::std::vec::Vec<(&'static str, $crate::upload::FormValue<'_>)> {
                #[allow(unused_mut)]
                let mut parts = ::std::vec::Vec::new();
                $(
                    if let ::std::option::Option::Some(value) = &self.$field {
                        parts.push(($wire, $crate::upload::FormField::form_value(value)));
                    }
                )*
                parts
            }

            fn from_parts(
                parts: ::std::vec::Vec<$crate::upload::ReceivedPart>,
            ) -> ::std::result::Result<Self, ::std::string::String> {
                #[allow(unused_mut)]
                let mut value = <$name as ::std::default::Default>::default();
                for part in parts {
                    match part.name.as_str() {
                        $($wire => {
                            value.$field = ::std::option::Option::Some(
                                $crate::upload::FormField::from_part(part)?,
                            );
                        })*
                        _ => {}
                    }
                }
                ::std::result::Result::Ok(value)
            }
        }
    };
}

/// The multipart form of one attempt: text parts as they are, each file
/// read afresh as it is sent.
pub(crate) async fn multipart_form(
    form: &(dyn Form + Sync),
) -> std::io::Result<reqwest::multipart::Form> {
    let mut out = reqwest::multipart::Form::new();
    for (name, value) in form.parts() {
        out = match value {
            FormValue::Text(text) => out.text(name, text),
            FormValue::File(file) => out.part(name, file.part().await?),
        };
    }
    Ok(out)
}

// Generated code calls it by this path, `<crate>::upload::form_impls!`.
#[doc(hidden)]
pub use crate::form_impls;
