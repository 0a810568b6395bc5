//! The `trello-auth` binary: parses arguments and runs the chosen command.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use trello_auth::credentials::store::Store;
use trello_auth::desktop::{Desktop, browser};
use trello_auth::trello::Endpoints;
use trello_auth::wizard::{self, Exit, Setup};

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let store = match Store::locate(args.config.as_deref()) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("trello-auth: {e}");
            return ExitCode::from(1);
        }
    };
    run_wizard(&args, store)
}

fn run_wizard(args: &cli::Cli, store: Store) -> ExitCode {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!(
            "trello-auth: the setup wizard needs an interactive terminal (stdin and stdout must both be a terminal).\n\
             Run it directly in a terminal, e.g. `trello-auth`, not through a pipe or redirect."
        );
        return ExitCode::from(2);
    }
    let desktop = Desktop::detect();
    let setup = Setup {
        endpoints: Endpoints::from_env(),
        profile: args.profile.clone(),
        config_path: store.path().to_path_buf(),
        no_browser_reason: browser::unavailable_reason(desktop, args.no_browser),
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    match wizard::runtime::run(setup, store, desktop) {
        Ok(model) => match model.exit {
            Some(Exit::Saved) => {
                if let Some(line) = wizard::model::summary(&model) {
                    println!("{line}");
                }
                ExitCode::SUCCESS
            }
            _ => {
                eprintln!("trello-auth: quit before saving; nothing was written.");
                ExitCode::from(1)
            }
        },
        Err(e) => {
            eprintln!("trello-auth: the terminal failed: {e}");
            ExitCode::from(1)
        }
    }
}
