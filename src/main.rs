//! The `trello-auth` binary: parses the arguments, runs the chosen command, sets the exit status.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before anything can read a secret into memory.
    trello_auth::hardening::disable_core_dumps();
    ExitCode::from(trello_auth::cli::run(trello_auth::cli::Cli::parse()))
}
