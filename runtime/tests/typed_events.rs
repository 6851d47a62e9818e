//! The typed events generated from the event pages, received as Feishu
//! sends them: each page's example delivery, encrypted and signed, goes
//! through the webhook over real HTTP twice and reaches the handler once,
//! as the struct of its event type; an event type no page describes is
//! kept raw; a delivery that does not fit its type is a typed error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use feishu_openapi::events::{
    EncryptKey, Event, EventDecodeError, EventReceiver, HandlerError, TypedEvent, Webhook,
    timestamp,
};
use feishu_openapi::im::v1::events::{ChatDisbandedV1, ImEvent};
use serde_json::{Value, json};

const KEY: &str = "encrypt-key";
const TOKEN: &str = "verification-token";

/// Every event schema's example delivery, by schema file.
fn page_examples() -> BTreeMap<String, Value> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.parent().unwrap().ends_with("events") {
                out.push(path);
            }
        }
    }
    // `ImEvent` reads im's events; every group's are checked by the
    // generated doc_examples test.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/im");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            (name, schema["example"].clone())
        })
        .collect()
}

/// The example with this app's verification token, where its envelope keeps it.
fn with_token(mut example: Value) -> Value {
    if example.get("schema").is_some() {
        example["header"]["token"] = json!(TOKEN);
    } else {
        example["token"] = json!(TOKEN);
    }
    example
}

async fn serve(receiver: EventReceiver) -> String {
    let router = axum::Router::new().route_service("/webhook/event", receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}/webhook/event")
}

/// POSTs `plain` encrypted and signed now, as Feishu does.
async fn deliver(url: &str, plain: &Value) -> u16 {
    let key = EncryptKey::new(KEY);
    let body = json!({"encrypt": key.encrypt(plain.to_string().as_bytes(), [7; 16])}).to_string();
    let at = timestamp(SystemTime::now());
    let signature = key.signature(&at, "nonce", body.as_bytes());
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("x-lark-request-timestamp", &at)
        .header("x-lark-request-nonce", "nonce")
        .header("x-lark-signature", signature)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

type Handled = Arc<Mutex<Vec<(String, ImEvent)>>>;

fn receiver() -> (EventReceiver, Handled) {
    let handled: Handled = Arc::default();
    let record = handled.clone();
    let webhook = Webhook::new().verification_token(TOKEN).encrypt_key(KEY);
    let receiver = EventReceiver::new(webhook, move |event: Event| {
        let record = record.clone();
        async move {
            let typed = ImEvent::from_event(&event)?;
            record.lock().unwrap().push((event.id.clone(), typed));
            Ok::<(), HandlerError>(())
        }
    });
    (receiver, handled)
}

#[tokio::test]
async fn every_page_example_reaches_the_handler_once_as_its_typed_event() {
    let examples = page_examples();
    assert_eq!(
        examples.len(),
        14,
        "the event pages in pages/: {:?}",
        examples.keys()
    );
    // The pages' 2.0 examples all carry the same event_id, so each is
    // delivered to a receiver of its own, as to a bot of its own.
    let mut handled = Vec::new();
    for example in examples.values() {
        let (receiver, seen) = receiver();
        let url = serve(receiver).await;
        let plain = with_token(example.clone());
        assert_eq!(deliver(&url, &plain).await, 200);
        assert_eq!(deliver(&url, &plain).await, 200, "the redelivery");
        let mut seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "handled once: {:?}", plain["header"]);
        handled.push(seen.pop().unwrap());
    }
    for ((file, example), (id, typed)) in examples.iter().zip(handled.iter()) {
        let event = Event::from_object(example.as_object().unwrap().clone()).unwrap();
        assert_eq!(id, &event.id, "{file}");
        assert_eq!(typed.event_type(), event.event_type, "{file}");
        assert!(!matches!(typed, ImEvent::Other(_)), "{file} was not typed");
        // What the handler got is what the page's `event` says, field by field.
        // (Generated types do not derive `PartialEq`; `Debug` shows every field.)
        let again = ImEvent::from_event(&event).unwrap();
        assert_eq!(format!("{typed:?}"), format!("{again:?}"), "{file}");
    }
    let disbanded = handled.iter().find_map(|(_, typed)| match typed {
        ImEvent::ChatDisbandedV1(event) => Some(event.clone()),
        _ => None,
    });
    let disbanded = disbanded.expect("the disbanded page's example");
    assert_eq!(
        disbanded.chat_id.as_deref(),
        Some("oc_413871888e0d5492e25b173f0812efb7")
    );
    assert_eq!(disbanded.external, Some(false));
    let operator = disbanded.operator_id.unwrap();
    assert_eq!(
        operator.open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    assert_eq!(
        disbanded.i18n_names.unwrap().en_us.as_deref(),
        Some("group chat")
    );
}

fn delivery(event_type: &str, event: Value) -> Event {
    let envelope = json!({
        "schema": "2.0",
        "header": {"event_id": "ev_1", "event_type": event_type, "token": TOKEN},
        "event": event,
    });
    Event::from_object(envelope.as_object().unwrap().clone()).unwrap()
}

#[test]
fn an_event_type_no_page_describes_is_kept_as_delivered() {
    let event = delivery(
        "im.message.pinned_v9",
        json!({"message": {"message_id": "om_1"}}),
    );
    let read = ImEvent::from_event(&event).unwrap();
    let ImEvent::Other(kept) = &read else {
        panic!("typed as {read:?}");
    };
    assert_eq!(**kept, event);
    assert_eq!(read.event_type(), "im.message.pinned_v9");
}

#[test]
fn a_described_type_whose_event_does_not_fit_is_a_typed_error() {
    let event = delivery(
        "im.chat.disbanded_v1",
        json!({"chat_id": "oc_1", "operator_id": {"open_id": 42}}),
    );
    let error = ImEvent::from_event(&event).unwrap_err();
    assert_eq!(
        error,
        EventDecodeError {
            event_type: "im.chat.disbanded_v1".into(),
            event_id: "ev_1".into(),
            path: "operator_id.open_id".into(),
            message: "invalid type: integer `42`, expected a string".into(),
        }
    );
    // Reading a delivery as another type says so instead of guessing.
    let wrong = delivery("im.chat.updated_v1", json!({"chat_id": "oc_1"}));
    let error = ChatDisbandedV1::from_event(&wrong).unwrap_err();
    assert_eq!(error.path, "");
    assert_eq!(
        error.message,
        "a delivery of im.chat.updated_v1 was read as im.chat.disbanded_v1"
    );
    assert_eq!(ChatDisbandedV1::EVENT_TYPE, "im.chat.disbanded_v1");
}

/// What the fake Feishu sends when its chat API changes a chat is what the
/// pages describe: each event reads into its typed struct.
#[tokio::test]
async fn the_fakes_chat_events_read_into_their_typed_events() {
    use feishu_openapi::testing::FakeFeishu;
    const USER: &str = "ou_9204a37300b3700d61effaa439f34295";

    let (receiver, handled) = receiver();
    let url = serve(receiver).await;
    let fake = FakeFeishu::builder()
        .webhook(&url)
        .verification_token(TOKEN)
        .encrypt_key(KEY)
        .user(USER)
        .start()
        .await
        .unwrap();
    let client = feishu_openapi::Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    let chat = client.im().v1().chat();
    let chat_id = chat
        .create()
        .name("typed")
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();
    chat.update(&chat_id)
        .name("typed, renamed")
        .send()
        .await
        .unwrap();
    let members = client.im().v1().chat_members();
    members
        .create(&chat_id)
        .id_list([USER])
        .send()
        .await
        .unwrap();
    members
        .delete(&chat_id)
        .id_list([USER])
        .send()
        .await
        .unwrap();
    chat.delete(&chat_id).send().await.unwrap();

    let deliveries = fake.deliveries_settled().await;
    assert_eq!(deliveries.len(), 5);
    assert!(deliveries.iter().all(|d| d.delivered), "{deliveries:?}");
    let handled = handled.lock().unwrap();
    let mut kinds: Vec<&str> = handled
        .iter()
        .map(|(_, typed)| match typed {
            ImEvent::ChatUpdatedV1(e) => {
                let after = e.after_change.as_ref().unwrap();
                assert_eq!(after.name.as_deref(), Some("typed, renamed"));
                assert_eq!(e.chat_id.as_deref(), Some(chat_id.as_str()));
                "updated"
            }
            ImEvent::ChatMemberUserAddedV1(e) => {
                let user = &e.users.as_ref().unwrap()[0];
                let id = user.user_id.as_ref().unwrap().open_id.as_deref();
                assert_eq!(id, Some(USER));
                assert_eq!(e.chat_id.as_deref(), Some(chat_id.as_str()));
                "user added"
            }
            ImEvent::ChatMemberUserDeletedV1(e) => {
                assert_eq!(e.chat_id.as_deref(), Some(chat_id.as_str()));
                "user deleted"
            }
            ImEvent::ChatDisbandedV1(e) => {
                assert_eq!(e.chat_id.as_deref(), Some(chat_id.as_str()));
                assert_eq!(e.name.as_deref(), Some("typed, renamed"));
                "disbanded"
            }
            ImEvent::ChatMemberBotAddedV1(e) => {
                assert_eq!(e.chat_id.as_deref(), Some(chat_id.as_str()));
                "bot added"
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [
            "bot added",
            "disbanded",
            "updated",
            "user added",
            "user deleted"
        ]
    );
}

/// A bot on the long connection hears the fake's chat events too, typed.
#[tokio::test]
async fn the_fakes_chat_events_reach_a_long_connection_typed() {
    use feishu_openapi::events::LongConnection;
    use feishu_openapi::testing::FakeFeishu;

    let fake = FakeFeishu::start().await.unwrap();
    let handled: Handled = Arc::default();
    let record = handled.clone();
    let connection = LongConnection::new(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .start(move |event: Event| {
            let record = record.clone();
            async move {
                let typed = ImEvent::from_event(&event)?;
                record.lock().unwrap().push((event.id.clone(), typed));
                Ok::<(), HandlerError>(())
            }
        });
    connection.wait_connected(1).await;
    let client = feishu_openapi::Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    let chat = client.im().v1().chat();
    let chat_id = chat
        .create()
        .name("heard")
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();
    chat.delete(&chat_id).send().await.unwrap();

    for _ in 0..500 {
        if handled.lock().unwrap().len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let handled = handled.lock().unwrap();
    assert_eq!(handled.len(), 2, "{handled:?}");
    // Each event is pushed on its own, so the two may arrive in any order.
    let disbanded = handled.iter().find_map(|(_, typed)| match typed {
        ImEvent::ChatDisbandedV1(event) => Some(event),
        _ => None,
    });
    let added = handled
        .iter()
        .any(|(_, typed)| matches!(typed, ImEvent::ChatMemberBotAddedV1(_)));
    assert!(added, "{handled:?}");
    match disbanded {
        Some(event) => {
            assert_eq!(event.chat_id.as_deref(), Some(chat_id.as_str()));
            assert_eq!(event.name.as_deref(), Some("heard"));
        }
        None => panic!("no disband event: {handled:?}"),
    }
}
