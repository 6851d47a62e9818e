//! Users' tokens in Redis (feature `redis`), so that several bot instances
//! share them: a refresh token works once, so an instance must see the one
//! another instance's refresh left.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::ConnectionManager;

use super::store::{StoreError, UserTokenStore};
use super::token::UserToken;
use crate::cache::BoxFuture;

/// Keys are `<prefix><app_id>:<user_id>`.
const DEFAULT_PREFIX: &str = "feishu-openapi:user_access_token:";

/// A [`UserTokenStore`] in Redis (feature `redis`). Each user's tokens are a
/// hash with fields `access_token`, `expires_at_ms`, `refresh_token`,
/// `refresh_expires_at_ms` and `scope`, which Redis drops when the refresh
/// token (or, without one, the access token) expires.
#[derive(Clone)]
pub struct RedisUserTokenStore {
    connection: ConnectionManager,
    prefix: String,
}

impl RedisUserTokenStore {
    /// Connects to Redis at `url` (e.g. `redis://127.0.0.1:6379/0`).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(store_error)?;
        let connection = ConnectionManager::new(client).await.map_err(store_error)?;
        Ok(Self {
            connection,
            prefix: DEFAULT_PREFIX.to_owned(),
        })
    }

    /// Uses `prefix` in front of `<app_id>:<user_id>` for keys, instead of
    /// `feishu-openapi:user_access_token:`.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn key(&self, app_id: &str, user_id: &str) -> String {
        format!("{}{app_id}:{user_id}", self.prefix)
    }
}

impl fmt::Debug for RedisUserTokenStore {
    // The connection URL may hold a password, so it is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisUserTokenStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

type Fields = (
    Option<String>,
    Option<u64>,
    Option<String>,
    Option<u64>,
    Option<String>,
);

impl UserTokenStore for RedisUserTokenStore {
    fn get<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let (access_token, expires_at_ms, refresh_token, refresh_expires_at_ms, scope): Fields =
                redis::cmd("HMGET")
                    .arg(self.key(app_id, user_id))
                    .arg("access_token")
                    .arg("expires_at_ms")
                    .arg("refresh_token")
                    .arg("refresh_expires_at_ms")
                    .arg("scope")
                    .query_async(&mut connection)
                    .await
                    .map_err(store_error)?;
            let (Some(access_token), Some(expires_at_ms)) = (access_token, expires_at_ms) else {
                return Ok(None);
            };
            Ok(Some(UserToken {
                access_token,
                expires_at: at(expires_at_ms),
                refresh_expires_at: refresh_token.as_ref().and(refresh_expires_at_ms).map(at),
                refresh_token,
                scope: scope.unwrap_or_default(),
            }))
        })
    }

    fn put<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
        token: UserToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let (Some(expires_at_ms), Some(now_ms)) = (
                millis_since_epoch(token.expires_at),
                millis_since_epoch(SystemTime::now()),
            ) else {
                return Err(StoreError("clock before 1970".to_owned()));
            };
            let refresh_expires_at_ms = token
                .refresh_token
                .as_ref()
                .and(token.refresh_expires_at)
                .and_then(millis_since_epoch);
            // Kept while anything in it can still be used.
            let ttl_ms = refresh_expires_at_ms
                .unwrap_or(expires_at_ms)
                .saturating_sub(now_ms);
            let key = self.key(app_id, user_id);
            let mut pipe = redis::pipe();
            pipe.atomic().del(&key).ignore();
            if ttl_ms > 0 {
                pipe.cmd("HSET")
                    .arg(&key)
                    .arg("access_token")
                    .arg(&token.access_token)
                    .arg("expires_at_ms")
                    .arg(expires_at_ms)
                    .arg("scope")
                    .arg(&token.scope);
                if let (Some(refresh_token), Some(ms)) =
                    (&token.refresh_token, refresh_expires_at_ms)
                {
                    pipe.arg("refresh_token")
                        .arg(refresh_token)
                        .arg("refresh_expires_at_ms")
                        .arg(ms);
                }
                pipe.ignore().cmd("PEXPIRE").arg(&key).arg(ttl_ms).ignore();
            }
            let mut connection = self.connection.clone();
            pipe.query_async::<()>(&mut connection)
                .await
                .map_err(store_error)
        })
    }

    fn remove<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            redis::cmd("DEL")
                .arg(self.key(app_id, user_id))
                .query_async::<i64>(&mut connection)
                .await
                .map(drop)
                .map_err(store_error)
        })
    }
}

fn at(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

fn millis_since_epoch(at: SystemTime) -> Option<u64> {
    let since = at.duration_since(UNIX_EPOCH).ok()?;
    u64::try_from(since.as_millis()).ok()
}

fn store_error(error: redis::RedisError) -> StoreError {
    StoreError(error.to_string())
}
