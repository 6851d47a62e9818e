//! Walking a list endpoint: [`Pages`] yields each answer in turn, [`Items`]
//! the items in them. Both are [`Stream`]s that send the next request only
//! when the caller reads past what it already has.
//!
//! Feishu's list endpoints take `page_size` and `page_token` in the query
//! and answer `data: { items, page_token, has_more }`. A list endpoint's
//! data type implements [`Paged`]; its request builder hands
//! [`Pages::new`] a function that sends the request with a given token.
//!
//! A list endpoint written by hand the way the generator writes one, and
//! read item by item:
//!
//! ```no_run
//! use feishu_runtime::endpoint::{AccessTokenKind, EndpointInfo, Method};
//! use feishu_runtime::paging::{Paged, Pages};
//! use feishu_runtime::query::QueryParams;
//! use feishu_runtime::validate::{Validate, Violation};
//! use feishu_runtime::{Client, Error, NoDocumentedCodes, RequestOptions};
//!
//! static LIST_CHATS: EndpointInfo = EndpointInfo {
//!     id: "im.v1.chat.list",
//!     method: Method::Get,
//!     path: "/open-apis/im/v1/chats",
//!     access_tokens: &[AccessTokenKind::Tenant],
//!     idempotency_key: None,
//!     rate_limit: None,
//!     rate_limited_codes: &[],
//! };
//!
//! #[derive(Clone, Default)]
//! struct Query {
//!     page_size: Option<u32>,
//!     page_token: Option<String>,
//! }
//! # impl QueryParams for Query {
//! #     fn append_to(&self, pairs: &mut Vec<(&'static str, String)>) {
//! #         if let Some(size) = self.page_size { pairs.push(("page_size", size.to_string())); }
//! #         if let Some(token) = &self.page_token { pairs.push(("page_token", token.clone())); }
//! #     }
//! # }
//! # impl Validate for Query {
//! #     fn validate(&self, _at: &str, _out: &mut Vec<Violation>) {}
//! # }
//!
//! #[derive(serde::Deserialize)]
//! struct Chat {
//!     chat_id: String,
//! }
//!
//! #[derive(serde::Deserialize)]
//! struct ListChatsData {
//!     items: Option<Vec<Chat>>,
//!     page_token: Option<String>,
//!     has_more: Option<bool>,
//! }
//!
//! impl Paged for ListChatsData {
//!     type Item = Chat;
//!     fn has_more(&self) -> bool {
//!         self.has_more.unwrap_or(false)
//!     }
//!     fn next_page_token(&self) -> Option<&str> {
//!         self.page_token.as_deref()
//!     }
//!     fn into_items(self) -> Vec<Chat> {
//!         self.items.unwrap_or_default()
//!     }
//! }
//!
//! fn list_chats(client: &Client, query: Query) -> Pages<'_, ListChatsData, NoDocumentedCodes> {
//!     Pages::new(move |page_token| {
//!         let mut query = query.clone();
//!         // `None` asks for the first page: the query as the caller set it.
//!         if page_token.is_some() {
//!             query.page_token = page_token;
//!         }
//!         async move {
//!             let options = RequestOptions::new();
//!             client.call(&LIST_CHATS, &[], &query, None::<&()>, &options).await
//!         }
//!     })
//! }
//!
//! # async fn demo(client: Client) -> Result<(), Error> {
//! let query = Query { page_size: Some(50), ..Query::default() };
//! let mut chats = list_chats(&client, query).items();
//! while let Some(chat) = chats.next().await {
//!     println!("{}", chat?.chat_id);
//! }
//! # Ok(()) }
//! ```

use std::collections::HashSet;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::FusedStream;
pub use futures_core::Stream;

use crate::error::{Error, ErrorCode, ErrorKind};
use crate::response::Response;

/// The data of one answer of a list endpoint; generated list endpoints
/// implement it for their response data.
pub trait Paged {
    /// One listed item.
    type Item;
    /// Whether more pages follow (`has_more`).
    fn has_more(&self) -> bool;
    /// The token that asks for the next page (`page_token`). Feishu leaves
    /// it out, or sends an empty one, on the last page.
    fn next_page_token(&self) -> Option<&str>;
    /// The page's items (`items`), in the server's order; none when the
    /// answer leaves them out.
    fn into_items(self) -> Vec<Self::Item>;
}

type PageResult<D, E> = Result<Response<D>, Error<E>>;
type PageFuture<'a, D, E> = Pin<Box<dyn Future<Output = PageResult<D, E>> + Send + 'a>>;
type Fetch<'a, D, E> = Box<dyn FnMut(Option<String>) -> PageFuture<'a, D, E> + Send + 'a>;

/// Every page of a list, as a [`Stream`] of whole [`Response`]s, so each
/// page's [`log_id`](Response::log_id) stays readable.
///
/// - Lazy: nothing is sent until the stream is first polled, and the next
///   page is asked for only when the caller polls past the current one.
/// - Ends after the page whose `has_more` is false.
/// - Ends after the first error, which it yields once: each page's request
///   already went through the client's retries. An answer that says more
///   pages follow but gives no token, or a token sent before, is yielded
///   and then followed by [`ErrorKind::NoNextPageToken`], so a broken
///   server can neither cut the list short unnoticed nor loop forever.
///
/// Read it with [`next`](Self::next), or with any `Stream` combinator;
/// [`items`](Self::items) flattens it. The module documentation has an
/// example.
pub struct Pages<'a, D, E: ErrorCode> {
    fetch: Fetch<'a, D, E>,
    state: State<'a, D, E>,
    /// Every token sent so far: a server handing one back again would
    /// otherwise be asked the same pages forever.
    sent: HashSet<String>,
}

/// What the next poll of a [`Pages`] does.
enum State<'a, D, E: ErrorCode> {
    /// Sends the first request.
    Start,
    /// Sends the request with this token.
    Next(String),
    /// Waits for the answer in flight.
    Fetching(PageFuture<'a, D, E>),
    /// Yields this error: the last page said more follow but gave no token.
    Broken(Error<E>),
    /// Yields nothing more.
    Done,
}

impl<'a, D, E: ErrorCode> Pages<'a, D, E> {
    /// The pages `fetch` sends for: `fetch(None)` sends the request as the
    /// caller built it (the first page, or the page of a `page_token` the
    /// caller set to resume), `fetch(Some(token))` sends it with
    /// `page_token = token`. `fetch` is not called before the stream is
    /// polled.
    ///
    /// A generated list endpoint's builder calls this with a closure that
    /// clones itself, sets the token and calls its `send`; the module
    /// documentation shows one.
    pub fn new<F, Fut>(mut fetch: F) -> Self
    where
        F: FnMut(Option<String>) -> Fut + Send + 'a,
        Fut: Future<Output = PageResult<D, E>> + Send + 'a,
    {
        Self {
            fetch: Box::new(move |token| Box::pin(fetch(token))),
            state: State::Start,
            sent: HashSet::new(),
        }
    }

    /// The items of every page, in order, instead of the pages.
    pub fn items(self) -> Items<'a, D, E>
    where
        D: Paged,
    {
        Items {
            pages: self,
            current: Vec::new().into_iter(),
        }
    }

    /// The next page; `None` once the list or an error has ended the
    /// stream. The same as `StreamExt::next`, without importing it.
    ///
    /// ```no_run
    /// # use feishu_runtime::paging::{Paged, Pages};
    /// # async fn demo<D: Paged>(mut pages: Pages<'_, D, feishu_runtime::NoDocumentedCodes>) -> Result<(), feishu_runtime::Error> {
    /// while let Some(page) = pages.next().await {
    ///     let page = page?;
    ///     println!("log id {:?}", page.log_id());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Option<PageResult<D, E>>
    where
        D: Paged,
    {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// What to do after `page`: ask for the next one, stop, or report that
    /// the server gave no usable token.
    fn after(&self, page: &Response<D>) -> State<'a, D, E>
    where
        D: Paged,
    {
        if !page.has_more() {
            return State::Done;
        }
        let repeated = match page.next_page_token().filter(|token| !token.is_empty()) {
            Some(token) if !self.sent.contains(token) => return State::Next(token.to_owned()),
            token => token.map(str::to_owned),
        };
        let kind = ErrorKind::NoNextPageToken {
            repeated,
            log_id: page.log_id().map(str::to_owned),
        };
        State::Broken(Error::new(kind, page.idempotency_key().map(str::to_owned)))
    }
}

// No field is pinned structurally: the request in flight is boxed.
impl<D, E: ErrorCode> Unpin for Pages<'_, D, E> {}

impl<D: Paged, E: ErrorCode> Stream for Pages<'_, D, E> {
    type Item = PageResult<D, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            // Done unless a branch says otherwise: after an error, or if
            // `fetch` panics.
            match std::mem::replace(&mut this.state, State::Done) {
                State::Start => this.state = State::Fetching((this.fetch)(None)),
                State::Next(token) => {
                    this.state = State::Fetching((this.fetch)(Some(token.clone())));
                    this.sent.insert(token);
                }
                State::Fetching(mut request) => {
                    let Poll::Ready(result) = request.as_mut().poll(cx) else {
                        this.state = State::Fetching(request);
                        return Poll::Pending;
                    };
                    if let Ok(page) = &result {
                        this.state = this.after(page);
                    }
                    return Poll::Ready(Some(result));
                }
                State::Broken(error) => return Poll::Ready(Some(Err(error))),
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<D: Paged, E: ErrorCode> FusedStream for Pages<'_, D, E> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

impl<D, E: ErrorCode> fmt::Debug for Pages<'_, D, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Start => "start",
            State::Next(_) => "next page",
            State::Fetching(_) => "fetching",
            State::Broken(_) => "no next page token",
            State::Done => "done",
        };
        f.debug_struct("Pages")
            .field("state", &state)
            .field("tokens_sent", &self.sent.len())
            .finish()
    }
}

/// Every item of a list, page after page, as a [`Stream`]; made by
/// [`Pages::items`], and ends the way [`Pages`] does. The next page is asked
/// for only when the caller polls past the last item of the current one.
pub struct Items<'a, D: Paged, E: ErrorCode> {
    pages: Pages<'a, D, E>,
    current: std::vec::IntoIter<D::Item>,
}

impl<D: Paged, E: ErrorCode> Items<'_, D, E> {
    /// The next item; `None` once the list or an error has ended the
    /// stream. The same as `StreamExt::next`, without importing it.
    ///
    /// ```no_run
    /// # use feishu_runtime::paging::{Items, Paged};
    /// # async fn demo<D: Paged>(mut items: Items<'_, D, feishu_runtime::NoDocumentedCodes>) -> Result<(), feishu_runtime::Error> {
    /// let mut count = 0;
    /// while let Some(item) = items.next().await {
    ///     let _item = item?;
    ///     count += 1;
    /// }
    /// println!("{count} items");
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Option<Result<D::Item, Error<E>>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

// No field is pinned structurally: `Pages` is `Unpin`, items are moved out.
impl<D: Paged, E: ErrorCode> Unpin for Items<'_, D, E> {}

impl<D: Paged, E: ErrorCode> Stream for Items<'_, D, E> {
    type Item = Result<D::Item, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            // An empty page that says more follow is skipped, not an end.
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.current = page.into_inner().into_items().into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<D: Paged, E: ErrorCode> FusedStream for Items<'_, D, E> {
    fn is_terminated(&self) -> bool {
        self.current.len() == 0 && self.pages.is_terminated()
    }
}

impl<D: Paged, E: ErrorCode> fmt::Debug for Items<'_, D, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("left_on_page", &self.current.len())
            .finish()
    }
}
