//! The app's tenant_access_token: fetched from Feishu, kept in a
//! [`TokenCache`] until shortly before it expires, fetched once however many
//! calls need it at the same moment. [`TokenKeeper`] does the keeping and
//! the single flight for any token under a cache key; store apps
//! (`store_app.rs`) use it for their app token and each tenant's token.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::cache::{CachedToken, TokenCache};
use crate::clock::Clock;
use crate::error::ErrorKind;

/// Path of the self-built app token endpoint.
pub const TENANT_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// Codes with which Feishu rejects an access token that is invalid or
/// expired; the cached token is dropped and fetched again once.
pub(crate) const INVALID_TOKEN_CODES: &[i64] = &[99991663, 99991664, 99991671];

/// Longest token lifetime believed from the server (Feishu sends 7,200 s).
const MAX_EXPIRE: Duration = Duration::from_secs(24 * 60 * 60);

/// The token endpoint's answer may hold the token: an error about it keeps
/// its status and message but not its body.
fn withhold_body(error: ErrorKind) -> ErrorKind {
    match error {
        ErrorKind::Decode {
            status,
            path,
            message,
            log_id,
            ..
        } => ErrorKind::Decode {
            // serde quotes the offending value, which may be the token: keep
            // only what was expected.
            message: match message.rfind("expected") {
                Some(at) => format!("unexpected value (withheld), {}", &message[at..]),
                None => "unexpected value (withheld)".to_owned(),
            },
            status,
            path,
            body: "<withheld: the token endpoint's answer may hold the token>".to_owned(),
            log_id,
        },
        other => other,
    }
}

/// Longest time one instance may hold the claim to fetch a token for all
/// instances sharing a cache; others wait at most this long for it.
const CLAIM_TTL: Duration = Duration::from_secs(10);
/// How often a waiting instance looks for the token another one fetches.
const CLAIM_POLL: Duration = Duration::from_millis(50);

/// An app id with its secret, which never shows in `Debug`.
#[derive(Clone)]
pub(crate) struct AppCredentials {
    pub app_id: String,
    pub app_secret: String,
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app_id", &self.app_id)
            .field("app_secret", &"<redacted>")
            .finish()
    }
}

/// One token's single flight: the cache key it is kept under, the lock
/// held while fetching it, and what the last fetch came to.
pub(crate) struct TokenSlot {
    key: String,
    // Held while fetching, so concurrent callers wait for one fetch and then
    // take its outcome.
    fetching: tokio::sync::Mutex<()>,
    last: Mutex<LastFetch>,
}

/// What this slot's fetches came to: callers that waited on a fetch take
/// its outcome instead of fetching again.
#[derive(Default)]
struct LastFetch {
    /// Counts finished fetches, successful or not.
    generation: u64,
    outcome: Option<Outcome>,
}

enum Outcome {
    /// A token, and until when this slot uses it without refreshing.
    Fetched {
        token: String,
        fresh_until: SystemTime,
    },
    /// The fetch failed; the error as text (never holding the token).
    Failed { message: String, retryable: bool },
}

impl TokenSlot {
    pub fn new(key: String) -> Self {
        Self {
            key,
            fetching: tokio::sync::Mutex::new(()),
            last: Mutex::new(LastFetch::default()),
        }
    }

    fn last(&self) -> MutexGuard<'_, LastFetch> {
        self.last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A fetched token and the lifetime the server gave it (capped).
pub(crate) type Fetched = (CachedToken, Duration);

/// Keeps tokens in a [`TokenCache`] and fetches each once however many
/// callers need it; what to fetch is the caller's.
pub(crate) struct TokenKeeper {
    cache: Arc<dyn TokenCache>,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
}

impl fmt::Debug for TokenKeeper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenKeeper")
            .field("cache", &self.cache)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

impl TokenKeeper {
    pub fn new(
        cache: Arc<dyn TokenCache>,
        clock: Arc<dyn Clock>,
        refresh_margin: Duration,
    ) -> Self {
        Self {
            cache,
            clock,
            refresh_margin,
        }
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The outcome of a fetch that finished after generation `seen`.
    fn outcome_since(&self, slot: &TokenSlot, seen: u64) -> Option<Result<String, ErrorKind>> {
        let last = slot.last();
        if last.generation == seen {
            return None;
        }
        match last.outcome.as_ref()? {
            Outcome::Fetched { token, fresh_until } => {
                (self.clock.now() < *fresh_until).then(|| Ok(token.clone()))
            }
            Outcome::Failed { message, retryable } => {
                Some(Err(ErrorKind::SharedTokenFetchFailed {
                    message: message.clone(),
                    retryable: *retryable,
                }))
            }
        }
    }

    /// `slot`'s token, valid for at least the refresh margin: the cached
    /// one, or one `fetch` gets (once for all callers waiting on it, here
    /// and in other instances sharing the cache).
    pub async fn token<F, Fut>(&self, slot: &TokenSlot, fetch: F) -> Result<String, ErrorKind>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Fetched, ErrorKind>>,
    {
        if let Some(token) = self.cached(slot).await {
            return Ok(token);
        }
        let seen = slot.last().generation;
        let _fetching = slot.fetching.lock().await;
        // A fetch finished while we waited: its outcome is ours too, so a
        // failing token endpoint sees one request, not one per waiter.
        if let Some(shared) = self.outcome_since(slot, seen) {
            if shared.is_ok() {
                return shared;
            }
            if let Some(token) = self.cached(slot).await {
                return Ok(token);
            }
            return shared;
        }
        let key = slot.key.as_str();
        let mut waited = Duration::ZERO;
        loop {
            // Whoever fetched before us, here or in another instance sharing
            // the cache, may have stored a fresh token.
            if let Some(token) = self.cached(slot).await {
                return Ok(token);
            }
            match self.cache.claim(key, CLAIM_TTL).await {
                Ok(Some(claim)) => {
                    // The previous holder may have stored a token and released
                    // the claim between our look above and our claim.
                    let fetched = match self.cached(slot).await {
                        Some(token) => Ok(token),
                        None => self.fetch_and_store(slot, fetch()).await,
                    };
                    if let Err(error) = self.cache.release(key, &claim).await {
                        tracing::warn!(%error, "cannot release the token fetch claim");
                    }
                    return fetched;
                }
                Ok(None) if waited < CLAIM_TTL => {
                    tokio::time::sleep(CLAIM_POLL).await;
                    waited += CLAIM_POLL;
                }
                Ok(None) => {
                    tracing::warn!("the token fetch claim outlived its holder; fetching anyway");
                    return self.fetch_and_store(slot, fetch()).await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot claim the token fetch; fetching anyway");
                    return self.fetch_and_store(slot, fetch()).await;
                }
            }
        }
    }

    async fn fetch_and_store(
        &self,
        slot: &TokenSlot,
        fetch: impl Future<Output = Result<Fetched, ErrorKind>>,
    ) -> Result<String, ErrorKind> {
        let result = fetch.await;
        {
            let mut last = slot.last();
            last.generation += 1;
            last.outcome = Some(match &result {
                Ok((fetched, lifetime)) => Outcome::Fetched {
                    token: fetched.token.clone(),
                    // A token lasting no longer than the margin would never
                    // count as fresh: use it for at least half its life.
                    fresh_until: fetched.expires_at
                        - self
                            .refresh_margin
                            .min(lifetime.saturating_sub(*lifetime / 2)),
                },
                Err(error) => Outcome::Failed {
                    message: error.to_string(),
                    retryable: crate::client::retryable_token_failure(error),
                },
            });
        }
        let (fetched, _) = result?;
        let token = fetched.token.clone();
        if let Err(error) = self.cache.put(&slot.key, fetched).await {
            tracing::warn!(%error, "cannot store the fetched token; continuing without the cache");
        }
        Ok(token)
    }

    /// Forgets `token` after Feishu rejected it, unless a newer one replaced
    /// it already.
    pub async fn invalidate(&self, slot: &TokenSlot, token: &str) {
        {
            let mut last = slot.last();
            if matches!(&last.outcome, Some(Outcome::Fetched { token: fetched, .. }) if fetched == token)
            {
                last.outcome = None;
            }
        }
        if let Err(error) = self.cache.remove_if(&slot.key, token).await {
            tracing::warn!(%error, "cannot drop the rejected token from the cache");
        }
    }

    /// `slot`'s cached token, if it is fresh.
    pub async fn cached(&self, slot: &TokenSlot) -> Option<String> {
        match self.cache.get(&slot.key).await {
            Ok(Some(cached)) if self.is_fresh(slot, &cached) => Some(cached.token),
            Ok(_) => None,
            Err(error) => {
                tracing::warn!(%error, "cannot read the token cache; fetching a token");
                None
            }
        }
    }

    /// Whether `cached` may be used without refreshing: more than the
    /// refresh margin left, or, for a token this slot fetched, within the
    /// first half of its lifetime.
    fn is_fresh(&self, slot: &TokenSlot, cached: &CachedToken) -> bool {
        let now = self.clock.now();
        if now
            .checked_add(self.refresh_margin)
            .is_some_and(|fresh_until| fresh_until < cached.expires_at)
        {
            return true;
        }
        matches!(
            &slot.last().outcome,
            Some(Outcome::Fetched { token, fresh_until })
                if *token == cached.token && now < *fresh_until
        )
    }
}

/// POSTs `body` as JSON to a token endpoint and reads the token from the
/// answer's `field` and its lifetime from `expire`, as all of Feishu's
/// v3 token endpoints answer. Errors never hold the answer's body.
pub(crate) async fn fetch_token(
    http: &reqwest::Client,
    url: &reqwest::Url,
    body: &impl Serialize,
    field: &'static str,
    clock: &dyn Clock,
    max_response_bytes: usize,
) -> Result<Fetched, ErrorKind> {
    tracing::debug!("fetching {field}");
    let body = serde_json::to_vec(body).map_err(ErrorKind::Encode)?;
    let answer = post_json(http, url, body, max_response_bytes).await?;
    let mut object = answer.success_object().map_err(withhold_body)?;
    let token: String = answer
        .decode(field, object.remove(field).unwrap_or_default())
        .map_err(withhold_body)?;
    let expire: u64 = answer
        .decode("expire", object.remove("expire").unwrap_or_default())
        .map_err(withhold_body)?;
    tracing::info!(expire, "fetched {field}");
    // A larger `expire` is nonsense, and would overflow the clock.
    let lifetime = Duration::from_secs(expire).min(MAX_EXPIRE);
    Ok((
        CachedToken {
            token,
            expires_at: clock.now() + lifetime,
        },
        lifetime,
    ))
}

/// POSTs a JSON body with the content type Feishu documents.
pub(crate) async fn post_json(
    http: &reqwest::Client,
    url: &reqwest::Url,
    body: Vec<u8>,
    max_response_bytes: usize,
) -> Result<crate::response::Answer, ErrorKind> {
    let request = http
        .post(url.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            crate::client::JSON_CONTENT_TYPE,
        )
        .body(body);
    crate::client::send(request, max_response_bytes).await
}

#[derive(Serialize)]
pub(crate) struct AppSecretBody<'a> {
    pub app_id: &'a str,
    pub app_secret: &'a str,
}

impl<'a> AppSecretBody<'a> {
    pub fn of(credentials: &'a AppCredentials) -> Self {
        Self {
            app_id: &credentials.app_id,
            app_secret: &credentials.app_secret,
        }
    }
}

/// A self-built app's tenant_access_token.
pub(crate) struct TokenManager {
    credentials: AppCredentials,
    url: reqwest::Url,
    keeper: TokenKeeper,
    slot: TokenSlot,
    max_response_bytes: usize,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("credentials", &self.credentials)
            .field("keeper", &self.keeper)
            .finish_non_exhaustive()
    }
}

impl TokenManager {
    pub fn new(
        credentials: AppCredentials,
        url: reqwest::Url,
        keeper: TokenKeeper,
        max_response_bytes: usize,
    ) -> Self {
        Self {
            slot: TokenSlot::new(credentials.app_id.clone()),
            credentials,
            url,
            keeper,
            max_response_bytes,
        }
    }

    /// A token valid for at least the refresh margin.
    pub async fn token(&self, http: &reqwest::Client) -> Result<String, ErrorKind> {
        self.keeper
            .token(&self.slot, || async {
                tracing::debug!(app_id = %self.credentials.app_id, "tenant token due");
                fetch_token(
                    http,
                    &self.url,
                    &AppSecretBody::of(&self.credentials),
                    "tenant_access_token",
                    self.keeper.clock(),
                    self.max_response_bytes,
                )
                .await
            })
            .await
    }

    /// Forgets `token` after Feishu rejected it.
    pub async fn invalidate(&self, token: &str) {
        self.keeper.invalidate(&self.slot, token).await;
    }
}
