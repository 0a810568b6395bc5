//! The Unix side of `files`: who owns a file and who may read or write it (its mode), lock files opened inside a folder of our own, and the system calls of a replacement.
//!
//! Everything here is a thin call into the system; what is trusted, and what
//! a lock means, is decided in `files`. `files/windows.rs` gives the same
//! functions for Windows.

use std::fs::{self, File, Metadata};
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use rustix::fs::{AtFlags, Mode, OFlags};

use super::Access;

/// Who owns a file: a user id.
pub(crate) type Owner = u32;

/// The user this process acts as.
pub fn me() -> Owner {
    rustix::process::geteuid().as_raw()
}

/// Whether a file of `owner` may hold secrets: the user's own, or root's
/// (who can change anything anyway, as ssh allows).
pub fn trusted(owner: &Owner) -> bool {
    *owner == me() || *owner == 0
}

/// An owner in a message: `uid 1000`.
pub(crate) fn owner_words(owner: &Owner) -> String {
    format!("uid {owner}")
}

/// Who, besides the user, may own a file of secrets.
pub(crate) const ALSO_TRUSTED: &str = "root";

/// A path as a command to fix it names it: a POSIX shell word.
pub fn shown(path: &Path) -> String {
    crate::shell::sh_word(&path.to_string_lossy())
}

/// The fix for a file of secrets owned by someone else.
pub(crate) fn fix_owner(real: &Path) -> String {
    let path = shown(real);
    format!(
        "if you did not make it, move it away (`mv {path} {path}.untrusted`) and set up your own with \
         `trello-auth`; if it is yours, take it back with `sudo chown {} {path}`",
        me()
    )
}

/// The fix for a link to a file of secrets owned by someone else.
pub(crate) fn fix_link(named: &Path) -> String {
    format!("remove the link (`rm {}`) and name your own file", shown(named))
}

/// The fix for a file of secrets others may write.
pub(crate) fn fix_writers(real: &Path) -> String {
    format!("`chmod go-w {}`, then check that it holds only what you saved", shown(real))
}

/// The fix for a folder others may write, above a file of secrets.
pub(crate) fn fix_folder(dir: &Path) -> String {
    format!("`chmod go-w {}`, or keep the file in a folder only you can write", shown(dir))
}

/// The command that removes a folder that is not ours.
pub(crate) fn fix_remove_folder(dir: &Path) -> String {
    format!("`rm -r {}`", shown(dir))
}

/// The file standard output goes to, when it is a regular file anyone but
/// its owner may read.
pub(crate) fn stdout_readers() -> Option<super::SharedFile> {
    use std::os::fd::AsFd;
    let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
    let meta = File::from(fd).metadata().ok()?;
    let access = access(&meta);
    if !meta.is_file() || access.mode & 0o044 == 0 {
        return None;
    }
    // Linux names an open file's path; elsewhere the words do.
    let path = fs::read_link("/proc/self/fd/1").ok();
    Some(super::SharedFile {
        path: path.as_ref().map_or_else(|| "the file standard output goes to".into(), |p| p.display().to_string()),
        readers: format!("others ({})", access.shown),
        fix: path.as_deref().map_or_else(|| "`chmod 600` on it".to_string(), fix_readers),
    })
}

/// The fix for a file others may read that holds credentials now.
pub(crate) fn fix_readers(path: &Path) -> String {
    format!("`chmod 600 {}`", shown(path))
}

/// What the next save does about a config file others may read.
pub(crate) const READERS_ON_SAVE: &str = "it will be tightened to 600 on the next save";

fn access(meta: &Metadata) -> Access {
    let mode = meta.mode() & 0o7777;
    let by = |group: u32, others: u32| {
        if mode & others != 0 {
            Some("others".to_string())
        } else if mode & group != 0 {
            Some("its group".to_string())
        } else {
            None
        }
    };
    Access {
        owner: meta.uid(),
        shown: format!("mode {mode:04o}"),
        writers: by(0o020, 0o002),
        readers: by(0o040, 0o004),
        sticky: mode & 0o1000 != 0,
        mode: mode & 0o777,
    }
}

/// Who owns an open file and who else may change or read it.
pub(crate) fn access_of_file(file: &File) -> io::Result<Access> {
    Ok(access(&file.metadata()?))
}

/// [`access_of_file`] by path; a link is followed only when `follow`.
pub(crate) fn access_of_path(path: &Path, follow: bool) -> io::Result<Access> {
    Ok(access(&if follow { fs::metadata(path)? } else { fs::symlink_metadata(path)? }))
}

/// A file type that is neither a regular file, a folder nor a link, in words.
pub(crate) fn special_kind(file_type: &fs::FileType) -> Option<&'static str> {
    type Is = fn(&fs::FileType) -> bool;
    let kinds: [(Is, &'static str); 4] = [
        (FileTypeExt::is_char_device, "a character device"),
        (FileTypeExt::is_block_device, "a block device"),
        (FileTypeExt::is_fifo, "a FIFO (named pipe)"),
        (FileTypeExt::is_socket, "a socket"),
    ];
    kinds.iter().find(|(is, _)| is(file_type)).map(|(_, kind)| *kind)
}

/// Opens a file to read it without blocking: a FIFO would wait forever for a writer.
pub(crate) fn open_to_read(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new().read(true).custom_flags(OFlags::NONBLOCK.bits() as i32).open(path)
}

/// Creates `dir` and the folders above it that are missing, the last one 0700.
pub(crate) fn create_private_dirs(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

/// Makes a folder of our own 0700 if it is not.
pub(crate) fn tighten_dir(dir: &Path) -> io::Result<()> {
    if fs::metadata(dir)?.permissions().mode() & 0o777 != 0o700 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Sets an open file's permission bits.
pub(crate) fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    file.set_permissions(fs::Permissions::from_mode(mode))
}

/// Flushes a folder's entries (a rename in it) to disk.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Whether a replacement failed because another program holds the target:
/// never on Unix, where a rename does not care who has the file open.
pub(crate) const fn is_busy(_error: &io::Error) -> bool {
    false
}

/// Makes a folder only its owner may enter (0700); one already there is left as it is.
pub(crate) fn make_private_folder(path: &Path) -> io::Result<()> {
    match fs::DirBuilder::new().mode(0o700).create(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// An open folder the lock files are made in.
pub(crate) type Folder = File;

/// Opens a folder itself, never through a symbolic link in its last component.
pub(crate) fn open_folder(path: &Path) -> io::Result<Folder> {
    fs::OpenOptions::new().read(true).custom_flags((OFlags::DIRECTORY | OFlags::NOFOLLOW).bits() as i32).open(path)
}

/// Who owns an open folder and who else may use it.
pub(crate) fn folder_access(folder: &Folder) -> io::Result<Access> {
    access_of_file(folder)
}

/// Makes an open folder 0700.
pub(crate) fn tighten(folder: &Folder) -> io::Result<()> {
    Ok(rustix::fs::fchmod(folder, Mode::from_raw_mode(0o700))?)
}

/// Opens (creating it 0600) the file `name` inside an open folder, never through a link.
pub(crate) fn open_in(folder: &Folder, name: &str) -> io::Result<File> {
    let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::openat(folder, name, flags, Mode::from_raw_mode(0o600))?))
}

/// Whether `name` in `folder` is still the file `file` is open on (its holder
/// may have removed it, and someone may have made a new one since).
pub(crate) fn still_named(folder: &Folder, name: &str, file: &File) -> bool {
    let (Ok(named), Ok(open)) = (rustix::fs::statat(folder, name, AtFlags::SYMLINK_NOFOLLOW), file.metadata()) else {
        return false;
    };
    // `st_ino` and `st_dev` are not u64 on every Unix.
    #[allow(clippy::unnecessary_cast)]
    let same = named.st_ino as u64 == open.ino() && named.st_dev as u64 == open.dev();
    same
}

/// Removes `name` from `folder`; one that is already gone is fine.
pub(crate) fn remove_in(folder: &Folder, name: &str) {
    let _ = rustix::fs::unlinkat(folder, name, AtFlags::empty());
}
