//! trello-auth: get, verify, store and rotate Trello API credentials.
//!
//! Layers point one way: the leaves (`untrusted`, `hardening`, `environment`,
//! `files`, `shell`, `terminal`) under `credentials`, then `trello`, then `commands`, `wizard` (with
//! `capture` and `desktop`), then `cli` on top.

pub(crate) mod advice;
pub mod capture;
pub mod cli;
pub mod commands;
pub mod credentials;
pub mod desktop;
pub mod environment;
pub mod files;
pub mod hardening;
pub mod shell;
pub mod terminal;
pub mod trello;
pub mod untrusted;
pub mod wizard;
