//! The app's tenant_access_token: fetched from Feishu, kept in a
//! [`TokenCache`] until shortly before it expires, fetched once however many
//! calls need it at the same moment.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::cache::{CachedToken, TokenCache};
use crate::clock::Clock;
use crate::error::ErrorKind;

/// Path of the self-built app token endpoint.
pub(crate) const TENANT_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

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

pub(crate) struct TokenManager {
    credentials: AppCredentials,
    url: reqwest::Url,
    cache: Arc<dyn TokenCache>,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
    max_response_bytes: usize,
    // Held while fetching, so concurrent callers wait for one fetch and then
    // take its outcome.
    fetching: tokio::sync::Mutex<()>,
    last: Mutex<LastFetch>,
}

/// What this manager's fetches came to: callers that waited on a fetch take
/// its outcome instead of fetching again.
#[derive(Default)]
struct LastFetch {
    /// Counts finished fetches, successful or not.
    generation: u64,
    outcome: Option<Outcome>,
}

enum Outcome {
    /// A token, and until when this manager uses it without refreshing.
    Fetched {
        token: String,
        fresh_until: SystemTime,
    },
    /// The fetch failed; the error as text (never holding the token).
    Failed { message: String, retryable: bool },
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("credentials", &self.credentials)
            .field("cache", &self.cache)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct TokenRequest<'a> {
    app_id: &'a str,
    app_secret: &'a str,
}

impl TokenManager {
    pub fn new(
        credentials: AppCredentials,
        url: reqwest::Url,
        cache: Arc<dyn TokenCache>,
        clock: Arc<dyn Clock>,
        refresh_margin: Duration,
        max_response_bytes: usize,
    ) -> Self {
        Self {
            credentials,
            url,
            cache,
            clock,
            refresh_margin,
            max_response_bytes,
            fetching: tokio::sync::Mutex::new(()),
            last: Mutex::new(LastFetch::default()),
        }
    }

    fn last(&self) -> MutexGuard<'_, LastFetch> {
        self.last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The outcome of a fetch that finished after generation `seen`.
    fn outcome_since(&self, seen: u64) -> Option<Result<String, ErrorKind>> {
        let last = self.last();
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

    /// A token valid for at least the refresh margin.
    pub async fn token(&self, http: &reqwest::Client) -> Result<String, ErrorKind> {
        if let Some(token) = self.cached().await {
            return Ok(token);
        }
        let seen = self.last().generation;
        let _fetching = self.fetching.lock().await;
        // A fetch finished while we waited: its outcome is ours too, so a
        // failing token endpoint sees one request, not one per waiter.
        if let Some(shared) = self.outcome_since(seen) {
            if shared.is_ok() {
                return shared;
            }
            if let Some(token) = self.cached().await {
                return Ok(token);
            }
            return shared;
        }
        let key = self.credentials.app_id.as_str();
        let mut waited = Duration::ZERO;
        loop {
            // Whoever fetched before us, here or in another instance sharing
            // the cache, may have stored a fresh token.
            if let Some(token) = self.cached().await {
                return Ok(token);
            }
            match self.cache.claim(key, CLAIM_TTL).await {
                Ok(Some(claim)) => {
                    // The previous holder may have stored a token and released
                    // the claim between our look above and our claim.
                    let fetched = match self.cached().await {
                        Some(token) => Ok(token),
                        None => self.fetch_and_store(http).await,
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
                    return self.fetch_and_store(http).await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot claim the token fetch; fetching anyway");
                    return self.fetch_and_store(http).await;
                }
            }
        }
    }

    async fn fetch_and_store(&self, http: &reqwest::Client) -> Result<String, ErrorKind> {
        let result = self.fetch(http).await;
        {
            let mut last = self.last();
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
        if let Err(error) = self.cache.put(&self.credentials.app_id, fetched).await {
            tracing::warn!(%error, "cannot store the tenant_access_token; continuing without the cache");
        }
        Ok(token)
    }

    /// Forgets `token` after Feishu rejected it, unless a newer one replaced
    /// it already.
    pub async fn invalidate(&self, token: &str) {
        {
            let mut last = self.last();
            if matches!(&last.outcome, Some(Outcome::Fetched { token: fetched, .. }) if fetched == token)
            {
                last.outcome = None;
            }
        }
        if let Err(error) = self.cache.remove_if(&self.credentials.app_id, token).await {
            tracing::warn!(%error, "cannot drop the rejected tenant_access_token from the cache");
        }
    }

    async fn cached(&self) -> Option<String> {
        match self.cache.get(&self.credentials.app_id).await {
            Ok(Some(cached)) if self.is_fresh(&cached) => Some(cached.token),
            Ok(_) => None,
            Err(error) => {
                tracing::warn!(%error, "cannot read the token cache; fetching a token");
                None
            }
        }
    }

    /// Whether `cached` may be used without refreshing: more than the
    /// refresh margin left, or, for a token this manager fetched, within the
    /// first half of its lifetime.
    fn is_fresh(&self, cached: &CachedToken) -> bool {
        let now = self.clock.now();
        if now
            .checked_add(self.refresh_margin)
            .is_some_and(|fresh_until| fresh_until < cached.expires_at)
        {
            return true;
        }
        matches!(
            &self.last().outcome,
            Some(Outcome::Fetched { token, fresh_until })
                if *token == cached.token && now < *fresh_until
        )
    }

    /// The token, and the lifetime the server gave it (capped).
    async fn fetch(&self, http: &reqwest::Client) -> Result<(CachedToken, Duration), ErrorKind> {
        tracing::debug!(app_id = %self.credentials.app_id, "fetching tenant_access_token");
        let body = TokenRequest {
            app_id: &self.credentials.app_id,
            app_secret: &self.credentials.app_secret,
        };
        let body = serde_json::to_vec(&body).map_err(ErrorKind::Encode)?;
        let request = http
            .post(self.url.clone())
            .header(
                reqwest::header::CONTENT_TYPE,
                crate::client::JSON_CONTENT_TYPE,
            )
            .body(body);
        let answer = crate::client::send(request, self.max_response_bytes).await?;
        let mut object = answer.success_object().map_err(withhold_body)?;
        let token: String = answer
            .decode(
                "tenant_access_token",
                object.remove("tenant_access_token").unwrap_or_default(),
            )
            .map_err(withhold_body)?;
        let expire: u64 = answer
            .decode("expire", object.remove("expire").unwrap_or_default())
            .map_err(withhold_body)?;
        tracing::info!(app_id = %self.credentials.app_id, expire, "fetched tenant_access_token");
        // A larger `expire` is nonsense, and would overflow the clock.
        let lifetime = Duration::from_secs(expire).min(MAX_EXPIRE);
        Ok((
            CachedToken {
                token,
                expires_at: self.clock.now() + lifetime,
            },
            lifetime,
        ))
    }
}
