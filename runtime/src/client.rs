//! The client every generated endpoint method runs through.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::{Serialize, de::DeserializeOwned};
use tracing::Instrument;

use crate::auth::{AppCredentials, INVALID_TOKEN_CODES, TENANT_TOKEN_PATH, TokenManager};
use crate::cache::{MemoryTokenCache, TokenCache};
use crate::clock::{Clock, SystemClock};
use crate::endpoint::{AccessTokenKind, EndpointInfo, Method};
use crate::error::{Error, ErrorCode};
use crate::query::QueryParams;
use crate::rate_limit::RateLimiter;
use crate::response::Answer;
use crate::retry::{RetryPolicy, random_unit, server_reset};
use crate::user_auth::{self, MemoryUserTokenStore, UserAuth, UserTokenStore, UserTokens};
use crate::validate::{Limit, Validate, Violation};

/// Base URL of Feishu (China).
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";
/// Base URL of Lark (international).
pub const LARK_BASE_URL: &str = "https://open.larksuite.com";

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
    users: Option<UserTokens>,
    retry: RetryPolicy,
    max_response_bytes: usize,
    limiter: Option<RateLimiter>,
}

/// Configures a [`Client`]; start with [`Client::builder`].
///
/// `C` is what [`build`](Self::build) returns: this crate's [`Client`], or a
/// type wrapping it. `feishu-openapi` wraps it in its own `Client`, which adds
/// the generated endpoint methods (an inherent impl on a type of another
/// crate is not allowed), and builds that with this same builder.
pub struct ClientBuilder<C = Client> {
    app: Option<AppCredentials>,
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
    builds: PhantomData<fn() -> C>,
}

/// Default for [`ClientBuilder::max_response_bytes`]: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app", &self.app)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("cache", &self.cache)
            .field("user_tokens", &self.user_tokens)
            .field("refresh_margin", &self.refresh_margin)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("respect_rate_limits", &self.respect_rate_limits)
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
    /// the answer (default 30 s).
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

    /// Largest answer body the client reads (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 16 MiB). A longer one is not read
    /// further and the call fails with [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Spaces the calls of each endpoint to the quota its doc states
    /// ([`EndpointInfo::rate_limit`], e.g. 50 per second for create chat), by
    /// waiting before sending (default off). Counts this client and its
    /// clones only, not other processes.
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
        let tokens = self.app.map(|app| {
            let mut url = base_url.clone();
            push_literal_path(&mut url, TENANT_TOKEN_PATH);
            let cache = self
                .cache
                .unwrap_or_else(|| Arc::new(MemoryTokenCache::new()));
            TokenManager::new(
                app,
                url,
                cache,
                self.clock,
                self.refresh_margin,
                self.max_response_bytes,
            )
        });
        let client = Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                tokens,
                users,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                limiter: self.respect_rate_limits.then(RateLimiter::default),
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

/// Options for one call.
#[derive(Clone, Default)]
pub struct RequestOptions {
    tenant_access_token: Option<String>,
    user_access_token: Option<String>,
    headers: HeaderMap,
    request_id: Option<String>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    user: Option<String>,
    idempotency_key: Option<String>,
}

impl fmt::Debug for RequestOptions {
    // Tokens and header values may be credentials: only their presence and
    // the header names are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |token: &Option<String>| token.as_ref().map(|_| "<redacted>");
        f.debug_struct("RequestOptions")
            .field("tenant_access_token", &redacted(&self.tenant_access_token))
            .field("user_access_token", &redacted(&self.user_access_token))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("request_id", &self.request_id)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("user", &self.user)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

impl RequestOptions {
    /// No options: the client's own tenant token, no extra headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends this `tenant_access_token` (e.g. a store app's token for one
    /// tenant) instead of the client's own.
    pub fn tenant_access_token(mut self, token: impl Into<String>) -> Self {
        self.tenant_access_token = Some(token.into());
        self
    }

    /// Calls as a user, with this `user_access_token`; it takes precedence
    /// over any tenant token.
    pub fn user_access_token(mut self, token: impl Into<String>) -> Self {
        self.user_access_token = Some(token.into());
        self
    }

    /// Adds a header to the call. `Authorization` and `Content-Type` are set
    /// by the client and cannot be overridden here.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sends `X-Request-Id: <id>`, to find the call in logs on both sides.
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Overrides the client's timeout for each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bounds the whole call, every attempt and every wait between them
    /// included; the per-attempt timeout still applies inside it.
    pub fn deadline(mut self, budget: Duration) -> Self {
        self.deadline = Some(budget);
        self
    }

    /// Calls as the user `user_id`, with the `user_access_token` the
    /// client's user token store holds for them (refreshed when due).
    pub fn as_user(mut self, user_id: impl Into<String>) -> Self {
        self.user = Some(user_id.into());
        self
    }

    /// The idempotency key to send on endpoints that have one (create
    /// chat's `uuid`): resending with the key of a failed call cannot act
    /// twice.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    fn explicit_token(&self) -> Option<&str> {
        self.user_access_token
            .as_deref()
            .or(self.tenant_access_token.as_deref())
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
    /// Retrying would not help.
    Final,
}

/// One failed attempt.
struct Failure<E: ErrorCode> {
    error: Error<E>,
    reset: Option<Duration>,
    managed_token: Option<String>,
}

impl<E: ErrorCode> From<Error<E>> for Failure<E> {
    fn from(error: Error<E>) -> Self {
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

    /// Calls any endpoint with caller-supplied types, for endpoints this
    /// crate does not generate yet; generated methods call it too.
    ///
    /// Runs `query` and `body` validation first, fills `:name` path segments
    /// from `path_params`, authenticates, retries as configured, and decodes
    /// the answer's `data` into `R`. `E` names the endpoint's documented error
    /// codes ([`NoDocumentedCodes`](crate::NoDocumentedCodes) if none).
    pub async fn call<Q, B, R, E>(
        &self,
        endpoint: &'static EndpointInfo,
        path_params: &[(&'static str, &str)],
        query: &Q,
        body: Option<&B>,
        options: &RequestOptions,
    ) -> Result<R, Error<E>>
    where
        Q: QueryParams + Validate,
        B: Serialize + Validate,
        R: DeserializeOwned,
        E: ErrorCode,
    {
        let mut violations = Vec::new();
        query.validate("query", &mut violations);
        if let Some(body) = body {
            body.validate("body", &mut violations);
        }
        let mut url = self.endpoint_url(endpoint, path_params, &mut violations);
        if !violations.is_empty() {
            return Err(Error::Validation(violations));
        }

        let mut pairs = Vec::new();
        query.append_to(&mut pairs);
        let mut idempotent = endpoint.method.is_idempotent();
        if let Some(key) = endpoint.idempotency_key {
            // The doc: no value means no deduplication. An empty one must not
            // pass for a key that makes retries safe.
            pairs.retain(|(name, value)| *name != key || !value.is_empty());
            // The same key on every attempt lets the server drop repeats;
            // without retries a generated key would protect nothing.
            if self.inner.retry.enabled() && !pairs.iter().any(|(name, _)| *name == key) {
                pairs.push((key, uuid::Uuid::new_v4().to_string()));
            }
            idempotent |= pairs.iter().any(|(name, _)| *name == key);
        }
        if !pairs.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(pairs.iter().map(|(name, value)| (*name, value.as_str())));
        }
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(Error::Encode)?;

        let span = tracing::debug_span!("feishu_call", endpoint = endpoint.id);
        self.send_with_retries(endpoint, &url, body.as_deref(), idempotent, options)
            .instrument(span)
            .await
    }

    /// Sends attempts until one succeeds or retrying is neither safe nor
    /// allowed any more.
    async fn send_with_retries<R, E>(
        &self,
        endpoint: &'static EndpointInfo,
        url: &reqwest::Url,
        body: Option<&[u8]>,
        idempotent: bool,
        options: &RequestOptions,
    ) -> Result<R, Error<E>>
    where
        R: DeserializeOwned,
        E: ErrorCode,
    {
        let mut retries = 0;
        let mut token_replaced = false;
        loop {
            let failure = match self.attempt(endpoint, url, body, options).await {
                Ok(data) => return Ok(data),
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
                    self.forget_token(&token, options).await;
                    continue;
                }
                Verdict::RateLimited(reset) => Some(reset),
                Verdict::NotSent => Some(None),
                Verdict::Ambiguous if idempotent => Some(None),
                Verdict::Ambiguous | Verdict::InvalidToken(_) | Verdict::Final => None,
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
                    tracing::warn!(retry = retries, ?delay, error = %failure.error, "retrying");
                    tokio::time::sleep(delay).await;
                }
                _ => return Err(failure.error),
            }
        }
    }

    async fn attempt<R, E>(
        &self,
        endpoint: &'static EndpointInfo,
        url: &reqwest::Url,
        body: Option<&[u8]>,
        options: &RequestOptions,
    ) -> Result<R, Failure<E>>
    where
        R: DeserializeOwned,
        E: ErrorCode,
    {
        let (token, managed) = self.token(endpoint, options).await?;
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
        if let Some(timeout) = options.timeout {
            request = request.timeout(timeout);
        }
        let Some(authorization) = bearer(&token) else {
            // Nothing was sent. A token the client fetched is useless to
            // every call: drop it, so the next call fetches another.
            if managed {
                self.forget_token(&token, options).await;
            }
            return Err(Error::InvalidAccessToken {
                fetched_by_client: managed,
            }
            .into());
        };
        request = request
            .header(AUTHORIZATION, authorization)
            .header(CONTENT_TYPE, JSON_CONTENT_TYPE);
        if let Some(body) = body {
            request = request.body(body.to_vec());
        }
        tracing::debug!(
            method = endpoint.method.as_str(),
            path = url.path(),
            "sending"
        );
        if let Some(limiter) = &self.inner.limiter {
            limiter.wait(endpoint).await;
        }
        let answer = send(request, self.inner.max_response_bytes).await?;
        tracing::debug!(status = answer.status, log_id = answer.log_id(), "answered");
        answer.result().map_err(|error| Failure {
            error,
            reset: server_reset(&answer.headers),
            managed_token: managed.then(|| token.clone()),
        })
    }

    /// The token for one attempt, and whether the client manages it.
    async fn token<E: ErrorCode>(
        &self,
        endpoint: &'static EndpointInfo,
        options: &RequestOptions,
    ) -> Result<(String, bool), Error<E>> {
        // An explicit user token, then the stored token of `as_user`, then
        // an explicit tenant token.
        if let Some(token) = &options.user_access_token {
            return Ok((token.clone(), false));
        }
        if let Some(user_id) = &options.user {
            let Some(users) = &self.inner.users else {
                return Err(Error::UserAuth(
                    user_auth::UserAuthError::MissingAppCredentials,
                ));
            };
            return match users.token(&self.inner.http, user_id).await {
                Ok(token) => Ok((token, true)),
                Err(error) => Err(Error::UserAuth(error)),
            };
        }
        if let Some(token) = options.explicit_token() {
            return Ok((token.to_owned(), false));
        }
        let accepts_tenant = endpoint.access_tokens.is_empty()
            || endpoint.access_tokens.contains(&AccessTokenKind::Tenant);
        match &self.inner.tokens {
            Some(tokens) if accepts_tenant => match tokens.token(&self.inner.http).await {
                Ok(token) => Ok((token, true)),
                Err(error) => Err(Error::Auth(Box::new(error))),
            },
            _ => Err(Error::MissingAccessToken {
                endpoint: endpoint.id,
            }),
        }
    }

    /// Drops a token the client obtained itself after it proved unusable,
    /// so the next attempt gets another: the user's for calls `as_user`,
    /// else the tenant token.
    async fn forget_token(&self, token: &str, options: &RequestOptions) {
        match (&options.user, &self.inner.users, &self.inner.tokens) {
            (Some(user_id), Some(users), _) => users.invalidate(user_id, token),
            (None, _, Some(tokens)) => tokens.invalidate(token).await,
            _ => {}
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

fn classify<E: ErrorCode>(
    error: &Error<E>,
    reset: Option<Duration>,
    managed_token: Option<&String>,
    endpoint: &EndpointInfo,
) -> Verdict {
    match error {
        Error::Api(api) if INVALID_TOKEN_CODES.contains(&api.code) => match managed_token {
            Some(token) => Verdict::InvalidToken(token.clone()),
            None => Verdict::Final,
        },
        Error::Api(api)
            if api.http_status == 429
                || api.code == RATE_LIMITED_CODE
                || endpoint.rate_limited_codes.contains(&api.code) =>
        {
            Verdict::RateLimited(reset)
        }
        Error::Api(api) if api.http_status >= 500 => Verdict::Ambiguous,
        Error::HttpStatus { status: 429, .. } => Verdict::RateLimited(reset),
        Error::HttpStatus { status, .. } if *status >= 500 => Verdict::Ambiguous,
        Error::Transport(error) if error.is_connect() => Verdict::NotSent,
        Error::Transport(_) | Error::Timeout => Verdict::Ambiguous,
        Error::SharedTokenFetchFailed {
            retryable: true, ..
        } => Verdict::NotSent,
        // The call itself was not sent; only the token fetch failed.
        Error::Auth(inner) => match classify(inner, None, None, endpoint) {
            Verdict::Final | Verdict::InvalidToken(_) => Verdict::Final,
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
pub(crate) fn retryable_token_failure(error: &Error) -> bool {
    !matches!(
        classify(error, None, None, &TOKEN_ENDPOINT),
        Verdict::Final | Verdict::InvalidToken(_)
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
) -> Result<Answer, Error<E>> {
    let mut response = request.send().await.map_err(transport_error)?;
    let status = response.status().as_u16();
    // Taken rather than cloned: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    let too_large = |headers: &HeaderMap| Error::ResponseTooLarge {
        status,
        limit: max_bytes,
        log_id: headers
            .get("x-tt-logid")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
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

fn transport_error<E: ErrorCode>(error: reqwest::Error) -> Error<E> {
    if error.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport(error)
    }
}
