//! The one owner of every profile change, across the keyring and the config file, and of where a saved secret is read from.
//!
//! Every change (a save after a verification, `login`, the default board,
//! `storage`, `logout`, the default profile) is an edit of what is stored
//! now, made under the config file's lock, in one order: write the new place
//! (keyring entries, read back), commit the file, then clean the old place
//! (keyring entries, the `.bak` copy). When a later step fails, the keyring
//! gets its previous values back, so a failure leaves the old pair whole.
//! gh's `AuthConfig` is the model: commands never assign profile fields or
//! touch the keyring themselves.
//!
//! Keyring entries are keyed by profile *and* config file (`default@<id>`,
//! the id written once in the file), so two config files with a profile of the
//! same name never share a token. Entries written before that (`default`) are
//! still read, and moved to the new name on the profile's next change.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Secret;
use super::keyring::{self, Item, KeyringError};
use super::profile::{BoardChoice, Chosen, Profile, Storage, Verification};
use super::store::{ConfigFile, Edit, Loaded, Saved, Store, StoreError};

/// Said when a keyring call is slow (probably an unlock prompt); the commands
/// print a line, the wizard shows "Saving…" already.
pub type Waiting = Arc<dyn Fn() + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The keyring failed before the file was written: nothing changed.
    #[error("{0}; nothing was saved")]
    Keyring(KeyringError),
    /// Reading what is saved failed.
    #[error("{0}")]
    Read(KeyringError),
    #[error("nothing is saved for this profile")]
    NothingSaved,
    #[error("this profile has no token (it was logged out)")]
    NoToken,
    #[error("the token is already in the {}", .0.as_str())]
    Already(Storage),
    /// The profile to be made has a name the file cannot hold.
    #[error("profile \"{}\": {why}; choose another name with --profile", crate::untrusted::line(.name))]
    BadName { name: String, why: &'static str },
}

/// Where a profile's token is kept, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    File(PathBuf),
    Keyring { user: String },
}

impl Place {
    /// Where it is kept, without the file's path (for a screen that shows the path already).
    pub fn short(&self) -> String {
        match self {
            Place::File(_) => "the config file".to_string(),
            keyring => keyring.to_string(),
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::File(path) => write!(f, "the config file ({})", path.display()),
            Place::Keyring { user } => {
                write!(f, "the system keyring (service {}, user {user})", Item::Token.service())
            }
        }
    }
}

/// A profile as the file holds it, and where its secrets are.
#[derive(Debug, Clone)]
pub struct Stored {
    pub name: String,
    pub profile: Profile,
    /// The keyring account, for a keyring profile.
    account: Option<Account>,
    config_path: PathBuf,
}

/// A keyring profile's entries: the current name, and the name entries had
/// before they were keyed by config file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Account {
    user: Option<String>,
    legacy: String,
}

impl Account {
    fn of(config: &ConfigFile, name: &str) -> Account {
        Account { user: config.keyring_id.as_ref().map(|id| user_name(id, name)), legacy: name.to_string() }
    }

    /// The entry as it is read: the current name first, then the old one.
    fn get(&self, item: Item, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
        if let Some(user) = &self.user
            && let Some(value) = keyring::get_optional(user, item, waiting)?
        {
            return Ok(Some(value));
        }
        keyring::get_optional(&self.legacy, item, waiting)
    }

    /// The name a person looks it up by.
    fn shown(&self) -> &str {
        self.user.as_deref().unwrap_or(&self.legacy)
    }
}

/// `default@3f2a9c1e5b7d`: the keyring's user name for a profile of one config file.
fn user_name(id: &str, name: &str) -> String {
    format!("{name}@{id}")
}

impl Stored {
    /// The saved token: `Ok(None)` when the profile has none (logged out).
    pub fn token(&self, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
        match &self.account {
            None => Ok(self.profile.token.clone()),
            Some(_) if self.profile.logged_out => Ok(None),
            Some(account) => match account.get(Item::Token, waiting)? {
                Some(token) => Ok(Some(token)),
                None => Err(KeyringError::Missing {
                    what: "token",
                    service: Item::Token.service(),
                    user: account.shown().to_string(),
                }),
            },
        }
    }

    /// The saved API secret, if any.
    pub fn api_secret(&self, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
        match &self.account {
            None => Ok(self.profile.api_secret.clone()),
            Some(account) => account.get(Item::ApiSecret, waiting),
        }
    }

    /// The profile with its token and secret in memory, for the wizard (its
    /// start screen verifies, rotate revokes). A keyring entry deleted by hand
    /// leaves the token empty: the start screen says so and offers to rotate.
    pub fn with_secrets(&self, waiting: &dyn Fn()) -> Result<Profile, KeyringError> {
        let mut profile = self.profile.clone();
        profile.token = match self.token(waiting) {
            Ok(token) => token,
            Err(KeyringError::Missing { .. }) => None,
            Err(e) => return Err(e),
        };
        profile.api_secret = self.api_secret(waiting)?;
        Ok(profile)
    }

    /// Where the token is kept.
    pub fn place(&self) -> Place {
        match &self.account {
            None => Place::File(self.config_path.clone()),
            Some(account) => Place::Keyring { user: account.shown().to_string() },
        }
    }
}

/// How a save treats the API secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretChange {
    /// Whatever is saved stays.
    Keep,
    Set(Secret),
    Clear,
}

/// A verified token and the choices around it, to save.
#[derive(Debug, Clone, PartialEq)]
pub struct NewToken {
    pub chosen: Chosen,
    pub verification: Verification,
    pub api_secret: SecretChange,
    /// Where the secrets go; `None` keeps the profile's current choice (the file for a new profile).
    pub storage: Option<Storage>,
}

/// The token a save replaced, and whose it was: a rotation offers to revoke it
/// from that member's account page.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    pub token: Secret,
    pub member_username: Option<String>,
    /// The file that still holds a copy (`config.toml.bak`), if any.
    pub copy_in: Option<PathBuf>,
}

/// What a change did: where it went, where the token is kept now, the token
/// it replaced (a save after a verification), and old copies that could not
/// be cleaned up, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveOutcome {
    pub saved: Saved,
    pub place: Place,
    pub replaced: Option<Replaced>,
    pub warnings: Vec<String>,
}

/// The one owner of profile changes for one config file.
#[derive(Clone)]
pub struct Vault {
    store: Store,
    waiting: Waiting,
}

impl Vault {
    pub fn new(store: Store, waiting: Waiting) -> Vault {
        Vault { store, waiting }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Calls the waiting callback (for reads made through [`Stored`]).
    pub fn waiting(&self) -> &dyn Fn() {
        self.waiting.as_ref()
    }

    /// The whole file, when there is one.
    pub fn load(&self) -> Result<Option<Loaded>, StoreError> {
        self.store.load()
    }

    /// A profile as the file holds it, with the means to read its secrets.
    pub fn stored(&self, name: &str) -> Result<Option<Stored>, StoreError> {
        Ok(self.load()?.and_then(|loaded| self.stored_in(&loaded.config, name)))
    }

    /// A profile of an already loaded file.
    pub fn stored_in(&self, config: &ConfigFile, name: &str) -> Option<Stored> {
        let profile = config.profiles.get(name)?.clone();
        let account = (profile.storage == Storage::Keyring).then(|| Account::of(config, name));
        Some(Stored { name: name.to_string(), profile, account, config_path: self.store.path().to_path_buf() })
    }

    /// Whether a profile of this name may be made: the one rule for names
    /// (`profile::name_problem`), said before any work is done.
    pub fn check_name(&self, name: &str) -> Result<(), VaultError> {
        match super::profile::name_problem(name) {
            Some(why) => Err(VaultError::BadName { name: name.to_string(), why }),
            None => Ok(()),
        }
    }

    /// Saves a verified token: an edit of the profile as stored now (the
    /// default board, the API secret and unknown keys stay), the secrets where
    /// `storage` says, and no copy of them left where they no longer belong.
    pub fn save(&self, name: &str, new: NewToken) -> Result<SaveOutcome, VaultError> {
        self.check_name(name)?;
        let waiting = self.waiting.as_ref();
        let edit = self.store.edit()?;
        let before = edit.before.profiles.get(name).cloned();
        let previous = self.stored_in(&edit.before, name);
        let (old_token, old_secret) = match &previous {
            // A keyring that cannot be read loses nothing here: there is just no old value to clean up.
            Some(p) => (p.token(waiting).ok().flatten(), p.api_secret(waiting).ok().flatten()),
            None => (None, None),
        };
        let old_storage = before.as_ref().map_or(Storage::File, |p| p.storage);
        let target = new.storage.unwrap_or(old_storage);
        let api_secret = match new.api_secret {
            SecretChange::Keep => old_secret.clone(),
            SecretChange::Set(secret) => Some(secret),
            SecretChange::Clear => None,
        };
        let token = new.chosen.token.clone();
        let profile = before.clone().unwrap_or_default().verified(new.chosen, new.verification);
        // Secrets the file held and no longer will (moved into the keyring): out of the backup too.
        let forget: Vec<Secret> = match (old_storage, target) {
            (Storage::File, Storage::Keyring) => {
                before.iter().flat_map(|p| [p.token.clone(), p.api_secret.clone()]).flatten().collect()
            }
            _ => Vec::new(),
        };
        let written = self.put(edit, name, profile, target, &token, api_secret, &forget)?;
        let mut warnings = Vec::new();
        if let Some(previous) = &previous {
            self.clean_up(previous, target, Some(&token), &mut warnings);
        }
        let place = self.place_of(name, target)?;
        let replaced = old_token.filter(|old| *old != token).map(|old| Replaced {
            token: old,
            member_username: before.as_ref().and_then(|p| p.member_username.clone()),
            // Only a file profile's backup keeps the old token; it moved nowhere else.
            copy_in: if old_storage == Storage::File && target == Storage::File {
                written.backup.clone()
            } else {
                None
            },
        });
        Ok(SaveOutcome { saved: written, place, replaced, warnings })
    }

    /// Sets (or, with `None`, clears) the default board.
    pub fn set_board(&self, name: &str, board: Option<BoardChoice>) -> Result<Saved, VaultError> {
        let mut edit = self.store.edit()?;
        let profile = edit.config.profiles.get_mut(name).ok_or(VaultError::NothingSaved)?;
        profile.board_id = board.as_ref().map(|b| b.id.clone());
        profile.board_name = board.as_ref().map(|b| b.name.clone());
        profile.board_short_link = board.map(|b| b.short_link);
        Ok(edit.commit(&[])?)
    }

    /// Makes `name` the profile used when none is named.
    pub fn set_default_profile(&self, name: &str) -> Result<Saved, VaultError> {
        let mut edit = self.store.edit()?;
        if !edit.config.profiles.contains_key(name) {
            return Err(VaultError::NothingSaved);
        }
        edit.config.default_profile = Some(name.to_string());
        Ok(edit.commit(&[])?)
    }

    /// Moves the token and secret to `target`: the new place is written and
    /// read back before the file changes and the old place is emptied, so a
    /// crash in between leaves them in both places, never in none. Moving into
    /// the keyring also strips them from the file's backup.
    pub fn move_to(&self, name: &str, target: Storage) -> Result<SaveOutcome, VaultError> {
        let waiting = self.waiting.as_ref();
        let edit = self.store.edit()?;
        let stored = self.stored_in(&edit.before, name).ok_or(VaultError::NothingSaved)?;
        if stored.profile.storage == target {
            return Err(VaultError::Already(target));
        }
        let token = stored.token(waiting).map_err(VaultError::Read)?.ok_or(VaultError::NoToken)?;
        let secret = stored.api_secret(waiting).map_err(VaultError::Read)?;
        let profile = stored.profile.clone();
        let forget: Vec<Secret> = [Some(token.clone()), secret.clone()].into_iter().flatten().collect();
        let saved = self.put(edit, name, profile, target, &token, secret, &forget)?;
        let mut warnings = Vec::new();
        self.clean_up(&stored, target, Some(&token), &mut warnings);
        Ok(SaveOutcome { saved, place: self.place_of(name, target)?, replaced: None, warnings })
    }

    /// Forgets the token (logout): the file and its backup no longer hold it,
    /// the keyring entry is deleted. The API secret stays where it is, for a
    /// file profile and a keyring profile alike.
    pub fn forget_token(&self, name: &str) -> Result<SaveOutcome, VaultError> {
        let waiting = self.waiting.as_ref();
        let mut edit = self.store.edit()?;
        let stored = self.stored_in(&edit.before, name).ok_or(VaultError::NothingSaved)?;
        let token = stored.token(waiting).ok().flatten();
        let profile = edit.config.profiles.get_mut(name).ok_or(VaultError::NothingSaved)?;
        profile.token = None;
        profile.token_expires = None;
        profile.verified_at = None;
        profile.logged_out = true;
        let forget: Vec<&Secret> = token.iter().collect();
        let saved = edit.commit(&forget)?;
        let mut warnings = Vec::new();
        if let Some(account) = &stored.account {
            for user in account.user.iter().chain([&account.legacy]) {
                if let Err(e) = keyring::delete(user, Item::Token, waiting) {
                    warnings.push(leftover(user, Item::Token, &e));
                }
            }
        }
        let storage = stored.profile.storage;
        Ok(SaveOutcome { saved, place: self.place_of(name, storage)?, replaced: None, warnings })
    }

    /// Puts the profile's secrets where `target` says (in the keyring: written
    /// and read back, the file then holding none of them) and commits the file,
    /// its backup without `forget`; a failed commit puts the keyring back.
    #[allow(clippy::too_many_arguments)]
    fn put(
        &self,
        mut edit: Edit,
        name: &str,
        mut profile: Profile,
        target: Storage,
        token: &Secret,
        secret: Option<Secret>,
        forget: &[Secret],
    ) -> Result<Saved, VaultError> {
        profile.storage = target;
        match target {
            Storage::Keyring => {
                let user = user_name(ensure_keyring_id(&mut edit.config), name);
                let undo = self.write_keyring(&user, token, secret.as_ref())?;
                profile.token = None;
                profile.api_secret = None;
                edit.config.profiles.insert(name.to_string(), profile);
                self.commit_or_undo(edit, forget, undo)
            }
            Storage::File => {
                profile.token = Some(token.clone());
                profile.api_secret = secret;
                edit.config.profiles.insert(name.to_string(), profile);
                Ok(edit.commit(&[])?)
            }
        }
    }

    /// Writes the token and secret to `user`'s entries, each read back, and
    /// returns how to put back what was there; on a failure, puts it back itself.
    fn write_keyring(&self, user: &str, token: &Secret, secret: Option<&Secret>) -> Result<Undo, VaultError> {
        let waiting = self.waiting.as_ref();
        let undo = Undo {
            user: user.to_string(),
            token: keyring::get_optional(user, Item::Token, waiting).map_err(VaultError::Keyring)?,
            secret: keyring::get_optional(user, Item::ApiSecret, waiting).map_err(VaultError::Keyring)?,
        };
        let written = keyring::set(user, Item::Token, token, waiting).and_then(|()| match secret {
            Some(secret) => keyring::set(user, Item::ApiSecret, secret, waiting),
            None => keyring::delete(user, Item::ApiSecret, waiting),
        });
        if let Err(e) = written {
            undo.run(waiting);
            return Err(VaultError::Keyring(e));
        }
        Ok(undo)
    }

    /// Commits the file; when that fails, the keyring gets its previous values back.
    fn commit_or_undo(&self, edit: Edit, forget: &[Secret], undo: Undo) -> Result<Saved, VaultError> {
        let forget: Vec<&Secret> = forget.iter().collect();
        edit.commit(&forget).map_err(|e| {
            undo.run(self.waiting.as_ref());
            VaultError::Store(e)
        })
    }

    /// After the file was committed: deletes keyring entries the profile no
    /// longer uses (all of them when it moved to the file; the old-style entry
    /// once the new one is written, if it held this profile's token).
    fn clean_up(&self, previous: &Stored, target: Storage, kept: Option<&Secret>, warnings: &mut Vec<String>) {
        let waiting = self.waiting.as_ref();
        let Some(account) = &previous.account else { return };
        let mut users: Vec<&str> = Vec::new();
        if target == Storage::File {
            users.extend(account.user.as_deref());
            users.push(&account.legacy);
        } else if account.user.as_deref() != Some(account.legacy.as_str()) {
            // The old-style entry is this profile's only if it holds what this profile used.
            let legacy = keyring::get_optional(&account.legacy, Item::Token, waiting).ok().flatten();
            let previous_token = previous.token(waiting).ok().flatten();
            if legacy.is_some() && (legacy == previous_token || legacy.as_ref() == kept) {
                users.push(&account.legacy);
            }
        }
        for user in users {
            for item in [Item::Token, Item::ApiSecret] {
                if let Err(e) = keyring::delete(user, item, waiting) {
                    warnings.push(leftover(user, item, &e));
                }
            }
        }
    }

    /// Where a profile's token is kept now (after a change).
    fn place_of(&self, name: &str, storage: Storage) -> Result<Place, StoreError> {
        Ok(match storage {
            Storage::File => Place::File(self.store.path().to_path_buf()),
            Storage::Keyring => {
                let config = self.load()?.map(|l| l.config).unwrap_or_default();
                Place::Keyring { user: Account::of(&config, name).shown().to_string() }
            }
        })
    }
}

/// What a keyring account held before a write, to put back on failure.
struct Undo {
    user: String,
    token: Option<Secret>,
    secret: Option<Secret>,
}

impl Undo {
    fn run(&self, waiting: &dyn Fn()) {
        for (item, value) in [(Item::Token, &self.token), (Item::ApiSecret, &self.secret)] {
            // Best effort: the error being reported is the one that matters.
            let _ = match value {
                Some(value) => keyring::set(&self.user, item, value, waiting),
                None => keyring::delete(&self.user, item, waiting),
            };
        }
    }
}

/// This file's keyring id, made on first use: 48 random bits as hex.
fn ensure_keyring_id(config: &mut ConfigFile) -> &str {
    config.keyring_id.get_or_insert_with(|| {
        let mut bytes = [0u8; 6];
        // Without randomness, the time still tells two files apart.
        if getrandom::fill(&mut bytes).is_err() {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            bytes.copy_from_slice(&nanos.as_nanos().to_le_bytes()[..6]);
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

fn leftover(user: &str, item: Item, error: &KeyringError) -> String {
    format!(
        "the keyring still holds an old {} ({error}): remove it with `secret-tool clear service {} username {user}`",
        match item {
            Item::Token => "token",
            Item::ApiSecret => "API secret",
        },
        item.service()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_named_after_profile_and_file() {
        let mut config = ConfigFile::default();
        assert_eq!(Account::of(&config, "work").shown(), "work");
        let id = ensure_keyring_id(&mut config).to_string();
        assert_eq!(id.len(), 12);
        assert_eq!(ensure_keyring_id(&mut config), id, "made once");
        assert_eq!(Account::of(&config, "work").shown(), format!("work@{id}"));
        let place = Place::Keyring { user: format!("work@{id}") };
        assert_eq!(place.to_string(), format!("the system keyring (service trello-auth, user work@{id})"));
    }
}
