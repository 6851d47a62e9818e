//! Page streams over real HTTP: a loopback server lists a fixed set of chats
//! in pages, and a list endpoint written by hand the way the generator
//! writes one walks them with `Pages` and `Items`.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::get;
use feishu_openapi::endpoint::{AccessTokenKind, EndpointInfo, Method};
use feishu_openapi::query::QueryParams;
use feishu_openapi::validate::{Validate, Violation};
use feishu_openapi::{
    Client, Error, ErrorCode, ErrorInfo, ErrorKind, RequestOptions, Response, RetryPolicy,
};
use feishu_runtime::paging::{Items, Paged, Pages};
use futures_util::StreamExt;
use futures_util::stream::FusedStream;
use serde::Deserialize;
use serde_json::{Value, json};

// ---- The list endpoint, as generated code would describe it ----

static LIST_CHATS: EndpointInfo = EndpointInfo {
    id: "im.v1.chat.list",
    method: Method::Get,
    path: "/open-apis/im/v1/chats",
    access_tokens: &[AccessTokenKind::Tenant, AccessTokenKind::User],
    idempotency_key: None,
    rate_limit: None,
    rate_limited_codes: &[],
};

#[derive(Clone, Debug, Default)]
struct ListChatsQuery {
    page_token: Option<String>,
    page_size: Option<u32>,
}

impl QueryParams for ListChatsQuery {
    fn append_to(&self, pairs: &mut Vec<(&'static str, String)>) {
        if let Some(token) = &self.page_token {
            pairs.push(("page_token", token.clone()));
        }
        if let Some(size) = self.page_size {
            pairs.push(("page_size", size.to_string()));
        }
    }
}

impl Validate for ListChatsQuery {
    fn validate(&self, _at: &str, _out: &mut Vec<Violation>) {}
}

#[derive(Debug, Deserialize, PartialEq)]
struct ListChat {
    chat_id: String,
}

/// Optional fields, as the generator makes them: Feishu leaves `items` out
/// of an empty page and `page_token` out of the last one.
#[derive(Debug, Deserialize)]
struct ListChatsData {
    items: Option<Vec<ListChat>>,
    page_token: Option<String>,
    has_more: Option<bool>,
}

impl Paged for ListChatsData {
    type Item = ListChat;
    fn has_more(&self) -> bool {
        self.has_more.unwrap_or(false)
    }
    fn next_page_token(&self) -> Option<&str> {
        self.page_token.as_deref()
    }
    fn into_items(self) -> Vec<ListChat> {
        self.items.unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ListChatsErrorCode {
    AppUnavailable,
}

impl ErrorCode for ListChatsErrorCode {
    fn from_code(code: i64) -> Option<Self> {
        (code == 232034).then_some(Self::AppUnavailable)
    }
    fn info(self) -> &'static ErrorInfo {
        &ErrorInfo {
            code: 232034,
            http_status: 400,
            message: "The app is unavailable or inactivated by the tenant.",
            advice: "应用在本租户下未安装或未启用。",
        }
    }
}

/// The request builder, with `pages` and `items` as the generator
/// emits them next to `send`.
#[derive(Clone, Debug)]
struct ListChatsRequest<'c> {
    client: &'c Client,
    query: ListChatsQuery,
    options: RequestOptions,
}

impl<'c> ListChatsRequest<'c> {
    fn new(client: &'c Client) -> Self {
        Self {
            client,
            query: ListChatsQuery::default(),
            options: RequestOptions::new().tenant_access_token(TOKEN),
        }
    }

    fn page_size(mut self, value: u32) -> Self {
        self.query.page_size = Some(value);
        self
    }

    fn page_token(mut self, value: impl Into<String>) -> Self {
        self.query.page_token = Some(value.into());
        self
    }

    async fn send(self) -> Result<Response<ListChatsData>, Error<ListChatsErrorCode>> {
        self.client
            .call(&LIST_CHATS, &[], &self.query, None::<&()>, &self.options)
            .await
    }

    fn pages(self) -> Pages<'c, ListChatsData, ListChatsErrorCode> {
        Pages::new(move |page_token| {
            let mut request = self.clone();
            if page_token.is_some() {
                request.query.page_token = page_token;
            }
            request.send()
        })
    }

    fn items(self) -> Items<'c, ListChatsData, ListChatsErrorCode> {
        self.pages().items()
    }
}

// ---- The server ----

const TOKEN: &str = "t-paging";
const DEFAULT_PAGE_SIZE: usize = 20;

/// How the server's list ends.
#[derive(Clone, Copy, Debug)]
enum Ending {
    /// As documented: the last page says `has_more: false`, no token.
    Normal,
    /// The answer to this request (1-based) is error 232034.
    FailOn(usize),
    /// The last page keeps a token, as the doc's example answer does.
    TokenOnLastPage,
    /// The first page says `has_more` and leaves the token out.
    NoToken,
    /// The first page says `has_more` with an empty token.
    EmptyToken,
    /// Every page after the first gives back the token it was asked with.
    SameToken,
}

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    page_token: Option<String>,
    page_size: Option<String>,
    authorization: Option<String>,
}

struct Listing {
    total: usize,
    ending: Ending,
    seen: Mutex<Vec<Seen>>,
}

struct Server {
    listing: Arc<Listing>,
    client: Client,
}

impl Server {
    async fn start(total: usize, ending: Ending) -> Self {
        let listing = Arc::new(Listing {
            total,
            ending,
            seen: Mutex::new(Vec::new()),
        });
        let router = Router::new()
            .route("/open-apis/im/v1/chats", get(list))
            .with_state(listing.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let client = Client::builder()
            .base_url(&url)
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        Self { listing, client }
    }

    fn list(&self) -> ListChatsRequest<'_> {
        ListChatsRequest::new(&self.client)
    }

    fn requests(&self) -> Vec<Seen> {
        self.listing.seen.lock().unwrap().clone()
    }

    /// The page tokens sent, one per request.
    fn tokens_sent(&self) -> Vec<Option<String>> {
        self.requests()
            .into_iter()
            .map(|seen| seen.page_token)
            .collect()
    }
}

fn chat_id(index: usize) -> String {
    format!("oc_{index:02}")
}

fn chat_ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(chat_id).collect()
}

/// The token that asks for the page starting at item `start`.
fn token_at(start: usize) -> String {
    format!("tok-{start}")
}

fn some_tokens(tokens: &[&str]) -> Vec<Option<String>> {
    tokens
        .iter()
        .map(|token| (!token.is_empty()).then(|| token.to_string()))
        .collect()
}

async fn list(
    State(listing): State<Arc<Listing>>,
    uri: Uri,
    headers: HeaderMap,
) -> impl IntoResponse {
    let url = reqwest::Url::parse(&format!("http://server{uri}")).unwrap();
    let param = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let seen = Seen {
        page_token: param("page_token"),
        page_size: param("page_size"),
        authorization: headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
    };
    let number = {
        let mut all = listing.seen.lock().unwrap();
        all.push(seen.clone());
        all.len()
    };
    let log_id = [("x-tt-logid", format!("log-{number}"))];

    if matches!(listing.ending, Ending::FailOn(page) if page == number) {
        let body =
            json!({"code": 232034, "msg": "The app is unavailable or inactivated by the tenant."});
        return (StatusCode::BAD_REQUEST, log_id, body.to_string());
    }
    let start = match &seen.page_token {
        None => 0,
        Some(token) => token
            .strip_prefix("tok-")
            .and_then(|start| start.parse().ok())
            .unwrap(),
    };
    let size = seen
        .page_size
        .as_deref()
        .map_or(DEFAULT_PAGE_SIZE, |size| size.parse().unwrap());
    let end = (start + size).min(listing.total);
    let mut data = json!({ "has_more": end < listing.total });
    if end > start {
        let items: Vec<Value> = (start..end)
            .map(|index| json!({"chat_id": chat_id(index), "name": "群"}))
            .collect();
        data["items"] = items.into();
    }
    if end < listing.total {
        data["page_token"] = token_at(end).into();
    }
    match listing.ending {
        Ending::TokenOnLastPage => data["page_token"] = token_at(end).into(),
        Ending::NoToken => {
            data["has_more"] = true.into();
            data.as_object_mut().unwrap().remove("page_token");
        }
        Ending::EmptyToken => {
            data["has_more"] = true.into();
            data["page_token"] = "".into();
        }
        Ending::SameToken if number > 1 => {
            data["has_more"] = true.into();
            data["page_token"] = seen.page_token.clone().into();
        }
        _ => {}
    }
    let body = json!({"code": 0, "msg": "success", "data": data});
    (StatusCode::OK, log_id, body.to_string())
}

async fn collect_ids(items: Items<'_, ListChatsData, ListChatsErrorCode>) -> Vec<String> {
    items
        .map(|item| item.unwrap().chat_id)
        .collect::<Vec<_>>()
        .await
}

// ---- The tests ----

#[tokio::test]
async fn an_empty_list_is_one_page_without_items() {
    let server = Server::start(0, Ending::Normal).await;
    let mut pages = server.list().page_size(3).pages();
    let page = pages.next().await.unwrap().unwrap();
    assert!(!page.has_more());
    assert!(page.items.is_none());
    assert!(pages.next().await.is_none());

    let ids = collect_ids(server.list().page_size(3).items()).await;
    assert!(ids.is_empty());
    assert_eq!(server.tokens_sent(), [None, None]);
}

#[tokio::test]
async fn a_list_that_fits_one_page_takes_one_request() {
    let server = Server::start(3, Ending::Normal).await;
    let ids = collect_ids(server.list().page_size(3).items()).await;
    assert_eq!(ids, chat_ids(0..3));
    assert_eq!(server.tokens_sent(), [None]);
}

#[tokio::test]
async fn many_pages_send_each_token_once_and_yield_every_item_in_order() {
    let server = Server::start(7, Ending::Normal).await;
    let ids = collect_ids(server.list().page_size(3).items()).await;
    assert_eq!(ids, chat_ids(0..7));
    assert_eq!(server.tokens_sent(), some_tokens(&["", "tok-3", "tok-6"]));
}

#[tokio::test]
async fn the_page_size_the_caller_set_goes_on_every_request() {
    let server = Server::start(7, Ending::Normal).await;
    let mut pages = server.list().page_size(3).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        sizes.push(page.items.as_ref().map_or(0, Vec::len));
    }
    assert_eq!(sizes, [3, 3, 1]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for seen in requests {
        assert_eq!(seen.page_size.as_deref(), Some("3"));
        assert_eq!(seen.authorization, Some(format!("Bearer {TOKEN}")));
    }
}

#[tokio::test]
async fn has_more_false_ends_the_list_even_with_a_token() {
    let server = Server::start(7, Ending::TokenOnLastPage).await;
    let ids = collect_ids(server.list().page_size(3).items()).await;
    assert_eq!(ids, chat_ids(0..7));
    assert_eq!(server.tokens_sent(), some_tokens(&["", "tok-3", "tok-6"]));
}

#[tokio::test]
async fn without_a_page_size_the_server_default_applies() {
    let server = Server::start(25, Ending::Normal).await;
    let ids = collect_ids(server.list().items()).await;
    assert_eq!(ids, chat_ids(0..25));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|seen| seen.page_size.is_none()));
}

#[tokio::test]
async fn each_pages_log_id_is_readable() {
    let server = Server::start(7, Ending::Normal).await;
    let log_ids: Vec<String> = server
        .list()
        .page_size(3)
        .pages()
        .map(|page| page.unwrap().log_id().unwrap().to_owned())
        .collect()
        .await;
    assert_eq!(log_ids, ["log-1", "log-2", "log-3"]);
}

#[tokio::test]
async fn an_error_on_page_three_comes_once_after_pages_one_and_two_then_the_stream_ends() {
    let server = Server::start(20, Ending::FailOn(3)).await;
    let mut pages = server.list().page_size(3).pages();
    let first = pages.next().await.unwrap().unwrap();
    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(first.log_id(), Some("log-1"));
    assert_eq!(second.log_id(), Some("log-2"));

    let error = pages.next().await.unwrap().unwrap_err();
    let api = error.api().expect("a Feishu error");
    assert_eq!(api.code, 232034);
    assert_eq!(api.documented, Some(ListChatsErrorCode::AppUnavailable));
    assert_eq!(error.log_id(), Some("log-3"));

    assert!(pages.is_terminated());
    assert!(pages.next().await.is_none());
    assert!(pages.next().await.is_none());
    assert_eq!(server.tokens_sent(), some_tokens(&["", "tok-3", "tok-6"]));
}

#[tokio::test]
async fn items_yield_pages_one_and_two_then_the_error_once() {
    let server = Server::start(20, Ending::FailOn(3)).await;
    let results: Vec<_> = server.list().page_size(3).items().collect().await;
    assert_eq!(results.len(), 7);
    let ids: Vec<String> = results[..6]
        .iter()
        .map(|item| item.as_ref().unwrap().chat_id.clone())
        .collect();
    assert_eq!(ids, chat_ids(0..6));
    let error = results[6].as_ref().unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Api(api) if api.code == 232034));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn nothing_is_sent_before_the_stream_is_polled() {
    let server = Server::start(7, Ending::Normal).await;
    let pages = server.list().page_size(3).pages();
    let items = server.list().page_size(3).items();
    tokio::task::yield_now().await;
    assert!(server.requests().is_empty());
    drop((pages, items));
}

#[tokio::test]
async fn taking_two_items_of_a_three_item_page_sends_one_request() {
    let server = Server::start(7, Ending::Normal).await;
    let ids: Vec<String> = server
        .list()
        .page_size(3)
        .items()
        .take(2)
        .map(|item| item.unwrap().chat_id)
        .collect()
        .await;
    assert_eq!(ids, chat_ids(0..2));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_next_page_is_asked_for_only_past_the_current_one() {
    let server = Server::start(7, Ending::Normal).await;
    let mut items = server.list().page_size(3).items();
    for expected in chat_ids(0..3) {
        assert_eq!(items.next().await.unwrap().unwrap().chat_id, expected);
    }
    assert_eq!(server.requests().len(), 1);
    assert_eq!(items.next().await.unwrap().unwrap().chat_id, chat_id(3));
    assert_eq!(server.requests().len(), 2);

    let mut pages = server.list().page_size(3).pages();
    pages.next().await.unwrap().unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_page_token_the_caller_set_resumes_the_list_there() {
    let server = Server::start(7, Ending::Normal).await;
    let ids = collect_ids(server.list().page_size(3).page_token("tok-3").items()).await;
    assert_eq!(ids, chat_ids(3..7));
    assert_eq!(server.tokens_sent(), some_tokens(&["tok-3", "tok-6"]));
}

/// The error that ends a stream whose server said more pages follow but
/// gave no usable token.
fn no_next_page(error: &Error<ListChatsErrorCode>) -> Option<String> {
    match error.kind() {
        ErrorKind::NoNextPageToken { repeated, .. } => repeated.clone(),
        other => panic!("expected NoNextPageToken, got {other:?}"),
    }
}

#[tokio::test]
async fn has_more_without_a_token_yields_the_page_then_an_error() {
    for ending in [Ending::NoToken, Ending::EmptyToken] {
        let server = Server::start(7, ending).await;
        let mut pages = server.list().page_size(3).pages();
        let page = pages.next().await.unwrap().unwrap();
        assert_eq!(page.items.as_ref().unwrap().len(), 3);
        let error = pages.next().await.unwrap().unwrap_err();
        assert_eq!(no_next_page(&error), None);
        assert_eq!(error.log_id(), Some("log-1"));
        assert!(pages.next().await.is_none());
        assert_eq!(server.requests().len(), 1, "{ending:?}");
    }
}

#[tokio::test]
async fn a_token_given_back_again_ends_the_stream_with_an_error() {
    let server = Server::start(20, Ending::SameToken).await;
    let results: Vec<_> = server.list().page_size(3).items().collect().await;
    // Page 1, page 2 (which repeats tok-3), then the error.
    assert_eq!(results.len(), 7);
    let error = results[6].as_ref().unwrap_err();
    assert_eq!(no_next_page(error).as_deref(), Some("tok-3"));
    assert_eq!(error.log_id(), Some("log-2"));
    assert!(error.to_string().contains("tok-3"), "{error}");
    assert_eq!(server.tokens_sent(), some_tokens(&["", "tok-3"]));
}

#[tokio::test]
async fn the_streams_are_send_so_a_task_can_walk_them() {
    let server = Arc::new(Server::start(7, Ending::Normal).await);
    let walker = server.clone();
    let ids = tokio::spawn(async move {
        let ids = collect_ids(walker.list().page_size(3).items()).await;
        ids.len()
    })
    .await
    .unwrap();
    assert_eq!(ids, 7);
    assert_eq!(server.requests().len(), 3);
}
