//! The fake's side of Feishu's long connection: discovery answered with a
//! loopback `ws://` URL, the WebSocket served, pings answered with pongs,
//! and events pushed by tests with [`FakeFeishu::send_over_long_connection`],
//! which waits for the client's acknowledgement. Faults: drop the
//! connections, go silent (no pongs) while keeping them open, or refuse
//! handshakes.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use super::server::{FakeFeishu, RecordedRequest, Shared, check_app_keys, query_pairs};
use feishu_runtime::events::long_connection::{
    ENDPOINT_PATH, Frame, HEADER_MESSAGE_ID, HEADER_SEQ, HEADER_SUM, HEADER_TRACE_ID, HEADER_TYPE,
    METHOD_CONTROL, METHOD_DATA,
};

/// Where the WebSocket is served; discovery answers it with the query.
pub(super) const WS_PATH: &str = "/ws/v2";

/// How long a pushed event waits for a client, then for its
/// acknowledgement.
const WAIT: Duration = Duration::from_secs(10);

/// What the client answered to an event pushed over the long connection.
#[derive(Clone, Debug, PartialEq)]
pub struct LongConnectionAck {
    /// The `code` of the acknowledgement's payload: 200 when handled.
    pub code: Option<i64>,
    /// The payload, parsed (`Value::Null` when it is not JSON).
    pub payload: Value,
    /// The whole acknowledgement frame, e.g. for its `biz_rt` header.
    pub frame: Frame,
}

/// Why a push over the long connection did not get an acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LongConnectionSendError {
    /// No client connected within the wait.
    #[error("no client is connected over the long connection")]
    NotConnected,
    /// The connection closed before the client acknowledged.
    #[error("the long connection closed before the acknowledgement")]
    Closed,
    /// The client sent no acknowledgement within the wait.
    #[error("no acknowledgement within {0:?}")]
    NoAck(Duration),
}

/// The long-connection part of the fake's state.
#[derive(Default)]
pub(super) struct LongConnections {
    inner: Mutex<Inner>,
    // Wakes pushes waiting for a client.
    connected: tokio::sync::Notify,
}

#[derive(Default)]
struct Inner {
    issued: u64,
    tickets: HashMap<String, (String, i32)>,
    live: Vec<Live>,
    received: Vec<Frame>,
    waiting: HashMap<String, oneshot::Sender<Frame>>,
    discovery_config: Option<Value>,
    pong_config: Option<Value>,
    pushed: u64,
    refusals: VecDeque<Refusal>,
}

/// A handshake answer instead of the upgrade: a status and headers.
struct Refusal {
    status: StatusCode,
    headers: Vec<(String, String)>,
}

struct Live {
    device_id: String,
    service_id: i32,
    commands: mpsc::UnboundedSender<Command>,
    silent: Arc<AtomicBool>,
}

enum Command {
    Send(Vec<u8>),
    Close,
}

impl LongConnections {
    /// Whether a client is connected now.
    pub(super) fn has_client(&self) -> bool {
        !self.lock().live.is_empty()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// `POST /callback/ws/endpoint`: checks the app as the token endpoint
/// does, then answers a URL on this server.
pub(super) fn discover(shared: &Shared, request: &RecordedRequest) -> (StatusCode, Value) {
    let body = request.json().unwrap_or(Value::Null);
    // Discovery answers its refusals in the body, with HTTP 200.
    let keys = ["AppID", "AppSecret"];
    if let Err(refusal) = check_app_keys(&shared.config, &body, keys, StatusCode::OK) {
        return refusal;
    }
    let Some(host) = request.header("host") else {
        return (
            StatusCode::BAD_REQUEST,
            json!({"code": 10003, "msg": "no host"}),
        );
    };
    let ticket = uuid::Uuid::new_v4().simple().to_string();
    let mut state = shared.long_connections.lock();
    state.issued += 1;
    let device_id = format!("{}", 7_000_000 + state.issued);
    let service_id = 33_554_000 + i32::try_from(state.issued % 1000).unwrap_or(0);
    state
        .tickets
        .insert(ticket.clone(), (device_id.clone(), service_id));
    let url = format!(
        "ws://{host}{WS_PATH}?device_id={device_id}&service_id={service_id}&ticket={ticket}"
    );
    let mut data = json!({ "URL": url });
    if let Some(client_config) = &state.discovery_config {
        data["ClientConfig"] = client_config.clone();
    }
    (
        StatusCode::OK,
        json!({"code": 0, "msg": "ok", "data": data}),
    )
}

/// The WebSocket upgrade: only with a ticket discovery issued, once, and
/// not while a refusal is queued.
pub(super) async fn upgrade(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    upgrade: WebSocketUpgrade,
) -> Response {
    let ticket = query_pairs(uri.query())
        .into_iter()
        .find(|(key, _)| key == "ticket")
        .map(|(_, value)| value)
        .unwrap_or_default();
    let (issued, refusal) = {
        let mut state = shared.long_connections.lock();
        (state.tickets.remove(&ticket), state.refusals.pop_front())
    };
    if let Some(Refusal { status, headers }) = refusal {
        return super::server::with_headers(status.into_response(), &headers);
    }
    let Some((device_id, service_id)) = issued else {
        return (StatusCode::FORBIDDEN, [("Handshake-Status", "403")]).into_response();
    };
    upgrade.on_upgrade(move |socket| serve(shared, socket, device_id, service_id))
}

async fn serve(shared: Arc<Shared>, mut socket: WebSocket, device_id: String, service_id: i32) {
    let (commands, mut queued) = mpsc::unbounded_channel();
    let silent = Arc::new(AtomicBool::new(false));
    {
        let mut state = shared.long_connections.lock();
        state.live.push(Live {
            device_id: device_id.clone(),
            service_id,
            commands,
            silent: Arc::clone(&silent),
        });
    }
    shared.long_connections.connected.notify_waiters();
    loop {
        tokio::select! {
            command = queued.recv() => match command {
                Some(Command::Send(bytes)) => {
                    if socket.send(Message::Binary(Bytes::from(bytes))).await.is_err() {
                        break;
                    }
                }
                Some(Command::Close) | None => {
                    let _ = socket.send(Message::Close(None)).await;
                    break;
                }
            },
            message = socket.recv() => match message {
                Some(Ok(Message::Binary(bytes))) => {
                    let pong = received(&shared, &bytes, silent.load(Ordering::SeqCst));
                    if let Some(pong) = pong
                        && socket.send(Message::Binary(Bytes::from(pong))).await.is_err()
                    {
                        break;
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    let mut state = shared.long_connections.lock();
    state.live.retain(|live| live.device_id != device_id);
}

/// Records a frame from the client; answers a ping (unless silent) and
/// hands an acknowledgement to the push waiting for it.
fn received(shared: &Shared, bytes: &[u8], silent: bool) -> Option<Vec<u8>> {
    let Ok(frame) = Frame::decode(bytes) else {
        tracing::warn!("fake feishu: a long connection frame it cannot read");
        return None;
    };
    let mut state = shared.long_connections.lock();
    state.received.push(frame.clone());
    if frame.method == METHOD_CONTROL && frame.header(HEADER_TYPE) == Some("ping") {
        if silent {
            return None;
        }
        let mut pong = Frame {
            service: frame.service,
            method: METHOD_CONTROL,
            ..Frame::default()
        };
        pong.push_header(HEADER_TYPE, "pong");
        if let Some(config) = &state.pong_config {
            pong.payload = config.to_string().into_bytes();
        }
        return Some(pong.encode());
    }
    if frame.method == METHOD_DATA {
        let id = frame
            .header(HEADER_MESSAGE_ID)
            .unwrap_or_default()
            .to_owned();
        if let Some(waiter) = state.waiting.remove(&id) {
            let _ = waiter.send(frame);
        }
    }
    None
}

/// The data frames of one event: its JSON split into `parts` pieces.
fn event_frames(
    envelope: &Value,
    parts: usize,
    number: u64,
    service_id: i32,
) -> (String, Vec<Frame>) {
    let payload = envelope.to_string().into_bytes();
    let size = payload.len().div_ceil(parts.max(1)).max(1);
    let chunks: Vec<&[u8]> = payload.chunks(size).collect();
    let message_id = format!("fake_msg_{number}");
    let frames = chunks
        .iter()
        .enumerate()
        .map(|(seq, chunk)| {
            let mut frame = Frame {
                seq_id: number,
                log_id: number,
                service: service_id,
                method: METHOD_DATA,
                payload: chunk.to_vec(),
                log_id_new: format!("fake_log_{number}_{seq}"),
                ..Frame::default()
            };
            frame.push_header(HEADER_TYPE, "event");
            frame.push_header(HEADER_MESSAGE_ID, message_id.clone());
            frame.push_header(HEADER_SUM, chunks.len().to_string());
            frame.push_header(HEADER_SEQ, seq.to_string());
            frame.push_header(HEADER_TRACE_ID, format!("fake_trace_{number}"));
            frame
        })
        .collect();
    (message_id, frames)
}

impl FakeFeishu {
    /// Pushes `envelope` (an event's JSON, e.g. a 2.0 envelope) to the
    /// newest connected long-connection client, as one frame, and waits
    /// for its acknowledgement.
    pub async fn send_over_long_connection(
        &self,
        envelope: Value,
    ) -> Result<LongConnectionAck, LongConnectionSendError> {
        self.send_over_long_connection_in_parts(envelope, 1).await
    }

    /// As [`send_over_long_connection`](Self::send_over_long_connection),
    /// the JSON split into `parts` frames (`sum` = `parts`, fewer if the
    /// JSON is shorter) sharing one `message_id`.
    pub async fn send_over_long_connection_in_parts(
        &self,
        envelope: Value,
        parts: usize,
    ) -> Result<LongConnectionAck, LongConnectionSendError> {
        push(self.shared(), &envelope, parts).await
    }

    /// Sends `bytes` as one binary WebSocket message to the newest client,
    /// as is: for frames a client must survive.
    pub async fn send_raw_over_long_connection(
        &self,
        bytes: Vec<u8>,
    ) -> Result<(), LongConnectionSendError> {
        let (commands, _) = self.wait_for_client().await?;
        commands
            .send(Command::Send(bytes))
            .map_err(|_| LongConnectionSendError::Closed)
    }

    /// The newest client's command queue and service id, waiting for one.
    async fn wait_for_client(
        &self,
    ) -> Result<(mpsc::UnboundedSender<Command>, i32), LongConnectionSendError> {
        wait_for_client(&self.shared().long_connections).await
    }

    /// Closes every open long connection (a close frame, then the socket);
    /// how many there were.
    pub fn drop_long_connections(&self) -> usize {
        let mut state = self.shared().long_connections.lock();
        let open = state.live.len();
        for live in state.live.drain(..) {
            let _ = live.commands.send(Command::Close);
        }
        open
    }

    /// Makes every open long connection stop answering pings, keeping it
    /// open: a connection gone dead without a close. Connections opened
    /// later answer again.
    pub fn silence_long_connections(&self) {
        let state = self.shared().long_connections.lock();
        for live in &state.live {
            live.silent.store(true, Ordering::SeqCst);
        }
    }

    /// Queues a refusal for the next WebSocket handshake: this HTTP status
    /// and these headers instead of the upgrade, e.g. `Handshake-Status`,
    /// `Handshake-Msg` and `Handshake-Autherrcode` as Feishu refuses a
    /// banned app. Each refusal is used by one handshake, which also uses
    /// up its ticket. A status outside 100 to 999 is answered as 500, as
    /// [`Fault::Raw`](super::Fault::Raw)'s.
    pub fn refuse_long_connection_handshake(&self, status: u16, headers: &[(&str, &str)]) {
        let refusal = Refusal {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        };
        self.shared()
            .long_connections
            .lock()
            .refusals
            .push_back(refusal);
    }

    /// How many long connections are open now.
    pub fn long_connections(&self) -> usize {
        self.shared().long_connections.lock().live.len()
    }

    /// The `ClientConfig` discovery answers from now on (e.g.
    /// `{"PingInterval": 120, "ReconnectCount": -1}`); none by default.
    pub fn long_connection_config_on_discovery(&self, config: Value) {
        self.shared().long_connections.lock().discovery_config = Some(config);
    }

    /// The `ClientConfig` every pong carries from now on; pongs are empty
    /// by default.
    pub fn long_connection_config_on_pong(&self, config: Value) {
        self.shared().long_connections.lock().pong_config = Some(config);
    }

    /// Every frame the long-connection clients sent (pings,
    /// acknowledgements), decoded, in order.
    pub fn long_connection_frames(&self) -> Vec<Frame> {
        self.shared().long_connections.lock().received.clone()
    }

    /// The discovery requests (`POST /callback/ws/endpoint`).
    pub fn discovery_requests(&self) -> Vec<RecordedRequest> {
        self.requests_to(ENDPOINT_PATH)
    }
}

/// Pushes `envelope` to the newest client, split into `parts` frames, and
/// waits for its acknowledgement: what the fake's API calls and tests send.
pub(super) async fn push(
    shared: &Shared,
    envelope: &Value,
    parts: usize,
) -> Result<LongConnectionAck, LongConnectionSendError> {
    let connections = &shared.long_connections;
    let (commands, service_id) = wait_for_client(connections).await?;
    let (ack, acked) = oneshot::channel();
    let frames = {
        let mut state = connections.lock();
        state.pushed += 1;
        let (message_id, frames) = event_frames(envelope, parts, state.pushed, service_id);
        state.waiting.insert(message_id, ack);
        frames
    };
    for frame in frames {
        if commands.send(Command::Send(frame.encode())).is_err() {
            return Err(LongConnectionSendError::Closed);
        }
    }
    match tokio::time::timeout(WAIT, acked).await {
        Ok(Ok(frame)) => {
            let payload = serde_json::from_slice(&frame.payload).unwrap_or(Value::Null);
            let code = payload.get("code").and_then(Value::as_i64);
            Ok(LongConnectionAck {
                code,
                payload,
                frame,
            })
        }
        Ok(Err(_)) => Err(LongConnectionSendError::Closed),
        Err(_) => Err(LongConnectionSendError::NoAck(WAIT)),
    }
}

/// The newest client's command queue and service id, waiting for one.
async fn wait_for_client(
    connections: &LongConnections,
) -> Result<(mpsc::UnboundedSender<Command>, i32), LongConnectionSendError> {
    let waiting = async {
        loop {
            let notified = connections.connected.notified();
            if let Some(live) = connections.lock().live.last() {
                return (live.commands.clone(), live.service_id);
            }
            notified.await;
        }
    };
    tokio::time::timeout(WAIT, waiting)
        .await
        .map_err(|_| LongConnectionSendError::NotConnected)
}
