//! A user's tokens, and the request that exchanges an authorization code
//! for them. Their `Debug` shows no secret.

use std::fmt;
use std::time::SystemTime;

/// A user's `user_access_token` with its `refresh_token`, as the OAuth token
/// endpoint (`POST /open-apis/authen/v2/oauth/token`) issued them.
///
/// Both tokens are secrets, typically 1–2 KB long (the page advises room
/// for 4 KB); `Debug` shows neither. The answer names no user: the client
/// keys stored tokens by the user id the caller gives.
#[derive(Clone, PartialEq, Eq)]
pub struct UserToken {
    /// The `user_access_token`, sent as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// When the access token expires, from the answer's `expires_in` (the
    /// page's example says 7200 s, and warns it is not fixed).
    pub expires_at: SystemTime,
    /// The `refresh_token`, present only when the user granted the
    /// `offline_access` scope. It can be used once: a refresh returns a new
    /// one and the old one stops working at once.
    pub refresh_token: Option<String>,
    /// When the refresh token expires, from `refresh_token_expires_in` (the
    /// page's example says 604800 s); never later than 365 days after the
    /// user authorized the app.
    pub refresh_expires_at: Option<SystemTime>,
    /// The scopes the access token carries, space-separated as answered.
    pub scope: String,
}

impl UserToken {
    /// The scopes the access token carries.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.split_whitespace()
    }

    /// Whether the access token carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes().any(|granted| granted == scope)
    }
}

impl fmt::Debug for UserToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserToken")
            .field("access_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("refresh_expires_at", &self.refresh_expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

/// Exchanges an authorization code for a [`UserToken`]: the body of 获取
/// user_access_token, `grant_type=authorization_code`.
///
/// The code arrives as the `code` query parameter of the user's redirect
/// to `redirect_uri`; it lasts 5 minutes and works once. The code and the
/// PKCE verifier are secrets: `Debug` shows neither.
#[derive(Clone)]
pub struct CodeExchange {
    pub(crate) code: String,
    pub(crate) redirect_uri: Option<String>,
    pub(crate) code_verifier: Option<String>,
    pub(crate) scopes: Vec<String>,
}

impl CodeExchange {
    /// Exchanges `code`, the authorization code from the redirect.
    pub fn new(code: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            redirect_uri: None,
            code_verifier: None,
            scopes: Vec::new(),
        }
    }

    /// The `redirect_uri` the authorization URL carried. Required for web
    /// apps, and it must match that one exactly (else code 20071); mini
    /// programs send none.
    pub fn redirect_uri(mut self, redirect_uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    /// The PKCE `code_verifier` whose challenge the authorization URL
    /// carried: 43 to 128 characters of `[A-Za-z0-9-._~]`.
    pub fn code_verifier(mut self, code_verifier: impl Into<String>) -> Self {
        self.code_verifier = Some(code_verifier.into());
        self
    }

    /// Narrows the token to `scope` (one scope, or several separated by
    /// spaces); each call adds to the list. The scopes must be among those
    /// the user granted (else 20068), without repeats (else 20067); a
    /// refresh token comes back only if `offline_access` is among them.
    /// Without any, the token carries every scope the user granted.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }
}

impl fmt::Debug for CodeExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeExchange")
            .field("code", &"<redacted>")
            .field("redirect_uri", &self.redirect_uri)
            .field(
                "code_verifier",
                &self.code_verifier.as_ref().map(|_| "<redacted>"),
            )
            .field("scopes", &self.scopes)
            .finish()
    }
}
