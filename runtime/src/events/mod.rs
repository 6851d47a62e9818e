//! Receiving events over a webhook: the request checks of Feishu's event
//! guide ([`Webhook`]: signature, decryption, verification token, URL
//! verification), the two envelopes ([`Event`]), the cryptography they
//! rest on ([`EncryptKey`]), and the stores that make a redelivered event
//! run its handler once ([`Dedup`]).

mod crypto;
mod dedup;
mod envelope;
mod webhook;

pub use crypto::{DecryptError, EncryptKey};
#[cfg(feature = "redis")]
pub use dedup::RedisDedup;
pub use dedup::{DEFAULT_REMEMBER, Dedup, DedupError, MemoryDedup};
pub use envelope::{Event, Schema};
pub use webhook::{DEFAULT_MAX_AGE, Received, Rejection, Webhook, timestamp};
