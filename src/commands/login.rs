//! `trello-auth login --with-token`: check, verify and save without the wizard.

use super::{CommandError, online};
use crate::credentials::Secret;
use crate::credentials::format::{check_key, check_token, extract_key, extract_token};
use crate::credentials::profiles::{self, SaveError};
use crate::credentials::store::{Saved, Storage, Store};
use crate::trello::{Chosen, Credentials, Endpoints, Expiration, Verified};

pub struct LoginOutcome {
    pub verified: Verified,
    pub saved: Saved,
    pub warnings: Vec<String>,
}

/// `token_text` is what came on stdin; `key_arg` is `--key`, else `TRELLO_API_KEY`.
pub fn run(
    store: &Store,
    endpoints: &Endpoints,
    profile_name: &str,
    key_arg: Option<String>,
    app_name: Option<String>,
    storage: Option<Storage>,
    token_text: &str,
) -> Result<LoginOutcome, CommandError> {
    let config = store.load()?.map(|l| l.config).unwrap_or_default();
    let existing = config.profiles.get(profile_name).cloned();
    // Any secret saved under any profile: pasting one as a token is a classic slip.
    let saved_secrets: Vec<&str> =
        config.profiles.values().filter_map(|p| p.api_secret.as_ref()).map(|s| s.expose()).collect();
    let key_source = key_arg
        .or_else(|| std::env::var("TRELLO_API_KEY").ok().filter(|k| !k.trim().is_empty()))
        .or_else(|| existing.as_ref().map(|p| p.api_key.clone()).filter(|k| !k.is_empty()))
        .ok_or_else(|| {
            CommandError::Usage("no API key: pass --key, set TRELLO_API_KEY, or save a profile with the wizard".into())
        })?;
    let key = extract_key(&key_source);
    let key_verdict = check_key(&key);
    if !key_verdict.is_savable() {
        return Err(CommandError::Usage(format!("API key: {}", key_verdict.message())));
    }
    let token = extract_token(token_text);
    let secret = saved_secrets.iter().copied().find(|s| *s == token);
    let token_verdict = check_token(&token, secret, Some(&key));
    if !token_verdict.is_savable() {
        let hint = if token.is_empty() {
            " (pipe it in: printf '%s' \"$TOKEN\" | trello-auth login --with-token)"
        } else {
            ""
        };
        return Err(CommandError::Usage(format!("token: {}{hint}", token_verdict.message())));
    }
    let mut warnings = Vec::new();
    if !token_verdict.is_valid() {
        warnings.push(format!("token: {}", token_verdict.message()));
    }

    let credentials = Credentials { key: key.clone(), token: Secret::new(token) };
    let (runtime, client) = online(endpoints)?;
    let verified = runtime.block_on(client.verify(&credentials))?;

    // A token made elsewhere: what was asked for is unknown, so the saved
    // profile's choices stand, or what Trello granted.
    let base = existing.unwrap_or_default();
    let granted = verified.token.scopes();
    let chosen = Chosen {
        key,
        token: credentials.token,
        app_name: app_name.unwrap_or(base.app_name.clone()),
        requested_scope: if base.api_key.is_empty() && !granted.is_empty() { granted } else { base.requested_scope },
        expiration: if verified.token.date_expires.is_none() { Expiration::Never } else { base.expiration },
    };
    let storage = storage.unwrap_or(base.storage);
    let mut profile = verified.profile(base, chosen, crate::credentials::expiry::now_rfc3339());
    profile.storage = storage;
    let saved = profiles::save(store, profile_name, profile, &super::keyring_waiting()).map_err(|e| match e {
        SaveError::Store(e) => CommandError::Store(e),
        SaveError::Keyring { error } => CommandError::KeyringSave { profile: profile_name.to_string(), error },
    })?;
    Ok(LoginOutcome { verified, saved, warnings })
}
