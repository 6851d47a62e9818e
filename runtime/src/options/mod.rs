//! Per-call options: an explicit token or a user to call as, extra
//! headers, a request id, time limits, the idempotency key; and the setters
//! every generated request builder has for them.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

mod setter_names;

pub use setter_names::REQUEST_OPTION_SETTERS;

/// Options for one call.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) tenant_access_token: Option<String>,
    pub(crate) user_access_token: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) user: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) tenant_key: Option<String>,
}

impl fmt::Debug for RequestOptions {
    // Tokens and header values may be credentials: only their presence and
    // the header names are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |token: &Option<String>| token.as_ref().map(|_| "<redacted>");
        f.debug_struct("RequestOptions")
            .field("tenant_access_token", &redacted(&self.tenant_access_token))
            .field("user_access_token", &redacted(&self.user_access_token))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("request_id", &self.request_id)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("user", &self.user)
            .field("idempotency_key", &self.idempotency_key)
            .field("tenant_key", &self.tenant_key)
            .finish()
    }
}

impl RequestOptions {
    /// No options: the client's own tenant token, no extra headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends this `tenant_access_token` (e.g. a store app's token for one
    /// tenant) instead of the client's own.
    pub fn tenant_access_token(mut self, token: impl Into<String>) -> Self {
        self.tenant_access_token = Some(token.into());
        self
    }

    /// Calls as a user, with this `user_access_token`; it takes precedence
    /// over any tenant token.
    pub fn user_access_token(mut self, token: impl Into<String>) -> Self {
        self.user_access_token = Some(token.into());
        self
    }

    /// Adds a header to the call. `Authorization` and `Content-Type` are set
    /// by the client and cannot be overridden here.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sends `X-Request-Id: <id>`, to find the call in logs on both sides.
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Overrides the client's timeout for each attempt of this call. No
    /// attempt runs past the call's [`deadline`](Self::deadline).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bounds the whole call, every attempt, token fetch and wait (between
    /// retries, for the endpoint's quota) included: past it the call returns
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout), and the server may
    /// have acted on the attempt cut short. The per-attempt timeout still
    /// applies inside it. Overrides the client's
    /// [`ClientBuilder::deadline`](crate::ClientBuilder::deadline).
    pub fn deadline(mut self, budget: Duration) -> Self {
        self.deadline = Some(budget);
        self
    }

    /// Calls as the user `user_id`, with the `user_access_token` the
    /// client's user token store holds for them (refreshed when due).
    pub fn as_user(mut self, user_id: impl Into<String>) -> Self {
        self.user = Some(user_id.into());
        self
    }

    /// Calls in the tenant `tenant_key`, with the tenant_access_token a
    /// store app's client fetches for it (see `ClientBuilder::store_app`).
    /// A self-built app's token belongs to its own tenant: its client
    /// ignores this.
    pub fn tenant_key(mut self, tenant_key: impl Into<String>) -> Self {
        self.tenant_key = Some(tenant_key.into());
        self
    }

    /// Whether these options give a tenant token and no user's, which
    /// would go out as the call's token.
    pub(crate) fn gives_tenant_token(&self) -> bool {
        self.tenant_access_token.is_some()
            && self.user_access_token.is_none()
            && self.user.is_none()
    }

    /// The idempotency key to send on endpoints that have one (create
    /// chat's `uuid`): resending with the key of a failed call cannot act
    /// twice.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// The per-call option setters of a generated request builder (a struct
/// with an `options: RequestOptions` field), inside its `impl` block:
/// `request_options!()`, or `request_options!(user)` without
/// `tenant_access_token` for an endpoint that takes only user tokens.
#[doc(hidden)]
#[macro_export]
macro_rules! request_options {
    () => {
        $crate::request_options!(@common);
        $crate::request_options!(@tenant);
        $crate::request_options!(@user);
    };
    (user) => {
        $crate::request_options!(@common);
        $crate::request_options!(@user);
    };
    (@tenant) => {
        /// Sends this `tenant_access_token` (a store app's token for one
        /// tenant, say) instead of the client's own.
        pub fn tenant_access_token(mut self, token: impl Into<String>) -> Self {
            self.options = self.options.tenant_access_token(token);
            self
        }
    };
    (@user) => {
        /// Calls as a user, with this `user_access_token`.
        pub fn user_access_token(mut self, token: impl Into<String>) -> Self {
            self.options = self.options.user_access_token(token);
            self
        }

        /// Calls as the user `user_id`, with the token the client's user
        /// token store holds for them.
        pub fn as_user(mut self, user_id: impl Into<String>) -> Self {
            self.options = self.options.as_user(user_id);
            self
        }
    };
    (@common) => {
        /// Sends `X-Request-Id: <id>`, to find the call in logs on both sides.
        pub fn request_id(mut self, id: impl Into<String>) -> Self {
            self.options = self.options.request_id(id);
            self
        }

        /// Adds a header. `Authorization` and `Content-Type` are the
        /// client's and cannot be overridden.
        pub fn header(
            mut self,
            name: $crate::header::HeaderName,
            value: $crate::header::HeaderValue,
        ) -> Self {
            self.options = self.options.header(name, value);
            self
        }

        /// Overrides the client's timeout for each attempt.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options = self.options.timeout(timeout);
            self
        }

        /// Bounds the whole call, retries and waits included.
        pub fn deadline(mut self, budget: ::std::time::Duration) -> Self {
            self.options = self.options.deadline(budget);
            self
        }

        /// Calls in this tenant, with the token a store app's client
        /// fetches for it; ignored by a self-built app's client.
        pub fn tenant_key(mut self, tenant_key: impl Into<String>) -> Self {
            self.options = self.options.tenant_key(tenant_key);
            self
        }

        /// Every per-call option at once, replacing those set so far.
        pub fn options(mut self, options: $crate::RequestOptions) -> Self {
            self.options = options;
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::REQUEST_OPTION_SETTERS;

    /// The list names exactly the setters the macro defines: a setter added
    /// to `request_options!` and not to the list would let a field of its
    /// name generate a second method, and a crate that does not compile.
    #[test]
    fn the_setter_list_is_the_macro_s_setters() {
        let source = include_str!("mod.rs");
        let start = source.find("macro_rules! request_options").unwrap();
        let end = source.find("#[cfg(test)]").unwrap();
        let mut defined: Vec<&str> = source[start..end]
            .split("pub fn ")
            .skip(1)
            .map(|rest| rest.split(['(', '<']).next().unwrap())
            .collect();
        defined.sort_unstable();
        assert_eq!(defined, REQUEST_OPTION_SETTERS);
    }
}
