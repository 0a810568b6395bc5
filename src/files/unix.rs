//! The Unix side of `files`: who owns a file and who may write it, and lock files opened inside a folder of our own.
//!
//! Everything here is a thin call into the system; what is trusted, and what
//! a lock means, is decided in `files`. A Windows side would give the same
//! functions (owner and writers from the file's security descriptor, the
//! lock file opened with `FILE_FLAG_OPEN_REPARSE_POINT`) in a module beside this one.

use std::fs::{self, File, Metadata};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::Path;

use rustix::fs::{AtFlags, Mode, OFlags};

/// The user this process acts as.
pub fn me() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Who owns a file and who besides its owner may change it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Access {
    pub owner: u32,
    /// The permission bits, for messages (`0606`, `1777`).
    pub mode: u32,
    pub group_writes: bool,
    pub others_write: bool,
    /// Sticky folder (`/tmp`): only an entry's owner may rename or delete it.
    pub sticky: bool,
}

pub fn access(meta: &Metadata) -> Access {
    let mode = meta.mode() & 0o7777;
    Access {
        owner: meta.uid(),
        mode,
        group_writes: mode & 0o020 != 0,
        others_write: mode & 0o002 != 0,
        sticky: mode & 0o1000 != 0,
    }
}

/// Makes a folder only its owner may enter (0700); one already there is left as it is.
pub(crate) fn make_private_folder(path: &Path) -> io::Result<()> {
    match fs::DirBuilder::new().mode(0o700).create(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// Opens a folder itself, never through a symbolic link in its last component.
pub(crate) fn open_folder(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().read(true).custom_flags((OFlags::DIRECTORY | OFlags::NOFOLLOW).bits() as i32).open(path)
}

/// Makes an open folder 0700.
pub(crate) fn tighten(folder: &File) -> io::Result<()> {
    Ok(rustix::fs::fchmod(folder, Mode::from_raw_mode(0o700))?)
}

/// Opens (creating it 0600) the file `name` inside an open folder, never through a link.
pub(crate) fn open_in(folder: &File, name: &str) -> io::Result<File> {
    let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::openat(folder, name, flags, Mode::from_raw_mode(0o600))?))
}

/// Whether `name` in `folder` is still the file `file` is open on (its holder
/// may have removed it, and someone may have made a new one since).
pub(crate) fn still_named(folder: &File, name: &str, file: &File) -> bool {
    let (Ok(named), Ok(open)) = (rustix::fs::statat(folder, name, AtFlags::SYMLINK_NOFOLLOW), file.metadata()) else {
        return false;
    };
    // `st_ino` and `st_dev` are not u64 on every Unix.
    #[allow(clippy::unnecessary_cast)]
    let same = named.st_ino as u64 == open.ino() && named.st_dev as u64 == open.dev();
    same
}

/// Removes `name` from `folder`; one that is already gone is fine.
pub(crate) fn remove_in(folder: &File, name: &str) {
    let _ = rustix::fs::unlinkat(folder, name, AtFlags::empty());
}
