//! The checks a webhook request passes before its event reaches a handler,
//! in the order the event guide gives them: the signature (when an encrypt
//! key is set), decryption, the verification token, and the URL
//! verification challenge. Anything else is a [`Rejection`] with the HTTP
//! status to answer, never a panic.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

use super::crypto::{DecryptError, EncryptKey};
use super::envelope::Event;
use crate::clock::{Clock, SystemClock};

/// Requests signed longer ago than this (or this far ahead) are refused as
/// replays. Feishu signs each delivery, retries included, when it sends it.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5 * 60);

const TIMESTAMP: &str = "x-lark-request-timestamp";
const NONCE: &str = "x-lark-request-nonce";
const SIGNATURE: &str = "x-lark-signature";

/// What a request turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Received {
    /// Feishu checking the request URL: answer `{"challenge": ..}` with 200.
    Challenge(String),
    /// An event, verified and decrypted.
    Event(Event),
}

/// Why a request was refused, with the status to answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The body (or what it decrypts to) is not a JSON object.
    #[error("the body is not a JSON object")]
    NotJson,
    /// An `encrypt` body with no encrypt key configured.
    #[error("the body is encrypted but no encrypt key is configured")]
    NoKey,
    /// An encrypt key is configured but the body is plain.
    #[error("the body is not encrypted but an encrypt key is configured")]
    NotEncrypted,
    /// The `encrypt` value does not decrypt with the key.
    #[error(transparent)]
    Undecryptable(#[from] DecryptError),
    /// An event without the signature headers while an encrypt key is set.
    #[error("the request is not signed")]
    Unsigned,
    /// The signature is not the request's.
    #[error("the signature does not match")]
    BadSignature,
    /// The timestamp is too old or too far ahead: a replay.
    #[error("the request timestamp is outside the allowed window")]
    Stale,
    /// The verification token is not the app's.
    #[error("the verification token does not match")]
    BadToken,
    /// JSON, but neither an event nor a challenge.
    #[error("the body is neither an event nor a URL verification")]
    NotAnEvent,
}

impl Rejection {
    /// The HTTP status to answer: 401 for requests that may not be
    /// Feishu's, 400 for requests that are malformed.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::Unsigned
            | Rejection::BadSignature
            | Rejection::Stale
            | Rejection::BadToken => 401,
            Rejection::NotJson
            | Rejection::NoKey
            | Rejection::NotEncrypted
            | Rejection::Undecryptable(_)
            | Rejection::NotAnEvent => 400,
        }
    }
}

/// The app's event settings, checking webhook requests.
#[derive(Clone)]
pub struct Webhook {
    verification_token: Option<String>,
    encrypt_key: Option<EncryptKey>,
    max_age: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field(
                "verification_token",
                &self.verification_token.as_ref().map(|_| "<redacted>"),
            )
            .field("encrypt_key", &self.encrypt_key)
            .field("max_age", &self.max_age)
            .finish()
    }
}

impl Default for Webhook {
    fn default() -> Self {
        Self::new()
    }
}

impl Webhook {
    /// No token, no key: every well-formed event is accepted. Set both for
    /// anything reachable from the internet.
    pub fn new() -> Self {
        Self {
            verification_token: None,
            encrypt_key: None,
            max_age: DEFAULT_MAX_AGE,
            clock: Arc::new(SystemClock),
        }
    }

    /// The app's Verification Token: events and challenges carrying
    /// another are refused.
    pub fn verification_token(mut self, token: impl Into<String>) -> Self {
        self.verification_token = Some(token.into());
        self
    }

    /// The app's Encrypt Key: bodies must be encrypted with it and events
    /// signed with it.
    pub fn encrypt_key(mut self, key: impl Into<String>) -> Self {
        self.encrypt_key = Some(EncryptKey::new(key));
        self
    }

    /// How old a signature may be ([`DEFAULT_MAX_AGE`] by default).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// Where the time comes from, for the timestamp check.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Checks one request (its headers and raw body).
    pub fn receive(&self, headers: &HeaderMap, body: &[u8]) -> Result<Received, Rejection> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let signed = match (header(TIMESTAMP), header(NONCE), header(SIGNATURE)) {
            (Some(timestamp), Some(nonce), Some(signature)) => Some((timestamp, nonce, signature)),
            _ => None,
        };
        // The signature covers the raw body, so it is checked before
        // anything is decrypted or parsed.
        if let (Some(key), Some((timestamp, nonce, signature))) = (&self.encrypt_key, signed) {
            if !key.signature_matches(timestamp, nonce, body, signature) {
                return Err(Rejection::BadSignature);
            }
            self.check_age(timestamp)?;
        }
        let object = self.plain_object(body)?;
        if object.get("type").and_then(Value::as_str) == Some("url_verification") {
            self.check_token(object.get("token").and_then(Value::as_str))?;
            let challenge = object.get("challenge").and_then(Value::as_str);
            return challenge
                .map(|c| Received::Challenge(c.to_owned()))
                .ok_or(Rejection::NotAnEvent);
        }
        let event = Event::from_object(object).ok_or(Rejection::NotAnEvent)?;
        if self.encrypt_key.is_some() && signed.is_none() {
            return Err(Rejection::Unsigned);
        }
        self.check_token(event.token.as_deref())?;
        Ok(Received::Event(event))
    }

    /// The body as a JSON object, decrypted when it is `{"encrypt": ..}`.
    fn plain_object(&self, body: &[u8]) -> Result<Map<String, Value>, Rejection> {
        let Ok(Value::Object(outer)) = serde_json::from_slice::<Value>(body) else {
            return Err(Rejection::NotJson);
        };
        let encrypted = outer.get("encrypt").and_then(Value::as_str);
        let plain = match (encrypted, &self.encrypt_key) {
            (Some(encrypted), Some(key)) => key.decrypt(encrypted)?,
            (Some(_), None) => return Err(Rejection::NoKey),
            (None, Some(_)) => return Err(Rejection::NotEncrypted),
            (None, None) => return Ok(outer),
        };
        match serde_json::from_slice::<Value>(&plain) {
            Ok(Value::Object(inner)) => Ok(inner),
            _ => Err(Rejection::NotJson),
        }
    }

    fn check_age(&self, timestamp: &str) -> Result<(), Rejection> {
        let seconds: u64 = timestamp.trim().parse().map_err(|_| Rejection::Stale)?;
        let signed_at = UNIX_EPOCH + Duration::from_secs(seconds);
        let now = self.clock.now();
        let skew = match now.duration_since(signed_at) {
            Ok(age) => age,
            Err(ahead) => ahead.duration(),
        };
        if skew > self.max_age {
            return Err(Rejection::Stale);
        }
        Ok(())
    }

    fn check_token(&self, token: Option<&str>) -> Result<(), Rejection> {
        let Some(expected) = &self.verification_token else {
            return Ok(());
        };
        let given = token.unwrap_or_default();
        let equal: bool =
            subtle::ConstantTimeEq::ct_eq(given.as_bytes(), expected.as_bytes()).into();
        if equal {
            Ok(())
        } else {
            Err(Rejection::BadToken)
        }
    }
}

/// The seconds since the Unix epoch, as `X-Lark-Request-Timestamp` writes
/// them.
pub fn timestamp(at: SystemTime) -> String {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string()
}
