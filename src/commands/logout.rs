//! `trello-auth logout`: revoke the token at Trello, then forget it locally.

use super::{CommandError, credentials_to_send, online, saved_credentials, saved_profile};
use crate::credentials::store::{Saved, Store};
use crate::trello::{Endpoints, TrelloError};

pub struct LogoutOutcome {
    pub saved: Saved,
    /// What happened at Trello, in words.
    pub remote: String,
    pub warnings: Vec<String>,
}

pub fn run(
    store: &Store,
    endpoints: &Endpoints,
    profile_name: &str,
    keep_remote: bool,
    force: bool,
) -> Result<LogoutOutcome, CommandError> {
    let profile = saved_profile(store, profile_name)?;
    // Nothing is sent with --keep-remote, so even a mangled token can be forgotten.
    let credentials = if keep_remote {
        saved_credentials(&profile, profile_name)?
    } else {
        credentials_to_send(&profile, profile_name)?
    };
    let mut warnings = Vec::new();
    let remote = if keep_remote {
        "left valid at Trello (--keep-remote)".to_string()
    } else {
        let (runtime, client) = online(endpoints)?;
        match runtime.block_on(client.revoke_token(&credentials)) {
            Ok(()) => "revoked at Trello".to_string(),
            // Already dead at Trello: nothing left to revoke.
            Err(TrelloError::InvalidToken | TrelloError::ExpiredToken) => "already invalid at Trello".to_string(),
            Err(error) if force => {
                let account = revoke_page(endpoints, &profile.member_username);
                warnings
                    .push(format!("could not revoke the token at Trello ({error}); revoke it by hand at {account}"));
                "NOT revoked at Trello (--force)".to_string()
            }
            Err(error) => {
                let account = revoke_page(endpoints, &profile.member_username);
                return Err(CommandError::Failed(format!(
                    "could not revoke the token at Trello: {error}\n  fix: {}\n  The local token was kept. Revoke it by \
                     hand at {account} (Applications), then run `trello-auth logout --keep-remote`, or pass --force.",
                    error.fix()
                )));
            }
        }
    };
    // The keyring entries go first: the file then says there is no token.
    crate::credentials::profiles::forget(&profile, profile_name, &super::keyring_waiting())
        .map_err(|error| CommandError::Keyring { profile: profile_name.to_string(), error })?;
    // The token leaves the backup too: a logout means no file keeps it. The
    // profile goes back to file storage: the next login chooses again.
    let saved = store.update(&[&credentials.token], |config| {
        if let Some(p) = config.profiles.get_mut(profile_name) {
            p.token = None;
            p.storage = crate::credentials::store::Storage::File;
            p.token_expires = None;
            p.verified_at = None;
        }
    })?;
    Ok(LogoutOutcome { saved, remote, warnings })
}

/// Where the member sees and revokes tokens.
pub fn revoke_page(endpoints: &Endpoints, username: &Option<String>) -> String {
    match username {
        Some(u) => format!("{} → Applications", endpoints.account_url(u)),
        None => format!("{}/my/account → Applications", endpoints.web_base),
    }
}
