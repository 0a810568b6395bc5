//! `trello-auth token`: the saved token alone on stdout, for `$(…)` and credential helpers.

use super::{CommandError, Context, Output};

/// `token`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    pub reveal: super::reveal::Reveal,
}

pub(crate) const AFTER_HELP: &str = "\
Prints the token and a newline, from the config file or the keyring. On a
terminal the token is masked (on screen it would stay in the scrollback) unless
--reveal; into a pipe or a file it is printed as it is, with a word on stderr when
the file is one others can read. A token that expires within 7 days, or has
expired, is said on stderr (and still printed: `trello-auth status` asks Trello).

Example:
  export TRELLO_TOKEN=\"$(trello-auth token)\"";

/// The token and a newline, as the one rule for printing a credential says.
pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    let stored = ctx.stored()?;
    // Printed raw, so it must be a token: a hand-edited value with control
    // characters would reach whatever reads it (or a terminal, with --force).
    let creds = ctx.credentials_to_send(&stored)?;
    let warning = super::env::expiry_warning(&stored.profile, time::OffsetDateTime::now_utc(), &ctx.invocation());
    let output = Output::raw(format!("{}\n", creds.token().expose())).warn(warning);
    let to = super::reveal::Destination::stdout();
    // The line that gets the token itself, named when a terminal gets the mask.
    let for_real = format!("export TRELLO_TOKEN=\"$({} token)\"", ctx.invocation());
    Ok(super::reveal::credential(output, &[creds.token().expose()], &for_real, args.reveal.reveal, &to))
}
