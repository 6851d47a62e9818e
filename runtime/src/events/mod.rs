//! Receiving events, over a webhook or over the long connection.
//!
//! - [`EventReceiver`] is the webhook endpoint: it answers the requests
//!   after the checks of Feishu's event guide ([`Webhook`]: signature,
//!   decryption, verification token, URL verification), with the
//!   cryptography they rest on ([`EncryptKey`]).
//! - [`LongConnection`] receives them over Feishu's WebSocket event mode,
//!   for bots without a public URL ([`long_connection`]).
//!
//! Both read the two envelopes ([`Event`]) and run one handler type once
//! per event, through the stores that make a redelivered event run its
//! handler once ([`Dedup`]). The generated crate's event structs read a
//! delivery's `event` object through [`TypedEvent`].

pub mod card_action;
mod crypto;
mod dedup;
mod dispatch;
mod envelope;
pub mod long_connection;
mod receiver;
mod typed;
mod webhook;

pub use card_action::{CardAction, CardReply};
pub use crypto::{DecryptError, EncryptKey};
#[cfg(feature = "redis")]
pub use dedup::RedisDedup;
pub use dedup::{DEFAULT_REMEMBER, Dedup, DedupError, MemoryDedup};
pub use dispatch::{DEFAULT_ACK_WITHIN, HandlerError};
pub use envelope::{Event, Schema};
pub use long_connection::{LongConnection, LongConnectionError, LongConnectionHandle};
pub use receiver::{Answer, EventReceiver, MAX_BODY_BYTES};
pub use typed::{EventDecodeError, TypedEvent};
pub use webhook::{DEFAULT_MAX_AGE, Received, Rejection, Webhook, timestamp};
