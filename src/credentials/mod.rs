//! The domain at the bottom of the crate: credentials, their shapes and secret wrapper, scopes,
//! expiry, member names, profiles, the config store and the vault that owns every change. Nothing
//! here knows about HTTP, the terminal or the command line.

pub mod expiry;
pub mod format;
pub mod keyring;
pub mod profile;
pub mod scopes;
pub mod secret;
pub mod store;
pub mod vault;

pub use profile::{Agent, Credentials, Profile, Storage};
pub(crate) use profile::{Chosen, Verification};
pub use scopes::{Expiration, Scopes};
pub use secret::Secret;

/// Most terminal columns of a full name or a username in [`who`]: Trello's
/// are far shorter, and the question that confirms a caught token must show
/// whose it is on the screen, next to the question.
const NAME_COLUMNS: usize = 48;

/// "Ann Example (@ann)", or "@ann" when there is no full name. Both come from
/// Trello (or the config file), so anyone can choose them: each is one short
/// line with its blanks collapsed (see [`crate::untrusted::name`]), so a full
/// name padded with 500 blanks cannot push the real `(@username)` out of view.
pub fn who(full_name: &str, username: &str) -> String {
    let (full_name, username) =
        (crate::untrusted::name(full_name, NAME_COLUMNS), crate::untrusted::name(username, NAME_COLUMNS));
    if full_name.is_empty() { format!("@{username}") } else { format!("{full_name} (@{username})") }
}

#[cfg(test)]
mod tests {
    /// Issue 27 (8): a full name posing as the victim, padded so that the
    /// real username would land below the screen.
    #[test]
    fn the_username_stays_next_to_any_full_name() {
        assert_eq!(super::who("Ann Example", "ann"), "Ann Example (@ann)");
        assert_eq!(super::who(" \u{2800} ", "ann"), "@ann");
        let padded = format!("Ann Example (@ann){}.", "\u{2800}".repeat(480));
        assert_eq!(super::who(&padded, "mallory"), "Ann Example (@ann) . (@mallory)");
        let long = format!("Ann Example (@ann) {}", "x".repeat(600_000));
        let shown = super::who(&long, "mallory");
        assert!(shown.ends_with("…) (@mallory)") || shown.ends_with("… (@mallory)"), "{shown}");
        assert!(shown.chars().count() < 70, "{shown}");
    }
}
