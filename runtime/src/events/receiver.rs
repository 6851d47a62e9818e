//! The webhook endpoint itself: a request in, an HTTP answer out, the
//! user's handler run once per event. [`EventReceiver::handle`] serves any
//! HTTP server; the receiver is also a `tower::Service`, so axum mounts it
//! with `Router::route_service`.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use reqwest::header::HeaderMap;
use serde_json::json;

use super::card_action::{CardAction, CardReply};
use super::dedup::Dedup;
use super::dispatch::{self, Dispatcher, HandlerError, Outcome};
use super::envelope::Event;
use super::webhook::{Received, Webhook};
use crate::cache::BoxFuture;

/// Larger bodies are refused with 413: events are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The answer to one webhook request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
}

/// Checks webhook requests with a [`Webhook`] and hands each event, once,
/// to an async handler.
///
/// - A URL verification gets its challenge back.
/// - A refused request gets the [`Rejection`](super::Rejection)'s status;
///   the handler never sees it.
/// - A redelivered event (its id already seen) gets 200 at once.
/// - Otherwise the handler runs: 200 when it succeeds, 500 when it fails
///   (the id is forgotten, so Feishu's redelivery runs it again), and 200
///   when it is still running after the acknowledgement time (it goes on
///   in the background), since Feishu would otherwise count a slow handler
///   as a failure and deliver again.
#[derive(Clone)]
pub struct EventReceiver {
    webhook: Webhook,
    dispatcher: Dispatcher,
}

impl fmt::Debug for EventReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("webhook", &self.webhook)
            .field("dedup", &self.dispatcher.dedup)
            .field("remember", &self.dispatcher.remember)
            .field("ack_within", &self.dispatcher.ack_within)
            .finish_non_exhaustive()
    }
}

impl EventReceiver {
    /// A receiver running `handler` on every event `webhook` accepts,
    /// remembering ids in memory.
    pub fn new<F, Fut>(webhook: Webhook, handler: F) -> Self
    where
        F: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        Self {
            webhook,
            dispatcher: Dispatcher::new(dispatch::handler(handler)),
        }
    }

    /// Where delivered ids are remembered (e.g. `RedisDedup` for several
    /// instances), and for how long.
    pub fn dedup(mut self, store: Arc<dyn Dedup>, remember: Duration) -> Self {
        self.dispatcher.dedup = store;
        self.dispatcher.remember = remember;
        self
    }

    /// Answers card callbacks (`card.action.trigger`) with `handler`'s
    /// reply instead of passing them to the event handler; see
    /// [`card_action`](super::card_action) for a handler that runs late.
    pub fn on_card_action<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(CardAction) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<CardReply, HandlerError>> + Send + 'static,
    {
        self.dispatcher.card = Some(dispatch::card_handler(handler));
        self
    }

    /// How long the handler may take before the request is acknowledged
    /// anyway ([`DEFAULT_ACK_WITHIN`](super::DEFAULT_ACK_WITHIN) by default).
    pub fn ack_within(mut self, within: Duration) -> Self {
        self.dispatcher.ack_within = within;
        self
    }

    /// Answers one request: its headers and raw body.
    pub async fn handle(&self, headers: &HeaderMap, body: &[u8]) -> Answer {
        let event = match self.webhook.receive(headers, body) {
            Ok(Received::Challenge(challenge)) => {
                return answer(200, &json!({ "challenge": challenge }));
            }
            Ok(Received::Event(event)) => event,
            Err(rejection) => {
                return answer(rejection.status(), &json!({ "msg": rejection.to_string() }));
            }
        };
        match self.dispatcher.dispatch(event).await {
            Outcome::Handled => answer(200, &json!({ "msg": "ok" })),
            Outcome::AlreadyReceived => answer(200, &json!({ "msg": "already received" })),
            // Feishu delivers again later, when the store may answer.
            Outcome::StoreFailed(error) => answer(500, &json!({ "msg": error.to_string() })),
            // The handler's error is the user's; it is not echoed to Feishu.
            Outcome::HandlerFailed => answer(500, &json!({ "msg": "the handler failed" })),
            Outcome::Replied(reply) => Answer {
                status: 200,
                body: reply,
            },
        }
    }
}

fn answer(status: u16, body: &serde_json::Value) -> Answer {
    Answer {
        status,
        body: body.to_string(),
    }
}

impl<B> tower_service::Service<http::Request<B>> for EventReceiver
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    type Response = http::Response<String>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let receiver = self.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let answer = if parts.method != http::Method::POST {
                answer(405, &json!({ "msg": "events are POSTed" }))
            } else {
                match Limited::new(body, MAX_BODY_BYTES).collect().await {
                    Ok(body) => receiver.handle(&parts.headers, &body.to_bytes()).await,
                    Err(_) => answer(413, &json!({ "msg": "the body is too large or broken" })),
                }
            };
            let response = http::Response::builder()
                .status(answer.status)
                .header(
                    http::header::CONTENT_TYPE,
                    "application/json; charset=utf-8",
                )
                .body(answer.body)
                .expect("a status from 100 to 999 and a valid header");
            Ok(response)
        })
    }
}
