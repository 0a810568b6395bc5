//! The config file: TOML profiles, replaced atomically with a backup, mode 0600 (through `files`, the one writer).
//!
//! A change takes the lock, re-reads the file, changes it and replaces it, so
//! a change is always an edit of what is stored now, never an overwrite with
//! an old copy, and two processes saving at once both keep their change.
//! Which fields of a profile change, and the order across the keyring, is the
//! vault's (`credentials::vault`); this module only reads and writes the file.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Secret;
pub(crate) use super::profile::{DEFAULT_APP_NAME, DEFAULT_PROFILE};
pub use super::profile::{Profile, Storage};
use crate::files::{self, Backup, Dir, FileError, Held, LockWait, Mode, Replace};

/// The file format written by this build. A newer file is never overwritten.
pub(crate) const FORMAT_VERSION: u32 = 1;

const HEADER: &str = "# trello-auth credentials. Keep this file private (mode 0600) and never commit it.\n\n";

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    #[serde(default = "current_version")]
    pub version: u32,
    /// The profile used when neither `--profile` nor `TRELLO_AUTH_PROFILE`
    /// names one (`trello-auth profile use`).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "default_name")]
    pub default_profile: Option<String>,
    /// This file's own name in the keyring: two config files with a profile of
    /// the same name keep separate entries. Made on the first keyring save.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "keyring_id")]
    pub keyring_id: Option<String>,
    /// The file `keyring_id` was made for (its canonical path). Read from
    /// anywhere else (a copy, a moved file), the file still reads the entries
    /// it came with, but writes and deletes only entries of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyring_path: Option<String>,
    #[serde(default, deserialize_with = "named_profiles")]
    pub profiles: BTreeMap<String, Profile>,
    #[serde(flatten)]
    pub extra: toml::Table,
}

fn current_version() -> u32 {
    FORMAT_VERSION
}

/// A keyring id as the vault makes them: 12 hex digits (it becomes part of
/// every entry's name, so nothing else may stand there).
fn keyring_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let id = String::deserialize(d)?;
    if id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(Some(id))
    } else {
        Err(serde::de::Error::custom("keyring_id must be 12 hex characters, as trello-auth writes it"))
    }
}

/// The default profile's name, checked by the one rule for names: the file
/// must not send every command to a profile no command could name.
fn default_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(d)?;
    match super::profile::name_problem(&name) {
        Some(why) => Err(serde::de::Error::custom(format!("default_profile: {why}; change or remove it"))),
        None => Ok(Some(name)),
    }
}

/// The profiles, each name checked by the one rule for names.
fn named_profiles<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Profile>, D::Error> {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    struct Name(String);
    impl<'de> Deserialize<'de> for Name {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let name = String::deserialize(d)?;
            match super::profile::name_problem(&name) {
                Some(why) => Err(serde::de::Error::custom(format!(
                    "[profiles.\"{}\"]: {why}; rename the table",
                    crate::untrusted::line(&name)
                ))),
                None => Ok(Name(name)),
            }
        }
    }
    let profiles = BTreeMap::<Name, Profile>::deserialize(d)?;
    Ok(profiles.into_iter().map(|(Name(name), profile)| (name, profile)).collect())
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            version: FORMAT_VERSION,
            default_profile: None,
            keyring_id: None,
            keyring_path: None,
            profiles: BTreeMap::new(),
            extra: toml::Table::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no config directory could be found (is HOME set?); pass --config PATH or set TRELLO_AUTH_CONFIG")]
    NoConfigDir,
    #[error("could not read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{} is a directory, not a config file; pass --config with a file path", path.display())]
    IsDirectory { path: PathBuf },
    #[error(
        "{} cannot be read (line {line}, column {column}: {message}); it was left untouched: fix that line, or move \
         the file away to start over{}",
        path.display(),
        previous(path)
    )]
    Parse { path: PathBuf, line: usize, column: usize, message: String },
    #[error(
        "{} is not UTF-8 text, so it is no trello-auth config; it was left untouched: move the file away to start \
         over{}",
        path.display(),
        previous(path)
    )]
    NotText { path: PathBuf },
    #[error("{} was written by a newer trello-auth (format {version}); it was left untouched: upgrade trello-auth", path.display())]
    NewerFormat { path: PathBuf, version: u32 },
    #[error("could not save {}: {action} failed: {source}; any existing file is untouched", path.display())]
    Write { path: PathBuf, action: &'static str, source: io::Error },
    #[error("could not serialize the config: {0}")]
    Serialize(String),
    #[error(
        "did not save {}: the file as it would be written does not read back ({detail}); nothing was written. This \
         is a bug in trello-auth: please report it",
        path.display()
    )]
    WouldNotReadBack { path: PathBuf, detail: String },
    #[error("{} is {size} bytes, too large to be a trello-auth config; it was left untouched", path.display())]
    TooLarge { path: PathBuf, size: u64 },
    #[error(
        "did not save {}: it would be {size} bytes, more than a config may be ({MAX_CONFIG_BYTES} bytes) and so \
         unreadable afterwards; nothing was written. Remove profiles you no longer use",
        path.display()
    )]
    WouldBeTooLarge { path: PathBuf, size: u64 },
    #[error(
        "{} is {kind}, not a regular file; trello-auth neither reads nor replaces it: pass --config with the path of a \
         file",
        path.display()
    )]
    NotAFile { path: PathBuf, kind: &'static str },
    /// A lock that did not come, a file others could change: the words are the file layer's.
    #[error(transparent)]
    File(FileError),
}

/// Where the version before the last save is, when there is one that reads
/// (a backup as broken as the file is no way back): what a person whose
/// config no longer reads wants back.
fn previous(path: &Path) -> String {
    let backup = files::backup_path(path);
    if backup.is_file() && Store::at(&backup).load().is_ok_and(|loaded| loaded.is_some()) {
        format!(" (the version before the last save is {})", backup.display())
    } else {
        String::new()
    }
}

impl From<FileError> for StoreError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::Read { path, source } if source.kind() == io::ErrorKind::InvalidData => {
                StoreError::NotText { path }
            }
            FileError::Read { path, source } => StoreError::Read { path, source },
            FileError::IsDirectory { path } => StoreError::IsDirectory { path },
            FileError::NotAFile { path, kind } => StoreError::NotAFile { path, kind },
            FileError::TooLarge { path, size, .. } => StoreError::TooLarge { path, size },
            FileError::Write { path, action, source } => StoreError::Write { path, action, source },
            e @ (FileError::Locked { .. }
            | FileError::Busy { .. }
            | FileError::Untrusted { .. }
            | FileError::NoOwnFolder) => StoreError::File(e),
        }
    }
}

/// The platform's config directory for trello-auth (`$XDG_CONFIG_HOME/trello-auth` on Linux).
fn platform_dir() -> Option<PathBuf> {
    files::own_dir()
}

/// No real config comes near this; a larger file is refused rather than parsed.
pub(crate) const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A file that was read, and anything the user should hear about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub config: ConfigFile,
    pub warnings: Vec<String>,
}

/// Where a save went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    /// The previous file, when there was one.
    pub backup: Option<PathBuf>,
}

/// The config file at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// `explicit` (from `--config`, or `TRELLO_AUTH_CONFIG` through the same
    /// flag), else the platform config dir (`$XDG_CONFIG_HOME/trello-auth/config.toml` on Linux).
    pub(crate) fn locate(explicit: Option<&Path>) -> Result<Store, StoreError> {
        Store::choose(explicit, platform_dir)
    }

    /// Whether this is the file at the default place, however it was named
    /// (`--config` with the same path, a link to it): the one config file
    /// that reads and cleans keyring entries of before per-file ids.
    pub(crate) fn is_default_place(&self) -> bool {
        platform_dir().is_some_and(|dir| files::canonical(&dir.join("config.toml")) == files::canonical(&self.path))
    }

    /// The precedence behind [`Store::locate`], with its inputs passed in.
    pub fn choose(
        explicit: Option<&Path>,
        platform_dir: impl FnOnce() -> Option<PathBuf>,
    ) -> Result<Store, StoreError> {
        if let Some(path) = explicit.filter(|p| !p.as_os_str().is_empty()) {
            return Ok(Store::at(path));
        }
        let dir = platform_dir().ok_or(StoreError::NoConfigDir)?;
        Ok(Store::at(dir.join("config.toml")))
    }

    pub fn at(path: impl Into<PathBuf>) -> Store {
        Store { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn backup_path(&self) -> PathBuf {
        files::backup_path(&self.path)
    }

    /// Reads the file; `Ok(None)` when there is none yet. A file someone else
    /// could have changed (planted, or writable by others) is refused: its
    /// token would be handed to the commands `exec` runs.
    pub fn load(&self) -> Result<Option<Loaded>, StoreError> {
        let Some(existing) = files::read_private(&self.path, MAX_CONFIG_BYTES)? else { return Ok(None) };
        let config = parse(&self.path, &existing.text)?;
        let mut warnings = Vec::new();
        if let Some(readers) = &existing.readers {
            warnings.push(format!("{} can be read by {readers}; {}", self.path.display(), files::READERS_ON_SAVE));
        }
        Ok(Some(Loaded { config, warnings }))
    }

    /// One profile, or `None` when the file or the profile does not exist.
    pub fn profile(&self, name: &str) -> Result<Option<Profile>, StoreError> {
        Ok(self.load()?.and_then(|mut l| l.config.profiles.remove(name)))
    }

    /// Writes one profile as given, keeping every other profile and unknown
    /// key (also the unknown keys of the profile it replaces). For tests and
    /// for setting up a file by hand: the product's changes go through the vault.
    pub fn save_profile(&self, name: &str, mut profile: Profile) -> Result<Saved, StoreError> {
        self.update(&[], |config| {
            if let Some(old) = config.profiles.remove(name) {
                for (key, value) in old.extra {
                    profile.extra.entry(key).or_insert(value);
                }
            }
            config.profiles.insert(name.to_string(), profile);
        })
    }

    /// Changes the file under the lock: re-read, apply `change`, replace.
    /// `forget` are secrets the change removes for good (a logout, a move into
    /// the keyring): they are also left out of the `.bak` copy, so no file
    /// keeps a token the user was told is gone.
    pub fn update(&self, forget: &[&Secret], change: impl FnOnce(&mut ConfigFile)) -> Result<Saved, StoreError> {
        let mut edit = self.edit()?;
        change(&mut edit.config);
        edit.commit(forget)
    }

    /// Starts an edit: the lock is taken and the file read; nothing is written
    /// until [`Edit::commit`]. The vault does its keyring work in between.
    pub(crate) fn edit(&self) -> Result<Edit, StoreError> {
        self.edit_waiting(&|_| {})
    }

    /// [`Store::edit`], calling `waiting` once if another trello-auth holds the lock for a while.
    pub(crate) fn edit_waiting(&self, waiting: &dyn Fn(&LockWait)) -> Result<Edit, StoreError> {
        let dir = Dir::Private { owned_name: "trello-auth" };
        let replace = Replace::begin_waiting(&self.path, MAX_CONFIG_BYTES, dir, waiting)?;
        let before = match &replace.old {
            Some(old) => parse(replace.target(), &old.text)?,
            None => ConfigFile::default(),
        };
        Ok(Edit { config: before.clone(), before, replace })
    }
}

/// A change to the file in progress, holding its lock.
pub(crate) struct Edit {
    /// The file as it will be written; change it freely.
    pub config: ConfigFile,
    /// The file as it was read under the lock.
    pub before: ConfigFile,
    replace: Replace,
}

impl Edit {
    /// Writes the changed file, keeping the previous one as `.bak` without
    /// any of `forget`, and lets go of the lock.
    pub fn commit(self, forget: &[&Secret]) -> Result<Saved, StoreError> {
        self.commit_held(forget).map(|(saved, _)| saved)
    }

    /// [`Edit::commit`], keeping the lock until the [`Held`] is dropped: the
    /// vault cleans the keyring under it, so no other change runs in between.
    pub(crate) fn commit_held(mut self, forget: &[&Secret]) -> Result<(Saved, Held), StoreError> {
        self.config.version = FORMAT_VERSION;
        let path = self.replace.target().to_path_buf();
        let text = serialize(&path, &self.config)?;
        let backup = match &self.replace.old {
            Some(old) if !forget.is_empty() => backup_without(&old.text, &text, forget),
            _ => Backup::Previous,
        };
        let (written, held) = self.replace.commit_held(text.as_bytes(), Mode::Private, backup)?;
        Ok((Saved { path: written.path, backup: written.backup }, held))
    }
}

/// What `config.toml.bak` holds when a change forgets secrets (a logout, a
/// move into the keyring), decided from what the old file *means*, not from
/// how it is written: a token may be spelt with TOML escapes (`"\u0041TTA…"`)
/// or split by a line-ending backslash, and then no search of the text finds
/// it. The old file as it was when it holds none of them, as written or as
/// parsed; else the old file with every value and key holding one removed,
/// its layout and comments kept (toml_edit); else, if a comment or the like
/// still holds one, the same values written afresh without comments; and if
/// even that held one, the new file itself. Each is read back before it is used.
fn backup_without(old: &str, new: &str, forget: &[&Secret]) -> Backup {
    let forget: Vec<&str> = forget.iter().map(|s| s.expose()).filter(|s| !s.is_empty()).collect();
    if !holds_any(old, &forget) {
        return Backup::Previous;
    }
    let gone = |text: &str| forget.iter().any(|secret| text.contains(secret));
    let edited = old.parse::<toml_edit::DocumentMut>().ok().map(|mut doc| {
        scrub_table(doc.as_table_mut(), &gone);
        doc.to_string()
    });
    let afresh = toml::from_str::<toml::Table>(old).ok().and_then(|mut table| {
        table.retain(|key, value| !gone(key) && scrub_plain(value, &gone));
        toml::to_string(&table).ok().map(|body| format!("{HEADER}{body}"))
    });
    match [edited, afresh].into_iter().flatten().find(|text| !holds_any(text, &forget)) {
        Some(text) => Backup::Text(text),
        None => Backup::Text(new.to_string()),
    }
}

/// Whether `text` holds any of `secrets`: as written, or in any string or key once parsed.
fn holds_any(text: &str, secrets: &[&str]) -> bool {
    fn parsed(value: &toml::Value, gone: &dyn Fn(&str) -> bool) -> bool {
        match value {
            toml::Value::String(s) => gone(s),
            toml::Value::Array(items) => items.iter().any(|v| parsed(v, gone)),
            toml::Value::Table(table) => table.iter().any(|(k, v)| gone(k) || parsed(v, gone)),
            _ => false,
        }
    }
    let gone = |s: &str| secrets.iter().any(|secret| s.contains(secret));
    // Text that does not parse holds what it says; only the raw search applies.
    gone(text) || toml::from_str::<toml::Table>(text).is_ok_and(|t| parsed(&toml::Value::Table(t), &gone))
}

/// Removes, in place, every entry of `table` whose key or value holds what `gone` says.
fn scrub_table(table: &mut toml_edit::Table, gone: &dyn Fn(&str) -> bool) {
    table.retain(|key, item| {
        !gone(key)
            && match item {
                toml_edit::Item::Value(value) => scrub_value(value, gone),
                toml_edit::Item::Table(inner) => {
                    scrub_table(inner, gone);
                    true
                }
                toml_edit::Item::ArrayOfTables(tables) => {
                    tables.iter_mut().for_each(|t| scrub_table(t, gone));
                    true
                }
                toml_edit::Item::None => true,
            }
    });
}

/// Whether `value` stays: a string holding a secret goes; arrays and inline
/// tables stay, with what held one removed from them.
fn scrub_value(value: &mut toml_edit::Value, gone: &dyn Fn(&str) -> bool) -> bool {
    match value {
        toml_edit::Value::String(s) => !gone(s.value()),
        toml_edit::Value::Array(items) => {
            items.iter_mut().for_each(|v| {
                scrub_value(v, gone);
            });
            items.retain(|v| !v.as_str().is_some_and(gone));
            true
        }
        toml_edit::Value::InlineTable(table) => {
            table.retain(|key, v| !gone(key) && scrub_value(v, gone));
            true
        }
        _ => true,
    }
}

/// [`scrub_value`] for a parsed value without layout.
fn scrub_plain(value: &mut toml::Value, gone: &dyn Fn(&str) -> bool) -> bool {
    match value {
        toml::Value::String(s) => !gone(s),
        toml::Value::Array(items) => {
            items.retain_mut(|v| scrub_plain(v, gone));
            true
        }
        toml::Value::Table(table) => {
            table.retain(|key, v| !gone(key) && scrub_plain(v, gone));
            true
        }
        _ => true,
    }
}

/// The file's text, only when this build's own parser reads it back: a value
/// the parser refuses (an empty scope from a hostile answer) would otherwise
/// make the file, and so every profile in it, unreadable to every command.
fn serialize(path: &Path, config: &ConfigFile) -> Result<String, StoreError> {
    let body = toml::to_string(config).map_err(|e| StoreError::Serialize(e.to_string()))?;
    let text = format!("{HEADER}{body}");
    // Read back as the reader reads: over its size cap, every command would refuse the file.
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(StoreError::WouldBeTooLarge { path: path.to_path_buf(), size: text.len() as u64 });
    }
    match parse(path, &text) {
        Ok(_) => Ok(text),
        Err(StoreError::Parse { line, message, .. }) => {
            Err(StoreError::WouldNotReadBack { path: path.to_path_buf(), detail: format!("line {line}: {message}") })
        }
        Err(other) => Err(StoreError::WouldNotReadBack { path: path.to_path_buf(), detail: other.to_string() }),
    }
}

fn parse(path: &Path, text: &str) -> Result<ConfigFile, StoreError> {
    let config: ConfigFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|span| files::line_column(text, span.start)).unwrap_or((1, 1));
        // Only the message, and without the values it quotes: toml's full
        // Display shows the offending line and its messages quote values
        // (`invalid type: string "ATTA…"`, ``unknown variant `ATTA…` ``),
        // either of which may be a token; then the one scrub, for any
        // credential-shaped word the quoting rules missed.
        let message = super::secret::scrub(&without_quoted(e.message().trim()), &[]);
        StoreError::Parse { path: path.to_path_buf(), line, column, message }
    })?;
    if config.version > FORMAT_VERSION {
        return Err(StoreError::NewerFormat { path: path.to_path_buf(), version: config.version });
    }
    Ok(config)
}

/// A parser message without the values it quotes (in `"…"` or, as serde's
/// variant names, in `` `…` ``) where they could be a secret: a short quoted
/// value that is not shaped like a credential (a misspelt scope, `file`)
/// stays, as it tells the user what to fix; anything else becomes `"…"`.
fn without_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let quote = &rest[open..=open];
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            out.push_str(quote);
            out.push('…');
            return out;
        };
        let value = &after[..close];
        let harmless = value.chars().count() <= 24 && !super::secret::holds_credential(value);
        out.push_str(quote);
        out.push_str(if harmless { value } else { "…" });
        out.push_str(quote);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        use crate::files::line_column;
        let text = "a = 1\nb = é?\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 12), (2, 6));
    }

    #[test]
    fn parser_messages_keep_no_secret() {
        let token = format!("ATTA{}1B2C3D4E", "ab".repeat(32));
        let message = format!("invalid type: string \"{token}\", expected a boolean");
        assert_eq!(without_quoted(&message), "invalid type: string \"…\", expected a boolean");
        assert_eq!(without_quoted("unknown scope \"admin\": use read"), "unknown scope \"admin\": use read");
        assert_eq!(without_quoted("a \"long password of many words\" b"), "a \"…\" b");
        assert_eq!(without_quoted("cut \"ATTAabcdef0123"), "cut \"…");
        let variant = format!("unknown variant `{token}`, expected `file` or `keyring`");
        assert_eq!(without_quoted(&variant), "unknown variant `…`, expected `file` or `keyring`");
    }

    /// The parser's own messages, as a hand edit gets them: whatever the value
    /// a credential was put in, and however the message quotes it.
    #[test]
    fn parse_errors_never_quote_a_credential() {
        let token = format!("ATTA{}", "0".repeat(64));
        let secret = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
        let key = "0123456789abcdef0123456789abcdef";
        for value in [token.as_str(), secret, key] {
            for field in ["storage", "expiration", "requested_scope", "granted_scope", "logged_out"] {
                let text = format!("version = 1\n[profiles.default]\n{field} = \"{value}\"\n");
                let message = parse(Path::new("c.toml"), &text).unwrap_err().to_string();
                assert!(!message.contains(&value[..12]), "{field} = {value}: {message}");
                assert!(message.contains("line 3"), "{message}");
            }
            let text = format!("version = \"{value}\"\n");
            let message = parse(Path::new("c.toml"), &text).unwrap_err().to_string();
            assert!(!message.contains(&value[..12]), "version: {message}");
        }
        // What helps fix a slip stays: the field's expected words.
        let message = parse(Path::new("c.toml"), &format!("[profiles.d]\nstorage = \"{token}\"\n")).unwrap_err();
        assert!(message.to_string().contains("expected `file` or `keyring`"), "{message}");
    }

    /// A config this build would not read back is never written: not the
    /// file, not its backup; what was there stays.
    #[test]
    fn what_would_not_read_back_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("config.toml"));
        let good = Profile { api_key: "0123456789abcdef0123456789abcdef".into(), ..Profile::default() };
        store.save_profile("work", good).unwrap();
        let before = std::fs::read_to_string(store.path()).unwrap();
        let empty = Profile { granted_scope: Some(crate::credentials::Scopes::default()), ..Profile::default() };
        let err = store.save_profile("default", empty).unwrap_err();
        assert!(matches!(err, StoreError::WouldNotReadBack { .. }), "{err}");
        assert!(err.to_string().contains("choose at least one scope") && err.to_string().contains("nothing"), "{err}");
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), before);
        assert!(!store.backup_path().exists());
        assert!(store.profile("work").unwrap().is_some(), "every other profile still reads");

        // Past the reader's size cap: refused the same way, nothing written.
        let huge = Profile {
            api_key: "0123456789abcdef0123456789abcdef".into(),
            app_name: "x".repeat(MAX_CONFIG_BYTES as usize),
            ..Profile::default()
        };
        let err = store.save_profile("huge", huge).unwrap_err();
        assert!(matches!(err, StoreError::WouldBeTooLarge { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), before);
    }

    /// A value trello-auth only ever writes in one shape, edited by hand into
    /// another, is refused as the file is read: the line, the field, the file.
    #[test]
    fn hand_edited_values_of_the_wrong_shape_are_refused_with_their_line() {
        let head = "version = 1\n[profiles.default]\napi_key = \"0123456789abcdef0123456789abcdef\"\n";
        for (line, words) in [
            ("board_id = \"5b\\nEVIL=$(touch x)\\r\\u0085\\u2028X=1\"", "board_id must be a Trello board id"),
            ("board_id = \"5b00000000000000000000\\u0000\"", "board_id must be"),
            ("board_short_link = \"AbCd\\u001b[2J\"", "board_short_link must be"),
            ("api_secret = \"ATTA0123\"", "api_secret must be an API secret"),
        ] {
            let text = format!("{head}{line}\n");
            let message = parse(Path::new("/x/c.toml"), &text).unwrap_err().to_string();
            assert!(message.contains("/x/c.toml") && message.contains("line 4"), "{line}: {message}");
            assert!(message.contains(words), "{line}: {message}");
        }
        let text = "[profiles.default]\napi_key = \"0123\\u001b]52;c;eA==\\u0007\"\n";
        assert!(parse(Path::new("c"), text).unwrap_err().to_string().contains("api_key must be an API key"));
        for name in ["p@3f2a9c1e5b7d", "p\\u001b[2J", ""] {
            let text = format!("[profiles.\"{name}\"]\napp_name = \"x\"\n");
            let message = parse(Path::new("c"), &text).unwrap_err().to_string();
            assert!(message.contains("a profile name cannot"), "{name:?}: {message}");
            assert!(!message.contains('\u{1b}'), "{message}");
        }
        let message = parse(Path::new("c"), "keyring_id = \"x@y\"\n").unwrap_err().to_string();
        assert!(message.contains("keyring_id must be"), "{message}");
        let message = parse(Path::new("c"), "default_profile = \"-p\"\n").unwrap_err().to_string();
        assert!(message.contains("default_profile: a profile name cannot start with '-'"), "{message}");
        // What trello-auth writes still reads, absent values too.
        let ok = format!("{head}board_id = \"5b0000000000000000000001\"\nboard_short_link = \"AbCd1234\"\n");
        assert!(parse(Path::new("c"), &ok).is_ok());
        assert!(parse(Path::new("c"), "[profiles.work]\napp_name = \"x\"\n").is_ok());
    }

    #[test]
    fn default_profile_round_trips() {
        let mut config = ConfigFile::default();
        config.profiles.insert(
            "default".into(),
            Profile { api_key: "0123456789abcdef0123456789abcdef".into(), ..Profile::default() },
        );
        let text = toml::to_string(&config).unwrap();
        assert_eq!(parse(Path::new("x"), &text).unwrap(), config);
    }

    /// What a backup holds when a change forgets a secret is decided from
    /// the parsed values: a TOML escape, a line-ending backslash, a comment,
    /// another key or an array element cannot carry it over.
    #[test]
    fn a_backup_that_forgets_a_secret_holds_it_in_no_spelling() {
        let token = format!("ATTA{}", "3f".repeat(32));
        let secret = Secret::new(token.clone());
        let (head, tail) = token.split_at(20);
        let key = "api_key = \"0123456789abcdef0123456789abcdef\"";
        let cases = [
            format!("version = 1\n[profiles.default]\n{key}\ntoken = \"\\u0041{}\"\n", &token[1..]),
            format!("version = 1\n[profiles.default]\n{key}\ntoken = \"\"\"{head}\\\n    {tail}\"\"\"\n"),
            format!("# kept: {token}\nversion = 1\n[profiles.default]\n{key}\n"),
            format!(
                "version = 1\nold = [\"x\", \"\\u0041{}\"]\n[profiles.default]\n{key}\nnote = {{ t = '{token}' }}\n",
                &token[1..]
            ),
        ];
        for old in cases {
            assert!(holds_any(&old, &[&token]), "{old}");
            let Backup::Text(text) = backup_without(&old, "new", &[&secret]) else { panic!("{old}: kept as it was") };
            assert!(!holds_any(&text, &[&token]), "{old}\n->\n{text}");
            assert!(parse(Path::new("c.toml"), &text).is_ok(), "the backup still reads: {text}");
        }
        // Layout and comments stay where nothing needed them gone.
        let old =
            format!("# mine\nversion = 1\n[profiles.default]\n{key}  # the key\ntoken = \"\\u0041{}\"\n", &token[1..]);
        let Backup::Text(text) = backup_without(&old, "new", &[&secret]) else { panic!() };
        assert_eq!(text, format!("# mine\nversion = 1\n[profiles.default]\n{key}  # the key\n"));
        // A file that never held it is kept byte for byte.
        assert_eq!(backup_without("version = 1\n", "new", &[&secret]), Backup::Previous);
    }
}
