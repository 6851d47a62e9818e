//! A store app's (商店应用) tokens. Feishu pushes the app an `app_ticket`
//! every hour; with it and the app's secret the client fetches an
//! `app_access_token`, and with that one `tenant_access_token` per tenant
//! that installed the app. Each is kept in the [`TokenCache`] under its own
//! key and fetched once however many calls need it ([`TokenKeeper`]).
//!
//! [`TokenCache`]: crate::cache::TokenCache

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::Value;

use crate::auth::{
    AppCredentials, AppSecretBody, Fetched, INVALID_TOKEN_CODES, TokenKeeper, TokenSlot,
    fetch_token, post_json,
};
use crate::cache::{AppTicketStore, CacheError};
use crate::error::ErrorKind;
use crate::events::{Event, Schema};

/// The store app's `app_access_token` endpoint (app_access_token.md).
pub const APP_TOKEN_PATH: &str = "/open-apis/auth/v3/app_access_token";
/// The store app's `tenant_access_token` endpoint (tenant_access_token.md).
pub const TENANT_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token";
/// Asks Feishu to push the `app_ticket` event now (app_ticket_resend.md).
pub const TICKET_RESEND_PATH: &str = "/open-apis/auth/v3/app_ticket/resend";

/// Feishu's code for an `app_ticket` it does not (or no longer) accept. The
/// pages refer to the general error-code list for it, which is not among
/// them; 10012 is the code that list gives.
pub(crate) const INVALID_TICKET_CODE: i64 = 10012;
/// The code an API answers when the `app_access_token` behind the tenant
/// token is the invalid one: the client drops both.
pub(crate) const INVALID_APP_TOKEN_CODE: i64 = 99991664;

/// Feishu pushes a ticket at once when asked: one request covers every
/// call made while it is on its way. Past this, a lost push is asked for
/// again.
const RESEND_INTERVAL: Duration = Duration::from_secs(60);

/// The three endpoints, under the client's base URL.
pub(crate) struct StoreAppUrls {
    pub app_token: reqwest::Url,
    pub tenant_token: reqwest::Url,
    pub resend: reqwest::Url,
}

pub(crate) struct StoreAppTokens {
    credentials: AppCredentials,
    urls: StoreAppUrls,
    keeper: TokenKeeper,
    tickets: Arc<dyn AppTicketStore>,
    app_slot: TokenSlot,
    tenants: Mutex<HashMap<String, Arc<TokenSlot>>>,
    /// When the client last asked Feishu to push the ticket; cleared when
    /// one arrives.
    resent_at: tokio::sync::Mutex<Option<SystemTime>>,
    max_response_bytes: usize,
}

impl fmt::Debug for StoreAppTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreAppTokens")
            .field("credentials", &self.credentials)
            .field("keeper", &self.keeper)
            .field("tickets", &self.tickets)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct AppTokenBody<'a> {
    app_id: &'a str,
    app_secret: &'a str,
    app_ticket: &'a str,
}

#[derive(Serialize)]
struct TenantTokenBody<'a> {
    app_access_token: &'a str,
    tenant_key: &'a str,
}

impl StoreAppTokens {
    pub fn new(
        credentials: AppCredentials,
        urls: StoreAppUrls,
        keeper: TokenKeeper,
        tickets: Arc<dyn AppTicketStore>,
        max_response_bytes: usize,
    ) -> Self {
        Self {
            // Keys of their own, so a self-built app's token (keyed by the
            // bare app id) and these never meet in a shared cache.
            app_slot: TokenSlot::new(format!("{}:app_access_token", credentials.app_id)),
            credentials,
            urls,
            keeper,
            tickets,
            tenants: Mutex::default(),
            resent_at: tokio::sync::Mutex::new(None),
            max_response_bytes,
        }
    }

    fn tenant_slot(&self, tenant_key: &str) -> Arc<TokenSlot> {
        let mut tenants = self
            .tenants
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = format!("{}:tenant:{tenant_key}", self.credentials.app_id);
        Arc::clone(
            tenants
                .entry(tenant_key.to_owned())
                .or_insert_with(|| Arc::new(TokenSlot::new(key))),
        )
    }

    /// The tenant's token, valid for at least the refresh margin.
    pub async fn tenant_token(
        &self,
        http: &reqwest::Client,
        tenant_key: &str,
    ) -> Result<String, ErrorKind> {
        let slot = self.tenant_slot(tenant_key);
        if let Some(token) = self.keeper.cached(&slot).await {
            return Ok(token);
        }
        // Outside the tenant's single flight, so every caller sees the
        // app token's own error (an awaited ticket) rather than a shared
        // failure's text.
        let app_token = self.app_token(http).await?;
        self.keeper
            .token(&slot, || {
                self.fetch_tenant_token(http, tenant_key, &app_token)
            })
            .await
    }

    async fn fetch_tenant_token(
        &self,
        http: &reqwest::Client,
        tenant_key: &str,
        app_token: &str,
    ) -> Result<Fetched, ErrorKind> {
        tracing::debug!(tenant_key, "tenant token due");
        match self.post_tenant_token(http, tenant_key, app_token).await {
            // The app token was rejected: fetch another, once.
            Err(ErrorKind::Api(api)) if INVALID_TOKEN_CODES.contains(&api.code) => {
                tracing::info!(
                    code = api.code,
                    "app_access_token rejected; fetching a new one"
                );
                self.keeper.invalidate(&self.app_slot, app_token).await;
                let app_token = self.app_token(http).await?;
                self.post_tenant_token(http, tenant_key, &app_token).await
            }
            other => other,
        }
    }

    async fn post_tenant_token(
        &self,
        http: &reqwest::Client,
        tenant_key: &str,
        app_access_token: &str,
    ) -> Result<Fetched, ErrorKind> {
        let body = TenantTokenBody {
            app_access_token,
            tenant_key,
        };
        fetch_token(
            http,
            &self.urls.tenant_token,
            &body,
            "tenant_access_token",
            self.keeper.clock(),
            self.max_response_bytes,
        )
        .await
    }

    /// The app's token, valid for at least the refresh margin.
    async fn app_token(&self, http: &reqwest::Client) -> Result<String, ErrorKind> {
        if let Some(token) = self.keeper.cached(&self.app_slot).await {
            return Ok(token);
        }
        // No ticket, no fetch: ask for one instead.
        if self.ticket().await?.is_none() {
            return Err(self.await_ticket(http).await);
        }
        self.keeper
            .token(&self.app_slot, || self.fetch_app_token(http))
            .await
    }

    async fn ticket(&self) -> Result<Option<String>, ErrorKind> {
        self.tickets
            .get(&self.credentials.app_id)
            .await
            .map_err(ErrorKind::AppTicketStore)
    }

    async fn fetch_app_token(&self, http: &reqwest::Client) -> Result<Fetched, ErrorKind> {
        let Some(ticket) = self.ticket().await? else {
            return Err(self.await_ticket(http).await);
        };
        let body = AppTokenBody {
            app_id: &self.credentials.app_id,
            app_secret: &self.credentials.app_secret,
            app_ticket: &ticket,
        };
        let fetched = fetch_token(
            http,
            &self.urls.app_token,
            &body,
            "app_access_token",
            self.keeper.clock(),
            self.max_response_bytes,
        )
        .await;
        match fetched {
            Err(ErrorKind::Api(api)) if api.code == INVALID_TICKET_CODE => {
                tracing::warn!("the stored app_ticket was refused; asking for a new one");
                Err(self.await_ticket(http).await)
            }
            other => other,
        }
    }

    /// Asks Feishu to push the ticket, unless asked within the last
    /// [`RESEND_INTERVAL`]; the error the call fails with.
    async fn await_ticket(&self, http: &reqwest::Client) -> ErrorKind {
        let mut resent_at = self.resent_at.lock().await;
        let now = self.keeper.clock().now();
        let recent = resent_at.is_some_and(|at| {
            now.duration_since(at)
                .is_ok_and(|since| since < RESEND_INTERVAL)
        });
        if recent {
            return ErrorKind::AppTicketAwaited;
        }
        tracing::info!(app_id = %self.credentials.app_id, "no app_ticket; asking Feishu to push one");
        match self.resend(http).await {
            Ok(()) => {
                *resent_at = Some(now);
                ErrorKind::AppTicketAwaited
            }
            Err(error) => error,
        }
    }

    async fn resend(&self, http: &reqwest::Client) -> Result<(), ErrorKind> {
        let body =
            serde_json::to_vec(&AppSecretBody::of(&self.credentials)).map_err(ErrorKind::Encode)?;
        let answer = post_json(http, &self.urls.resend, body, self.max_response_bytes).await?;
        answer.success_object::<crate::NoDocumentedCodes>()?;
        Ok(())
    }

    /// Forgets a tenant token Feishu rejected, and the app token behind it
    /// when `app_too`.
    pub async fn invalidate(&self, tenant_key: &str, token: &str, app_too: bool) {
        let slot = self.tenant_slot(tenant_key);
        self.keeper.invalidate(&slot, token).await;
        if app_too && let Some(app_token) = self.keeper.cached(&self.app_slot).await {
            self.keeper.invalidate(&self.app_slot, &app_token).await;
        }
    }

    /// Stores the ticket of an `app_ticket` event for this app; `false` for
    /// any other event.
    pub async fn accept(&self, event: &Event) -> Result<bool, CacheError> {
        let Some(ticket) = app_ticket(event, &self.credentials.app_id) else {
            return Ok(false);
        };
        self.tickets.put(&self.credentials.app_id, ticket).await?;
        // The next missing ticket is a new wait, worth a new request.
        *self.resent_at.lock().await = None;
        tracing::info!(app_id = %self.credentials.app_id, "stored a new app_ticket");
        Ok(true)
    }
}

/// The ticket of an `app_ticket` event for `app_id`. The event page shows
/// it in the 1.0 envelope only: `event: {app_id, app_ticket, type}`.
fn app_ticket<'a>(event: &'a Event, app_id: &str) -> Option<&'a str> {
    if event.schema != Schema::V1 || event.event_type != "app_ticket" {
        return None;
    }
    let body = event.event()?;
    if body.get("app_id").and_then(Value::as_str) != Some(app_id) {
        return None;
    }
    body.get("app_ticket")
        .and_then(Value::as_str)
        .filter(|ticket| !ticket.is_empty())
}
