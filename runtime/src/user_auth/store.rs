//! Where users' tokens are kept between calls, keyed by the app and the
//! user. A trait, so several bot instances can share them (see the `redis`
//! feature's `RedisUserTokenStore`).

use std::collections::HashMap;
use std::fmt;
use std::sync::RwLock;

use super::token::UserToken;
use crate::cache::BoxFuture;

/// Why a [`UserTokenStore`] operation failed. Unlike the tenant token
/// cache, the store is the only place a refresh token lives, so the call
/// that needed it fails with [`UserAuthError::Store`](super::UserAuthError::Store).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("user token store: {0}")]
pub struct StoreError(pub String);

/// Storage for users' tokens, keyed by app id and user id (whatever id the
/// caller passes to `as_user`, e.g. an `open_id`).
///
/// Object safe: the client holds an `Arc<dyn UserTokenStore>`. Entries may
/// be dropped once the refresh token (or, without one, the access token)
/// has expired.
pub trait UserTokenStore: fmt::Debug + Send + Sync + 'static {
    /// The stored token of `user_id` for `app_id`, if any, expired or not
    /// (the client judges).
    fn get<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>>;

    /// Stores `token`, replacing the previous one: after a refresh the old
    /// refresh token is spent and must not be used again.
    fn put<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
        token: UserToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Removes the token of `user_id` (sign-out); removing none is no
    /// error.
    fn remove<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// The default store: tokens live in this process only, and are lost
/// when it ends.
#[derive(Default)]
pub struct MemoryUserTokenStore {
    // Every call as a user reads; writes happen about once in two hours
    // per user.
    tokens: RwLock<HashMap<(String, String), UserToken>>,
}

impl MemoryUserTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    // A panic elsewhere while holding the lock leaves a consistent map, so
    // a poisoned lock is used as is.
    fn read<T>(&self, f: impl FnOnce(&HashMap<(String, String), UserToken>) -> T) -> T {
        f(&self
            .tokens
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    fn write<T>(&self, f: impl FnOnce(&mut HashMap<(String, String), UserToken>) -> T) -> T {
        f(&mut self
            .tokens
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

impl fmt::Debug for MemoryUserTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryUserTokenStore")
            .field("users", &self.read(HashMap::len))
            .finish()
    }
}

fn key(app_id: &str, user_id: &str) -> (String, String) {
    (app_id.to_owned(), user_id.to_owned())
}

impl UserTokenStore for MemoryUserTokenStore {
    fn get<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        let found = self.read(|tokens| tokens.get(&key(app_id, user_id)).cloned());
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
        token: UserToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.write(|tokens| tokens.insert(key(app_id, user_id), token));
        Box::pin(async { Ok(()) })
    }

    fn remove<'a>(
        &'a self,
        app_id: &'a str,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.write(|tokens| tokens.remove(&key(app_id, user_id)));
        Box::pin(async { Ok(()) })
    }
}
