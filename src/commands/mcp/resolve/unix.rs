//! The Unix side of `resolve`: an executable is a file with an execute bit, one file is one device and inode, `PATH` is split by `:`.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

pub const SHORT_PATH: &[&str] = &["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

pub(crate) const PATH_SEPARATOR: &str = ":";

/// The file names a command word is looked for as: itself.
pub fn names(name: &str) -> Vec<String> {
    vec![name.to_string()]
}

/// Whether a command word names a path rather than a program on `PATH`.
pub(crate) fn is_path(word: &str) -> bool {
    word.contains('/')
}

pub(crate) fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Device and inode, after links.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether two folder names are one name.
pub(crate) fn same_dir(a: &Path, b: &Path) -> bool {
    a == b
}
