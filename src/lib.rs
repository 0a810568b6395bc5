//! trello-auth: get, verify, store and rotate Trello API credentials.

pub mod capture;
pub mod commands;
pub mod credentials;
pub mod desktop;
pub mod hardening;
pub mod trello;
pub mod untrusted;
pub mod wizard;
