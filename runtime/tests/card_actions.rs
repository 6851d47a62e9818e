//! Card callbacks (`card.action.trigger`), held to the page "卡片回传交互回调":
//! its callback example reads into `CardAction` field by field, and both
//! reply examples read into `CardReply` and write back the same JSON. A
//! click delivered over the webhook (real HTTP, encrypted and signed) and
//! over the long connection (the fake's) is answered with the handler's
//! reply in time; a handler that runs late is answered for with no change
//! and still finishes.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use base64::Engine;
use feishu_openapi::events::card_action::{
    Action, CardAction, CardContext, CardReply, Operator, ReplyCard, ToastKind,
};
use feishu_openapi::events::long_connection::ClientConfig;
use feishu_openapi::events::{
    EncryptKey, EventReceiver, HandlerError, LongConnection, TypedEvent, Webhook, timestamp,
};
use feishu_openapi::testing::FakeFeishu;
use serde_json::{Value, json};

const KEY: &str = "encrypt-key";

/// The page's JSON examples, its `//` comments taken out: the callback,
/// then the two replies.
fn page_examples() -> Vec<Value> {
    let page = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pages/guides/cards/card-callback-communication.md");
    let page = std::fs::read_to_string(page).unwrap();
    let mut examples = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        // Only whole blocks: the table cells hold snippets, written "```json  ".
        if line != "```json" {
            continue;
        }
        let block: Vec<String> = lines
            .by_ref()
            .take_while(|l| l.trim() != "```")
            .map(|l| without_comment(l).to_owned())
            .collect();
        examples.push(serde_json::from_str(&block.join("\n")).unwrap());
    }
    examples
}

/// The line up to a `//` that is outside a string.
fn without_comment(line: &str) -> &str {
    let mut in_string = false;
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'"' if i == 0 || bytes[i - 1] != b'\\' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn callback(token: &str) -> Value {
    let mut callback = page_examples().remove(0);
    callback["header"]["token"] = json!(token);
    callback
}

#[test]
fn the_page_s_callback_reads_into_card_action() {
    let examples = page_examples();
    assert_eq!(examples.len(), 3, "a callback and two replies");
    let event =
        feishu_openapi::events::Event::from_object(examples[0].as_object().unwrap().clone())
            .unwrap();
    let action = CardAction::from_event(&event).unwrap();
    let page = &examples[0]["event"];
    assert_eq!(
        action.operator,
        Operator {
            tenant_key: Some("2df73991750*****".into()),
            user_id: Some("867*****".into()),
            union_id: Some("on_cad4860e7af114fb4ff6c5d496d*****".into()),
            open_id: Some("ou_3c14f3a59eaf2825dbe25359f15*****".into()),
        }
    );
    assert_eq!(action.token, "c-295ee57216a5dc9de90fefd0aadb4b1d7d******");
    assert_eq!(
        action.action,
        Action {
            value: json!({"key": "value"}),
            tag: Some("button".into()),
            timezone: Some("Asia/Shanghai".into()),
            name: Some("Button_lvkepfu3".into()),
            form_value: page["action"]["form_value"].as_object().cloned(),
            ..Action::default()
        }
    );
    assert_eq!(action.host.as_deref(), Some("im_message"));
    assert_eq!(action.delivery_type.as_deref(), Some("url_preview"));
    assert_eq!(
        action.context,
        CardContext {
            url: Some("xxx".into()),
            preview_token: Some("xxx".into()),
            open_message_id: Some("om_574d639e4a44e4dd646eaf628e2*****".into()),
            open_chat_id: Some("oc_e4d2605ca917e695f54f11aaf56*****".into()),
        }
    );
    assert_eq!(
        serde_json::to_value(&action).unwrap(),
        *page,
        "nothing is lost"
    );
    assert!(
        !format!("{action:?}").contains("c-295ee"),
        "the update token stays out of Debug"
    );
}

#[test]
fn both_reply_examples_read_and_write_back_the_same() {
    let examples = page_examples();
    for reply in &examples[1..] {
        let typed: CardReply = serde_json::from_value(reply.clone()).unwrap();
        assert_eq!(serde_json::to_value(&typed).unwrap(), *reply);
    }
    let template: CardReply = serde_json::from_value(examples[2].clone()).unwrap();
    let Some(ReplyCard::Template(template)) = template.card else {
        panic!("a template")
    };
    assert_eq!(template.template_id, "AAqi6xJ8rabcd");
}

/// POSTs the callback encrypted and signed, as Feishu does; the answer.
async fn click_over_webhook(url: &str, callback: &Value) -> (u16, String) {
    let key = EncryptKey::new(KEY);
    let body =
        json!({"encrypt": key.encrypt(callback.to_string().as_bytes(), [7; 16])}).to_string();
    let at = timestamp(SystemTime::now());
    let answer = reqwest::Client::new()
        .post(url)
        .header("x-lark-request-timestamp", &at)
        .header("x-lark-request-nonce", "nonce")
        .header(
            "x-lark-signature",
            key.signature(&at, "nonce", body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

async fn serve(receiver: EventReceiver) -> String {
    let router = axum::Router::new().route_service("/webhook/card", receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}/webhook/card")
}

/// A handler that waits `delay`, records the clicked component and
/// replies with a toast and a new card.
fn handler(
    delay: Duration,
    done: Arc<Mutex<Vec<String>>>,
) -> impl Fn(
    CardAction,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<CardReply, HandlerError>> + Send>,
> + Send
+ Sync
+ 'static {
    move |action: CardAction| {
        let done = done.clone();
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            done.lock()
                .unwrap()
                .push(action.action.name.unwrap_or_default());
            let card = json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": "done"}]}});
            Ok(CardReply::toast(ToastKind::Success, "已处理").with_card(card))
        })
    }
}

const REPLY: &str = r#"{"toast":{"type":"success","content":"已处理"},"card":{"type":"raw","data":{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"done"}]}}}}"#;

#[tokio::test]
async fn a_click_over_the_webhook_is_answered_with_the_reply() {
    let done = Arc::new(Mutex::new(Vec::new()));
    let webhook = Webhook::new()
        .verification_token("v-token")
        .encrypt_key(KEY);
    let receiver = EventReceiver::new(webhook, |_| async { Ok::<(), HandlerError>(()) })
        .on_card_action(handler(Duration::ZERO, done.clone()));
    let url = serve(receiver).await;
    let (status, body) = click_over_webhook(&url, &callback("v-token")).await;
    assert_eq!((status, body.as_str()), (200, REPLY));
    assert_eq!(*done.lock().unwrap(), ["Button_lvkepfu3"]);
}

#[tokio::test]
async fn a_late_handler_is_answered_for_with_no_change_and_still_finishes() {
    let done = Arc::new(Mutex::new(Vec::new()));
    let webhook = Webhook::new()
        .verification_token("v-token")
        .encrypt_key(KEY);
    let receiver = EventReceiver::new(webhook, |_| async { Ok::<(), HandlerError>(()) })
        .ack_within(Duration::from_millis(100))
        .on_card_action(handler(Duration::from_millis(400), done.clone()));
    let url = serve(receiver).await;
    let started = std::time::Instant::now();
    let (status, body) = click_over_webhook(&url, &callback("v-token")).await;
    assert_eq!((status, body.as_str()), (200, "{}"));
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "answered before the handler ended"
    );
    assert!(done.lock().unwrap().is_empty());
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        *done.lock().unwrap(),
        ["Button_lvkepfu3"],
        "the handler went on"
    );
}

#[tokio::test]
async fn a_click_over_the_long_connection_is_answered_with_the_reply() {
    let fake = FakeFeishu::start().await.unwrap();
    let done = Arc::new(Mutex::new(Vec::new()));
    let config = ClientConfig {
        reconnect_count: -1,
        reconnect_interval: Duration::from_millis(20),
        reconnect_nonce: Duration::ZERO,
        ping_interval: Duration::from_millis(200),
    };
    let connection = LongConnection::new(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .client_config(config)
        .on_card_action(handler(Duration::ZERO, done.clone()))
        .start(|_| async { Ok::<(), HandlerError>(()) });
    let ack = fake.send_over_long_connection(callback("")).await.unwrap();
    assert_eq!(ack.code, Some(200));
    let data = ack.payload["data"].as_str().expect("the reply, in base64");
    let reply = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    assert_eq!(String::from_utf8(reply).unwrap(), REPLY);
    assert_eq!(*done.lock().unwrap(), ["Button_lvkepfu3"]);
    connection.shutdown().await.unwrap();
}
