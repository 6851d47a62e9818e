//! The one error type every call returns: what went wrong ([`ErrorKind`])
//! with what a caller needs to act on it (the idempotency key it used).

use std::fmt;

use crate::endpoint::AccessTokenKind;
use crate::user_auth::UserAuthError;
use crate::validate::Violation;

/// What the doc says about one error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The numeric code.
    pub code: i64,
    /// The HTTP status the doc pairs with the code.
    pub http_status: u16,
    /// The server's message, as documented.
    pub message: &'static str,
    /// What the doc advises to do about it.
    pub advice: &'static str,
}

/// An endpoint's documented error codes, as a generated enum.
pub trait ErrorCode: Copy + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The documented variant for a server `code`, if the doc lists it.
    fn from_code(code: i64) -> Option<Self>;
    /// Everything the doc says about this code.
    fn info(self) -> &'static ErrorInfo;
    /// The numeric code.
    fn code(self) -> i64 {
        self.info().code
    }
    /// The HTTP status the doc pairs with the code.
    fn http_status(self) -> u16 {
        self.info().http_status
    }
    /// The server's message, as documented.
    fn message(self) -> &'static str {
        self.info().message
    }
    /// What the doc advises to do about it.
    fn advice(self) -> &'static str {
        self.info().advice
    }
}

/// For calls with no documented codes (the token endpoint, tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoDocumentedCodes {}

impl ErrorCode for NoDocumentedCodes {
    fn from_code(_code: i64) -> Option<Self> {
        None
    }
    fn info(self) -> &'static ErrorInfo {
        match self {}
    }
}

/// A Feishu error answer: the body said `code != 0`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError<E> {
    /// The server's `code`.
    pub code: i64,
    /// The server's `msg`.
    pub msg: String,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// The `X-Tt-Logid` header, which Feishu support asks for.
    pub log_id: Option<String>,
    /// The endpoint's documented variant, with its advice, when the doc
    /// lists the code.
    pub documented: Option<E>,
}

impl<E: ErrorCode> ApiError<E> {
    /// What the endpoint's doc advises for this code, when it lists it.
    pub fn advice(&self) -> Option<&'static str> {
        self.documented.map(ErrorCode::advice)
    }
}

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind<E: ErrorCode = NoDocumentedCodes> {
    /// Limits the doc states were broken; nothing was sent.
    #[error("request breaks documented limits: {}", join(.0))]
    Validation(Vec<Violation>),
    /// Feishu answered with `code != 0`.
    #[error("feishu error {}: {}", .0.code, .0.msg)]
    Api(ApiError<E>),
    /// The request could not be sent or its answer could not be read
    /// (connection refused, reset, TLS, ...).
    #[error("transport failure: {0}")]
    Transport(#[source] reqwest::Error),
    /// No complete answer arrived within the attempt's timeout, or the
    /// call's deadline passed (possibly before anything was sent, waiting
    /// for the endpoint's quota). The server may or may not have acted on
    /// the request.
    #[error("request timed out")]
    Timeout,
    /// The server answered with an HTTP error status and a body that is not
    /// a Feishu JSON answer (a proxy error page, for instance).
    #[error("http status {status} with a non-JSON body")]
    HttpStatus {
        /// HTTP status of the answer.
        status: u16,
        /// The body as received (lossily decoded as UTF-8).
        body: String,
        /// The `X-Tt-Logid` header, if any.
        log_id: Option<String>,
    },
    /// A successful answer whose body does not have the documented shape.
    #[error("cannot decode the answer{}: {message}", at(.path))]
    Decode {
        /// HTTP status of the answer.
        status: u16,
        /// JSON path where decoding failed, when known (e.g. `data.chat_id`).
        path: Option<String>,
        /// What was wrong.
        message: String,
        /// The body as received (lossily decoded as UTF-8).
        body: String,
        /// The `X-Tt-Logid` header, if any.
        log_id: Option<String>,
    },
    /// The request body could not be encoded as JSON.
    #[error("cannot encode the request body: {0}")]
    Encode(#[source] serde_json::Error),
    /// Obtaining a `tenant_access_token` failed; the call itself was not sent.
    #[error("cannot obtain a tenant_access_token: {0}")]
    Auth(#[source] Box<ErrorKind>),
    /// The answer's body is longer than the client's
    /// `max_response_bytes`; the client stopped reading it there. The
    /// server may have acted on the request.
    #[error(
        "the answer (http status {status}) is larger than the client's limit of {limit} bytes (max_response_bytes); it was not read further"
    )]
    ResponseTooLarge {
        /// HTTP status of the answer.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
        /// The `X-Tt-Logid` header, if any.
        log_id: Option<String>,
    },
    /// The access token holds characters an HTTP header cannot carry, so
    /// the call was not sent. A token the client fetched itself is dropped
    /// from the cache, so the next call fetches a new one.
    #[error("the access token is not a valid HTTP header value; nothing was sent")]
    InvalidAccessToken {
        /// Whether the client fetched the token itself (and dropped it), rather
        /// than taking it from the caller's `RequestOptions`.
        fetched_by_client: bool,
    },
    /// Another call's `tenant_access_token` fetch, which this call waited
    /// for instead of fetching itself, failed; it was not repeated for this
    /// call. Comes wrapped in [`ErrorKind::Auth`].
    #[error("the shared token fetch this call waited for failed: {message}")]
    SharedTokenFetchFailed {
        /// The failed fetch's error, as text.
        message: String,
        /// Whether that failure is one the client retries (rate limit,
        /// timeout, connection failure, 5xx).
        retryable: bool,
    },
    /// The call needs an access token the client cannot provide: it has no
    /// app credentials, or the endpoint only accepts a `user_access_token`
    /// and the request options carry none.
    #[error(
        "no access token for {endpoint}: set one in RequestOptions (a user's, with as_user or user_access_token, where the endpoint takes only those) or configure app credentials"
    )]
    MissingAccessToken {
        /// The endpoint's id.
        endpoint: &'static str,
    },
    /// A store app's `app_access_token` needs the `app_ticket` Feishu
    /// pushes, and none is stored yet (or Feishu refused the stored one).
    /// The client asked Feishu to push one again (`app_ticket/resend`,
    /// at most once a minute); it arrives as an `app_ticket` event, for
    /// `Client::accept_app_ticket`. Comes wrapped in [`ErrorKind::Auth`];
    /// the call was not sent, and is retried like a failed token fetch.
    #[error("no app_ticket yet: Feishu was asked to push one (app_ticket event)")]
    AppTicketAwaited,
    /// The store app's [`AppTicketStore`](crate::cache::AppTicketStore)
    /// could not be read. Comes wrapped in [`ErrorKind::Auth`].
    #[error("cannot read the app_ticket store: {0}")]
    AppTicketStore(#[source] crate::cache::CacheError),
    /// A store app's call needs its tenant's `tenant_access_token`, but the
    /// request options name no tenant (`tenant_key`). Nothing was sent.
    #[error(
        "{endpoint} needs a tenant_access_token, and a store app's is per tenant: set tenant_key; nothing was sent"
    )]
    MissingTenantKey {
        /// The endpoint's id.
        endpoint: &'static str,
    },
    /// The request options give a token of a kind the endpoint does not
    /// take: a `tenant_access_token` where only a user's is accepted.
    /// Nothing was sent.
    #[error("{endpoint} does not take a {} (it takes {}); nothing was sent", token_name(*.given), token_names(.accepted))]
    TokenNotAccepted {
        /// The endpoint's id.
        endpoint: &'static str,
        /// The kind the options gave.
        given: AccessTokenKind,
        /// The kinds the endpoint takes.
        accepted: &'static [AccessTokenKind],
    },
    /// Obtaining the `user_access_token` of the user named with
    /// `RequestOptions::as_user` failed; the call itself was not sent.
    /// [`UserAuthError::requires_authorization`] tells whether the user
    /// must authorize the app again.
    #[error("cannot obtain the user's user_access_token: {0}")]
    UserAuth(#[source] UserAuthError),
    /// A list answer said more pages follow (`has_more`) but gave no way to
    /// ask for them: no `page_token`, or one already sent. A page stream
    /// ends with this error after yielding that answer's page, rather than
    /// end as if the list were complete or ask for the same pages forever.
    #[error("{}", no_next_page(.repeated))]
    NoNextPageToken {
        /// The token the answer gave again; `None` when it gave none (or an
        /// empty one).
        repeated: Option<String>,
        /// The `X-Tt-Logid` of that answer, if any.
        log_id: Option<String>,
    },
    /// A download's connection dropped before its end, and asking for the
    /// rest (`Range: bytes=received-`) did not answer exactly it.
    #[error(
        "a download stopped at byte {received} and the server answered HTTP {status}, not the rest, to a Range request"
    )]
    ResumeRefused {
        /// The place in the file of the first byte not received (the bytes
        /// received, unless a part was asked for).
        received: u64,
        /// The status of the answer to the `Range` request.
        status: u16,
        /// Its `X-Tt-Logid`, if any.
        log_id: Option<String>,
    },
    /// Writing a download where the caller asked failed.
    #[error("cannot write the download: {0}")]
    Write(#[source] std::io::Error),
    /// The file to upload could not be read (or, from a reader, was read
    /// by an earlier attempt); the request was not sent.
    #[error("cannot read the file to upload: {0}")]
    Read(#[source] std::io::Error),
}

impl<E: ErrorCode> ErrorKind<E> {
    /// The Feishu error, if the server answered with `code != 0`.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            ErrorKind::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The endpoint's documented error code, when the server answered with
    /// one its page lists.
    pub fn documented(&self) -> Option<E> {
        self.api().and_then(|api| api.documented)
    }

    /// The `X-Tt-Logid` of the answer, if one arrived.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            ErrorKind::Api(api) => api.log_id.as_deref(),
            ErrorKind::HttpStatus { log_id, .. }
            | ErrorKind::Decode { log_id, .. }
            | ErrorKind::ResponseTooLarge { log_id, .. }
            | ErrorKind::NoNextPageToken { log_id, .. }
            | ErrorKind::ResumeRefused { log_id, .. } => log_id.as_deref(),
            ErrorKind::Auth(inner) => inner.log_id(),
            ErrorKind::UserAuth(inner) => inner.log_id(),
            _ => None,
        }
    }
}

/// A failed call: what went wrong, and the idempotency key the call sent.
///
/// Match on [`kind`](Self::kind). `Display` adds the answer's log id (which
/// Feishu support asks for) and the idempotency key to the kind's message.
///
/// A call whose outcome is unknown (a timeout, a lost connection, a 5xx, an
/// answer cut short) may have acted on the server. When the endpoint has an
/// idempotency key (create chat's `uuid`), resending with
/// [`idempotency_key`](Self::idempotency_key) cannot act twice:
///
/// ```no_run
/// # async fn demo(client: feishu_openapi::Client) -> Result<(), feishu_openapi::Error<feishu_openapi::im::v1::chat::create::CreateChatErrorCode>> {
/// let chat = match client.im().v1().chat().create().name("ops").send().await {
///     Ok(chat) => chat,
///     Err(error) => match error.idempotency_key() {
///         Some(key) => {
///             let key = key.to_owned();
///             client.im().v1().chat().create().name("ops").idempotency_key(key).send().await?
///         }
///         None => return Err(error),
///     },
/// };
/// # let _ = chat; Ok(()) }
/// ```
pub struct Error<E: ErrorCode = NoDocumentedCodes> {
    kind: ErrorKind<E>,
    idempotency_key: Option<String>,
}

impl<E: ErrorCode> Error<E> {
    pub(crate) fn new(kind: ErrorKind<E>, idempotency_key: Option<String>) -> Self {
        Self {
            kind,
            idempotency_key,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.kind
    }

    /// The idempotency key the call sent, given or generated: resend with it
    /// and the server acts at most once. `None` when the endpoint has no
    /// idempotency key or the call went without one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The Feishu error, if the server answered with `code != 0`.
    pub fn api(&self) -> Option<&ApiError<E>> {
        self.kind.api()
    }

    /// The endpoint's documented error code, when the server answered with
    /// one its page lists: `match err.documented() { Some(Code::X) => .. }`.
    pub fn documented(&self) -> Option<E> {
        self.kind.documented()
    }

    /// The `X-Tt-Logid` of the answer, if one arrived.
    pub fn log_id(&self) -> Option<&str> {
        self.kind.log_id()
    }
}

impl<E: ErrorCode> From<ErrorKind<E>> for Error<E> {
    fn from(kind: ErrorKind<E>) -> Self {
        Self::new(kind, None)
    }
}

impl<E: ErrorCode> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(log_id) = self.log_id() {
            write!(f, " (log id {log_id})")?;
        }
        if let Some(key) = &self.idempotency_key {
            write!(f, " (idempotency key {key})")?;
        }
        Ok(())
    }
}

impl<E: ErrorCode> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

impl<E: ErrorCode> std::error::Error for Error<E> {
    // `Display` already shows the kind's message, so the chain goes on
    // from the kind's own source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

fn join(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn token_name(kind: AccessTokenKind) -> &'static str {
    match kind {
        AccessTokenKind::Tenant => "tenant_access_token",
        AccessTokenKind::User => "user_access_token",
        AccessTokenKind::App => "app_access_token",
    }
}

fn token_names(kinds: &[AccessTokenKind]) -> String {
    let names: Vec<&str> = kinds.iter().copied().map(token_name).collect();
    names.join(" or ")
}

fn at(path: &Option<String>) -> String {
    match path {
        Some(path) => format!(" at {path}"),
        None => String::new(),
    }
}

fn no_next_page(repeated: &Option<String>) -> String {
    match repeated {
        Some(token) => {
            format!("the answer says more pages follow but repeats the page_token {token}")
        }
        None => "the answer says more pages follow but gives no page_token".to_owned(),
    }
}
