//! Users' tokens in Redis: a round trip keeps every field, keys separate
//! apps and users, entries expire with the refresh token, and two
//! instances share one user's rotation. Spawns its own `redis-server` on a
//! free loopback port; skipped, saying so, where none is installed.

#![cfg(feature = "redis")]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::*;
use feishu_openapi::RequestOptions;
use feishu_openapi::clock::ManualClock;
use feishu_openapi::testing::FakeFeishu;
use feishu_openapi::user_auth::{CodeExchange, RedisUserTokenStore, UserToken, UserTokenStore};

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

/// A running server and a store on it, or `None` (after saying why) when
/// `redis-server` is not installed.
async fn start_redis() -> Option<(RedisServer, RedisUserTokenStore)> {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let child = match Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED: `redis-server` is not installed; install it (e.g. `apt-get install redis-server`) to run the Redis user token store tests"
            );
            return None;
        }
        Err(error) => panic!("cannot start `redis-server`: {error}"),
    };
    let server = RedisServer {
        child,
        url: format!("redis://127.0.0.1:{port}/"),
    };
    for _ in 0..100 {
        if let Ok(store) = RedisUserTokenStore::connect(&server.url).await {
            return Some((server, store));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("redis-server did not accept connections at {}", server.url);
}

/// `seconds` from now, to the millisecond the store keeps.
fn in_seconds(seconds: u64) -> SystemTime {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    UNIX_EPOCH + Duration::from_millis(now.as_millis() as u64) + Duration::from_secs(seconds)
}

#[tokio::test]
async fn the_redis_store_round_trips_tokens_keyed_by_app_and_user() {
    let Some((server, store)) = start_redis().await else {
        return;
    };
    let store = store.with_prefix("test:");
    // The connection URL may hold a password: Debug shows the prefix only.
    let debug = format!("{store:?}");
    assert!(
        debug.contains("test:") && !debug.contains("127.0.0.1"),
        "{debug}"
    );
    let token = UserToken {
        access_token: "u-access".to_owned(),
        expires_at: in_seconds(7200),
        refresh_token: Some("ur-refresh".to_owned()),
        refresh_expires_at: Some(in_seconds(604_800)),
        scope: "auth:user.id:read offline_access".to_owned(),
    };
    store.put("cli_a", OWNER, token.clone()).await.unwrap();
    assert_eq!(store.get("cli_a", OWNER).await.unwrap(), Some(token));
    assert_eq!(store.get("cli_b", OWNER).await.unwrap(), None);
    assert_eq!(store.get("cli_a", "ou_other").await.unwrap(), None);

    // The entry lives as long as its refresh token.
    let client = redis::Client::open(server.url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg(format!("test:cli_a:{OWNER}"))
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!((604_700_000..=604_800_000).contains(&ttl), "{ttl}");

    // A token without a refresh token replaces every field, and lives as
    // long as its access token.
    let short = UserToken {
        access_token: "u-second".to_owned(),
        expires_at: in_seconds(60),
        refresh_token: None,
        refresh_expires_at: None,
        scope: String::new(),
    };
    store.put("cli_a", OWNER, short.clone()).await.unwrap();
    assert_eq!(store.get("cli_a", OWNER).await.unwrap(), Some(short));
    let ttl: i64 = redis::cmd("PTTL")
        .arg(format!("test:cli_a:{OWNER}"))
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!((59_000..=60_000).contains(&ttl), "{ttl}");

    store.remove("cli_a", OWNER).await.unwrap();
    assert_eq!(store.get("cli_a", OWNER).await.unwrap(), None);
    store.remove("cli_a", OWNER).await.unwrap();
}

#[tokio::test]
async fn two_instances_share_a_users_rotation_through_redis() {
    let Some((server, first_store)) = start_redis().await else {
        return;
    };
    let second_store = RedisUserTokenStore::connect(&server.url).await.unwrap();
    let clock = Arc::new(ManualClock::new());
    let fake = FakeFeishu::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let instance = |store: RedisUserTokenStore| {
        client_builder(&fake)
            .clock(clock.clone())
            .user_token_store(Arc::new(store))
            .build()
            .unwrap()
    };
    let (first, second) = (instance(first_store), instance(second_store));

    let code = fake.authorize(OWNER);
    first
        .user_auth()
        .unwrap()
        .exchange_code_for_user(OWNER, &CodeExchange::new(code))
        .await
        .unwrap();
    let as_owner = RequestOptions::new().as_user(OWNER);
    // The other instance uses the stored token as is.
    create_chat_with(&second, &as_owner).await.unwrap();

    // One instance refreshes; the other picks up the rotated token.
    clock.advance(Duration::from_secs(7200 - 120));
    create_chat_with(&second, &as_owner).await.unwrap();
    create_chat_with(&first, &as_owner).await.unwrap();
    assert_eq!(fake.refresh_requests().len(), 1);
    let issued = fake.issued_user_tokens();
    let stored = first
        .user_auth()
        .unwrap()
        .stored_token(OWNER)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.refresh_token.as_deref(), Some(issued[3].as_str()));
    let calls = fake.requests_to("/open-apis/im/v1/chats");
    let bearer = |token: &str| format!("Bearer {token}");
    let sent: Vec<_> = calls
        .iter()
        .map(|call| call.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(
        sent,
        [bearer(&issued[0]), bearer(&issued[2]), bearer(&issued[2])]
    );
}
