//! The hand-written runtime of `feishu-openapi`: the client every generated
//! endpoint method runs through (auth, errors, validation, retries, rate
//! limits), the token caches, and each endpoint's route for a fake Feishu.
//!
//! Users depend on `feishu-openapi`, which re-exports this crate's API next
//! to the generated endpoint modules; this crate is what a human edits.
//! Items marked `#[doc(hidden)]` are public only because generated code (or
//! a test) in another crate calls them; they are not part of the API.

// docs.rs (nightly) labels each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
pub mod cache;
mod client;
pub mod clock;
mod download;
// Public, but hidden: the generated crate's `doc_examples` test calls it.
#[doc(hidden)]
pub mod doc_examples;
pub mod endpoint;
mod error;
pub mod events;
pub mod message_content;
// Public, but hidden: generated structs expand its macro.
#[doc(hidden)]
pub mod object;
mod options;
pub mod paging;
// Public, but hidden: generated enums in `feishu-openapi` expand its macro.
#[doc(hidden)]
pub mod open_enum;
pub mod query;
mod rate_limit;
#[cfg(feature = "redis")]
mod redis_cache;
mod response;
mod retry;
// Public, but hidden: generated endpoints name their routes with it, and
// the fake Feishu (another crate) serves them.
#[cfg(feature = "routes")]
#[doc(hidden)]
pub mod route;
mod store_app;
pub mod upload;
pub mod user_auth;
pub mod validate;

/// The paths of the token endpoints the client calls, which the fake
/// Feishu (another crate) serves.
#[doc(hidden)]
pub mod auth_paths {
    pub use crate::auth::TENANT_TOKEN_PATH as SELF_BUILT_TENANT_TOKEN_PATH;
    pub use crate::store_app::{APP_TOKEN_PATH, TENANT_TOKEN_PATH, TICKET_RESEND_PATH};
    pub use crate::user_auth::token_endpoint::OAUTH_TOKEN_PATH;
}

pub use client::{
    BuildError, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, FEISHU_BASE_URL, LARK_BASE_URL,
};
pub use download::Download;
pub use error::{ApiError, Error, ErrorCode, ErrorInfo, ErrorKind, NoDocumentedCodes};
pub use options::{REQUEST_OPTION_SETTERS, RequestOptions};
#[cfg(feature = "redis")]
pub use redis_cache::{RedisAppTicketStore, RedisTokenCache};
pub use reqwest::header;
pub use response::Response;
// The decoder every call runs, for the fuzz test and the codec bench.
#[doc(hidden)]
pub use response::decode_answer;
pub use retry::RetryPolicy;
/// The JSON crate the runtime decodes with. Generated types name
/// `serde_json::Value` through it (a field the schema types `json`, e.g. a
/// bitable record's cell), so the API crate needs no dependency of its own
/// and always agrees with the runtime on the version.
pub use serde_json;

/// The README's examples, compiled as doctests so they stay true. They call
/// `feishu_openapi`, a dev-dependency here.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
