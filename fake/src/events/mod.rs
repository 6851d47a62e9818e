//! The fake Feishu as an event source: it POSTs events to the app's
//! webhook the way Feishu's event guide describes, and the group-chat
//! endpoints send the events their pages document.
//!
//! - Each attempt is a `POST` with `Content-Type: application/json;
//!   charset=utf-8`, `X-Lark-Request-Timestamp` (seconds) and
//!   `X-Lark-Request-Nonce`; with an encrypt key the body is
//!   `{"encrypt": base64(iv + AES-256-CBC(envelope))}` under a fresh random
//!   IV, and `X-Lark-Signature` is the SHA-256 of timestamp + nonce + key +
//!   that body. Every attempt is signed afresh; the envelope (and so its
//!   `event_id`) stays the same.
//! - HTTP 200 within 3 seconds (2 of them to connect) is delivered;
//!   anything else fails and is delivered again after 15 s, 5 min, 1 h and
//!   6 h, at most 4 more times. Tests shorten the schedule with
//!   [`FakeFeishuBuilder::redelivery_delays`].
//! - Events from API calls are sent in the background: the call answers
//!   at once whatever the webhook does, and with no webhook nothing is sent.
//!   Redeliveries still waiting when the fake is dropped are not sent.

mod chat_events;
mod deliver;

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

pub(super) use chat_events::{Notice, bots_changed, disbanded, updated, users_changed};
pub use deliver::{Attempt, DeliverError, Delivery};

use super::server::{FakeFeishu, FakeFeishuBuilder};
use feishu_runtime::events::EncryptKey;

/// The verification token a fake puts in every envelope unless told
/// another with [`FakeFeishuBuilder::verification_token`].
pub const DEFAULT_VERIFICATION_TOKEN: &str = "fake-verification-token";

/// Feishu's redelivery schedule after a failed attempt (the event guide's
/// 推送周期和频次): 15 seconds, 5 minutes, 1 hour, 6 hours.
pub const DEFAULT_REDELIVERY_DELAYS: [Duration; 4] = [
    Duration::from_secs(15),
    Duration::from_secs(5 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(6 * 60 * 60),
];

/// How long Feishu waits for the webhook's answer.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// How long Feishu waits for the challenge of a URL verification.
pub const CHALLENGE_WITHIN: Duration = Duration::from_secs(1);

/// How long of that Feishu gives to connecting.
pub const CONNECT_WITHIN: Duration = Duration::from_secs(2);

/// The tenant of the fake's app and of every chat it creates.
pub(super) const TENANT_KEY: &str = "736588c9260f175e";

/// The open_id of the app's bot: the `operator_id` of events the bot's
/// calls (tenant token) cause.
pub const BOT_OPEN_ID: &str = "ou_3c5b0b1f7a2e4d9c8f6a1e2d3c4b5a69";

/// The builder's event settings.
#[derive(Clone)]
pub(super) struct EventSettings {
    webhook: Option<String>,
    verification_token: String,
    encrypt_key: Option<EncryptKey>,
    redelivery_delays: Vec<Duration>,
}

impl Default for EventSettings {
    fn default() -> Self {
        Self {
            webhook: None,
            verification_token: DEFAULT_VERIFICATION_TOKEN.to_owned(),
            encrypt_key: None,
            redelivery_delays: DEFAULT_REDELIVERY_DELAYS.to_vec(),
        }
    }
}

impl fmt::Debug for EventSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSettings")
            .field("webhook", &self.webhook)
            .field("verification_token", &"<redacted>")
            .field("encrypt_key", &self.encrypt_key)
            .field("redelivery_delays", &self.redelivery_delays)
            .finish()
    }
}

/// Event delivery: where the fake POSTs events and how.
impl FakeFeishuBuilder {
    /// The app's request URL (事件配置 > 将事件发送至开发者服务器): events
    /// are POSTed there. None by default: no event is sent.
    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.events.webhook = Some(url.into());
        self
    }

    /// The app's Verification Token, put in every envelope's `header.token`
    /// ([`DEFAULT_VERIFICATION_TOKEN`] by default).
    pub fn verification_token(mut self, token: impl Into<String>) -> Self {
        self.events.verification_token = token.into();
        self
    }

    /// The app's Encrypt Key: bodies are encrypted and signed with it. None
    /// by default: bodies are plain JSON and unsigned.
    pub fn encrypt_key(mut self, key: impl Into<String>) -> Self {
        self.events.encrypt_key = Some(EncryptKey::new(key));
        self
    }

    /// The waits before each redelivery of a failed event, one per retry
    /// ([`DEFAULT_REDELIVERY_DELAYS`] by default; tests give milliseconds).
    /// An empty list delivers once.
    pub fn redelivery_delays(mut self, delays: Vec<Duration>) -> Self {
        self.events.redelivery_delays = delays;
        self
    }
}

/// The running fake's record of deliveries and where they go.
pub(super) struct Outbox {
    settings: EventSettings,
    webhook: Mutex<Option<String>>,
    deliveries: Mutex<Vec<Delivery>>,
    in_flight: Mutex<usize>,
    settled: tokio::sync::Notify,
    closed: tokio::sync::watch::Sender<bool>,
    http: Option<reqwest::Client>,
}

impl Outbox {
    pub(super) fn new(settings: &EventSettings) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_WITHIN)
            .timeout(ANSWER_WITHIN)
            .build()
            .ok();
        Self {
            settings: settings.clone(),
            webhook: Mutex::new(settings.webhook.clone()),
            deliveries: Mutex::new(Vec::new()),
            in_flight: Mutex::new(0),
            settled: tokio::sync::Notify::new(),
            closed: tokio::sync::watch::Sender::new(false),
            http,
        }
    }

    fn webhook(&self) -> Option<String> {
        lock(&self.webhook).clone()
    }

    /// The verification token events carry.
    pub(super) fn verification_token(&self) -> &str {
        &self.settings.verification_token
    }

    /// Stops the redeliveries waiting for their turn: the fake is gone.
    pub(super) fn close(&self) {
        self.closed.send_replace(true);
    }

    async fn closed(&self) {
        let _ = self.closed.subscribe().wait_for(|closed| *closed).await;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Milliseconds since the epoch, as the event pages' `create_time`.
fn millis_now() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_millis())
        .unwrap_or(0)
        .to_string()
}

/// Sending events.
impl FakeFeishu {
    /// Sends events to `url` from now on, in place of the builder's
    /// [`webhook`](FakeFeishuBuilder::webhook): for receivers that start
    /// after the fake.
    pub fn subscribe_webhook(&self, url: impl Into<String>) {
        *lock(&self.shared().outbox.webhook) = Some(url.into());
    }

    /// The verification token the fake's envelopes carry.
    pub fn verification_token(&self) -> &str {
        &self.shared().outbox.settings.verification_token
    }

    /// A 2.0 envelope for `event`, as the event pages show it: a fresh
    /// `event_id`, `create_time` in milliseconds, the token, the app id and
    /// the tenant key in the header.
    pub fn envelope(&self, event_type: &str, event: Value) -> Value {
        envelope(self.shared(), event_type, event)
    }

    /// Delivers `envelope` (any JSON; usually a 2.0 envelope) to the
    /// webhook as Feishu does, redelivering on failure on the schedule, and
    /// answers the record of its attempts once it is delivered or the
    /// retries are used up: hours on the default schedule when the
    /// webhook keeps failing, so tests set
    /// [`redelivery_delays`](FakeFeishuBuilder::redelivery_delays).
    pub async fn deliver(&self, envelope: Value) -> Result<Delivery, DeliverError> {
        deliver::run(self.shared_arc(), envelope).await
    }

    /// [`deliver`](Self::deliver)s a fresh [`envelope`](Self::envelope) of
    /// `event`.
    pub async fn deliver_event(
        &self,
        event_type: &str,
        event: Value,
    ) -> Result<Delivery, DeliverError> {
        let envelope = self.envelope(event_type, event);
        self.deliver(envelope).await
    }

    /// Checks the webhook as Feishu does when the request URL is saved: a
    /// `url_verification` POST (encrypted and signed like events) whose
    /// `challenge` must be answered back with 200 within 1 second. Answers
    /// whether it was, and the attempt; it is not one of the
    /// [`deliveries`](Self::deliveries).
    pub async fn verify_webhook(&self) -> Result<(bool, Attempt), DeliverError> {
        deliver::verify(self.shared()).await
    }

    /// Every delivery so far, oldest first, those still being retried
    /// included.
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.shared().outbox.deliveries).clone()
    }

    /// Waits until no delivery is being attempted or waiting for a retry,
    /// then answers [`deliveries`](Self::deliveries).
    pub async fn deliveries_settled(&self) -> Vec<Delivery> {
        let outbox = &self.shared().outbox;
        loop {
            let settled = outbox.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            if *lock(&outbox.in_flight) == 0 {
                return self.deliveries();
            }
            settled.await;
        }
    }
}

fn envelope(shared: &super::server::Shared, event_type: &str, event: Value) -> Value {
    json!({
        "schema": "2.0",
        "header": {
            "event_id": uuid::Uuid::new_v4().simple().to_string(),
            "event_type": event_type,
            "create_time": millis_now(),
            "token": shared.outbox.settings.verification_token,
            "app_id": shared.config.app_id,
            "tenant_key": TENANT_KEY,
        },
        "event": event,
    })
}

/// Sends what an API call caused, in the background (see [`send`]).
pub(super) fn emit(shared: &std::sync::Arc<super::server::Shared>, notices: Vec<Notice>) {
    let envelopes = notices
        .into_iter()
        .map(|notice| envelope(shared, notice.event_type, notice.event))
        .collect();
    send(shared, envelopes);
}

/// Sends `envelopes` in the background: to the webhook when one is set,
/// and over the long connection when a client is connected (each
/// acknowledgement other than 200 is answered by a redelivery on the
/// webhook's schedule); nothing when neither.
pub(super) fn send(shared: &std::sync::Arc<super::server::Shared>, envelopes: Vec<Value>) {
    let webhook = shared.outbox.webhook().is_some();
    let long_connection = shared.long_connections.has_client();
    if !(webhook || long_connection) {
        return;
    }
    for envelope in envelopes {
        if long_connection {
            let shared = std::sync::Arc::clone(shared);
            let envelope = envelope.clone();
            tokio::spawn(async move { push_until_acknowledged(&shared, &envelope).await });
        }
        if webhook {
            let shared = std::sync::Arc::clone(shared);
            tokio::spawn(async move {
                let _ = deliver::run(shared, envelope).await;
            });
        }
    }
}

/// Pushes over the long connection until the client answers 200, waiting
/// the redelivery delays between attempts, as the webhook's deliveries do.
async fn push_until_acknowledged(shared: &super::server::Shared, envelope: &Value) {
    let delays = shared.outbox.settings.redelivery_delays.clone();
    for delay in std::iter::once(Duration::ZERO).chain(delays) {
        tokio::time::sleep(delay).await;
        let ack = super::long_connection::push(shared, envelope, 1).await;
        if matches!(ack, Ok(ack) if ack.code == Some(200)) {
            return;
        }
    }
}
