//! The system keyring, one store per system behind one choice (`--storage keyring`): the token and secret of a profile whose storage is `keyring`.
//!
//! Each system's store is one file beside this one: the Secret Service on
//! Linux (`linux.rs`), the login keychain on macOS (`macos.rs`), the
//! Credential Manager on Windows (`windows.rs`). A file gives the connection,
//! how an entry is made, which of its errors mean "not running" or "locked",
//! the command that removes an entry by hand, and the words (`Words`) its
//! users know the store by. Everything else is here, the same on every
//! system: the entries' names, read-back after every write, the deadline,
//! and the advice when the store is missing, locked or slow. A fourth store
//! is one more file and one more `cfg` line below.
//!
//! Entries are findable by a person: service `trello-auth` (token) or
//! `trello-auth-api-secret`, user = the account the vault names (the profile
//! and its config file's id, `default@3f2a9c1e5b7d`), so the system's own
//! tool finds them (`secret-tool lookup service trello-auth username
//! default@3f2a9c1e5b7d` on Linux). This module reads and writes entries;
//! which entry a profile uses, and when, is the vault's.
//! Every call runs on a thread of its own under a deadline: an unlock prompt may
//! take a person a while (the caller is told so it can say it is waiting), but a
//! service that never answers must not hang the program.

use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::Secret;
use crate::advice;

#[cfg(target_os = "linux")]
#[path = "linux.rs"]
mod system;
#[cfg(target_os = "macos")]
#[path = "macos.rs"]
mod system;
#[cfg(windows)]
#[path = "windows.rs"]
mod system;
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
#[path = "none.rs"]
mod system;

/// What a system's users call its store and do about it: the words of every
/// message and fix about the keyring, one set per system (each file's `WORDS`).
pub struct Words {
    /// What must be there for it to answer (said when it does not).
    pub needs: &'static str,
    /// The cure when it does not answer at all.
    pub start: &'static str,
    /// The cure when it is locked and was not unlocked.
    pub unlock: &'static str,
    /// The cure when a call waited past the deadline (an unlock prompt, probably).
    pub prompt: &'static str,
    /// The tool that puts an entry back by hand.
    pub by_hand: &'static str,
}

/// This system's words (the Secret Service's on Linux, the Keychain's on macOS, …).
pub const WORDS: &Words = &system::WORDS;

/// What a profile keeps in the keyring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Token,
    ApiSecret,
}

impl Item {
    /// The `service` attribute, what `secret-tool lookup service …` names.
    pub fn service(self) -> &'static str {
        match self {
            Item::Token => "trello-auth",
            Item::ApiSecret => "trello-auth-api-secret",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Item::Token => "token",
            Item::ApiSecret => "API secret",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    #[error("no system keyring could be reached ({detail}): {}", WORDS.needs)]
    Unavailable { detail: String },
    #[error("the keyring is locked and was not unlocked ({detail})")]
    Locked { detail: String },
    #[error("the keyring has no {what} (service {service}, user {user}): was it deleted by hand?")]
    Missing { what: &'static str, service: &'static str, user: String },
    #[error("the keyring refused the {what}: {detail}")]
    Refused { what: &'static str, detail: String },
    #[error("the keyring did not answer within {seconds} s")]
    Timeout { seconds: u64 },
    #[error("the keyring gave back a different {what} than was stored")]
    Mismatch { what: &'static str },
}

/// The advice for each way the keyring fails: the one table, worded for this
/// system's store ([`WORDS`]), its suggested commands written with the
/// profile's invocation `run` ([`advice::command`]).
impl KeyringError {
    /// What to do about the keyring itself: its own cure, no way around it.
    pub(crate) fn cure(&self) -> &'static str {
        match self {
            KeyringError::Unavailable { .. } => WORDS.start,
            KeyringError::Locked { .. } => WORDS.unlock,
            KeyringError::Timeout { .. } => WORDS.prompt,
            KeyringError::Missing { .. } | KeyringError::Refused { .. } | KeyringError::Mismatch { .. } => {
                "this keyring does not keep the token reliably"
            }
        }
    }

    /// What to do when a saved token could not be read from the keyring: its
    /// cure, then the ways around it.
    pub(crate) fn fix(&self, run: &str) -> String {
        match self {
            KeyringError::Missing { .. } => format!(
                "authorize a new token with {}, or put the entry back with {}",
                advice::command(run, "rotate"),
                WORDS.by_hand
            ),
            _ => format!(
                "{}; or keep the token in the config file instead: {}",
                self.cure(),
                advice::command(run, "storage file")
            ),
        }
    }

    /// What to do when the keyring would not take a token: about the keyring
    /// itself first (each failure has its own cure), then the way around it,
    /// named with the command that takes it.
    pub(crate) fn save_fix(&self, run: &str) -> String {
        format!(
            "{}; or keep the token in the config file (readable by you alone): {} saves it there, and a profile you \
             were moving with {} simply stays where it was",
            self.cure(),
            advice::command(run, "login --with-token --storage file"),
            advice::command(run, "storage keyring")
        )
    }
}

/// How long a keyring call may take before it counts as never answering. An
/// unlock prompt waits for a person, so this is generous;
/// `TRELLO_AUTH_KEYRING_TIMEOUT_MS` shortens it (tests).
pub fn deadline() -> Duration {
    let ms = crate::environment::KEYRING_TIMEOUT_MS.get().and_then(|v| v.parse::<u64>().ok());
    Duration::from_millis(ms.unwrap_or(120_000).clamp(50, 600_000))
}

/// After this long a call is probably waiting on an unlock prompt: say so.
pub const PATIENCE: Duration = Duration::from_millis(800);

type Store = Arc<keyring_core::CredentialStore>;

/// The connection to the platform store, made once.
fn store() -> Result<Store, KeyringError> {
    static STORE: OnceLock<Result<Store, KeyringError>> = OnceLock::new();
    STORE.get_or_init(connect).clone()
}

/// The connection to this system's store, or why there is none.
fn connect() -> Result<Store, KeyringError> {
    system::connect()
}

fn unavailable(e: &keyring_core::Error) -> KeyringError {
    KeyringError::Unavailable { detail: short_text(&e.to_string()) }
}

/// How a store's own failures read to a person, the same on every system:
/// which ones mean "not running" and "locked" is the system's (its `failure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Unavailable,
    Locked,
    Refused,
}

fn classify(e: keyring_core::Error, what: &'static str) -> KeyringError {
    let detail = short_text(&e.to_string());
    // The system's reading first; else keyring-core's: no access is a locked store.
    let failure = system::failure(&e).unwrap_or(match &e {
        keyring_core::Error::NoStorageAccess(_) => Failure::Locked,
        _ => Failure::Refused,
    });
    match failure {
        Failure::Unavailable => KeyringError::Unavailable { detail },
        Failure::Locked => KeyringError::Locked { detail },
        Failure::Refused => KeyringError::Refused { what, detail },
    }
}

/// The platform's message (another process's words), one line, without
/// anything shaped like a credential, cut short, controls stripped.
fn short_text(text: &str) -> String {
    crate::untrusted::line(&super::secret::scrub(text, &[])).chars().take(160).collect()
}

fn entry(store: &Store, user: &str, item: Item) -> Result<keyring_core::Entry, KeyringError> {
    system::entry(store, item, user).map_err(|e| classify(e, item.noun()))
}

/// Runs `op` on its own thread; `waiting` is called once if it takes longer
/// than [`PATIENCE`] (an unlock prompt, probably); gives up after [`deadline`].
fn bounded<T: Send + 'static>(
    op: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
    waiting: &dyn Fn(),
) -> Result<T, KeyringError> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(op());
    });
    let limit = deadline();
    match rx.recv_timeout(PATIENCE.min(limit)) {
        Ok(result) => return result,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err(KeyringError::Unavailable { detail: "the keyring call failed".into() });
        }
        Err(mpsc::RecvTimeoutError::Timeout) => waiting(),
    }
    match rx.recv_timeout(limit.saturating_sub(PATIENCE)) {
        Ok(result) => result,
        Err(_) => Err(KeyringError::Timeout { seconds: limit.as_secs().max(1) }),
    }
}

/// The `item` of `user`; [`KeyringError::Missing`] when there is none.
pub fn get(user: &str, item: Item, waiting: &dyn Fn()) -> Result<Secret, KeyringError> {
    let user = user.to_string();
    bounded(
        move || {
            let store = store()?;
            match entry(&store, &user, item)?.get_password() {
                Ok(value) => Ok(Secret::new(value)),
                Err(keyring_core::Error::NoEntry) => {
                    Err(KeyringError::Missing { what: item.noun(), service: item.service(), user })
                }
                Err(e) => Err(classify(e, item.noun())),
            }
        },
        waiting,
    )
}

/// Like [`get`], but `None` when there is no such entry.
pub(crate) fn get_optional(user: &str, item: Item, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
    match get(user, item, waiting) {
        Ok(secret) => Ok(Some(secret)),
        Err(KeyringError::Missing { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Stores `value`, then reads it back: a keyring that accepts a write and
/// returns something else must not be trusted with the only copy. Both on one
/// thread, one after the other: the Credential Manager does not promise that
/// a read on another thread sees a write just made.
pub fn set(user: &str, item: Item, value: &Secret, waiting: &dyn Fn()) -> Result<(), KeyringError> {
    let (name, secret) = (user.to_string(), value.clone());
    let back = bounded(
        move || {
            let store = store()?;
            let entry = entry(&store, &name, item)?;
            entry.set_password(secret.expose()).map_err(|e| classify(e, item.noun()))?;
            match entry.get_password() {
                Ok(back) => Ok(Secret::new(back)),
                Err(keyring_core::Error::NoEntry) => {
                    Err(KeyringError::Missing { what: item.noun(), service: item.service(), user: name })
                }
                Err(e) => Err(classify(e, item.noun())),
            }
        },
        waiting,
    )?;
    if back != *value {
        return Err(KeyringError::Mismatch { what: item.noun() });
    }
    Ok(())
}

/// Removes the entry; no entry is not an error.
pub fn delete(user: &str, item: Item, waiting: &dyn Fn()) -> Result<(), KeyringError> {
    let user = user.to_string();
    bounded(
        move || {
            let store = store()?;
            match entry(&store, &user, item)?.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(e) => Err(classify(e, item.noun())),
            }
        },
        waiting,
    )
}

/// Whether a keyring answers at all (connecting, no prompt), within a short
/// time: the wizard offers the keyring only then.
pub(crate) fn reachable(within: Duration) -> bool {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(store().is_ok());
    });
    rx.recv_timeout(within).unwrap_or(false)
}

/// The command that removes an entry by hand with this system's own tool,
/// each word quoted for the shell it is typed into (a profile name may hold
/// a space, a quote or `$(…)`).
pub(crate) fn clear_command(item: Item, user: &str) -> String {
    system::clear_command(item, user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_advice_names_this_systems_store_and_writes_commands_with_the_invocation() {
        let run = "trello-auth --profile work";
        let unavailable = KeyringError::Unavailable { detail: "x".into() };
        assert!(unavailable.to_string().ends_with(WORDS.needs), "{unavailable}");
        assert!(unavailable.fix(run).starts_with(WORDS.start), "{}", unavailable.fix(run));
        assert!(unavailable.fix(run).ends_with("`trello-auth --profile work storage file`"));
        let locked = KeyringError::Locked { detail: "x".into() };
        assert!(locked.save_fix(run).starts_with(WORDS.unlock));
        assert!(locked.save_fix(run).contains("`trello-auth --profile work login --with-token --storage file`"));
        assert_eq!(KeyringError::Timeout { seconds: 1 }.cure(), WORDS.prompt);
        let missing = KeyringError::Missing { what: "token", service: "trello-auth", user: "work@ab".into() };
        let fix = missing.fix(run);
        assert!(fix.contains("`trello-auth --profile work rotate`") && fix.ends_with(WORDS.by_hand), "{fix}");
        // No command is written as a bare "trello-auth": each is the invocation's.
        for error in [unavailable, locked, missing] {
            for text in [error.fix(run), error.save_fix(run)] {
                assert!(!text.contains("`trello-auth ") || text.contains(run), "{text}");
            }
        }
    }
}
