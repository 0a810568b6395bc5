//! The plain subcommands for scripts and return visits: status, env, login, logout.
//!
//! `env` and `status --offline` touch only the config file: no async runtime,
//! no TLS, no clipboard, so they start and finish in a few milliseconds.

pub mod board;
pub mod env;
pub mod exec;
pub mod login;
pub mod logout;
pub mod mcp;
pub mod status;
pub mod storage;
pub mod token;

use std::path::PathBuf;

use crate::credentials::format::check_token;
use crate::credentials::keyring::KeyringError;
use crate::credentials::profiles;
use crate::credentials::store::{Profile, Store, StoreError};
use crate::trello::{Client, ClientConfig, Credentials, EndpointError, Endpoints, TrelloError};

/// Exit statuses shared by every command (documented in `--help` and the README).
pub mod exit {
    pub const OK: u8 = 0;
    pub const REJECTED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const UNREACHABLE: u8 = 3;
    pub const NOTHING_SAVED: u8 = 4;
}

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("nothing is saved for profile \"{profile}\" in {}; run `trello-auth` to set it up", path.display())]
    NothingSaved { profile: String, path: PathBuf },
    #[error(
        "profile \"{profile}\" has no token (it was logged out); run `trello-auth` or `trello-auth login --with-token`"
    )]
    NoToken { profile: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}; unset it, or point it at an https address")]
    Endpoint(#[from] EndpointError),
    #[error("{error}\n  why: {}\n  fix: {}", error.cause(), error.fix())]
    Trello { error: TrelloError },
    #[error("profile \"{profile}\": {error}\n  fix: {}", error.fix())]
    Keyring { profile: String, error: KeyringError },
    #[error(
        "profile \"{profile}\": {error}; nothing was saved\n  fix: start or unlock the keyring and try again, or keep \
         the token in the config file with --storage file"
    )]
    KeyringSave { profile: String, error: KeyringError },
    #[error("{0}")]
    Failed(String),
}

impl CommandError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::NothingSaved { .. } | CommandError::NoToken { .. } => exit::NOTHING_SAVED,
            CommandError::Usage(_) | CommandError::Endpoint(_) => exit::USAGE,
            CommandError::Trello { error } if !error.is_rejection() => exit::UNREACHABLE,
            CommandError::Keyring { error, .. } | CommandError::KeyringSave { error, .. } => keyring_exit(error),
            CommandError::Store(_) | CommandError::Trello { .. } | CommandError::Failed(_) => exit::REJECTED,
        }
    }
}

/// A keyring that cannot be reached is like Trello not answering (3); a
/// missing or refused entry is a problem with what is saved (1).
pub fn keyring_exit(error: &KeyringError) -> u8 {
    match error {
        KeyringError::Unavailable { .. } | KeyringError::Locked { .. } | KeyringError::Timeout { .. } => {
            exit::UNREACHABLE
        }
        KeyringError::Missing { .. } | KeyringError::Refused { .. } | KeyringError::Mismatch { .. } => exit::REJECTED,
    }
}

/// Said once on stderr when a keyring call is slow: it is probably waiting
/// for the user to unlock it.
pub fn keyring_waiting() -> impl Fn() {
    let said = std::cell::Cell::new(false);
    move || {
        if !said.replace(true) {
            eprintln!("trello-auth: waiting for the keyring (unlock it if it asks)…");
        }
    }
}

impl From<TrelloError> for CommandError {
    fn from(error: TrelloError) -> Self {
        CommandError::Trello { error }
    }
}

/// The saved profile, or the reason there is none.
pub fn saved_profile(store: &Store, name: &str) -> Result<Profile, CommandError> {
    store
        .profile(name)?
        .ok_or_else(|| CommandError::NothingSaved { profile: name.to_string(), path: store.path().to_path_buf() })
}

/// The saved key and token of a profile, from the file or the keyring.
pub fn saved_credentials(profile: &Profile, name: &str) -> Result<Credentials, CommandError> {
    let waiting = keyring_waiting();
    let token = profiles::token(profile, name, &waiting)
        .map_err(|error| CommandError::Keyring { profile: name.to_string(), error })?
        .ok_or_else(|| CommandError::NoToken { profile: name.to_string() })?;
    Ok(Credentials { key: profile.api_key.clone(), token })
}

/// The saved key and token, for sending to Trello: a token edited by hand
/// into something that cannot be a token is refused here, before any request.
pub fn credentials_to_send(profile: &Profile, name: &str) -> Result<Credentials, CommandError> {
    let credentials = saved_credentials(profile, name)?;
    match unusable(&credentials.token, name) {
        Some(why) => Err(CommandError::Failed(why)),
        None => Ok(credentials),
    }
}

/// Why a saved token cannot be sent (edited by hand into something that is not
/// a token), or `None` when it can.
pub fn unusable(token: &crate::credentials::Secret, name: &str) -> Option<String> {
    let verdict = check_token(token.expose(), None, None);
    (!verdict.is_savable()).then(|| {
        format!(
            "the token saved in profile \"{name}\" is not usable ({}); nothing was sent. Run `trello-auth rotate`",
            verdict.message()
        )
    })
}

/// A one-thread runtime and a client, made only by the commands that talk to Trello.
pub fn online(endpoints: &Endpoints) -> Result<(tokio::runtime::Runtime, Client), CommandError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::Failed(format!("could not start: {e}")))?;
    let client = Client::new(&endpoints.api_base, ClientConfig::from_env())?;
    Ok((runtime, client))
}
