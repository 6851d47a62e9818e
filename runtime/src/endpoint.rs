//! Static descriptions of endpoints, written by the generator and read by the
//! runtime: everything the client needs to know to send one call.

/// HTTP method of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending the same request twice has the same effect as once.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

/// Kind of access token an endpoint accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessTokenKind {
    /// `tenant_access_token`: the app acts as itself inside a tenant.
    Tenant,
    /// `user_access_token`: the app acts on behalf of a signed-in user.
    User,
    /// `app_access_token`.
    App,
}

/// Documented request quota of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed per minute, if the doc gives one.
    pub per_minute: Option<u32>,
    /// Calls allowed per second, if the doc gives one.
    pub per_second: Option<u32>,
}

/// One endpoint, as the generator describes it to the runtime: each
/// generated endpoint module fills one, `pub static ENDPOINT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndpointInfo {
    /// Stable dotted name, e.g. `im.v1.chat.create`.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template below the base URL, e.g. `/open-apis/im/v1/chats`;
    /// path parameters are written `:name`.
    pub path: &'static str,
    /// Token kinds the endpoint accepts, in the doc's order of preference.
    /// Empty: the endpoint takes no token, and the call goes out with no
    /// `Authorization` header (the token endpoints, which take the app's
    /// credentials in the body); a tenant token given for it is refused.
    pub access_tokens: &'static [AccessTokenKind],
    /// Query parameter that makes a repeated call safe (the server
    /// deduplicates on it), e.g. `uuid` for create chat.
    pub idempotency_key: Option<&'static str>,
    /// Documented quota.
    pub rate_limit: Option<RateLimit>,
    /// Endpoint-specific error codes that mean "slow down, then retry".
    pub rate_limited_codes: &'static [i64],
}
