//! The fake's OAuth side: authorization codes handed out as if a user had
//! agreed on the authorization page, and the token endpoint
//! (`POST /open-apis/authen/v2/oauth/token`) exchanging and refreshing them
//! as the pages describe, with their error codes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::server::{FakeFeishu, FakeFeishuBuilder, RecordedRequest, Shared};
use feishu_runtime::ErrorCode;
use feishu_runtime::auth_paths::OAUTH_TOKEN_PATH;
use feishu_runtime::clock::Clock;
use feishu_runtime::user_auth::OAuthErrorCode;

/// Scopes [`FakeFeishu::authorize`] grants: with `offline_access`, so
/// exchanges return a refresh token.
pub const DEFAULT_USER_SCOPE: &str = "auth:user.id:read offline_access";

/// An authorization code lasts 5 minutes.
const CODE_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// Refresh tokens stop 365 days after the user authorized.
const AUTHORIZATION_LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);
/// A replaced access token keeps working this long, for the app to rotate.
const ROTATION_GRACE: Duration = Duration::from_secs(60);

/// The fake's user tokens and codes.
#[derive(Default)]
pub(super) struct UserAuthState {
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    /// Access and refresh tokens issued so far, oldest first.
    issued: Vec<String>,
}

struct Code {
    user_id: String,
    scope: String,
    expires: SystemTime,
    used: bool,
}

struct Access {
    user_id: String,
    expires: SystemTime,
}

struct Refresh {
    user_id: String,
    scope: String,
    authorized_at: SystemTime,
    expires: SystemTime,
    state: RefreshState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RefreshState {
    Live,
    Used,
    Revoked,
}

/// Lifetimes of the user tokens the fake issues, and the clock that
/// judges them.
#[derive(Clone, Debug)]
pub(super) struct UserTokenConfig {
    pub access_expire: u64,
    pub refresh_expire: u64,
    pub clock: Arc<dyn Clock>,
}

impl Default for UserTokenConfig {
    fn default() -> Self {
        Self {
            access_expire: 7200,
            refresh_expire: 604_800,
            clock: Arc::new(feishu_runtime::clock::SystemClock),
        }
    }
}

impl FakeFeishuBuilder {
    /// The `expires_in` and `refresh_token_expires_in` (seconds) of user
    /// tokens (default 7200 and 604800, the pages' examples).
    pub fn user_token_expire(mut self, access_seconds: u64, refresh_seconds: u64) -> Self {
        self.user_tokens.access_expire = access_seconds;
        self.user_tokens.refresh_expire = refresh_seconds;
        self
    }

    /// The clock that judges user tokens and codes (default: the system
    /// clock); share a [`ManualClock`](feishu_runtime::clock::ManualClock) with the
    /// client to move both through a token's life.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.user_tokens.clock = clock;
        self
    }
}

impl FakeFeishu {
    /// The authorization code the redirect would carry after `user_id`
    /// agreed on the authorization page, granting [`DEFAULT_USER_SCOPE`].
    /// It lasts 5 minutes and works once.
    pub fn authorize(&self, user_id: &str) -> String {
        self.authorize_with_scope(user_id, DEFAULT_USER_SCOPE)
    }

    /// Like [`authorize`](Self::authorize), granting `scope` (space
    /// separated); without `offline_access` no refresh token is issued.
    pub fn authorize_with_scope(&self, user_id: &str, scope: &str) -> String {
        let code = format!("fake-code-{}", uuid::Uuid::new_v4().simple());
        let expires = self.shared().config.user_tokens.clock.now() + CODE_LIFETIME;
        self.shared().with(|state| {
            state.user_auth.codes.insert(
                code.clone(),
                Code {
                    user_id: user_id.to_owned(),
                    scope: scope.to_owned(),
                    expires,
                    used: false,
                },
            )
        });
        code
    }

    /// Revokes every token of `user_id`: access tokens are answered with
    /// 99991663, refresh tokens with 20064.
    pub fn revoke_user_tokens(&self, user_id: &str) {
        self.shared().with(|state| {
            let auth = &mut state.user_auth;
            auth.access.retain(|_, access| access.user_id != user_id);
            for refresh in auth.refresh.values_mut() {
                if refresh.user_id == user_id {
                    refresh.state = RefreshState::Revoked;
                }
            }
        });
    }

    /// Requests to the OAuth token endpoint (exchanges and refreshes).
    pub fn oauth_token_requests(&self) -> Vec<RecordedRequest> {
        self.requests_to(OAUTH_TOKEN_PATH)
    }

    /// Requests to the OAuth token endpoint with `grant_type` `refresh_token`.
    pub fn refresh_requests(&self) -> Vec<RecordedRequest> {
        let mut requests = self.oauth_token_requests();
        requests.retain(|request| {
            request
                .json()
                .is_some_and(|body| body["grant_type"] == "refresh_token")
        });
        requests
    }

    /// User access and refresh tokens issued so far, oldest first.
    pub fn issued_user_tokens(&self) -> Vec<String> {
        self.shared().with(|state| state.user_auth.issued.clone())
    }

    /// The user whose access token `token` is, while the fake accepts it.
    pub fn user_of(&self, token: &str) -> Option<String> {
        let now = self.shared().config.user_tokens.clock.now();
        self.shared()
            .with(|state| state.user_auth.user_of(token, now).map(str::to_owned))
    }
}

impl UserAuthState {
    /// The user of an access token that is valid at `now`.
    pub(super) fn user_of(&self, token: &str, now: SystemTime) -> Option<&str> {
        let access = self.access.get(token)?;
        (now < access.expires).then_some(access.user_id.as_str())
    }
}

/// An error answer of the token endpoint: the documented status and
/// description, and the RFC 6749 `error` the code amounts to.
fn refuse(code: i64) -> (StatusCode, Value) {
    let info = OAuthErrorCode::from_code(code).map(ErrorCode::info);
    let status = info.map_or(400, |info| info.http_status);
    let error = match code {
        20001 | 20063 => "invalid_request",
        20002 | 20024 | 20048 => "invalid_client",
        20036 => "unsupported_grant_type",
        20067 | 20068 => "invalid_scope",
        20050 => "server_error",
        20072 => "temporarily_unavailable",
        _ => "invalid_grant",
    };
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        json!({
            "code": code,
            "error": error,
            "error_description": info.map_or("", |info| info.message),
        }),
    )
}

/// `POST /open-apis/authen/v2/oauth/token`.
pub(super) fn token_endpoint(shared: &Shared, request: &RecordedRequest) -> (StatusCode, Value) {
    let Some(Value::Object(body)) = request.json() else {
        return refuse(20063);
    };
    let field = |name: &str| body.get(name).and_then(Value::as_str);
    let (Some(grant_type), Some(client_id), Some(client_secret)) = (
        field("grant_type"),
        field("client_id"),
        field("client_secret"),
    ) else {
        return refuse(20001);
    };
    let config = &shared.config;
    if client_id != config.app_id {
        return refuse(20048);
    }
    if client_secret != config.app_secret {
        return refuse(20002);
    }
    let now = config.user_tokens.clock.now();
    shared.with(|state| {
        let auth = &mut state.user_auth;
        let issued = match grant_type {
            "authorization_code" => match field("code") {
                Some(code) => auth.redeem_code(code, field("scope"), now),
                None => Err(20001),
            },
            "refresh_token" => match field("refresh_token") {
                Some(refresh_token) => auth.redeem_refresh(refresh_token, now),
                None => Err(20001),
            },
            _ => Err(20036),
        };
        match issued {
            Ok((user_id, scope, authorized_at)) => {
                let answer = auth.issue(&config.user_tokens, user_id, scope, authorized_at, now);
                (StatusCode::OK, answer)
            }
            Err(code) => refuse(code),
        }
    })
}

impl UserAuthState {
    /// Spends `code`: its user, the scope to issue, and when they agreed.
    fn redeem_code(
        &mut self,
        code: &str,
        narrowed: Option<&str>,
        now: SystemTime,
    ) -> Result<(String, String, SystemTime), i64> {
        let grant = self.codes.get_mut(code).ok_or(20003)?;
        if grant.used {
            return Err(20065);
        }
        if now >= grant.expires {
            return Err(20004);
        }
        let scope = match narrowed {
            Some(narrowed) => narrow(&grant.scope, narrowed)?,
            None => grant.scope.clone(),
        };
        grant.used = true;
        Ok((grant.user_id.clone(), scope, now))
    }

    /// Spends `refresh_token`, which works once.
    fn redeem_refresh(
        &mut self,
        refresh_token: &str,
        now: SystemTime,
    ) -> Result<(String, String, SystemTime), i64> {
        let refresh = self.refresh.get_mut(refresh_token).ok_or(20026)?;
        match refresh.state {
            RefreshState::Used => return Err(20073),
            RefreshState::Revoked => return Err(20064),
            RefreshState::Live if now >= refresh.expires => return Err(20037),
            RefreshState::Live => {}
        }
        refresh.state = RefreshState::Used;
        let (user_id, scope, authorized_at) = (
            refresh.user_id.clone(),
            refresh.scope.clone(),
            refresh.authorized_at,
        );
        // The replaced access tokens keep working a minute, for rotation.
        for access in self.access.values_mut() {
            if access.user_id == user_id {
                access.expires = access.expires.min(now + ROTATION_GRACE);
            }
        }
        Ok((user_id, scope, authorized_at))
    }

    /// Issues an access token, and a refresh token if `scope` has
    /// `offline_access`; the success answer.
    fn issue(
        &mut self,
        config: &UserTokenConfig,
        user_id: String,
        scope: String,
        authorized_at: SystemTime,
        now: SystemTime,
    ) -> Value {
        let access_token = format!("u-{}", uuid::Uuid::new_v4().simple());
        self.access.insert(
            access_token.clone(),
            Access {
                user_id: user_id.clone(),
                expires: now + Duration::from_secs(config.access_expire),
            },
        );
        self.issued.push(access_token.clone());
        let mut answer = json!({
            "code": 0,
            "access_token": access_token,
            "expires_in": config.access_expire,
            "scope": scope,
            "token_type": "Bearer",
        });
        if scope.split_whitespace().any(|s| s == "offline_access") {
            let refresh_token = format!("ur-{}", uuid::Uuid::new_v4().simple());
            let expires = (now + Duration::from_secs(config.refresh_expire))
                .min(authorized_at + AUTHORIZATION_LIFETIME);
            answer["refresh_token"] = json!(refresh_token);
            answer["refresh_token_expires_in"] =
                json!(expires.duration_since(now).unwrap_or_default().as_secs());
            self.refresh.insert(
                refresh_token.clone(),
                Refresh {
                    user_id,
                    scope,
                    authorized_at,
                    expires,
                    state: RefreshState::Live,
                },
            );
            self.issued.push(refresh_token);
        }
        answer
    }
}

/// The scopes of `narrowed`, which must be distinct (20067) and granted
/// (20068).
fn narrow(granted: &str, narrowed: &str) -> Result<String, i64> {
    let scopes: Vec<&str> = narrowed.split_whitespace().collect();
    for (at, scope) in scopes.iter().enumerate() {
        if scopes[..at].contains(scope) {
            return Err(20067);
        }
        if !granted.split_whitespace().any(|g| g == *scope) {
            return Err(20068);
        }
    }
    Ok(scopes.join(" "))
}
