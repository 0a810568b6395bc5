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

pub use profile::{Agent, Chosen, Credentials, Profile, Storage, Verification};
pub use scopes::{Expiration, Scopes};
pub use secret::Secret;

/// "Ann Example (@ann)", or "@ann" when there is no full name. Both come from
/// Trello (or the config file): one line, control characters stripped.
pub fn who(full_name: &str, username: &str) -> String {
    // Cut first: a hostile answer's 600 kB name is not printed whole.
    let (full_name, username) = (crate::untrusted::capped(full_name), crate::untrusted::capped(username));
    let (full_name, username) = (crate::untrusted::line(&full_name), crate::untrusted::line(&username));
    if full_name.trim().is_empty() { format!("@{username}") } else { format!("{} (@{username})", full_name.trim()) }
}
