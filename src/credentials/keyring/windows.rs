//! Windows's store: the Credential Manager (generic credentials), through `windows-native-keyring-store`.
//!
//! The store names a credential `{user}.{service}`, its default mapping
//! (`default@3f2a9c1e5b7d.trello-auth`), with the user as its user name; the
//! value is kept as UTF-16. The name ends in one of the two fixed services,
//! and neither `.trello-auth` nor `.trello-auth-api-secret` ends the other,
//! so two entries never share a name, whatever a profile is called. The
//! limits (wincred.h, checked by the store before it writes) fit with room
//! to spare: a value of 2 560 bytes is 1 280 UTF-16 units, and a token has 76
//! characters (the shape check takes no more than 256), a secret 64; a
//! target name may have 32 767 characters and a user name 513, so only a
//! profile name of some 500 characters would be refused, and then nothing is
//! saved and the store's words say which limit. Its
//! persistence is the store's default, `Enterprise`: kept across logons,
//! and roaming with a roaming profile, as Windows's own saved credentials do.
//! Any program the user runs can read a generic credential: the Credential
//! Manager keeps it from other users, not from the user's other programs.

use std::collections::HashMap;

use super::{Failure, Item, KeyringError, Store, Words};
use crate::shell::quote_powershell;

pub(crate) const WORDS: Words = Words {
    needs: "on Windows the Credential Manager must be open to this logon session (it is not to some service and \
            network logons)",
    start: "the Credential Manager is not open to this session (a service, scheduled task or network logon has none): \
            run the command in your own desktop session",
    unlock: "the Credential Manager refused this session: run the command in your own desktop session",
    prompt: "the Credential Manager did not answer: check it in Control Panel › Credential Manager and run the command \
             again",
    by_hand: "Credential Manager (Windows Credentials › Generic Credentials), or `cmdkey /generic:<user>.trello-auth \
              /user:<user> /pass`",
};

/// The Credential Manager is part of every desktop session: nothing to
/// connect to, so this does not fail; a session without one fails each call.
pub(crate) fn connect() -> Result<Store, KeyringError> {
    let store = windows_native_keyring_store::Store::new().map_err(|e| super::unavailable(&e))?;
    Ok(store)
}

/// A generic credential named by the store's own mapping; no modifiers, so
/// the name stays what `cmdkey /list` shows and [`clear_command`] deletes.
pub(crate) fn entry(store: &Store, item: Item, user: &str) -> Result<keyring_core::Entry, keyring_core::Error> {
    keyring_core::Entry::new_in_store_with_modifiers(store, item.service(), user, &HashMap::new())
}

/// The one "no access" the store reports is `ERROR_NO_SUCH_LOGON_SESSION`: a
/// session with no Credential Manager (it is never locked), so none answers.
pub(crate) fn failure(e: &keyring_core::Error) -> Option<Failure> {
    matches!(e, keyring_core::Error::NoStorageAccess(_)).then_some(Failure::Unavailable)
}

/// The credential's name, as the store makes it and `cmdkey /list` shows it.
pub(crate) fn target(item: Item, user: &str) -> String {
    format!("{user}.{}", item.service())
}

/// `cmdkey /delete:` for PowerShell, the shell Windows opens by default: one
/// single-quoted word, whatever the profile name holds.
pub(crate) fn clear_command(item: Item, user: &str) -> String {
    format!("cmdkey {}", quote_powershell(&format!("/delete:{}", target(item, user))))
}
