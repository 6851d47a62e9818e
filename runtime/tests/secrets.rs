//! Secrets (the app secret, tenant and user tokens, authorization codes,
//! PKCE verifiers, a store app's ticket and app token) never show in
//! `Debug` output, in errors or in what the client logs through `tracing`.

use std::sync::Arc;

use crate::common::*;
use feishu_openapi::cache::MemoryAppTicketStore;
use feishu_openapi::events::Event;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::user_auth::{CodeExchange, MemoryUserTokenStore};
use feishu_openapi::{Client, RequestOptions, RetryPolicy};
use serde_json::Value;

const SECRET: &str = "s3cr3t-app-secret-value";

#[tokio::test]
async fn secrets_stay_out_of_logs_and_debug() {
    let fake = FakeFeishu::builder()
        .app("cli_secret_test", SECRET)
        .start()
        .await
        .unwrap();
    let captured = Captured::default();
    let subscriber = captured.subscriber(tracing::Level::TRACE);
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
    let subscriber = captured.subscriber(tracing::Level::TRACE);
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

#[tokio::test]
async fn store_app_tickets_and_tokens_stay_out_of_logs_errors_and_debug() {
    let fake = FakeFeishu::builder()
        .app("cli_secret_test", SECRET)
        .store_app()
        .tenant("t1")
        .start()
        .await
        .unwrap();
    let captured = Captured::default();
    let subscriber = captured.subscriber(tracing::Level::TRACE);
    let _guard = tracing::subscriber::set_default(subscriber);

    let tickets = Arc::new(MemoryAppTicketStore::new());
    let builder = Client::builder()
        .store_app(fake.app_id(), SECRET)
        .base_url(fake.url())
        .retry(RetryPolicy::none())
        .app_ticket_store(tickets.clone());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let in_t1 = RequestOptions::new().tenant_key("t1");
    // No ticket yet: a resend, and the typed error.
    let awaited = create_chat_with(&client, &in_t1).await.unwrap_err();
    let Value::Object(body) = fake.app_ticket_event() else {
        panic!("the event is an object");
    };
    let event = Event::from_object(body).unwrap();
    assert!(client.accept_app_ticket(&event).await.unwrap());
    create_chat_with(&client, &in_t1).await.unwrap();
    fake.revoke_tokens();
    create_chat_with(&client, &in_t1).await.unwrap();
    // The ticket rotates unseen: the app token endpoint refuses the old one.
    fake.issue_app_ticket();
    fake.revoke_tokens();
    let refused = create_chat_with(&client, &in_t1).await.unwrap_err();

    let debug = [
        builder_debug,
        format!("{client:?}"),
        format!("{tickets:?}"),
        format!("{event:?}"),
        format!("{in_t1:?}"),
        format!("{awaited:?} {awaited}"),
        format!("{refused:?} {refused}"),
        format!("{:?}", fake.requests()),
    ];
    let logs = captured.text();
    assert!(logs.contains("fetched app_access_token"), "{logs}");
    assert!(logs.contains("stored a new app_ticket"), "{logs}");
    let mut secrets = vec![SECRET.to_owned(), fake.app_ticket()];
    secrets.extend(fake.app_access_token_requests().iter().map(|request| {
        request.json().unwrap()["app_ticket"]
            .as_str()
            .unwrap()
            .to_owned()
    }));
    secrets.extend(fake.issued_app_tokens());
    secrets.extend(fake.issued_tenant_tokens("t1"));
    assert_eq!(fake.issued_tenant_tokens("t1").len(), 2);
    for text in debug.iter().chain([&logs]) {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{secret} leaked: {text}");
        }
    }
    assert!(debug[4].contains("tenant_key: Some(\"t1\")"));
}
