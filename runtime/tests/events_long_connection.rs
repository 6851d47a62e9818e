//! The long connection against the fake Feishu over real loopback
//! WebSockets: discovery, events handed to the handler once and
//! acknowledged, parts reassembled, reconnects after a drop and after the
//! server goes silent, timing taken from the server, a slow handler
//! acknowledged at the deadline, bad frames survived, refused handshakes
//! stopping the client or retried.

use std::future::Ready;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::Captured;
use feishu_openapi::events::long_connection::{
    ClientConfig, Connected, ConnectionState, Frame, FrameError, Header, METHOD_CONTROL,
    METHOD_DATA,
};
use feishu_openapi::events::{Event, HandlerError, LongConnection, LongConnectionError};
use feishu_openapi::testing::{FakeFeishu, Fault};
use proptest::prelude::*;
use serde_json::{Value, json};

type Seen = Arc<Mutex<Vec<Event>>>;

/// Short timing so reconnects happen at once; nothing here asserts speed.
/// The watchdog's bound stays well above a loopback pong's time on a busy
/// machine, so only a silenced server trips it.
fn quick() -> ClientConfig {
    ClientConfig {
        reconnect_count: -1,
        reconnect_interval: Duration::from_millis(20),
        reconnect_nonce: Duration::ZERO,
        ping_interval: Duration::from_millis(200),
    }
}

fn connection(fake: &FakeFeishu) -> LongConnection {
    LongConnection::new(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .client_config(quick())
        .pong_within(Duration::from_secs(1))
}

/// A handler recording every event it runs on.
fn recording(
    seen: &Seen,
) -> impl Fn(Event) -> Ready<Result<(), HandlerError>> + Send + Sync + use<> {
    let seen = Arc::clone(seen);
    move |event| {
        seen.lock().unwrap().push(event);
        std::future::ready(Ok(()))
    }
}

fn envelope(event_id: &str, chat_id: &str) -> Value {
    json!({
        "schema": "2.0",
        "header": {
            "event_id": event_id,
            "event_type": "im.chat.disbanded_v1",
            "create_time": "1700000000000",
            "token": "",
            "app_id": "cli_fake_app",
            "tenant_key": "tenant-1",
        },
        "event": { "chat_id": chat_id, "name": "release-42" },
    })
}

fn ids(seen: &Seen) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|event| event.id.clone())
        .collect()
}

/// Waits (boundedly) until `done` holds.
async fn eventually(mut done: impl FnMut() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the condition never held");
}

#[tokio::test]
async fn discovery_posts_the_app_id_and_secret_and_the_url_names_the_connection() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Seen::default();
    let handle = connection(&fake).start(recording(&seen));

    let connected = handle.connected().await.unwrap();

    assert_eq!(
        connected,
        Connected {
            device_id: "7000001".to_owned(),
            service_id: 33554001,
            number: 1,
        }
    );
    let discovery = fake.discovery_requests();
    assert_eq!(discovery.len(), 1);
    assert_eq!(discovery[0].method, "POST");
    assert_eq!(discovery[0].header("locale"), Some("zh"));
    assert_eq!(
        discovery[0].json(),
        Some(json!({"AppID": "cli_fake_app", "AppSecret": "fake-app-secret"}))
    );
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_client_pings_with_its_service_id_as_soon_as_it_connects() {
    let fake = FakeFeishu::start().await.unwrap();
    let handle = connection(&fake).start(recording(&Seen::default()));
    handle.connected().await.unwrap();

    eventually(|| !fake.long_connection_frames().is_empty()).await;

    let mut ping = Frame {
        service: 33554001,
        method: METHOD_CONTROL,
        ..Frame::default()
    };
    ping.headers.push(Header {
        key: "type".to_owned(),
        value: "ping".to_owned(),
    });
    assert_eq!(fake.long_connection_frames()[0], ping);
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_event_runs_the_handler_once_and_is_acknowledged_with_200() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Seen::default();
    let handle = connection(&fake).start(recording(&seen));

    let ack = fake
        .send_over_long_connection(envelope("ev_1", "oc_1"))
        .await
        .unwrap();

    assert_eq!(ack.code, Some(200));
    assert_eq!(
        ack.payload,
        json!({"code": 200, "headers": null, "data": null})
    );
    assert_eq!(ack.frame.method, METHOD_DATA);
    assert_eq!(ack.frame.header("message_id"), Some("fake_msg_1"));
    assert_eq!(ack.frame.header("type"), Some("event"));
    assert!(ack.frame.header("biz_rt").unwrap().parse::<u64>().is_ok());
    assert_eq!(ids(&seen), ["ev_1"]);
    let event = seen.lock().unwrap()[0].clone();
    assert_eq!(event.event_type, "im.chat.disbanded_v1");
    assert_eq!(event.tenant_key.as_deref(), Some("tenant-1"));
    assert_eq!(event.event().unwrap()["chat_id"], "oc_1");
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_event_delivered_twice_runs_the_handler_once() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Seen::default();
    let handle = connection(&fake).start(recording(&seen));

    let first = fake
        .send_over_long_connection(envelope("ev_1", "oc_1"))
        .await
        .unwrap();
    let again = fake
        .send_over_long_connection(envelope("ev_1", "oc_1"))
        .await
        .unwrap();

    assert_eq!((first.code, again.code), (Some(200), Some(200)));
    assert_eq!(ids(&seen), ["ev_1"]);
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_failed_handler_is_acknowledged_with_500_and_runs_again_on_redelivery() {
    let fake = FakeFeishu::start().await.unwrap();
    let calls = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&calls);
    let handle = connection(&fake).start(move |_event| {
        let mut calls = counted.lock().unwrap();
        *calls += 1;
        let result: Result<(), HandlerError> = if *calls == 1 {
            Err("the database is down".into())
        } else {
            Ok(())
        };
        std::future::ready(result)
    });

    let failed = fake
        .send_over_long_connection(envelope("ev_1", "oc_1"))
        .await
        .unwrap();
    let redelivered = fake
        .send_over_long_connection(envelope("ev_1", "oc_1"))
        .await
        .unwrap();

    assert_eq!(
        failed.payload,
        json!({"code": 500, "headers": null, "data": null})
    );
    assert_eq!(redelivered.code, Some(200));
    assert_eq!(*calls.lock().unwrap(), 2);
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_slow_handler_is_acknowledged_at_the_deadline_and_goes_on() {
    let fake = FakeFeishu::start().await.unwrap();
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let released = Arc::new(tokio::sync::Mutex::new(Some(released)));
    let finished = Arc::new(Mutex::new(false));
    let done = Arc::clone(&finished);
    let handle = connection(&fake)
        .ack_within(Duration::from_millis(100))
        .start(move |_event| {
            let released = Arc::clone(&released);
            let done = Arc::clone(&done);
            async move {
                if let Some(released) = released.lock().await.take() {
                    let _ = released.await;
                }
                *done.lock().unwrap() = true;
                Ok(())
            }
        });

    let ack = fake
        .send_over_long_connection(envelope("ev_slow", "oc_5"))
        .await
        .unwrap();

    // Acknowledged while the handler still waits to be released.
    assert_eq!(ack.code, Some(200));
    assert!(!*finished.lock().unwrap());
    release.send(()).unwrap();
    eventually(|| *finished.lock().unwrap()).await;
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_event_in_three_parts_is_reassembled() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Seen::default();
    let handle = connection(&fake).start(recording(&seen));
    let sent = envelope("ev_parts", "oc_parts");

    let ack = fake
        .send_over_long_connection_in_parts(sent.clone(), 3)
        .await
        .unwrap();

    assert_eq!(ack.code, Some(200));
    assert_eq!(ack.frame.header("sum"), Some("3"));
    assert_eq!(ack.frame.header("seq"), Some("2"));
    assert_eq!(ids(&seen), ["ev_parts"]);
    assert_eq!(Value::Object(seen.lock().unwrap()[0].body.clone()), sent);
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn after_the_server_drops_the_connection_the_client_reconnects() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Seen::default();
    let handle = connection(&fake).start(recording(&seen));
    handle.connected().await.unwrap();

    assert_eq!(fake.drop_long_connections(), 1);
    let again = handle.wait_connected(2).await.unwrap();
    let ack = fake
        .send_over_long_connection(envelope("ev_2", "oc_2"))
        .await
        .unwrap();

    assert_eq!(again.number, 2);
    assert_eq!(again.device_id, "7000002");
    assert_eq!(fake.discovery_requests().len(), 2);
    assert_eq!(ack.code, Some(200));
    assert_eq!(ids(&seen), ["ev_2"]);
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_server_that_stops_answering_pings_is_left_for_a_new_connection() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Seen::default();
    let handle = connection(&fake).start(recording(&seen));
    handle.connected().await.unwrap();

    fake.silence_long_connections();
    let again = handle.wait_connected(2).await.unwrap();
    // The client closed the silent one; only the new one is open.
    eventually(|| fake.long_connections() == 1).await;
    let ack = fake
        .send_over_long_connection(envelope("ev_3", "oc_3"))
        .await
        .unwrap();

    assert_eq!(again.number, 2);
    assert_eq!(fake.discovery_requests().len(), 2);
    assert_eq!(ack.code, Some(200));
    assert_eq!(ids(&seen), ["ev_3"]);
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_servers_client_config_replaces_the_builders() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.long_connection_config_on_discovery(json!({"ReconnectInterval": 3, "ReconnectNonce": 9}));
    fake.long_connection_config_on_pong(json!({"PingInterval": 7, "ReconnectCount": 4}));
    let handle = connection(&fake).start(recording(&Seen::default()));
    handle.connected().await.unwrap();

    eventually(|| handle.config().ping_interval == Duration::from_secs(7)).await;

    assert_eq!(
        handle.config(),
        ClientConfig {
            reconnect_count: 4,
            reconnect_interval: Duration::from_secs(3),
            reconnect_nonce: Duration::from_secs(9),
            ping_interval: Duration::from_secs(7),
        }
    );
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_wrong_secret_is_refused_and_the_client_stops() {
    let fake = FakeFeishu::start().await.unwrap();
    let result = LongConnection::new(fake.app_id(), "not-the-secret")
        .base_url(fake.url())
        .client_config(quick())
        .run(recording(&Seen::default()))
        .await;

    match result {
        Err(LongConnectionError::Refused { code, msg }) => {
            assert_eq!((code, msg.as_str()), (10014, "app secret invalid"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(fake.discovery_requests().len(), 1);
}

/// Few reconnects allowed, so a client that wrongly retries a refusal
/// fails the test with `GaveUp` instead of retrying forever.
fn refusable(fake: &FakeFeishu) -> LongConnection {
    connection(fake).client_config(ClientConfig {
        reconnect_count: 3,
        ..quick()
    })
}

/// What `run` ends with. A client that takes a final refusal for a passing
/// one connects on its retry and would run on: a bound on the wait turns
/// that into a failure rather than a hung test.
async fn run_to_the_end(connection: LongConnection) -> Result<(), LongConnectionError> {
    tokio::time::timeout(
        Duration::from_secs(30),
        connection.run(recording(&Seen::default())),
    )
    .await
    .expect("the client stops after a final refusal")
}

#[tokio::test]
async fn a_handshake_refused_with_403_stops_the_client_as_banned() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.refuse_long_connection_handshake(
        403,
        &[
            ("Handshake-Status", "403"),
            ("Handshake-Msg", "app is banned"),
        ],
    );

    let result = run_to_the_end(refusable(&fake)).await;

    match result {
        Err(LongConnectionError::Refused { code, msg }) => {
            assert_eq!((code, msg.as_str()), (403, "app is banned"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // One discovery and one handshake: no retry.
    assert_eq!(fake.discovery_requests().len(), 1);
}

#[tokio::test]
async fn a_handshake_refused_with_514_and_auth_code_1000040350_stops_the_client() {
    let fake = FakeFeishu::start().await.unwrap();
    // The HTTP status differs from Feishu's on purpose: the header decides.
    fake.refuse_long_connection_handshake(
        400,
        &[
            ("Handshake-Status", "514"),
            ("Handshake-Msg", "too many connections"),
            ("Handshake-Autherrcode", "1000040350"),
        ],
    );

    let result = run_to_the_end(refusable(&fake)).await;

    match result {
        Err(LongConnectionError::Refused { code, msg }) => {
            assert_eq!((code, msg.as_str()), (514, "too many connections"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(fake.discovery_requests().len(), 1);
}

#[tokio::test]
async fn other_handshake_refusals_are_retried_until_the_client_connects() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.refuse_long_connection_handshake(
        500,
        &[
            ("Handshake-Status", "500"),
            ("Handshake-Msg", "internal error"),
        ],
    );
    // 514 is only final with the too-many-connections auth code.
    fake.refuse_long_connection_handshake(
        514,
        &[
            ("Handshake-Status", "514"),
            ("Handshake-Msg", "auth failed"),
            ("Handshake-Autherrcode", "1000040343"),
        ],
    );
    let captured = Captured::default();
    let subscriber = captured.subscriber(tracing::Level::INFO);
    // The test's runtime is single-threaded, so the client's task logs here.
    let _guard = tracing::subscriber::set_default(subscriber);
    let seen = Seen::default();
    let handle = refusable(&fake).start(recording(&seen));

    let connected = handle.connected().await.unwrap();
    let ack = fake
        .send_over_long_connection(envelope("ev_5", "oc_5"))
        .await
        .unwrap();

    // Third discovery, third handshake; connections count only opened ones.
    assert_eq!(connected.number, 1);
    assert_eq!(connected.device_id, "7000003");
    assert_eq!(fake.discovery_requests().len(), 3);
    assert_eq!(ack.code, Some(200));
    assert_eq!(ids(&seen), ["ev_5"]);
    let logs = captured.text();
    assert!(
        logs.contains(
            "long connection: connecting failed \
             error=long connection WebSocket: handshake refused: 500 internal error"
        ),
        "{logs}"
    );
    assert!(
        logs.contains(
            "long connection: reconnect failed \
             error=long connection WebSocket: handshake refused: 514 auth failed attempts=1"
        ),
        "{logs}"
    );
    handle.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_banned_app_refused_on_reconnect_stops_instead_of_retrying() {
    let fake = FakeFeishu::start().await.unwrap();
    let handle = refusable(&fake).start(recording(&Seen::default()));
    handle.connected().await.unwrap();

    fake.refuse_long_connection_handshake(
        403,
        &[
            ("Handshake-Status", "403"),
            ("Handshake-Msg", "app is banned"),
        ],
    );
    fake.drop_long_connections();

    assert_eq!(handle.wait_connected(2).await, None);
    assert_eq!(handle.state(), ConnectionState::Stopped);
    match handle.join().await {
        Err(LongConnectionError::Refused { code, msg }) => {
            assert_eq!((code, msg.as_str()), (403, "app is banned"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(fake.discovery_requests().len(), 2);
}

#[tokio::test]
async fn reconnecting_gives_up_after_the_configured_count() {
    let fake = FakeFeishu::start().await.unwrap();
    let config = ClientConfig {
        reconnect_count: 2,
        ..quick()
    };
    let handle = connection(&fake)
        .client_config(config)
        .start(recording(&Seen::default()));
    handle.connected().await.unwrap();

    fake.inject_on_token(Fault::ServerError { status: 503 });
    fake.inject_on_token(Fault::ServerError { status: 503 });
    fake.drop_long_connections();
    let result = handle.join().await;

    assert!(matches!(
        result,
        Err(LongConnectionError::GaveUp { attempts: 2 })
    ));
    assert_eq!(fake.discovery_requests().len(), 3);
}

#[tokio::test]
async fn bad_frames_are_skipped_and_the_connection_stays() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Seen::default();
    let handle = connection(&fake).start(recording(&seen));
    handle.connected().await.unwrap();
    let mut bad_sum = Frame {
        method: METHOD_DATA,
        payload: b"{}".to_vec(),
        ..Frame::default()
    };
    bad_sum.headers = vec![
        Header {
            key: "type".to_owned(),
            value: "event".to_owned(),
        },
        Header {
            key: "sum".to_owned(),
            value: "many".to_owned(),
        },
    ];
    let mut not_json = bad_sum.clone();
    not_json.headers.truncate(1);
    not_json.headers.push(Header {
        key: "message_id".to_owned(),
        value: "m".to_owned(),
    });
    not_json.payload = b"\xff not json".to_vec();

    for bytes in [
        vec![0xff; 12],
        vec![0x0a, 0x80],
        bad_sum.encode(),
        not_json.encode(),
    ] {
        fake.send_raw_over_long_connection(bytes).await.unwrap();
    }
    let ack = fake
        .send_over_long_connection(envelope("ev_4", "oc_4"))
        .await
        .unwrap();

    assert_eq!(ack.code, Some(200));
    assert_eq!(ids(&seen), ["ev_4"]);
    assert!(matches!(
        handle.state(),
        ConnectionState::Connected(Connected { number: 1, .. })
    ));
    assert_eq!(fake.discovery_requests().len(), 1);
    // The envelope that was not JSON was answered 500, not dropped.
    let acks: Vec<Vec<u8>> = fake
        .long_connection_frames()
        .into_iter()
        .filter(|frame| frame.header("message_id") == Some("m"))
        .map(|frame| frame.payload)
        .collect();
    assert_eq!(
        acks,
        [br#"{"code":500,"headers":null,"data":null}"#.to_vec()]
    );
    handle.shutdown().await.unwrap();
}

#[test]
fn a_truncated_frame_is_a_typed_error() {
    let mut frame = Frame {
        seq_id: 300,
        method: METHOD_DATA,
        payload: b"{\"a\":1}".to_vec(),
        ..Frame::default()
    };
    frame.headers.push(Header {
        key: "type".to_owned(),
        value: "event".to_owned(),
    });
    let bytes = frame.encode();
    assert_eq!(Frame::decode(&bytes), Ok(frame));
    assert_eq!(
        Frame::decode(&bytes[..bytes.len() - 3]),
        Err(FrameError::Truncated)
    );
}

fn any_frame() -> impl Strategy<Value = Frame> {
    let header = ("[a-z_]{0,8}", "\\PC{0,8}").prop_map(|(key, value)| Header { key, value });
    (
        any::<u64>(),
        any::<u64>(),
        any::<i32>(),
        any::<i32>(),
        proptest::collection::vec(header, 0..4),
        "\\PC{0,4}",
        proptest::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(
            |(seq_id, log_id, service, method, headers, log_id_new, payload)| Frame {
                seq_id,
                log_id,
                service,
                method,
                headers,
                payload,
                log_id_new,
                ..Frame::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_decode_to_a_frame_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        // Whatever comes back, nothing panics, and what decodes re-encodes
        // to a frame that decodes the same.
        if let Ok(frame) = Frame::decode(&bytes) {
            prop_assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
        }
    }

    #[test]
    fn frames_round_trip(frame in any_frame()) {
        prop_assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
    }

    #[test]
    fn a_frame_with_a_flipped_byte_never_panics(frame in any_frame(), at in any::<usize>(), bit in 0u8..8) {
        let mut bytes = frame.encode();
        let at = at % bytes.len();
        bytes[at] ^= 1 << bit;
        let _ = Frame::decode(&bytes);
    }
}
