//! The client every generated endpoint method runs through.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::{Serialize, de::DeserializeOwned};
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{
    AppCredentials, INVALID_TOKEN_CODES, TENANT_TOKEN_PATH, TokenKeeper, TokenManager,
};
use crate::cache::{
    AppTicketStore, CacheError, MemoryAppTicketStore, MemoryTokenCache, TokenCache,
};
use crate::clock::{Clock, SystemClock};
use crate::endpoint::{AccessTokenKind, EndpointInfo, Method};
use crate::error::{Error, ErrorCode, ErrorKind};
use crate::options::RequestOptions;
use crate::query::QueryParams;
use crate::rate_limit::RateLimiter;
use crate::response::{Answer, Response, log_id};
use crate::retry::{RetryPolicy, random_unit, server_reset};
use crate::store_app::{
    APP_TOKEN_PATH, INVALID_APP_TOKEN_CODE, StoreAppTokens, StoreAppUrls,
    TENANT_TOKEN_PATH as STORE_TENANT_TOKEN_PATH, TICKET_RESEND_PATH,
};
use crate::upload::Form;
use crate::user_auth::{self, MemoryUserTokenStore, UserAuth, UserTokenStore, UserTokens};
use crate::validate::{Limit, Validate, Violation};

/// Base URL of Feishu (China).
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";
/// Base URL of Lark (international).
pub const LARK_BASE_URL: &str = "https://open.larksuite.com";

/// The total time a request carrying a file may take: a day, where a
/// call's would cut a large file (its waits are bounded apart).
const FILE_TRANSFER_LIMIT: Duration = Duration::from_secs(24 * 60 * 60);

/// The content type Feishu documents for JSON requests, byte for byte.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// Header carrying [`RequestOptions::request_id`].
const REQUEST_ID: &str = "x-request-id";
/// Generic rate-limit code of the Feishu gateway.
const RATE_LIMITED_CODE: i64 = 99991400;

/// A Feishu Open API client. Cheap to clone; clones share connections and
/// the token cache.
///
/// Users hold `feishu_openapi::Client`, which wraps this one, adds the
/// generated endpoint methods and dereferences to it for the rest.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base_url: reqwest::Url,
    tokens: Option<TokenManager>,
    store_app: Option<StoreAppTokens>,
    users: Option<UserTokens>,
    retry: RetryPolicy,
    max_response_bytes: usize,
    limiter: Option<RateLimiter>,
    deadline: Option<Duration>,
    /// The builder's `timeout`, when the client built its HTTP client (a
    /// given one keeps its own).
    timeout: Option<Duration>,
}

/// Configures a [`Client`]; start with [`Client::builder`].
///
/// `C` is what [`build`](Self::build) returns: this crate's [`Client`], or a
/// type wrapping it. `feishu-openapi` wraps it in its own `Client`, which adds
/// the generated endpoint methods (an inherent impl on a type of another
/// crate is not allowed), and builds that with this same builder.
pub struct ClientBuilder<C = Client> {
    app: Option<AppCredentials>,
    store_app: bool,
    tickets: Option<Arc<dyn AppTicketStore>>,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    http: Option<reqwest::Client>,
    cache: Option<Arc<dyn TokenCache>>,
    user_tokens: Option<Arc<dyn UserTokenStore>>,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    respect_rate_limits: bool,
    deadline: Option<Duration>,
    builds: PhantomData<fn() -> C>,
}

/// Default for [`ClientBuilder::max_response_bytes`]: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app", &self.app)
            .field("store_app", &self.store_app)
            .field("tickets", &self.tickets)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("cache", &self.cache)
            .field("user_tokens", &self.user_tokens)
            .field("refresh_margin", &self.refresh_margin)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("respect_rate_limits", &self.respect_rate_limits)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// Why a [`ClientBuilder`] could not build a client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    #[error("invalid base URL {0:?}: expected an absolute http(s) URL")]
    InvalidBaseUrl(String),
    /// The HTTP client could not be set up.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self {
            app: None,
            store_app: false,
            tickets: None,
            base_url: FEISHU_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            http: None,
            cache: None,
            user_tokens: None,
            clock: Arc::new(SystemClock),
            refresh_margin: Duration::from_secs(300),
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            respect_rate_limits: false,
            deadline: None,
            builds: PhantomData,
        }
    }
}

impl<C> ClientBuilder<C> {
    /// Credentials of a self-built app: the client fetches and refreshes its
    /// `tenant_access_token` itself. Without them, every call needs a token in
    /// its [`RequestOptions`] (store apps, user identity).
    pub fn app(mut self, app_id: impl Into<String>, app_secret: impl Into<String>) -> Self {
        self.app = Some(AppCredentials {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
        });
        self.store_app = false;
        self
    }

    /// Credentials of a store app (商店应用): the client fetches the
    /// `app_access_token` with the `app_ticket` Feishu pushes (hand each
    /// `app_ticket` event to [`Client::accept_app_ticket`]), and with it
    /// one `tenant_access_token` per tenant, which each call names with
    /// [`tenant_key`](RequestOptions::tenant_key). All are kept in the
    /// [`token_cache`](Self::token_cache) and refreshed like a self-built
    /// app's token. Replaces [`app`](Self::app).
    pub fn store_app(mut self, app_id: impl Into<String>, app_secret: impl Into<String>) -> Self {
        self = self.app(app_id, app_secret);
        self.store_app = true;
        self
    }

    /// Where a store app's `app_ticket` is kept (default: in this
    /// process's memory, [`MemoryAppTicketStore`]). Instances sharing one
    /// store (`RedisAppTicketStore` with the `redis` feature) share the
    /// ticket whichever of them received the event.
    pub fn app_ticket_store(mut self, store: Arc<dyn AppTicketStore>) -> Self {
        self.tickets = Some(store);
        self
    }

    /// Where to send calls: [`FEISHU_BASE_URL`] (the default),
    /// [`LARK_BASE_URL`], or any `http(s)` URL (a proxy, a fake server).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sends calls to Lark (international) instead of Feishu.
    pub fn lark(self) -> Self {
        self.base_url(LARK_BASE_URL)
    }

    /// Longest time one attempt may take, from sending to the last byte of
    /// the answer (default 30 s). A call that is retried makes several
    /// attempts; [`deadline`](Self::deadline) bounds the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Longest time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses this HTTP client (its own timeouts, proxy, TLS settings) instead
    /// of building one; [`timeout`](Self::timeout) and
    /// [`connect_timeout`](Self::connect_timeout) are then not applied.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Where tokens are kept (default: in this process's memory).
    pub fn token_cache(mut self, cache: Arc<dyn TokenCache>) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Where users' tokens are kept, for calls made
    /// [`as_user`](RequestOptions::as_user) (default: in this process's
    /// memory, [`MemoryUserTokenStore`]).
    pub fn user_token_store(mut self, store: Arc<dyn UserTokenStore>) -> Self {
        self.user_tokens = Some(store);
        self
    }

    /// How long before its expiry a token is replaced (default 5 min): the
    /// tenant token, and users' tokens for calls made `as_user`.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// How calls are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Longest time one call may take as a whole (default: no bound), for
    /// calls whose [`RequestOptions`] set no [`deadline`](RequestOptions::deadline)
    /// of their own: every attempt, token fetch, wait between retries and
    /// wait for the endpoint's quota
    /// ([`respect_rate_limits`](Self::respect_rate_limits)) included. A call
    /// still running at its deadline returns [`ErrorKind::Timeout`]; the server
    /// may have acted on the attempt cut short.
    ///
    /// [`timeout`](Self::timeout) still bounds each attempt, and the time
    /// left bounds it further. A wait that would end at or past the deadline
    /// is not started: the call returns at once with the last attempt's
    /// error (a rate-limit error whose reset comes too late, for instance),
    /// or with `ErrorKind::Timeout` when it is the first attempt's wait for
    /// the quota.
    ///
    /// Without a deadline, a call to a server that never answers, with a
    /// 1 s timeout and the default three retries, runs four attempts of 1 s
    /// and backs off 0.5 + 1 + 2 s between them (less up to a fifth of
    /// jitter): about 7 s. With `.deadline(Duration::from_secs(2))` it ends
    /// at 2 s. The deadline applies with an [`http_client`](Self::http_client)
    /// of your own too.
    pub fn deadline(mut self, budget: Duration) -> Self {
        self.deadline = Some(budget);
        self
    }

    /// Largest answer body the client reads (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 16 MiB). A longer one is not read
    /// further and the call fails with [`ErrorKind::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Keeps the calls of each endpoint within every quota its doc states
    /// ([`EndpointInfo::rate_limit`]; create chat: 50 per second and 1,000
    /// per minute), by waiting before sending (default off). Calls are
    /// spaced at the per-second rate (one every 20 ms for create chat), and
    /// when the last minute holds the minute's quota the next call waits
    /// until the oldest of them is a minute back. Every attempt takes a
    /// slot, retries included, in the order the calls asked.
    ///
    /// Counts this client and its clones (they share one count per
    /// endpoint), not other clients or processes. The waits count toward
    /// the call's [deadline](Self::deadline): a call whose slot would come
    /// at or after it is not sent, and takes no slot.
    pub fn respect_rate_limits(mut self, respect: bool) -> Self {
        self.respect_rate_limits = respect;
        self
    }

    /// The clock token expiry is judged by (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, BuildError>
    where
        C: From<Client>,
    {
        let base_url = parse_base_url(&self.base_url)?;
        let timeout = self.http.is_none().then_some(self.timeout);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(concat!("feishu-openapi/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(BuildError::Http)?,
        };
        let users = self.app.clone().map(|app| {
            let store = self
                .user_tokens
                .unwrap_or_else(|| Arc::new(MemoryUserTokenStore::new()));
            user_auth::user_tokens(
                app,
                &base_url,
                store,
                Arc::clone(&self.clock),
                self.refresh_margin,
                self.max_response_bytes,
            )
        });
        let cache = self
            .cache
            .unwrap_or_else(|| Arc::new(MemoryTokenCache::new()));
        let keeper = TokenKeeper::new(cache, self.clock, self.refresh_margin);
        let url = |path: &str| {
            let mut url = base_url.clone();
            push_literal_path(&mut url, path);
            url
        };
        let (tokens, store_app) = match self.app {
            Some(app) if self.store_app => {
                let urls = StoreAppUrls {
                    app_token: url(APP_TOKEN_PATH),
                    tenant_token: url(STORE_TENANT_TOKEN_PATH),
                    resend: url(TICKET_RESEND_PATH),
                };
                let tickets = self
                    .tickets
                    .unwrap_or_else(|| Arc::new(MemoryAppTicketStore::new()));
                let store_app =
                    StoreAppTokens::new(app, urls, keeper, tickets, self.max_response_bytes);
                (None, Some(store_app))
            }
            Some(app) => {
                let tokens =
                    TokenManager::new(app, url(TENANT_TOKEN_PATH), keeper, self.max_response_bytes);
                (Some(tokens), None)
            }
            None => (None, None),
        };
        let client = Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                tokens,
                store_app,
                users,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                limiter: self.respect_rate_limits.then(RateLimiter::default),
                deadline: self.deadline,
                timeout,
            }),
        };
        Ok(client.into())
    }
}

fn parse_base_url(text: &str) -> Result<reqwest::Url, BuildError> {
    let invalid = || BuildError::InvalidBaseUrl(text.to_owned());
    let mut url = reqwest::Url::parse(text).map_err(|_| invalid())?;
    // Credentials in the URL would show wherever the URL does.
    if !matches!(url.scheme(), "http" | "https")
        || url.query().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(invalid());
    }
    url.path_segments_mut()
        .map_err(|_| invalid())?
        .pop_if_empty();
    Ok(url)
}

fn push_literal_path(url: &mut reqwest::Url, path: &str) {
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.extend(path.split('/').filter(|segment| !segment.is_empty()));
    }
}

/// How a failed attempt may be retried.
enum Verdict {
    /// The server refused the call for its rate; safe to send again.
    RateLimited(Option<Duration>),
    /// Nothing reached the server; safe to send again.
    NotSent,
    /// The server may have acted; only safe for idempotent calls.
    Ambiguous,
    /// The token the client manages was rejected.
    InvalidToken(String),
    /// A 2xx answer that is cut short or not of the documented shape: the
    /// server acted, so only a call with an idempotency key may repeat.
    UndecodableSuccess,
    /// Retrying would not help.
    Final,
}

/// What one call sends on every attempt.
pub(crate) struct Sent<'a> {
    endpoint: &'static EndpointInfo,
    url: &'a reqwest::Url,
    body: &'a Payload<'a>,
    /// Whether the call carries an idempotency key.
    keyed: bool,
    options: &'a RequestOptions,
}

/// A call checked and encoded, ready for its attempts.
pub(crate) struct Prepared<'b> {
    url: reqwest::Url,
    payload: Payload<'b>,
    idempotency_key: Option<String>,
}

/// A call's body, as every attempt sends it.
pub(crate) enum Payload<'b> {
    None,
    /// JSON, encoded once.
    Json(Vec<u8>),
    /// `multipart/form-data`, whose files each attempt reads afresh.
    Form(&'b (dyn Form + Sync)),
}

impl<'b> Prepared<'b> {
    /// What each attempt sends.
    pub(crate) fn sent<'a>(
        &'a self,
        endpoint: &'static EndpointInfo,
        options: &'a RequestOptions,
    ) -> Sent<'a> {
        Sent {
            endpoint,
            url: &self.url,
            body: &self.payload,
            keyed: self.idempotency_key.is_some(),
            options,
        }
    }
}

/// What a successful attempt yields, read from its answer: the decoded
/// `data` with the answer (a JSON endpoint), or a file as it arrives (see
/// `download.rs`). A failure carries no token yet; the attempt adds it.
pub(crate) trait Outcome<E: ErrorCode>: Sized {
    /// Whether the body is read after the attempt, as it arrives (a file).
    const STREAMS: bool = false;

    fn read(
        response: reqwest::Response,
        max_bytes: usize,
    ) -> impl Future<Output = Result<Self, Failure<E>>>;
}

impl<R: DeserializeOwned, E: ErrorCode> Outcome<E> for (R, Answer) {
    async fn read(response: reqwest::Response, max_bytes: usize) -> Result<Self, Failure<E>> {
        let answer = read_answer(response, max_bytes).await?;
        match answer.result() {
            Ok(data) => Ok((data, answer)),
            Err(error) => Err(Failure::of_answer(error, &answer.headers)),
        }
    }
}

/// One failed attempt.
pub(crate) struct Failure<E: ErrorCode> {
    error: ErrorKind<E>,
    reset: Option<Duration>,
    managed_token: Option<String>,
}

impl<E: ErrorCode> Failure<E> {
    /// A failure the server answered, with the wait its headers ask for.
    pub(crate) fn of_answer(error: ErrorKind<E>, headers: &HeaderMap) -> Self {
        Self {
            error,
            reset: server_reset(headers),
            managed_token: None,
        }
    }
}

impl<E: ErrorCode> From<ErrorKind<E>> for Failure<E> {
    fn from(error: ErrorKind<E>) -> Self {
        Self {
            error,
            reset: None,
            managed_token: None,
        }
    }
}

impl Client {
    /// A client for a self-built app on Feishu, with default settings.
    pub fn new(
        app_id: impl Into<String>,
        app_secret: impl Into<String>,
    ) -> Result<Self, BuildError> {
        Self::builder().app(app_id, app_secret).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// User authorization: the authorization URL, the code exchange and
    /// the tokens calls made `as_user` use. `None` without app credentials,
    /// which the token endpoint needs.
    pub fn user_auth(&self) -> Option<UserAuth<'_>> {
        let users = self.inner.users.as_ref()?;
        Some(UserAuth::new(&self.inner.http, users))
    }

    /// Hands the client an event its webhook (or long connection)
    /// received: an `app_ticket` event for this client's store app is
    /// stored in its [`AppTicketStore`], and `true` returned; any other
    /// event, or any event for a client that is not a store app's, gives
    /// `false`. Call it for every event, before dispatching the rest.
    ///
    /// ```no_run
    /// # async fn demo(client: feishu_openapi::Client, event: feishu_openapi::events::Event) {
    /// if client.accept_app_ticket(&event).await.unwrap_or(false) {
    ///     return; // the ticket is in; nothing else to do with this event
    /// }
    /// # }
    /// ```
    pub async fn accept_app_ticket(
        &self,
        event: &crate::events::Event,
    ) -> Result<bool, CacheError> {
        match &self.inner.store_app {
            Some(store_app) => store_app.accept(event).await,
            None => Ok(false),
        }
    }

    /// Calls any endpoint with caller-supplied types, for endpoints this
    /// crate does not generate yet; the generated builders' `send` calls it
    /// too.
    ///
    /// Runs `query` and `body` validation first, fills `:name` path segments
    /// from `path_params`, sends the endpoint's idempotency key (the one in
    /// `options`, else the query's, else a new one), authenticates, retries
    /// as configured, and decodes the answer's `data` into `R`. `E` names the
    /// endpoint's documented error codes
    /// ([`NoDocumentedCodes`](crate::NoDocumentedCodes) if none).
    pub async fn call<Q, B, R, E>(
        &self,
        endpoint: &'static EndpointInfo,
        path_params: &[(&'static str, &str)],
        query: &Q,
        body: Option<&B>,
        options: &RequestOptions,
    ) -> Result<Response<R>, Error<E>>
    where
        Q: QueryParams + Validate,
        B: Serialize + Validate,
        R: DeserializeOwned,
        E: ErrorCode,
    {
        let prepared = self.prepare_json(endpoint, path_params, query, body, options)?;
        self.send_prepared(endpoint, prepared, options).await
    }

    /// Calls an endpoint whose body holds a file: as [`call`](Self::call),
    /// but the body goes out as `multipart/form-data`, its file streamed
    /// (see [`upload`](crate::upload)). The generated builders' `send` calls
    /// it for such endpoints.
    pub async fn call_form<Q, B, R, E>(
        &self,
        endpoint: &'static EndpointInfo,
        path_params: &[(&'static str, &str)],
        query: &Q,
        body: &B,
        options: &RequestOptions,
    ) -> Result<Response<R>, Error<E>>
    where
        Q: QueryParams + Validate,
        B: Form + Validate + Sync,
        R: DeserializeOwned,
        E: ErrorCode,
    {
        let mut prepared = self.prepare(endpoint, path_params, query, Some(body), options)?;
        prepared.payload = Payload::Form(body);
        self.send_prepared(endpoint, prepared, options).await
    }

    async fn send_prepared<R, E>(
        &self,
        endpoint: &'static EndpointInfo,
        prepared: Prepared<'_>,
        options: &RequestOptions,
    ) -> Result<Response<R>, Error<E>>
    where
        R: DeserializeOwned,
        E: ErrorCode,
    {
        let span = tracing::debug_span!("feishu_call", endpoint = endpoint.id);
        let sent = prepared.sent(endpoint, options);
        match self.send_with_retries(sent).instrument(span).await {
            Ok((data, answer)) => Ok(Response::new(data, answer, prepared.idempotency_key)),
            Err(kind) => Err(Error::new(kind, prepared.idempotency_key)),
        }
    }

    /// How long one attempt may wait: the call's `timeout`, else the
    /// client's (none known for an HTTP client the caller gave).
    pub(crate) fn attempt_limit(&self, options: &RequestOptions) -> Option<Duration> {
        options.timeout.or(self.inner.timeout)
    }

    /// How many times a failed attempt is sent again.
    pub(crate) fn max_retries(&self) -> u32 {
        self.inner.retry.max_retries
    }

    /// [`prepare`](Self::prepare), with `body`, if any, encoded as JSON.
    pub(crate) fn prepare_json<Q, B, E>(
        &self,
        endpoint: &'static EndpointInfo,
        path_params: &[(&'static str, &str)],
        query: &Q,
        body: Option<&B>,
        options: &RequestOptions,
    ) -> Result<Prepared<'static>, Error<E>>
    where
        Q: QueryParams + Validate,
        B: Serialize + Validate,
        E: ErrorCode,
    {
        let checks = body.map(|b| b as &dyn Validate);
        let mut prepared = self.prepare(endpoint, path_params, query, checks, options)?;
        if let Some(body) = body {
            match serde_json::to_vec(body) {
                Ok(json) => prepared.payload = Payload::Json(json),
                Err(error) => {
                    return Err(Error::new(
                        ErrorKind::Encode(error),
                        prepared.idempotency_key,
                    ));
                }
            }
        }
        Ok(prepared)
    }

    /// What every attempt of a call sends, checked before anything is:
    /// the limits of `query` and `body`, the path, the token the options
    /// give, the idempotency key; the body is the caller's to set.
    pub(crate) fn prepare<Q, E>(
        &self,
        endpoint: &'static EndpointInfo,
        path_params: &[(&'static str, &str)],
        query: &Q,
        body: Option<&dyn Validate>,
        options: &RequestOptions,
    ) -> Result<Prepared<'static>, Error<E>>
    where
        Q: QueryParams + Validate,
        E: ErrorCode,
    {
        let mut violations = Vec::new();
        query.validate("query", &mut violations);
        if let Some(body) = body {
            body.validate("body", &mut violations);
        }
        let mut url = self.endpoint_url(endpoint, path_params, &mut violations);
        if !violations.is_empty() {
            return Err(ErrorKind::Validation(violations).into());
        }
        // An endpoint that takes only users' tokens acts as a user: a
        // tenant token there would act as the app instead, or be refused
        // after using up an attempt and a quota slot. (A user's token where
        // the page lists only the tenant's is the caller's explicit choice,
        // and goes out.)
        if options.gives_tenant_token() && !takes_given_tenant_token(endpoint) {
            return Err(ErrorKind::TokenNotAccepted {
                endpoint: endpoint.id,
                given: AccessTokenKind::Tenant,
                accepted: endpoint.access_tokens,
            }
            .into());
        }

        // A store app's tenant token is per tenant: without one named, the
        // call cannot pick it.
        if self.store_app_tenant_token(endpoint, options) && options.tenant_key.is_none() {
            return Err(ErrorKind::MissingTenantKey {
                endpoint: endpoint.id,
            }
            .into());
        }

        let mut pairs = Vec::new();
        query.append_to(&mut pairs);
        let idempotency_key = endpoint.idempotency_key.map(|name| {
            // The doc: no value means no deduplication. An empty one, in the
            // query or the options, must not pass for a key that makes a
            // resend safe.
            let given = pairs
                .iter()
                .position(|(pair, _)| *pair == name)
                .map(|at| pairs.remove(at).1)
                .filter(|value| !value.is_empty());
            // The same key on every attempt, and in the error or response,
            // lets the server drop repeats, the client's and the caller's.
            let key = options
                .idempotency_key
                .clone()
                .filter(|key| !key.is_empty())
                .or(given)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            pairs.push((name, key.clone()));
            key
        });
        if !pairs.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(pairs.iter().map(|(name, value)| (*name, value.as_str())));
        }
        Ok(Prepared {
            url,
            payload: Payload::None,
            idempotency_key,
        })
    }

    /// Sends attempts until one succeeds, retrying is neither safe nor
    /// allowed any more, or the call's deadline comes.
    pub(crate) async fn send_with_retries<O, E>(&self, sent: Sent<'_>) -> Result<O, ErrorKind<E>>
    where
        O: Outcome<E>,
        E: ErrorCode,
    {
        // A budget too large for the clock is no bound at all.
        let deadline = sent
            .options
            .deadline
            .or(self.inner.deadline)
            .and_then(|budget| Instant::now().checked_add(budget));
        let retrying = self.retry_until(sent, deadline);
        let Some(deadline) = deadline else {
            return retrying.await;
        };
        // Waits that would end past the deadline are not started (below);
        // this cuts what is in flight at it: an attempt, its token fetch.
        tokio::time::timeout_at(deadline, retrying)
            .await
            .unwrap_or_else(|_| {
                tracing::warn!("the call's deadline passed; giving up");
                Err(ErrorKind::Timeout)
            })
    }

    /// The retry loop of [`send_with_retries`](Self::send_with_retries).
    async fn retry_until<O, E>(
        &self,
        sent: Sent<'_>,
        deadline: Option<Instant>,
    ) -> Result<O, ErrorKind<E>>
    where
        O: Outcome<E>,
        E: ErrorCode,
    {
        let Sent {
            endpoint,
            url,
            body,
            keyed,
            options,
        } = sent;
        let idempotent = keyed || endpoint.method.is_idempotent();
        let mut retries = 0;
        let mut token_replaced = false;
        // The error of the attempt before, returned if the next cannot start
        // in time.
        let mut last_error = None;
        loop {
            if let Some(limiter) = &self.inner.limiter
                && limiter.wait(endpoint, deadline).await.is_err()
            {
                tracing::warn!("no slot of the endpoint's quota before the deadline; not sending");
                return Err(last_error.unwrap_or(ErrorKind::Timeout));
            }
            let failure = match self.attempt(endpoint, url, body, options).await {
                Ok(done) => return Ok(done),
                // A file from a reader cannot be sent again: the attempt
                // before says what went wrong.
                Err(Failure {
                    error: ErrorKind::Read(error),
                    ..
                }) => {
                    tracing::warn!(%error, "the file to upload cannot be sent again; not retrying");
                    return Err(last_error.unwrap_or(ErrorKind::Read(error)));
                }
                Err(failure) => failure,
            };
            let verdict = classify(
                &failure.error,
                failure.reset,
                failure.managed_token.as_ref(),
                endpoint,
            );
            let retry_after = match verdict {
                Verdict::InvalidToken(token) if !token_replaced => {
                    token_replaced = true;
                    tracing::info!(
                        code = failure.error.api().map(|api| api.code),
                        "token rejected; fetching a new one"
                    );
                    let app_too = failure
                        .error
                        .api()
                        .is_some_and(|api| api.code == INVALID_APP_TOKEN_CODE);
                    self.forget_token(&token, options, app_too).await;
                    last_error = Some(failure.error);
                    continue;
                }
                Verdict::RateLimited(reset) => Some(reset),
                Verdict::NotSent => Some(None),
                Verdict::Ambiguous if idempotent => Some(None),
                // The server acted, but its answer was lost on the way; the
                // key makes sending again return the same result.
                Verdict::UndecodableSuccess if keyed => Some(None),
                Verdict::Ambiguous
                | Verdict::UndecodableSuccess
                | Verdict::InvalidToken(_)
                | Verdict::Final => None,
            };
            match retry_after {
                Some(reset) if retries < self.inner.retry.max_retries => {
                    retries += 1;
                    let Some(delay) = self.inner.retry.wait(retries, reset, random_unit()) else {
                        tracing::warn!(
                            ?reset,
                            max_delay = ?self.inner.retry.max_delay,
                            "the server's reset is past max_delay; not retrying"
                        );
                        return Err(failure.error);
                    };
                    // Waiting past the deadline would only end in a timeout;
                    // the caller learns more from this error, and sooner.
                    if let Some(deadline) = deadline
                        && Instant::now()
                            .checked_add(delay)
                            .is_none_or(|end| end >= deadline)
                    {
                        tracing::warn!(
                            ?delay,
                            "the wait before a retry would end past the call's deadline; not retrying"
                        );
                        return Err(failure.error);
                    }
                    tracing::warn!(retry = retries, ?delay, error = %failure.error, "retrying");
                    tokio::time::sleep(delay).await;
                    last_error = Some(failure.error);
                }
                _ => return Err(failure.error),
            }
        }
    }

    async fn attempt<O, E>(
        &self,
        endpoint: &'static EndpointInfo,
        url: &reqwest::Url,
        body: &Payload<'_>,
        options: &RequestOptions,
    ) -> Result<O, Failure<E>>
    where
        O: Outcome<E>,
        E: ErrorCode,
    {
        // An endpoint that takes no token (`access_tokens` empty) goes out
        // without one, whatever the options name.
        let token = if endpoint.access_tokens.is_empty() {
            None
        } else {
            Some(self.token(endpoint, options).await?)
        };
        let method = match endpoint.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut request = self.inner.http.request(method, url.clone());
        // Most calls add no headers: skip copying an empty map.
        if !options.headers.is_empty() {
            let mut headers = options.headers.clone();
            headers.remove(AUTHORIZATION);
            headers.remove(CONTENT_TYPE);
            request = request.headers(headers);
        }
        if let Some(id) = &options.request_id {
            request = request.header(REQUEST_ID, id);
        }
        // A file going either way may take longer than a call: the total
        // timeout would cut it. An upload is bounded only by the call's own
        // `timeout`; a download's wait for its headers is bounded here, and
        // each chunk's by the `Download`.
        let limit = self.attempt_limit(options);
        let total = if O::STREAMS {
            Some(FILE_TRANSFER_LIMIT)
        } else if matches!(body, Payload::Form(_)) {
            Some(options.timeout.unwrap_or(FILE_TRANSFER_LIMIT))
        } else {
            options.timeout
        };
        if let Some(total) = total {
            request = request.timeout(total);
        }
        let mut managed_token = None;
        if let Some((token, managed)) = token {
            let Some(authorization) = bearer(&token) else {
                // Nothing was sent. A token the client fetched is useless to
                // every call: drop it, so the next call fetches another.
                if managed {
                    self.forget_token(&token, options, false).await;
                }
                return Err(ErrorKind::InvalidAccessToken {
                    fetched_by_client: managed,
                }
                .into());
            };
            request = request.header(AUTHORIZATION, authorization);
            managed_token = managed.then_some(token);
        }
        request = match body {
            Payload::None => request.header(CONTENT_TYPE, JSON_CONTENT_TYPE),
            Payload::Json(json) => request
                .header(CONTENT_TYPE, JSON_CONTENT_TYPE)
                .body(json.clone()),
            // reqwest writes the multipart type with its boundary.
            Payload::Form(form) => request.multipart(
                crate::upload::multipart_form(*form)
                    .await
                    .map_err(ErrorKind::Read)?,
            ),
        };
        tracing::debug!(
            method = endpoint.method.as_str(),
            path = url.path(),
            "sending"
        );
        let response = match (O::STREAMS, limit) {
            (true, Some(limit)) => match tokio::time::timeout(limit, request.send()).await {
                Ok(sent) => sent,
                Err(_) => return Err(ErrorKind::Timeout.into()),
            },
            _ => request.send().await,
        };
        let response = response.map_err(transport_error)?;
        tracing::debug!(
            status = response.status().as_u16(),
            log_id = log_id(response.headers()),
            "answered"
        );
        O::read(response, self.inner.max_response_bytes)
            .await
            .map_err(|failure| Failure {
                managed_token,
                ..failure
            })
    }

    /// The token for one attempt, and whether the client manages it.
    async fn token<E: ErrorCode>(
        &self,
        endpoint: &'static EndpointInfo,
        options: &RequestOptions,
    ) -> Result<(String, bool), ErrorKind<E>> {
        // An explicit user token, then the stored token of `as_user`, then
        // an explicit tenant token.
        if let Some(token) = &options.user_access_token {
            return Ok((token.clone(), false));
        }
        if let Some(user_id) = &options.user {
            let Some(users) = &self.inner.users else {
                return Err(ErrorKind::UserAuth(
                    user_auth::UserAuthError::MissingAppCredentials,
                ));
            };
            return match users.token(&self.inner.http, user_id).await {
                Ok(token) => Ok((token, true)),
                Err(error) => Err(ErrorKind::UserAuth(error)),
            };
        }
        if let Some(token) = &options.tenant_access_token {
            return Ok((token.clone(), false));
        }
        if let (Some(store_app), Some(tenant_key)) = (&self.inner.store_app, &options.tenant_key)
            && accepts(endpoint, AccessTokenKind::Tenant)
        {
            return match store_app.tenant_token(&self.inner.http, tenant_key).await {
                Ok(token) => Ok((token, true)),
                Err(error) => Err(ErrorKind::Auth(Box::new(error))),
            };
        }
        if self.store_app_tenant_token(endpoint, options) {
            return Err(ErrorKind::MissingTenantKey {
                endpoint: endpoint.id,
            });
        }
        match &self.inner.tokens {
            Some(tokens) if accepts(endpoint, AccessTokenKind::Tenant) => {
                match tokens.token(&self.inner.http).await {
                    Ok(token) => Ok((token, true)),
                    Err(error) => Err(ErrorKind::Auth(Box::new(error))),
                }
            }
            _ => Err(ErrorKind::MissingAccessToken {
                endpoint: endpoint.id,
            }),
        }
    }

    /// Whether the call would go out with a store app's tenant token: no
    /// token or user in the options, and an endpoint taking tenant tokens.
    fn store_app_tenant_token(&self, endpoint: &EndpointInfo, options: &RequestOptions) -> bool {
        self.inner.store_app.is_some()
            && options.user_access_token.is_none()
            && options.user.is_none()
            && options.tenant_access_token.is_none()
            && accepts(endpoint, AccessTokenKind::Tenant)
    }

    /// Drops a token the client obtained itself after it proved unusable,
    /// so the next attempt gets another: the user's for calls `as_user`,
    /// else the tenant token (a store app's: the tenant's, and its app
    /// token too when `app_too`).
    async fn forget_token(&self, token: &str, options: &RequestOptions, app_too: bool) {
        if let Some(user_id) = &options.user {
            if let Some(users) = &self.inner.users {
                users.invalidate(user_id, token);
            }
            return;
        }
        if let Some(tokens) = &self.inner.tokens {
            tokens.invalidate(token).await;
        }
        if let (Some(store_app), Some(tenant_key)) = (&self.inner.store_app, &options.tenant_key) {
            store_app.invalidate(tenant_key, token, app_too).await;
        }
    }

    fn endpoint_url(
        &self,
        endpoint: &EndpointInfo,
        path_params: &[(&'static str, &str)],
        violations: &mut Vec<Violation>,
    ) -> reqwest::Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            for segment in endpoint
                .path
                .split('/')
                .filter(|segment| !segment.is_empty())
            {
                let Some(name) = segment.strip_prefix(':') else {
                    segments.push(segment);
                    continue;
                };
                match path_params.iter().find(|(param, _)| *param == name) {
                    // `push` percent-encodes, so a value cannot add segments.
                    Some((_, value)) if !value.is_empty() => {
                        segments.push(value);
                    }
                    _ => violations.push(Violation {
                        field: format!("path.{name}"),
                        limit: Limit::Required,
                        when: None,
                        code: None,
                    }),
                }
            }
        }
        url
    }
}

/// Whether the endpoint takes tokens of `kind`; one that lists none takes
/// no token at all (the token endpoints themselves).
fn accepts(endpoint: &EndpointInfo, kind: AccessTokenKind) -> bool {
    endpoint.access_tokens.contains(&kind)
}

/// Whether the endpoint takes a token given as the tenant's, which may be
/// an `app_access_token`: the options have no setter of their own for one.
fn takes_given_tenant_token(endpoint: &EndpointInfo) -> bool {
    accepts(endpoint, AccessTokenKind::Tenant) || accepts(endpoint, AccessTokenKind::App)
}

fn classify<E: ErrorCode>(
    error: &ErrorKind<E>,
    reset: Option<Duration>,
    managed_token: Option<&String>,
    endpoint: &EndpointInfo,
) -> Verdict {
    match error {
        ErrorKind::Api(api) if INVALID_TOKEN_CODES.contains(&api.code) => match managed_token {
            Some(token) => Verdict::InvalidToken(token.clone()),
            None => Verdict::Final,
        },
        ErrorKind::Api(api)
            if api.http_status == 429
                || api.code == RATE_LIMITED_CODE
                || endpoint.rate_limited_codes.contains(&api.code) =>
        {
            Verdict::RateLimited(reset)
        }
        ErrorKind::Api(api) if api.http_status >= 500 => Verdict::Ambiguous,
        ErrorKind::HttpStatus { status: 429, .. } => Verdict::RateLimited(reset),
        ErrorKind::HttpStatus { status, .. } if *status >= 500 => Verdict::Ambiguous,
        ErrorKind::Transport(error) if error.is_connect() => Verdict::NotSent,
        ErrorKind::Transport(_) | ErrorKind::Timeout => Verdict::Ambiguous,
        ErrorKind::Decode { status, .. } if (200..300).contains(status) => {
            Verdict::UndecodableSuccess
        }
        ErrorKind::SharedTokenFetchFailed {
            retryable: true, ..
        } => Verdict::NotSent,
        // Feishu pushes the ticket at once when asked: a retry may find it.
        ErrorKind::AppTicketAwaited | ErrorKind::AppTicketStore(_) => Verdict::NotSent,
        // A user token refresh that failed for now; the call was not sent.
        ErrorKind::UserAuth(error) if error.is_retryable() => Verdict::NotSent,
        // The call itself was not sent; only the token fetch failed.
        // A token answer of the wrong shape will not change on a repeat.
        ErrorKind::Auth(inner) => match classify(inner, None, None, endpoint) {
            Verdict::Final | Verdict::InvalidToken(_) | Verdict::UndecodableSuccess => {
                Verdict::Final
            }
            _ => Verdict::NotSent,
        },
        _ => Verdict::Final,
    }
}

/// The token endpoint, so its failures are judged like any call's.
static TOKEN_ENDPOINT: EndpointInfo = EndpointInfo {
    id: "auth.v3.tenant_access_token.internal",
    method: Method::Post,
    path: TENANT_TOKEN_PATH,
    access_tokens: &[],
    idempotency_key: None,
    rate_limit: None,
    rate_limited_codes: &[],
};

/// Whether a failed token fetch is worth another attempt later.
pub(crate) fn retryable_token_failure(error: &ErrorKind) -> bool {
    !matches!(
        classify(error, None, None, &TOKEN_ENDPOINT),
        Verdict::Final | Verdict::InvalidToken(_) | Verdict::UndecodableSuccess
    )
}

/// `Bearer <token>` as a sensitive header value (kept out of reqwest's and
/// hyper's debug output), or `None` when the token holds characters a header
/// cannot carry.
fn bearer(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Sends `request` and reads the whole answer, but no more than
/// `max_bytes` of body.
pub(crate) async fn send<E: ErrorCode>(
    request: reqwest::RequestBuilder,
    max_bytes: usize,
) -> Result<Answer, ErrorKind<E>> {
    read_answer(request.send().await.map_err(transport_error)?, max_bytes).await
}

/// Reads the whole answer, but no more than `max_bytes` of body.
pub(crate) async fn read_answer<E: ErrorCode>(
    mut response: reqwest::Response,
    max_bytes: usize,
) -> Result<Answer, ErrorKind<E>> {
    let status = response.status().as_u16();
    // Taken rather than cloned: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    let too_large = |headers: &HeaderMap| ErrorKind::ResponseTooLarge {
        status,
        limit: max_bytes,
        log_id: log_id(headers),
    };
    let declared = response.content_length().unwrap_or(0);
    if declared > max_bytes as u64 {
        return Err(too_large(&headers));
    }
    // Read in chunks, stopping at the limit: a huge answer costs at most
    // `max_bytes` of memory.
    let mut body = Vec::with_capacity(declared as usize);
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if chunk.len() > max_bytes - body.len() {
            return Err(too_large(&headers));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

pub(crate) fn transport_error<E: ErrorCode>(error: reqwest::Error) -> ErrorKind<E> {
    if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport(error)
    }
}
