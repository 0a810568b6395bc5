//! The one way trello-auth reads and replaces a file: regular files only, through a size cap, atomically, under a lock.
//!
//! A replacement takes a lock on the file's directory, sweeps temp files a
//! killed replacement of the same file left behind, writes a temp file named
//! after its target in the same directory (0600 while it is written), fsyncs
//! it, keeps the previous file as `<name>.bak` the same way (what the backup
//! holds is the caller's choice: it may have to leave a secret out), renames
//! the temp file over the target and fsyncs the directory. A reader therefore
//! sees the whole old file or the whole new one, never a mix, and no temp file
//! outlives the next replacement. The config store and every client-config
//! writer (`mcp`) use this module; nothing else writes a file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

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
}

/// A file as it was read: its text and permission bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub text: String,
    pub mode: u32,
}

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
pub enum Backup {
    /// No backup is written (an existing one is left as it is).
    None,
    /// The previous file, byte for byte.
    Previous,
    /// The previous file as the caller rewrote it (a secret left out).
    Text(String),
}

/// Where a replacement went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// The previous file, when there was one and a backup was asked for.
    pub backup: Option<PathBuf>,
}

/// What the directory of a new file should be like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Created 0700; an existing directory named `owned_name` is tightened to 0700.
    Private { owned_name: &'static str },
    /// Created with the usual permissions.
    Shared,
}

/// A replacement in progress: the directory is locked and the old file read.
/// Dropping it without [`Replace::commit`] changes nothing.
pub struct Replace {
    target: PathBuf,
    _lock: File,
    pub old: Option<Existing>,
}

impl Replace {
    /// Resolves `path` (a symlink to a regular file is followed, so a dotfile
    /// manager's link stays a link), creates its directory, takes the lock,
    /// sweeps this file's stale temp files and reads the old file through `limit`.
    pub fn begin(path: &Path, limit: u64, dir: Dir) -> Result<Replace, FileError> {
        let target = write_target(path)?;
        let parent = parent_dir(&target).to_path_buf();
        let write_error = |action, source| FileError::Write { path: target.clone(), action, source };
        ensure_dir(&parent, dir).map_err(|source| write_error("creating the directory", source))?;
        let lock = lock_dir(&parent).map_err(|source| write_error("locking", source))?;
        remove_stale_temp_files(&target);
        let old = read_regular(&target, limit)?;
        Ok(Replace { target, _lock: lock, old })
    }

    /// The file that will be replaced (the real file behind a symlink).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` in place of the old file, after the backup.
    pub fn commit(self, bytes: &[u8], mode: Mode, backup: Backup) -> Result<Written, FileError> {
        let backup: Option<&[u8]> = match (&self.old, &backup) {
            (None, _) | (_, Backup::None) => None,
            (Some(old), Backup::Previous) => Some(old.text.as_bytes()),
            (Some(_), Backup::Text(text)) => Some(text.as_bytes()),
        };
        let written = self.write(&[bytes], mode, backup.as_ref().map(std::slice::from_ref))?;
        Ok(written)
    }

    /// As [`Replace::commit`], with the new file and its backup (when there
    /// was an old file) each given as pieces written one after another: a
    /// large file edited in one place is never copied whole in memory. It
    /// borrows the replacement, so the pieces may be cut from [`Replace::old`];
    /// the lock is held until the replacement is dropped.
    pub fn commit_pieces(&self, pieces: &[&[u8]], mode: Mode, backup: Option<&[&[u8]]>) -> Result<Written, FileError> {
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
                let path = sibling(&self.target, ".bak");
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
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `path` with `suffix` added to its file name (`config.toml` → `config.toml.bak`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
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
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// What a file type is, in words, when it is not a regular file.
pub fn kind_of(file_type: &fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_file() {
        return None;
    }
    type Is = fn(&fs::FileType) -> bool;
    let kinds: [(Is, &'static str); 6] = [
        (fs::FileType::is_dir, "a directory"),
        (FileTypeExt::is_char_device, "a character device"),
        (FileTypeExt::is_block_device, "a block device"),
        (FileTypeExt::is_fifo, "a FIFO (named pipe)"),
        (FileTypeExt::is_socket, "a socket"),
        (fs::FileType::is_symlink, "a symbolic link"),
    ];
    Some(kinds.iter().find(|(is, _)| is(file_type)).map_or("not a regular file", |(_, kind)| kind))
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
pub fn read_regular(path: &Path, limit: u64) -> Result<Option<Existing>, FileError> {
    let read_error = |source| FileError::Read { path: path.to_path_buf(), source };
    let file = match OpenOptions::new().read(true).custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32).open(path) {
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
    file.take(limit + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { path: path.to_path_buf(), size: bytes.len() as u64, limit });
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| read_error(io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text")))?;
    Ok(Some(Existing { text, mode: meta.permissions().mode() & 0o777 }))
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
            Dir::Private { .. } => {
                fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            }
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
        let mode = fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// An exclusive lock on the directory itself, held until dropped: no lock
/// file is left beside a user's file (a project's `.mcp.json`), and nothing
/// is created through a planted link.
fn lock_dir(dir: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags((rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::NOFOLLOW).bits() as i32)
        .open(dir)?;
    file.lock()?;
    Ok(file)
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
    tmp.as_file().set_permissions(fs::Permissions::from_mode(0o600)).map_err(|e| fail("setting permissions", e))?;
    for piece in pieces {
        tmp.write_all(piece).map_err(|e| fail("writing", e))?;
    }
    if mode != 0o600 {
        tmp.as_file().set_permissions(fs::Permissions::from_mode(mode)).map_err(|e| fail("setting permissions", e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail("flushing to disk", e))?;
    tmp.persist(path).map_err(|e| fail("replacing the file", e.error))?;
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| fail("flushing the directory", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
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
}
