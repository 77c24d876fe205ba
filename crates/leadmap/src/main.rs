//! `leadmap`: the command line. Thin: it reads files, calls the core, prints.

mod alloc;
mod app;
mod assess;
mod cli;
mod config;
mod input;
mod publish;
mod stop;
mod team;
mod watch;

use std::process::ExitCode;

use clap::FromArgMatches;

#[global_allocator]
static GLOBAL: alloc::Hybrid = alloc::Hybrid;

fn main() -> ExitCode {
    let args = match cli::Cli::from_arg_matches(&cli::command().get_matches()) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            // `leadmap show … | head` closes the pipe early: not an error worth a word.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            anstream::eprintln!("leadmap: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
