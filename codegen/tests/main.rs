//! The crate's integration tests, one binary: each module below was a
//! test binary of its own, and linking each against the whole dependency
//! tree cost more than running them.

mod common;
#[path = "common/deep_nesting.rs"]
mod deep_nesting;
mod scratch;

mod compatible_changes;
mod fake_routes;
mod fuzz;
mod group_chat_shapes;
mod mistakes;
mod nesting;
mod paging;
mod shared_types;
mod snapshots;
