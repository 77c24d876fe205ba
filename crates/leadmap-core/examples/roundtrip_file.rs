//! Debug aid: parse a file, print it, parse again, and show the first difference.
//! `cargo run -p leadmap-core --example roundtrip_file FILE`
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
            println!("line {i}:\n  first:  {x}\n  second: {y}");
            break;
        }
    }
    println!("same: {}", a.roadmap == b.roadmap);
}
