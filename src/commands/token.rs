//! `trello-auth token`: the saved token alone on stdout, for `$(…)` and credential helpers.

use super::{CommandError, credentials_to_send, saved_profile};
use crate::credentials::store::Store;

/// The token and a newline. Refused when stdout is a terminal unless `force`:
/// a token on screen ends up in scrollback and screen shares.
pub fn run(store: &Store, profile_name: &str, stdout_is_terminal: bool, force: bool) -> Result<String, CommandError> {
    if stdout_is_terminal && !force {
        return Err(CommandError::Usage(
            "refusing to print the token to a terminal (it would stay in the scrollback); pipe it, use it in \
             $(trello-auth token), or pass --force"
                .into(),
        ));
    }
    let profile = saved_profile(store, profile_name)?;
    // Printed raw, so it must be a token: a hand-edited value with control
    // characters would reach whatever reads it (or a terminal, with --force).
    let creds = credentials_to_send(&profile, profile_name)?;
    Ok(format!("{}\n", creds.token.expose()))
}
