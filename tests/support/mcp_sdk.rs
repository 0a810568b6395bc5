//! Real MCP software for the tests: the official MCP Python SDK in a virtual environment (its stdio client starts entries as clients do) and the real `@delorenj/mcp-server-trello` from npm, both installed by `.ci/run` into a cache folder.
//!
//! Without them the tests say NOT RUN, except in CI (`CI` set), where a
//! missing one fails the test: `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The SDK version pinned in `tests/mcp_client/requirements.txt` (what `.ci/run` installs).
pub fn mcp_sdk_version() -> String {
    let text = std::fs::read_to_string(scripts().join("requirements.txt")).unwrap();
    text.lines().find_map(|l| l.trim().strip_prefix("mcp==")).expect("mcp==VERSION in requirements.txt").to_string()
}

/// Where `.ci/run` keeps what it installs: out of the clone, kept between runs.
pub fn cache() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"));
    home.join(".cache").join("trello-auth-ci")
}

/// The repository's `tests/mcp_client` folder (the client and the stand-in server).
pub fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("mcp_client")
}

/// `None` and NOT RUN outside CI; a failure in CI.
pub fn missing<T>(case: &str, what: &str) -> Option<T> {
    if std::env::var_os("CI").is_some() {
        panic!("{case}: {what}; .ci/run installs it");
    }
    eprintln!("NOT RUN: {case}: {what} (run .ci/run once, or install it the same way)");
    None
}

/// The virtual environment's python, with the pinned SDK importable.
pub fn python(case: &str) -> Option<PathBuf> {
    let python = cache().join("venv").join("bin").join("python");
    let version = mcp_sdk_version();
    let ok = Command::new(&python)
        .args(["-c", "import importlib.metadata as m, sys; sys.exit(m.version('mcp') != sys.argv[1])", &version])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok { Some(python) } else { missing(case, &format!("no venv with mcp=={version} at {}", python.display())) }
}

/// The npm cache `.ci/run` fills from trello-auth's own lockfile
/// (`assets/mcp-server/`): trello-auth's install step runs from it offline.
pub fn npm_cache() -> PathBuf {
    cache().join("npm-cache")
}

/// `Some` when [`npm_cache`] holds the pinned packages; NOT RUN / a failure in CI otherwise.
pub fn offline_npm(case: &str) -> Option<()> {
    if npm_cache().join(".filled-from").exists() {
        Some(())
    } else {
        missing(case, &format!("no npm cache filled from assets/mcp-server at {}", npm_cache().display()))
    }
}

/// The data folder every test's trello-auth uses (support::cli::Env): the
/// pinned server is installed there by the first `--write` of a default
/// entry (from [`npm_cache`], offline), and shared by the rest.
pub fn shared_data_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("data-home")
}

/// The machine's `node`, found on this process's PATH.
pub fn node(case: &str) -> Option<PathBuf> {
    let out = Command::new("sh").args(["-c", "command -v node"]).output().ok()?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.success() && !path.is_empty() { Some(PathBuf::from(path)) } else { missing(case, "no node on PATH") }
}

/// How the client process is wrapped.
pub enum Around<'a> {
    Nothing,
    /// A private mount namespace where `/run/user/$UID/bus` is this socket:
    /// the per-user session bus a desktop session would have, so a server
    /// started without `DBUS_SESSION_BUS_ADDRESS` finds the test's keyring.
    RunUserBus(&'a Path),
    /// A network namespace with nothing in it: no request can leave the machine.
    NoNetwork,
}

/// Whether namespaces can be made here (root: CI runs as root).
pub fn namespaces(case: &str) -> Option<()> {
    let ok = Command::new("unshare")
        .args(["--mount", "--net", "--propagation", "private", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok { Some(()) } else { missing(case, "unshare --mount --net is not permitted here (it needs root)") }
}

/// Runs `client.py` the way an MCP client application would run: this
/// process's environment replaced by a person's short one (`client_path`,
/// `HOME`, `USER`, …) plus `noise`, variables the SDK must not pass on.
/// Returns what the client printed, parsed.
pub fn start(
    python: &Path,
    home: &Path,
    client_path: &str,
    noise: &[(&str, &str)],
    around: Around,
    client_args: &[&str],
) -> serde_json::Value {
    let client = scripts().join("client.py");
    let mut cmd = match around {
        Around::Nothing => Command::new(python),
        Around::RunUserBus(socket) => {
            let mut cmd = Command::new("unshare");
            cmd.args(["--mount", "--propagation", "private", "sh", "-c"])
                .arg(
                    "set -e; mkdir -p /run/user; mount -t tmpfs -o mode=0755 tmpfs /run/user; d=/run/user/$(id -u); mkdir -m 700 \"$d\"; \
                     ln -s \"$1\" \"$d/bus\"; shift; exec \"$@\"",
                )
                .arg("sh")
                .arg(socket)
                .arg(python);
            cmd
        }
        Around::NoNetwork => {
            let mut cmd = Command::new("unshare");
            cmd.args(["--net"]).arg(python);
            cmd
        }
    };
    cmd.arg(&client)
        .args(client_args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", client_path)
        .env("USER", "ann")
        .env("LOGNAME", "ann")
        .env("SHELL", "/bin/sh")
        .env("TERM", "dumb")
        .current_dir(home);
    for (k, v) in noise {
        cmd.env(k, v);
    }
    let out = run_bounded(cmd);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the MCP client failed ({}):\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// A client that hangs must not hang the suite.
fn run_bounded(mut cmd: Command) -> Output {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(90) {
            let _ = child.kill();
            panic!("the MCP client did not finish within 90 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}
