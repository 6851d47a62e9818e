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

use super::dedup::{DEFAULT_REMEMBER, Dedup, DedupError, MemoryDedup};
use super::envelope::Event;
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
}

/// The dedup store, the deadline and the handler.
#[derive(Clone)]
pub(crate) struct Dispatcher {
    pub(crate) dedup: Arc<dyn Dedup>,
    pub(crate) remember: Duration,
    pub(crate) ack_within: Duration,
    handler: Handler,
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
        let running = tokio::spawn((self.handler)(event));
        match tokio::time::timeout(self.ack_within, running).await {
            Ok(Ok(Ok(()))) | Err(_) => Outcome::Handled,
            Ok(Ok(Err(_))) | Ok(Err(_)) => {
                // Let the redelivery run it again. If forgetting fails the
                // id expires later; nothing better is possible here.
                let _ = self.dedup.forget(&id).await;
                Outcome::HandlerFailed
            }
        }
    }
}
