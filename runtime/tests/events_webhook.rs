//! Webhook requests checked as Feishu's event guide says: the guide's own
//! encryption example, signatures against an independent SHA-256, URL
//! verification plain and encrypted, both envelopes, and every way a
//! request is refused, with its status. Random requests never panic.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use feishu_openapi::events::{
    DecryptError, EncryptKey, Received, Rejection, Schema, Webhook, timestamp,
};
use feishu_openapi::header::{HeaderMap, HeaderValue};
use feishu_openapi::testing::ManualClock;
use proptest::prelude::*;
use serde_json::{Value, json};

const KEY: &str = "test key";
const TOKEN: &str = "v-token";
const NOW: u64 = 1_700_000_000;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at(UNIX_EPOCH + Duration::from_secs(NOW)))
}

fn webhook() -> Webhook {
    Webhook::new()
        .verification_token(TOKEN)
        .encrypt_key(KEY)
        .clock(clock())
}

fn v2_event(token: &str) -> Value {
    json!({
        "schema": "2.0",
        "header": {
            "event_id": "5e3702a84e847582be8db7fb73283c02",
            "event_type": "im.chat.disbanded_v1",
            "create_time": "1608725989000",
            "token": token,
            "app_id": "cli_9f5343c580712544",
            "tenant_key": "2ca1d211f64f6438"
        },
        "event": {"chat_id": "oc_9e9619b938c9571c1c3165681cdaead5"}
    })
}

/// `plain` encrypted with the key and signed at `at` seconds, as Feishu
/// sends it.
fn sealed(plain: &Value, at: u64) -> (HeaderMap, Vec<u8>) {
    let key = EncryptKey::new(KEY);
    let body = json!({"encrypt": key.encrypt(plain.to_string().as_bytes(), [7; 16])})
        .to_string()
        .into_bytes();
    let at = timestamp(UNIX_EPOCH + Duration::from_secs(at));
    let mut headers = HeaderMap::new();
    let signature = key.signature(&at, "nonce-1", &body);
    headers.insert(
        "x-lark-request-timestamp",
        HeaderValue::from_str(&at).unwrap(),
    );
    headers.insert("x-lark-request-nonce", HeaderValue::from_static("nonce-1"));
    headers.insert(
        "x-lark-signature",
        HeaderValue::from_str(&signature).unwrap(),
    );
    (headers, body)
}

#[test]
fn the_guides_encrypted_example_decrypts_to_hello_world() {
    // The event guide's example; `openssl enc -d -aes-256-cbc` agrees.
    let key = EncryptKey::new("test key");
    let plain = key.decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
    assert_eq!(plain.unwrap(), b"hello world");
}

#[test]
fn what_is_encrypted_decrypts_and_a_wrong_key_or_damage_is_a_typed_error() {
    let key = EncryptKey::new(KEY);
    let sealed = key.encrypt("事件 body".as_bytes(), [1; 16]);
    assert_eq!(key.decrypt(&sealed).unwrap(), "事件 body".as_bytes());
    // A wrong key almost always leaves bad padding; test one that does.
    let other = EncryptKey::new("another key");
    assert_eq!(other.decrypt(&sealed), Err(DecryptError::WrongKey));
    assert_eq!(key.decrypt("not base64!"), Err(DecryptError::NotBase64));
    assert_eq!(key.decrypt("AAAA"), Err(DecryptError::BadLength));
}

#[test]
fn the_signature_is_the_hex_sha256_of_timestamp_nonce_key_and_body() {
    let key = EncryptKey::new(KEY);
    // printf '1700000000nonce-1test key{"a":1}' | sha256sum
    let expected = "b2bf74a17de5ee343ea1ac194a5e6c217949cf79dd373326ee27e5a3246b9fb1";
    assert_eq!(
        key.signature("1700000000", "nonce-1", br#"{"a":1}"#),
        expected
    );
    assert!(key.signature_matches("1700000000", "nonce-1", br#"{"a":1}"#, expected));
    assert!(!key.signature_matches("1700000000", "nonce-1", br#"{"a":2}"#, expected));
}

#[test]
fn a_plain_challenge_is_answered_and_an_encrypted_one_too() {
    let plain = Webhook::new().verification_token(TOKEN);
    let body = json!({"challenge": "ajls384kdj", "token": TOKEN, "type": "url_verification"});
    let received = plain.receive(&HeaderMap::new(), body.to_string().as_bytes());
    assert_eq!(received, Ok(Received::Challenge("ajls384kdj".into())));

    // Feishu signs no challenge; encrypted, it is still answered.
    let (_, sealed_body) = sealed(&body, NOW);
    let received = webhook().receive(&HeaderMap::new(), &sealed_body);
    assert_eq!(received, Ok(Received::Challenge("ajls384kdj".into())));

    let wrong = json!({"challenge": "c", "token": "other", "type": "url_verification"});
    let received = plain.receive(&HeaderMap::new(), wrong.to_string().as_bytes());
    assert_eq!(received, Err(Rejection::BadToken));
}

#[test]
fn a_sealed_signed_v2_event_is_read() {
    let (headers, body) = sealed(&v2_event(TOKEN), NOW - 30);
    let Ok(Received::Event(event)) = webhook().receive(&headers, &body) else {
        panic!("not an event");
    };
    assert_eq!(event.schema, Schema::V2);
    assert_eq!(event.id, "5e3702a84e847582be8db7fb73283c02");
    assert_eq!(event.event_type, "im.chat.disbanded_v1");
    assert_eq!(event.tenant_key.as_deref(), Some("2ca1d211f64f6438"));
    assert_eq!(event.app_id.as_deref(), Some("cli_9f5343c580712544"));
    assert_eq!(
        event.event().unwrap()["chat_id"],
        "oc_9e9619b938c9571c1c3165681cdaead5"
    );
    // The token stays out of Debug.
    assert!(!format!("{event:?}").contains(TOKEN));
    assert!(!format!("{:?}", webhook()).contains(TOKEN));
    assert!(!format!("{:?}", webhook()).contains(KEY));
}

#[test]
fn a_plain_v1_event_is_read_by_its_uuid_and_event_type() {
    let body = json!({
        "uuid": "41b5f371157e3d5341b38b20396e77a3",
        "token": TOKEN,
        "ts": "1608725989.000001",
        "type": "event_callback",
        "event": {"type": "p2p_chat_create", "app_id": "cli_x", "tenant_key": "t_1", "chat_id": "oc_1"}
    });
    let hook = Webhook::new().verification_token(TOKEN);
    let Ok(Received::Event(event)) = hook.receive(&HeaderMap::new(), body.to_string().as_bytes())
    else {
        panic!("not an event");
    };
    assert_eq!(event.schema, Schema::V1);
    assert_eq!(event.id, "41b5f371157e3d5341b38b20396e77a3");
    assert_eq!(event.event_type, "p2p_chat_create");
    assert_eq!(event.tenant_key.as_deref(), Some("t_1"));
}

#[test]
fn every_refusal_has_its_reason_and_status() {
    let hook = webhook();
    let (headers, body) = sealed(&v2_event(TOKEN), NOW);
    let cases: Vec<(&str, HeaderMap, Vec<u8>, Rejection, u16)> = vec![
        (
            "bad signature",
            {
                let mut h = headers.clone();
                h.insert("x-lark-signature", HeaderValue::from_static("00ff"));
                h
            },
            body.clone(),
            Rejection::BadSignature,
            401,
        ),
        (
            "stale",
            sealed(&v2_event(TOKEN), NOW - 301).0,
            sealed(&v2_event(TOKEN), NOW - 301).1,
            Rejection::Stale,
            401,
        ),
        (
            "from the future",
            sealed(&v2_event(TOKEN), NOW + 301).0,
            sealed(&v2_event(TOKEN), NOW + 301).1,
            Rejection::Stale,
            401,
        ),
        (
            "unsigned",
            HeaderMap::new(),
            body.clone(),
            Rejection::Unsigned,
            401,
        ),
        (
            "wrong token",
            sealed(&v2_event("other"), NOW).0,
            sealed(&v2_event("other"), NOW).1,
            Rejection::BadToken,
            401,
        ),
        (
            "not JSON",
            HeaderMap::new(),
            b"{".to_vec(),
            Rejection::NotJson,
            400,
        ),
        (
            "plain with a key set",
            HeaderMap::new(),
            v2_event(TOKEN).to_string().into_bytes(),
            Rejection::NotEncrypted,
            400,
        ),
        (
            "undecryptable",
            HeaderMap::new(),
            br#"{"encrypt":"AAAA"}"#.to_vec(),
            Rejection::Undecryptable(DecryptError::BadLength),
            400,
        ),
        (
            "no event",
            sealed(&json!({"hello": 1}), NOW).0,
            sealed(&json!({"hello": 1}), NOW).1,
            Rejection::NotAnEvent,
            400,
        ),
    ];
    for (what, headers, body, rejection, status) in cases {
        let got = hook.receive(&headers, &body);
        assert_eq!(got, Err(rejection.clone()), "{what}");
        assert_eq!(rejection.status(), status, "{what}");
    }
    let no_key = Webhook::new().receive(&HeaderMap::new(), &body);
    assert_eq!(no_key, Err(Rejection::NoKey));
}

#[test]
fn the_allowed_age_is_inclusive_and_configurable() {
    let (headers, body) = sealed(&v2_event(TOKEN), NOW - 300);
    assert!(webhook().receive(&headers, &body).is_ok());
    let strict = webhook().max_age(Duration::from_secs(10));
    assert_eq!(strict.receive(&headers, &body), Err(Rejection::Stale));
}

fn header_map() -> impl Strategy<Value = HeaderMap> {
    prop::collection::vec(
        (
            prop::sample::select(vec![
                "x-lark-request-timestamp",
                "x-lark-request-nonce",
                "x-lark-signature",
                "content-type",
            ]),
            "[ -~]{0,24}",
        ),
        0..4,
    )
    .prop_map(|pairs| {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        headers
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        "[A-Za-z0-9+/=]{0,120}".prop_map(|s| format!(r#"{{"encrypt":"{s}"}}"#).into_bytes()),
        Just(v2_event(TOKEN).to_string().into_bytes()),
        Just(sealed(&v2_event(TOKEN), NOW).1),
    ]
}

proptest! {
    /// Whatever arrives ends in a value or a rejection with a 4xx status.
    #[test]
    fn random_requests_never_panic(headers in header_map(), body in body()) {
        for hook in [webhook(), Webhook::new(), Webhook::new().verification_token(TOKEN)] {
            if let Err(rejection) = hook.receive(&headers, &body) {
                prop_assert!(matches!(rejection.status(), 400 | 401));
            }
        }
    }
}

#[tokio::test]
async fn a_redelivered_id_is_not_a_first_delivery_until_it_is_forgotten() {
    use feishu_openapi::events::{Dedup, MemoryDedup};
    let clock = clock();
    let store = MemoryDedup::with_clock(clock.clone());
    let day = Duration::from_secs(24 * 60 * 60);
    assert!(store.first_delivery("ev_1", day).await.unwrap());
    assert!(!store.first_delivery("ev_1", day).await.unwrap());
    assert!(store.first_delivery("ev_2", day).await.unwrap());
    clock.advance(day - Duration::from_secs(1));
    assert!(!store.first_delivery("ev_1", day).await.unwrap());
    clock.advance(Duration::from_secs(1));
    // Forgotten: expired ids are dropped as new ones arrive.
    assert!(store.first_delivery("ev_3", day).await.unwrap());
    assert_eq!(store.len(), 1);
    assert!(store.first_delivery("ev_1", day).await.unwrap());
}
