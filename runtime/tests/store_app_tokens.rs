//! A store app's tokens, over real HTTP against the fake: the ticket comes
//! in as an `app_ticket` event, the client fetches the `app_access_token`
//! with it and one `tenant_access_token` per tenant named with
//! `.tenant_key(..)`, each once however many calls need it; without a
//! ticket it asks Feishu to push one, once, and the call fails with a
//! typed error.

use std::sync::Arc;
use std::time::Duration;

use crate::common::fast_retries;
use feishu_openapi::events::Event;
use feishu_openapi::im::v1::chat::create::CreateChatErrorCode;
use feishu_openapi::testing::{FakeFeishu, FakeFeishuBuilder, Fault, ManualClock};
use feishu_openapi::{Client, ClientBuilder, ErrorKind, NoDocumentedCodes, RetryPolicy};
use serde_json::{Value, json};

const APP_ID: &str = "cli_store_app";
const SECRET: &str = "store-app-secret";

fn store_fake() -> FakeFeishuBuilder {
    FakeFeishu::builder()
        .app(APP_ID, SECRET)
        .store_app()
        .tenant("t1")
        .tenant("t2")
}

fn store_client(fake: &FakeFeishu) -> ClientBuilder {
    Client::builder()
        .store_app(APP_ID, SECRET)
        .base_url(fake.url())
        .retry(fast_retries(3))
}

/// The event as a webhook handler would have it.
fn event(body: Value) -> Event {
    let Value::Object(body) = body else {
        panic!("not an object: {body}");
    };
    Event::from_object(body).expect("an event envelope")
}

/// Hands the client the fake's current ticket, as a webhook handler does.
async fn feed_ticket(client: &Client, fake: &FakeFeishu) {
    assert!(
        client
            .accept_app_ticket(&event(fake.app_ticket_event()))
            .await
            .unwrap()
    );
}

type CallResult = Result<(), ErrorKind<CreateChatErrorCode>>;

async fn create_in(client: &Client, tenant: &str) -> CallResult {
    client
        .im()
        .v1()
        .chat()
        .create()
        .name("x")
        .tenant_key(tenant)
        .send()
        .await
        .map(drop)
        .map_err(feishu_openapi::Error::into_kind)
}

fn bearer_of(request: &feishu_openapi::testing::RecordedRequest) -> String {
    request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .expect("a bearer token")
        .to_owned()
}

fn body_text(request: &feishu_openapi::testing::RecordedRequest) -> String {
    String::from_utf8(request.body.clone()).unwrap()
}

/// The inner error of `ErrorKind::Auth`.
fn auth_error(result: CallResult) -> ErrorKind {
    match result {
        Err(ErrorKind::Auth(inner)) => *inner,
        other => panic!("expected ErrorKind::Auth, got {other:?}"),
    }
}

#[tokio::test]
async fn token_endpoints_get_the_bodies_the_pages_show() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake).build().unwrap();
    feed_ticket(&client, &fake).await;

    create_in(&client, "t1").await.unwrap();

    let ticket = fake.app_ticket();
    let app = fake.app_access_token_requests();
    assert_eq!(app.len(), 1);
    assert_eq!(app[0].method, "POST");
    assert_eq!(
        app[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        body_text(&app[0]),
        format!(r#"{{"app_id":"{APP_ID}","app_secret":"{SECRET}","app_ticket":"{ticket}"}}"#)
    );
    let app_token = fake.issued_app_tokens();
    assert_eq!(app_token.len(), 1);
    let tenant = fake.store_tenant_token_requests();
    assert_eq!(tenant.len(), 1);
    assert_eq!(
        tenant[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        body_text(&tenant[0]),
        format!(
            r#"{{"app_access_token":"{}","tenant_key":"t1"}}"#,
            app_token[0]
        )
    );
    // The self-built endpoint is never asked, nor the resend.
    assert!(fake.token_requests().is_empty());
    assert!(fake.app_ticket_resend_requests().is_empty());
    let calls = fake.api_requests();
    assert_eq!(calls.len(), 1);
    assert_eq!(bearer_of(&calls[0]), fake.issued_tenant_tokens("t1")[0]);
}

#[tokio::test]
async fn each_tenant_gets_its_own_token_fetched_once() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake).build().unwrap();
    feed_ticket(&client, &fake).await;

    for tenant in ["t1", "t2", "t1", "t2", "t1"] {
        create_in(&client, tenant).await.unwrap();
    }

    let t1 = fake.issued_tenant_tokens("t1");
    let t2 = fake.issued_tenant_tokens("t2");
    assert_eq!(t1.len(), 1);
    assert_eq!(t2.len(), 1);
    assert_ne!(t1[0], t2[0]);
    assert_eq!(fake.app_access_token_requests().len(), 1);
    assert_eq!(fake.store_tenant_token_requests().len(), 2);
    let used: Vec<String> = fake.api_requests().iter().map(bearer_of).collect();
    assert_eq!(
        used,
        [&t1[0], &t2[0], &t1[0], &t2[0], &t1[0]].map(String::clone)
    );
    assert_eq!(fake.tenant_of_token(&t2[0]).as_deref(), Some("t2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_for_one_tenant_fetch_once() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake).build().unwrap();
    feed_ticket(&client, &fake).await;

    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { create_in(&client, "t1").await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }

    assert_eq!(fake.app_access_token_requests().len(), 1);
    assert_eq!(fake.store_tenant_token_requests().len(), 1);
    assert_eq!(fake.api_requests().len(), 10);
}

#[tokio::test]
async fn without_a_ticket_a_resend_is_asked_for_once_and_calls_fail_typed() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    for _ in 0..3 {
        let error = auth_error(create_in(&client, "t1").await);
        assert!(
            matches!(error, ErrorKind::<NoDocumentedCodes>::AppTicketAwaited),
            "{error:?}"
        );
    }

    let resend = fake.app_ticket_resend_requests();
    assert_eq!(resend.len(), 1);
    assert_eq!(
        body_text(&resend[0]),
        format!(r#"{{"app_id":"{APP_ID}","app_secret":"{SECRET}"}}"#)
    );
    assert_eq!(
        resend[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert!(fake.app_access_token_requests().is_empty());
    assert!(fake.api_requests().is_empty());

    // The event arrives: the next call goes through.
    feed_ticket(&client, &fake).await;
    create_in(&client, "t1").await.unwrap();
    assert_eq!(fake.app_ticket_resend_requests().len(), 1);
    assert_eq!(fake.api_requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_finds_the_ticket_pushed_after_the_resend() {
    let fake = Arc::new(store_fake().start().await.unwrap());
    let client = store_client(&fake)
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
        })
        .build()
        .unwrap();
    // Feishu pushes the ticket at once when asked; the webhook feeds it.
    let pusher = {
        let (client, fake) = (client.clone(), Arc::clone(&fake));
        tokio::spawn(async move {
            while fake.app_ticket_resend_requests().is_empty() {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            feed_ticket(&client, &fake).await;
        })
    };

    create_in(&client, "t1").await.unwrap();
    pusher.await.unwrap();

    assert_eq!(fake.app_ticket_resend_requests().len(), 1);
    assert_eq!(fake.app_access_token_requests().len(), 1);
    assert_eq!(fake.api_requests().len(), 1);
}

#[tokio::test]
async fn a_rejected_tenant_token_is_fetched_again_once() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake).build().unwrap();
    feed_ticket(&client, &fake).await;
    create_in(&client, "t1").await.unwrap();

    fake.inject(Fault::InvalidToken);
    create_in(&client, "t1").await.unwrap();

    // Fetched again; the fake, as the pages say, answers a token with 30
    // minutes or more left with that same token.
    assert_eq!(fake.store_tenant_token_requests().len(), 2);
    let first = fake.issued_tenant_tokens("t1");
    assert_eq!(first.len(), 1);
    // 99991663 is about the tenant token: the app token stays.
    assert_eq!(fake.app_access_token_requests().len(), 1);

    // Revoked for real: the tenant token endpoint refuses the app token
    // too, and the client fetches both anew.
    fake.revoke_tokens();
    create_in(&client, "t1").await.unwrap();

    let tokens = fake.issued_tenant_tokens("t1");
    assert_eq!(tokens.len(), 2);
    let used: Vec<String> = fake.api_requests().iter().map(bearer_of).collect();
    assert_eq!(
        used,
        [&tokens[0], &tokens[0], &tokens[0], &tokens[0], &tokens[1]].map(String::clone)
    );
    assert_eq!(fake.issued_app_tokens().len(), 2);
    let tenant = fake.store_tenant_token_requests();
    assert_eq!(tenant.len(), 4);
    assert_eq!(
        tenant[3].json().unwrap()["app_access_token"],
        json!(fake.issued_app_tokens()[1])
    );

    // Rejected twice in a row: one new fetch, then the error.
    fake.inject(Fault::InvalidToken);
    fake.inject(Fault::InvalidToken);
    let error = create_in(&client, "t1").await.unwrap_err();
    assert_eq!(error.api().map(|api| api.code), Some(99991663));
    assert_eq!(fake.store_tenant_token_requests().len(), 5);
}

#[tokio::test]
async fn code_99991664_drops_the_app_token_too() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake).build().unwrap();
    feed_ticket(&client, &fake).await;
    create_in(&client, "t1").await.unwrap();

    fake.inject(Fault::Raw {
        status: 400,
        body: json!({"code": 99991664, "msg": "invalid app access token"}).to_string(),
    });
    create_in(&client, "t1").await.unwrap();

    assert_eq!(fake.app_access_token_requests().len(), 2);
    assert_eq!(fake.store_tenant_token_requests().len(), 2);
    // The fake, as the pages say, answers a token with 30 minutes or more
    // left again instead of a new one.
    assert_eq!(fake.issued_app_tokens().len(), 1);
    assert_eq!(fake.issued_tenant_tokens("t1").len(), 1);
}

#[tokio::test]
async fn tokens_are_refreshed_before_they_expire() {
    // 20 minutes: under the 30 the pages give, so every fetch gets a new one.
    let fake = store_fake().token_expire(1200).start().await.unwrap();
    let clock = Arc::new(ManualClock::new());
    let client = store_client(&fake).clock(clock.clone()).build().unwrap();
    feed_ticket(&client, &fake).await;
    create_in(&client, "t1").await.unwrap();

    // Past the default refresh margin of five minutes before expiry.
    clock.advance(Duration::from_secs(1200 - 299));
    create_in(&client, "t1").await.unwrap();
    create_in(&client, "t1").await.unwrap();

    let tokens = fake.issued_tenant_tokens("t1");
    assert_eq!(tokens.len(), 2);
    assert_eq!(fake.issued_app_tokens().len(), 2);
    let used: Vec<String> = fake.api_requests().iter().map(bearer_of).collect();
    assert_eq!(
        used,
        [&tokens[0], &tokens[1], &tokens[1]].map(String::clone)
    );
    let tenant = fake.store_tenant_token_requests();
    assert_eq!(
        body_text(&tenant[1]),
        format!(
            r#"{{"app_access_token":"{}","tenant_key":"t1"}}"#,
            fake.issued_app_tokens()[1]
        )
    );
}

#[tokio::test]
async fn a_rotated_ticket_is_picked_up() {
    let fake = store_fake().token_expire(1200).start().await.unwrap();
    let clock = Arc::new(ManualClock::new());
    let client = store_client(&fake)
        .clock(clock.clone())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    feed_ticket(&client, &fake).await;
    let first = fake.app_ticket();
    create_in(&client, "t1").await.unwrap();

    // Feishu rotates the ticket; its event has not arrived yet when the
    // app token is due: the old ticket is refused, a push asked for.
    let second = fake.issue_app_ticket();
    assert_ne!(first, second);
    clock.advance(Duration::from_secs(1200 - 299));
    let error = auth_error(create_in(&client, "t1").await);
    assert!(matches!(error, ErrorKind::AppTicketAwaited), "{error:?}");
    assert_eq!(fake.app_ticket_resend_requests().len(), 1);

    feed_ticket(&client, &fake).await;
    create_in(&client, "t1").await.unwrap();

    let tickets: Vec<Value> = fake
        .app_access_token_requests()
        .iter()
        .map(|request| request.json().unwrap()["app_ticket"].clone())
        .collect();
    assert_eq!(tickets, [json!(first), json!(first), json!(second)]);
    assert_eq!(fake.api_requests().len(), 2);
}

#[tokio::test]
async fn a_call_without_a_tenant_key_is_refused_before_sending() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake).build().unwrap();
    feed_ticket(&client, &fake).await;

    let error = client
        .im()
        .v1()
        .chat()
        .create()
        .name("x")
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(
            error.kind(),
            ErrorKind::MissingTenantKey {
                endpoint: "im.v1.chat.create"
            }
        ),
        "{error:?}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_tenant_that_did_not_install_the_app_is_refused() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    feed_ticket(&client, &fake).await;

    let error = auth_error(create_in(&client, "t9").await);

    assert_eq!(error.api().map(|api| api.code), Some(10003));
    assert!(fake.api_requests().is_empty());
}

#[tokio::test]
async fn only_this_apps_ticket_events_are_taken() {
    let fake = store_fake().start().await.unwrap();
    let client = store_client(&fake)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut other_app = fake.app_ticket_event();
    other_app["event"]["app_id"] = json!("cli_other");
    let other_event = json!({
        "schema": "2.0",
        "header": {"event_id": "e1", "event_type": "im.chat.disbanded_v1", "app_id": APP_ID},
        "event": {"chat_id": "oc_1"},
    });

    assert!(!client.accept_app_ticket(&event(other_app)).await.unwrap());
    assert!(!client.accept_app_ticket(&event(other_event)).await.unwrap());
    // A self-built app's client takes none.
    let self_built = Client::builder()
        .app(APP_ID, SECRET)
        .base_url(fake.url())
        .build()
        .unwrap();
    assert!(
        !self_built
            .accept_app_ticket(&event(fake.app_ticket_event()))
            .await
            .unwrap()
    );
    // Nothing stored: the client still waits for its ticket.
    let error = auth_error(create_in(&client, "t1").await);
    assert!(matches!(error, ErrorKind::AppTicketAwaited), "{error:?}");
}

#[tokio::test]
async fn debug_shows_no_secret_ticket_or_token() {
    let fake = store_fake().start().await.unwrap();
    let tickets = Arc::new(feishu_openapi::cache::MemoryAppTicketStore::new());
    let builder = store_client(&fake).app_ticket_store(tickets.clone());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let ticket_event = event(fake.app_ticket_event());
    feed_ticket(&client, &fake).await;
    create_in(&client, "t1").await.unwrap();
    create_in(&client, "t2").await.unwrap();

    let debug = [
        builder_debug,
        format!("{client:?}"),
        format!("{tickets:?}"),
        format!("{ticket_event:?}"),
        format!("{:?}", fake.requests()),
    ];
    let mut secrets = vec![SECRET.to_owned(), fake.app_ticket()];
    secrets.extend(fake.issued_app_tokens());
    secrets.extend(fake.issued_tenant_tokens("t1"));
    secrets.extend(fake.issued_tenant_tokens("t2"));
    assert_eq!(secrets.len(), 5);
    for text in &debug {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "leaked: {text}");
        }
    }
    assert!(debug[0].contains(APP_ID));
    assert!(debug[2].contains("MemoryAppTicketStore { tickets: 1 }"));
}

/// Instances sharing Redis share the ticket and the tokens.
#[cfg(feature = "redis")]
mod redis_store {
    use std::process::{Child, Command, Stdio};

    use feishu_openapi::cache::{AppTicketStore, TokenCache};
    use feishu_runtime::{RedisAppTicketStore, RedisTokenCache};

    use super::*;

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

    async fn start_redis() -> RedisServer {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let child = Command::new("redis-server")
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
            .unwrap_or_else(|error| panic!("cannot start `redis-server` ({error})"));
        let server = RedisServer {
            child,
            url: format!("redis://127.0.0.1:{port}/"),
        };
        // The server needs a moment to listen; poll instead of guessing a sleep.
        for _ in 0..100 {
            if RedisAppTicketStore::connect(&server.url).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("redis-server did not accept connections at {}", server.url);
    }

    async fn instance(fake: &FakeFeishu, url: &str) -> Client {
        let tickets: Arc<dyn AppTicketStore> =
            Arc::new(RedisAppTicketStore::connect(url).await.unwrap());
        let cache: Arc<dyn TokenCache> = Arc::new(RedisTokenCache::connect(url).await.unwrap());
        store_client(fake)
            .retry(RetryPolicy::none())
            .app_ticket_store(tickets)
            .token_cache(cache)
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn the_ticket_one_instance_receives_serves_both() {
        let server = start_redis().await;
        let fake = store_fake().start().await.unwrap();
        let first = instance(&fake, &server.url).await;
        let second = instance(&fake, &server.url).await;

        feed_ticket(&first, &fake).await;
        create_in(&second, "t1").await.unwrap();
        create_in(&first, "t1").await.unwrap();

        assert!(fake.app_ticket_resend_requests().is_empty());
        assert_eq!(fake.app_access_token_requests().len(), 1);
        assert_eq!(fake.store_tenant_token_requests().len(), 1);
        let used: Vec<String> = fake.api_requests().iter().map(bearer_of).collect();
        let t1 = fake.issued_tenant_tokens("t1");
        assert_eq!(used, [&t1[0], &t1[0]].map(String::clone));
    }

    #[tokio::test]
    async fn tickets_are_kept_per_app_under_the_prefix() {
        let server = start_redis().await;
        let store = RedisAppTicketStore::connect(&server.url)
            .await
            .unwrap()
            .with_prefix("test:ticket:");

        assert_eq!(store.get("cli_a").await.unwrap(), None);
        store.put("cli_a", "ticket-1").await.unwrap();
        store.put("cli_a", "ticket-2").await.unwrap();
        store.put("cli_b", "ticket-b").await.unwrap();

        assert_eq!(
            store.get("cli_a").await.unwrap().as_deref(),
            Some("ticket-2")
        );
        assert_eq!(
            store.get("cli_b").await.unwrap().as_deref(),
            Some("ticket-b")
        );
        let raw = redis::Client::open(server.url.as_str()).unwrap();
        let mut connection = raw.get_multiplexed_async_connection().await.unwrap();
        let stored: Option<String> = redis::cmd("GET")
            .arg("test:ticket:cli_a")
            .query_async(&mut connection)
            .await
            .unwrap();
        assert_eq!(stored.as_deref(), Some("ticket-2"));
        assert_eq!(
            format!("{store:?}"),
            r#"RedisAppTicketStore { prefix: "test:ticket:", .. }"#
        );
    }
}

/// The whole ticket round trip as a store app lives it: no ticket, so the
/// client asks for a resend; the fake pushes the `app_ticket` event to the
/// app's webhook at once; the webhook handler hands it to the client; the
/// call goes through.
#[tokio::test]
async fn a_resend_pushes_the_ticket_to_the_webhook_and_the_call_goes_through() {
    use feishu_openapi::events::{EventReceiver, HandlerError, Webhook};
    use std::sync::OnceLock;

    // The handler needs the client, which needs the fake's URL, which
    // needs the webhook's: the client is handed over once built.
    let slot: Arc<OnceLock<Client>> = Arc::default();
    let handler_slot = Arc::clone(&slot);
    let webhook = Webhook::new()
        .verification_token("store-token")
        .encrypt_key("store-key");
    let receiver = EventReceiver::new(webhook, move |event: Event| {
        let slot = Arc::clone(&handler_slot);
        async move {
            let client = slot.get().ok_or("no client yet")?;
            client.accept_app_ticket(&event).await?;
            Ok::<(), HandlerError>(())
        }
    });
    let router = axum::Router::new().route_service("/webhook/event", receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook/event", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let fake = store_fake()
        .webhook(&url)
        .verification_token("store-token")
        .encrypt_key("store-key")
        .start()
        .await
        .unwrap();
    let client = store_client(&fake)
        .retry(RetryPolicy {
            max_retries: 20,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(50),
        })
        .build()
        .unwrap();
    slot.set(client.clone()).unwrap();

    create_in(&client, "t1").await.unwrap();

    assert_eq!(fake.app_ticket_resend_requests().len(), 1);
    // The ticket first; then the new chat's bot-added event.
    let deliveries = fake.deliveries_settled().await;
    let types: Vec<Option<&str>> = deliveries.iter().map(|d| d.event_type.as_deref()).collect();
    assert_eq!(
        types,
        [Some("app_ticket"), Some("im.chat.member.bot.added_v1")]
    );
    assert_eq!(deliveries[0].statuses(), [Some(200)]);
    let app_tokens = fake.app_access_token_requests();
    let ticket = app_tokens.last().unwrap().json().unwrap()["app_ticket"].clone();
    assert_eq!(ticket, json!(fake.app_ticket()));
    assert_eq!(fake.issued_tenant_tokens("t1").len(), 1);
}
