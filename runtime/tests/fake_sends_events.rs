//! The fake Feishu delivering events to a webhook over real HTTP on
//! loopback, as the event guide says Feishu does: POSTs signed and
//! encrypted with the app's keys, checked by this crate's own
//! `EventReceiver`; redelivery of the same `event_id` on failure; and the
//! chat events the group-chat endpoints cause, with the pages' fields.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use feishu_openapi::Client;
use feishu_openapi::events::{EncryptKey, Event, EventReceiver, HandlerError, Webhook};
use feishu_openapi::im::v1::types::MemberIdType;
use feishu_openapi::testing::{
    BOT_OPEN_ID, DEFAULT_REDELIVERY_DELAYS, DeliverError, FakeFeishu, FakeFeishuBuilder,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

const KEY: &str = "test-encrypt-key";
const TOKEN: &str = "test-verification-token";
const TENANT: &str = "736588c9260f175e";
const USER: &str = "ou_7d8a6e6df7621556ce0d21922b676706ccs";
const OTHER: &str = "ou_9204a37300b3700d61effaa439f34295";
const WAIT: Duration = Duration::from_secs(10);

/// What the webhook server saw: each request's headers and raw body.
type Wire = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// Serves `receiver` at `/webhook/event`, recording each request on the
/// wire before the receiver answers it; returns the URL and the record.
async fn serve(receiver: EventReceiver) -> (String, Wire) {
    let wire: Wire = Arc::default();
    let record = wire.clone();
    let router = axum::Router::new().route(
        "/webhook/event",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let receiver = receiver.clone();
            let record = record.clone();
            async move {
                record.lock().unwrap().push((headers.clone(), body.clone()));
                let answer = receiver.handle(&headers, &body).await;
                (
                    StatusCode::from_u16(answer.status).unwrap(),
                    answer.body.clone(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{address}/webhook/event"), wire)
}

/// A receiver with the app's token and key whose handler sends each event
/// it runs on; it fails the first `failures` runs (after sending).
fn receiver(failures: usize) -> (EventReceiver, mpsc::UnboundedReceiver<Event>) {
    let (sender, events) = mpsc::unbounded_channel();
    let runs = Arc::new(Mutex::new(0));
    let webhook = Webhook::new().verification_token(TOKEN).encrypt_key(KEY);
    let receiver = EventReceiver::new(webhook, move |event: Event| {
        let sender = sender.clone();
        let runs = runs.clone();
        async move {
            let run = {
                let mut runs = runs.lock().unwrap();
                *runs += 1;
                *runs
            };
            let _ = sender.send(event);
            if run <= failures {
                return Err::<(), HandlerError>("the database is down".into());
            }
            Ok(())
        }
    });
    (receiver, events)
}

fn fake(url: &str) -> FakeFeishuBuilder {
    FakeFeishu::builder()
        .webhook(url)
        .verification_token(TOKEN)
        .encrypt_key(KEY)
        .redelivery_delays(vec![Duration::from_millis(20); 4])
        .user(OTHER)
}

async fn next(events: &mut mpsc::UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(WAIT, events.recv())
        .await
        .expect("an event within the timeout")
        .expect("the channel is open")
}

fn client(fake: &FakeFeishu) -> Client {
    Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()
        .unwrap()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap().to_str().unwrap()
}

#[tokio::test]
async fn a_delivered_event_is_signed_encrypted_and_handled_once_with_no_redelivery() {
    let (receiver, mut events) = receiver(0);
    let (url, wire) = serve(receiver).await;
    let fake = fake(&url).start().await.unwrap();
    let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();

    let delivery = fake
        .deliver_event(
            "im.chat.disbanded_v1",
            json!({"chat_id": "oc_413871888e0d5492e25b173f0812efb7", "external": false}),
        )
        .await
        .unwrap();

    assert_eq!(delivery.statuses(), [Some(200)]);
    assert!(delivery.delivered);
    let event_id = delivery.event_id.clone().unwrap();
    assert_eq!(event_id.len(), 32);
    assert!(event_id.bytes().all(|byte| byte.is_ascii_hexdigit()));
    assert_eq!(delivery.event_type.as_deref(), Some("im.chat.disbanded_v1"));

    let event = next(&mut events).await;
    assert_eq!(event.event_type, "im.chat.disbanded_v1");
    assert_eq!(event.id, event_id);
    assert_eq!(event.app_id.as_deref(), Some("cli_fake_app"));
    assert_eq!(event.tenant_key.as_deref(), Some(TENANT));
    assert_eq!(
        Value::Object(event.event().unwrap().clone()),
        json!({"chat_id": "oc_413871888e0d5492e25b173f0812efb7", "external": false})
    );
    let header_fields = &event.body["header"];
    assert_eq!(header_fields["token"], TOKEN);
    assert_eq!(event.body["schema"], "2.0");
    let created: u128 = header_fields["create_time"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // Milliseconds, as the event pages' examples write them.
    assert!(created >= before.as_millis() && created < before.as_millis() + 60_000);

    // On the wire: the guide's headers, a signature recomputed here, and an
    // `encrypt` body that decrypts to the envelope.
    let wire = wire.lock().unwrap().clone();
    assert_eq!(wire.len(), 1);
    let (headers, body) = &wire[0];
    assert_eq!(
        header(headers, "content-type"),
        "application/json; charset=utf-8"
    );
    let timestamp = header(headers, "x-lark-request-timestamp");
    let nonce = header(headers, "x-lark-request-nonce");
    let seconds: u64 = timestamp.parse().unwrap();
    assert!(seconds >= before.as_secs() && seconds < before.as_secs() + 60);
    assert!(!nonce.is_empty());
    let mut hash = Sha256::new();
    hash.update(format!("{timestamp}{nonce}{KEY}").as_bytes());
    hash.update(body);
    let expected: String = hash
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(header(headers, "x-lark-signature"), expected);
    let outer: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(outer.as_object().unwrap().len(), 1);
    let plain = EncryptKey::new(KEY)
        .decrypt(outer["encrypt"].as_str().unwrap())
        .unwrap();
    let envelope: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(envelope, delivery.envelope);
    assert_eq!(Value::Object(event.body.clone()), envelope);

    // The record says what was sent.
    let attempt = &delivery.attempts[0];
    assert_eq!(attempt.timestamp, timestamp);
    assert_eq!(attempt.nonce, nonce);
    assert_eq!(attempt.signature.as_deref(), Some(expected.as_str()));
    assert_eq!(attempt.body, body.to_vec());

    // Answered 200: nothing more is sent.
    let deliveries = fake.deliveries_settled().await;
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].statuses(), [Some(200)]);
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn a_failed_handler_gets_the_same_event_again_and_runs_again() {
    let (receiver, mut events) = receiver(1);
    let (url, wire) = serve(receiver).await;
    let fake = fake(&url).start().await.unwrap();

    let delivery = fake
        .deliver_event("im.chat.member.user.added_v1", json!({"chat_id": "oc_1"}))
        .await
        .unwrap();

    assert_eq!(delivery.statuses(), [Some(500), Some(200)]);
    assert!(delivery.delivered);
    let first = next(&mut events).await;
    let second = next(&mut events).await;
    let event_id = delivery.event_id.clone().unwrap();
    assert_eq!(first.id, event_id);
    assert_eq!(second.id, event_id);
    assert_eq!(second.event_type, "im.chat.member.user.added_v1");
    // Each attempt is signed afresh and encrypted under a fresh IV; both
    // carry the one envelope.
    let wire = wire.lock().unwrap().clone();
    assert_eq!(wire.len(), 2);
    assert_ne!(
        header(&wire[0].0, "x-lark-request-nonce"),
        header(&wire[1].0, "x-lark-request-nonce")
    );
    assert_ne!(wire[0].1, wire[1].1);
    let key = EncryptKey::new(KEY);
    for (_, body) in &wire {
        let outer: Value = serde_json::from_slice(body).unwrap();
        let plain = key.decrypt(outer["encrypt"].as_str().unwrap()).unwrap();
        let envelope: Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(envelope, delivery.envelope);
    }
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn an_event_never_answered_200_is_sent_five_times_in_all() {
    let (receiver, mut events) = receiver(0);
    let (url, _wire) = serve(receiver).await;
    // Another token: the receiver refuses every attempt with 401.
    let fake = fake(&url)
        .verification_token("not-the-apps-token")
        .start()
        .await
        .unwrap();

    let delivery = fake
        .deliver_event("im.chat.updated_v1", json!({"chat_id": "oc_1"}))
        .await
        .unwrap();

    assert_eq!(delivery.statuses(), [Some(401); 5]);
    assert!(!delivery.delivered);
    assert!(events.try_recv().is_err());
    assert_eq!(fake.deliveries().len(), 1);
}

#[test]
fn the_default_schedule_is_the_guides() {
    assert_eq!(
        DEFAULT_REDELIVERY_DELAYS,
        [
            Duration::from_secs(15),
            Duration::from_secs(300),
            Duration::from_secs(3600),
            Duration::from_secs(21600),
        ]
    );
}

#[tokio::test]
async fn an_answer_later_than_three_seconds_is_a_failure() {
    // A server that answers its first request after 4 seconds.
    let calls = Arc::new(Mutex::new(0));
    let counted = calls.clone();
    let router = axum::Router::new().route(
        "/slow",
        axum::routing::post(move || {
            let counted = counted.clone();
            async move {
                let call = {
                    let mut calls = counted.lock().unwrap();
                    *calls += 1;
                    *calls
                };
                if call == 1 {
                    tokio::time::sleep(Duration::from_secs(4)).await;
                }
                "{}"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let fake = fake(&format!("http://{address}/slow"))
        .start()
        .await
        .unwrap();

    let delivery = fake
        .deliver_event("im.chat.updated_v1", json!({}))
        .await
        .unwrap();

    assert_eq!(delivery.statuses(), [None, Some(200)]);
    assert!(delivery.attempts[0].error.is_some());
    assert!(delivery.delivered);
}

#[tokio::test]
async fn the_same_envelope_delivered_twice_runs_the_handler_once() {
    let (receiver, mut events) = receiver(0);
    let (url, _wire) = serve(receiver).await;
    let fake = fake(&url).start().await.unwrap();
    let envelope = fake.envelope("im.chat.disbanded_v1", json!({"chat_id": "oc_1"}));

    let first = fake.deliver(envelope.clone()).await.unwrap();
    let second = fake.deliver(envelope.clone()).await.unwrap();

    assert_eq!(first.statuses(), [Some(200)]);
    assert_eq!(second.statuses(), [Some(200)]);
    assert_eq!(first.event_id, second.event_id);
    let event = next(&mut events).await;
    assert_eq!(Some(event.id), first.event_id);
    assert!(events.try_recv().is_err());
    assert_eq!(fake.deliveries().len(), 2);
}

#[tokio::test]
async fn without_an_encrypt_key_the_envelope_goes_plain_and_unsigned() {
    let (sender, mut events) = mpsc::unbounded_channel();
    let receiver = EventReceiver::new(Webhook::new().verification_token(TOKEN), move |event| {
        let sender = sender.clone();
        async move {
            let _ = sender.send(event);
            Ok::<(), HandlerError>(())
        }
    });
    let (url, recorded) = serve(receiver).await;
    let fake = FakeFeishu::builder()
        .webhook(url)
        .verification_token(TOKEN)
        .start()
        .await
        .unwrap();

    let delivery = fake
        .deliver_event("im.chat.disbanded_v1", json!({"chat_id": "oc_1"}))
        .await
        .unwrap();

    assert_eq!(delivery.statuses(), [Some(200)]);
    assert_eq!(next(&mut events).await.id, delivery.event_id.unwrap());
    let recorded = recorded.lock().unwrap().clone();
    let (headers, body) = &recorded[0];
    assert!(headers.get("x-lark-signature").is_none());
    assert!(headers.get("x-lark-request-timestamp").is_some());
    assert_eq!(
        serde_json::from_slice::<Value>(body).unwrap(),
        delivery.envelope
    );
}

#[tokio::test]
async fn without_a_webhook_nothing_is_sent_and_calls_still_succeed() {
    let fake = FakeFeishu::start().await.unwrap();
    let error = fake
        .deliver_event("im.chat.disbanded_v1", json!({}))
        .await
        .unwrap_err();
    assert_eq!(error, DeliverError::NoWebhook);

    let client = client(&fake);
    let chat_id = client
        .im()
        .v1()
        .chat()
        .create()
        .name("quiet")
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();
    client
        .im()
        .v1()
        .chat()
        .delete(&chat_id)
        .send()
        .await
        .unwrap();
    assert_eq!(fake.is_disbanded(&chat_id), Some(true));
    assert!(fake.deliveries_settled().await.is_empty());
}

#[tokio::test]
async fn a_webhook_that_is_down_does_not_fail_the_call() {
    // A port nothing listens on: every attempt fails to connect.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let fake = fake(&format!("http://{address}/webhook/event"))
        .start()
        .await
        .unwrap();
    let client = client(&fake);
    let chat_id = client
        .im()
        .v1()
        .chat()
        .create()
        .name("unheard")
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();

    client
        .im()
        .v1()
        .chat()
        .delete(&chat_id)
        .send()
        .await
        .unwrap();

    // The bot added on create, then the disband: neither got through.
    let deliveries = fake.deliveries_settled().await;
    assert_eq!(deliveries.len(), 2);
    for delivery in &deliveries {
        assert_eq!(delivery.statuses(), [None; 5]);
        assert!(!delivery.delivered);
    }
}

/// A fake with a webhook, a client and a chat the app's bot created.
async fn chat_setup(name: &str) -> (FakeFeishu, Client, String, mpsc::UnboundedReceiver<Event>) {
    let (receiver, mut events) = receiver(0);
    let (url, _wire) = serve(receiver).await;
    let fake = fake(&url).start().await.unwrap();
    let client = client(&fake);
    let chat_id = client
        .im()
        .v1()
        .chat()
        .create()
        .name(name)
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();
    // The app's bot is in the chat it created: it hears it was added.
    let added = next(&mut events).await;
    assert_eq!(added.event_type, "im.chat.member.bot.added_v1");
    assert_eq!(event_of(&added)["chat_id"], json!(chat_id));
    (fake, client, chat_id, events)
}

fn event_of(event: &Event) -> Value {
    Value::Object(event.event().unwrap().clone())
}

#[tokio::test]
async fn disbanding_a_chat_sends_im_chat_disbanded_v1() {
    let (fake, client, chat_id, mut events) = chat_setup("release-42").await;

    client
        .im()
        .v1()
        .chat()
        .delete(&chat_id)
        .send()
        .await
        .unwrap();

    let event = next(&mut events).await;
    assert_eq!(event.event_type, "im.chat.disbanded_v1");
    assert_eq!(
        event_of(&event),
        json!({
            "chat_id": chat_id,
            "operator_id": {"open_id": BOT_OPEN_ID},
            "external": false,
            "operator_tenant_key": TENANT,
            "name": "release-42",
            "i18n_names": {},
        })
    );
    let deliveries = fake.deliveries_settled().await;
    assert_eq!(
        deliveries.len(),
        2,
        "the bot added on create, then the disband"
    );
    assert_eq!(deliveries[1].event_id.as_deref(), Some(event.id.as_str()));
    assert_eq!(deliveries[1].statuses(), [Some(200)]);
}

#[tokio::test]
async fn adding_and_removing_users_sends_the_member_user_events() {
    let (fake, client, chat_id, mut events) = chat_setup("release-43").await;
    let members = client.im().v1().chat_members();

    members
        .create(&chat_id)
        .id_list([OTHER])
        .send()
        .await
        .unwrap();
    let added = next(&mut events).await;
    members
        .delete(&chat_id)
        .id_list([OTHER])
        .send()
        .await
        .unwrap();
    let deleted = next(&mut events).await;

    let expected = json!({
            "chat_id": chat_id,
            "operator_id": {"open_id": BOT_OPEN_ID},
            "external": false,
            "operator_tenant_key": TENANT,
            "users": [{"name": OTHER, "tenant_key": TENANT, "user_id": {"open_id": OTHER}}],
            "name": "release-43",
            "i18n_names": {},
    });
    assert_eq!(added.event_type, "im.chat.member.user.added_v1");
    assert_eq!(event_of(&added), expected);
    assert_eq!(deleted.event_type, "im.chat.member.user.deleted_v1");
    assert_eq!(event_of(&deleted), expected);
    assert_ne!(added.id, deleted.id);
    assert_eq!(fake.members(&chat_id), Some(Vec::new()));

    // Added back, the user is announced again; adding them once more
    // changes nothing and sends nothing.
    members
        .create(&chat_id)
        .id_list([OTHER])
        .send()
        .await
        .unwrap();
    members
        .create(&chat_id)
        .id_list([OTHER])
        .send()
        .await
        .unwrap();
    let again = next(&mut events).await;
    assert_eq!(again.event_type, "im.chat.member.user.added_v1");
    assert_eq!(event_of(&again), expected);
    assert_eq!(fake.deliveries_settled().await.len(), 4);
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn updating_a_chat_sends_what_changed_before_and_after() {
    let (fake, client, chat_id, mut events) = chat_setup("release-44").await;

    client
        .im()
        .v1()
        .chat()
        .update(&chat_id)
        .name("release-44 (shipped)")
        .description("done")
        .send()
        .await
        .unwrap();

    let event = next(&mut events).await;
    assert_eq!(event.event_type, "im.chat.updated_v1");
    assert_eq!(
        event_of(&event),
        json!({
            "chat_id": chat_id,
            "operator_id": {"open_id": BOT_OPEN_ID},
            "external": false,
            "operator_tenant_key": TENANT,
            "before_change": {"name": "release-44", "description": ""},
            "after_change": {"name": "release-44 (shipped)", "description": "done"},
        })
    );
    assert_eq!(fake.deliveries_settled().await.len(), 2);
}

#[tokio::test]
async fn transferring_the_owner_reports_both_owners_as_user_ids() {
    let (receiver, mut events) = receiver(0);
    let (url, _wire) = serve(receiver).await;
    let fake = fake(&url).start().await.unwrap();
    let client = client(&fake);
    let chats = client.im().v1().chat();
    let chat_id = chats
        .create()
        .name("release-46")
        .owner_id(USER)
        .user_id_list([OTHER])
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();

    chats.update(&chat_id).owner_id(OTHER).send().await.unwrap();
    // The same name again changes nothing: no event.
    chats
        .update(&chat_id)
        .name("release-46")
        .send()
        .await
        .unwrap();

    let created = next(&mut events).await;
    assert_eq!(created.event_type, "im.chat.member.bot.added_v1");
    let event = next(&mut events).await;
    assert_eq!(event.event_type, "im.chat.updated_v1");
    let event = event_of(&event);
    assert_eq!(
        event["before_change"],
        json!({"owner_id": {"open_id": USER}})
    );
    assert_eq!(
        event["after_change"],
        json!({"owner_id": {"open_id": OTHER}})
    );
    assert_eq!(fake.deliveries_settled().await.len(), 2);
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn the_apps_bot_leaving_and_joining_again_sends_it_the_member_bot_events() {
    let (receiver, mut events) = receiver(0);
    let (url, _wire) = serve(receiver).await;
    let fake = fake(&url).start().await.unwrap();
    let client = client(&fake);
    // Owned by a user: the owner may not leave, the bot may.
    let chat_id = client
        .im()
        .v1()
        .chat()
        .create()
        .name("release-45")
        .owner_id(OTHER)
        .chat_type("public")
        .send()
        .await
        .unwrap()
        .chat_id
        .clone()
        .unwrap();
    let created = next(&mut events).await;
    assert_eq!(created.event_type, "im.chat.member.bot.added_v1");

    client
        .im()
        .v1()
        .chat_members()
        .delete(&chat_id)
        .member_id_type(MemberIdType::AppId)
        .id_list([fake.app_id()])
        .send()
        .await
        .unwrap();

    let event = next(&mut events).await;
    assert_eq!(event.event_type, "im.chat.member.bot.deleted_v1");
    assert_eq!(
        event_of(&event),
        json!({
            "chat_id": chat_id,
            "operator_id": {"open_id": BOT_OPEN_ID},
            "external": false,
            "operator_tenant_key": TENANT,
            "name": "release-45",
            "i18n_names": {},
        })
    );
    assert_eq!(fake.bot_members(&chat_id), Some(Vec::new()));

    // Out of the chat, the app hears nothing of its changes.
    client
        .im()
        .v1()
        .chat()
        .update(&chat_id)
        .name("release-45 (renamed)")
        .send()
        .await
        .unwrap_err();
    client
        .im()
        .v1()
        .chat_members()
        .me_join(&chat_id)
        .send()
        .await
        .unwrap();
    let joined = next(&mut events).await;
    assert_eq!(joined.event_type, "im.chat.member.bot.added_v1");
    assert_eq!(
        event_of(&joined),
        json!({
            "chat_id": chat_id,
            "operator_id": {"open_id": BOT_OPEN_ID},
            "external": false,
            "operator_tenant_key": TENANT,
            "name": "release-45",
            "i18n_names": {},
        })
    );
    assert_eq!(
        fake.bot_members(&chat_id),
        Some(vec![fake.app_id().to_owned()])
    );
    let types: Vec<Option<String>> = fake
        .deliveries_settled()
        .await
        .into_iter()
        .map(|delivery| delivery.event_type)
        .collect();
    assert_eq!(
        types,
        [
            Some("im.chat.member.bot.added_v1".to_owned()),
            Some("im.chat.member.bot.deleted_v1".to_owned()),
            Some("im.chat.member.bot.added_v1".to_owned()),
        ]
    );
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let (receiver, _events) = receiver(0);
    let (url, _wire) = serve(receiver).await;
    let builder = fake(&url);
    let builder_debug = format!("{builder:?}");
    let fake = builder.start().await.unwrap();
    let delivery = fake
        .deliver_event("im.chat.disbanded_v1", json!({"chat_id": "oc_1"}))
        .await
        .unwrap();
    for debug in [
        builder_debug,
        format!("{fake:?}"),
        format!("{delivery:?}"),
        format!("{:?}", fake.deliveries()),
    ] {
        assert!(!debug.contains(KEY), "{debug}");
        assert!(!debug.contains(TOKEN), "{debug}");
    }
}

#[tokio::test]
async fn the_url_verification_challenge_comes_back_from_the_receiver() {
    let (receiver, mut events) = receiver(0);
    let (url, wire) = serve(receiver).await;
    let app = fake(&url).start().await.unwrap();

    let (verified, attempt) = app.verify_webhook().await.unwrap();

    assert!(verified);
    assert_eq!(attempt.status, Some(200));
    let sent: Value = serde_json::from_slice(
        &EncryptKey::new(KEY)
            .decrypt(
                serde_json::from_slice::<Value>(&attempt.body).unwrap()["encrypt"]
                    .as_str()
                    .unwrap(),
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(sent["type"], "url_verification");
    assert_eq!(sent["token"], TOKEN);
    let answer: Value = serde_json::from_slice(attempt.answer.as_deref().unwrap()).unwrap();
    assert_eq!(answer, json!({"challenge": sent["challenge"]}));
    assert_eq!(wire.lock().unwrap().len(), 1);
    // A challenge is no event: the handler does not run, nothing is recorded.
    assert!(events.try_recv().is_err());
    assert!(app.deliveries().is_empty());

    // A receiver with another token refuses the challenge.
    let refusing = fake(&url)
        .verification_token("not-the-apps-token")
        .start()
        .await
        .unwrap();
    let (verified, attempt) = refusing.verify_webhook().await.unwrap();
    assert!(!verified);
    assert_eq!(attempt.status, Some(401));
}
