//! Why a long connection stopped, or one attempt at it failed.

use super::frame::FrameError;

/// What ends [`LongConnection::run`](super::LongConnection::run), and what
/// each failed attempt is logged with. Never carries the app secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LongConnectionError {
    /// Discovery failed in a way a later attempt may not: the network, an
    /// HTTP error, a busy platform, an answer without a URL.
    #[error("long connection discovery: {0}")]
    Discovery(String),
    /// Discovery refused the app (bad id or secret, a banned app, too many
    /// connections): retrying will not help, so the client stops.
    #[error("long connection refused: code {code}: {msg}")]
    Refused {
        /// Feishu's code.
        code: i64,
        /// Feishu's message.
        msg: String,
    },
    /// The WebSocket could not be opened or broke.
    #[error("long connection WebSocket: {0}")]
    WebSocket(String),
    /// The server closed the connection.
    #[error("long connection closed by the server")]
    Closed,
    /// Nothing arrived (no pong, no event) within the bound after a ping:
    /// the connection is taken as dead.
    #[error("long connection silent for {0:?} after a ping")]
    Silent(std::time::Duration),
    /// A frame that could not be read; it is skipped, the connection stays.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// A data frame whose parts or payload make no sense; it is skipped.
    #[error("long connection message: {0}")]
    Message(String),
    /// Every reconnect attempt the config allows failed.
    #[error("long connection: gave up after {attempts} reconnect attempts")]
    GaveUp {
        /// How many were made.
        attempts: u64,
    },
}
