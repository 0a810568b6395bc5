//! The one owner of every profile change, across the keyring and the config file, and of where a saved secret is read from.
//!
//! Every change (a save after a verification, `login`, the default board,
//! `storage`, `logout`, the default profile, removing a profile) is an edit of what is stored
//! now, made under the config file's lock, in one order: write the new place
//! (keyring entries, read back), commit the file, then clean the old place
//! (keyring entries, the `.bak` copy). The lock is held until the last
//! keyring delete is done: a second command changing the same profile waits,
//! so it never writes an entry the first one then deletes. When a later step
//! fails, the keyring gets its previous values back, so a failure leaves the
//! old pair whole. A value that cannot be read is never taken for "none": a
//! save that would have to keep an API secret it cannot read saves nothing.
//! gh's `AuthConfig` is the model: commands never assign profile fields or
//! touch the keyring themselves.
//!
//! Keyring entries are keyed by profile *and* config file (`default@<id>`,
//! the id written in the file with the path it was made for), so two config
//! files with a profile of the same name never share a token. A file read
//! from another path (copied or moved) still reads the entries it came with,
//! but before it writes one it gets an id of its own (its other profiles'
//! entries copied over), and it never deletes one that is not its own.
//! Entries written before ids (`default`) are read, moved and deleted only by
//! the config file at the default place, whose entries they were.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Secret;
use super::keyring::{self, Item, KeyringError};
use super::profile::{BoardChoice, Chosen, Profile, Storage, Verification};
use super::store::{ConfigFile, Edit, Loaded, Saved, Store, StoreError};
use crate::files::{Held, LockWait};

/// Said when a keyring call is slow (probably an unlock prompt); the commands
/// print a line, the wizard shows "Saving…" already.
pub type Waiting = Arc<dyn Fn() + Send + Sync>;

/// Said when another trello-auth holds the config file's lock for a while.
pub(crate) type LockNotice = Arc<dyn Fn(&LockWait) + Send + Sync>;

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
    /// The API secret a save had to keep could not be read: nothing was saved.
    #[error("the API secret kept in the keyring could not be read ({0}); nothing was saved, so it stays there")]
    SecretUnreadable(KeyringError),
    /// The token to save is one another profile of the file holds: an agent's
    /// own token (or a token beside an agent's) would then not be revocable
    /// alone, since revoking one revokes both. Nothing was saved.
    #[error(
        "that is profile \"{}\"'s token, not a new one for {}: authorize a new one; nothing was saved",
        crate::untrusted::line(.other),
        crate::untrusted::line(.for_whom)
    )]
    Shared {
        other: String,
        /// Who the new token was for: the agent's client, or the profile.
        for_whom: String,
    },
    /// The profile to be made has a name the file cannot hold.
    #[error("profile \"{}\": {why}; choose another name with --profile", crate::untrusted::line(.name))]
    BadName { name: String, why: &'static str },
}

impl VaultError {
    /// The keyring's failure behind this one, if a keyring failed: its advice
    /// ([`KeyringError::cure`]) is what the front ends add.
    pub(crate) fn keyring(&self) -> Option<&KeyringError> {
        match self {
            VaultError::Keyring(e) | VaultError::Read(e) | VaultError::SecretUnreadable(e) => Some(e),
            _ => None,
        }
    }
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
    /// `name@id`, when the file has an id.
    user: Option<String>,
    /// Whether `user` is this file's own: its id was made for the file at
    /// this path. A copy or a moved file reads the entries it came with but
    /// never writes or deletes them.
    owned: bool,
    /// The file the id was made for, as the file says.
    origin: Option<String>,
    /// The entry of before ids (`name`): read and cleaned only by the config
    /// file at the default place, whose entries they were.
    legacy: Option<String>,
    name: String,
}

impl Account {
    /// The entry as it is read: the current name first, then the old one.
    fn get(&self, item: Item, waiting: &dyn Fn()) -> Result<Option<Secret>, KeyringError> {
        for user in self.user.iter().chain(&self.legacy) {
            if let Some(value) = keyring::get_optional(user, item, waiting)? {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    /// The entries this file may delete: its own, and those of before ids at the default place.
    fn deletable(&self) -> impl Iterator<Item = &String> {
        self.user.iter().filter(|_| self.owned).chain(&self.legacy)
    }

    /// The name a person looks it up by.
    fn shown(&self) -> &str {
        self.user.as_deref().or(self.legacy.as_deref()).unwrap_or(&self.name)
    }

    /// Words for an entry this file read but may not delete, when the file
    /// it came from no longer uses it (the file was moved): it is left, and
    /// the user is told how to remove it. A copy's original still uses it: nothing to say.
    fn left_behind(&self) -> Option<String> {
        let user = self.user.as_ref().filter(|_| !self.owned)?;
        let id = user.rsplit('@').next()?;
        let origin_uses_it = self.origin.as_ref().is_some_and(|origin| {
            Store::at(origin).load().ok().flatten().is_some_and(|l| l.config.keyring_id.as_deref() == Some(id))
        });
        if origin_uses_it {
            return None;
        }
        // The recorded path is the file's text: one line, whatever it holds.
        let from = self.origin.as_deref().map_or("another place".into(), crate::untrusted::line);
        Some(format!(
            "the keyring entries {user} were left: this config file was made at {from} (moved or copied here), and \
             they are that file's; if nothing uses them any more, remove them with `{}` and `{}`",
            keyring::clear_command(Item::Token, user),
            keyring::clear_command(Item::ApiSecret, user)
        ))
    }
}

/// Where a config file is read from now: what decides which entries are its own.
struct Home {
    /// The file's canonical path, as `keyring_path` records it.
    path: String,
    default_place: bool,
}

impl Home {
    /// Whether the file's keyring id is its own: made for this path (a file
    /// written before paths were recorded is claimed only at the default place).
    fn owns(&self, config: &ConfigFile) -> bool {
        match &config.keyring_path {
            Some(path) => *path == self.path,
            None => self.default_place,
        }
    }

    fn account(&self, config: &ConfigFile, name: &str) -> Account {
        Account {
            user: config.keyring_id.as_ref().map(|id| user_name(id, name)),
            owned: self.owns(config),
            origin: config.keyring_path.clone(),
            legacy: self.default_place.then(|| name.to_string()),
            name: name.to_string(),
        }
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
    pub(crate) fn with_secrets(&self, waiting: &dyn Fn()) -> Result<Profile, KeyringError> {
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
    /// An agent's own token: the profile records its parent and client.
    pub agent: Option<super::profile::Agent>,
}

/// The token a save replaced, and whose it was: a rotation offers to revoke it
/// from that member's account page.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    pub token: Secret,
    pub member_username: Option<String>,
    /// The file that still holds a copy (`config.toml.bak`), if any.
    pub copy_in: Option<PathBuf>,
    /// Other profiles that still hold this token: revoking it logs them out too.
    pub still_held_by: Vec<String>,
}

/// What a change did: where it went, where the token is kept now, the token
/// it replaced (a save after a verification), and old copies that could not
/// be cleaned up, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveOutcome {
    pub saved: Saved,
    pub place: Place,
    pub replaced: Option<Replaced>,
    /// The default board the profile had and lost because the token is
    /// another member's (whose boards may not be this one's).
    pub board_dropped: Option<BoardChoice>,
    /// The token saved is the one the profile already had: nothing was replaced.
    pub unchanged: bool,
    /// Another profile holding the token just saved (a plain profile may share
    /// one, with a warning; logging out either revokes it for both).
    pub shared_with: Option<String>,
    pub warnings: Vec<String>,
}

impl SaveOutcome {
    /// A change that saved no new token (a move between places, a logout):
    /// nothing replaced, shared or dropped.
    fn moved(saved: Saved, place: Place, warnings: Vec<String>) -> SaveOutcome {
        SaveOutcome { saved, place, replaced: None, board_dropped: None, unchanged: false, shared_with: None, warnings }
    }
}

/// The one owner of profile changes for one config file.
#[derive(Clone)]
pub(crate) struct Vault {
    store: Store,
    waiting: Waiting,
    lock_notice: LockNotice,
}

impl Vault {
    /// A vault that waits for the config file's lock silently (the wizard
    /// shows "Saving…"); see [`Vault::saying_lock_waits`].
    pub fn new(store: Store, waiting: Waiting) -> Vault {
        Vault { store, waiting, lock_notice: Arc::new(|_| {}) }
    }

    /// Calls `notice` when a change waits for another trello-auth's lock.
    pub(crate) fn saying_lock_waits(mut self, notice: LockNotice) -> Vault {
        self.lock_notice = notice;
        self
    }

    /// Starts a change of the file: its lock taken, waiting at most
    /// `files::LOCK_WAIT` and saying so after a moment.
    fn edit(&self) -> Result<Edit, StoreError> {
        self.store.edit_waiting(self.lock_notice.as_ref())
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
    pub(crate) fn stored_in(&self, config: &ConfigFile, name: &str) -> Option<Stored> {
        let profile = config.profiles.get(name)?.clone();
        let account = (profile.storage == Storage::Keyring).then(|| self.home().account(config, name));
        Some(Stored { name: name.to_string(), profile, account, config_path: self.store.path().to_path_buf() })
    }

    /// Where the file is read from now.
    fn home(&self) -> Home {
        Home {
            path: crate::files::canonical(self.store.path()).to_string_lossy().into_owned(),
            default_place: self.store.is_default_place(),
        }
    }

    /// Whether a profile of this name may be made: the one rule for names
    /// (`profile::name_problem`), said before any work is done.
    pub(crate) fn check_name(&self, name: &str) -> Result<(), VaultError> {
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
        let edit = self.edit()?;
        let before = edit.before.profiles.get(name).cloned();
        let previous = self.stored_in(&edit.before, name);
        let (old_token, old_secret) = match &previous {
            Some(p) => (p.token(waiting), p.api_secret(waiting)),
            None => (Ok(None), Ok(None)),
        };
        let mut warnings = Vec::new();
        // A keyring that cannot be read is not a keyring with nothing in it:
        // a secret to keep that cannot be read would be dropped from the
        // profile and its entry then deleted, so nothing is saved.
        let api_secret = match (new.api_secret, old_secret) {
            (SecretChange::Keep, Ok(old)) => old,
            (SecretChange::Keep, Err(e)) => return Err(VaultError::SecretUnreadable(e)),
            (SecretChange::Set(secret), _) => Some(secret),
            (SecretChange::Clear, _) => None,
        };
        let old_token = match old_token {
            Ok(token) => token,
            // Deleted by hand: there is no old token.
            Err(KeyringError::Missing { .. }) => None,
            // The new token is saved all the same; the one it replaces is unknown, so it is said.
            Err(e) => {
                warnings.push(format!(
                    "the token saved before could not be read from the keyring ({e}); if it still works, revoke it \
                     on your Trello account's Applications page"
                ));
                None
            }
        };
        let old_storage = before.as_ref().map_or(Storage::File, |p| p.storage);
        let target = new.storage.unwrap_or(old_storage);
        let token = new.chosen.token.clone();
        // One token, one profile where it matters: an agent's own token must
        // be revocable alone, so it is refused when another profile holds it
        // (or when the other is an agent); two plain profiles may share one,
        // but are told that logging out either revokes it for both.
        let agent = new.agent.clone().or_else(|| before.as_ref().and_then(Profile::agent));
        let related = agent.as_ref().map(|a| a.parent.as_str());
        let holders = self.holders(&edit.before, name, &token, related);
        if let Some(other) = holders.first() {
            let other_is_agent = edit.before.profiles.get(other).is_some_and(|p| p.agent().is_some());
            if agent.is_some() || other_is_agent {
                let for_whom = agent.as_ref().map_or_else(|| format!("profile \"{name}\""), |a| a.client.clone());
                return Err(VaultError::Shared { other: other.clone(), for_whom });
            }
            warnings.push(format!(
                "this token is also profile \"{}\"'s: logging out either profile revokes it for both; authorize a new \
                 one to keep them apart",
                crate::untrusted::line(other)
            ));
        }
        let shared_with = holders.into_iter().next();
        let unchanged = old_token.as_ref() == Some(&token);
        let old_holders = match &old_token {
            Some(old) if *old != token => self.holders(&edit.before, name, old, related),
            _ => Vec::new(),
        };
        let mut profile = before.clone().unwrap_or_default().verified(new.chosen, new.verification);
        if let Some(agent) = new.agent {
            (profile.parent, profile.client) = (Some(agent.parent), Some(agent.client));
        }
        let board_dropped = before.as_ref().and_then(Profile::board).filter(|_| profile.board_id.is_none());
        // Secrets the file held and no longer will (moved into the keyring): out of the backup too.
        let forget: Vec<Secret> = match (old_storage, target) {
            (Storage::File, Storage::Keyring) => {
                before.iter().flat_map(|p| [p.token.clone(), p.api_secret.clone()]).flatten().collect()
            }
            _ => Vec::new(),
        };
        let Put { saved: written, held, place, warnings: said } =
            self.put(edit, name, profile, target, &token, api_secret, &forget)?;
        warnings.extend(said);
        if let Some(previous) = &previous {
            self.clean_up(previous, target, Some(&token), &mut warnings);
        }
        drop(held);
        let replaced = old_token.filter(|old| *old != token).map(|old| Replaced {
            still_held_by: old_holders,
            token: old,
            member_username: before.as_ref().and_then(|p| p.member_username.clone()),
            // Only a file profile's backup keeps the old token; it moved nowhere else.
            copy_in: if old_storage == Storage::File && target == Storage::File {
                written.backup.clone()
            } else {
                None
            },
        });
        Ok(SaveOutcome { saved: written, place, replaced, board_dropped, unchanged, shared_with, warnings })
    }

    /// The other profiles of `config` (not `except`) that hold `token`: every
    /// profile whose token is in the file, and of those in the keyring only
    /// `except`'s parent and agents (`parent`: `except`'s parent, if it is an
    /// agent), since those are the pairs that share a member and reading
    /// every entry could ask to unlock the keyring for each. A keyring entry
    /// that cannot be read is taken as not holding it.
    pub(crate) fn holders(
        &self,
        config: &ConfigFile,
        except: &str,
        token: &Secret,
        parent: Option<&str>,
    ) -> Vec<String> {
        let waiting = self.waiting.as_ref();
        config
            .profiles
            .iter()
            .filter(|(other, p)| *other != except && !p.logged_out)
            .filter(|(other, p)| match p.storage {
                Storage::File => p.token.as_ref() == Some(token),
                Storage::Keyring => {
                    let related = parent == Some(other.as_str()) || p.parent.as_deref() == Some(except);
                    related
                        && self
                            .stored_in(config, other)
                            .and_then(|stored| stored.token(waiting).ok().flatten())
                            .is_some_and(|held| held == *token)
                }
            })
            .map(|(other, _)| other.clone())
            .collect()
    }

    /// Other profiles holding `name`'s saved token now (for `logout`, before it revokes).
    pub(crate) fn sharing(&self, name: &str) -> Result<Vec<String>, VaultError> {
        let Some(loaded) = self.load()? else { return Ok(Vec::new()) };
        let Some(stored) = self.stored_in(&loaded.config, name) else { return Ok(Vec::new()) };
        let Ok(Some(token)) = stored.token(self.waiting.as_ref()) else { return Ok(Vec::new()) };
        let parent = stored.profile.parent.clone();
        Ok(self.holders(&loaded.config, name, &token, parent.as_deref()))
    }

    /// Sets (or, with `None`, clears) the default board.
    pub fn set_board(&self, name: &str, board: Option<BoardChoice>) -> Result<Saved, VaultError> {
        let mut edit = self.edit()?;
        let profile = edit.config.profiles.get_mut(name).ok_or(VaultError::NothingSaved)?;
        profile.board_id = board.as_ref().map(|b| b.id.clone());
        profile.board_name = board.as_ref().map(|b| crate::untrusted::capped(&b.name));
        profile.board_short_link = board.map(|b| b.short_link);
        Ok(edit.commit(&[])?)
    }

    /// Makes `name` the profile used when none is named.
    pub(crate) fn set_default_profile(&self, name: &str) -> Result<Saved, VaultError> {
        let mut edit = self.edit()?;
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
    pub(crate) fn move_to(&self, name: &str, target: Storage) -> Result<SaveOutcome, VaultError> {
        let waiting = self.waiting.as_ref();
        let edit = self.edit()?;
        let stored = self.stored_in(&edit.before, name).ok_or(VaultError::NothingSaved)?;
        if stored.profile.storage == target {
            return Err(VaultError::Already(target));
        }
        let token = stored.token(waiting).map_err(VaultError::Read)?.ok_or(VaultError::NoToken)?;
        let secret = stored.api_secret(waiting).map_err(VaultError::Read)?;
        let profile = stored.profile.clone();
        let forget: Vec<Secret> = [Some(token.clone()), secret.clone()].into_iter().flatten().collect();
        let Put { saved, held, place, mut warnings } =
            self.put(edit, name, profile, target, &token, secret, &forget)?;
        self.clean_up(&stored, target, Some(&token), &mut warnings);
        drop(held);
        Ok(SaveOutcome::moved(saved, place, warnings))
    }

    /// Forgets the token (logout): the file and its backup no longer hold it,
    /// the keyring entry is deleted, still under the file's lock. The API
    /// secret stays where it is, for a file profile and a keyring profile alike.
    pub(crate) fn forget_token(&self, name: &str) -> Result<SaveOutcome, VaultError> {
        let waiting = self.waiting.as_ref();
        let mut edit = self.edit()?;
        let stored = self.stored_in(&edit.before, name).ok_or(VaultError::NothingSaved)?;
        let token = stored.token(waiting).ok().flatten();
        let profile = edit.config.profiles.get_mut(name).ok_or(VaultError::NothingSaved)?;
        profile.token = None;
        profile.token_expires = None;
        profile.verified_at = None;
        profile.logged_out = true;
        let forget: Vec<&Secret> = token.iter().collect();
        let place = self.place_in(&edit.config, name, stored.profile.storage);
        let (saved, held) = edit.commit_held(&forget)?;
        let mut warnings = Vec::new();
        if let Some(account) = &stored.account {
            for user in account.deletable() {
                if let Err(e) = keyring::delete(user, Item::Token, waiting) {
                    warnings.push(leftover(user, Item::Token, &e));
                }
            }
            warnings.extend(account.left_behind());
        }
        drop(held);
        Ok(SaveOutcome::moved(saved, place, warnings))
    }

    /// Removes the profile (`profile remove`): the file no longer holds it,
    /// its backup holds none of its secrets, and its keyring entries (token
    /// and API secret) are deleted, still under the file's lock, as
    /// [`Vault::forget_token`] cleans. Nothing is revoked: whether its token
    /// may be left valid is the caller's to decide. When it was the default
    /// profile, no profile is the default any more.
    pub(crate) fn remove_profile(&self, name: &str) -> Result<Removed, VaultError> {
        let waiting = self.waiting.as_ref();
        let mut edit = self.edit()?;
        let stored = self.stored_in(&edit.before, name).ok_or(VaultError::NothingSaved)?;
        // What the keyring holds is forgotten too, in case an old copy of the file held it;
        // one that cannot be read is deleted all the same.
        let secrets: Vec<Secret> = [
            stored.profile.token.clone(),
            stored.profile.api_secret.clone(),
            stored.token(waiting).ok().flatten(),
            stored.api_secret(waiting).ok().flatten(),
        ]
        .into_iter()
        .flatten()
        .collect();
        edit.config.profiles.remove(name);
        let was_default = edit.config.default_profile.as_deref() == Some(name);
        if was_default {
            edit.config.default_profile = None;
        }
        let forget: Vec<&Secret> = secrets.iter().collect();
        let (saved, held) = edit.commit_held(&forget)?;
        let mut warnings = Vec::new();
        if let Some(account) = &stored.account {
            for user in account.deletable() {
                for item in [Item::Token, Item::ApiSecret] {
                    if let Err(e) = keyring::delete(user, item, waiting) {
                        warnings.push(leftover(user, item, &e));
                    }
                }
            }
            warnings.extend(account.left_behind());
        }
        drop(held);
        Ok(Removed { saved, was_default, warnings })
    }

    /// Puts the profile's secrets where `target` says (in the keyring: written
    /// and read back, the file then holding none of them) and commits the file,
    /// its backup without `forget`; a failed commit puts the keyring back.
    /// The file's lock comes back held, for the old place to be cleaned under it.
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
    ) -> Result<Put, VaultError> {
        profile.storage = target;
        match target {
            Storage::Keyring => {
                let waiting = self.waiting.as_ref();
                let mut undo = Undo::default();
                let written = self.own_keyring_id(&mut edit, name, &mut undo).and_then(|(id, warnings)| {
                    let user = user_name(&id, name);
                    undo.write(&user, Item::Token, Some(token), waiting)?;
                    undo.write(&user, Item::ApiSecret, secret.as_ref(), waiting)?;
                    Ok(warnings)
                });
                let warnings = written.map_err(|e| {
                    undo.run(waiting);
                    VaultError::Keyring(e)
                })?;
                profile.token = None;
                profile.api_secret = None;
                edit.config.profiles.insert(name.to_string(), profile);
                let place = self.place_in(&edit.config, name, target);
                let (saved, held) = self.commit_or_undo(edit, forget, undo)?;
                Ok(Put { saved, held, place, warnings })
            }
            Storage::File => {
                profile.token = Some(token.clone());
                profile.api_secret = secret;
                edit.config.profiles.insert(name.to_string(), profile);
                let place = self.place_in(&edit.config, name, target);
                let (saved, held) = edit.commit_held(&[])?;
                Ok(Put { saved, held, place, warnings: Vec::new() })
            }
        }
    }

    /// The file's keyring id, made its own before anything is written under
    /// it: a new file gets one; a file read from another path than its id was
    /// made for (copied or moved) gets a fresh one, and every other keyring
    /// profile's entries are copied to the new names (through `undo`), so the
    /// entries it came with are never replaced. `except` is the profile about
    /// to be written. Returns the id and words about entries left behind.
    fn own_keyring_id(
        &self,
        edit: &mut Edit,
        except: &str,
        undo: &mut Undo,
    ) -> Result<(String, Vec<String>), KeyringError> {
        let home = self.home();
        if let Some(id) = edit.config.keyring_id.clone().filter(|_| home.owns(&edit.config)) {
            // A file of before paths, claimed at the default place, says so from now on.
            edit.config.keyring_path.get_or_insert(home.path);
            return Ok((id, Vec::new()));
        }
        let id = fresh_keyring_id();
        let waiting = self.waiting.as_ref();
        let mut warnings = Vec::new();
        if edit.config.keyring_id.is_some() {
            for (name, profile) in edit.config.profiles.iter().filter(|(_, p)| p.storage == Storage::Keyring) {
                let account = home.account(&edit.config, name);
                warnings.extend(account.left_behind());
                if name == except {
                    continue;
                }
                // A logged-out profile has no token to carry over (an old entry would come back to life).
                let items: &[Item] =
                    if profile.logged_out { &[Item::ApiSecret] } else { &[Item::Token, Item::ApiSecret] };
                for item in items {
                    if let Some(value) = account.get(*item, waiting)? {
                        undo.write(&user_name(&id, name), *item, Some(&value), waiting)?;
                    }
                }
            }
        }
        edit.config.keyring_id = Some(id.clone());
        edit.config.keyring_path = Some(home.path);
        Ok((id, warnings))
    }

    /// Commits the file, keeping its lock; when that fails, the keyring gets its previous values back.
    fn commit_or_undo(&self, edit: Edit, forget: &[Secret], undo: Undo) -> Result<(Saved, Held), VaultError> {
        let forget: Vec<&Secret> = forget.iter().collect();
        edit.commit_held(&forget).map_err(|e| {
            undo.run(self.waiting.as_ref());
            VaultError::Store(e)
        })
    }

    /// After the file was committed, still under its lock: deletes keyring
    /// entries the profile no longer uses (all of them when it moved to the
    /// file; the old-style entry once the new one is written, if it held this
    /// profile's token).
    fn clean_up(&self, previous: &Stored, target: Storage, kept: Option<&Secret>, warnings: &mut Vec<String>) {
        let waiting = self.waiting.as_ref();
        let Some(account) = &previous.account else { return };
        let mut users: Vec<&str> = Vec::new();
        if target == Storage::File {
            users.extend(account.deletable().map(String::as_str));
            warnings.extend(account.left_behind());
        } else if let Some(legacy) = &account.legacy {
            // The old-style entry is this profile's only if it holds what this profile used.
            let value = keyring::get_optional(legacy, Item::Token, waiting).ok().flatten();
            let previous_token = previous.token(waiting).ok().flatten();
            if value.is_some() && (value == previous_token || value.as_ref() == kept) {
                users.push(legacy);
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

    /// Where a profile's token is kept in `config`, the file as a change writes it.
    fn place_in(&self, config: &ConfigFile, name: &str, storage: Storage) -> Place {
        match storage {
            Storage::File => Place::File(self.store.path().to_path_buf()),
            Storage::Keyring => Place::Keyring { user: self.home().account(config, name).shown().to_string() },
        }
    }
}

/// What removing a profile did: where the file went, whether the profile
/// was the default one, and old copies that could not be cleaned up, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed {
    pub saved: Saved,
    pub was_default: bool,
    pub warnings: Vec<String>,
}

/// A committed change whose old place is still to be cleaned: where it
/// went, the lock still held, where the token is kept, and what to say.
struct Put {
    saved: Saved,
    held: Held,
    place: Place,
    warnings: Vec<String>,
}

/// What keyring entries held before a change wrote them, to put back on failure.
#[derive(Default)]
struct Undo {
    entries: Vec<(String, Item, Option<Secret>)>,
}

impl Undo {
    /// Sets (or, with `None`, deletes) `user`'s `item`, first remembering what it held.
    fn write(
        &mut self,
        user: &str,
        item: Item,
        value: Option<&Secret>,
        waiting: &dyn Fn(),
    ) -> Result<(), KeyringError> {
        let before = keyring::get_optional(user, item, waiting)?;
        self.entries.push((user.to_string(), item, before));
        match value {
            Some(value) => keyring::set(user, item, value, waiting),
            None => keyring::delete(user, item, waiting),
        }
    }

    fn run(&self, waiting: &dyn Fn()) {
        for (user, item, value) in self.entries.iter().rev() {
            // Best effort: the error being reported is the one that matters.
            let _ = match value {
                Some(value) => keyring::set(user, *item, value, waiting),
                None => keyring::delete(user, *item, waiting),
            };
        }
    }
}

/// A new keyring id: 48 random bits as hex.
fn fresh_keyring_id() -> String {
    let mut bytes = [0u8; 6];
    // Without randomness, the time still tells two files apart.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        bytes.copy_from_slice(&nanos.as_nanos().to_le_bytes()[..6]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn leftover(user: &str, item: Item, error: &KeyringError) -> String {
    format!(
        "the keyring still holds an old {} ({error}): remove it with `{}`",
        match item {
            Item::Token => "token",
            Item::ApiSecret => "API secret",
        },
        keyring::clear_command(item, user)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_named_after_profile_and_file_and_owned_only_where_made() {
        let home = Home { path: "/home/ann/.config/trello-auth/config.toml".into(), default_place: false };
        let mut config = ConfigFile::default();
        assert_eq!(home.account(&config, "work").shown(), "work");
        assert_eq!(home.account(&config, "work").legacy, None, "entries of before ids: the default place only");
        let id = fresh_keyring_id();
        assert!(id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        config.keyring_id = Some(id.clone());
        config.keyring_path = Some(home.path.clone());
        let account = home.account(&config, "work");
        assert_eq!(account.shown(), format!("work@{id}"));
        assert_eq!(account.deletable().collect::<Vec<_>>(), vec![&format!("work@{id}")]);
        // The same file read from another path (a copy): read, never deleted.
        let copy = Home { path: "/srv/project/other.toml".into(), default_place: false };
        let account = copy.account(&config, "work");
        assert!(!account.owned && account.deletable().next().is_none());
        assert_eq!(account.shown(), format!("work@{id}"));
        let default = Home { path: "/x".into(), default_place: true };
        config.keyring_path = None;
        assert!(default.owns(&config) && !copy.owns(&config), "a file of before paths: the default place claims it");
        let place = Place::Keyring { user: format!("work@{id}") };
        assert_eq!(place.to_string(), format!("the system keyring (service trello-auth, user work@{id})"));
    }
}
