//! Test-side stand-ins for generated code: a create-chat endpoint described
//! by hand, with raw JSON bodies, so the runtime is exercised on its own.

#![allow(dead_code)] // each test file uses a different part

use feishu_openapi::endpoint::{AccessTokenKind, EndpointInfo, Method, RateLimit};
use feishu_openapi::query::QueryParams;
use feishu_openapi::testing::FakeFeishu;
use feishu_openapi::validate::{Limit, Validate, Violation};
use feishu_openapi::{
    Client, ClientBuilder, Error, ErrorCode, ErrorInfo, ErrorKind, RequestOptions, Response,
    RetryPolicy,
};
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;

pub static CREATE_CHAT: EndpointInfo = EndpointInfo {
    id: "im.v1.chat.create",
    method: Method::Post,
    path: "/open-apis/im/v1/chats",
    access_tokens: &[AccessTokenKind::Tenant, AccessTokenKind::User],
    idempotency_key: Some("uuid"),
    rate_limit: Some(RateLimit {
        per_minute: Some(1000),
        per_second: Some(50),
    }),
    rate_limited_codes: &[232019],
};

/// The same endpoint as if the doc offered no idempotency key.
pub static CREATE_CHAT_WITHOUT_KEY: EndpointInfo = EndpointInfo {
    idempotency_key: None,
    ..CREATE_CHAT
};

/// A path with a parameter; the fake answers it with a 404 page.
pub static GET_CHAT: EndpointInfo = EndpointInfo {
    id: "im.v1.chat.get",
    method: Method::Get,
    path: "/open-apis/im/v1/chats/:chat_id",
    access_tokens: &[AccessTokenKind::Tenant],
    idempotency_key: None,
    rate_limit: None,
    rate_limited_codes: &[],
};

#[derive(Debug, Default, Clone)]
pub struct Query {
    pub user_id_type: Option<&'static str>,
    pub uuid: Option<String>,
}

impl QueryParams for Query {
    fn append_to(&self, pairs: &mut Vec<(&'static str, String)>) {
        if let Some(kind) = self.user_id_type {
            pairs.push(("user_id_type", kind.to_owned()));
        }
        if let Some(uuid) = &self.uuid {
            pairs.push(("uuid", uuid.clone()));
        }
    }
}

impl Validate for Query {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        if let Some(uuid) = &self.uuid
            && uuid.chars().count() > 50
        {
            out.push(Violation {
                field: format!("{at}.uuid"),
                limit: Limit::MaxChars {
                    max: 50,
                    actual: uuid.chars().count(),
                },
                when: None,
                code: None,
            });
        }
    }
}

/// A raw JSON body; it checks nothing unless told to, so the fake's own
/// checks can be reached.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(transparent)]
pub struct Body(pub Value);

impl Validate for Body {
    fn validate(&self, _at: &str, _out: &mut Vec<Violation>) {}
}

/// A body whose validation always fails, to prove nothing is sent.
#[derive(Debug, serde::Serialize)]
pub struct InvalidBody;

impl Validate for InvalidBody {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        out.push(Violation {
            field: format!("{at}.name"),
            limit: Limit::MinChars { min: 2, actual: 1 },
            when: Some("chat_type = \"public\""),
            code: Some(232020),
        });
    }
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Chat {
    pub chat_id: String,
    pub name: Option<String>,
    pub chat_type: Option<String>,
}

/// Part of create chat's documented codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatCode {
    InvalidParams,
    RateLimited,
    NameTooShort,
    NameEmpty,
    UnavailableIds,
}

impl ErrorCode for ChatCode {
    fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            232001 => Self::InvalidParams,
            232019 => Self::RateLimited,
            232020 => Self::NameTooShort,
            232042 => Self::NameEmpty,
            232043 => Self::UnavailableIds,
            _ => return None,
        })
    }
    fn info(self) -> &'static ErrorInfo {
        const fn info(code: i64, advice: &'static str) -> ErrorInfo {
            ErrorInfo {
                code,
                http_status: 400,
                message: "documented message",
                advice,
            }
        }
        match self {
            Self::InvalidParams => &const { info(232001, "see the doc") },
            Self::RateLimited => &const { info(232019, "see the doc") },
            Self::NameTooShort => &const { info(232020, "use a name of at least 2 characters") },
            Self::NameEmpty => &const { info(232042, "see the doc") },
            Self::UnavailableIds => &const { info(232043, "see the doc") },
        }
    }
}

pub type ChatResult = Result<Chat, ErrorKind<ChatCode>>;

pub const OWNER: &str = "ou_7d8a6e6df7621556ce0d21922b676706ccs";

/// A client for `fake` whose retries wait at most a few milliseconds.
pub fn client_builder(fake: &FakeFeishu) -> ClientBuilder {
    Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .retry(fast_retries(3))
}

pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    }
}

pub fn private_chat() -> Body {
    Body(serde_json::json!({"name": "测试群名称", "owner_id": OWNER, "user_id_list": [OWNER]}))
}

pub async fn create(
    client: &Client,
    endpoint: &'static EndpointInfo,
    query: &Query,
    body: &Body,
    options: &RequestOptions,
) -> ChatResult {
    unwrapped(client.call(endpoint, &[], query, Some(body), options).await)
}

/// The usual private chat through `CREATE_CHAT`, with per-call options.
pub async fn create_chat_with(client: &Client, options: &RequestOptions) -> ChatResult {
    create(
        client,
        &CREATE_CHAT,
        &Query::default(),
        &private_chat(),
        options,
    )
    .await
}

pub async fn create_chat(client: &Client, body: Body) -> ChatResult {
    create(
        client,
        &CREATE_CHAT,
        &Query::default(),
        &body,
        &RequestOptions::new(),
    )
    .await
}

/// A call's result with the data and the error kind taken out, for tests
/// that look at one of them.
pub fn unwrapped<T, E: ErrorCode>(
    result: Result<Response<T>, Error<E>>,
) -> Result<T, ErrorKind<E>> {
    result.map(Response::into_inner).map_err(Error::into_kind)
}

/// Collects everything a tracing subscriber writes, for tests that read
/// the logs.
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// A subscriber writing every event up to `level` here, uncoloured.
    pub fn subscriber(&self, level: tracing::Level) -> impl tracing::Subscriber + Send + Sync {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(level)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish()
    }

    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}
