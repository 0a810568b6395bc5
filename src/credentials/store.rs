//! The config file: TOML profiles, saved atomically with a backup, mode 0600.
//!
//! A save takes a lock, re-reads the file, changes one profile, writes a temp
//! file in the same directory, fsyncs it, keeps the old file as `.bak`, renames
//! the temp file over the old one and fsyncs the directory. A reader therefore
//! sees the whole old file or the whole new one, never a mix.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tempfile::NamedTempFile;

use crate::credentials::Secret;
use crate::trello::{Expiration, Scopes};

/// The file format written by this build. A newer file is never overwritten.
pub const FORMAT_VERSION: u32 = 1;
pub const DEFAULT_PROFILE: &str = "default";
pub const DEFAULT_APP_NAME: &str = "trello-auth";

const HEADER: &str = "# trello-auth credentials. Keep this file private (mode 0600) and never commit it.\n\n";

/// One set of credentials and what was learned when they were verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub api_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_secret: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    pub app_name: String,
    pub scope: Scopes,
    pub expiration: Expiration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_full_name: Option<String>,
    /// RFC 3339, or `never`; absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_expires: Option<String>,
    /// RFC 3339 time of the last successful verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
    /// Keys this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            api_key: String::new(),
            api_secret: None,
            token: None,
            app_name: DEFAULT_APP_NAME.to_string(),
            scope: Scopes::READ_WRITE,
            expiration: Expiration::default(),
            member_id: None,
            member_username: None,
            member_full_name: None,
            token_expires: None,
            verified_at: None,
            extra: toml::Table::new(),
        }
    }
}

impl Profile {
    /// Who the saved token belongs to, as "Ann Example (@ann)", when known.
    pub fn who(&self) -> Option<String> {
        let username = self.member_username.as_deref()?;
        Some(crate::trello::client::who(self.member_full_name.as_deref().unwrap_or(""), username))
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    #[serde(default = "current_version")]
    pub version: u32,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    #[serde(flatten)]
    pub extra: toml::Table,
}

fn current_version() -> u32 {
    FORMAT_VERSION
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile { version: FORMAT_VERSION, profiles: BTreeMap::new(), extra: toml::Table::new() }
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
        "{} is not valid TOML (line {line}, column {column}: {message}); it was left untouched: fix it, or move it \
         away to start over",
        path.display()
    )]
    Parse { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{} was written by a newer trello-auth (format {version}); it was left untouched: upgrade trello-auth", path.display())]
    NewerFormat { path: PathBuf, version: u32 },
    #[error("could not save {}: {action} failed: {source}; any existing file is untouched", path.display())]
    Write { path: PathBuf, action: &'static str, source: io::Error },
    #[error("could not serialize the config: {0}")]
    Serialize(String),
    #[error("{} is {size} bytes, too large to be a trello-auth config; it was left untouched", path.display())]
    TooLarge { path: PathBuf, size: u64 },
}

/// No real config comes near this; a larger file is refused rather than parsed.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Prefix of the temporary files a save writes next to the config.
const TEMP_PREFIX: &str = ".trello-auth-";

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
    /// `explicit` (from `--config`), else `TRELLO_AUTH_CONFIG`, else the
    /// platform config dir (`$XDG_CONFIG_HOME/trello-auth/config.toml` on Linux).
    pub fn locate(explicit: Option<&Path>) -> Result<Store, StoreError> {
        let from_env = std::env::var_os("TRELLO_AUTH_CONFIG").map(PathBuf::from);
        let platform = || directories::ProjectDirs::from("", "", "trello-auth").map(|d| d.config_dir().to_path_buf());
        Store::choose(explicit, from_env, platform)
    }

    /// The precedence behind [`Store::locate`], with its inputs passed in.
    pub fn choose(
        explicit: Option<&Path>,
        from_env: Option<PathBuf>,
        platform_dir: impl FnOnce() -> Option<PathBuf>,
    ) -> Result<Store, StoreError> {
        if let Some(path) = explicit {
            return Ok(Store::at(path));
        }
        if let Some(path) = from_env.filter(|p| !p.as_os_str().is_empty()) {
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
        sibling(&self.path, ".bak")
    }

    /// Reads the file; `Ok(None)` when there is none yet.
    pub fn load(&self) -> Result<Option<Loaded>, StoreError> {
        let Some(text) = self.read_text()? else { return Ok(None) };
        let config = parse(&self.path, &text)?;
        let mut warnings = Vec::new();
        if let Ok(meta) = fs::metadata(&self.path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                warnings.push(format!(
                    "{} can be read by other users (mode {mode:o}); it will be tightened to 600 on the next save",
                    self.path.display()
                ));
            }
        }
        Ok(Some(Loaded { config, warnings }))
    }

    /// One profile, or `None` when the file or the profile does not exist.
    pub fn profile(&self, name: &str) -> Result<Option<Profile>, StoreError> {
        Ok(self.load()?.and_then(|mut l| l.config.profiles.remove(name)))
    }

    /// Saves one profile, keeping every other profile and unknown key (also
    /// the unknown keys of the profile it replaces).
    pub fn save_profile(&self, name: &str, mut profile: Profile) -> Result<Saved, StoreError> {
        self.update(|config| {
            if let Some(old) = config.profiles.remove(name) {
                for (key, value) in old.extra {
                    profile.extra.entry(key).or_insert(value);
                }
            }
            config.profiles.insert(name.to_string(), profile);
        })
    }

    /// Changes the file under a lock: re-read, apply `change`, write atomically.
    /// Another process saving at the same time waits for the lock, so neither
    /// change is lost.
    pub fn update(&self, change: impl FnOnce(&mut ConfigFile)) -> Result<Saved, StoreError> {
        let target = self.write_target()?;
        let dir = parent_dir(&target);
        ensure_private_dir(dir).map_err(|source| write_error(&target, "creating the directory", source))?;
        let lock = lock_file(&target).map_err(|source| write_error(&target, "locking", source))?;
        remove_stale_temp_files(dir);

        let old_text = Store::at(&target).read_text()?;
        let mut config = match &old_text {
            Some(text) => parse(&target, text)?,
            None => ConfigFile::default(),
        };
        change(&mut config);
        config.version = FORMAT_VERSION;
        let body = toml::to_string(&config).map_err(|e| StoreError::Serialize(e.to_string()))?;
        let new_text = format!("{HEADER}{body}");

        let backup = match &old_text {
            Some(old) => {
                let backup = sibling(&target, ".bak");
                write_atomically(dir, &backup, old.as_bytes())
                    .map_err(|(action, source)| write_error(&backup, action, source))?;
                Some(backup)
            }
            None => None,
        };
        write_atomically(dir, &target, new_text.as_bytes())
            .map_err(|(action, source)| write_error(&target, action, source))?;
        drop(lock);
        Ok(Saved { path: target, backup })
    }

    fn read_text(&self) -> Result<Option<String>, StoreError> {
        match fs::metadata(&self.path) {
            Ok(meta) if meta.is_dir() => return Err(StoreError::IsDirectory { path: self.path.clone() }),
            Ok(meta) if meta.len() > MAX_CONFIG_BYTES => {
                return Err(StoreError::TooLarge { path: self.path.clone(), size: meta.len() });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            _ => {}
        }
        match fs::read_to_string(&self.path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(StoreError::Read { path: self.path.clone(), source }),
        }
    }

    /// The real file behind a symlink (dotfile managers link configs), so a
    /// save replaces the file, not the link.
    fn write_target(&self) -> Result<PathBuf, StoreError> {
        match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::canonicalize(&self.path).map_err(|source| StoreError::Read { path: self.path.clone(), source })
            }
            _ => Ok(self.path.clone()),
        }
    }
}

fn write_error(path: &Path, action: &'static str, source: io::Error) -> StoreError {
    StoreError::Write { path: path.to_path_buf(), action, source }
}

fn parse(path: &Path, text: &str) -> Result<ConfigFile, StoreError> {
    let config: ConfigFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|span| line_column(text, span.start)).unwrap_or((1, 1));
        // Only the message: toml's full Display quotes the offending line,
        // which may hold a token.
        StoreError::Parse { path: path.to_path_buf(), line, column, message: e.message().trim().to_string() }
    })?;
    if config.version > FORMAT_VERSION {
        return Err(StoreError::NewerFormat { path: path.to_path_buf(), version: config.version });
    }
    Ok(config)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates the directory 0700. An existing directory named `trello-auth` is
/// ours and is tightened; any other (a `--config` elsewhere) is left alone.
fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        return fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    }
    if !dir.is_dir() {
        return Err(io::Error::new(io::ErrorKind::NotADirectory, format!("{} is not a directory", dir.display())));
    }
    if dir.file_name().is_some_and(|n| n == "trello-auth") {
        let mode = fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// An exclusive lock on `<config>.lock`, held until dropped.
fn lock_file(target: &Path) -> io::Result<File> {
    let file =
        OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(sibling(target, ".lock"))?;
    file.lock()?;
    Ok(file)
}

/// Deletes temp files a killed save left behind: they hold credentials. Called
/// under the lock, when no other save can be writing one.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Temp file in `dir`, 0600, fsync, rename over `path`, fsync `dir`.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), (&'static str, io::Error)> {
    let mut tmp = NamedTempFile::with_prefix_in(TEMP_PREFIX, dir).map_err(|e| ("creating a temporary file", e))?;
    tmp.as_file().set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| ("setting permissions", e))?;
    tmp.write_all(bytes).map_err(|e| ("writing", e))?;
    tmp.as_file().sync_all().map_err(|e| ("flushing to disk", e))?;
    tmp.persist(path).map_err(|e| ("replacing the file", e.error))?;
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| ("flushing the directory", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let text = "a = 1\nb = é?\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 12), (2, 6));
    }

    #[test]
    fn sibling_names() {
        assert_eq!(sibling(Path::new("/x/config.toml"), ".bak"), PathBuf::from("/x/config.toml.bak"));
    }

    #[test]
    fn default_profile_round_trips() {
        let mut config = ConfigFile::default();
        config.profiles.insert("default".into(), Profile { api_key: "k".into(), ..Profile::default() });
        let text = toml::to_string(&config).unwrap();
        assert_eq!(parse(Path::new("x"), &text).unwrap(), config);
    }
}
