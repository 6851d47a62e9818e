//! Users' tokens for calls made `as_user`: read from the store, refreshed
//! shortly before they expire, once per user however many calls wait, and
//! the rotated refresh token stored in place of the spent one.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use super::codes::OAuthErrorCode;
use super::error::{ReauthorizeReason, UserAuthError};
use super::store::UserTokenStore;
use super::token::{CodeExchange, UserToken};
use super::token_endpoint::TokenEndpoint;
use crate::clock::Clock;

/// How long a refresh refused as used (20073) waits for the successor
/// token another instance sharing the store obtained with it.
const SUCCESSOR_WAIT: Duration = Duration::from_secs(2);
/// How often it looks.
const SUCCESSOR_POLL: Duration = Duration::from_millis(50);

/// The client's user-token machinery; one per client with app credentials.
pub(crate) struct UserTokens {
    pub endpoint: TokenEndpoint,
    pub authorize_url: String,
    store: Arc<dyn UserTokenStore>,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

/// One user's refresh lock and what this process knows beyond the store.
#[derive(Default)]
struct Slot {
    // Held while refreshing, so concurrent calls for the user wait for one
    // refresh: a refresh token works once.
    refreshing: tokio::sync::Mutex<()>,
    state: Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    /// Counts finished refreshes, successful or not.
    generation: u64,
    /// The last refresh's failure, shared with the calls that waited on it.
    failure: Option<UserAuthError>,
    /// An access token an endpoint rejected as invalid.
    rejected: Option<String>,
    /// The access token this process obtained last, and until when it is
    /// used without refreshing (at least half its life, even when that is
    /// shorter than the margin).
    obtained: Option<(String, SystemTime)>,
    /// A refreshed token the store failed to take: the old refresh token is
    /// spent, so this one is kept here and stored again on the next call.
    unsaved: Option<UserToken>,
    /// A refresh token the endpoint refused for good, and why: it is not
    /// sent again.
    refused: Option<(String, ReauthorizeReason)>,
}

impl Slot {
    fn state(&self) -> MutexGuard<'_, SlotState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for UserTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserTokens")
            .field("app_id", &self.endpoint.credentials.app_id)
            .field("store", &self.store)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

impl UserTokens {
    pub fn new(
        endpoint: TokenEndpoint,
        authorize_url: String,
        store: Arc<dyn UserTokenStore>,
        clock: Arc<dyn Clock>,
        refresh_margin: Duration,
    ) -> Self {
        Self {
            endpoint,
            authorize_url,
            store,
            clock,
            refresh_margin,
            slots: Mutex::default(),
        }
    }

    /// The clock token lifetimes are judged by.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    fn app_id(&self) -> &str {
        &self.endpoint.credentials.app_id
    }

    fn slot(&self, user_id: &str) -> Arc<Slot> {
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(slots.entry(user_id.to_owned()).or_default())
    }

    /// A `user_access_token` of `user_id` valid for at least the refresh
    /// margin, refreshed first if due.
    pub async fn token(
        &self,
        http: &reqwest::Client,
        user_id: &str,
    ) -> Result<String, UserAuthError> {
        let slot = self.slot(user_id);
        let stored = self.load(user_id, &slot).await?;
        if self.usable(&slot, &stored) {
            return Ok(stored.access_token);
        }
        let seen = slot.state().generation;
        let _refreshing = slot.refreshing.lock().await;
        {
            // A refresh finished while we waited: a failure is ours too, so
            // a failing endpoint sees one request, not one per waiter.
            let state = slot.state();
            if state.generation != seen
                && let Some(failure) = &state.failure
            {
                return Err(failure.clone());
            }
        }
        // Whoever refreshed before us, here or in another instance sharing
        // the store, stored the new token.
        let stored = self.load(user_id, &slot).await?;
        if self.usable(&slot, &stored) {
            return Ok(stored.access_token);
        }
        let outcome = self.refresh(http, user_id, &slot, stored).await;
        let mut state = slot.state();
        state.generation += 1;
        state.failure = outcome.as_ref().err().cloned();
        outcome
    }

    /// Marks `access_token` as rejected by an endpoint, so the next call
    /// for `user_id` refreshes it (unless it was replaced already).
    pub fn invalidate(&self, user_id: &str, access_token: &str) {
        self.slot(user_id).state().rejected = Some(access_token.to_owned());
    }

    /// Exchanges an authorization code and stores the token for `user_id`.
    pub async fn exchange_for_user(
        &self,
        http: &reqwest::Client,
        user_id: &str,
        exchange: &CodeExchange,
    ) -> Result<UserToken, UserAuthError> {
        let now = self.clock.now();
        let token = self.endpoint.exchange(http, exchange, now).await?;
        self.save(user_id, token.clone(), Some(now)).await?;
        Ok(token)
    }

    /// Stores `token` as `user_id`'s, obtained at `obtained_at` if known
    /// (a token of unknown age gets no half-life grace).
    pub async fn save(
        &self,
        user_id: &str,
        token: UserToken,
        obtained_at: Option<SystemTime>,
    ) -> Result<(), UserAuthError> {
        let slot = self.slot(user_id);
        let _refreshing = slot.refreshing.lock().await;
        self.store
            .put(self.app_id(), user_id, token.clone())
            .await
            .map_err(UserAuthError::Store)?;
        let mut state = slot.state();
        state.unsaved = None;
        state.failure = None;
        state.obtained =
            obtained_at.map(|at| (token.access_token.clone(), self.fresh_until(&token, at)));
        Ok(())
    }

    /// Forgets `user_id`'s token, here and in the store.
    pub async fn remove(&self, user_id: &str) -> Result<(), UserAuthError> {
        let slot = self.slot(user_id);
        let _refreshing = slot.refreshing.lock().await;
        {
            // The generation only grows, so no waiter mistakes a later
            // refresh for the one it waited on.
            let mut state = slot.state();
            *state = SlotState {
                generation: state.generation,
                ..SlotState::default()
            };
        }
        self.store
            .remove(self.app_id(), user_id)
            .await
            .map_err(UserAuthError::Store)
    }

    /// The stored token of `user_id`, if any.
    pub async fn stored(&self, user_id: &str) -> Result<Option<UserToken>, UserAuthError> {
        let slot = self.slot(user_id);
        match self.load(user_id, &slot).await {
            Ok(token) => Ok(Some(token)),
            Err(UserAuthError::AuthorizationRequired { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The user's current token: one the store failed to take, else the
    /// stored one.
    async fn load(&self, user_id: &str, slot: &Slot) -> Result<UserToken, UserAuthError> {
        let unsaved = slot.state().unsaved.clone();
        if let Some(token) = unsaved {
            if self
                .store
                .put(self.app_id(), user_id, token.clone())
                .await
                .is_ok()
            {
                let mut state = slot.state();
                if state.unsaved.as_ref() == Some(&token) {
                    state.unsaved = None;
                }
            }
            return Ok(token);
        }
        match self.store.get(self.app_id(), user_id).await {
            Ok(Some(token)) => Ok(token),
            Ok(None) => Err(authorization_required(
                user_id,
                ReauthorizeReason::NotAuthorized,
            )),
            Err(error) => Err(UserAuthError::Store(error)),
        }
    }

    /// Whether `token` may be sent without refreshing it first.
    fn usable(&self, slot: &Slot, token: &UserToken) -> bool {
        let now = self.clock.now();
        let state = slot.state();
        if state.rejected.as_ref() == Some(&token.access_token) {
            return false;
        }
        if now
            .checked_add(self.refresh_margin)
            .is_some_and(|due| due < token.expires_at)
        {
            return true;
        }
        matches!(&state.obtained, Some((access, fresh_until))
            if *access == token.access_token && now < *fresh_until)
    }

    fn fresh_until(&self, token: &UserToken, now: SystemTime) -> SystemTime {
        let lifetime = token.expires_at.duration_since(now).unwrap_or_default();
        token.expires_at - self.refresh_margin.min(lifetime - lifetime / 2)
    }

    /// Refreshes `stored` and stores the rotated tokens; called under the
    /// user's refresh lock.
    async fn refresh(
        &self,
        http: &reqwest::Client,
        user_id: &str,
        slot: &Slot,
        stored: UserToken,
    ) -> Result<String, UserAuthError> {
        let now = self.clock.now();
        let rejected = slot.state().rejected.as_ref() == Some(&stored.access_token);
        let Some(refresh_token) = &stored.refresh_token else {
            // Nothing to refresh with: the token serves until it expires.
            if !rejected && now < stored.expires_at {
                return Ok(stored.access_token);
            }
            return Err(authorization_required(
                user_id,
                ReauthorizeReason::NoRefreshToken,
            ));
        };
        let refused = slot.state().refused.clone();
        if let Some((spent, reason)) = refused
            && spent == *refresh_token
        {
            return Err(authorization_required(user_id, reason));
        }
        tracing::debug!(user_id, "refreshing user_access_token");
        match self.endpoint.refresh(http, refresh_token, now).await {
            Ok(token) => {
                let access = token.access_token.clone();
                {
                    let mut state = slot.state();
                    state.obtained = Some((access.clone(), self.fresh_until(&token, now)));
                    state.unsaved = Some(token.clone());
                }
                match self.store.put(self.app_id(), user_id, token.clone()).await {
                    Ok(()) => {
                        let mut state = slot.state();
                        if state.unsaved.as_ref() == Some(&token) {
                            state.unsaved = None;
                        }
                    }
                    Err(error) => tracing::warn!(
                        user_id,
                        %error,
                        "cannot store the refreshed user_access_token; keeping it in memory"
                    ),
                }
                Ok(access)
            }
            Err(UserAuthError::OAuth(error)) if refusal(error.documented) => {
                let code = error
                    .documented
                    .unwrap_or(OAuthErrorCode::InvalidRefreshToken);
                if code == OAuthErrorCode::RefreshTokenUsed
                    && let Some(successor) = self.successor(user_id, &stored).await
                {
                    return Ok(successor.access_token);
                }
                tracing::warn!(
                    user_id,
                    code = error.code,
                    "refresh token refused; the user must authorize again"
                );
                let reason = ReauthorizeReason::RefreshRefused(code);
                slot.state().refused = Some((refresh_token.clone(), reason));
                Err(authorization_required(user_id, reason))
            }
            Err(error) => Err(error),
        }
    }
}

impl UserTokens {
    /// The token another instance sharing the store obtained with the
    /// refresh token of `spent` (which is why it was refused as used): it
    /// stores it once its answer arrives, so look for a short while. The
    /// store is left alone: removing the entry could remove that successor.
    async fn successor(&self, user_id: &str, spent: &UserToken) -> Option<UserToken> {
        let mut waited = Duration::ZERO;
        loop {
            if let Ok(Some(current)) = self.store.get(self.app_id(), user_id).await
                && current.refresh_token != spent.refresh_token
            {
                return Some(current);
            }
            if waited >= SUCCESSOR_WAIT {
                return None;
            }
            tokio::time::sleep(SUCCESSOR_POLL).await;
            waited += SUCCESSOR_POLL;
        }
    }
}

/// Whether the token endpoint refused the refresh token for good.
fn refusal(code: Option<OAuthErrorCode>) -> bool {
    use OAuthErrorCode::*;
    matches!(
        code,
        Some(InvalidRefreshToken | RefreshTokenExpired | RefreshTokenRevoked | RefreshTokenUsed)
    )
}

fn authorization_required(user_id: &str, reason: ReauthorizeReason) -> UserAuthError {
    UserAuthError::AuthorizationRequired {
        user_id: user_id.to_owned(),
        reason,
    }
}
