//! A token cache and a store app's ticket store in Redis, so several bot
//! instances share one token (and one `app_ticket`) instead of each
//! fetching (or waiting for) its own.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::ConnectionManager;

use crate::cache::{AppTicketStore, BoxFuture, CacheError, CachedToken, TokenCache};

/// Keys are `<prefix><app_id>`, hashes with fields `token` and `expires_at_ms`.
const DEFAULT_PREFIX: &str = "feishu-openapi:tenant_access_token:";

/// Deletes the key only while it still holds the token the caller saw fail,
/// in one step, so a token another instance just stored survives.
const REMOVE_IF_SCRIPT: &str = r"
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Releases a fetch claim only if it is still ours (it may have expired and
/// been taken by another instance).
const RELEASE_SCRIPT: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// A [`TokenCache`] in Redis (feature `redis`). Entries expire in Redis when
/// the token does.
#[derive(Clone)]
pub struct RedisTokenCache {
    connection: ConnectionManager,
    prefix: String,
    remove_if: redis::Script,
    release: redis::Script,
}

impl RedisTokenCache {
    /// Connects to Redis at `url` (e.g. `redis://127.0.0.1:6379/0`).
    pub async fn connect(url: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url).map_err(cache_error)?;
        let connection = ConnectionManager::new(client).await.map_err(cache_error)?;
        Ok(Self {
            connection,
            prefix: DEFAULT_PREFIX.to_owned(),
            remove_if: redis::Script::new(REMOVE_IF_SCRIPT),
            release: redis::Script::new(RELEASE_SCRIPT),
        })
    }

    /// Uses `prefix` in front of the app id for keys, instead of
    /// `feishu-openapi:tenant_access_token:`.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn key(&self, app_id: &str) -> String {
        format!("{}{app_id}", self.prefix)
    }

    fn claim_key(&self, app_id: &str) -> String {
        format!("{}{app_id}:fetching", self.prefix)
    }
}

impl fmt::Debug for RedisTokenCache {
    // The connection URL may hold a password, so it is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenCache")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl TokenCache for RedisTokenCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<CachedToken>, CacheError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let (token, expires_at_ms): (Option<String>, Option<u64>) = redis::cmd("HMGET")
                .arg(self.key(key))
                .arg("token")
                .arg("expires_at_ms")
                .query_async(&mut connection)
                .await
                .map_err(cache_error)?;
            Ok(match (token, expires_at_ms) {
                (Some(token), Some(ms)) => Some(CachedToken {
                    token,
                    expires_at: UNIX_EPOCH + Duration::from_millis(ms),
                }),
                _ => None,
            })
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        token: CachedToken,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        Box::pin(async move {
            let expires_at_ms = millis_since_epoch(token.expires_at);
            let ttl_ms = millis_since_epoch(SystemTime::now())
                .map(|now| expires_at_ms.unwrap_or(0).saturating_sub(now));
            let (Some(expires_at_ms), Some(ttl_ms)) = (expires_at_ms, ttl_ms) else {
                return Err(CacheError("clock before 1970".to_owned()));
            };
            if ttl_ms == 0 {
                return Ok(());
            }
            let key = self.key(key);
            let mut connection = self.connection.clone();
            redis::pipe()
                .atomic()
                .cmd("HSET")
                .arg(&key)
                .arg("token")
                .arg(&token.token)
                .arg("expires_at_ms")
                .arg(expires_at_ms)
                .ignore()
                .cmd("PEXPIRE")
                .arg(&key)
                .arg(ttl_ms)
                .ignore()
                .query_async::<()>(&mut connection)
                .await
                .map_err(cache_error)
        })
    }

    fn remove_if<'a>(
        &'a self,
        key: &'a str,
        token: &'a str,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            self.remove_if
                .key(self.key(key))
                .arg(token)
                .invoke_async::<i64>(&mut connection)
                .await
                .map(drop)
                .map_err(cache_error)
        })
    }

    fn claim<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<String>, CacheError>> {
        Box::pin(async move {
            let claim = uuid::Uuid::new_v4().to_string();
            let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            let mut connection = self.connection.clone();
            let granted: Option<String> = redis::cmd("SET")
                .arg(self.claim_key(key))
                .arg(&claim)
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms)
                .query_async(&mut connection)
                .await
                .map_err(cache_error)?;
            Ok(granted.map(|_| claim))
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        claim: &'a str,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            self.release
                .key(self.claim_key(key))
                .arg(claim)
                .invoke_async::<i64>(&mut connection)
                .await
                .map(drop)
                .map_err(cache_error)
        })
    }
}

/// Keys are `<prefix><app_id>`, strings holding the ticket.
const DEFAULT_TICKET_PREFIX: &str = "feishu-openapi:app_ticket:";

/// An [`AppTicketStore`] in Redis (feature `redis`): whichever instance
/// receives the `app_ticket` event stores it for all.
#[derive(Clone)]
pub struct RedisAppTicketStore {
    connection: ConnectionManager,
    prefix: String,
}

impl RedisAppTicketStore {
    /// Connects to Redis at `url` (e.g. `redis://127.0.0.1:6379/0`).
    pub async fn connect(url: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url).map_err(cache_error)?;
        let connection = ConnectionManager::new(client).await.map_err(cache_error)?;
        Ok(Self {
            connection,
            prefix: DEFAULT_TICKET_PREFIX.to_owned(),
        })
    }

    /// Uses `prefix` in front of the app id for keys, instead of
    /// `feishu-openapi:app_ticket:`.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }
}

impl fmt::Debug for RedisAppTicketStore {
    // The connection URL may hold a password, so it is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisAppTicketStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl AppTicketStore for RedisAppTicketStore {
    fn get<'a>(&'a self, app_id: &'a str) -> BoxFuture<'a, Result<Option<String>, CacheError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::cmd("GET")
                .arg(format!("{}{app_id}", self.prefix))
                .query_async(&mut connection)
                .await
                .map_err(cache_error)
        })
    }

    fn put<'a>(
        &'a self,
        app_id: &'a str,
        ticket: &'a str,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::cmd("SET")
                .arg(format!("{}{app_id}", self.prefix))
                .arg(ticket)
                .query_async::<()>(&mut connection)
                .await
                .map_err(cache_error)
        })
    }
}

fn millis_since_epoch(at: SystemTime) -> Option<u64> {
    let since = at.duration_since(UNIX_EPOCH).ok()?;
    u64::try_from(since.as_millis()).ok()
}

fn cache_error(error: redis::RedisError) -> CacheError {
    CacheError(error.to_string())
}
