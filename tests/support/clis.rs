//! The real agent CLIs (Claude Code, Codex CLI, Gemini CLI, OpenCode) at the versions `tests/mcp_client/clis.json` pins, which `.ci/run` installs into its cache: run as a person's would be, in a home of the test's own, with no network at all.
//!
//! Without one the test says NOT RUN, except in CI, where it fails
//! (`mcp_sdk::missing`).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::mcp_sdk::{cache, missing, namespaces, node, scripts};

/// One pinned CLI, found where `.ci/run` installs it.
pub struct Cli {
    pub name: &'static str,
    pub program: PathBuf,
    /// The folder of the `node` the Node.js-based CLIs run on.
    node_dir: PathBuf,
}

/// The pin of `name` in `tests/mcp_client/clis.json`: `package@version`, and its program's name.
pub fn pin(name: &str) -> (String, String) {
    let text = std::fs::read_to_string(scripts().join("clis.json")).unwrap();
    let pins: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pin = &pins[name];
    let spec = format!("{}@{}", pin["package"].as_str().unwrap(), pin["version"].as_str().unwrap());
    (spec, pin["bin"].as_str().unwrap().to_string())
}

/// The CLI `name`, installed at its pin, and namespaces to run it without a
/// network; `None` (NOT RUN, or a failure in CI) otherwise.
pub fn cli(case: &str, name: &'static str) -> Option<Cli> {
    namespaces(case)?;
    let node = node(case)?;
    let (spec, bin) = pin(name);
    let dir = cache().join("clis").join(name);
    let installed = std::fs::read_to_string(dir.join(".pinned")).unwrap_or_default();
    let program = dir.join("node_modules").join(".bin").join(bin);
    if installed.trim() != spec || !program.exists() {
        return missing(case, &format!("{spec} is not installed in {}", dir.display()));
    }
    Some(Cli { name, program, node_dir: node.parent().unwrap().to_path_buf() })
}

impl Cli {
    /// Runs the CLI with `args` in `cwd`: `home` is its HOME and its XDG
    /// config folder (as `support::cli::Env` gives trello-auth), its caches
    /// and logs under `home/.cli-state`, `vars` added; stdin closed, no
    /// network (`unshare --net`), at most 90 s.
    pub fn run(&self, home: &Path, cwd: &Path, args: &[&str], vars: &[(&str, &OsStr)]) -> Output {
        self.run_program(&self.program, home, cwd, args, vars)
    }

    /// Runs a shell line (a printed add command) as [`Cli::run`] runs the CLI,
    /// with the CLI's folder first on PATH.
    pub fn run_line(&self, home: &Path, cwd: &Path, line: &str) -> Output {
        let shell = format!("PATH={}:\"$PATH\"; {line}", self.program.parent().unwrap().display());
        self.run_program(Path::new("/bin/sh"), home, cwd, &["-c", &shell], &[])
    }

    fn run_program(&self, program: &Path, home: &Path, cwd: &Path, args: &[&str], vars: &[(&str, &OsStr)]) -> Output {
        let state = home.join(".cli-state");
        let mut cmd = Command::new("unshare");
        cmd.arg("--net")
            .arg(program)
            .args(args)
            .env_clear()
            .env("HOME", home)
            .env("PATH", format!("{}:/usr/bin:/bin", self.node_dir.display()))
            .env("XDG_CONFIG_HOME", home)
            .env("XDG_DATA_HOME", state.join("data"))
            .env("XDG_CACHE_HOME", state.join("cache"))
            .env("XDG_STATE_HOME", state.join("state"))
            .env("USER", "ann")
            .env("TERM", "dumb")
            .env("LANG", "C.UTF-8")
            // No update checks, telemetry or model lists: nothing could reach them anyway.
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
            .env("DISABLE_AUTOUPDATER", "1")
            .env("OPENCODE_DISABLE_MODELS_FETCH", "1")
            .env("OPENCODE_DISABLE_AUTOUPDATE", "1")
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(90) {
                let _ = child.kill();
                panic!("{} {args:?} did not finish within 90 s", self.name);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    }
}

/// Both streams of a CLI's run, for assertions that print what it said.
pub fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}
