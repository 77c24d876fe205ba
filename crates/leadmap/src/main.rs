//! `leadmap`: the command line. Thin: it reads files, calls the core, prints.

mod app;
mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the C library's allocator: a large roadmap makes hundreds of thousands
/// of small allocations, and the server many short-lived ones per request (measured in
/// `docs/benchmarks.md`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages, off until a command has a large input.
///
/// mimalloc asks the kernel for huge pages (2 MiB) for its memory. For a large roadmap that
/// saves most page faults (10,000 topics render in 55 ms with them, 82 ms without), but a
/// short command then waits for the kernel to find and clear a 2 MiB page before `main`
/// even starts: a third of a small render's time. So a constructor turns them off before
/// the allocator's first allocation, and [`huge_pages::allow`] turns them back on once a
/// command has read an input large enough to profit.
#[cfg(target_os = "linux")]
pub(crate) mod huge_pages {
    /// Runs before `main` and before the allocator's own constructor (priority 101): the
    /// linker orders `.init_array.NNNNN` sections by number.
    #[allow(unsafe_code)]
    #[used]
    #[unsafe(link_section = ".init_array.00100")]
    static OFF_AT_START: extern "C" fn() = off;

    extern "C" fn off() {
        set_disabled(true);
    }

    /// Lets the kernel back this process's memory with huge pages from now on.
    pub(crate) fn allow() {
        set_disabled(false);
    }

    fn set_disabled(disabled: bool) {
        // SAFETY: PR_SET_THP_DISABLE takes an integer flag and touches no memory of ours.
        // A kernel without it returns an error, which changes nothing: huge pages are a
        // speed matter only.
        #[allow(unsafe_code)]
        unsafe {
            libc::prctl(
                libc::PR_SET_THP_DISABLE,
                libc::c_ulong::from(disabled),
                0,
                0,
                0,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) mod huge_pages {
    pub(crate) fn allow() {}
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
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
