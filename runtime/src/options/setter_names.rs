// Read by the generator too (`include!`), so this file names no crate.

/// The names of the per-call option setters `request_options!` puts on
/// every generated request builder. The generator reads this list, so a
/// query parameter or body field of the same name gets a setter under
/// another name (`body_tenant_key`) instead of a second method.
pub const REQUEST_OPTION_SETTERS: &[&str] = &[
    "as_user",
    "deadline",
    "header",
    "options",
    "request_id",
    "tenant_access_token",
    "tenant_key",
    "timeout",
    "user_access_token",
];
