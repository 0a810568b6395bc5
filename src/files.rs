//! The one way trello-auth reads and replaces a file: regular files only, through a size cap, atomically, under a lock.
//!
//! A replacement takes the lock of its file, sweeps temp files a killed
//! replacement of the same file left behind, writes a temp file named after
//! its target in the same directory (0600 while it is written), fsyncs it,
//! keeps the previous file as `<name>.bak` the same way (what the backup
//! holds is the caller's choice: it may have to leave a secret out), renames
//! the temp file over the target and fsyncs the directory. A reader therefore
//! sees the whole old file or the whole new one, never a mix, and no temp file
//! outlives the next replacement. The config store and every client-config
//! writer (`mcp`) use this module; nothing else writes a file.
//!
//! The lock is a file in trello-auth's own 0700 folder (`locks/`, named
//! after the target's canonical path), never the target's folder: another
//! user who can open a project folder or a 0755 home cannot hold it. A
//! change waits for it at most [`LOCK_WAIT`], and says so after
//! [`LOCK_PATIENCE`]. A file of secrets ([`Dir::Private`]) is used only when
//! no one but its user (or root) can change it or any folder above it, as
//! ssh treats a key file. The system calls behind both are in `files/unix.rs`
//! and `files/windows.rs`: on Windows "no one else" is read from the file's
//! owner and access list, where Unix reads its owner and mode, and a file is
//! private through the access list it inherits from its folder (the user's
//! profile, under `%APPDATA%`) where Unix writes it 0600.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::NamedTempFile;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as platform;

/// How long a replacement retries when another program holds its target
/// open (Windows: an editor, a sync client, a virus scan), before it says so.
pub(crate) const BUSY_WAIT: Duration = Duration::from_secs(3);

/// How long a change waits for another trello-auth holding its file's lock
/// (a person answering a keyring prompt, at worst) before it gives up.
pub(crate) const LOCK_WAIT: Duration = Duration::from_secs(10);

/// How long a change waits for a lock before it says so.
pub(crate) const LOCK_PATIENCE: Duration = Duration::from_secs(1);

/// The name of trello-auth's own folder (`$XDG_CONFIG_HOME/trello-auth`).
const OWN_NAME: &str = "trello-auth";

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("could not read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{} is a directory", path.display())]
    IsDirectory { path: PathBuf },
    #[error("{} is {kind}, not a regular file", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{} is {size} bytes, larger than the {limit} bytes allowed", path.display())]
    TooLarge { path: PathBuf, size: u64, limit: u64 },
    #[error("could not save {}: {action} failed: {source}", path.display())]
    Write { path: PathBuf, action: &'static str, source: io::Error },
    #[error(
        "could not save {}: another trello-auth has held its lock ({}) for {seconds} s, so nothing was written{}",
        path.display(),
        lock.display(),
        crate::advice::why_fix(None, &format!(
            "let that one finish, or stop it (`fuser -v {}` names it), and run the command again",
            lock.display()
        ))
    )]
    Locked { path: PathBuf, lock: PathBuf, seconds: u64 },
    #[error(
        "could not save {}: another program has it open (an editor, a sync client or a virus scan) and kept it from \
         being replaced for {seconds} s, so it is as it was{}",
        path.display(),
        crate::advice::why_fix(None, "close it in that program, and run the command again")
    )]
    Busy { path: PathBuf, seconds: u64 },
    #[error(
        "refusing {}: {why}; another user could change it, and trello-auth would use what they put there, so \
         nothing was read or written{}",
        path.display(),
        crate::advice::why_fix(None, fix)
    )]
    Untrusted { path: PathBuf, why: String, fix: String },
    #[error(
        "no folder of trello-auth's own could be found for its lock files (is HOME set?); set HOME or XDG_CONFIG_HOME"
    )]
    NoOwnFolder,
}

/// What a change is waiting for, said after [`LOCK_PATIENCE`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct LockWait<'a> {
    /// The file it is about to change.
    pub target: &'a Path,
    /// The lock another trello-auth holds.
    pub lock: &'a Path,
}

impl std::fmt::Display for LockWait<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "waiting for another trello-auth to finish changing {} (it holds {}); giving up after {} s…",
            self.target.display(),
            self.lock.display(),
            LOCK_WAIT.as_secs()
        )
    }
}

/// A file as it was read: its text and permission bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub text: String,
    /// The Unix permission bits a replacement keeps (0 on Windows, where a
    /// replacement gets its folder's access list).
    pub mode: u32,
    /// Who besides its owner may read it, in words with how that shows
    /// (`others (mode 0644)`), when anyone may.
    pub readers: Option<String>,
}

/// Who owns a file and who else may change or read it, as the system says.
#[derive(Debug, Clone)]
pub(crate) struct Access {
    pub owner: platform::Owner,
    /// Where the rights below show, for messages: `mode 0606`, `its access list`.
    pub shown: String,
    /// Who besides the owner (and the system) may change it, in words (`others`, `its group`, `Everyone`).
    pub writers: Option<String>,
    /// Who besides the owner (and the system) may read it, in words.
    pub readers: Option<String>,
    /// Sticky folder (`/tmp`): only an entry's owner may rename or delete it.
    pub sticky: bool,
    /// The Unix permission bits (0 on Windows).
    pub mode: u32,
}

/// A file others may read that standard output goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SharedFile {
    /// Its path, or words for it where the system does not name it.
    pub path: String,
    /// Who besides its owner may read it, with how that shows (`others (mode 0644)`).
    pub readers: String,
    /// The command that makes it private (`` `chmod 600 '/w/.env'` ``).
    pub fix: String,
}

/// The file standard output goes to, when it is a regular file anyone but
/// its owner may read.
pub(crate) fn stdout_readers() -> Option<SharedFile> {
    platform::stdout_readers()
}

/// What the next save does about a config file others may read.
pub(crate) const READERS_ON_SAVE: &str = platform::READERS_ON_SAVE;

/// What a new file's permissions are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 0600: the file may hold a secret.
    Private,
    /// The previous file's mode, or 0644 for a new file: a file meant to be shared.
    KeepOrShared,
    /// The previous file's mode, or 0600 for a new file: another program's
    /// file that may come to hold a secret (an MCP client's config).
    KeepOrPrivate,
}

/// What `<name>.bak` holds after a replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Backup {
    /// No backup is written (an existing one is left as it is); only the
    /// lock tests need a write without one.
    #[cfg(test)]
    None,
    /// The previous file, byte for byte.
    Previous,
    /// The previous file as the caller rewrote it (a secret left out).
    Text(String),
}

/// Where a replacement went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Written {
    pub path: PathBuf,
    /// The previous file, when there was one and a backup was asked for.
    pub backup: Option<PathBuf>,
}

/// What the directory of a new file should be like, and whose the file must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// A file of secrets: its directory is created 0700 (an existing one named
    /// `owned_name` is tightened to 0700), and the file, any link to it and
    /// every folder above must be changeable only by the user or root ([`check_private`]).
    Private { owned_name: &'static str },
    /// Created with the usual permissions.
    Shared,
}

/// A replacement in progress: the file is locked and the old file read.
/// Dropping it without [`Replace::commit`] changes nothing.
pub struct Replace {
    target: PathBuf,
    lock: Lock,
    pub old: Option<Existing>,
}

/// The lock of a replaced file, still held: what else belongs to the change
/// (keyring entries) is done before it is dropped.
pub(crate) struct Held {
    _lock: Lock,
}

impl Replace {
    /// Resolves `path` (a symlink to a regular file is followed, so a dotfile
    /// manager's link stays a link), creates its directory, takes the lock
    /// (waiting at most [`LOCK_WAIT`], silently), sweeps this file's stale
    /// temp files and reads the old file through `limit`.
    pub(crate) fn begin(path: &Path, limit: u64, dir: Dir) -> Result<Replace, FileError> {
        Replace::begin_waiting(path, limit, dir, &|_| {})
    }

    /// [`Replace::begin`], calling `waiting` once when the lock takes longer than [`LOCK_PATIENCE`].
    pub(crate) fn begin_waiting(
        path: &Path,
        limit: u64,
        dir: Dir,
        waiting: &dyn Fn(&LockWait),
    ) -> Result<Replace, FileError> {
        let target = write_target(path)?;
        let parent = parent_dir(&target).to_path_buf();
        let write_error = |action, source| FileError::Write { path: target.clone(), action, source };
        ensure_dir(&parent, dir).map_err(|source| write_error("creating the directory", source))?;
        if matches!(dir, Dir::Private { .. }) {
            // Before the lock, so a refused folder is said at once.
            check_private(path, &target, None)?;
        }
        let lock = lock(&target, waiting)?;
        remove_stale_temp_files(&target);
        let old = match open_regular(&target, limit)? {
            Some((old, access)) => {
                if matches!(dir, Dir::Private { .. }) {
                    check_private(path, &target, Some(&access))?;
                }
                Some(old)
            }
            None => None,
        };
        Ok(Replace { target, lock, old })
    }

    /// The file that will be replaced (the real file behind a symlink).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` in place of the old file, after the backup, and lets go of the lock.
    #[cfg(test)]
    pub(crate) fn commit(self, bytes: &[u8], mode: Mode, backup: Backup) -> Result<Written, FileError> {
        self.commit_held(bytes, mode, backup).map(|(written, _)| written)
    }

    /// [`Replace::commit`], keeping the lock until the [`Held`] is dropped.
    pub(crate) fn commit_held(self, bytes: &[u8], mode: Mode, backup: Backup) -> Result<(Written, Held), FileError> {
        let backup: Option<&[u8]> = match (&self.old, &backup) {
            (None, _) => None,
            #[cfg(test)]
            (_, Backup::None) => None,
            (Some(old), Backup::Previous) => Some(old.text.as_bytes()),
            (Some(_), Backup::Text(text)) => Some(text.as_bytes()),
        };
        let written = self.write(&[bytes], mode, backup.as_ref().map(std::slice::from_ref))?;
        Ok((written, Held { _lock: self.lock }))
    }

    /// As [`Replace::commit`], with the new file and its backup (when there
    /// was an old file) each given as pieces written one after another: a
    /// large file edited in one place is never copied whole in memory. It
    /// borrows the replacement, so the pieces may be cut from [`Replace::old`];
    /// the lock is held until the replacement is dropped.
    pub(crate) fn commit_pieces(
        &self,
        pieces: &[&[u8]],
        mode: Mode,
        backup: Option<&[&[u8]]>,
    ) -> Result<Written, FileError> {
        self.write(pieces, mode, backup.filter(|_| self.old.is_some()))
    }

    fn write(&self, pieces: &[&[u8]], mode: Mode, backup: Option<&[&[u8]]>) -> Result<Written, FileError> {
        let mode = match (mode, &self.old) {
            (Mode::Private, _) => 0o600,
            (Mode::KeepOrShared | Mode::KeepOrPrivate, Some(old)) => old.mode,
            (Mode::KeepOrShared, None) => 0o644,
            (Mode::KeepOrPrivate, None) => 0o600,
        };
        let backup = match backup {
            Some(pieces) => {
                let path = backup_path(&self.target);
                // A backup is always private: it may hold what the new file no longer does.
                write_atomically(&self.target, &path, pieces, 0o600)?;
                Some(path)
            }
            None => None,
        };
        write_atomically(&self.target, &self.target, pieces, mode)?;
        Ok(Written { path: self.target.clone(), backup })
    }
}

/// 1-based line and column (in characters) of a byte offset in a file's text,
/// for messages that point at a place in a file the user edits.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where the previous version of `path` is kept: `config.toml` → `config.toml.bak`.
pub(crate) fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak")
}

/// `path` with `suffix` added to its file name (`config.toml` → `config.toml.bak`).
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// `path` absolute with every link resolved, also for a file not made yet
/// (its directory resolved, its name kept): two names of one file compare
/// equal, a copy or a moved file does not.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    let parent = parent_dir(path);
    let dir =
        fs::canonicalize(parent).or_else(|_| std::path::absolute(parent)).unwrap_or_else(|_| parent.to_path_buf());
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// The directory a file lives in (`.` for a bare name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// What a file type is, in words, when it is not a regular file.
pub(crate) fn kind_of(file_type: &fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    Some(platform::special_kind(file_type).unwrap_or(if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }))
}

fn check_regular(path: &Path, file_type: &fs::FileType) -> Result<(), FileError> {
    match kind_of(file_type) {
        None => Ok(()),
        Some("a directory") => Err(FileError::IsDirectory { path: path.to_path_buf() }),
        Some(kind) => Err(FileError::NotAFile { path: path.to_path_buf(), kind }),
    }
}

/// Reads `path` if it is a regular file: opened once without blocking (a FIFO
/// would wait forever for a writer), checked through the open handle (no
/// swap between a check and the read), and read through `limit` (a device
/// such as `/dev/zero` never ends). `Ok(None)` when there is no file.
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Option<Existing>, FileError> {
    Ok(open_regular(path, limit)?.map(|(existing, _)| existing))
}

/// [`read_regular`] for a file of secrets: refused, before its text is
/// used, when anyone but the user or root could have changed it ([`check_private`]).
pub(crate) fn read_private(path: &Path, limit: u64) -> Result<Option<Existing>, FileError> {
    let Some((existing, access)) = open_regular(path, limit)? else { return Ok(None) };
    check_private(path, &canonical(path), Some(&access))?;
    Ok(Some(existing))
}

/// [`read_regular`], with who owns the open file and who else may use it.
fn open_regular(path: &Path, limit: u64) -> Result<Option<(Existing, Access)>, FileError> {
    let read_error = |source| FileError::Read { path: path.to_path_buf(), source };
    let file = match platform::open_to_read(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_error(e)),
    };
    let meta = file.metadata().map_err(read_error)?;
    check_regular(path, &meta.file_type())?;
    if meta.len() > limit {
        return Err(FileError::TooLarge { path: path.to_path_buf(), size: meta.len(), limit });
    }
    // Sized once: a large file read in doubling steps would briefly need twice its size.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    // One byte past the cap tells a file that grew since the check.
    (&file).take(limit + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { path: path.to_path_buf(), size: bytes.len() as u64, limit });
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| read_error(io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text")))?;
    let access = platform::access_of_file(&file).map_err(read_error)?;
    Ok(Some((
        Existing {
            text,
            mode: access.mode,
            readers: access.readers.as_ref().map(|r| format!("{r} ({})", access.shown)),
        },
        access,
    )))
}

/// Whether a file of secrets can be trusted: no one but the user (or root,
/// who can change anything anyway, as ssh allows; on Windows the system and
/// the Administrators) can have changed it. `named` is the path as given,
/// `real` the file behind it, `file` who owns the open file and who may use
/// it (`None`: not made yet). Refused when `named` is a link owned by
/// another user; when the file is owned by another user or writable by its
/// group or by others; or when a folder above either is owned by another
/// user or writable by its group or others, unless it is sticky (`/tmp`) and
/// the entry below it is the user's or root's, which only they can then
/// rename or replace. Group-writable counts even for a group of one: which
/// groups have one member cannot be known here. On Windows "writable" is any
/// allowing entry of the access list that lets another account write,
/// delete, or change the list or the owner (a folder's right to add a
/// new entry alone does not count: what is added is not the user's, and
/// refused as such).
pub(crate) fn check_private(named: &Path, real: &Path, file: Option<&Access>) -> Result<(), FileError> {
    let me = platform::owner_words(&platform::me());
    let also = platform::ALSO_TRUSTED;
    let untrusted = |why: String, fix: String| Err(FileError::Untrusted { path: named.to_path_buf(), why, fix });
    if let Ok(link) = fs::symlink_metadata(named)
        && link.file_type().is_symlink()
    {
        let access = platform::access_of_path(named, false).map_err(|e| FileError::Untrusted {
            path: named.to_path_buf(),
            why: format!("it is a link whose owner could not be read ({e})"),
            fix: platform::fix_link(named),
        })?;
        if !platform::trusted(&access.owner) {
            return untrusted(
                format!(
                    "it is a symbolic link owned by {}, not by you ({me}) or {also}",
                    platform::owner_words(&access.owner)
                ),
                platform::fix_link(named),
            );
        }
        check_folders(named, &canonical(parent_dir(named)), access.owner)?;
    }
    let owner = match file {
        None => platform::me(),
        Some(access) if !platform::trusted(&access.owner) => {
            return untrusted(
                format!("it is owned by {}, not by you ({me}) or {also}", platform::owner_words(&access.owner)),
                platform::fix_owner(real),
            );
        }
        Some(Access { writers: Some(by), shown, .. }) => {
            return untrusted(format!("it can be written by {by} ({shown})"), platform::fix_writers(real));
        }
        // A uid (Copy) on Unix, a SID string on Windows.
        #[allow(clippy::clone_on_copy)]
        Some(access) => access.owner.clone(),
    };
    check_folders(named, &canonical(parent_dir(real)), owner)
}

/// The folder `folder` and every one above it, for [`check_private`];
/// `below` owns the entry in `folder` the path goes through.
fn check_folders(named: &Path, folder: &Path, mut below: platform::Owner) -> Result<(), FileError> {
    let me = platform::owner_words(&platform::me());
    let also = platform::ALSO_TRUSTED;
    for dir in folder.ancestors() {
        let untrusted = |why: String, fix: String| FileError::Untrusted { path: named.to_path_buf(), why, fix };
        let access = platform::access_of_path(dir, true).map_err(|e| {
            untrusted(
                format!("its folder {} could not be checked ({e})", dir.display()),
                "name a file in a folder you own".into(),
            )
        })?;
        if !platform::trusted(&access.owner) {
            return Err(untrusted(
                format!(
                    "its folder {} is owned by {}, not by you ({me}) or {also}",
                    dir.display(),
                    platform::owner_words(&access.owner)
                ),
                "keep the file in a folder of your own".into(),
            ));
        }
        if let Some(by) = &access.writers
            && !(access.sticky && platform::trusted(&below))
        {
            return Err(untrusted(
                format!("its folder {} can be written by {by} ({})", dir.display(), access.shown),
                platform::fix_folder(dir),
            ));
        }
        below = access.owner;
    }
    Ok(())
}

/// The real file behind a symlink, so a replacement replaces the file, not
/// the link; refused when that is not a regular file (a device, a FIFO, a
/// socket, a directory) or the link points nowhere.
fn write_target(path: &Path) -> Result<PathBuf, FileError> {
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(real) => real,
            // A dangling link: writing would create a file wherever it points.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(FileError::NotAFile { path: path.to_path_buf(), kind: "a symbolic link to nothing" });
            }
            Err(source) => return Err(FileError::Read { path: path.to_path_buf(), source }),
        },
        _ => path.to_path_buf(),
    };
    // Missing, or unreachable (a parent that is a file): creating the
    // directory says why, with the right words.
    if let Ok(meta) = fs::symlink_metadata(&target) {
        check_regular(path, &meta.file_type())?;
    }
    Ok(target)
}

fn ensure_dir(dir: &Path, policy: Dir) -> io::Result<()> {
    if !dir.exists() {
        return match policy {
            Dir::Private { .. } => platform::create_private_dirs(dir),
            Dir::Shared => fs::create_dir_all(dir),
        };
    }
    if !dir.is_dir() {
        return Err(io::Error::new(io::ErrorKind::NotADirectory, format!("{} is not a directory", dir.display())));
    }
    // Our own directory is tightened; any other (a `--config` elsewhere) is left alone.
    if let Dir::Private { owned_name } = policy
        && dir.file_name().is_some_and(|n| n == owned_name)
    {
        platform::tighten_dir(dir)?;
    }
    Ok(())
}

/// A folder of trello-auth's own data (the pinned MCP server): made private
/// (0700; on Windows, with its parent's access list) when missing; when it
/// exists, it must be a folder (a link is not followed) of this user's, and
/// is made private if others could write it. The words of a refusal.
pub(crate) fn own_folder(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        platform::create_private_dirs(dir).map_err(|e| e.to_string())?;
    }
    let meta = fs::symlink_metadata(dir).map_err(|e| e.to_string())?;
    if !meta.is_dir() {
        return Err("it is not a folder (a link is not followed here)".into());
    }
    let access = platform::access_of_path(dir, false).map_err(|e| e.to_string())?;
    if access.owner != platform::me() {
        return Err(format!(
            "it belongs to another user ({}), who could change what the entry runs; remove it, or set \
             XDG_DATA_HOME to a folder of your own",
            platform::owner_words(&access.owner)
        ));
    }
    if let Some(by) = access.writers {
        platform::tighten_dir(dir).map_err(|e| e.to_string())?;
        if platform::access_of_path(dir, false).map_err(|e| e.to_string())?.writers.is_some() {
            return Err(format!("{by} can write it ({}): {}", access.shown, platform::fix_folder(dir)));
        }
    }
    Ok(())
}

/// trello-auth's own folder (`$XDG_CONFIG_HOME/trello-auth` on Linux,
/// `%APPDATA%\trello-auth` on Windows): the default config file, and the
/// lock files of every file it changes. (Not `ProjectDirs`, which on Windows
/// adds a `config` folder below the program's.)
pub(crate) fn own_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.config_dir().join(OWN_NAME))
}

/// The lock file's name for a file at the canonical path `target`: a hash of
/// the path, so it is one name whatever the path holds, the same in every
/// build (SHA-256, not the standard library's unspecified hasher).
pub fn lock_name(target: &Path) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, target.as_os_str().as_encoded_bytes());
    let hex: String = digest.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.lock")
}

/// The lock of one file: a file in our own `locks` folder, held with `flock`
/// (`LockFileEx` on Windows) until dropped. Nobody else can open it, so
/// nobody else can hold it.
struct Lock {
    file: File,
    folder: platform::Folder,
    name: String,
}

impl Drop for Lock {
    /// Removed while still held, so one empty file per path ever changed does
    /// not pile up: a process that opened it meanwhile finds the name gone
    /// once it gets the lock, and takes the lock of the file now under that name.
    fn drop(&mut self) {
        if platform::still_named(&self.folder, &self.name, &self.file) {
            platform::remove_in(&self.folder, &self.name);
        }
    }
}

/// Takes the lock of `target`, waiting at most [`LOCK_WAIT`]; `waiting` is
/// called once after [`LOCK_PATIENCE`]. Polled, not blocked on: a wait with
/// a bound, and a word to the person when it is long.
fn lock(target: &Path, waiting: &dyn Fn(&LockWait)) -> Result<Lock, FileError> {
    let (folder_path, folder) = locks_folder()?;
    let name = lock_name(&canonical(target));
    let lock_path = folder_path.join(&name);
    let fail = |action, source| FileError::Write { path: target.to_path_buf(), action, source };
    let started = Instant::now();
    let mut said = false;
    loop {
        let file = platform::open_in(&folder, &name).map_err(|e| fail("opening its lock file", e))?;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => return Err(fail("locking", e)),
            }
            let waited = started.elapsed();
            if waited >= LOCK_WAIT {
                return Err(FileError::Locked {
                    path: target.to_path_buf(),
                    lock: lock_path,
                    seconds: LOCK_WAIT.as_secs(),
                });
            }
            if !said && waited >= LOCK_PATIENCE {
                said = true;
                waiting(&LockWait { target, lock: &lock_path });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if platform::still_named(&folder, &name, &file) {
            return Ok(Lock { file, folder, name });
        }
    }
}

/// Our own `locks` folder, opened: made 0700 in our own folder, which must
/// be changeable by no one else (nor any folder above it); the `locks` folder
/// itself must be a folder, not a link, owned by the user (tightened to 0700
/// if it was opened up).
fn locks_folder() -> Result<(PathBuf, platform::Folder), FileError> {
    let own = own_dir().ok_or(FileError::NoOwnFolder)?;
    let path = own.join("locks");
    let fail = |action, source| FileError::Write { path: path.clone(), action, source };
    ensure_dir(&own, Dir::Private { owned_name: OWN_NAME }).map_err(|e| fail("creating the directory", e))?;
    check_folders(&path, &canonical(&own), platform::me())?;
    platform::make_private_folder(&path).map_err(|e| fail("creating the directory", e))?;
    let folder = platform::open_folder(&path).map_err(|e| fail("opening the directory", e))?;
    let access = platform::folder_access(&folder).map_err(|e| fail("opening the directory", e))?;
    if access.owner != platform::me() {
        return Err(FileError::Untrusted {
            path: path.clone(),
            why: format!(
                "it is owned by {}, not by you ({})",
                platform::owner_words(&access.owner),
                platform::owner_words(&platform::me())
            ),
            fix: format!("remove it ({}); trello-auth makes its own", platform::fix_remove_folder(&path)),
        });
    }
    if access.mode & 0o077 != 0 {
        platform::tighten(&folder).map_err(|e| fail("setting permissions", e))?;
    }
    // Unix has just made it 0700; Windows keeps the list it inherited, so a
    // folder another account may write is refused there rather than used.
    if access.writers.is_some()
        && let Some(by) = platform::folder_access(&folder).map_err(|e| fail("opening the directory", e))?.writers
    {
        return Err(FileError::Untrusted {
            path: path.clone(),
            why: format!("it can be written by {by} ({})", access.shown),
            fix: format!("remove it ({}); trello-auth makes its own", platform::fix_remove_folder(&path)),
        });
    }
    Ok((path, folder))
}

/// The prefix of the temp files a replacement of `target` writes: `.config.toml.tmp-`.
/// Each file has its own, so a sweep never touches another file's.
fn temp_prefix(target: &Path) -> String {
    format!(".{}.tmp-", target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())
}

/// Deletes temp files a killed replacement of this file left behind: they may
/// hold credentials. Called under the lock, when no replacement in this
/// directory can be writing one.
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

/// Temp file next to `target` (named after it, so its own sweep finds it),
/// `pieces` one after another, 0600 while written, then `mode`, fsync,
/// rename over `path`, fsync the directory. `path` is the target or its backup. Refuses to replace anything
/// but a regular file, checked again here, right before the rename.
fn write_atomically(target: &Path, path: &Path, pieces: &[&[u8]], mode: u32) -> Result<(), FileError> {
    let fail = |action, source| FileError::Write { path: path.to_path_buf(), action, source };
    let dir = parent_dir(target);
    if let Ok(meta) = fs::symlink_metadata(path)
        && let Some(kind) = kind_of(&meta.file_type()).filter(|_| !meta.file_type().is_symlink())
    {
        return Err(fail(
            "checking what is there",
            io::Error::new(io::ErrorKind::InvalidInput, format!("it is {kind}")),
        ));
    }
    let mut tmp =
        NamedTempFile::with_prefix_in(temp_prefix(target), dir).map_err(|e| fail("creating a temporary file", e))?;
    platform::set_mode(tmp.as_file(), 0o600).map_err(|e| fail("setting permissions", e))?;
    for piece in pieces {
        tmp.write_all(piece).map_err(|e| fail("writing", e))?;
    }
    if mode != 0o600 {
        platform::set_mode(tmp.as_file(), mode).map_err(|e| fail("setting permissions", e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail("flushing to disk", e))?;
    // A rename over a file another program holds open without sharing its
    // deletion fails on Windows (never on Unix): such a hold is mostly brief
    // (a virus scan, a sync client), so it is retried for a moment.
    let started = Instant::now();
    loop {
        match tmp.persist(path) {
            Ok(_) => break,
            Err(e) if platform::is_busy(&e.error) && started.elapsed() < BUSY_WAIT => {
                tmp = e.file;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) if platform::is_busy(&e.error) => {
                return Err(FileError::Busy { path: path.to_path_buf(), seconds: BUSY_WAIT.as_secs() });
            }
            Err(e) => return Err(fail("replacing the file", e.error)),
        }
    }
    platform::sync_dir(dir).map_err(|e| fail("flushing the directory", e))?;
    Ok(())
}

/// Unix's permission bits and `flock`, tested where they are.
#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn sibling_names() {
        assert_eq!(sibling(Path::new("/x/config.toml"), ".bak"), PathBuf::from("/x/config.toml.bak"));
        assert_eq!(temp_prefix(Path::new("/x/.mcp.json")), "..mcp.json.tmp-");
    }

    #[test]
    fn a_replacement_keeps_the_old_file_as_asked_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let replace = Replace::begin(&path, 1024, Dir::Shared).unwrap();
        assert_eq!(replace.old.as_ref().unwrap().text, "old");
        let written = replace.commit(b"new", Mode::KeepOrShared, Backup::Text("o-d".into())).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        let backup = written.backup.unwrap();
        assert_eq!(fs::read_to_string(&backup).unwrap(), "o-d");
        assert_eq!(fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
        let names: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn stale_temp_files_of_this_file_only_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        fs::write(dir.path().join(".a.json.tmp-XYZ"), "token").unwrap();
        fs::write(dir.path().join(".b.json.tmp-XYZ"), "other").unwrap();
        Replace::begin(&path, 1024, Dir::Shared).unwrap().commit(b"{}", Mode::Private, Backup::Previous).unwrap();
        assert!(!dir.path().join(".a.json.tmp-XYZ").exists());
        assert!(dir.path().join(".b.json.tmp-XYZ").exists());
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    /// The name is the same in every build and for every spelling of one
    /// path that resolves alike (the caller passes the canonical path).
    #[test]
    fn lock_names_are_a_stable_hash_of_the_path() {
        let name = lock_name(Path::new("/home/ann/.config/trello-auth/config.toml"));
        assert_eq!(name, "9df62c15475cf8e0355fa69a6176b289.lock");
        assert_ne!(lock_name(Path::new("/home/ann/.codex/config.toml")), name);
    }

    /// A second change of the same file waits for the first, says so once
    /// after a moment, and gets the lock as soon as the first lets go; no
    /// lock file is left behind.
    #[test]
    fn a_second_change_waits_for_the_first_and_no_lock_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        let first = Replace::begin(&path, 1024, Dir::Shared).unwrap();
        let lock = first.lock.folder.try_clone().unwrap();
        let name = lock_name(&canonical(&path));
        let said = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let heard = said.clone();
        let (path2, started) = (path.clone(), Instant::now());
        let second = std::thread::spawn(move || {
            let replace =
                Replace::begin_waiting(&path2, 1024, Dir::Shared, &|w| heard.lock().unwrap().push(w.to_string()))
                    .unwrap();
            (started.elapsed(), replace.commit(b"second", Mode::Private, Backup::None).unwrap())
        });
        std::thread::sleep(LOCK_PATIENCE + Duration::from_millis(300));
        first.commit(b"first", Mode::Private, Backup::None).unwrap();
        let (waited, _) = second.join().unwrap();
        assert!(waited >= LOCK_PATIENCE, "{waited:?}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "second");
        let said = said.lock().unwrap();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains(&path.display().to_string()) && said[0].contains(&name), "{said:?}");
        assert!(rustix::fs::statat(&lock, name.as_str(), rustix::fs::AtFlags::empty()).is_err());
    }

    fn refusal(named: &Path) -> String {
        let access = platform::access_of_path(named, true).ok();
        match check_private(named, &canonical(named), access.as_ref()) {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    /// Who may change a file of secrets, and each folder above it.
    #[test]
    fn a_file_of_secrets_is_used_only_when_no_one_else_can_change_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        fs::write(&file, "").unwrap();
        for (mode, refused) in [(0o600, ""), (0o644, ""), (0o620, "written by its group"), (0o602, "written by others")]
        {
            fs::set_permissions(&file, fs::Permissions::from_mode(mode)).unwrap();
            let said = refusal(&file);
            assert!(if refused.is_empty() { said.is_empty() } else { said.contains(refused) }, "{mode:o}: {said}");
        }
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
        // An open folder lets anyone swap the file; a sticky one does not, for a file of one's own.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let said = refusal(&file);
        assert!(
            said.contains("its folder") && said.contains("written by others") && said.contains("chmod go-w"),
            "{said}"
        );
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        assert_eq!(refusal(&file), "");
        // A file not made yet, in an open folder: refused before it is written.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let new = dir.path().join("new.toml");
        assert!(check_private(&new, &new, None).is_err());
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
        assert!(check_private(&new, &new, None).is_ok());
    }
}
