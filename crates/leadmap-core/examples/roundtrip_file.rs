//! Debug aid: parse a file, print it, parse again, and show the first difference.
//! `cargo run -p leadmap-core --example roundtrip_file FILE`
// An example is a program of its own: it may read its arguments, files and the clock, and
// print, which the core itself never does.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]
#![allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: roundtrip_file FILE");
        return;
    };
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    let a = leadmap_core::parse(&bytes, "x");
    let printed = leadmap_core::print(&a.roadmap);
    let b = leadmap_core::parse(printed.as_bytes(), "x");
    let da = format!("{:#?}", a.roadmap);
    let db = format!("{:#?}", b.roadmap);
    for (i, (x, y)) in da.lines().zip(db.lines()).enumerate() {
        if x != y {
            let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
            let from = at.saturating_sub(300);
            let first: String = x.chars().skip(from).take(400).collect();
            let second: String = y.chars().skip(from).take(400).collect();
            println!("line {i}, column {at}:\n  first:  {first}\n  second: {second}");
            for l in da.lines().skip(i.saturating_sub(25)).take(30) {
                println!("    | {l}");
            }
            break;
        }
    }
    if std::env::args().nth(2).is_some() {
        println!("{printed}");
    }
    println!("same: {}", a.roadmap == b.roadmap);
}
