//! What the checker costs on deep inline nesting: `check_sources` on the
//! `deep_nesting` fixture of 30 levels (tests/common/deep_nesting.rs), 30
//! named types each holding the next three times. The checker settles
//! nesting, `Default` and validation once per type, so this stays
//! linear; a checker that walked every path would visit 3^30 of them.
//!
//! `cargo bench -p feishu-codegen --bench check`

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/deep_nesting.rs"]
mod deep_nesting;

fn checker(c: &mut Criterion) {
    let text = deep_nesting::deep_nesting(30);
    let files = [(deep_nesting::FILE, text.as_str())];
    c.bench_function("check/deep_nesting_30", |b| {
        b.iter(|| feishu_codegen::check_sources(std::hint::black_box(&files)).unwrap())
    });
}

criterion_group!(benches, checker);
criterion_main!(benches);
