//! The `trello-auth` binary: parses the arguments, runs the chosen command, sets the exit status.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Before anything can read a secret into memory.
    trello_auth::hardening::disable_core_dumps();
    ExitCode::from(trello_auth::cli::main())
}
