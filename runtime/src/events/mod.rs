//! Receiving events over a webhook: the request checks of Feishu's event
//! guide ([`Webhook`]: signature, decryption, verification token, URL
//! verification), the two envelopes ([`Event`]), and the cryptography they
//! rest on ([`EncryptKey`]).

mod crypto;
mod envelope;
mod webhook;

pub use crypto::{DecryptError, EncryptKey};
pub use envelope::{Event, Schema};
pub use webhook::{DEFAULT_MAX_AGE, Received, Rejection, Webhook, timestamp};
