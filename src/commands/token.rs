//! `trello-auth token`: the saved token alone on stdout, for `$(…)` and credential helpers.

use super::{CommandError, Context, Output};

/// `token`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Print even to a terminal.
    #[arg(long)]
    pub force: bool,
}

pub const AFTER_HELP: &str = "\
Prints the token and a newline, from the config file or the keyring. Refuses to
print to a terminal unless --force: a token on screen stays in the scrollback. A
token that expires within 7 days, or has expired, is said on stderr (and still
printed: `trello-auth status` asks Trello).

Example:
  export TRELLO_TOKEN=\"$(trello-auth token)\"";

/// The token and a newline. Refused when stdout is a terminal unless `force`:
/// a token on screen ends up in scrollback and screen shares.
pub fn run(ctx: &Context, args: &Args, stdout_is_terminal: bool) -> Result<Output, CommandError> {
    if stdout_is_terminal && !args.force {
        return Err(CommandError::Usage(
            "refusing to print the token to a terminal (it would stay in the scrollback); pipe it, use it in \
             $(trello-auth token), or pass --force"
                .into(),
        ));
    }
    let stored = ctx.stored()?;
    // Printed raw, so it must be a token: a hand-edited value with control
    // characters would reach whatever reads it (or a terminal, with --force).
    let creds = ctx.credentials_to_send(&stored)?;
    let warning = super::env::expiry_warning(&stored.profile, time::OffsetDateTime::now_utc());
    Ok(Output::raw(format!("{}\n", creds.token.expose())).warn(warning))
}
