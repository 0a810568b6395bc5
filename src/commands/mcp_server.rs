//! `trello-auth mcp-server [status|install|update]`: the default MCP server, installed pinned into trello-auth's own folder, and the one deliberate way to move its pin.

use super::mcp::pinned::{self, Npm, Pin, Server, State};
use super::{CommandError, Context, Output};

/// `mcp-server`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
}

pub(crate) const AFTER_HELP: &str = "\
The entries `trello-auth mcp CLIENT` writes run this server by absolute path:
Node.js and the package's script in trello-auth's data folder
($XDG_DATA_HOME/trello-auth/mcp-server, else ~/.local/share/trello-auth/mcp-server),
installed by `npm ci --ignore-scripts` from the lockfile this trello-auth ships,
with every package's integrity checked. Nothing is looked up from the folder a
client opens, so no project can swap the program that gets your token (as it can
under `npx`). `mcp --write` installs it when it is missing.

Examples:
  trello-auth mcp-server
  trello-auth mcp-server install
  trello-auth mcp-server update";

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// What is installed, where, and whether it is this trello-auth's pin (the default).
    Status,
    /// Install the pinned server, when it is not installed yet.
    Install,
    /// Move the installed server to this trello-auth's pin, saying what changes.
    Update,
}

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    let failed = |e: pinned::PinError| CommandError::Failed(e.to_string());
    let server = Server::here().map_err(failed)?;
    let pin = Pin::shipped();
    let folder = super::mcp::resolve::shown(&server.folder);
    let install = || -> Result<pinned::Installed, CommandError> {
        let dirs = super::mcp::resolve::path_dirs(crate::environment::PATH.get_os());
        let cwd = std::env::current_dir().unwrap_or_else(|_| server.folder.clone());
        let npm = Npm::find(&dirs, &cwd).map_err(failed)?;
        pinned::install(&server, &npm, &|line| ctx.say(line)).map_err(failed)
    };
    match (args.action.clone().unwrap_or(Action::Status), &server.state) {
        (Action::Status, State::Missing) => Err(CommandError::Failed(format!(
            "{} is not installed (it goes in {folder}); `trello-auth mcp-server install` installs it, and `trello-auth \
             mcp CLIENT --write` does too",
            pin.words()
        ))),
        (Action::Status | Action::Install, State::Pinned) => Ok(Output::text(format!(
            "{} is installed in {folder}, exactly as this trello-auth's lockfile pins it (every package's \
             integrity).\nEntries run: node {}\n",
            pin.words(),
            super::mcp::resolve::shown(&server.script())
        ))),
        (Action::Status | Action::Install, State::Differs { version, changes }) => {
            let what = version
                .as_deref()
                .map_or("an install of unknown version".into(), |v| format!("{} {v}", pinned::PACKAGE));
            Err(CommandError::Failed(format!(
                "{folder} holds {what}, not this trello-auth's pin, {}; `trello-auth mcp-server update` moves it, \
                 changing:\n{}",
                pin.words(),
                listed(changes)
            )))
        }
        (Action::Install | Action::Update, State::Missing) => {
            install()?;
            Ok(Output::text(format!("Installed {} in {folder}.\n", pin.words())))
        }
        (Action::Update, State::Pinned) => Ok(Output::text(format!(
            "{} is already installed in {folder}, as this trello-auth pins it: nothing to move.\n",
            pin.words()
        ))),
        (Action::Update, State::Differs { .. }) => {
            let done = install()?;
            let from = done.before.unwrap_or_else(|| "an install of unknown version".into());
            Ok(Output::text(format!(
                "Moved {} from {from} to {} in {folder}; what changed:\n{}Every entry that runs it runs the new \
                 version from its next start.\n",
                pinned::PACKAGE,
                pin.version,
                listed(&done.changes)
            )))
        }
    }
}

/// Changes a line each, indented; a long list cut with its count.
fn listed(changes: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut text: String = changes.iter().take(SHOWN).map(|c| format!("  {c}\n")).collect();
    if changes.len() > SHOWN {
        text.push_str(&format!("  … and {} more\n", changes.len() - SHOWN));
    }
    text
}
