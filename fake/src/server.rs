//! The fake server itself: routing, tokens, faults and the request record.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::answer::{Answer, Reply, bad_params, success};
use super::long_connection::{self, LongConnections};
use super::state::{Call, Chats, Operator};
use super::store_app::{self, StoreAppConfig, StoreAppState};
use super::user_auth::{self, UserAuthState, UserTokenConfig};
use super::{chats, create_chat, members, menus, messages, notices, routes, tabs};
use feishu_api::im::v1::{
    chat, chat_announcement, chat_managers, chat_members, chat_menu_item, chat_menu_tree,
    chat_moderation, chat_tab, chat_top_notice, message, message_reaction,
};
use feishu_runtime::auth_paths::{OAUTH_TOKEN_PATH, SELF_BUILT_TENANT_TOKEN_PATH as TOKEN_PATH};
use feishu_runtime::endpoint::EndpointInfo;
use feishu_runtime::events::long_connection::ENDPOINT_PATH;
use feishu_runtime::route::Route;

/// Something the fake does instead of (or on top of) answering normally.
/// Faults are queued and each one is used by one request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// HTTP 429 with code 99991400 and, if given, the
    /// `x-ogw-ratelimit-reset` header (seconds until the window resets).
    RateLimited {
        /// Value of `x-ogw-ratelimit-reset`.
        reset_seconds: Option<u64>,
    },
    /// HTTP 400 with create chat's own rate-limit code 232019.
    ChatRateLimited,
    /// The given 5xx status with a plain-text body.
    ServerError {
        /// HTTP status to answer with.
        status: u16,
    },
    /// HTTP 200 with a body cut off in the middle of the JSON; the call is
    /// not acted on.
    MalformedJson,
    /// The call is acted on (a chat is created), then its answer is cut off
    /// in the middle of the JSON, as when a proxy drops the end. A file
    /// answer's connection drops halfway through the stated length.
    CutShortAfterActing,
    /// Code 99991663: the access token is rejected as invalid.
    InvalidToken,
    /// Answers with exactly this status and body (content type
    /// `application/json; charset=utf-8`, whatever the body is).
    Raw {
        /// HTTP status to answer with.
        status: u16,
        /// The body, sent as is.
        body: String,
    },
    /// Answers with this status, these extra headers and this body (content
    /// type `application/json; charset=utf-8` unless a header sets another),
    /// e.g. a bare 429 with `Retry-After`.
    RawWithHeaders {
        /// HTTP status to answer with.
        status: u16,
        /// Headers added to the answer, name and value.
        headers: Vec<(String, String)>,
        /// The body, sent as is.
        body: String,
    },
    /// HTTP 200 whose body streams `bytes` bytes of JSON whitespace after
    /// `{"code":0,` and never ends the object: a huge answer.
    HugeBody {
        /// How many bytes to send in all.
        bytes: usize,
    },
    /// HTTP 200 that declares a body, sends its first bytes, then breaks
    /// the connection: a reset in the middle of the body.
    ResetMidBody,
    /// Handles the request normally (a chat does get created), then waits
    /// this long before answering: a client timeout then leaves the caller
    /// not knowing whether the call took effect.
    Slow(Duration),
}

/// One request as the fake received it.
#[derive(Clone)]
pub struct RecordedRequest {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path, e.g. `/open-apis/im/v1/chats`.
    pub path: String,
    /// Raw query string, without `?`.
    pub query: Option<String>,
    /// Headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// Raw body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The query string's pairs, decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        query_pairs(self.query.as_deref())
    }

    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    // Recorded headers carry tokens and bodies carry app secrets; neither
    // belongs in test output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Configures a [`FakeFeishu`] before starting it.
#[derive(Clone)]
pub struct FakeFeishuBuilder {
    pub(super) app_id: String,
    pub(super) app_secret: String,
    pub(super) token_expire: u64,
    pub(super) users: HashSet<String>,
    pub(super) bots: HashSet<String>,
    pub(super) user_tokens: UserTokenConfig,
    pub(super) events: super::events::EventSettings,
    pub(super) store_app: StoreAppConfig,
    pub(super) routes: Vec<&'static Route>,
}

impl fmt::Debug for FakeFeishuBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeFeishuBuilder")
            .field("app_id", &self.app_id)
            .field("token_expire", &self.token_expire)
            .finish_non_exhaustive()
    }
}

impl Default for FakeFeishuBuilder {
    fn default() -> Self {
        Self {
            app_id: "cli_fake_app".to_owned(),
            app_secret: "fake-app-secret".to_owned(),
            token_expire: 7200,
            users: ["ou_7d8a6e6df7621556ce0d21922b676706ccs"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
            bots: ["cli_a10fbf7e94b8d01d"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
            user_tokens: UserTokenConfig::default(),
            events: super::events::EventSettings::default(),
            store_app: StoreAppConfig::default(),
            routes: feishu_api::routes(),
        }
    }
}

impl FakeFeishuBuilder {
    /// The only app the token endpoint accepts (default `cli_fake_app` /
    /// `fake-app-secret`).
    pub fn app(mut self, app_id: impl Into<String>, app_secret: impl Into<String>) -> Self {
        self.app_id = app_id.into();
        self.app_secret = app_secret.into();
        self
    }

    /// The `expire` (seconds) of issued tokens (default 7200). Tokens stop
    /// being accepted after that much real time.
    pub fn token_expire(mut self, seconds: u64) -> Self {
        self.token_expire = seconds;
        self
    }

    /// Adds a user id the fake knows (any id type); unknown ids in
    /// `owner_id` or `user_id_list` are answered with code 232043.
    /// `ou_7d8a6e6df7621556ce0d21922b676706ccs` is known by default.
    pub fn user(mut self, id: impl Into<String>) -> Self {
        self.users.insert(id.into());
        self
    }

    /// Adds a bot app id the fake knows for `bot_id_list`;
    /// `cli_a10fbf7e94b8d01d` is known by default.
    pub fn bot(mut self, app_id: impl Into<String>) -> Self {
        self.bots.insert(app_id.into());
        self
    }

    /// Serves `routes` too: the endpoints of a crate generated from schemas
    /// of your own (its `routes()`), each answering its page's example
    /// after the checks its client runs. The endpoints compiled into
    /// `feishu-openapi` are always served.
    pub fn routes(mut self, routes: impl IntoIterator<Item = &'static Route>) -> Self {
        self.routes.extend(routes);
        self
    }

    /// Binds a free port on 127.0.0.1 and serves until the returned value
    /// is dropped. Needs a Tokio runtime.
    pub async fn start(self) -> std::io::Result<FakeFeishu> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            outbox: super::events::Outbox::new(&self.events),
            config: self,
            state: Mutex::new(FakeState::default()),
            long_connections: LongConnections::default(),
        });
        // Uploads: Feishu takes files up to hundreds of MB; the fake keeps
        // each request whole, so it stops at 64 MiB.
        let router = Router::new()
            .route(
                long_connection::WS_PATH,
                axum::routing::get(long_connection::upgrade),
            )
            .fallback(handle)
            .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(Arc::clone(&shared));
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serving.await {
                tracing::warn!(%error, "fake feishu stopped");
            }
        });
        Ok(FakeFeishu {
            addr,
            shared,
            _shutdown: shutdown,
        })
    }
}

/// A running fake Feishu; stops when dropped.
pub struct FakeFeishu {
    addr: SocketAddr,
    shared: Arc<Shared>,
    // Dropping the sender stops the server.
    _shutdown: oneshot::Sender<()>,
}

impl Drop for FakeFeishu {
    fn drop(&mut self) {
        self.shared.outbox.close();
    }
}

impl fmt::Debug for FakeFeishu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeFeishu")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

pub(super) struct Shared {
    pub(super) config: FakeFeishuBuilder,
    state: Mutex<FakeState>,
    pub(super) outbox: super::events::Outbox,
    pub(super) long_connections: LongConnections,
}

#[derive(Default)]
pub(super) struct FakeState {
    requests: Vec<RecordedRequest>,
    tokens: HashMap<String, Instant>,
    issued: Vec<String>,
    faults: VecDeque<Fault>,
    token_faults: VecDeque<Fault>,
    pub(super) chats: Chats,
    answers: u64,
    pub(super) user_auth: UserAuthState,
    pub(super) store_app: StoreAppState,
}

impl Shared {
    pub(super) fn with<T>(&self, f: impl FnOnce(&mut FakeState) -> T) -> T {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut state)
    }
}

impl FakeFeishu {
    pub(super) fn shared(&self) -> &Shared {
        &self.shared
    }

    pub(super) fn shared_arc(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// Starts a fake with default settings.
    pub async fn start() -> std::io::Result<Self> {
        FakeFeishuBuilder::default().start().await
    }

    /// Starts configuring a fake.
    pub fn builder() -> FakeFeishuBuilder {
        FakeFeishuBuilder::default()
    }

    /// Base URL to give the client, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The app id the fake accepts.
    pub fn app_id(&self) -> &str {
        &self.shared.config.app_id
    }

    /// The app secret the fake accepts.
    pub fn app_secret(&self) -> &str {
        &self.shared.config.app_secret
    }

    /// Queues `fault` for the next request to an API endpoint (anything but
    /// the token endpoints).
    pub fn inject(&self, fault: Fault) {
        self.shared.with(|state| state.faults.push_back(fault));
    }

    /// Queues `fault` for the next request to a token endpoint: the tenant
    /// token's, the OAuth one that exchanges and refreshes user tokens, or
    /// the long connection's discovery.
    pub fn inject_on_token(&self, fault: Fault) {
        self.shared
            .with(|state| state.token_faults.push_back(fault));
    }

    /// Makes every token issued so far invalid (answered with 99991663), as
    /// when Feishu revokes tokens.
    pub fn revoke_tokens(&self) {
        self.shared.with(|state| {
            state.tokens.clear();
            state.store_app.revoke();
        });
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.with(|state| state.requests.clone())
    }

    /// Requests to the token endpoint.
    pub fn token_requests(&self) -> Vec<RecordedRequest> {
        self.requests_to(TOKEN_PATH)
    }

    /// Requests to any other path than the token endpoints.
    pub fn api_requests(&self) -> Vec<RecordedRequest> {
        let mut requests = self.requests();
        requests.retain(|request| !is_token_path(&request.path));
        requests
    }

    /// Requests to `path`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        let mut requests = self.requests();
        requests.retain(|request| request.path == path);
        requests
    }

    /// Tokens issued so far, oldest first.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.with(|state| state.issued.clone())
    }

    /// The chats created so far, disbanded ones too: each the `data` object
    /// create answered, with the changes update made since.
    pub fn chats(&self) -> Vec<Value> {
        self.shared.with(|state| state.chats.all())
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = RecordedRequest {
        method: method.as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    let is_token = is_token_path(&request.path);
    let (fault, log_id) = shared.with(|state| {
        state.requests.push(request.clone());
        state.answers += 1;
        let fault = if is_token {
            state.token_faults.pop_front()
        } else {
            state.faults.pop_front()
        };
        (fault, format!("fake{:020}", state.answers))
    });
    let (delay, cut_short) = match fault {
        Some(Fault::Slow(delay)) => (Some(delay), false),
        Some(Fault::CutShortAfterActing) => (None, true),
        Some(fault) => return answer_fault(&fault, &log_id),
        None => (None, false),
    };
    let (status, body) = match (method.clone(), request.path.as_str()) {
        (Method::POST, TOKEN_PATH) => issue_token(&shared, &request),
        (Method::POST, OAUTH_TOKEN_PATH) => user_auth::token_endpoint(&shared, &request),
        (Method::POST, ENDPOINT_PATH) => long_connection::discover(&shared, &request),
        (Method::POST, path) if store_app::is_auth_path(path) => {
            store_app::endpoint(&shared, &request)
        }
        (_, path) => {
            let Some((route, params)) = routes::find(&shared.config.routes, method.as_str(), path)
            else {
                return text(StatusCode::NOT_FOUND, "404 page not found", &log_id);
            };
            let handler = stateful(route.endpoint);
            // As Feishu: the token first, then the documented limits (the
            // generated types' own checks), then the endpoint's state.
            let query = request.query.as_deref();
            let checked = authorize(&shared, &request, route).and_then(|operator| {
                match routes::refusal(route, query, &request.body, handler.is_some()) {
                    Some(refusal) => Err(refusal),
                    None => Ok(operator),
                }
            });
            match (checked, handler) {
                (Ok(operator), Some(handler)) => {
                    let call = Call {
                        operator,
                        params,
                        query: request.query_pairs(),
                        raw_query: request.query.as_deref(),
                        body: &request.body,
                        config: &shared.config,
                    };
                    let (reply, notices) = shared.with(|state| {
                        let reply = handler(&mut state.chats, &call);
                        (reply, std::mem::take(&mut state.chats.outbox))
                    });
                    super::events::emit(&shared, notices);
                    reply.map_or_else(|error| error, success)
                }
                (Ok(_), None) if route.binary_response => {
                    let kept = shared.with(|state| state.chats.uploads.named_by(&params));
                    let (name, file) = match kept {
                        Some(kept) => (kept.name, kept.bytes),
                        None => {
                            let name = request.path.rsplit('/').next().unwrap_or("file");
                            (name.to_owned(), super::files::served_file(&request.path))
                        }
                    };
                    if let Some(delay) = delay {
                        tokio::time::sleep(delay).await;
                    }
                    let range = request.header("range");
                    return super::files::file_answer(&name, file, range, &log_id, cut_short);
                }
                (Ok(_), None) => routes::example_answer(route, &params),
                (Err(rejection), _) => rejection,
            }
        }
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    if cut_short {
        let text = body.to_string();
        let mut half = text.len() / 2;
        while !text.is_char_boundary(half) {
            half -= 1;
        }
        return raw(
            status,
            "application/json; charset=utf-8",
            &text[..half],
            &log_id,
        );
    }
    json_answer(status, &body, &log_id)
}

/// The paths that hand out credentials, the long connection's discovery
/// among them: their faults are queued apart from the API's.
fn is_token_path(path: &str) -> bool {
    path == TOKEN_PATH
        || path == OAUTH_TOKEN_PATH
        || path == ENDPOINT_PATH
        || store_app::is_auth_path(path)
}

fn issue_token(shared: &Shared, request: &RecordedRequest) -> (StatusCode, Value) {
    let Some(body) = request.json() else {
        return (
            StatusCode::BAD_REQUEST,
            json!({"code": 10003, "msg": "invalid param"}),
        );
    };
    let config = &shared.config;
    if let Err(refusal) = check_app(config, &body) {
        return refusal;
    }
    let token = new_token();
    let expires = expires_in(config.token_expire);
    shared.with(|state| {
        state.tokens.insert(token.clone(), expires);
        state.issued.push(token.clone());
    });
    (
        StatusCode::OK,
        json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": config.token_expire}),
    )
}

/// A new access token, as the fake's token endpoints issue them.
pub(super) fn new_token() -> String {
    format!("t-{}", uuid::Uuid::new_v4().simple())
}

/// When a token issued now for `seconds` expires.
pub(super) fn expires_in(seconds: u64) -> Instant {
    Instant::now() + Duration::from_secs(seconds)
}

/// Checks the `app_id` and `app_secret` of a token endpoint's body.
pub(super) fn check_app(config: &FakeFeishuBuilder, body: &Value) -> Result<(), Answer> {
    check_app_keys(
        config,
        body,
        ["app_id", "app_secret"],
        StatusCode::BAD_REQUEST,
    )
}

/// Checks an app id and secret a body carries under `keys`, refusing with
/// `status` and Feishu's codes (10003 for the id, 10014 for the secret):
/// the token endpoints' `app_id`/`app_secret`, the long connection's
/// `AppID`/`AppSecret`.
pub(super) fn check_app_keys(
    config: &FakeFeishuBuilder,
    body: &Value,
    [id_key, secret_key]: [&str; 2],
    status: StatusCode,
) -> Result<(), Answer> {
    let app_id = body.get(id_key).and_then(Value::as_str);
    let app_secret = body.get(secret_key).and_then(Value::as_str);
    if app_id != Some(config.app_id.as_str()) {
        return Err((status, json!({"code": 10003, "msg": "invalid param"})));
    }
    if app_secret != Some(config.app_secret.as_str()) {
        return Err((status, json!({"code": 10014, "msg": "app secret invalid"})));
    }
    Ok(())
}

/// Checks the bearer token and the content type of a request to `endpoint`,
/// as Feishu does first, and says who calls: the app's bot for a tenant
/// token, else the token's user.
fn authorize(
    shared: &Shared,
    request: &RecordedRequest,
    route: &Route,
) -> Result<Operator, Answer> {
    let Some(token) = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
    else {
        return Err((
            StatusCode::BAD_REQUEST,
            json!({"code": 99991661, "msg": "Missing access token for authorization. Please make a request with token attached."}),
        ));
    };
    let now = shared.config.user_tokens.clock.now();
    let operator = shared.with(|state| {
        let self_built = state
            .tokens
            .get(token)
            .is_some_and(|expires| Instant::now() < *expires);
        // A store app's tenant token acts as the app's bot in its tenant.
        if self_built || state.store_app.tenant_of(token).is_some() {
            return Some(Operator::Bot(shared.config.app_id.clone()));
        }
        state
            .user_auth
            .user_of(token, now)
            .map(|user| Operator::User(user.to_owned()))
    });
    let Some(operator) = operator else {
        return Err(invalid_token());
    };
    // Create chat always wanted JSON; the rest only when they carry a body
    // (a GET or a body-less POST sends no content type). A body with a
    // file comes as a multipart form.
    let creates_chat = route.endpoint.id == chat::create::ENDPOINT.id;
    let (wanted, named) = match route.multipart {
        true => ("multipart/form-data", "multipart/form-data; boundary=..."),
        false => ("application/json", "application/json; charset=utf-8"),
    };
    let fits = request
        .header("content-type")
        .is_some_and(|value| value.to_ascii_lowercase().starts_with(wanted));
    if (creates_chat || !request.body.is_empty()) && !fits {
        return Err(bad_params(&format!("Content-Type must be {named}")));
    }
    Ok(operator)
}

/// What answers one API call, given the shared chat state.
pub(super) type Handler = fn(&mut Chats, &Call<'_>) -> Reply;

/// The endpoints the group-chat family's state answers, each by its
/// generated `ENDPOINT`; every other route answers its page's example.
#[rustfmt::skip] // one endpoint a line reads as a table
static STATEFUL: &[(&EndpointInfo, Handler)] = &[
    (&chat::create::ENDPOINT,                       create_chat::create),
    (&chat::list::ENDPOINT,                         chats::list),
    (&chat::search::ENDPOINT,                       chats::search),
    (&chat::get::ENDPOINT,                          chats::get),
    (&chat::update::ENDPOINT,                       chats::update),
    (&chat::delete::ENDPOINT,                       chats::delete),
    (&chat::link::ENDPOINT,                         chats::link),
    (&chat_moderation::get::ENDPOINT,               notices::moderation_get),
    (&chat_moderation::update::ENDPOINT,            notices::moderation_update),
    (&chat_top_notice::put_top_notice::ENDPOINT,    notices::top_notice_put),
    (&chat_top_notice::delete_top_notice::ENDPOINT, notices::top_notice_delete),
    (&chat_announcement::get::ENDPOINT,             notices::announcement_get),
    (&chat_announcement::patch::ENDPOINT,           notices::announcement_patch),
    (&chat_managers::add_managers::ENDPOINT,        members::add_managers),
    (&chat_managers::delete_managers::ENDPOINT,     members::delete_managers),
    (&chat_members::create::ENDPOINT,               members::create),
    (&chat_members::delete::ENDPOINT,               members::delete),
    (&chat_members::get::ENDPOINT,                  members::get),
    (&chat_members::me_join::ENDPOINT,              members::me_join),
    (&chat_members::is_in_chat::ENDPOINT,           members::is_in_chat),
    (&chat_tab::create::ENDPOINT,                   tabs::create),
    (&chat_tab::delete_tabs::ENDPOINT,              tabs::delete),
    (&chat_tab::update_tabs::ENDPOINT,              tabs::update),
    (&chat_tab::sort_tabs::ENDPOINT,                tabs::sort),
    (&chat_tab::list_tabs::ENDPOINT,                tabs::list),
    (&chat_menu_tree::create::ENDPOINT,             menus::create),
    (&chat_menu_tree::delete::ENDPOINT,             menus::delete),
    (&chat_menu_tree::get::ENDPOINT,                menus::get),
    (&chat_menu_tree::sort::ENDPOINT,               menus::sort),
    (&message::create::ENDPOINT,                    messages::create),
    (&message::reply::ENDPOINT,                     messages::reply),
    (&message::get::ENDPOINT,                       messages::get),
    (&message::list::ENDPOINT,                      messages::list),
    (&message::update::ENDPOINT,                    messages::update),
    (&message::delete::ENDPOINT,                    messages::delete),
    (&message::forward::ENDPOINT,                   messages::forward),
    (&message::read_users::ENDPOINT,                messages::read_users),
    (&message_reaction::create::ENDPOINT,           messages::react),
    (&message_reaction::list::ENDPOINT,             messages::reactions),
    (&message_reaction::delete::ENDPOINT,           messages::unreact),
    (&chat_menu_item::patch::ENDPOINT,              menus::patch_item),
];

/// The state handler of `endpoint`, if the fake keeps state for it.
fn stateful(endpoint: &EndpointInfo) -> Option<Handler> {
    STATEFUL
        .iter()
        .find(|(known, _)| known.id == endpoint.id)
        .map(|(_, handler)| *handler)
        .or_else(|| super::uploads::handler(endpoint.id))
}

fn invalid_token() -> Answer {
    (
        StatusCode::BAD_REQUEST,
        json!({"code": 99991663, "msg": "Invalid access token for authorization. Please make a request with token attached."}),
    )
}

fn answer_fault(fault: &Fault, log_id: &str) -> Response {
    match fault {
        Fault::RateLimited { reset_seconds } => {
            let mut response = json_answer(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({"code": 99991400, "msg": "request trigger frequency limit"}),
                log_id,
            );
            if let Some(seconds) = reset_seconds {
                response
                    .headers_mut()
                    .insert("x-ogw-ratelimit-reset", header::HeaderValue::from(*seconds));
                response.headers_mut().insert(
                    "x-ogw-ratelimit-limit",
                    header::HeaderValue::from_static("50"),
                );
            }
            response
        }
        Fault::ChatRateLimited => json_answer(
            StatusCode::BAD_REQUEST,
            &json!({"code": 232019, "msg": "The request has been rate limited."}),
            log_id,
        ),
        Fault::ServerError { status } => text(
            StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "upstream connect error or disconnect/reset before headers",
            log_id,
        ),
        Fault::MalformedJson => raw(
            StatusCode::OK,
            "application/json; charset=utf-8",
            r#"{"code":0,"msg":"success","data":{"chat_id":"oc_"#,
            log_id,
        ),
        Fault::InvalidToken => {
            let (status, body) = invalid_token();
            json_answer(status, &body, log_id)
        }
        Fault::Raw { status, body } => raw(
            StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "application/json; charset=utf-8",
            body,
            log_id,
        ),
        Fault::RawWithHeaders {
            status,
            headers,
            body,
        } => {
            let response = raw(
                StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                "application/json; charset=utf-8",
                body,
                log_id,
            );
            with_headers(response, headers)
        }
        Fault::HugeBody { bytes } => {
            const CHUNK: usize = 64 * 1024;
            let head = b"{\"code\":0,";
            let total = (*bytes).max(head.len());
            let chunks = std::iter::once(Ok::<_, std::io::Error>(Bytes::from_static(head))).chain(
                (head.len()..total)
                    .step_by(CHUNK)
                    .map(move |start| Ok(Bytes::from(vec![b' '; CHUNK.min(total - start)]))),
            );
            let mut response = Response::new(Body::from_stream(futures_iter(chunks)));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json; charset=utf-8"),
            );
            response
        }
        Fault::ResetMidBody => {
            let chunks = [
                Ok(Bytes::from_static(
                    b"{\"code\":0,\"msg\":\"success\",\"data\":{",
                )),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "fake: connection reset mid-body",
                )),
            ];
            let mut response = Response::new(Body::from_stream(futures_iter(chunks)));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json; charset=utf-8"),
            );
            response.headers_mut().insert(
                header::CONTENT_LENGTH,
                header::HeaderValue::from_static("4096"),
            );
            response
        }
        Fault::Slow(_) | Fault::CutShortAfterActing => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "unreachable fault",
            log_id,
        ),
    }
}

/// A stream over an iterator, without a dependency on `futures`.
fn futures_iter<I>(items: I) -> IterStream<I::IntoIter>
where
    I: IntoIterator,
{
    IterStream(items.into_iter())
}

struct IterStream<I>(I);

impl<I: Iterator + Unpin> futures_core::Stream for IterStream<I> {
    type Item = I::Item;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.next())
    }
}

fn json_answer(status: StatusCode, body: &Value, log_id: &str) -> Response {
    raw(
        status,
        "application/json; charset=utf-8",
        &body.to_string(),
        log_id,
    )
}

fn text(status: StatusCode, body: &str, log_id: &str) -> Response {
    raw(status, "text/plain; charset=utf-8", body, log_id)
}

fn raw(status: StatusCode, content_type: &'static str, body: &str, log_id: &str) -> Response {
    let mut response = Response::new(Body::from(body.to_owned()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    if let Ok(value) = header::HeaderValue::from_str(log_id) {
        headers.insert("x-tt-logid", value);
    }
    response
}

pub(super) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    let Some(query) = query else {
        return Vec::new();
    };
    // Decoding through a URL keeps us off an extra dependency.
    match reqwest::Url::parse(&format!("http://fake/?{query}")) {
        Ok(url) => url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// `response` with `headers` set, each replacing one of its name; a name or
/// value HTTP cannot carry is left out, so a test's odd header never panics
/// the fake.
pub(super) fn with_headers(mut response: Response, headers: &[(String, String)]) -> Response {
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            header::HeaderValue::from_str(value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
