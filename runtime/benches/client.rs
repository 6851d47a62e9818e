//! One create-chat call through the generated client against the same call
//! written by hand with reqwest and `serde_json::Value`: same loopback server,
//! same `reqwest::Client` (so the same connection pool), same request bytes
//! on the wire, token fetched before timing starts.
//!
//! `cargo bench -p feishu-runtime --bench client`

mod doc_request;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::post;
use criterion::{Criterion, criterion_group, criterion_main};
use feishu_openapi::im::v1::chat::create::{CreateChatData, CreateChatQuery, UserIdType};
use feishu_openapi::{Client, Response};
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("../../schema/im/v1/chat/create.json");
const JSON: &str = "application/json; charset=utf-8";
const TOKEN: &str = "t-bench-token";
const UUID: &str = "b13g2t38-1jd2-458b-8djf-dtbca5104204";

/// A server that does as little as possible, so client costs show: it reads
/// the body and answers with the doc's response example.
fn serve(runtime: &tokio::runtime::Runtime, response: Vec<u8>) -> SocketAddr {
    let token = json!({"code": 0, "msg": "ok", "tenant_access_token": TOKEN, "expire": 7200});
    let token = Bytes::from(token.to_string());
    let response = Bytes::from(response);
    let router =
        Router::new()
            .route(
                "/open-apis/auth/v3/tenant_access_token/internal",
                post(move |_body: Bytes| async move { ([(CONTENT_TYPE, JSON)], token) }),
            )
            .route(
                "/open-apis/im/v1/chats",
                post(move |_body: Bytes| async move {
                    ([(CONTENT_TYPE, JSON)], response).into_response()
                }),
            );
    // Served from the client's own single-threaded runtime: one thread does
    // both sides' work, so no cross-thread wake-up latency (large and erratic
    // on a small VM) blurs the client's own cost.
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0)))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// The same uuid on both sides, so both send the same query string and the
/// client does not generate one.
fn query() -> CreateChatQuery {
    CreateChatQuery {
        user_id_type: Some(UserIdType::OpenId),
        uuid: Some(UUID.into()),
        ..Default::default()
    }
}

async fn generated(client: &Client) -> Response<CreateChatData> {
    client
        .im()
        .v1()
        .chat()
        .create()
        .query(query())
        .body(doc_request::typed())
        .send()
        .await
        .unwrap()
}

/// What a careful hand-written call does: the same headers and query, the
/// envelope's `code` checked, `data` taken out.
async fn by_hand(http: &reqwest::Client, url: &str, token: &str) -> Value {
    let answer = http
        .post(url)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(reqwest::header::CONTENT_TYPE, JSON)
        .body(serde_json::to_vec(&doc_request::untyped()).unwrap())
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
    let bytes = answer.bytes().await.unwrap();
    let mut envelope: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(envelope["code"].as_i64(), Some(0));
    envelope["data"].take()
}

/// The same call by hand, decoding into the generated type instead: what is
/// left of the gap is the client's own work (validation, URL, token,
/// retry bookkeeping).
async fn by_hand_typed(http: &reqwest::Client, url: &str, token: &str) -> CreateChatData {
    #[derive(serde::Deserialize)]
    struct Envelope {
        code: i64,
        data: CreateChatData,
    }
    let answer = http
        .post(url)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(reqwest::header::CONTENT_TYPE, JSON)
        .body(serde_json::to_vec(&doc_request::typed()).unwrap())
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
    let bytes = answer.bytes().await.unwrap();
    let envelope: Envelope = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(envelope.code, 0);
    envelope.data
}

fn create_chat(c: &mut Criterion) {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let response = serde_json::to_vec(&schema["examples"]["response"]).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let addr = serve(&runtime, response);
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();
    let client = Client::builder()
        .app("cli_bench", "bench-secret")
        .base_url(&base)
        .http_client(http.clone())
        .build()
        .unwrap();
    let url = format!("{base}/open-apis/im/v1/chats?user_id_type=open_id&uuid={UUID}");

    // Warm up both: the client fetches its token, both open a connection.
    runtime.block_on(async {
        let ours = generated(&client).await;
        let theirs = by_hand(&http, &url, TOKEN).await;
        assert_eq!(
            serde_json::to_value(ours.data()).unwrap()["chat_id"],
            theirs["chat_id"]
        );
    });

    let mut group = c.benchmark_group("create_chat");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("generated_client", |b| {
        b.to_async(&runtime).iter(|| generated(&client))
    });
    group.bench_function("hand_written_reqwest", |b| {
        b.to_async(&runtime).iter(|| by_hand(&http, &url, TOKEN))
    });
    group.bench_function("hand_written_reqwest_typed", |b| {
        b.to_async(&runtime)
            .iter(|| by_hand_typed(&http, &url, TOKEN))
    });
    // Not a comparison: what the idempotency key the client generates when
    // the caller gives none (a random v4 uuid per call) adds.
    group.bench_function("generated_client_own_uuid", |b| {
        b.to_async(&runtime).iter(|| async {
            client
                .im()
                .v1()
                .chat()
                .create()
                .body(doc_request::typed())
                .send()
                .await
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, create_chat);
criterion_main!(benches);
