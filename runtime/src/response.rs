//! A successful call's [`Response`], and turning an HTTP answer into one or
//! into a typed error, whatever the server sent: every shape of body ends
//! as a value of [`ErrorKind`], never a panic.
//!
//! Repeated keys in a JSON object are not an error: the last one wins, at
//! every level (as with serde_json's `Value`), so `{"code":0,"code":232019}`
//! is error 232019.

use std::fmt;
use std::ops::Deref;

use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ApiError, ErrorCode, ErrorKind};

/// The header Feishu support asks for when reporting a problem.
const LOG_ID: &str = "x-tt-logid";

/// A successful call: the typed `data`, and what came with it.
///
/// Dereferences to the data, so `response.chat_id` reads a field;
/// [`into_inner`](Self::into_inner) takes it. The answer's body is kept as
/// received (it was read anyway), so fields the schema does not know can be
/// read on demand with [`data_as`](Self::data_as) at no cost when unused.
pub struct Response<T> {
    data: T,
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    idempotency_key: Option<String>,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, answer: Answer, idempotency_key: Option<String>) -> Self {
        Self {
            data,
            status: answer.status,
            headers: answer.headers,
            body: answer.body,
            idempotency_key,
        }
    }

    /// The typed `data`.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The typed `data`, by value.
    pub fn into_inner(self) -> T {
        self.data
    }

    /// The `X-Tt-Logid` header, which Feishu support asks for.
    pub fn log_id(&self) -> Option<&str> {
        self.headers.get(LOG_ID)?.to_str().ok()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The idempotency key the call sent, given or generated.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The answer's body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The answer's `data` decoded as `D`: a `serde_json::Value` for every
    /// field the server sent, or a type of the caller's with fields the
    /// schema does not know yet.
    pub fn data_as<D: DeserializeOwned>(&self) -> Result<D, serde_json::Error> {
        #[derive(Deserialize)]
        struct Data<D> {
            data: D,
        }
        serde_json::from_slice::<Data<D>>(&self.body).map(|answer| answer.data)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    // The body repeats the data; headers may carry cookies.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("data", &self.data)
            .field("status", &self.status)
            .field("log_id", &self.log_id())
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

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
) -> Result<T, ErrorKind<E>> {
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

/// The answer's `X-Tt-Logid`, which Feishu's support asks for.
pub(crate) fn log_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get(LOG_ID)?.to_str().ok().map(str::to_owned)
}

impl Answer {
    pub fn log_id(&self) -> Option<String> {
        log_id(&self.headers)
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
        // serde's derived structs also accept a JSON array (`[0, {}]`), which
        // is no Feishu answer: only an object takes this path.
        let starts_an_object = self
            .body
            .iter()
            .find(|byte| !byte.is_ascii_whitespace())
            .is_some_and(|&byte| byte == b'{');
        if !(200..300).contains(&self.status) || !starts_an_object {
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
    pub fn success_object<E: ErrorCode>(&self) -> Result<Map<String, Value>, ErrorKind<E>> {
        let success = (200..300).contains(&self.status);
        let object = match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(object)) => object,
            Ok(_) | Err(_) if !success => {
                return Err(ErrorKind::HttpStatus {
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
                return Err(ErrorKind::HttpStatus {
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
            return Err(ErrorKind::Api(ApiError {
                code,
                msg,
                http_status: self.status,
                log_id: self.log_id(),
                documented: E::from_code(code),
            }));
        }
        if !success {
            // `code == 0` with an error status: nothing a caller can rely on.
            return Err(ErrorKind::HttpStatus {
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
    ) -> Result<T, ErrorKind<E>> {
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

    /// The answer's `data`, decoded. A missing or `null` `data` decodes as
    /// `null`, or as `{}` when the type wants an object (answers without
    /// data fields).
    pub fn data<T: DeserializeOwned, E: ErrorCode>(
        &self,
        mut object: Map<String, Value>,
    ) -> Result<T, ErrorKind<E>> {
        match object.remove("data") {
            Some(data) if !data.is_null() => self.decode("data", data),
            _ => serde_json::from_value(Value::Null)
                .or_else(|_| serde_json::from_value(Value::Object(Map::new())))
                .map_err(|error| self.decode_error(Some("data".to_owned()), error.to_string())),
        }
    }

    /// The answer's `data`, or the typed error it amounts to: the whole
    /// decision every call makes on an answer.
    pub fn result<T: DeserializeOwned, E: ErrorCode>(&self) -> Result<T, ErrorKind<E>> {
        if let Some(data) = self.plain_success() {
            return Ok(data);
        }
        let object = self.success_object()?;
        self.data(object)
    }

    pub(crate) fn decode_error<E: ErrorCode>(
        &self,
        path: Option<String>,
        message: String,
    ) -> ErrorKind<E> {
        ErrorKind::Decode {
            status: self.status,
            path,
            message,
            body: self.body_text(),
            log_id: self.log_id(),
        }
    }
}
