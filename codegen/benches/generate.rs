//! How the generator's cost grows with the number of endpoints: load (parse),
//! check and resolve, emit and render 1, 100 and 1,000 endpoints made from
//! the create-chat schema with varied group, resource and type names.
//!
//! `cargo bench -p feishu-codegen --bench generate`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

const CREATE: &str = include_str!("../../schema/im/v1/chat/create.json");
const SHARED_TYPES: &str = include_str!("../../schema/im/v1/types.json");

/// `n` schema files as (path, text): ten groups, each with resources of its
/// own. Each is create chat with the shared types it names made its own,
/// so every endpoint costs what the create-chat file once did alone.
fn synthetic(n: usize) -> Vec<(String, String)> {
    let mut base: Value = serde_json::from_str(CREATE).unwrap();
    let shared: Value = serde_json::from_str(SHARED_TYPES).unwrap();
    base["types"] = shared["types"].clone();
    (0..n)
        .map(|i| {
            let mut spec = base.clone();
            spec["type_prefix"] = Value::String(format!("CreateThing{i}"));
            spec["path"] = Value::String(format!("/open-apis/group{}/v1/things{i}", i % 10));
            let path = format!("schema/group{}/v1/thing{i}/create.json", i % 10);
            (path, serde_json::to_string_pretty(&spec).unwrap())
        })
        .collect()
}

/// The whole pipeline from schema text to rendered files.
fn pipeline(files: &[(&str, &str)]) -> usize {
    let api = feishu_codegen::check_sources(files).unwrap();
    feishu_codegen::generate(&api)
        .values()
        .map(String::len)
        .sum()
}

fn generator(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for n in [1, 100, 1000] {
        let owned = synthetic(n);
        let files: Vec<(&str, &str)> = owned
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &files, |b, files| {
            b.iter(|| pipeline(files))
        });
    }
    group.finish();
}

criterion_group!(benches, generator);
criterion_main!(benches);
