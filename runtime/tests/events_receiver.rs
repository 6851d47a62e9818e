//! The webhook receiver mounted in axum and called over real HTTP on
//! loopback, as Feishu calls it: the challenge answered, events handed to
//! the handler once however often they are delivered, refused requests
//! never reaching it, a failed handler's event run again on redelivery,
//! and a slow handler acknowledged in time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use feishu_openapi::events::{EncryptKey, Event, EventReceiver, HandlerError, Webhook, timestamp};
use serde_json::{Value, json};

const KEY: &str = "encrypt-key";
const TOKEN: &str = "verification-token";

type Seen = Arc<Mutex<Vec<String>>>;

/// Serves `receiver` at `/webhook/event`; returns its URL.
async fn serve(receiver: EventReceiver) -> String {
    let router = axum::Router::new().route_service("/webhook/event", receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}/webhook/event")
}

fn webhook() -> Webhook {
    Webhook::new().verification_token(TOKEN).encrypt_key(KEY)
}

/// A receiver recording each event id it handles; `fail_first` makes the
/// handler fail on its first call.
fn recording(fail_first: bool) -> (EventReceiver, Seen) {
    let seen: Seen = Arc::default();
    let calls = Arc::new(Mutex::new(0));
    let record = seen.clone();
    let receiver = EventReceiver::new(webhook(), move |event: Event| {
        let record = record.clone();
        let calls = calls.clone();
        async move {
            let call = {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                *calls
            };
            if fail_first && call == 1 {
                return Err::<(), HandlerError>("the database is down".into());
            }
            record.lock().unwrap().push(event.id.clone());
            Ok(())
        }
    });
    (receiver, seen)
}

fn event(id: &str) -> Value {
    json!({
        "schema": "2.0",
        "header": {"event_id": id, "event_type": "im.chat.disbanded_v1", "token": TOKEN,
                   "create_time": "1608725989000", "app_id": "cli_x", "tenant_key": "t_1"},
        "event": {"chat_id": "oc_1"}
    })
}

/// POSTs `plain` as Feishu would: encrypted and signed now.
async fn deliver(url: &str, plain: &Value) -> (u16, Value) {
    let key = EncryptKey::new(KEY);
    let body = json!({"encrypt": key.encrypt(plain.to_string().as_bytes(), [3; 16])}).to_string();
    let at = timestamp(SystemTime::now());
    let signature = key.signature(&at, "n-1", body.as_bytes());
    let answer = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("x-lark-request-timestamp", &at)
        .header("x-lark-request-nonce", "n-1")
        .header("x-lark-signature", signature)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap())
}

#[tokio::test]
async fn the_url_verification_gets_its_challenge_back() {
    let (receiver, seen) = recording(false);
    let url = serve(receiver).await;
    let challenge = json!({"challenge": "ajls384kdj", "token": TOKEN, "type": "url_verification"});
    let (status, body) = deliver(&url, &challenge).await;
    assert_eq!((status, body), (200, json!({"challenge": "ajls384kdj"})));
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_redelivered_event_runs_the_handler_once() {
    let (receiver, seen) = recording(false);
    let url = serve(receiver).await;
    for _ in 0..3 {
        let (status, _) = deliver(&url, &event("ev_1")).await;
        assert_eq!(status, 200);
    }
    deliver(&url, &event("ev_2")).await;
    assert_eq!(*seen.lock().unwrap(), ["ev_1", "ev_2"]);
}

#[tokio::test]
async fn refused_requests_get_their_status_and_never_reach_the_handler() {
    let (receiver, seen) = recording(false);
    let url = serve(receiver).await;
    let http = reqwest::Client::new();
    // Unsigned, plain, not JSON, wrong method, too large.
    let unsigned = json!({"encrypt": EncryptKey::new(KEY).encrypt(event("ev_1").to_string().as_bytes(), [0; 16])});
    let cases: Vec<(reqwest::RequestBuilder, u16)> = vec![
        (http.post(&url).body(unsigned.to_string()), 401),
        (http.post(&url).body(event("ev_1").to_string()), 400),
        (http.post(&url).body("{"), 400),
        (http.get(&url), 405),
        (http.post(&url).body(vec![b' '; 2 * 1024 * 1024]), 413),
    ];
    for (request, status) in cases {
        assert_eq!(request.send().await.unwrap().status().as_u16(), status);
    }
    // Signed and sealed, but carrying another verification token.
    let mut forged = event("ev_1");
    forged["header"]["token"] = json!("other");
    let (status, _) = deliver(&url, &forged).await;
    assert_eq!(status, 401);
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_handler_answers_500_and_the_redelivery_runs_it_again() {
    let (receiver, seen) = recording(true);
    let url = serve(receiver).await;
    let (status, body) = deliver(&url, &event("ev_1")).await;
    assert_eq!(status, 500);
    // The handler's own error stays in the process.
    assert!(!body.to_string().contains("database"));
    let (status, _) = deliver(&url, &event("ev_1")).await;
    assert_eq!(status, 200);
    assert_eq!(*seen.lock().unwrap(), ["ev_1"]);
}

#[tokio::test]
async fn a_slow_handler_is_acknowledged_in_time_and_finishes() {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let receiver = EventReceiver::new(webhook(), move |event: Event| {
        let record = record.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(600)).await;
            record.lock().unwrap().push(event.id);
            Ok(())
        }
    })
    .ack_within(Duration::from_millis(100));
    let url = serve(receiver).await;
    let (status, _) = deliver(&url, &event("ev_slow")).await;
    assert_eq!(status, 200);
    assert!(
        seen.lock().unwrap().is_empty(),
        "answered before the handler ended"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(*seen.lock().unwrap(), ["ev_slow"]);
}
