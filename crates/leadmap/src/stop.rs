//! Why a command of `leadmap team` or `leadmap assess` stopped: something the person can fix
//! (said in one line on standard error, exit 1), or anything else (the binary's error path).

use std::process::ExitCode;

use anyhow::Result;
use leadmap_app::progress::Invalid;
use leadmap_store::StoreError;

pub(crate) enum Stop {
    Input(String),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Stop {
        Stop::Other(e)
    }
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Stop {
        match e {
            StoreError::Conflict(_) | StoreError::Invalid(_) | StoreError::Refused(_) => {
                Stop::Input(e.to_string())
            }
            e => Stop::Other(e.into()),
        }
    }
}

impl From<leadmap_app::Error> for Stop {
    fn from(e: leadmap_app::Error) -> Stop {
        match e {
            leadmap_app::Error::Store(s) => s.into(),
            e => Stop::Input(e.to_string()),
        }
    }
}

impl From<Invalid> for Stop {
    fn from(e: Invalid) -> Stop {
        Stop::Input(e.to_string())
    }
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Stop {
        Stop::Other(e.into())
    }
}

impl From<serde_json::Error> for Stop {
    fn from(e: serde_json::Error) -> Stop {
        Stop::Other(e.into())
    }
}

/// The command's exit: its code, exit 1 after saying what the person can fix, or the error.
pub(crate) fn finish(done: std::result::Result<ExitCode, Stop>) -> Result<ExitCode> {
    match done {
        Ok(code) => Ok(code),
        Err(Stop::Input(m)) => {
            anstream::eprintln!("leadmap: error: {m}");
            Ok(ExitCode::from(1))
        }
        Err(Stop::Other(e)) => Err(e),
    }
}
