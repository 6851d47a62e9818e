//! The fake as a store app (商店应用): it keeps the current `app_ticket`
//! (and builds the `app_ticket` event that would carry it), answers the
//! ticket resend, the store app's `app_access_token` endpoint (app id,
//! secret and ticket checked) and its `tenant_access_token` endpoint (the
//! app token checked, and that the tenant installed the app), and issues
//! each tenant tokens of its own, which the API routes accept.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::answer::Answer;
use super::server::{
    FakeFeishu, FakeFeishuBuilder, FakeState, RecordedRequest, Shared, check_app, expires_in,
    new_token,
};
use feishu_runtime::auth_paths::{APP_TOKEN_PATH, TENANT_TOKEN_PATH, TICKET_RESEND_PATH};

/// The pages: a token with 30 minutes or more left is answered again
/// rather than replaced; with less, a new one is issued.
const REISSUE_BELOW: Duration = Duration::from_secs(30 * 60);

/// Code for an `app_ticket` the fake did not issue last (Feishu's general
/// error-code list; the pages give none).
const INVALID_TICKET: i64 = 10012;
/// Code for an `app_access_token` the fake did not issue, or that expired.
const INVALID_APP_TOKEN: i64 = 99991664;
/// Code for a tenant that has not installed the app (the pages give none;
/// this is Feishu's generic invalid-parameter code).
const NOT_INSTALLED: i64 = 10003;

/// How the fake is set up as a store app.
#[derive(Clone, Debug, Default)]
pub(super) struct StoreAppConfig {
    enabled: bool,
    tenants: BTreeSet<String>,
}

/// The fake's tickets and store-app tokens.
#[derive(Default)]
pub(super) struct StoreAppState {
    /// The one ticket the app token endpoint accepts; made on first use.
    ticket: Option<String>,
    /// App tokens and when they expire.
    app_tokens: HashMap<String, Instant>,
    /// The latest app token, answered again while it has 30 min left.
    current_app_token: Option<String>,
    /// Tenant tokens: the tenant and when they expire.
    tenant_tokens: HashMap<String, (String, Instant)>,
    /// Each tenant's latest token.
    current_tenant_tokens: HashMap<String, String>,
    issued_app_tokens: Vec<String>,
    /// (tenant, token), oldest first.
    issued_tenant_tokens: Vec<(String, String)>,
}

impl StoreAppState {
    fn ticket(&mut self) -> String {
        self.ticket
            .get_or_insert_with(|| format!("fake-ticket-{}", uuid::Uuid::new_v4().simple()))
            .clone()
    }

    /// The tenant whose live token `token` is.
    pub(super) fn tenant_of(&self, token: &str) -> Option<&str> {
        self.tenant_tokens
            .get(token)
            .filter(|(_, expires)| Instant::now() < *expires)
            .map(|(tenant, _)| tenant.as_str())
    }

    /// Forgets every token issued, as [`FakeFeishu::revoke_tokens`] does.
    pub(super) fn revoke(&mut self) {
        self.app_tokens.clear();
        self.current_app_token = None;
        self.tenant_tokens.clear();
        self.current_tenant_tokens.clear();
    }
}

impl FakeFeishuBuilder {
    /// Makes the fake a store app: it answers the store app's token
    /// endpoints and the ticket resend, for the app set with
    /// [`app`](Self::app).
    pub fn store_app(mut self) -> Self {
        self.store_app.enabled = true;
        self
    }

    /// A tenant that has installed the store app: the tenant token
    /// endpoint issues tokens for it (and refuses other tenants).
    pub fn tenant(mut self, tenant_key: impl Into<String>) -> Self {
        self.store_app.tenants.insert(tenant_key.into());
        self
    }
}

impl FakeFeishu {
    /// The `app_ticket` the app token endpoint accepts now.
    pub fn app_ticket(&self) -> String {
        self.shared().with(|state| state.store_app.ticket())
    }

    /// Replaces the ticket, as Feishu's hourly push does; the old one is
    /// refused from now on. Returns the new one.
    pub fn issue_app_ticket(&self) -> String {
        self.shared().with(|state| {
            state.store_app.ticket = None;
            state.store_app.ticket()
        })
    }

    /// The `app_ticket` event carrying the current ticket, in the 1.0
    /// envelope the event page shows, as a webhook would receive it
    /// (decrypted).
    pub fn app_ticket_event(&self) -> Value {
        ticket_envelope(self.shared())
    }

    /// Requests to the ticket resend endpoint.
    pub fn app_ticket_resend_requests(&self) -> Vec<RecordedRequest> {
        self.requests_to(TICKET_RESEND_PATH)
    }

    /// Requests to the store app's `app_access_token` endpoint.
    pub fn app_access_token_requests(&self) -> Vec<RecordedRequest> {
        self.requests_to(APP_TOKEN_PATH)
    }

    /// Requests to the store app's `tenant_access_token` endpoint.
    pub fn store_tenant_token_requests(&self) -> Vec<RecordedRequest> {
        self.requests_to(TENANT_TOKEN_PATH)
    }

    /// App tokens issued so far, oldest first (one answered again counts
    /// once).
    pub fn issued_app_tokens(&self) -> Vec<String> {
        self.shared()
            .with(|state| state.store_app.issued_app_tokens.clone())
    }

    /// Tenant tokens issued to `tenant_key` so far, oldest first.
    pub fn issued_tenant_tokens(&self, tenant_key: &str) -> Vec<String> {
        self.shared().with(|state| {
            state
                .store_app
                .issued_tenant_tokens
                .iter()
                .filter(|(tenant, _)| tenant == tenant_key)
                .map(|(_, token)| token.clone())
                .collect()
        })
    }

    /// The tenant a live store-app tenant token belongs to.
    pub fn tenant_of_token(&self, token: &str) -> Option<String> {
        self.shared()
            .with(|state| state.store_app.tenant_of(token).map(str::to_owned))
    }
}

/// Answers a POST to one of the store app's auth endpoints
/// ([`is_auth_path`]). A resend is answered, then the ticket is pushed as
/// Feishu does at once: to the webhook and over the long connection,
/// whichever the app has.
pub(super) fn endpoint(shared: &Arc<Shared>, request: &RecordedRequest) -> Answer {
    let answer = match request.path.as_str() {
        APP_TOKEN_PATH => app_token(shared, request),
        TENANT_TOKEN_PATH => tenant_token(shared, request),
        _ => resend(shared, request).inspect(|_| {
            super::events::send(shared, vec![ticket_envelope(shared)]);
        }),
    };
    answer.unwrap_or_else(|refusal| refusal)
}

/// The `app_ticket` event with the current ticket, in the 1.0 envelope its
/// page shows, with the app's verification token.
fn ticket_envelope(shared: &Shared) -> Value {
    json!({
        "ts": format!("{:.7}", std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())),
        "uuid": uuid::Uuid::new_v4().simple().to_string(),
        "token": shared.outbox.verification_token(),
        "type": "event_callback",
        "event": {
            "app_id": shared.config.app_id,
            "app_ticket": shared.with(|state| state.store_app.ticket()),
            "type": "app_ticket",
        },
    })
}

/// Whether `path` is one of the store app's auth endpoints.
pub(super) fn is_auth_path(path: &str) -> bool {
    matches!(
        path,
        APP_TOKEN_PATH | TENANT_TOKEN_PATH | TICKET_RESEND_PATH
    )
}

fn refuse(code: i64, msg: &str) -> Answer {
    (StatusCode::BAD_REQUEST, json!({"code": code, "msg": msg}))
}

/// The body, for a store app only.
fn store_app_body(shared: &Shared, request: &RecordedRequest) -> Result<Value, Answer> {
    if !shared.config.store_app.enabled {
        return Err(refuse(10003, "invalid param: the app is not a store app"));
    }
    request.json().ok_or_else(|| refuse(10003, "invalid param"))
}

fn resend(shared: &Shared, request: &RecordedRequest) -> Result<Answer, Answer> {
    let body = store_app_body(shared, request)?;
    check_app(&shared.config, &body)?;
    Ok((StatusCode::OK, json!({"code": 0, "msg": "success"})))
}

fn app_token(shared: &Shared, request: &RecordedRequest) -> Result<Answer, Answer> {
    let body = store_app_body(shared, request)?;
    check_app(&shared.config, &body)?;
    let ticket = body.get("app_ticket").and_then(Value::as_str);
    let expire = shared.config.token_expire;
    shared.with(|state| {
        let store = &mut state.store_app;
        if ticket != Some(store.ticket().as_str()) {
            return Err(refuse(INVALID_TICKET, "app ticket invalid"));
        }
        let reused = store
            .current_app_token
            .as_ref()
            .and_then(|token| reusable(token, store.app_tokens.get(token)?));
        let (token, left) = reused.unwrap_or_else(|| {
            let token = new_token();
            store.app_tokens.insert(token.clone(), expires_in(expire));
            store.current_app_token = Some(token.clone());
            store.issued_app_tokens.push(token.clone());
            (token, expire)
        });
        Ok((
            StatusCode::OK,
            json!({"code": 0, "msg": "success", "app_access_token": token, "expire": left}),
        ))
    })
}

fn tenant_token(shared: &Shared, request: &RecordedRequest) -> Result<Answer, Answer> {
    let body = store_app_body(shared, request)?;
    let app_token = body.get("app_access_token").and_then(Value::as_str);
    let Some(tenant) = body.get("tenant_key").and_then(Value::as_str) else {
        return Err(refuse(10003, "invalid param: tenant_key"));
    };
    let expire = shared.config.token_expire;
    shared.with(|state: &mut FakeState| {
        let store = &mut state.store_app;
        let live = app_token
            .and_then(|token| store.app_tokens.get(token))
            .is_some_and(|expires| Instant::now() < *expires);
        if !live {
            return Err(refuse(INVALID_APP_TOKEN, "invalid app access token"));
        }
        if !shared.config.store_app.tenants.contains(tenant) {
            return Err(refuse(
                NOT_INSTALLED,
                "invalid param: the tenant has not installed the app",
            ));
        }
        let reused = store.current_tenant_tokens.get(tenant).and_then(|token| {
            let (_, expires) = store.tenant_tokens.get(token)?;
            reusable(token, expires)
        });
        let (token, left) = reused.unwrap_or_else(|| {
            let token = new_token();
            store
                .tenant_tokens
                .insert(token.clone(), (tenant.to_owned(), expires_in(expire)));
            store
                .current_tenant_tokens
                .insert(tenant.to_owned(), token.clone());
            store
                .issued_tenant_tokens
                .push((tenant.to_owned(), token.clone()));
            (token, expire)
        });
        Ok((
            StatusCode::OK,
            json!({"code": 0, "msg": "success", "tenant_access_token": token, "expire": left}),
        ))
    })
}

/// `token` again, with the seconds it has left, while that is 30 minutes
/// or more (the pages: only then is a new one issued).
fn reusable(token: &str, expires: &Instant) -> Option<(String, u64)> {
    let left = expires.checked_duration_since(Instant::now())?;
    (left >= REISSUE_BELOW).then(|| (token.to_owned(), left.as_secs()))
}
