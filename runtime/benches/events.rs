//! How many webhook requests one core checks: the im.chat.updated_v1 page's
//! example event (about 3 KB), encrypted and signed as Feishu sends it,
//! through `Webhook::receive` (signature, timestamp, AES-256-CBC,
//! JSON, token, envelope).
//!
//! `cargo bench -p feishu-runtime --bench events`

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use feishu_openapi::events::{EncryptKey, Received, Webhook, timestamp};
use feishu_openapi::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

const PAGE: &str = include_str!("../../pages/im/v1/chat/events/updated.md");
const KEY: &str = "encrypt-key";

/// The page's 事件体示例.
fn page_example() -> Value {
    let example = &PAGE[PAGE.find("### 事件体示例").unwrap()..];
    let start = example.find("<md-code-json>").unwrap() + "<md-code-json>".len();
    let end = example.find("</md-code-json>").unwrap();
    serde_json::from_str(&example[start..end]).unwrap()
}

fn receive(c: &mut Criterion) {
    let event = page_example();
    let token = event["header"]["token"].as_str().unwrap().to_owned();
    let key = EncryptKey::new(KEY);
    let plain = event.to_string();
    let body = json!({"encrypt": key.encrypt(plain.as_bytes(), [9; 16])})
        .to_string()
        .into_bytes();
    let at = timestamp(SystemTime::now());
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-lark-request-timestamp",
        HeaderValue::from_str(&at).unwrap(),
    );
    headers.insert("x-lark-request-nonce", HeaderValue::from_static("nonce"));
    let signature = key.signature(&at, "nonce", &body);
    headers.insert(
        "x-lark-signature",
        HeaderValue::from_str(&signature).unwrap(),
    );
    let webhook = Webhook::new().verification_token(token).encrypt_key(KEY);
    assert!(matches!(
        webhook.receive(&headers, &body),
        Ok(Received::Event(_))
    ));

    let mut group = c.benchmark_group("webhook");
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("receive a {} B sealed event", body.len()), |b| {
        b.iter(|| {
            webhook
                .receive(black_box(&headers), black_box(&body))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = receive
}
criterion_main!(benches);
