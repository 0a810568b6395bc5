//! The Windows side of `resolve`: an executable is a file whose extension runs (`.exe`, `.cmd`, `.bat`, `.com`), a bare name is looked for with each, `PATH` is split by `;`.

use std::path::Path;

/// What a client started by Windows itself finds without the user's `PATH`.
pub const SHORT_PATH: &[&str] = &[r"C:\Windows\System32", r"C:\Windows"];

pub(crate) const PATH_SEPARATOR: &str = ";";

/// The extensions `cmd` runs, in its order (the default `PATHEXT`, less the scripting hosts).
const RUNS: [&str; 4] = ["exe", "cmd", "bat", "com"];

/// The file names a command word is looked for as: as it is when it has an
/// extension that runs, else with each such extension (`npm` → `npm.cmd`).
pub fn names(name: &str) -> Vec<String> {
    if has_runnable_extension(Path::new(name)) {
        return vec![name.to_string()];
    }
    RUNS.iter().map(|e| format!("{name}.{e}")).collect()
}

fn has_runnable_extension(path: &Path) -> bool {
    path.extension().is_some_and(|e| RUNS.iter().any(|r| e.eq_ignore_ascii_case(r)))
}

/// Whether a command word names a path rather than a program on `PATH`.
pub(crate) fn is_path(word: &str) -> bool {
    word.contains(['/', '\\']) || Path::new(word).is_absolute()
}

pub(crate) fn is_executable(path: &Path) -> bool {
    has_runnable_extension(path) && std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The same file after links: Windows gives no inode in stable std, so
/// both are resolved and compared.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Whether two folder names are one name: Windows names ignore case
/// (`C:\windows\system32` is `C:\Windows\System32`).
pub(crate) fn same_dir(a: &Path, b: &Path) -> bool {
    a.as_os_str().eq_ignore_ascii_case(b.as_os_str())
}
