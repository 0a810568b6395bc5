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

use super::Secret;
use super::expiry::Expiry;
use super::scopes::{Expiration, Scopes};

/// The file format written by this build. A newer file is never overwritten.
pub const FORMAT_VERSION: u32 = 1;
pub const DEFAULT_PROFILE: &str = "default";
pub const DEFAULT_APP_NAME: &str = "trello-auth";

const HEADER: &str = "# trello-auth credentials. Keep this file private (mode 0600) and never commit it.\n\n";

/// Where a profile's token and API secret live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// In this config file (mode 0600): what the product has always done.
    #[default]
    File,
    /// In the system keyring; the file keeps everything else.
    Keyring,
}

impl Storage {
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::File => "file",
            Storage::Keyring => "keyring",
        }
    }
}

/// One set of credentials and what was learned when they were verified.
/// `Debug` masks the key; the token and secret mask themselves.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub api_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_secret: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    /// `keyring`: the token and secret are in the system keyring, not above.
    #[serde(skip_serializing_if = "is_file")]
    pub storage: Storage,
    pub app_name: String,
    /// The scopes asked for when the token was authorized (files before
    /// `requested_scope` existed called it `scope`).
    #[serde(rename = "requested_scope", alias = "scope")]
    pub requested_scope: Scopes,
    /// The scopes Trello reported for the token when it was last verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted_scope: Option<Scopes>,
    pub expiration: Expiration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_full_name: Option<String>,
    /// When the token stops working (`never`, or RFC 3339); absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_expires: Option<Expiry>,
    /// RFC 3339 time of the last successful verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
    /// The default board scripts and agents get as `TRELLO_BOARD_ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub board_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub board_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub board_short_link: Option<String>,
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
            storage: Storage::File,
            app_name: DEFAULT_APP_NAME.to_string(),
            requested_scope: Scopes::READ_WRITE,
            granted_scope: None,
            expiration: Expiration::default(),
            member_id: None,
            member_username: None,
            member_full_name: None,
            token_expires: None,
            verified_at: None,
            board_id: None,
            board_name: None,
            board_short_link: None,
            extra: toml::Table::new(),
        }
    }
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("api_key", &crate::credentials::secret::mask(&self.api_key))
            .field("api_secret", &self.api_secret)
            .field("token", &self.token)
            .field("storage", &self.storage)
            .field("app_name", &self.app_name)
            .field("requested_scope", &self.requested_scope)
            .field("granted_scope", &self.granted_scope)
            .field("expiration", &self.expiration)
            .field("member_id", &self.member_id)
            .field("member_username", &self.member_username)
            .field("member_full_name", &self.member_full_name)
            .field("token_expires", &self.token_expires)
            .field("verified_at", &self.verified_at)
            .field("board_id", &self.board_id)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Profile {
    /// What the token may do: what Trello granted when known, else what was asked for.
    pub fn scopes(&self) -> Scopes {
        self.granted_scope.unwrap_or(self.requested_scope)
    }

    /// Who the saved token belongs to, as "Ann Example (@ann)", when known.
    pub fn who(&self) -> Option<String> {
        let username = self.member_username.as_deref()?;
        Some(super::who(self.member_full_name.as_deref().unwrap_or(""), username))
    }
}

fn is_file(storage: &Storage) -> bool {
    *storage == Storage::File
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
    #[error(
        "{} is {kind}, not a regular file; trello-auth neither reads nor replaces it: pass --config with the path of a \
         file",
        path.display()
    )]
    NotAFile { path: PathBuf, kind: &'static str },
}

/// No real config comes near this; a larger file is refused rather than parsed.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

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
        let Some((text, mode)) = read_regular(&self.path)? else { return Ok(None) };
        let config = parse(&self.path, &text)?;
        let mut warnings = Vec::new();
        if mode & 0o077 != 0 {
            warnings.push(format!(
                "{} can be read by other users (mode {mode:o}); it will be tightened to 600 on the next save",
                self.path.display()
            ));
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
        self.update(&[], |config| {
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
    ///
    /// `forget` are secrets the change removes for good (a logout): they are
    /// also left out of the `.bak` copy, so no file keeps a token the user
    /// was told is gone.
    pub fn update(&self, forget: &[&Secret], change: impl FnOnce(&mut ConfigFile)) -> Result<Saved, StoreError> {
        let target = self.write_target()?;
        let dir = parent_dir(&target);
        ensure_private_dir(dir).map_err(|source| write_error(&target, "creating the directory", source))?;
        let lock = lock_file(&target).map_err(|source| write_error(&target, "locking", source))?;
        remove_stale_temp_files(&target);

        let old_text = read_regular(&target)?.map(|(text, _)| text);
        let mut config = match &old_text {
            Some(text) => parse(&target, text)?,
            None => ConfigFile::default(),
        };
        let old_config = config.clone();
        change(&mut config);
        config.version = FORMAT_VERSION;
        let new_text = serialize(&config)?;

        let backup = match &old_text {
            Some(old) => {
                let backup = sibling(&target, ".bak");
                let text = if forget.iter().any(|s| old.contains(s.expose())) {
                    serialize(&without_secrets(old_config, forget))?
                } else {
                    old.clone()
                };
                write_atomically(&target, &backup, text.as_bytes())
                    .map_err(|(action, source)| write_error(&backup, action, source))?;
                Some(backup)
            }
            None => None,
        };
        write_atomically(&target, &target, new_text.as_bytes())
            .map_err(|(action, source)| write_error(&target, action, source))?;
        drop(lock);
        Ok(Saved { path: target, backup })
    }

    /// The real file behind a symlink (dotfile managers link configs), so a
    /// save replaces the file, not the link; refused when that is not a
    /// regular file (a device, a FIFO, a socket, a directory).
    fn write_target(&self) -> Result<PathBuf, StoreError> {
        let target = match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(&self.path) {
                Ok(real) => real,
                // A dangling link: saving would create a file wherever it points.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(StoreError::NotAFile { path: self.path.clone(), kind: "a symbolic link to nothing" });
                }
                Err(source) => return Err(StoreError::Read { path: self.path.clone(), source }),
            },
            _ => self.path.clone(),
        };
        // Missing, or unreachable (a parent that is a file): creating the
        // directory says why, with the right words.
        if let Ok(meta) = fs::symlink_metadata(&target) {
            check_regular(&self.path, &meta.file_type())?;
        }
        Ok(target)
    }
}

/// What a file type is, in words, when it is not a regular file.
fn kind_of(file_type: &fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_file() {
        None
    } else if file_type.is_dir() {
        Some("a directory")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else if file_type.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if file_type.is_socket() {
        Some("a socket")
    } else if file_type.is_symlink() {
        Some("a symbolic link")
    } else {
        Some("not a regular file")
    }
}

fn check_regular(path: &Path, file_type: &fs::FileType) -> Result<(), StoreError> {
    match kind_of(file_type) {
        None => Ok(()),
        Some("a directory") => Err(StoreError::IsDirectory { path: path.to_path_buf() }),
        Some(kind) => Err(StoreError::NotAFile { path: path.to_path_buf(), kind }),
    }
}

/// Reads `path` if it is a regular file: opened once without blocking (a FIFO
/// would wait forever for a writer), checked through the open handle (no
/// swap between a check and the read), and read through a size cap (a
/// device such as `/dev/zero` never ends). Returns the text and its mode.
fn read_regular(path: &Path) -> Result<Option<(String, u32)>, StoreError> {
    use std::io::Read;
    let read_error = |source| StoreError::Read { path: path.to_path_buf(), source };
    let file = match OpenOptions::new().read(true).custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_error(e)),
    };
    let meta = file.metadata().map_err(read_error)?;
    check_regular(path, &meta.file_type())?;
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(StoreError::TooLarge { path: path.to_path_buf(), size: meta.len() });
    }
    let mut bytes = Vec::new();
    // One byte past the cap tells a file that grew since the check.
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(StoreError::TooLarge { path: path.to_path_buf(), size: bytes.len() as u64 });
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| read_error(io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text")))?;
    Ok(Some((text, meta.permissions().mode() & 0o777)))
}

fn serialize(config: &ConfigFile) -> Result<String, StoreError> {
    let body = toml::to_string(config).map_err(|e| StoreError::Serialize(e.to_string()))?;
    Ok(format!("{HEADER}{body}"))
}

/// `config` with every token and secret equal to one of `forget` removed.
fn without_secrets(mut config: ConfigFile, forget: &[&Secret]) -> ConfigFile {
    let gone = |value: &Option<Secret>| value.as_ref().is_some_and(|v| forget.contains(&v));
    for profile in config.profiles.values_mut() {
        if gone(&profile.token) {
            profile.token = None;
        }
        if gone(&profile.api_secret) {
            profile.api_secret = None;
        }
    }
    config
}

fn write_error(path: &Path, action: &'static str, source: io::Error) -> StoreError {
    StoreError::Write { path: path.to_path_buf(), action, source }
}

fn parse(path: &Path, text: &str) -> Result<ConfigFile, StoreError> {
    let config: ConfigFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|span| line_column(text, span.start)).unwrap_or((1, 1));
        // Only the message, and without the values it quotes: toml's full
        // Display shows the offending line and its messages quote values
        // (`invalid type: string "ATTA…"`), either of which may be a token.
        StoreError::Parse { path: path.to_path_buf(), line, column, message: without_quoted(e.message().trim()) }
    })?;
    if config.version > FORMAT_VERSION {
        return Err(StoreError::NewerFormat { path: path.to_path_buf(), version: config.version });
    }
    Ok(config)
}

/// A parser message without the values it quotes where they could be a
/// secret: a short quoted value that is not shaped like a credential (a
/// misspelt scope) stays, as it tells the user what to fix; anything else
/// becomes `"…"`.
fn without_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else {
            out.push_str("\"…");
            return out;
        };
        let value = &after[..close];
        let harmless = value.chars().count() <= 24 && super::secret::scrub(value, &[]) == value;
        out.push('"');
        out.push_str(if harmless { value } else { "…" });
        out.push('"');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
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

/// An exclusive lock on `<config>.lock`, held until dropped. Not through a
/// symlink: a planted link must not make the lock create a file elsewhere.
fn lock_file(target: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .custom_flags((rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32)
        .open(sibling(target, ".lock"))?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "the lock file is not a regular file"));
    }
    file.lock()?;
    Ok(file)
}

/// The prefix of the temp files a save of `target` writes: `.config.toml.tmp-`.
/// Each config has its own, so a sweep never touches another config's.
fn temp_prefix(target: &Path) -> String {
    format!(".{}.tmp-", target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())
}

/// Deletes temp files a killed save of this config left behind: they hold
/// credentials. Called under this config's lock, when no save of it can be
/// writing one; temp files of other configs in the directory are theirs.
fn remove_stale_temp_files(target: &Path) {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(parent_dir(target)) else { return };
    for entry in entries.flatten() {
        let is_ours = entry.file_name().to_str().is_some_and(|n| n.starts_with(&prefix));
        if is_ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Temp file next to `config`, 0600, fsync, rename over `path`, fsync the directory.
/// `path` is the config or its backup; the temp file is named after the config,
/// so the config's own sweep finds it. Refuses to replace anything but a regular file.
fn write_atomically(config: &Path, path: &Path, bytes: &[u8]) -> Result<(), (&'static str, io::Error)> {
    let dir = parent_dir(config);
    if let Ok(meta) = fs::symlink_metadata(path)
        && let Some(kind) = kind_of(&meta.file_type()).filter(|_| !meta.file_type().is_symlink())
    {
        // Checked again here, under the lock, right before the rename.
        return Err(("checking what is there", io::Error::new(io::ErrorKind::InvalidInput, format!("it is {kind}"))));
    }
    let mut tmp =
        NamedTempFile::with_prefix_in(temp_prefix(config), dir).map_err(|e| ("creating a temporary file", e))?;
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
    fn parser_messages_keep_no_secret() {
        let token = format!("ATTA{}1B2C3D4E", "ab".repeat(32));
        let message = format!("invalid type: string \"{token}\", expected a boolean");
        assert_eq!(without_quoted(&message), "invalid type: string \"…\", expected a boolean");
        assert_eq!(without_quoted("unknown scope \"admin\": use read"), "unknown scope \"admin\": use read");
        assert_eq!(without_quoted("a \"long password of many words\" b"), "a \"…\" b");
        assert_eq!(without_quoted("cut \"ATTAabcdef0123"), "cut \"…");
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
