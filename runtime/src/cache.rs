//! Where tenant access tokens, and a store app's app tickets, are kept
//! between calls. Both are traits so several bot instances can share them
//! (see the `redis` feature).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::RwLock;
use std::time::{Duration, SystemTime};

/// A boxed future, as cache methods return (the trait is used as `dyn`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A token and the instant the server said it stops being valid.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The token itself (`t-...`).
    pub token: String,
    /// When the token expires, as computed from the server's `expire`.
    pub expires_at: SystemTime,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Why a cache operation failed. The client logs it and carries on without
/// the cache (fetching a token itself), so a cache outage never stops calls.
#[derive(Debug, thiserror::Error)]
#[error("token cache: {0}")]
pub struct CacheError(pub String);

/// Storage for tenant access tokens, keyed by app id.
pub trait TokenCache: fmt::Debug + Send + Sync + 'static {
    /// The stored token for `key`, if any (expired or not: the client judges).
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<CachedToken>, CacheError>>;

    /// Stores `token` for `key`, replacing any previous one.
    fn put<'a>(&'a self, key: &'a str, token: CachedToken)
    -> BoxFuture<'a, Result<(), CacheError>>;

    /// Removes the token for `key`, but only if it is still `token`: another
    /// caller may already have stored a fresh one, which must survive.
    fn remove_if<'a>(
        &'a self,
        key: &'a str,
        token: &'a str,
    ) -> BoxFuture<'a, Result<(), CacheError>>;

    /// Claims the right to fetch the token for `key` for at most `ttl`, so
    /// that instances sharing the cache fetch one token between them; the
    /// others wait for it to appear. Returns an id to hand back to
    /// [`release`](Self::release), or `None` while someone else holds it.
    ///
    /// The default grants every claim: a cache private to one process needs
    /// none, since a client fetches once per process anyway.
    fn claim<'a>(
        &'a self,
        _key: &'a str,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<String>, CacheError>> {
        Box::pin(async { Ok(Some(String::new())) })
    }

    /// Gives back a claim obtained from [`claim`](Self::claim).
    fn release<'a>(
        &'a self,
        _key: &'a str,
        _claim: &'a str,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        Box::pin(async { Ok(()) })
    }
}

/// The default cache: tokens live in this process only.
#[derive(Default)]
pub struct MemoryTokenCache {
    // Every call reads the token; writes happen about once in two hours. A
    // read lock lets concurrent calls read it without queueing on each other.
    tokens: RwLock<HashMap<String, CachedToken>>,
}

impl MemoryTokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    // A panic elsewhere while holding the lock leaves a map that is still
    // consistent, so both keep using a poisoned lock.
    fn read<T>(&self, f: impl FnOnce(&HashMap<String, CachedToken>) -> T) -> T {
        let tokens = self
            .tokens
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&tokens)
    }

    fn write<T>(&self, f: impl FnOnce(&mut HashMap<String, CachedToken>) -> T) -> T {
        let mut tokens = self
            .tokens
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut tokens)
    }
}

impl fmt::Debug for MemoryTokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.read(|tokens| tokens.len());
        f.debug_struct("MemoryTokenCache")
            .field("tokens", &len)
            .finish()
    }
}

impl TokenCache for MemoryTokenCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<CachedToken>, CacheError>> {
        let found = self.read(|tokens| tokens.get(key).cloned());
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        token: CachedToken,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        self.write(|tokens| tokens.insert(key.to_owned(), token));
        Box::pin(async { Ok(()) })
    }

    fn remove_if<'a>(
        &'a self,
        key: &'a str,
        token: &'a str,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        self.write(|tokens| {
            if tokens.get(key).is_some_and(|stored| stored.token == token) {
                tokens.remove(key);
            }
        });
        Box::pin(async { Ok(()) })
    }
}

/// Where a store app's `app_ticket` is kept (see
/// `ClientBuilder::store_app`). Feishu pushes a new ticket in an
/// `app_ticket` event every hour; the webhook handler hands it to
/// `Client::accept_app_ticket`, and the client reads it here whenever it
/// fetches an `app_access_token`. Instances that share the store share the
/// ticket, so whichever receives the event serves them all.
pub trait AppTicketStore: fmt::Debug + Send + Sync + 'static {
    /// The latest ticket stored for `app_id`, if any.
    fn get<'a>(&'a self, app_id: &'a str) -> BoxFuture<'a, Result<Option<String>, CacheError>>;

    /// Stores `ticket` for `app_id`, replacing the previous one.
    fn put<'a>(&'a self, app_id: &'a str, ticket: &'a str)
    -> BoxFuture<'a, Result<(), CacheError>>;
}

/// The default ticket store: tickets live in this process only.
#[derive(Default)]
pub struct MemoryAppTicketStore {
    tickets: RwLock<HashMap<String, String>>,
}

impl MemoryAppTicketStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl fmt::Debug for MemoryAppTicketStore {
    // Tickets are credentials: only how many apps have one shows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self
            .tickets
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len();
        f.debug_struct("MemoryAppTicketStore")
            .field("tickets", &len)
            .finish()
    }
}

impl AppTicketStore for MemoryAppTicketStore {
    fn get<'a>(&'a self, app_id: &'a str) -> BoxFuture<'a, Result<Option<String>, CacheError>> {
        let found = self
            .tickets
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(app_id)
            .cloned();
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(
        &'a self,
        app_id: &'a str,
        ticket: &'a str,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        self.tickets
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(app_id.to_owned(), ticket.to_owned());
        Box::pin(async { Ok(()) })
    }
}
