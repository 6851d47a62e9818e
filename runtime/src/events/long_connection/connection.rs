//! One open connection: pings on the interval, a watchdog on the answers,
//! data frames reassembled, dispatched and acknowledged. It ends when the
//! server closes, the socket breaks, the watchdog fires or the owner shuts
//! it down; reconnecting is the caller's business (`client.rs`).

use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Map, Value, json};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::config::{ClientConfig, WireConfig};
use super::error::LongConnectionError;
use super::frame::{
    Frame, HEADER_BIZ_RT, HEADER_MESSAGE_ID, HEADER_SEQ, HEADER_SUM, HEADER_TYPE, METHOD_CONTROL,
    METHOD_DATA,
};
use super::parts::Parts;
use crate::events::dispatch::{Dispatcher, Outcome};
use crate::events::envelope::Event;

pub(super) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How a connection ended.
#[derive(Debug)]
pub(super) enum End {
    /// The owner asked to stop.
    Shutdown,
    /// The connection is gone; connect again.
    Lost(LongConnectionError),
}

/// What a connection needs from the client that owns it.
pub(super) struct Session<'a> {
    pub dispatcher: &'a Dispatcher,
    /// Read for the ping interval; a pong's config is written here.
    pub config: &'a watch::Sender<ClientConfig>,
    pub pong_within: std::time::Duration,
    pub service_id: i32,
    pub shutdown: watch::Receiver<bool>,
}

impl Session<'_> {
    /// Serves `socket` until it ends.
    pub(super) async fn serve(self, socket: Socket) -> End {
        let mut stop = self.shutdown.clone();
        let (mut sink, mut stream) = socket.split();
        // Handlers run in their own tasks; their acknowledgements come back
        // here, since only this loop writes to the socket.
        let (acks, mut acked) = mpsc::channel::<Frame>(64);
        let mut parts = Parts::default();
        // The official SDKs ping as soon as they connect.
        let mut next_ping = tokio::time::Instant::now();
        // When the oldest ping that nothing has arrived since was sent.
        let mut unanswered: Option<tokio::time::Instant> = None;
        loop {
            let watchdog = unanswered.map(|sent| sent + self.pong_within);
            tokio::select! {
                () = stopped(&mut stop) => {
                    let _ = sink.send(Message::Close(None)).await;
                    return End::Shutdown;
                }
                () = tokio::time::sleep_until(next_ping) => {
                    let ping = ping(self.service_id).encode();
                    if let Err(error) = sink.send(Message::binary(ping)).await {
                        return End::Lost(LongConnectionError::WebSocket(error.to_string()));
                    }
                    let now = tokio::time::Instant::now();
                    unanswered.get_or_insert(now);
                    next_ping = now + self.config.borrow().ping_interval;
                }
                () = until(watchdog) => {
                    return End::Lost(LongConnectionError::Silent(self.pong_within));
                }
                Some(ack) = acked.recv() => {
                    if let Err(error) = sink.send(Message::binary(ack.encode())).await {
                        return End::Lost(LongConnectionError::WebSocket(error.to_string()));
                    }
                }
                message = stream.next() => {
                    unanswered = None;
                    match message {
                        Some(Ok(Message::Binary(bytes))) => {
                            self.received(&bytes, &mut parts, &acks);
                        }
                        Some(Ok(Message::Close(_))) | None => {
                            return End::Lost(LongConnectionError::Closed);
                        }
                        // WebSocket pings are answered by tungstenite; text
                        // is not part of the protocol. Both show liveness.
                        Some(Ok(_)) => {}
                        Some(Err(error)) => {
                            return End::Lost(LongConnectionError::WebSocket(error.to_string()));
                        }
                    }
                }
            }
        }
    }

    /// One binary message: a bad one is logged and skipped.
    fn received(&self, bytes: &[u8], parts: &mut Parts, acks: &mpsc::Sender<Frame>) {
        let handled = Frame::decode(bytes)
            .map_err(LongConnectionError::from)
            .and_then(|frame| match frame.method {
                METHOD_CONTROL => {
                    self.control(&frame);
                    Ok(())
                }
                METHOD_DATA => self.data(frame, parts, acks),
                _ => Ok(()),
            });
        if let Err(error) = handled {
            tracing::warn!(%error, "long connection: skipping a frame");
        }
    }

    /// A pong may bring new timing.
    fn control(&self, frame: &Frame) {
        if frame.header(HEADER_TYPE) != Some("pong") || frame.payload.is_empty() {
            return;
        }
        match serde_json::from_slice::<WireConfig>(&frame.payload) {
            Ok(wire) => self
                .config
                .send_modify(|config| *config = config.updated(&wire)),
            Err(error) => tracing::warn!(%error, "long connection: unreadable client config"),
        }
    }

    fn data(
        &self,
        frame: Frame,
        parts: &mut Parts,
        acks: &mpsc::Sender<Frame>,
    ) -> Result<(), LongConnectionError> {
        if frame.header(HEADER_TYPE) != Some("event") {
            // Card callbacks come as `event` frames (`card.action.trigger`,
            // answered by `on_card_action`); the older `card` frames are
            // dropped unanswered, as the official SDKs drop them.
            tracing::warn!(kind = ?frame.header(HEADER_TYPE), "long connection: a frame that is not an event, dropped");
            return Ok(());
        }
        let number = |key: &str, default: usize| match frame.header(key) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .map_err(|_| LongConnectionError::Message(format!("header {key} is {text:?}"))),
        };
        let (sum, seq) = (number(HEADER_SUM, 1)?, number(HEADER_SEQ, 0)?);
        let message_id = frame
            .header(HEADER_MESSAGE_ID)
            .unwrap_or_default()
            .to_owned();
        let payload = parts.add(&message_id, sum, seq, frame.payload.clone(), Instant::now())?;
        let Some(payload) = payload else {
            return Ok(());
        };
        let dispatcher = self.dispatcher.clone();
        let acks = acks.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let (code, reply) = handle(&dispatcher, &payload).await;
            let _ = acks
                .send(acknowledgement(frame, code, reply, started))
                .await;
        });
        Ok(())
    }
}

/// The status code the acknowledgement carries for one event's payload,
/// and a card callback's reply.
async fn handle(dispatcher: &Dispatcher, payload: &[u8]) -> (u16, Option<String>) {
    let event = serde_json::from_slice::<Map<String, Value>>(payload)
        .ok()
        .and_then(Event::from_object);
    let Some(event) = event else {
        tracing::warn!("long connection: a payload that is not an event envelope");
        return (500, None);
    };
    match dispatcher.dispatch(event).await {
        Outcome::Handled | Outcome::AlreadyReceived => (200, None),
        Outcome::Replied(reply) => (200, Some(reply)),
        Outcome::StoreFailed(error) => {
            tracing::warn!(%error, "long connection: event not handled");
            (500, None)
        }
        Outcome::HandlerFailed => (500, None),
    }
}

/// The frame sent back for a data frame: the same frame, the handling time
/// added as `biz_rt`, the answer `{"code": .., "headers": null, "data":
/// ..}` as its payload (the official SDKs' `Response`), `data` being a
/// card callback's reply JSON in base64 (how that `Response` writes its
/// bytes), or null.
fn acknowledgement(mut frame: Frame, code: u16, reply: Option<String>, started: Instant) -> Frame {
    let millis = started.elapsed().as_millis();
    frame.push_header(HEADER_BIZ_RT, millis.to_string());
    let data = reply.map(|reply| STANDARD.encode(reply));
    frame.payload = json!({ "code": code, "headers": null, "data": data })
        .to_string()
        .into_bytes();
    frame
}

fn ping(service_id: i32) -> Frame {
    let mut frame = Frame {
        service: service_id,
        method: METHOD_CONTROL,
        ..Frame::default()
    };
    frame.push_header(HEADER_TYPE, "ping");
    frame
}

/// Returns once the owner asks to stop, or is gone.
pub(super) async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns must not live across an await.
    let _ = stop.wait_for(|stop| *stop).await.map(|_| ());
}

/// Sleeps until `deadline`, or forever without one.
async fn until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
