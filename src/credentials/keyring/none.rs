//! A system with no keyring store in this build (not Linux, macOS or Windows): every call says so, and the file keeps the token.

use super::{Failure, Item, KeyringError, Store, Words};

pub(crate) const WORDS: Words = Words {
    needs: "this build has a keyring store for Linux, macOS and Windows only",
    start: "this system has no keyring trello-auth can use",
    unlock: "unlock the keyring and run the command again",
    prompt: "answer the keyring's prompt and run the command again",
    by_hand: "the keyring's own tool",
};

pub(crate) fn connect() -> Result<Store, KeyringError> {
    Err(KeyringError::Unavailable { detail: "this build has no keyring store for this platform".into() })
}

pub(crate) fn entry(_: &Store, _: Item, _: &str) -> Result<keyring_core::Entry, keyring_core::Error> {
    Err(keyring_core::Error::NoDefaultStore)
}

pub(crate) fn failure(_: &keyring_core::Error) -> Option<Failure> {
    None
}

pub(crate) fn clear_command(item: Item, user: &str) -> String {
    format!("(remove service {}, user {user}, with the keyring's own tool)", item.service())
}
