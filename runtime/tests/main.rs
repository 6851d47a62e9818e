//! The crate's integration tests, one binary: each module below was a
//! test binary of its own, and linking each against the whole dependency
//! tree cost more than running them.

mod common;

mod builder_timeouts;
mod card_actions;
mod chat_family;
mod client;
mod create_chat;
mod create_chat_models;
mod deadline;
mod decode_fuzz;
mod doc_examples;
mod downloads;
mod endpoint_shapes;
mod events_long_connection;
mod events_receiver;
mod events_webhook;
mod fake_chat_state;
mod fake_messages;
mod fake_request_checks;
mod fake_sends_events;
mod faults;
mod load;
mod message_content;
mod object_impls;
mod odd_answers;
mod page_example;
mod paging;
mod quota_windows;
mod rate_limit_reset;
mod redis_cache;
mod required_before_sending;
mod resend_with_key;
mod responses;
mod retry;
mod secrets;
mod secrets_in_errors;
mod store_app_tokens;
mod token_fetch_and_refresh;
mod typed_events;
mod unusable_tokens;
mod uploads;
mod user_auth_flow;
mod user_token_redis;
mod user_token_refresh;
