//! A fake Feishu on loopback, for tests of bots and of this workspace;
//! users reach it as `feishu_openapi::testing` (feature `testing`). A real
//! HTTP server that issues tenant access tokens (a
//! store app's too: tickets, app tokens and one token per tenant, see
//! [`FakeFeishuBuilder::store_app`]),
//! exchanges and refreshes users' OAuth tokens (see
//! [`FakeFeishu::authorize`]), records every request, and can be told to
//! misbehave.
//!
//! It serves every endpoint compiled into `feishu-openapi`, from the
//! generated route table: a request is checked as the client checks it
//! before sending (a broken one gets Feishu's 99992402 with the fields, or
//! the code a broken rule documents), then answered with the page's
//! response example, path parameters put back in. Add the routes of a
//! crate generated from your own schemas with [`FakeFeishuBuilder::routes`].
//!
//! It keeps state for the whole group-chat family (`/open-apis/im/v1/chats/...`:
//! chats, members, managers, announcement, top notice, moderation, tabs,
//! menus) the way the doc pages describe, on one state: a chat created is
//! found by get, list and search, members added are paged by members get,
//! and a disbanded chat answers its pages' error codes. A tenant token
//! acts as the app's bot, a user token as its user; ids that are not
//! plain ASCII words match no route (404). Read the state back with
//! [`FakeFeishu::chats`], [`FakeFeishu::members`], [`FakeFeishu::tabs`] and
//! the like.
//!
//! Given a webhook ([`FakeFeishuBuilder::webhook`]), it also POSTs events
//! there as Feishu does, signed, encrypted and redelivered on failure: the
//! chat events its endpoints cause, and any event
//! [`FakeFeishu::deliver`] is given; [`FakeFeishu::deliveries`] records
//! every attempt.
//!
//! It keeps uploaded files (im's images and files, drive's uploads, whole
//! or in blocks) and serves them back from the download endpoints, `Range`
//! parts included. It keeps messages too (send, reply, get, list, edit,
//! recall, forward, read users, reactions), and plays
//! the user for a bot's tests: [`FakeFeishu::user_sends`] stores a user's
//! message and answers the `im.message.receive_v1` delivery to push,
//! [`FakeFeishu::user_reads`] and [`FakeFeishu::user_reacts`] read and
//! react, and [`FakeFeishu::click`] (or [`FakeFeishu::click_over_webhook`]) clicks a
//! card's button and applies the bot's reply to the card's message.
//!
//! It also serves Feishu's long connection (WebSocket event mode): tests
//! push events with [`FakeFeishu::send_over_long_connection`] and get the
//! client's acknowledgement back, and can drop or silence the connection.
//!
//! ```
//! use feishu_openapi::Client;
//! use feishu_openapi::testing::{FakeFeishu, Fault};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let fake = FakeFeishu::start().await?;
//! let client = Client::builder()
//!     .app(fake.app_id(), fake.app_secret())
//!     .base_url(fake.url())
//!     .build()?;
//!
//! // The first attempt is rate limited; the client waits and sends it again.
//! fake.inject(Fault::RateLimited { reset_seconds: Some(0) });
//! let chat = client.im().v1().chat().create().name("release-42").send().await?;
//!
//! assert_eq!(fake.chats().len(), 1);
//! assert_eq!(fake.token_requests().len(), 1);
//! let calls = fake.requests_to("/open-apis/im/v1/chats");
//! assert_eq!(calls.len(), 2);
//! assert_eq!(calls[0].query_param("uuid"), calls[1].query_param("uuid"));
//! assert!(chat.chat_id.as_deref().is_some_and(|id| id.starts_with("oc_")));
//! # Ok(())
//! # }
//! ```

mod answer;
mod chats;
mod create_chat;
mod events;
mod files;
mod long_connection;
mod members;
mod menus;
mod messages;
mod notices;
mod routes;
mod server;
mod state;
mod store_app;
mod tabs;
mod uploads;
mod user_auth;

pub use events::{
    ANSWER_WITHIN, Attempt, BOT_OPEN_ID, CHALLENGE_WITHIN, CONNECT_WITHIN,
    DEFAULT_REDELIVERY_DELAYS, DEFAULT_VERIFICATION_TOKEN, DeliverError, Delivery,
};
pub use files::served_file;
pub use long_connection::{LongConnectionAck, LongConnectionSendError};
pub use routes::FIELD_VALIDATION_FAILED;
pub use server::{FakeFeishu, FakeFeishuBuilder, Fault, RecordedRequest};
pub use user_auth::DEFAULT_USER_SCOPE;

pub use feishu_runtime::clock::ManualClock;
