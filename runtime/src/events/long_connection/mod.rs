//! Feishu's long connection (长连接, WebSocket event mode): events for bots
//! without a public URL. [`LongConnection`] asks the open platform where
//! to connect (`POST /callback/ws/endpoint` with the app id and secret),
//! opens the WebSocket, pings on Feishu's interval, reassembles events
//! split into parts, runs the handler through the same dedup and deadline
//! as the webhook, acknowledges each event with `{"code": 200}` (500 when
//! the handler failed, so Feishu delivers again), and reconnects when the
//! connection is lost or goes silent.
//!
//! Events arrive as plain JSON envelopes: no signature, no encryption, no
//! verification token; the connection itself is authenticated.

mod client;
mod config;
mod connection;
mod error;
mod frame;
mod parts;

pub use client::{
    Connected, ConnectionState, DEFAULT_PONG_WITHIN, LongConnection, LongConnectionHandle,
};
pub use config::{ClientConfig, ENDPOINT_PATH};
pub use error::LongConnectionError;
pub use frame::{
    Frame, FrameError, HEADER_BIZ_RT, HEADER_MESSAGE_ID, HEADER_SEQ, HEADER_SUM, HEADER_TRACE_ID,
    HEADER_TYPE, Header, METHOD_CONTROL, METHOD_DATA,
};
