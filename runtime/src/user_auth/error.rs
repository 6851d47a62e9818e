//! What can go wrong obtaining a user's `user_access_token`. No variant
//! holds a token, a refresh token, an authorization code or the app secret.

use std::fmt;
use std::sync::Arc;

use super::codes::OAuthErrorCode;
use super::store::StoreError;
use crate::error::ErrorCode;

/// Why obtaining or refreshing a user's `user_access_token` failed.
///
/// Calls made with [`RequestOptions::as_user`](crate::RequestOptions::as_user)
/// return it inside [`ErrorKind::UserAuth`](crate::ErrorKind::UserAuth); nothing
/// was sent to the endpoint then. [`requires_authorization`] tells whether
/// only sending the user through the authorization page again helps.
///
/// [`requires_authorization`]: Self::requires_authorization
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserAuthError {
    /// The user must authorize the app (again): send them to an
    /// [`AuthorizationUrl`](super::AuthorizationUrl).
    #[error("user {user_id} must authorize the app again: {reason}")]
    AuthorizationRequired {
        /// The user, as passed to `as_user`.
        user_id: String,
        /// Why their stored authorization no longer works.
        reason: ReauthorizeReason,
    },
    /// The OAuth token endpoint answered with an error.
    #[error("the OAuth token endpoint refused: {0}")]
    OAuth(OAuthError),
    /// The client has no app credentials; the token endpoint needs
    /// `client_id` and `client_secret`.
    #[error("user identity needs the app's credentials (ClientBuilder::app)")]
    MissingAppCredentials,
    /// The token endpoint could not be reached, or its answer not read.
    #[error("cannot reach the OAuth token endpoint: {0}")]
    Transport(#[source] Arc<reqwest::Error>),
    /// No complete answer from the token endpoint within the timeout; the
    /// server may have used the refresh token.
    #[error("the OAuth token endpoint timed out")]
    Timeout,
    /// The token endpoint's answer is not the documented shape. Its body is
    /// withheld: it may hold tokens.
    #[error("unexpected answer from the OAuth token endpoint (http status {status}): {problem}")]
    UnexpectedAnswer {
        /// HTTP status of the answer.
        status: u16,
        /// What was wrong, naming fields but never their values.
        problem: String,
        /// The `X-Tt-Logid` header, if any.
        log_id: Option<String>,
    },
    /// The [`UserTokenStore`](super::UserTokenStore) failed.
    #[error(transparent)]
    Store(StoreError),
}

impl UserAuthError {
    /// Whether only a new authorization by the user helps.
    pub fn requires_authorization(&self) -> bool {
        matches!(self, Self::AuthorizationRequired { .. })
    }

    /// Whether trying again later may succeed (a timeout, a connection
    /// failure, the token endpoint's 20050 / 20072 or a 5xx).
    /// The `X-Tt-Logid` of the token endpoint's answer, if one arrived.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            Self::OAuth(error) => error.log_id.as_deref(),
            Self::UnexpectedAnswer { log_id, .. } => log_id.as_deref(),
            _ => None,
        }
    }

    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(_) | Self::Timeout => true,
            Self::OAuth(error) => error.http_status >= 500,
            Self::UnexpectedAnswer { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// Why a user must authorize the app again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReauthorizeReason {
    /// No token is stored for the user: they never authorized the app, or
    /// their token was removed.
    NotAuthorized,
    /// The access token expired and there is no refresh token: the
    /// authorization did not include the `offline_access` scope.
    NoRefreshToken,
    /// The token endpoint refused the refresh token with a code after which
    /// only a new authorization helps: 20026 (invalid), 20037 (expired; at
    /// the latest 365 days after the user authorized), 20064 (revoked) or
    /// 20073 (used already).
    RefreshRefused(OAuthErrorCode),
}

impl fmt::Display for ReauthorizeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAuthorized => f.write_str("no user_access_token is stored for them"),
            Self::NoRefreshToken => f.write_str(
                "their user_access_token expired and no refresh_token was granted (scope offline_access)",
            ),
            Self::RefreshRefused(code) => {
                write!(f, "refresh refused with {}: {}", code.code(), code.message())
            }
        }
    }
}

/// An error answer of the OAuth token endpoint: `code != 0`, with the
/// RFC 6749 `error` and `error_description`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    /// The answer's `code`.
    pub code: i64,
    /// The answer's `error`, e.g. `invalid_grant` or `server_error`.
    pub error: String,
    /// The answer's `error_description`.
    pub error_description: String,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// The `X-Tt-Logid` header, if any.
    pub log_id: Option<String>,
    /// The documented code, with its advice, when the pages list it.
    pub documented: Option<OAuthErrorCode>,
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.error)?;
        if !self.error_description.is_empty() {
            write!(f, ": {}", self.error_description)?;
        }
        Ok(())
    }
}

impl OAuthError {
    /// What the page advises for this code, when it lists it.
    pub fn advice(&self) -> Option<&'static str> {
        self.documented.map(ErrorCode::advice)
    }
}
