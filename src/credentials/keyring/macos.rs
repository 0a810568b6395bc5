//! macOS's store: the user's login keychain (generic passwords), through `apple-native-keyring-store`'s `keychain` module; compiled in CI for both Apple targets, never run there.
//!
//! An entry is a generic password whose service is `trello-auth` (or
//! `trello-auth-api-secret`) and whose account is the vault's user, as
//! Keychain Access lists it and `security find-generic-password -s
//! trello-auth -a default@3f2a9c1e5b7d -w` prints it. The keychain grants the
//! program that made an item access without asking; another program (or this
//! one after an upgrade changed its binary) gets the system's prompt, and a
//! "Deny" or a closed prompt reads as a locked keychain.

use std::collections::HashMap;

use super::{Failure, Item, KeyringError, Store, Words};
use crate::shell::sh_word;

pub(crate) const WORDS: Words = Words {
    needs: "on macOS the login keychain must be there and unlocked (Keychain Access shows it)",
    start: "the login keychain could not be opened: check it in Keychain Access (File › Add Keychain, or Keychain \
            First Aid on older systems) and run the command again",
    unlock: "unlock the login keychain (log in to the Mac, or unlock it in Keychain Access) and allow trello-auth \
             when macOS asks, then run the command again",
    prompt: "answer macOS's keychain prompt (it may be behind a window or on another screen; \"Always Allow\" stops it \
             asking again) and run the command again",
    by_hand: "Keychain Access, or `security add-generic-password -s trello-auth -a <user> -w`",
};

/// The user's (login) keychain. Opening it asks nothing; a locked keychain
/// prompts, if at all, on the first read or write.
pub(crate) fn connect() -> Result<Store, KeyringError> {
    let store = apple_native_keyring_store::keychain::Store::new().map_err(|e| super::unavailable(&e))?;
    Ok(store)
}

/// A generic password by service and account. The store takes no label (its
/// only modifier is which keychain): Keychain Access shows the service as
/// the item's name.
pub(crate) fn entry(store: &Store, item: Item, user: &str) -> Result<keyring_core::Entry, keyring_core::Error> {
    keyring_core::Entry::new_in_store_with_modifiers(store, item.service(), user, &HashMap::new())
}

// Security framework result codes (SecBase.h) that mean a person or the
// session kept the keychain shut, or that there is no keychain to open.
const ERR_USER_CANCELED: i32 = -128;
const ERR_SEC_AUTH_FAILED: i32 = -25293;
const ERR_SEC_INTERACTION_NOT_ALLOWED: i32 = -25308;
const ERR_SEC_NOT_AVAILABLE: i32 = -25291;
const ERR_SEC_NO_SUCH_KEYCHAIN: i32 = -25294;
const ERR_SEC_INVALID_KEYCHAIN: i32 = -25295;
const ERR_SEC_NO_DEFAULT_KEYCHAIN: i32 = -25307;

/// The Keychain's result code decides: a cancelled or denied prompt, or a
/// session that cannot show one (ssh), is a locked keychain; no keychain to
/// open is none answering. The store maps some of these to "no storage
/// access", which alone would read as locked.
pub(crate) fn failure(e: &keyring_core::Error) -> Option<Failure> {
    let inner = match e {
        keyring_core::Error::PlatformFailure(inner) | keyring_core::Error::NoStorageAccess(inner) => inner,
        _ => return None,
    };
    let code = inner.downcast_ref::<security_framework::base::Error>()?.code();
    match code {
        ERR_USER_CANCELED | ERR_SEC_AUTH_FAILED | ERR_SEC_INTERACTION_NOT_ALLOWED => Some(Failure::Locked),
        ERR_SEC_NOT_AVAILABLE | ERR_SEC_NO_SUCH_KEYCHAIN | ERR_SEC_INVALID_KEYCHAIN | ERR_SEC_NO_DEFAULT_KEYCHAIN => {
            Some(Failure::Unavailable)
        }
        _ => None,
    }
}

/// `security delete-generic-password`, its words quoted for a POSIX shell (zsh, the default).
pub(crate) fn clear_command(item: Item, user: &str) -> String {
    format!("security delete-generic-password -s {} -a {}", sh_word(item.service()), sh_word(user))
}
