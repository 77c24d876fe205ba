//! Parse, check and print a 100,000-topic roadmap (≈ 240,000 nodes).
//! `cargo bench -p leadmap-core --bench format`
#![allow(clippy::unwrap_used, clippy::expect_used)]
// A program around the crate, not the crate: it may read files, the clock and print.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use criterion::{Criterion, criterion_group, criterion_main};
use leadmap_core::check::{NoOtherRoadmaps, check};
use std::hint::black_box;

fn format(c: &mut Criterion) {
    let md = leadmap_core::synthetic::markdown(100_000, 42);
    let parsed = leadmap_core::parse(md.as_bytes(), "bench");
    let printed = leadmap_core::print(&parsed.roadmap);
    let mut g = c.benchmark_group("100k-topics");
    g.sample_size(10);
    g.bench_function("parse", |b| {
        b.iter(|| leadmap_core::parse(black_box(md.as_bytes()), "bench"))
    });
    g.bench_function("check", |b| {
        b.iter(|| check(black_box(&parsed), &NoOtherRoadmaps))
    });
    g.bench_function("print", |b| {
        b.iter(|| leadmap_core::print(black_box(&parsed.roadmap)))
    });
    g.bench_function("parse-canonical", |b| {
        b.iter(|| leadmap_core::parse(black_box(printed.as_bytes()), "bench"))
    });
    g.finish();
}

criterion_group!(benches, format);
criterion_main!(benches);
