//! The system keyring (Secret Service on Linux, through keyring-core): the token and secret of a profile whose storage is `keyring`.
//!
//! Entries are findable by a person: service `trello-auth` (token) or
//! `trello-auth-api-secret`, user = the account the vault names (the profile
//! and its config file's id, `default@3f2a9c1e5b7d`), and a readable label, so
//! `secret-tool lookup service trello-auth username default@3f2a9c1e5b7d`
//! prints the token. This module reads and writes entries; which entry a
//! profile uses, and when, is the vault's.
//! Every call runs on a thread of its own under a deadline: an unlock prompt may
//! take a person a while (the caller is told so it can say it is waiting), but a
//! service that never answers must not hang the program.

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::Secret;

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

    fn label(self, user: &str) -> String {
        format!("Trello {} (trello-auth {user})", self.noun())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    #[error(
        "no system keyring could be reached ({detail}): on Linux a Secret Service (GNOME Keyring, KeePassXC, \
         KWallet) must run on the session D-Bus"
    )]
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

impl KeyringError {
    /// What to do about it, in words for a person at a terminal.
    pub fn fix(&self) -> &'static str {
        match self {
            KeyringError::Unavailable { .. } | KeyringError::Timeout { .. } => {
                "Start or unlock your keyring, or keep the token in the config file: `trello-auth storage file`."
            }
            KeyringError::Locked { .. } => {
                "Unlock the keyring (log in to the desktop, or open Seahorse) and try again."
            }
            KeyringError::Missing { .. } => {
                "Authorize a new token with `trello-auth rotate`, or put it back with `secret-tool store`."
            }
            KeyringError::Refused { .. } | KeyringError::Mismatch { .. } => {
                "Keep the token in the config file instead: `trello-auth storage file` (or `login --storage file`)."
            }
        }
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

#[cfg(target_os = "linux")]
fn connect() -> Result<Store, KeyringError> {
    // Without DBUS_SESSION_BUS_ADDRESS (an MCP client starts servers with a
    // stripped environment) zbus uses the standard per-user bus, as libdbus
    // and sd-bus do: `$XDG_RUNTIME_DIR/bus`, else `/run/user/$UID/bus`. When
    // that socket is not there either, say so plainly instead of a D-Bus error.
    if !crate::environment::DBUS_SESSION_BUS_ADDRESS.is_set() {
        let bus = per_user_bus();
        if !bus.exists() {
            return Err(KeyringError::Unavailable {
                detail: format!("DBUS_SESSION_BUS_ADDRESS is not set and there is no session bus at {}", bus.display()),
            });
        }
    }
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| unavailable(&e))?;
    Ok(store)
}

/// The standard per-user session bus socket.
#[cfg(target_os = "linux")]
fn per_user_bus() -> std::path::PathBuf {
    let runtime = crate::environment::XDG_RUNTIME_DIR
        .get_os()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(format!("/run/user/{}", rustix::process::geteuid().as_raw())));
    runtime.join("bus")
}

#[cfg(not(target_os = "linux"))]
fn connect() -> Result<Store, KeyringError> {
    Err(KeyringError::Unavailable { detail: "this build has no keyring store for this platform".into() })
}

// Only Linux's store is connected on this branch; the other stores use it too.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn unavailable(e: &keyring_core::Error) -> KeyringError {
    KeyringError::Unavailable { detail: short_text(&e.to_string()) }
}

fn classify(e: keyring_core::Error, what: &'static str) -> KeyringError {
    let text = e.to_string();
    match e {
        keyring_core::Error::NoStorageAccess(_) => KeyringError::Locked { detail: short_text(&text) },
        // The bus answered but nobody owns the Secret Service name.
        keyring_core::Error::PlatformFailure(_)
            if text.contains("ServiceUnknown") || text.contains("NameHasNoOwner") || text.contains("connect") =>
        {
            KeyringError::Unavailable { detail: short_text(&text) }
        }
        _ => KeyringError::Refused { what, detail: short_text(&text) },
    }
}

/// The platform's message (another process's words), one line, without
/// anything shaped like a credential, cut short, controls stripped.
fn short_text(text: &str) -> String {
    crate::untrusted::line(&super::secret::scrub(text, &[])).chars().take(160).collect()
}

fn entry(store: &Store, user: &str, item: Item) -> Result<keyring_core::Entry, KeyringError> {
    let label = item.label(user);
    let modifiers = HashMap::from([("label", label.as_str())]);
    keyring_core::Entry::new_in_store_with_modifiers(store, item.service(), user, &modifiers)
        .map_err(|e| classify(e, item.noun()))
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
pub fn get_optional(user: &str, item: Item, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
    match get(user, item, waiting) {
        Ok(secret) => Ok(Some(secret)),
        Err(KeyringError::Missing { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Stores `value`, then reads it back: a keyring that accepts a write and
/// returns something else must not be trusted with the only copy.
pub fn set(user: &str, item: Item, value: &Secret, waiting: &dyn Fn()) -> Result<(), KeyringError> {
    let (name, secret) = (user.to_string(), value.clone());
    bounded(
        move || {
            let store = store()?;
            entry(&store, &name, item)?.set_password(secret.expose()).map_err(|e| classify(e, item.noun()))
        },
        waiting,
    )?;
    let back = get(user, item, waiting)?;
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
pub fn reachable(within: Duration) -> bool {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(store().is_ok());
    });
    rx.recv_timeout(within).unwrap_or(false)
}
/// The command that removes an entry by hand, each word quoted for the shell
/// (a profile name may hold a space, a quote or `$(…)`).
pub fn clear_command(item: Item, user: &str) -> String {
    use crate::shell::sh_word;
    format!("secret-tool clear service {} username {}", sh_word(item.service()), sh_word(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clear_command_quotes_what_a_shell_would_run() {
        let user = "a'b $(touch x) `id`@ca18c899866a";
        let line = clear_command(Item::Token, user);
        assert_eq!(line, "secret-tool clear service trello-auth username 'a'\\''b $(touch x) `id`@ca18c899866a'");
        assert_eq!(clear_command(Item::Token, "work@ca18"), "secret-tool clear service trello-auth username work@ca18");
    }
}
