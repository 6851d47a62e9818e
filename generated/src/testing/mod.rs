//! A fake Feishu on loopback (feature `testing`), for tests of bots and of
//! this crate: a real HTTP server that issues tenant access tokens and
//! creates chats the way Feishu's doc describes, records every request, and
//! can be told to misbehave.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use feishu_openapi::Client;
//! use feishu_openapi::testing::{FakeFeishu, Fault};
//!
//! let fake = FakeFeishu::start().await?;
//! let client = Client::builder()
//!     .app(fake.app_id(), fake.app_secret())
//!     .base_url(fake.url())
//!     .build()?;
//! fake.inject(Fault::RateLimited { reset_seconds: Some(1) });
//! // ... call the client; then inspect `fake.requests()` and `fake.chats()`.
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

mod chat;
mod server;

pub use server::{FakeFeishu, FakeFeishuBuilder, Fault, RecordedRequest};

pub use crate::clock::ManualClock;
