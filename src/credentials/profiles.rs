//! A profile's secrets wherever they live: the one place that knows a token may be in the config file or in the keyring.

use super::Secret;
use super::keyring::{self, Item, KeyringError};
use super::store::{Profile, Saved, Storage, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{error}; nothing was saved")]
    Keyring { error: KeyringError },
}

/// The saved token: `Ok(None)` when the profile has none (logged out).
pub fn token(profile: &Profile, name: &str, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
    match profile.storage {
        Storage::File => Ok(profile.token.clone()),
        Storage::Keyring => keyring::get(name, Item::Token, waiting).map(Some),
    }
}

/// The saved API secret, if any.
pub fn api_secret(profile: &Profile, name: &str, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
    match profile.storage {
        Storage::File => Ok(profile.api_secret.clone()),
        Storage::Keyring => keyring::get_optional(name, Item::ApiSecret, waiting),
    }
}

/// Saves `profile` under `name`, its secrets where `profile.storage` says.
/// For the keyring they are written (and read back) first, and the file then
/// keeps no secret; if the keyring refuses, nothing is written anywhere: no
/// silent fallback to plain text.
pub fn save(store: &Store, name: &str, mut profile: Profile, waiting: &dyn Fn()) -> Result<Saved, SaveError> {
    if profile.storage == Storage::Keyring {
        let keyring = |error| SaveError::Keyring { error };
        if let Some(token) = &profile.token {
            keyring::set(name, Item::Token, token, waiting).map_err(keyring)?;
        }
        if let Some(secret) = &profile.api_secret {
            keyring::set(name, Item::ApiSecret, secret, waiting).map_err(keyring)?;
        }
        profile.token = None;
        profile.api_secret = None;
    }
    Ok(store.save_profile(name, profile)?)
}

/// Moves a profile's secrets to `target`: the new place is written and read
/// back before the old one is emptied, so a crash in between leaves them in
/// both places, never in none. Moving into the keyring also strips them from
/// the file's backup.
pub fn move_to(store: &Store, name: &str, target: Storage, waiting: &dyn Fn()) -> Result<Saved, MoveError> {
    let profile = store.profile(name)?.ok_or(MoveError::NothingSaved)?;
    if profile.storage == target {
        return Err(MoveError::Already(target));
    }
    let token = token(&profile, name, waiting)?.ok_or(MoveError::NoToken)?;
    let secret = api_secret(&profile, name, waiting)?;
    match target {
        Storage::Keyring => {
            keyring::set(name, Item::Token, &token, waiting)?;
            if let Some(secret) = &secret {
                keyring::set(name, Item::ApiSecret, secret, waiting)?;
            }
            let forget: Vec<&Secret> = [Some(&token), secret.as_ref()].into_iter().flatten().collect();
            Ok(store.update(&forget, |config| {
                if let Some(p) = config.profiles.get_mut(name) {
                    p.storage = Storage::Keyring;
                    p.token = None;
                    p.api_secret = None;
                }
            })?)
        }
        Storage::File => {
            let saved = store.update(&[], |config| {
                if let Some(p) = config.profiles.get_mut(name) {
                    p.storage = Storage::File;
                    p.token = Some(token.clone());
                    p.api_secret = secret.clone();
                }
            })?;
            keyring::delete(name, Item::Token, waiting)?;
            keyring::delete(name, Item::ApiSecret, waiting)?;
            Ok(saved)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("nothing is saved for this profile")]
    NothingSaved,
    #[error("this profile has no token to move (it was logged out)")]
    NoToken,
    #[error("the token is already in the {}", .0.as_str())]
    Already(Storage),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
}

/// Removes a keyring profile's entries (logout). The file is the caller's.
pub fn forget(profile: &Profile, name: &str, waiting: &dyn Fn()) -> Result<(), KeyringError> {
    if profile.storage == Storage::Keyring {
        keyring::delete(name, Item::Token, waiting)?;
        keyring::delete(name, Item::ApiSecret, waiting)?;
    }
    Ok(())
}
