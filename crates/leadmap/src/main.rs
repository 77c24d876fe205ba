//! `leadmap`: the command line. Thin: it reads files, calls the core, prints.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            anstream::eprintln!("leadmap: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
