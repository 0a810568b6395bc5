//! `trello-auth storage keyring|file`: moves a profile's token and secret between the config file and the keyring.

use super::{CommandError, keyring_waiting};
use crate::credentials::profiles::{MoveError, move_to};
use crate::credentials::store::{Saved, Storage, Store};

pub fn run(store: &Store, profile_name: &str, target: Storage) -> Result<Saved, CommandError> {
    move_to(store, profile_name, target, &keyring_waiting()).map_err(|e| match e {
        MoveError::NothingSaved => {
            CommandError::NothingSaved { profile: profile_name.to_string(), path: store.path().to_path_buf() }
        }
        MoveError::NoToken => CommandError::NoToken { profile: profile_name.to_string() },
        MoveError::Already(storage) => CommandError::Usage(format!(
            "profile \"{profile_name}\" already keeps its token in the {}; nothing to move",
            storage.as_str()
        )),
        MoveError::Store(e) => e.into(),
        MoveError::Keyring(error) => CommandError::Keyring { profile: profile_name.to_string(), error },
    })
}
