//! The project a client opens, found as the clients find it (without the git program): the current folder, its repository's top folder, which a project-scope file must stay inside, and the main repository's root, which Claude Code's local scope and Codex's trust are keyed by.

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The most of a `.git` file or a `commondir` file read: each is one short line.
const GIT_POINTER_LIMIT: u64 = 4096;

/// The project around the current folder, every path with its links resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The current folder.
    pub cwd: PathBuf,
    /// The top folder of the git checkout holding it (a linked worktree's
    /// own), else the current folder: where a project's files belong.
    pub top: PathBuf,
    /// The main repository's root: for a linked worktree, the main checkout
    /// its `commondir` names; for a submodule, the submodule's own folder;
    /// outside a repository, the current folder.
    pub root: PathBuf,
}

impl Project {
    /// The project around `cwd`.
    pub fn find(cwd: &Path) -> Project {
        let cwd = fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        for dir in cwd.ancestors() {
            if let Some(root) = checkout_root(dir) {
                return Project { top: dir.to_path_buf(), root, cwd };
            }
        }
        Project { top: cwd.clone(), root: cwd.clone(), cwd }
    }

    /// A folder taken as it is, with no repository around it (for tests).
    pub fn at(dir: &Path) -> Project {
        Project { cwd: dir.to_path_buf(), top: dir.to_path_buf(), root: dir.to_path_buf() }
    }

    /// Whether `path`, with every link on its way resolved, lies inside the
    /// project's top folder. A path whose links cannot be followed to the
    /// end (a link to nothing, a loop) is not.
    pub fn holds(&self, path: &Path) -> bool {
        resolved(&normalize(&self.cwd.join(path))).is_some_and(|real| real.starts_with(&self.top))
    }

    /// Whether `path` names a place inside the project as written, before
    /// any link is followed.
    pub(crate) fn names_inside(&self, path: &Path) -> bool {
        normalize(&self.cwd.join(path)).starts_with(&self.top)
    }
}

/// The main root when `dir` is the top of a git checkout: a `.git` folder
/// (with a `HEAD`) makes `dir` the root; a `.git` file (`gitdir: …`) is a
/// linked worktree, whose git folder's `commondir` leads to the main one, or
/// a submodule, which is its own root. Claude Code 2.1.332 keys its local
/// scope exactly so (run: a worktree's key is the main checkout, a
/// submodule's its own folder).
fn checkout_root(dir: &Path) -> Option<PathBuf> {
    let dot_git = dir.join(".git");
    let meta = fs::metadata(&dot_git).ok()?;
    if meta.is_dir() {
        return dot_git.join("HEAD").is_file().then(|| dir.to_path_buf());
    }
    let pointer = read_short(&dot_git)?;
    let gitdir = pointer.lines().next()?.strip_prefix("gitdir:")?.trim();
    let gitdir = fs::canonicalize(dir.join(gitdir)).ok()?;
    if !gitdir.is_dir() {
        return None;
    }
    let Some(common) = read_short(&gitdir.join("commondir")) else { return Some(dir.to_path_buf()) };
    let common = fs::canonicalize(gitdir.join(common.trim())).ok()?;
    // The common folder is the main checkout's `.git`; a bare main repository has no checkout.
    if common.file_name().is_some_and(|n| n == ".git") { common.parent().map(Path::to_path_buf) } else { Some(common) }
}

/// A small regular file's text: a repository may hold a FIFO or a device
/// where git keeps a pointer, and opening one would wait forever.
fn read_short(path: &Path) -> Option<String> {
    if !fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    fs::File::open(path).ok()?.take(GIT_POINTER_LIMIT).read_to_string(&mut text).ok()?;
    Some(text)
}

/// `path` (absolute, normalized) with every link resolved: the longest part
/// that exists is resolved by the system, and the names after it, which do
/// not exist yet, are kept. `None` when something on the way exists but
/// cannot be resolved (a link to nothing: writing through it would create a
/// file wherever it points).
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut missing: Vec<OsString> = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        match fs::canonicalize(&at) {
            Ok(mut real) => {
                real.extend(missing.iter().rev());
                return Some(real);
            }
            Err(_) if fs::symlink_metadata(&at).is_ok() => return None,
            Err(_) => {
                missing.push(at.file_name()?.to_os_string());
                at = at.parent()?.to_path_buf();
            }
        }
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (a symlink in
/// the path stays as the user named it).
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn git(dir: &Path) {
        fs::create_dir_all(dir.join(".git")).unwrap();
        fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    }

    #[test]
    fn a_repository_a_worktree_a_submodule_and_no_repository() {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        let repo = base.join("repo");
        git(&repo);
        fs::create_dir_all(repo.join("sub/deeper")).unwrap();
        let found = Project::find(&repo.join("sub/deeper"));
        assert_eq!((found.top.as_path(), found.root.as_path()), (repo.as_path(), repo.as_path()));
        // A linked worktree: `.git` names its git folder, whose commondir leads back.
        let gitdir = repo.join(".git/worktrees/wt");
        fs::create_dir_all(&gitdir).unwrap();
        fs::write(gitdir.join("commondir"), "../..\n").unwrap();
        let wt = base.join("wt");
        fs::create_dir_all(wt.join("x")).unwrap();
        fs::write(wt.join(".git"), format!("gitdir: {}\n", gitdir.display())).unwrap();
        let found = Project::find(&wt.join("x"));
        assert_eq!((found.top.as_path(), found.root.as_path()), (wt.as_path(), repo.as_path()));
        // A submodule: its git folder has no commondir.
        let modules = repo.join(".git/modules/lib");
        fs::create_dir_all(&modules).unwrap();
        fs::create_dir_all(repo.join("lib")).unwrap();
        fs::write(repo.join("lib/.git"), "gitdir: ../.git/modules/lib\n").unwrap();
        let found = Project::find(&repo.join("lib"));
        assert_eq!(found.root, repo.join("lib"));
        // A FIFO where git keeps its pointer is not read (it would never answer).
        let fifo = base.join("fifo");
        fs::create_dir_all(&fifo).unwrap();
        assert!(std::process::Command::new("mkfifo").arg(fifo.join(".git")).status().unwrap().success());
        assert_eq!(Project::find(&fifo).root, fifo);
        // Through a link, and outside any repository.
        symlink(&repo, base.join("link")).unwrap();
        assert_eq!(Project::find(&base.join("link/sub")).root, repo);
        fs::create_dir_all(base.join("plain/sub")).unwrap();
        let found = Project::find(&base.join("plain/sub"));
        assert_eq!((found.top.clone(), found.root.clone()), (base.join("plain/sub"), base.join("plain/sub")));
    }

    #[test]
    fn a_path_is_held_only_when_every_link_on_its_way_stays_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        let repo = base.join("repo");
        git(&repo);
        let outside = base.join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("config.toml"), "").unwrap();
        let project = Project::find(&repo);
        assert!(project.holds(Path::new(".codex/config.toml")));
        symlink(outside.join("config.toml"), repo.join(".mcp.json")).unwrap();
        assert!(!project.holds(Path::new(".mcp.json")));
        symlink(&outside, repo.join(".cursor")).unwrap();
        assert!(!project.holds(Path::new(".cursor/mcp.json")));
        symlink(base.join("nowhere"), repo.join(".gemini")).unwrap();
        assert!(!project.holds(Path::new(".gemini/settings.json")));
        assert!(!project.holds(Path::new("../outside/x.json")));
        assert!(!project.names_inside(Path::new("../outside/x.json")));
        fs::create_dir_all(repo.join("inner")).unwrap();
        symlink(repo.join("inner"), repo.join(".vscode")).unwrap();
        assert!(project.holds(Path::new(".vscode/mcp.json")));
    }
}
