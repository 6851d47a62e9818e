//! One delivery: attempts signed and encrypted as the guide says, and
//! redeliveries on the schedule until one is answered with 200.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::{ANSWER_WITHIN, CHALLENGE_WITHIN, Outbox, lock};
use crate::server::Shared;
use feishu_runtime::events::timestamp;

/// Why nothing was delivered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeliverError {
    /// No webhook is configured.
    #[error("no webhook is configured")]
    NoWebhook,
    /// The HTTP client could not be built.
    #[error("the fake's HTTP client could not be built")]
    NoClient,
}

/// One event's delivery: what was sent and every attempt.
#[derive(Clone)]
pub struct Delivery {
    /// `header.event_id` (2.0) or `uuid` (1.0) of the envelope, if it has one.
    pub event_id: Option<String>,
    /// `header.event_type` (2.0) or `event.type` (1.0), if it has one.
    pub event_type: Option<String>,
    /// The envelope, before encryption.
    pub envelope: Value,
    /// Each POST, in order: the first delivery, then the redeliveries.
    pub attempts: Vec<Attempt>,
    /// Whether an attempt was answered with 200 in time.
    pub delivered: bool,
}

impl fmt::Debug for Delivery {
    // The envelope carries the verification token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("event_id", &self.event_id)
            .field("event_type", &self.event_type)
            .field("attempts", &self.attempts)
            .field("delivered", &self.delivered)
            .finish_non_exhaustive()
    }
}

impl Delivery {
    /// The status of each attempt (`None`: no answer in time).
    pub fn statuses(&self) -> Vec<Option<u16>> {
        self.attempts.iter().map(|attempt| attempt.status).collect()
    }
}

/// One POST of an event.
#[derive(Clone)]
pub struct Attempt {
    /// The answer's HTTP status; `None` when there was no answer within
    /// the time limit (or no connection).
    pub status: Option<u16>,
    /// Why there was no answer, when there was none.
    pub error: Option<String>,
    /// `X-Lark-Request-Timestamp`: seconds since the epoch.
    pub timestamp: String,
    /// `X-Lark-Request-Nonce`.
    pub nonce: String,
    /// `X-Lark-Signature`, sent when an encrypt key is set.
    pub signature: Option<String>,
    /// The raw body POSTed: the envelope, or `{"encrypt": ..}`.
    pub body: Vec<u8>,
    /// The answer's body, when there was an answer.
    pub answer: Option<Vec<u8>>,
}

impl fmt::Debug for Attempt {
    // A plain body carries the verification token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attempt")
            .field("status", &self.status)
            .field("error", &self.error)
            .field("timestamp", &self.timestamp)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Counts a delivery in flight until dropped, so that
/// `deliveries_settled` waits for it even if the task is cancelled.
struct InFlight<'a>(&'a Outbox);

impl<'a> InFlight<'a> {
    fn start(outbox: &'a Outbox) -> Self {
        *lock(&outbox.in_flight) += 1;
        Self(outbox)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut count = lock(&self.0.in_flight);
        *count = count.saturating_sub(1);
        drop(count);
        self.0.settled.notify_waiters();
    }
}

pub(super) async fn run(shared: Arc<Shared>, envelope: Value) -> Result<Delivery, DeliverError> {
    let outbox = &shared.outbox;
    let url = outbox.webhook().ok_or(DeliverError::NoWebhook)?;
    let http = outbox.http.clone().ok_or(DeliverError::NoClient)?;
    let _in_flight = InFlight::start(outbox);
    let plain = envelope.to_string().into_bytes();
    let index = {
        let mut deliveries = lock(&outbox.deliveries);
        deliveries.push(Delivery {
            event_id: text_at(&envelope, &["header", "event_id"])
                .or_else(|| text_at(&envelope, &["uuid"])),
            event_type: text_at(&envelope, &["header", "event_type"])
                .or_else(|| text_at(&envelope, &["event", "type"])),
            envelope,
            attempts: Vec::new(),
            delivered: false,
        });
        deliveries.len() - 1
    };
    let delays = outbox.settings.redelivery_delays.clone();
    for retry in 0..=delays.len() {
        if let Some(delay) = retry.checked_sub(1).and_then(|at| delays.get(at)) {
            tokio::select! {
                () = tokio::time::sleep(*delay) => {}
                () = outbox.closed() => break,
            }
        }
        let attempt = post(outbox, &http, &url, &plain, ANSWER_WITHIN).await;
        let delivered = attempt.status == Some(200);
        let mut deliveries = lock(&outbox.deliveries);
        if let Some(delivery) = deliveries.get_mut(index) {
            delivery.attempts.push(attempt);
            delivery.delivered = delivered;
        }
        if delivered {
            break;
        }
    }
    let deliveries = lock(&outbox.deliveries);
    Ok(deliveries[index].clone())
}

/// Feishu's URL verification (将事件发送至开发者服务器, 步骤二): a
/// `url_verification` POST whose `challenge` must come back within
/// [`CHALLENGE_WITHIN`]. Answers whether it did, and the attempt.
pub(super) async fn verify(shared: &Shared) -> Result<(bool, Attempt), DeliverError> {
    let outbox = &shared.outbox;
    let url = outbox.webhook().ok_or(DeliverError::NoWebhook)?;
    let http = outbox.http.clone().ok_or(DeliverError::NoClient)?;
    let challenge = uuid::Uuid::new_v4().simple().to_string();
    let plain = json!({
        "challenge": challenge,
        "token": outbox.settings.verification_token,
        "type": "url_verification",
    })
    .to_string()
    .into_bytes();
    let attempt = post(outbox, &http, &url, &plain, CHALLENGE_WITHIN).await;
    let echoed = attempt
        .answer
        .as_deref()
        .and_then(|answer| serde_json::from_slice::<Value>(answer).ok())
        .and_then(|answer| answer.get("challenge").cloned());
    let verified = attempt.status == Some(200) && echoed == Some(Value::String(challenge));
    Ok((verified, attempt))
}

/// One signed (and, with a key, encrypted) POST, answered within `within`.
async fn post(
    outbox: &Outbox,
    http: &reqwest::Client,
    url: &str,
    plain: &[u8],
    within: Duration,
) -> Attempt {
    let key = outbox.settings.encrypt_key.as_ref();
    let timestamp = timestamp(SystemTime::now());
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let body = match key {
        Some(key) => {
            let iv = *uuid::Uuid::new_v4().as_bytes();
            json!({ "encrypt": key.encrypt(plain, iv) })
                .to_string()
                .into_bytes()
        }
        None => plain.to_vec(),
    };
    let signature = key.map(|key| key.signature(&timestamp, &nonce, &body));
    let mut request = http
        .post(url)
        .timeout(within)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/json; charset=utf-8",
        )
        .header("X-Lark-Request-Timestamp", &timestamp)
        .header("X-Lark-Request-Nonce", &nonce);
    if let Some(signature) = &signature {
        request = request.header("X-Lark-Signature", signature);
    }
    // The whole answer counts toward the time limit, its body included.
    let answer = match request.body(body.clone()).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            response.bytes().await.map(|bytes| (status, bytes.to_vec()))
        }
        Err(error) => Err(error),
    };
    let (status, error, answer) = match answer {
        Ok((status, answer)) => (Some(status), None, Some(answer)),
        Err(error) => (None, Some(error.to_string()), None),
    };
    Attempt {
        status,
        error,
        timestamp,
        nonce,
        signature,
        body,
        answer,
    }
}

fn text_at(value: &Value, path: &[&str]) -> Option<String> {
    path.iter()
        .try_fold(value, |value, key| value.get(key))
        .and_then(Value::as_str)
        .map(str::to_owned)
}
