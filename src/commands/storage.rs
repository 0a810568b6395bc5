//! `trello-auth storage keyring|file`: moves a profile's token and secret between the config file and the keyring.

use super::{CommandError, Context, Output};
use crate::credentials::Storage;
use crate::credentials::vault::VaultError;

/// `storage`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Where the token and secret should live.
    #[arg(value_enum)]
    pub to: Where,
}

pub(crate) const AFTER_HELP: &str = "\
The new place is written and read back before the file changes and the old place
is emptied; moving into the keyring also strips the secrets from config.toml.bak.

Examples:
  trello-auth storage keyring
  trello-auth storage file";

/// Where a profile's secrets may be kept, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Where {
    /// In the config file (mode 0600).
    File,
    /// In the system keyring (Secret Service, macOS Keychain, Windows Credential Manager).
    Keyring,
}

impl From<Where> for Storage {
    fn from(w: Where) -> Storage {
        match w {
            Where::File => Storage::File,
            Where::Keyring => Storage::Keyring,
        }
    }
}

/// The profile already keeps its token where it was asked to go.
pub fn already(profile: &str, place: &str) -> String {
    format!("profile \"{profile}\" already keeps its token in {place}")
}

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    let changed = match ctx.vault.move_to(ctx.name(), args.to.into()) {
        // Asking for where it is already is done, not wrong: a script may run this every time.
        Err(VaultError::Already(_)) => {
            let place = ctx.stored()?.place().to_string();
            return Ok(Output::text(format!("Nothing to move: {}.\n", already(ctx.name(), &place))));
        }
        changed => changed.map_err(|e| ctx.vault_error(e))?,
    };
    let extra = match args.to {
        Where::Keyring => "; the config file and its backup no longer hold it",
        Where::File => "",
    };
    Ok(Output::text(format!("Moved the token of profile \"{}\" to {}{extra}.\n", ctx.name(), changed.place))
        .warn(changed.warnings))
}
