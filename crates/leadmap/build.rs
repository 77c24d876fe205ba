//! Link the `leadmap` binary as a position-dependent executable on Linux.
//!
//! A position-independent (PIE) executable of this size carries about 50,000 relative
//! relocations: at every start the dynamic loader writes each of them, which copies some
//! 270 pages; `leadmap --version` took 2.0 ms that way and takes 1.3 ms without (measured
//! in `docs/benchmarks.md`). Linked at a fixed address, those pointers are final in the file.
//! The price is that the executable's own code is not at a random address (the C library,
//! the heap and the stack still are).
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
