//! Parses a synthetic roadmap of N topics (default 100,000) and prints the time each step
//! takes: a quick look between benchmark runs. `cargo run --release -p leadmap-core --example parse_big`
// An example is a program of its own: it may read its arguments, files and the clock, and
// print, which the core itself never does.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let md = leadmap_core::synthetic::markdown(n, 42);
    let t = std::time::Instant::now();
    let events = pulldown_cmark::Parser::new(&md).into_offset_iter().count();
    println!("pulldown-cmark alone: {events} events in {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let p = leadmap_core::parse(md.as_bytes(), "big");
    println!("parse {n} topics ({} bytes): {:?}", md.len(), t.elapsed());
    let t = std::time::Instant::now();
    let out = leadmap_core::print(&p.roadmap);
    println!("print: {:?} ({} bytes)", t.elapsed(), out.len());
}
