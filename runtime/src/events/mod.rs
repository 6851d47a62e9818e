//! Receiving events over a webhook: [`EventReceiver`], which answers the
//! requests and runs a handler once per event, on the request checks of Feishu's event
//! guide ([`Webhook`]: signature, decryption, verification token, URL
//! verification), the two envelopes ([`Event`]), the cryptography they
//! rest on ([`EncryptKey`]), and the stores that make a redelivered event
//! run its handler once ([`Dedup`]). The generated crate's event structs
//! read a delivery's `event` object through [`TypedEvent`].

mod crypto;
mod dedup;
mod envelope;
mod receiver;
mod typed;
mod webhook;

pub use crypto::{DecryptError, EncryptKey};
#[cfg(feature = "redis")]
pub use dedup::RedisDedup;
pub use dedup::{DEFAULT_REMEMBER, Dedup, DedupError, MemoryDedup};
pub use envelope::{Event, Schema};
pub use receiver::{Answer, DEFAULT_ACK_WITHIN, EventReceiver, HandlerError, MAX_BODY_BYTES};
pub use typed::{EventDecodeError, TypedEvent};
pub use webhook::{DEFAULT_MAX_AGE, Received, Rejection, Webhook, timestamp};
