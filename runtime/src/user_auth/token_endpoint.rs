//! The OAuth token endpoint, `POST /open-apis/authen/v2/oauth/token`: one
//! endpoint for both the code exchange (`grant_type=authorization_code`)
//! and the refresh (`grant_type=refresh_token`), answering RFC 6749 style
//! (top-level `access_token`, `expires_in`, ... rather than `data`).

use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::{Map, Value};

use super::codes::OAuthErrorCode;
use super::error::{OAuthError, UserAuthError};
use super::token::{CodeExchange, UserToken};
use crate::auth::AppCredentials;
use crate::error::{ErrorCode, ErrorKind};
use crate::response::Answer;

/// Path of the OAuth token endpoint.
pub const OAUTH_TOKEN_PATH: &str = "/open-apis/authen/v2/oauth/token";

/// Longest lifetime believed from the server: far above the 365 days a
/// refresh token may last, and small enough not to overflow the clock.
const MAX_LIFETIME: Duration = Duration::from_secs(400 * 24 * 60 * 60);

/// The request body, fields in the pages' order; absent ones are left out.
#[derive(Serialize)]
struct TokenRequest<'a> {
    grant_type: &'static str,
    client_id: &'a str,
    client_secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_verifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
}

/// Sends the app's requests to the token endpoint.
pub(crate) struct TokenEndpoint {
    pub url: reqwest::Url,
    pub credentials: AppCredentials,
    pub max_response_bytes: usize,
}

impl TokenEndpoint {
    /// Exchanges an authorization code; `now` is when the lifetimes start.
    pub async fn exchange(
        &self,
        http: &reqwest::Client,
        exchange: &CodeExchange,
        now: SystemTime,
    ) -> Result<UserToken, UserAuthError> {
        let scope = (!exchange.scopes.is_empty()).then(|| exchange.scopes.join(" "));
        self.request(
            http,
            TokenRequest {
                grant_type: "authorization_code",
                client_id: &self.credentials.app_id,
                client_secret: &self.credentials.app_secret,
                code: Some(&exchange.code),
                redirect_uri: exchange.redirect_uri.as_deref(),
                code_verifier: exchange.code_verifier.as_deref(),
                refresh_token: None,
                scope,
            },
            now,
        )
        .await
    }

    /// Trades `refresh_token` (spent by this, whatever the outcome the
    /// server reached) for new tokens.
    pub async fn refresh(
        &self,
        http: &reqwest::Client,
        refresh_token: &str,
        now: SystemTime,
    ) -> Result<UserToken, UserAuthError> {
        self.request(
            http,
            TokenRequest {
                grant_type: "refresh_token",
                client_id: &self.credentials.app_id,
                client_secret: &self.credentials.app_secret,
                code: None,
                redirect_uri: None,
                code_verifier: None,
                refresh_token: Some(refresh_token),
                scope: None,
            },
            now,
        )
        .await
    }

    async fn request(
        &self,
        http: &reqwest::Client,
        body: TokenRequest<'_>,
        now: SystemTime,
    ) -> Result<UserToken, UserAuthError> {
        tracing::debug!(grant_type = body.grant_type, "requesting user_access_token");
        let body = serde_json::to_vec(&body).map_err(|error| UserAuthError::UnexpectedAnswer {
            status: 0,
            problem: format!("cannot encode the request: {error}"),
            log_id: None,
        })?;
        let request = http
            .post(self.url.clone())
            .header(
                reqwest::header::CONTENT_TYPE,
                crate::client::JSON_CONTENT_TYPE,
            )
            .body(body);
        let answer = crate::client::send(request, self.max_response_bytes)
            .await
            .map_err(send_error)?;
        let token = decode(&answer, now)?;
        tracing::info!(
            expires_in = ?token.expires_at.duration_since(now).ok(),
            refresh_token = token.refresh_token.is_some(),
            scope = %token.scope,
            "obtained user_access_token"
        );
        Ok(token)
    }
}

fn send_error(error: ErrorKind) -> UserAuthError {
    match error {
        ErrorKind::Timeout => UserAuthError::Timeout,
        ErrorKind::Transport(error) => UserAuthError::Transport(error.into()),
        ErrorKind::ResponseTooLarge { status, log_id, .. } => UserAuthError::UnexpectedAnswer {
            status,
            problem: "larger than max_response_bytes".to_owned(),
            log_id,
        },
        other => UserAuthError::UnexpectedAnswer {
            status: 0,
            problem: other.to_string(),
            log_id: None,
        },
    }
}

/// The token an answer carries, or the error it amounts to. Nothing of
/// the body reaches an error but the documented error fields: a success
/// holds tokens.
fn decode(answer: &Answer, now: SystemTime) -> Result<UserToken, UserAuthError> {
    let unexpected = |problem: &str| UserAuthError::UnexpectedAnswer {
        status: answer.status,
        problem: problem.to_owned(),
        log_id: answer.log_id(),
    };
    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(&answer.body) else {
        return Err(unexpected("not a JSON object"));
    };
    let Some(code) = object.get("code").and_then(Value::as_i64) else {
        return Err(unexpected("no integer `code`"));
    };
    if code != 0 {
        let mut text = |field: &str| match object.remove(field) {
            Some(Value::String(text)) => text,
            _ => String::new(),
        };
        return Err(UserAuthError::OAuth(OAuthError {
            code,
            error: text("error"),
            error_description: text("error_description"),
            http_status: answer.status,
            log_id: answer.log_id(),
            documented: OAuthErrorCode::from_code(code),
        }));
    }
    if !(200..300).contains(&answer.status) {
        return Err(unexpected("`code` 0 with an error status"));
    }
    let access_token = string(&mut object, "access_token")
        .filter(|token| !token.is_empty())
        .ok_or_else(|| unexpected("no string `access_token`"))?;
    let expires_in =
        seconds(&object, "expires_in").ok_or_else(|| unexpected("no integer `expires_in`"))?;
    let refresh_token = string(&mut object, "refresh_token").filter(|token| !token.is_empty());
    let refresh_expires_at = match (&refresh_token, seconds(&object, "refresh_token_expires_in")) {
        (Some(_), Some(lifetime)) => Some(later(now, lifetime)),
        (Some(_), None) => return Err(unexpected("no integer `refresh_token_expires_in`")),
        (None, _) => None,
    };
    Ok(UserToken {
        access_token,
        expires_at: later(now, expires_in),
        refresh_token,
        refresh_expires_at,
        scope: string(&mut object, "scope").unwrap_or_default(),
    })
}

fn string(object: &mut Map<String, Value>, field: &str) -> Option<String> {
    match object.remove(field) {
        Some(Value::String(text)) => Some(text),
        _ => None,
    }
}

fn seconds(object: &Map<String, Value>, field: &str) -> Option<u64> {
    object.get(field).and_then(Value::as_u64)
}

fn later(now: SystemTime, seconds: u64) -> SystemTime {
    now + Duration::from_secs(seconds).min(MAX_LIFETIME)
}
