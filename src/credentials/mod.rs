//! The domain at the bottom of the crate: credentials, their shapes and secret wrapper, scopes,
//! expiry, member names, and where they are stored. Nothing here knows about HTTP or the terminal.

pub mod expiry;
pub mod format;
pub mod keyring;
pub mod profiles;
pub mod scopes;
pub mod secret;
pub mod store;

pub use scopes::{Expiration, Scopes};
pub use secret::Secret;

/// "Ann Example (@ann)", or "@ann" when there is no full name. Both come from
/// Trello (or the config file): control characters are stripped.
pub fn who(full_name: &str, username: &str) -> String {
    let (full_name, username) = (crate::untrusted::line(full_name), crate::untrusted::line(username));
    if full_name.trim().is_empty() { format!("@{username}") } else { format!("{} (@{username})", full_name.trim()) }
}
