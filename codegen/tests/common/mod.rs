//! The real create-chat schema, made to stand alone for tests that check
//! one file: the version's shared types become its own `types`.

use serde_json::Value;

/// The create-chat endpoint file as checked in.
pub const CREATE: &str = include_str!("../../../schema/im/v1/chat/create.json");
/// The `im/v1` shared types file as checked in.
pub const SHARED_TYPES: &str = include_str!("../../../schema/im/v1/types.json");

/// Create chat with the shared types it names declared in the file itself.
pub fn self_contained_create() -> Value {
    let mut create: Value = serde_json::from_str(CREATE).unwrap();
    let shared: Value = serde_json::from_str(SHARED_TYPES).unwrap();
    create["types"] = shared["types"].clone();
    create
}
