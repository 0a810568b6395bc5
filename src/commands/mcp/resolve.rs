//! Which programs an entry names: `trello-auth` itself and the server command, found on `PATH` the way a shell would, so a client with a short `PATH` starts the same programs.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as platform;

/// The directories a GUI client started by the desktop (Claude Desktop from
/// the Dock; launchd's default; on Windows the system's folders) searches:
/// anything else, such as Node installed by nvm or Homebrew, is not found there.
pub const SHORT_PATH: &[&str] = platform::SHORT_PATH;

/// [`SHORT_PATH`] as a `PATH` value.
pub(crate) fn short_path() -> String {
    SHORT_PATH.join(platform::PATH_SEPARATOR)
}

/// The absolute directories of a `PATH` value, in order. Relative entries
/// (`.`, an empty one, `node_modules/.bin`) are skipped: they name whatever
/// folder the client happens to start in, so a program found through one
/// would be a different program, or a planted one, elsewhere.
pub(crate) fn path_dirs(path: Option<OsString>) -> Vec<PathBuf> {
    let Some(path) = path else { return Vec::new() };
    std::env::split_paths(&path).filter(|d| d.is_absolute()).collect()
}

/// The first executable regular file called `name` in `dirs`, as found there
/// (a symlink is not resolved: a package manager's stable link outlives the
/// versioned file it points to).
/// (On Windows a name without an extension is looked for with each of
/// `.exe`, `.cmd`, `.bat` and `.com`, as `cmd` does: `npm` is `npm.cmd`.)
pub fn find(name: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    dirs.iter().flat_map(|d| platform::names(name).into_iter().map(move |n| d.join(n))).find(|p| is_executable(p))
}

use platform::is_executable;

/// Whether two paths name the same file (after links): the `trello-auth` on
/// `PATH` may be a symlink to the running one.
pub(crate) use platform::same_file;

/// Whether `path` lies in a cargo build folder (`…/target/debug/…`,
/// `…/target/release/…`, or the same under a target triple): such a file is
/// replaced by every build and removed by `cargo clean`.
pub(crate) fn in_build_folder(path: &Path) -> bool {
    let parts: Vec<&std::ffi::OsStr> =
        path.components().filter_map(|c| if let Component::Normal(s) = c { Some(s) } else { None }).collect();
    parts.iter().enumerate().any(|(i, part)| {
        *part == "target"
            && parts.get(i + 1..).is_some_and(|rest| rest.iter().take(2).any(|p| *p == "debug" || *p == "release"))
    })
}

/// The program a `#!/usr/bin/env NAME` script needs found on `PATH` (npx is
/// `#!/usr/bin/env node`): `NAME`, or `None` for a binary or a script that
/// names its interpreter by absolute path.
pub(crate) fn env_interpreter(script: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(script).and_then(|mut f| f.read(&mut head)).ok()?;
    let line = head[..n].strip_prefix(b"#!")?;
    let line = String::from_utf8_lossy(line.split(|b| *b == b'\n').next().unwrap_or_default()).into_owned();
    let mut words = line.split_whitespace();
    let interpreter = words.next()?;
    if Path::new(interpreter).file_name()? != "env" {
        return None;
    }
    // `env -S node --flags` and `env node`: the first word that is not an option.
    words.find(|w| !w.starts_with('-')).map(str::to_string)
}

/// A path for a one-line message: a line break in a folder name cannot start a forged line.
pub fn shown(path: &Path) -> String {
    crate::untrusted::line(&path.display().to_string()).into_owned()
}

/// A server command as the entry names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// An absolute path when it was found, else the word as given.
    pub program: String,
    /// Directories the program needs on the client's `PATH` beyond
    /// [`SHORT_PATH`] (its own, its `#!/usr/bin/env` interpreter's), in order.
    pub needs: Vec<PathBuf>,
    pub warnings: Vec<String>,
}

/// Resolves the server's command word against the writer's `PATH` (`dirs`)
/// and current folder (`cwd`): a bare name is looked up on `PATH`, a path
/// with a slash is made absolute (a client starts servers in a folder of its
/// own choosing). Not found: the word stays, with a warning.
pub(crate) fn server_command(word: &str, dirs: &[PathBuf], cwd: &Path) -> Resolved {
    let mut warnings = Vec::new();
    let found = if platform::is_path(word) {
        let path = cwd.join(word);
        is_executable(&path).then(|| super::project::normalize(&path))
    } else {
        find(word, dirs)
    };
    let Some(program) = found else {
        warnings.push(format!(
            "{} was not found{}; the entry names it as it is, so the client must find it on its own PATH \
             (install it, or give --server its absolute path)",
            crate::untrusted::line(word),
            if platform::is_path(word) { "" } else { " on PATH" }
        ));
        return Resolved { program: word.to_string(), needs: Vec::new(), warnings };
    };
    let mut needs = Vec::new();
    let mut need = |dir: &Path| {
        let dir = dir.to_path_buf();
        if !SHORT_PATH.iter().any(|s| platform::same_dir(Path::new(s), &dir)) && !needs.contains(&dir) {
            needs.push(dir);
        }
    };
    if let Some(dir) = program.parent() {
        need(dir);
    }
    if let Some(interpreter) = env_interpreter(&program) {
        match find(&interpreter, dirs) {
            Some(found) => {
                if let Some(dir) = found.parent() {
                    need(dir);
                }
            }
            None => warnings.push(format!(
                "{} starts with `#!/usr/bin/env {}`, and {} was not found on PATH: the server will not start",
                shown(&program),
                crate::untrusted::line(&interpreter),
                crate::untrusted::line(&interpreter)
            )),
        }
    }
    // The program, then the other folders it needs (its own is the program's).
    let others = needs.iter().filter(|d| Some(d.as_path()) != program.parent());
    warnings.extend(std::iter::once(&program).chain(others).filter_map(|p| inside_folder(p, cwd)));
    Resolved { program: program.display().to_string(), needs, warnings }
}

/// The server's arguments as the entry names them: one that names a script
/// (a path starting `./`, `../` or `/`, or a `.js`, `.mjs`, `.cjs`, `.ts` or `.py` file) is
/// made absolute, since a client starts the server in a folder of its own;
/// one that names no file is said, since the server would then fail to start
/// where no one sees it.
pub(crate) fn script_args(args: &[String], cwd: &Path) -> (Vec<String>, Vec<String>) {
    const SCRIPTS: [&str; 5] = ["js", "mjs", "cjs", "ts", "py"];
    let mut warnings = Vec::new();
    let args = args
        .iter()
        .map(|arg| {
            let path = Path::new(arg);
            // A package (`@scope/name`), a URL or a `key=value` is no file, whatever its slashes.
            let script = path.extension().is_some_and(|e| SCRIPTS.iter().any(|s| e.eq_ignore_ascii_case(s)));
            let pathlike = ["./", "../", "/"].iter().any(|p| arg.starts_with(p));
            let other = arg.starts_with(['-', '@']) || arg.contains("://") || arg.contains('=');
            if other || !(pathlike || script) {
                return arg.clone();
            }
            let absolute = super::project::normalize(&cwd.join(path));
            if absolute.is_file() {
                absolute.display().to_string()
            } else {
                warnings.push(format!(
                    "{} names no file (looked for {}); the server will not start: give --server the script's path",
                    crate::untrusted::line(arg),
                    shown(&absolute)
                ));
                arg.clone()
            }
        })
        .collect();
    (args, warnings)
}

/// The folder a program must not come from: the project the client may
/// open here (the git checkout holding `cwd`, else `cwd`), with links
/// resolved. `None` when that folder is the home folder or above it, where
/// every installed program would be "inside".
fn project_folder(cwd: &Path) -> Option<PathBuf> {
    let top = super::project::Project::find(cwd).top;
    let home = crate::environment::HOME.get_os().map(|h| crate::files::canonical(Path::new(&h)));
    (!home.is_some_and(|h| h.starts_with(&top))).then_some(top)
}

/// Whether `path` (a program, or a folder) lies inside `project`: the folder
/// is compared with links resolved; the file itself is not (a link in the
/// project is still the project's).
fn lies_in(path: &Path, project: &Path) -> bool {
    let real = crate::files::canonical;
    let folder = if path.is_dir() { Some(real(path)) } else { path.parent().map(real) };
    folder.is_some_and(|f| f.starts_with(project))
}

/// A warning when `path` (a program the entry names, or a folder put on its
/// `PATH`) lies inside the project around the current folder (its git
/// checkout's top, so a subfolder is no way around it): a project's own
/// `bin/` on `PATH` (direnv, a hand-made `PATH=$PWD/bin:…`) would make the
/// entry run, from every project, whatever that checkout holds.
pub(crate) fn inside_folder(path: &Path, cwd: &Path) -> Option<String> {
    let project = project_folder(cwd)?;
    lies_in(path, &project).then(|| {
        format!(
            "{} is inside the project here ({}): the entry will run it from every project; check that it is the \
             program you mean",
            shown(path),
            shown(&project)
        )
    })
}

/// `PATH` without the folders inside the project around `cwd`, and a line
/// for each folder left out: what trello-auth itself runs or names for its
/// own pinned server (`npm` for the install, `node` for the entry) never
/// comes from the project a client may open, whose `bin/` direnv and others
/// put first on `PATH`.
pub(crate) fn outside_project(dirs: &[PathBuf], cwd: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let Some(project) = project_folder(cwd) else { return (dirs.to_vec(), Vec::new()) };
    let (inside, outside): (Vec<PathBuf>, Vec<PathBuf>) = dirs.iter().cloned().partition(|d| lies_in(d, &project));
    let said = inside
        .iter()
        .map(|d| {
            format!(
                "{} on PATH is inside the project here ({}): trello-auth takes nothing from it for itself, its \
                 pinned server or that server's install",
                shown(d),
                shown(&project)
            )
        })
        .collect();
    (outside, said)
}

/// The entry's `PATH`: what the program needs, then the short `PATH` every
/// client has (so `sh` and friends are still found).
pub fn entry_path(needs: &[PathBuf]) -> Option<String> {
    if needs.is_empty() {
        return None;
    }
    let dirs: Vec<String> =
        needs.iter().map(|d| d.display().to_string()).chain(SHORT_PATH.iter().map(|s| s.to_string())).collect();
    Some(dirs.join(platform::PATH_SEPARATOR))
}

/// Unix paths and `PATH` values, tested where they are.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_server_s_script_is_made_absolute_or_said_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("server.js"), "").unwrap();
        let args: Vec<String> =
            ["./server.js", "missing.py", "-y", "@delorenj/mcp-server-trello", "https://x.test/a", "--port=1"]
                .map(String::from)
                .to_vec();
        let (args, warnings) = script_args(&args, dir.path());
        assert_eq!(args[0], dir.path().join("server.js").display().to_string());
        assert_eq!(&args[1..], ["missing.py", "-y", "@delorenj/mcp-server-trello", "https://x.test/a", "--port=1"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("missing.py names no file"), "{warnings:?}");
    }

    #[test]
    fn build_folders() {
        assert!(in_build_folder(Path::new("/src/app/target/debug/trello-auth")));
        assert!(in_build_folder(Path::new("/src/app/target/x86_64-unknown-linux-gnu/release/trello-auth")));
        assert!(!in_build_folder(Path::new("/home/ann/.cargo/bin/trello-auth")));
        assert!(!in_build_folder(Path::new("/opt/target/bin/trello-auth")));
    }

    #[test]
    fn relative_path_entries_are_skipped() {
        let dirs = path_dirs(Some(OsString::from(".:/usr/bin::node_modules/.bin:/bin")));
        assert_eq!(dirs, [PathBuf::from("/usr/bin"), PathBuf::from("/bin")]);
    }

    #[test]
    fn env_scripts_name_their_interpreter() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("npx");
        std::fs::write(&script, "#!/usr/bin/env node\nrequire('x')\n").unwrap();
        assert_eq!(env_interpreter(&script).as_deref(), Some("node"));
        std::fs::write(&script, "#!/usr/bin/env -S node --no-warnings\n").unwrap();
        assert_eq!(env_interpreter(&script).as_deref(), Some("node"));
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        assert_eq!(env_interpreter(&script), None);
    }

    #[test]
    fn the_entry_path_adds_the_short_path() {
        assert_eq!(entry_path(&[]), None);
        assert_eq!(
            entry_path(&[PathBuf::from("/opt/node/bin")]).as_deref(),
            Some("/opt/node/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        );
    }
}
