//! Turning an HTTP answer into data or a typed error, whatever the server
//! sent: every shape of body ends as a value of [`Error`], never a panic.
//!
//! Repeated keys in a JSON object are not an error: the last one wins, at
//! every level (as with serde_json's `Value`), so `{"code":0,"code":232019}`
//! is error 232019.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ApiError, Error, ErrorCode};

/// The header Feishu support asks for when reporting a problem.
const LOG_ID: &str = "x-tt-logid";

/// A plain success, decoded straight from the body: other fields ignored.
#[derive(Deserialize)]
struct Success<T> {
    code: i64,
    data: Option<T>,
}

/// Decodes an answer (status, headers, body as read) the way every call
/// does: into `T`, or the typed error it amounts to. Exposed for the
/// crate's fuzz tests; not part of the API.
#[doc(hidden)]
pub fn decode_answer<T: DeserializeOwned, E: ErrorCode>(
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
) -> Result<T, Error<E>> {
    Answer {
        status,
        headers,
        body,
    }
    .result()
}

/// An answer read in full.
pub(crate) struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn log_id(&self) -> Option<String> {
        let value = self.headers.get(LOG_ID)?;
        value.to_str().ok().map(str::to_owned)
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The answer's `data` when the answer is a plain success (2xx status,
    /// `code == 0`, `data` present, not null and of type `T`), decoded in one
    /// pass from the body instead of through a `Value`. `None` for anything
    /// else: [`success_object`](Self::success_object) and
    /// [`data`](Self::data) then decide, and report, as they always did.
    pub fn plain_success<T: DeserializeOwned>(&self) -> Option<T> {
        if !(200..300).contains(&self.status) {
            return None;
        }
        match serde_json::from_slice::<Success<T>>(&self.body) {
            Ok(Success {
                code: 0,
                data: Some(data),
            }) => Some(data),
            _ => None,
        }
    }

    /// The answer's JSON object when it says `code == 0` with a 2xx status.
    pub fn success_object<E: ErrorCode>(&self) -> Result<Map<String, Value>, Error<E>> {
        let success = (200..300).contains(&self.status);
        let object = match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(object)) => object,
            Ok(_) | Err(_) if !success => {
                return Err(Error::HttpStatus {
                    status: self.status,
                    body: self.body_text(),
                    log_id: self.log_id(),
                });
            }
            Ok(_) => {
                return Err(self.decode_error(None, "the answer is not a JSON object".to_owned()));
            }
            Err(error) => return Err(self.decode_error(None, error.to_string())),
        };
        let Some(code) = object.get("code").and_then(Value::as_i64) else {
            if !success {
                return Err(Error::HttpStatus {
                    status: self.status,
                    body: self.body_text(),
                    log_id: self.log_id(),
                });
            }
            return Err(
                self.decode_error(Some("code".to_owned()), "missing integer `code`".to_owned())
            );
        };
        if code != 0 {
            let msg = object
                .get("msg")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            return Err(Error::Api(ApiError {
                code,
                msg,
                http_status: self.status,
                log_id: self.log_id(),
                documented: E::from_code(code),
            }));
        }
        if !success {
            // `code == 0` with an error status: nothing a caller can rely on.
            return Err(Error::HttpStatus {
                status: self.status,
                body: self.body_text(),
                log_id: self.log_id(),
            });
        }
        Ok(object)
    }

    /// Decodes `value` (taken from this answer at `at`) into `T`.
    pub fn decode<T: DeserializeOwned, E: ErrorCode>(
        &self,
        at: &str,
        value: Value,
    ) -> Result<T, Error<E>> {
        serde_path_to_error::deserialize(value).map_err(|error| {
            let inner = error.path().to_string();
            let path = if inner == "." {
                at.to_owned()
            } else {
                format!("{at}.{inner}")
            };
            self.decode_error(Some(path), error.into_inner().to_string())
        })
    }

    /// The answer's `data`, decoded. A missing `data` decodes as `null`, or
    /// as `{}` when the type wants an object (answers without data fields).
    pub fn data<T: DeserializeOwned, E: ErrorCode>(
        &self,
        mut object: Map<String, Value>,
    ) -> Result<T, Error<E>> {
        match object.remove("data") {
            Some(data) => self.decode("data", data),
            None => serde_json::from_value(Value::Null)
                .or_else(|_| serde_json::from_value(Value::Object(Map::new())))
                .map_err(|error| self.decode_error(Some("data".to_owned()), error.to_string())),
        }
    }

    /// The answer's `data`, or the typed error it amounts to: the whole
    /// decision every call makes on an answer.
    pub fn result<T: DeserializeOwned, E: ErrorCode>(&self) -> Result<T, Error<E>> {
        if let Some(data) = self.plain_success() {
            return Ok(data);
        }
        let object = self.success_object()?;
        self.data(object)
    }

    fn decode_error<E: ErrorCode>(&self, path: Option<String>, message: String) -> Error<E> {
        Error::Decode {
            status: self.status,
            path,
            message,
            body: self.body_text(),
            log_id: self.log_id(),
        }
    }
}
