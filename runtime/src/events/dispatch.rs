//! What every way of receiving events shares once an event is read: skip
//! a redelivered id, run the handler with an acknowledgement deadline,
//! forget the id when the handler fails so the redelivery runs it again.
//! The webhook ([`EventReceiver`](super::EventReceiver)) and the long
//! connection both call [`Dispatcher::dispatch`] and only differ in how
//! they answer Feishu.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::card_action::{CARD_ACTION_TRIGGER, CardAction, CardReply};
use super::dedup::{DEFAULT_REMEMBER, Dedup, DedupError, MemoryDedup};
use super::envelope::Event;
use super::typed::TypedEvent;
use crate::cache::BoxFuture;

/// Feishu waits 3 seconds for the answer; answering a little sooner leaves
/// room for the network.
pub const DEFAULT_ACK_WITHIN: Duration = Duration::from_millis(2500);

/// What a handler may fail with; the event is then delivered again.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

pub(crate) type Handler =
    Arc<dyn Fn(Event) -> BoxFuture<'static, Result<(), HandlerError>> + Send + Sync>;

/// Boxes a user's async handler into the one type every receiver holds.
pub(crate) fn handler<F, Fut>(handler: F) -> Handler
where
    F: Fn(Event) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
{
    Arc::new(move |event| Box::pin(handler(event)))
}

pub(crate) type CardHandler =
    Arc<dyn Fn(CardAction) -> BoxFuture<'static, Result<CardReply, HandlerError>> + Send + Sync>;

/// Boxes a user's card-callback handler.
pub(crate) fn card_handler<F, Fut>(handler: F) -> CardHandler
where
    F: Fn(CardAction) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<CardReply, HandlerError>> + Send + 'static,
{
    Arc::new(move |action| Box::pin(handler(action)))
}

/// How one event went.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The handler succeeded, or was still running at the deadline (it
    /// goes on in the background): acknowledge.
    Handled,
    /// The id was seen before: acknowledge without running the handler.
    AlreadyReceived,
    /// The dedup store could not answer; the handler did not run, since
    /// running it could run it twice.
    StoreFailed(DedupError),
    /// The handler failed or panicked; its id is forgotten.
    HandlerFailed,
    /// A card callback's reply, as the JSON Feishu reads (`{}` from a
    /// handler still running at the deadline).
    Replied(String),
}

/// The dedup store, the deadline and the handler.
#[derive(Clone)]
pub(crate) struct Dispatcher {
    pub(crate) dedup: Arc<dyn Dedup>,
    pub(crate) remember: Duration,
    pub(crate) ack_within: Duration,
    handler: Handler,
    /// Card callbacks, when set; otherwise they reach `handler` as events.
    pub(crate) card: Option<CardHandler>,
}

impl fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatcher")
            .field("dedup", &self.dedup)
            .field("remember", &self.remember)
            .field("ack_within", &self.ack_within)
            .finish_non_exhaustive()
    }
}

impl Dispatcher {
    /// Ids in memory for [`DEFAULT_REMEMBER`], [`DEFAULT_ACK_WITHIN`].
    pub(crate) fn new(handler: Handler) -> Self {
        Self {
            dedup: Arc::new(MemoryDedup::new()),
            remember: DEFAULT_REMEMBER,
            ack_within: DEFAULT_ACK_WITHIN,
            handler,
            card: None,
        }
    }

    /// Runs the handler on `event` unless its id was seen.
    pub(crate) async fn dispatch(&self, event: Event) -> Outcome {
        let id = event.id.clone();
        match self.dedup.first_delivery(&id, self.remember).await {
            Ok(true) => {}
            Ok(false) => return Outcome::AlreadyReceived,
            Err(error) => return Outcome::StoreFailed(error),
        }
        let card = self
            .card
            .as_ref()
            .filter(|_| event.event_type == CARD_ACTION_TRIGGER);
        let outcome = match card {
            Some(card) => self.reply(card, &event).await,
            None => self.run(event).await,
        };
        if matches!(outcome, Outcome::HandlerFailed) {
            // Let the redelivery run it again. If forgetting fails the id
            // expires later; nothing better is possible here.
            let _ = self.dedup.forget(&id).await;
        }
        outcome
    }

    async fn run(&self, event: Event) -> Outcome {
        match self.within((self.handler)(event)).await {
            Ok(_) => Outcome::Handled,
            Err(()) => Outcome::HandlerFailed,
        }
    }

    /// A card callback: the handler's reply, if it comes in time.
    async fn reply(&self, card: &CardHandler, event: &Event) -> Outcome {
        let action = match CardAction::from_event(event) {
            Ok(action) => action,
            Err(error) => {
                tracing::warn!(%error, "a card callback that does not read as its page describes");
                return Outcome::HandlerFailed;
            }
        };
        match self.within(card(action)).await {
            Ok(Some(reply)) => match serde_json::to_string(&reply) {
                Ok(json) => Outcome::Replied(json),
                Err(_) => Outcome::HandlerFailed,
            },
            Ok(None) => {
                tracing::warn!(
                    ack_within = ?self.ack_within,
                    "a card handler ran past the acknowledgement time: answered with no change \
                     while it goes on; reply at once and update the card later with the \
                     callback's token (the delayed update)"
                );
                Outcome::Replied("{}".to_owned())
            }
            Err(()) => Outcome::HandlerFailed,
        }
    }

    /// Runs `work` on a task of its own, waiting at most the acknowledgement
    /// time: its value, `None` when it is still running (it goes on), or
    /// `Err` when it failed or panicked.
    async fn within<T: Send + 'static>(
        &self,
        work: BoxFuture<'static, Result<T, HandlerError>>,
    ) -> Result<Option<T>, ()> {
        match tokio::time::timeout(self.ack_within, tokio::spawn(work)).await {
            Ok(Ok(Ok(value))) => Ok(Some(value)),
            Ok(Ok(Err(_)) | Err(_)) => Err(()),
            Err(_) => Ok(None),
        }
    }
}
