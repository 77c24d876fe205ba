//! In-process time of the diagram's stages on synthetic roadmaps of 150, 1,000 and 10,000
//! topics: parse (for scale), layout, SVG, and the offline HTML page. The whole-process
//! comparison with Graphviz and PlantUML is `bench/render-vs-graphviz.sh`.
//! `cargo bench -p leadmap-render --bench render`
#![allow(clippy::unwrap_used, clippy::expect_used)]
// A program around the crate, not the crate: it may read files, the clock and print.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn render(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    for topics in [150, 1_000, 10_000] {
        let md = leadmap_core::synthetic::markdown(topics, 42);
        let parsed = leadmap_core::parse(md.as_bytes(), "bench");
        let r = &parsed.roadmap;
        let layout = leadmap_render::layout(r);
        let opts = leadmap_render::SvgOptions::default();
        let (svg, spans) = leadmap_render::svg::render_with_spans(r, &layout, &opts);
        if topics >= 10_000 {
            g.sample_size(20);
        }
        g.bench_with_input(BenchmarkId::new("parse", topics), &md, |b, md| {
            b.iter(|| leadmap_core::parse(black_box(md.as_bytes()), "bench"))
        });
        g.bench_with_input(BenchmarkId::new("layout", topics), r, |b, r| {
            b.iter(|| leadmap_render::layout(black_box(r)))
        });
        g.bench_with_input(BenchmarkId::new("svg", topics), &layout, |b, layout| {
            b.iter(|| leadmap_render::svg::render(black_box(r), layout, &opts))
        });
        g.bench_with_input(BenchmarkId::new("html", topics), &svg, |b, svg| {
            b.iter(|| leadmap_render::html::page(r, black_box(svg), &spans, &|_| None))
        });
    }
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
