//! How the generator's cost grows with the number of endpoints: load (parse),
//! check and resolve, emit and render 1, 100 and 1,000 endpoints made from
//! the create-chat schema with varied group, resource and type names.
//!
//! `cargo bench -p feishu-codegen --bench generate`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

// The allocator `cargo xtask codegen` runs with (xtask/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CREATE: &str = include_str!("../../schema/im/v1/chat/create.json");

/// `n` schema files as (path, text): ten groups, each with resources of its own.
fn synthetic(n: usize) -> Vec<(String, String)> {
    let base: Value = serde_json::from_str(CREATE).unwrap();
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
fn pipeline(files: &[(String, String)]) -> usize {
    let endpoints: Vec<_> = files
        .iter()
        .map(|(path, text)| {
            let spec = feishu_codegen::parse(path, text).unwrap();
            feishu_codegen::ir::resolve(path, &spec).unwrap()
        })
        .collect();
    feishu_codegen::generate(&endpoints)
        .values()
        .map(String::len)
        .sum()
}

fn generator(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for n in [1, 100, 1000] {
        let files = synthetic(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &files, |b, files| {
            b.iter(|| pipeline(files))
        });
    }
    group.finish();
}

criterion_group!(benches, generator);
criterion_main!(benches);
