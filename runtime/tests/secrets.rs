//! Secrets (the app secret, tenant and user tokens, authorization codes,
//! PKCE verifiers) never show in `Debug` output or in what the client logs
//! through `tracing`.

#![cfg(feature = "testing")]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::user_auth::{CodeExchange, MemoryUserTokenStore};
use feishu_openapi::{Client, RequestOptions};

const SECRET: &str = "s3cr3t-app-secret-value";

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn secrets_stay_out_of_logs_and_debug() {
    let fake = FakeFeishu::builder()
        .app("cli_secret_test", SECRET)
        .start()
        .await
        .unwrap();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let builder = client_builder(&fake);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    fake.revoke_tokens();
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    create_chat(&client, private_chat()).await.unwrap();

    let tokens = fake.issued_tokens();
    assert_eq!(tokens.len(), 2);
    let options = RequestOptions::new()
        .tenant_access_token(tokens[0].clone())
        .user_access_token("u-user-token");
    let debug = [
        builder_debug,
        format!("{client:?}"),
        format!("{options:?}"),
        format!("{:?}", fake.requests()),
        format!("{fake:?}"),
    ];
    let logs = captured.text();
    assert!(
        logs.contains("fetched tenant_access_token"),
        "tracing was not captured: {logs}"
    );
    assert!(logs.contains("retrying"));
    for text in debug.iter().chain([&logs]) {
        assert!(!text.contains(SECRET), "app secret leaked: {text}");
        for token in tokens.iter().map(String::as_str).chain(["u-user-token"]) {
            assert!(!text.contains(token), "token leaked: {text}");
        }
    }
    assert!(debug[0].contains("cli_secret_test"));
}

#[test]
fn client_debug_shows_no_secret_before_use() {
    let client = Client::new("cli_a", SECRET).unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("cli_a"));
    assert!(!debug.contains(SECRET));
}

#[tokio::test]
async fn user_auth_types_redact_tokens_codes_and_verifiers() {
    const VERIFIER: &str = "TxYmzM4PHLBlqm5NtnCmwxMH8mFlRWl_ipie3O0aVzo";
    let fake = FakeFeishu::builder()
        .app("cli_secret_test", SECRET)
        .start()
        .await
        .unwrap();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let store = Arc::new(MemoryUserTokenStore::new());
    let builder = client_builder(&fake).user_token_store(store.clone());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let auth = client.user_auth().unwrap();
    let code = fake.authorize(OWNER);
    let exchange = CodeExchange::new(&code)
        .redirect_uri("https://example.com/callback")
        .code_verifier(VERIFIER);
    let token = auth.exchange_code_for_user(OWNER, &exchange).await.unwrap();
    // A call as the user, whose token is rejected once and refreshed.
    fake.inject(Fault::InvalidToken);
    create_chat_with(&client, &RequestOptions::new().as_user(OWNER))
        .await
        .unwrap();
    let refreshed = auth.stored_token(OWNER).await.unwrap().unwrap();
    let reused = auth.exchange_code(&exchange).await.unwrap_err();

    let debug = [
        builder_debug,
        format!("{client:?}"),
        format!("{auth:?}"),
        format!("{store:?}"),
        format!("{exchange:?}"),
        format!("{token:?}"),
        format!("{refreshed:?}"),
        format!("{reused:?} {reused}"),
        format!(
            "{:?}",
            auth.authorization_url("https://example.com/callback")
        ),
        format!("{:?}", fake.oauth_token_requests()),
    ];
    let logs = captured.text();
    assert!(logs.contains("obtained user_access_token"), "{logs}");
    assert!(logs.contains("token rejected"), "{logs}");
    let issued = fake.issued_user_tokens();
    assert_eq!(issued.len(), 4);
    assert!(debug[5].contains("<redacted>") && debug[5].contains("offline_access"));
    for text in debug.iter().chain([&logs]) {
        assert!(!text.contains(SECRET), "app secret leaked: {text}");
        for secret in issued.iter().map(String::as_str).chain([VERIFIER, &code]) {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
}
