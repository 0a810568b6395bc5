//! The default MCP server, installed once at a pinned version into a folder trello-auth owns, from the lockfile trello-auth ships, and named by absolute path: no project a client opens can choose what runs.
//!
//! `npx -y PACKAGE` in an entry resolves PACKAGE from the folder the client
//! was opened in (a `node_modules` copy there wins, an `.npmrc` there picks
//! the registry), and an unpinned `-y` runs whatever is published next. So
//! the default server is `npm ci --ignore-scripts` of `assets/mcp-server/`
//! (a manifest and its lockfile, with every package's integrity) into
//! `<data folder>/trello-auth/mcp-server`, checked against that lockfile
//! afterwards, and the entry runs `node` and the package's script by their
//! absolute paths. Moving to another pin is `trello-auth mcp-server update`,
//! which says what changes.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::resolve::{self, shown};

/// The package the default entry runs (delorenj/mcp-server-trello: it reads
/// `TRELLO_API_KEY`, `TRELLO_TOKEN` and `TRELLO_BOARD_ID`).
pub const PACKAGE: &str = "@delorenj/mcp-server-trello";
/// The manifest `npm ci` installs from: the one dependency, pinned.
const MANIFEST: &str = include_str!("../../../assets/mcp-server/package.json");
/// Its lockfile: every package of the tree, its version and its integrity.
const LOCKFILE: &str = include_str!("../../../assets/mcp-server/package-lock.json");
/// The folder's name under trello-auth's data folder.
const FOLDER: &str = "mcp-server";
/// npm fetching a hundred packages over a slow link; a hung registry ends here.
const INSTALL_DEADLINE: Duration = Duration::from_secs(300);
/// Another trello-auth installing at the same moment; past this, it is said.
const LOCK_WAIT: Duration = Duration::from_secs(30);
/// npm's words kept for an error message.
const NPM_WORDS: usize = 16 * 1024;
/// The most a lockfile may be: the shipped one is 30 KiB.
const LOCK_LIMIT: u64 = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub(crate) enum PinError {
    #[error("no data folder is known here (HOME is not set); set HOME or XDG_DATA_HOME")]
    NoDataFolder,
    #[error(
        "{what} was not found on PATH; install Node.js (which brings npm), or put the folder that holds {what} on \
         PATH, then run this again"
    )]
    Missing { what: &'static str },
    #[error("{}: {why}", shown(path))]
    Folder { path: PathBuf, why: String },
    #[error("npm could not install the pinned server ({detail}); nothing was changed")]
    Npm { detail: String },
    #[error(
        "the packages npm installed differ from the lockfile trello-auth ships ({detail}): refused, and nothing was \
         changed. A registry or mirror served other bytes than the ones pinned; check your npm registry \
         configuration (`npm config get registry`)"
    )]
    Integrity { detail: String },
    #[error("npm did not finish within {} s; nothing was changed", INSTALL_DEADLINE.as_secs())]
    TimedOut,
    #[error(
        "another trello-auth has been installing the server in {} for {} s; wait for it, or end it",
        shown(folder),
        LOCK_WAIT.as_secs()
    )]
    Busy { folder: PathBuf },
}

/// One package as a lockfile pins it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Locked {
    version: String,
    integrity: String,
}

/// A lockfile's packages by their place (`node_modules/a/node_modules/b`).
type Tree = BTreeMap<String, Locked>;

/// The packages of a lockfile (v2 or v3): each with a version and an integrity.
fn tree_of(text: &str) -> Result<Tree, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not a lockfile: {e}"))?;
    let packages = json["packages"].as_object().ok_or("a lockfile without packages")?;
    let mut tree = Tree::new();
    for (place, package) in packages.iter().filter(|(place, _)| !place.is_empty()) {
        let field = |name: &str| package[name].as_str().map(str::to_string);
        let (Some(version), Some(integrity)) = (field("version"), field("integrity")) else {
            return Err(format!("{} has no version or integrity", crate::untrusted::line(place)));
        };
        tree.insert(place.clone(), Locked { version, integrity });
    }
    Ok(tree)
}

/// The pin this trello-auth ships: the package's version and the whole tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pin {
    pub version: String,
    tree: Tree,
    /// The package's script, relative to its folder (`build/index.js`).
    script: PathBuf,
}

/// The place of the package in a tree.
fn package_place() -> String {
    format!("node_modules/{PACKAGE}")
}

impl Pin {
    /// The shipped pin. The lockfile is part of this program, and a unit test
    /// reads it, so it always parses.
    pub fn shipped() -> Pin {
        let tree = tree_of(LOCKFILE).unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(LOCKFILE).unwrap_or_default();
        let package = &json["packages"][package_place()];
        let script = package["bin"].as_object().and_then(|bin| bin.values().next()).and_then(|s| s.as_str());
        Pin {
            version: tree.get(&package_place()).map(|p| p.version.clone()).unwrap_or_default(),
            script: script.map(PathBuf::from).unwrap_or_default(),
            tree,
        }
    }

    /// `@delorenj/mcp-server-trello 1.8.1`.
    pub fn words(&self) -> String {
        format!("{PACKAGE} {}", self.version)
    }
}

/// What is installed in the folder, as its own record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Missing,
    /// Installed exactly as the shipped lockfile pins it.
    Pinned,
    /// Another tree: an earlier pin (the changes from it to the shipped one), or a damaged install.
    Differs {
        version: Option<String>,
        changes: Vec<String>,
    },
}

/// The installed server: where it is, and how it compares with the pin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// `<data folder>/trello-auth/mcp-server`.
    pub folder: PathBuf,
    pub state: State,
}

impl Server {
    /// The server in trello-auth's data folder.
    pub fn here() -> Result<Server, PinError> {
        let folder = data_folder().ok_or(PinError::NoDataFolder)?.join(FOLDER);
        let state = state(&folder);
        Ok(Server { folder, state })
    }

    /// The package's script: what the entry runs with `node`.
    pub fn script(&self) -> PathBuf {
        self.folder.join(package_place()).join(&Pin::shipped().script)
    }
}

/// trello-auth's own data folder (`$XDG_DATA_HOME/trello-auth`,
/// `~/.local/share/trello-auth`; on Windows `%LOCALAPPDATA%\trello-auth`: a
/// `node_modules` is this machine's, not one to roam with the profile).
fn data_folder() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_local_dir().join("trello-auth"))
}

/// What the folder holds, from npm's record of what it installed
/// (`node_modules/.package-lock.json`).
fn state(folder: &Path) -> State {
    let record = folder.join("node_modules").join(".package-lock.json");
    let text = match crate::files::read_regular(&record, LOCK_LIMIT) {
        Ok(Some(existing)) => existing.text,
        Ok(None) if !folder.exists() => return State::Missing,
        _ => return State::Differs { version: None, changes: vec!["npm's record of the install is missing".into()] },
    };
    let Ok(tree) = tree_of(&text) else {
        return State::Differs { version: None, changes: vec!["npm's record of the install does not parse".into()] };
    };
    let changes = changes(&tree, &Pin::shipped().tree);
    let version = tree.get(&package_place()).map(|p| p.version.clone());
    if changes.is_empty() { State::Pinned } else { State::Differs { version, changes } }
}

/// What moving from tree `from` to tree `to` changes, a line each: the
/// package itself first, then the others.
fn changes(from: &Tree, to: &Tree) -> Vec<String> {
    let name = |place: &str| place.rsplit_once("node_modules/").map_or(place, |(_, n)| n).to_string();
    let mut lines = Vec::new();
    let mut places: Vec<&String> = from.keys().chain(to.keys()).collect();
    places.sort_by_key(|p| (**p != package_place(), p.to_string()));
    places.dedup();
    for place in places {
        let line = match (from.get(place), to.get(place)) {
            (Some(a), Some(b)) if a.version != b.version => format!("{} {} → {}", name(place), a.version, b.version),
            (Some(a), Some(b)) if a.integrity != b.integrity => {
                format!("{} {}: other bytes than the pinned ones", name(place), a.version)
            }
            (None, Some(b)) => format!("{} {}: added", name(place), b.version),
            (Some(a), None) => format!("{} {}: removed", name(place), a.version),
            _ => continue,
        };
        lines.push(crate::untrusted::line(&line).into_owned());
    }
    lines
}

/// The programs an install runs: `npm`, and the `PATH` it needs (`npm` is `#!/usr/bin/env node`).
pub(crate) struct Npm {
    npm: PathBuf,
    path: String,
}

impl Npm {
    /// `npm` found on `PATH` (absolute folders only, none inside the project
    /// around `cwd`: a project's `bin/npm` or `bin/node` would run as the
    /// install), with what it needs.
    pub fn find(dirs: &[PathBuf], cwd: &Path) -> Result<Npm, PinError> {
        let (dirs, _) = resolve::outside_project(dirs, cwd);
        let found = resolve::server_command(NPM, &dirs, cwd);
        if !Path::new(&found.program).is_absolute() {
            return Err(PinError::Missing { what: "npm" });
        }
        let path = resolve::entry_path(&found.needs).unwrap_or_else(resolve::short_path);
        Ok(Npm { npm: PathBuf::from(found.program), path })
    }
}

/// The npm program's name here.
const NPM: &str = "npm";

/// What an install did: the version before (if any) and the changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub before: Option<String>,
    pub changes: Vec<String>,
}

/// Installs the shipped pin into `server.folder` with `npm ci --ignore-scripts`,
/// in a folder beside it that replaces it only once npm succeeded and what it
/// installed matches the lockfile; `say` hears about the wait.
pub fn install(server: &Server, npm: &Npm, say: &dyn Fn(&str)) -> Result<Installed, PinError> {
    let folder = &server.folder;
    let parent = crate::files::parent_dir(folder).to_path_buf();
    let io = |why: std::io::Error| PinError::Folder { path: parent.clone(), why: why.to_string() };
    private_folder(&parent)?;
    let _lock = lock(&parent, folder)?;
    sweep(&parent);
    let before_tree = crate::files::read_regular(&folder.join("node_modules/.package-lock.json"), LOCK_LIMIT)
        .ok()
        .flatten()
        .and_then(|e| tree_of(&e.text).ok())
        .unwrap_or_default();
    let stage = tempfile::Builder::new().prefix(&format!("{FOLDER}.new-")).tempdir_in(&parent).map_err(io)?;
    std::fs::write(stage.path().join("package.json"), MANIFEST).map_err(io)?;
    std::fs::write(stage.path().join("package-lock.json"), LOCKFILE).map_err(io)?;
    say(&format!(
        "installing {} (pinned, with npm ci --ignore-scripts) into {}…",
        Pin::shipped().words(),
        shown(folder)
    ));
    run_npm(npm, stage.path())?;
    if let State::Differs { changes, .. } = state(stage.path()) {
        return Err(PinError::Integrity { detail: changes.join("; ") });
    }
    let changes = changes(&before_tree, &Pin::shipped().tree);
    let before = before_tree.get(&package_place()).map(|p| p.version.clone());
    // The old folder steps aside, the new one takes its name, the old one goes.
    let old = parent.join(format!("{FOLDER}.old-{}", std::process::id()));
    if folder.exists() {
        std::fs::rename(folder, &old).map_err(io)?;
    }
    let stage = stage.keep();
    if let Err(e) = std::fs::rename(&stage, folder) {
        let _ = std::fs::rename(&old, folder);
        return Err(io(e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(Installed { before, changes })
}

/// `npm ci` in `stage`, bounded in time, its words kept for the error.
fn run_npm(npm: &Npm, stage: &Path) -> Result<(), PinError> {
    let mut child = Command::new(&npm.npm)
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--omit=dev", "--no-update-notifier"])
        .args(["--loglevel=error", "--prefix"])
        .arg(stage)
        .current_dir(stage)
        .env("PATH", &npm.path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| PinError::Npm { detail: format!("could not start {}: {e}", shown(&npm.npm)) })?;
    let mut stderr = child.stderr.take();
    let words = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(err) = stderr.as_mut() {
            let _ = err.take(NPM_WORDS as u64).read_to_end(&mut text);
            // Drained, so npm never blocks on a full pipe.
            let _ = std::io::copy(err, &mut std::io::sink());
        }
        String::from_utf8_lossy(&text).into_owned()
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > INSTALL_DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PinError::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(PinError::Npm { detail: e.to_string() }),
        }
    };
    let words = words.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    let detail = npm_words(&words);
    if words.contains("EINTEGRITY") {
        return Err(PinError::Integrity { detail });
    }
    Err(PinError::Npm { detail })
}

/// npm's error lines, made one safe line: `npm error code E404; npm error …`.
fn npm_words(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(6).collect();
    let joined = if lines.is_empty() { "no words from npm".to_string() } else { lines.join("; ") };
    crate::untrusted::line(&crate::credentials::secret::scrub(&joined, &[])).into_owned()
}

/// trello-auth's data folder, made private, or, when it exists, a folder of
/// this user's that no one else may write (they would choose what the entry runs).
fn private_folder(dir: &Path) -> Result<(), PinError> {
    crate::files::own_folder(dir).map_err(|why| PinError::Folder { path: dir.to_path_buf(), why })
}

/// The install lock, a file in trello-auth's own folder; another install
/// holding it is waited for, then said.
fn lock(parent: &Path, folder: &Path) -> Result<std::fs::File, PinError> {
    let path = parent.join(format!(".{FOLDER}.lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| PinError::Folder { path: path.clone(), why: e.to_string() })?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(100))
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(PinError::Busy { folder: folder.to_path_buf() }),
            Err(std::fs::TryLockError::Error(e)) => return Err(PinError::Folder { path, why: e.to_string() }),
        }
    }
}

/// Folders a killed install left beside the server (`mcp-server.new-…`, `.old-…`).
fn sweep(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let ours = name
            .to_str()
            .is_some_and(|n| n.starts_with(&format!("{FOLDER}.new-")) || n.starts_with(&format!("{FOLDER}.old-")));
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A warning when a server command runs a package through a runner that
/// resolves it from the folder the client opens (`npx`, `uvx`, `bunx`, `pnpm
/// dlx`, …), pinned or not: the opened project can then choose what runs.
pub(crate) fn runner_warning(words: &[String]) -> Option<String> {
    // Every word, and every word inside one (`sh -c 'npx …'`), by its file name.
    let tokens: Vec<String> = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .map(|w| Path::new(w).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        .collect();
    let runner = tokens.iter().enumerate().find_map(|(i, token)| {
        // The subcommand: the next word that is not an option (`npm --yes exec`).
        let sub = || tokens[i + 1..].iter().find(|w| !w.starts_with('-')).map(String::as_str).unwrap_or_default();
        match token.as_str() {
            "npx" | "uvx" | "bunx" | "pnpx" => Some(token.clone()),
            "npx-cli.js" => Some("npx".into()),
            "pnpm" | "yarn" if matches!(sub(), "dlx" | "exec") => Some(format!("{token} {}", sub())),
            // npm's options may take a value (`--prefix /tmp x pkg`): any later `exec` or `x` counts.
            "npm" => tokens[i + 1..].iter().find(|w| matches!(w.as_str(), "exec" | "x")).map(|w| format!("npm {w}")),
            "bun" if sub() == "x" => Some("bun x".into()),
            "pipx" if sub() == "run" => Some("pipx run".into()),
            "uv" if sub() == "tool" && tokens.get(i + 2).is_some_and(|w| w == "run") => Some("uv tool run".into()),
            _ => None,
        }
    })?;
    Some(format!(
        "`{runner}` finds the package from the folder the client opens, so a project opened in the client can choose \
         what runs (its own copy of the package, or a registry of its own in .npmrc or uv.toml), with the Trello \
         credentials in its environment. Install the server once into a folder of your own and give --server its \
         absolute path, e.g. `npm install --ignore-scripts --prefix ~/.local/share/my-mcp PACKAGE@VERSION`, then \
         --server '/usr/bin/node ~/.local/share/my-mcp/node_modules/PACKAGE/SCRIPT' (or leave out --server: the \
         default server is installed pinned, by `trello-auth mcp-server install`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a script path stays inside its package (no `..`, not absolute).
    fn inside(script: &Path) -> bool {
        !script.as_os_str().is_empty() && script.components().all(|c| matches!(c, std::path::Component::Normal(_)))
    }

    #[test]
    fn the_shipped_lockfile_pins_every_package_with_its_integrity() {
        let pin = Pin::shipped();
        assert!(tree_of(LOCKFILE).is_ok());
        assert!(!pin.version.is_empty() && pin.tree.len() > 10, "{pin:?}");
        assert!(pin.tree.values().all(|p| p.integrity.starts_with("sha512-")));
        assert!(inside(&pin.script), "{}", pin.script.display());
        let manifest: serde_json::Value = serde_json::from_str(MANIFEST).unwrap();
        assert_eq!(manifest["dependencies"][PACKAGE], pin.version.as_str(), "the manifest pins the same version");
    }

    #[test]
    fn changes_name_the_package_first_then_each_other_difference() {
        let locked = |v: &str, i: &str| Locked { version: v.into(), integrity: i.into() };
        let from: Tree = [
            (package_place(), locked("1.8.1", "a")),
            ("node_modules/zod".into(), locked("3.0.0", "z")),
            ("node_modules/gone".into(), locked("1.0.0", "g")),
        ]
        .into();
        let to: Tree = [
            (package_place(), locked("1.9.0", "b")),
            ("node_modules/zod".into(), locked("3.0.0", "Z")),
            ("node_modules/a/node_modules/new".into(), locked("2.0.0", "n")),
        ]
        .into();
        assert_eq!(
            changes(&from, &to),
            [
                "@delorenj/mcp-server-trello 1.8.1 → 1.9.0",
                "new 2.0.0: added",
                "gone 1.0.0: removed",
                "zod 3.0.0: other bytes than the pinned ones"
            ]
        );
        assert!(changes(&to, &to).is_empty());
    }

    #[test]
    fn package_runners_are_warned_about_pinned_or_not() {
        let words = |line: &str| shell_words::split(line).unwrap();
        for line in [
            "npx -y @delorenj/mcp-server-trello@1.8.1",
            "/opt/bin/uvx mcp-server-trello",
            "pnpm dlx x",
            "uv tool run x",
            // Found by the attacker trial: aliases, options first, a wrapper.
            "npm x -y pkg",
            "npm --yes exec pkg",
            "env npx -y pkg",
            "/usr/bin/env npx pkg",
            "sh -c 'npx -y pkg'",
            "node /usr/lib/node_modules/npm/bin/npx-cli.js -y pkg",
            "yarn exec pkg",
            "npm --prefix /tmp x pkg",
            "npm --loglevel silent exec pkg",
        ] {
            assert!(runner_warning(&words(line)).is_some(), "{line}");
        }
        for line in ["node /opt/server.js", "/usr/bin/python3 -m server", "uv run server.py"] {
            assert_eq!(runner_warning(&words(line)), None, "{line}");
        }
    }
}
