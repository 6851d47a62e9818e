//! Encoding and decoding create chat's doc examples with the generated types
//! against `serde_json::Value`, which SDKs without types pass around.
//!
//! `cargo bench -p feishu-runtime --bench codec`

mod doc_request;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use feishu_openapi::im::v1::chat::create::CreateChatData;
use serde::Deserialize;
use serde_json::Value;

const SCHEMA: &str = include_str!("../../schema/im/v1/chat/create.json");

/// The doc page's request body and whole response, as JSON text.
fn examples() -> (String, Vec<u8>) {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let examples = &schema["examples"];
    (
        examples["request_body"].to_string(),
        serde_json::to_vec(&examples["response"]).unwrap(),
    )
}

/// The envelope with typed `data`: what a typed client decodes an answer into.
#[derive(Deserialize)]
#[allow(dead_code)] // fields are decoded, not read
struct Envelope {
    code: i64,
    msg: String,
    data: CreateChatData,
}

fn encode(c: &mut Criterion) {
    let (request, _) = examples();
    // Both builders must produce the doc's example, or the race is unfair.
    let doc: Value = serde_json::from_str(&request).unwrap();
    assert_eq!(serde_json::to_value(doc_request::typed()).unwrap(), doc);
    assert_eq!(doc_request::untyped(), doc);

    let mut group = c.benchmark_group("encode");
    group.measurement_time(Duration::from_secs(3));
    let typed = doc_request::typed();
    let value = doc_request::untyped();
    group.bench_function("serialize/typed", |b| {
        b.iter(|| serde_json::to_vec(black_box(&typed)).unwrap())
    });
    group.bench_function("serialize/value", |b| {
        b.iter(|| serde_json::to_vec(black_box(&value)).unwrap())
    });
    group.bench_function("build_and_serialize/typed", |b| {
        b.iter(|| serde_json::to_vec(&doc_request::typed()).unwrap())
    });
    group.bench_function("build_and_serialize/value", |b| {
        b.iter(|| serde_json::to_vec(&doc_request::untyped()).unwrap())
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let (_, response) = examples();
    let mut group = c.benchmark_group("decode");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("response/typed", |b| {
        b.iter(|| serde_json::from_slice::<Envelope>(black_box(&response)).unwrap())
    });
    group.bench_function("response/value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&response)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, encode, decode);
criterion_main!(benches);
