//! The app's tenant_access_token: fetched from Feishu, kept in a
//! [`TokenCache`] until shortly before it expires, fetched once however many
//! calls need it at the same moment.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::cache::{CachedToken, TokenCache};
use crate::clock::Clock;
use crate::error::Error;

/// Path of the self-built app token endpoint.
pub(crate) const TENANT_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// Codes with which Feishu rejects an access token that is invalid or
/// expired; the cached token is dropped and fetched again once.
pub(crate) const INVALID_TOKEN_CODES: &[i64] = &[99991663, 99991664, 99991671];

/// Longest token lifetime believed from the server (Feishu sends 7,200 s).
const MAX_EXPIRE: Duration = Duration::from_secs(24 * 60 * 60);

/// The token endpoint's answer may hold the token: an error about it keeps
/// its status and message but not its body.
fn withhold_body(error: Error) -> Error {
    match error {
        Error::Decode {
            status,
            path,
            message,
            log_id,
            ..
        } => Error::Decode {
            status,
            path,
            message,
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
    // Held while fetching, so concurrent callers wait for one fetch and then
    // find its token in the cache.
    fetching: tokio::sync::Mutex<()>,
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
    ) -> Self {
        Self {
            credentials,
            url,
            cache,
            clock,
            refresh_margin,
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// A token valid for at least the refresh margin.
    pub async fn token(&self, http: &reqwest::Client) -> Result<String, Error> {
        if let Some(token) = self.cached().await {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
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

    async fn fetch_and_store(&self, http: &reqwest::Client) -> Result<String, Error> {
        let fetched = self.fetch(http).await?;
        let token = fetched.token.clone();
        if let Err(error) = self.cache.put(&self.credentials.app_id, fetched).await {
            tracing::warn!(%error, "cannot store the tenant_access_token; continuing without the cache");
        }
        Ok(token)
    }

    /// Forgets `token` after Feishu rejected it, unless a newer one replaced
    /// it already.
    pub async fn invalidate(&self, token: &str) {
        if let Err(error) = self.cache.remove_if(&self.credentials.app_id, token).await {
            tracing::warn!(%error, "cannot drop the rejected tenant_access_token from the cache");
        }
    }

    async fn cached(&self) -> Option<String> {
        match self.cache.get(&self.credentials.app_id).await {
            Ok(Some(cached))
                if self
                    .clock
                    .now()
                    .checked_add(self.refresh_margin)
                    .is_some_and(|fresh_until| fresh_until < cached.expires_at) =>
            {
                Some(cached.token)
            }
            Ok(_) => None,
            Err(error) => {
                tracing::warn!(%error, "cannot read the token cache; fetching a token");
                None
            }
        }
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<CachedToken, Error> {
        tracing::debug!(app_id = %self.credentials.app_id, "fetching tenant_access_token");
        let body = TokenRequest {
            app_id: &self.credentials.app_id,
            app_secret: &self.credentials.app_secret,
        };
        let body = serde_json::to_vec(&body).map_err(Error::Encode)?;
        let request = http
            .post(self.url.clone())
            .header(
                reqwest::header::CONTENT_TYPE,
                crate::client::JSON_CONTENT_TYPE,
            )
            .body(body);
        let answer = crate::client::send(request).await?;
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
        Ok(CachedToken {
            token,
            // A larger `expire` is nonsense, and would overflow the clock.
            expires_at: self.clock.now() + Duration::from_secs(expire).min(MAX_EXPIRE),
        })
    }
}
