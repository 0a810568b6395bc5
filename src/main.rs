//! The `trello-auth` binary: parses arguments and runs the chosen command.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

mod cli;

fn main() -> ExitCode {
    let _args = cli::Cli::parse();
    // The wizard is not built yet: say what the tool is and how to drive it.
    let mut command = cli::Cli::command();
    match command.print_help() {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
