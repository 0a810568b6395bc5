//! trello-auth: get, verify, store and rotate Trello API credentials.

pub mod capture;
pub mod commands;
pub mod credentials;
pub mod desktop;
pub mod trello;
pub mod wizard;
