//! Credentials: their shapes, their secret wrapper, and where they are stored.

pub mod expiry;
pub mod format;
pub mod secret;
pub mod store;

pub use secret::Secret;
