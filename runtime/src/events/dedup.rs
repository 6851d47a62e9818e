//! Feishu delivers an event at least once: a retry after a slow answer, or
//! its own internal resend, brings the same `event_id` (1.0: `uuid`) again.
//! A [`Dedup`] store remembers the ids it has seen for a while, so a
//! handler runs once per event; [`MemoryDedup`] for one process,
//! `RedisDedup` (feature `redis`) for several instances behind one URL.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::cache::BoxFuture;
use crate::clock::{Clock, SystemClock};

/// How long an id is remembered by default: Feishu's last retry comes
/// about 7 hours after the first delivery (15 s, 5 min, 1 h, 6 h), so a
/// day covers every redelivery with room to spare.
pub const DEFAULT_REMEMBER: Duration = Duration::from_secs(24 * 60 * 60);

/// A store that can't answer, so the caller decides (the webhook answers
/// 500, and Feishu redelivers later).
#[derive(Debug, thiserror::Error)]
#[error("event dedup store: {0}")]
pub struct DedupError(pub String);

/// Where delivered event ids are remembered.
pub trait Dedup: fmt::Debug + Send + Sync + 'static {
    /// Records `id`; `true` when this is its first delivery within
    /// `remember`, `false` for a redelivery. Atomic: of two concurrent
    /// calls with one id, one gets `true`.
    fn first_delivery<'a>(
        &'a self,
        id: &'a str,
        remember: Duration,
    ) -> BoxFuture<'a, Result<bool, DedupError>>;

    /// Forgets `id`, so its next delivery counts as the first: for an event
    /// whose handler failed, which Feishu will deliver again.
    fn forget<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), DedupError>>;
}

/// Ids remembered in this process's memory; expired ones are dropped as
/// new ones arrive.
#[derive(Debug)]
pub struct MemoryDedup {
    seen: Mutex<HashMap<String, SystemTime>>,
    clock: Arc<dyn Clock>,
}

impl Default for MemoryDedup {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryDedup {
    /// An empty store on the system clock.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }

    /// An empty store reading the time from `clock`.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Self {
            seen: Mutex::new(HashMap::new()),
            clock,
        }
    }

    /// How many ids are remembered now.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SystemTime>> {
        // A panic elsewhere while holding the lock leaves a usable map.
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Dedup for MemoryDedup {
    fn first_delivery<'a>(
        &'a self,
        id: &'a str,
        remember: Duration,
    ) -> BoxFuture<'a, Result<bool, DedupError>> {
        let now = self.clock.now();
        let mut seen = self.lock();
        seen.retain(|_, until| *until > now);
        let first = !seen.contains_key(id);
        if first {
            seen.insert(id.to_owned(), now + remember);
        }
        Box::pin(std::future::ready(Ok(first)))
    }

    fn forget<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), DedupError>> {
        self.lock().remove(id);
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(feature = "redis")]
pub use redis_store::RedisDedup;

#[cfg(feature = "redis")]
mod redis_store {
    use std::time::Duration;

    use redis::aio::ConnectionManager;

    use super::{Dedup, DedupError};
    use crate::cache::BoxFuture;

    const DEFAULT_PREFIX: &str = "feishu-openapi:event:";

    /// Ids remembered in Redis (`SET key 1 NX PX ms`), shared by every
    /// instance that receives the app's events.
    #[derive(Clone)]
    pub struct RedisDedup {
        connection: ConnectionManager,
        prefix: String,
    }

    impl std::fmt::Debug for RedisDedup {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("RedisDedup")
                .field("prefix", &self.prefix)
                .finish_non_exhaustive()
        }
    }

    impl RedisDedup {
        /// Connects to `url` (`redis://host:port/db`).
        pub async fn connect(url: &str) -> Result<Self, DedupError> {
            let client = redis::Client::open(url).map_err(|e| DedupError(e.to_string()))?;
            let connection = ConnectionManager::new(client)
                .await
                .map_err(|e| DedupError(e.to_string()))?;
            Ok(Self {
                connection,
                prefix: DEFAULT_PREFIX.to_owned(),
            })
        }

        /// Keys start with `prefix` instead of `feishu-openapi:event:`.
        pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
            self.prefix = prefix.into();
            self
        }
    }

    impl Dedup for RedisDedup {
        fn first_delivery<'a>(
            &'a self,
            id: &'a str,
            remember: Duration,
        ) -> BoxFuture<'a, Result<bool, DedupError>> {
            Box::pin(async move {
                let mut connection = self.connection.clone();
                let millis = u64::try_from(remember.as_millis())
                    .unwrap_or(u64::MAX)
                    .max(1);
                let set: Option<String> = redis::cmd("SET")
                    .arg(format!("{}{id}", self.prefix))
                    .arg(1)
                    .arg("NX")
                    .arg("PX")
                    .arg(millis)
                    .query_async(&mut connection)
                    .await
                    .map_err(|e| DedupError(e.to_string()))?;
                Ok(set.is_some())
            })
        }

        fn forget<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), DedupError>> {
            Box::pin(async move {
                let mut connection = self.connection.clone();
                redis::cmd("DEL")
                    .arg(format!("{}{id}", self.prefix))
                    .query_async::<()>(&mut connection)
                    .await
                    .map_err(|e| DedupError(e.to_string()))
            })
        }
    }
}
