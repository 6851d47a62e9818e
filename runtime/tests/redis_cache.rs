//! Two clients sharing a Redis token cache fetch one token between them.
//! Spawns its own `redis-server` on a free loopback port.

#![cfg(feature = "redis")]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use feishu_openapi::cache::{CachedToken, TokenCache};
use feishu_openapi::testing::FakeFeishu;
use feishu_runtime::RedisTokenCache;

/// A `redis-server` child, killed when dropped.
struct RedisServer {
    child: Child,
    url: String,
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_redis() -> (RedisServer, RedisTokenCache) {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("cannot start `redis-server` ({error}); install it (e.g. `apt-get install redis-server`) and put it on PATH")
        });
    let server = RedisServer {
        child,
        url: format!("redis://127.0.0.1:{port}/"),
    };
    // The server needs a moment to listen; poll instead of guessing a sleep.
    for _ in 0..100 {
        if let Ok(cache) = RedisTokenCache::connect(&server.url).await {
            return (server, cache);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("redis-server did not accept connections at {}", server.url);
}

#[tokio::test]
async fn two_clients_share_one_token() {
    let (server, first_cache) = start_redis().await;
    let second_cache = RedisTokenCache::connect(&server.url).await.unwrap();
    let fake = FakeFeishu::start().await.unwrap();
    let first = client_builder(&fake)
        .token_cache(Arc::new(first_cache))
        .build()
        .unwrap();
    let second = client_builder(&fake)
        .token_cache(Arc::new(second_cache))
        .build()
        .unwrap();

    create_chat(&first, private_chat()).await.unwrap();
    create_chat(&second, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 1);
    let token = format!("Bearer {}", fake.issued_tokens()[0]);
    assert!(
        fake.api_requests()
            .iter()
            .all(|call| call.header("authorization") == Some(token.as_str()))
    );

    // One instance sees the token rejected and replaces it; the other picks
    // up the replacement instead of fetching its own.
    fake.revoke_tokens();
    create_chat(&first, private_chat()).await.unwrap();
    create_chat(&second, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 2);
    let replacement = format!("Bearer {}", fake.issued_tokens()[1]);
    let last = fake.api_requests().pop().unwrap();
    assert_eq!(last.header("authorization"), Some(replacement.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_together_fetch_one_token() {
    let (server, first_cache) = start_redis().await;
    let second_cache = RedisTokenCache::connect(&server.url).await.unwrap();
    let fake = FakeFeishu::start().await.unwrap();
    let instances = [
        client_builder(&fake)
            .token_cache(Arc::new(first_cache))
            .build()
            .unwrap(),
        client_builder(&fake)
            .token_cache(Arc::new(second_cache))
            .build()
            .unwrap(),
    ];
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..100 {
        for client in &instances {
            let client = client.clone();
            calls.spawn(async move { create_chat(&client, private_chat()).await });
        }
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(fake.token_requests().len(), 1);
    assert_eq!(fake.chats().len(), 200);
}

#[tokio::test]
async fn a_claim_is_exclusive_until_released() {
    let (_server, cache) = start_redis().await;
    let ttl = Duration::from_secs(10);
    let claim = cache
        .claim("cli_a", ttl)
        .await
        .unwrap()
        .expect("the first claim is granted");
    assert_eq!(cache.claim("cli_a", ttl).await.unwrap(), None);
    cache.release("cli_a", "not-the-claim").await.unwrap();
    assert_eq!(cache.claim("cli_a", ttl).await.unwrap(), None);
    cache.release("cli_a", &claim).await.unwrap();
    assert!(cache.claim("cli_a", ttl).await.unwrap().is_some());
}

#[tokio::test]
async fn remove_if_keeps_a_newer_token() {
    let (_server, cache) = start_redis().await;
    let cache = cache.with_prefix("test:");
    let expires_at = std::time::SystemTime::now() + Duration::from_secs(60);
    let stored = CachedToken {
        token: "t-new".to_owned(),
        expires_at,
    };
    cache.put("cli_a", stored.clone()).await.unwrap();
    let read = cache.get("cli_a").await.unwrap().unwrap();
    assert_eq!(read.token, "t-new");
    // Milliseconds survive the round trip; finer parts are dropped.
    let drift = expires_at.duration_since(read.expires_at).unwrap();
    assert!(drift < Duration::from_millis(1));

    cache.remove_if("cli_a", "t-old").await.unwrap();
    assert_eq!(
        cache.get("cli_a").await.unwrap().map(|token| token.token),
        Some("t-new".to_owned())
    );
    cache.remove_if("cli_a", "t-new").await.unwrap();
    assert_eq!(cache.get("cli_a").await.unwrap(), None);
    assert_eq!(cache.get("cli_other").await.unwrap(), None);
}

#[tokio::test]
async fn two_instances_sharing_redis_run_a_redelivered_event_once() {
    use feishu_runtime::events::{Dedup, RedisDedup};
    let (server, _cache) = start_redis().await;
    let first = RedisDedup::connect(&server.url).await.unwrap();
    let second = RedisDedup::connect(&server.url).await.unwrap();
    let remember = Duration::from_millis(300);
    assert!(first.first_delivery("ev_1", remember).await.unwrap());
    assert!(!second.first_delivery("ev_1", remember).await.unwrap());
    assert!(second.first_delivery("ev_2", remember).await.unwrap());
    // A failed handler's event is forgotten, so its redelivery runs it.
    second.forget("ev_2").await.unwrap();
    assert!(first.first_delivery("ev_2", remember).await.unwrap());
    // Redis forgets the id after `remember`.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(second.first_delivery("ev_1", remember).await.unwrap());
    let separate = RedisDedup::connect(&server.url)
        .await
        .unwrap()
        .with_prefix("other-app:");
    assert!(separate.first_delivery("ev_2", remember).await.unwrap());
}
