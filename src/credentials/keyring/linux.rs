//! Linux's store: the Secret Service on the session D-Bus (GNOME Keyring, KeePassXC, KWallet), through `zbus-secret-service-keyring-store`.

use std::collections::HashMap;

use super::{Failure, Item, KeyringError, Store, Words};
use crate::shell::sh_word;

pub(crate) const WORDS: Words = Words {
    needs: "on Linux a Secret Service (GNOME Keyring, KeePassXC, KWallet) must run on the session D-Bus",
    start: "no keyring answers here: start one that offers the Secret Service (GNOME Keyring, KeePassXC, KWallet) in \
            this session and run the command again",
    unlock: "unlock the keyring (log in to the desktop session, or unlock it in Seahorse or KeePassXC) and run the \
             command again",
    prompt: "answer the keyring's unlock prompt (it may be on another screen or behind a window) and run the command \
             again",
    by_hand: "the keyring's own tool (`secret-tool store`, or Seahorse)",
};

pub(crate) fn connect() -> Result<Store, KeyringError> {
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
        // The bus found by convention must be this user's own: another user
        // who could make `$XDG_RUNTIME_DIR` (a folder under /tmp, say) first
        // would otherwise run the "keyring" the token is handed to.
        if let Some(other) = [bus.as_path(), bus.parent().unwrap_or(&bus)].into_iter().find(|p| !owned_by_me(p)) {
            return Err(KeyringError::Unavailable {
                detail: format!(
                    "the session bus found at {} is not used: {} is not yours",
                    bus.display(),
                    other.display()
                ),
            });
        }
    }
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| super::unavailable(&e))?;
    Ok(store)
}

/// Whether `path` (links followed) belongs to this user.
fn owned_by_me(path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).is_ok_and(|m| m.uid() == rustix::process::geteuid().as_raw())
}

/// The standard per-user session bus socket.
fn per_user_bus() -> std::path::PathBuf {
    let runtime = crate::environment::XDG_RUNTIME_DIR
        .get_os()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(format!("/run/user/{}", rustix::process::geteuid().as_raw())));
    runtime.join("bus")
}

/// An item with the `service` and `username` attributes `secret-tool` looks
/// up, and a label that Seahorse lists it by.
pub(crate) fn entry(store: &Store, item: Item, user: &str) -> Result<keyring_core::Entry, keyring_core::Error> {
    let label = format!("Trello {} (trello-auth {user})", item.noun());
    let modifiers = HashMap::from([("label", label.as_str())]);
    keyring_core::Entry::new_in_store_with_modifiers(store, item.service(), user, &modifiers)
}

/// A platform failure where the bus answered but nobody owns the Secret
/// Service name, or there was no bus to connect to: no keyring runs.
pub(crate) fn failure(e: &keyring_core::Error) -> Option<Failure> {
    let text = e.to_string();
    let absent = text.contains("ServiceUnknown") || text.contains("NameHasNoOwner") || text.contains("connect");
    (matches!(e, keyring_core::Error::PlatformFailure(_)) && absent).then_some(Failure::Unavailable)
}

/// `secret-tool clear`, its words quoted for a POSIX shell.
pub(crate) fn clear_command(item: Item, user: &str) -> String {
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
