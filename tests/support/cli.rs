//! The real binary as a plain command: one home directory, the bases it talks
//! to, and runs with stdin, output and a time limit.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub use super::fake_trello::{ANN, SECRET, TOKEN};
use super::fake_trello::{FakeTrello, KEY};
use super::raw_server::closed_port;
use trello_auth::credentials::Secret;
use trello_auth::credentials::store::{Profile, Store};
use trello_auth::trello::{Expiration, Scopes};

/// How long a run that should end at once may take before the test fails it
/// (for [`Env::run_within`]).
pub const FAST: Duration = Duration::from_secs(10);

pub struct Env {
    pub dir: tempfile::TempDir,
    pub api_base: String,
    pub web_base: String,
}

impl Env {
    pub fn new(fake: &FakeTrello) -> Env {
        Env { dir: tempfile::tempdir().unwrap(), api_base: fake.api_base(), web_base: fake.web_base() }
    }

    /// Bases where nothing listens.
    pub fn offline() -> Env {
        Env::at(format!("http://127.0.0.1:{}/1", closed_port()))
    }

    /// A profile saved with [`TOKEN`], and bases where nothing listens.
    pub fn saved_offline() -> Env {
        let env = Env::offline();
        env.save("default", TOKEN, "never");
        env
    }

    /// Any API base; the web base is the same server without `/1`.
    pub fn at(api_base: String) -> Env {
        Env { dir: tempfile::tempdir().unwrap(), web_base: api_base.trim_end_matches("/1").to_string(), api_base }
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("trello-auth").join("config.toml")
    }

    pub fn store(&self) -> Store {
        Store::at(self.config())
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_trello-auth"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("TRELLO_API_BASE", &self.api_base)
            .env("TRELLO_WEB_BASE", &self.web_base)
            // The pinned MCP server: one install, offline, from the cache `.ci/run` fills.
            .env("XDG_DATA_HOME", super::mcp_sdk::shared_data_home())
            .env("npm_config_cache", super::mcp_sdk::npm_cache())
            .env("npm_config_offline", "true")
            .env("npm_config_update_notifier", "false")
            .stdin(Stdio::null());
        cmd
    }

    /// The command for a run in a pseudo-terminal ([`super::pty::Pty::spawn`]):
    /// [`super::pty::base_command`] in this home, with this Env's bases.
    pub fn pty_command(&self) -> portable_pty::CommandBuilder {
        let mut cmd = super::pty::base_command(self.dir.path());
        cmd.env("TRELLO_API_BASE", &self.api_base);
        cmd.env("TRELLO_WEB_BASE", &self.web_base);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        self.run_within(args, stdin, Duration::from_secs(60))
    }

    /// Runs with `stdin`, failing the test if the binary takes longer than
    /// `limit` (a hang is the bug some cases are about).
    pub fn run_within(&self, args: &[&str], stdin: &str, limit: Duration) -> Output {
        let mut cmd = self.cmd(args);
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                panic!("trello-auth {args:?} did not finish within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    }

    /// A profile `default` in the file holding a fresh never-expiring token of
    /// Ann's (read, write), and that token.
    pub fn saved_for_ann(fake: &FakeTrello) -> (Env, String) {
        let env = Env::new(fake);
        let token = fake.issue_token(KEY, ANN, "read,write", None);
        env.save("default", &token, "never");
        (env, token)
    }

    pub fn save(&self, name: &str, token: &str, expires: &str) {
        self.save_in(&self.store(), name, token, expires)
    }

    /// [`Env::save`] into another config file (a `--config` elsewhere).
    pub fn save_in(&self, store: &Store, name: &str, token: &str, expires: &str) {
        let profile = Profile {
            api_key: KEY.into(),
            api_secret: Some(Secret::new(SECRET)),
            token: Some(Secret::new(token)),
            app_name: "My-Trello-App".into(),
            requested_scope: Scopes::READ_WRITE,
            expiration: Expiration::ThirtyDays,
            member_id: Some(ANN.into()),
            member_username: Some("ann".into()),
            member_full_name: Some("Ann Example".into()),
            token_expires: Some(expires.into()),
            verified_at: Some("2026-11-28T12:00:00Z".into()),
            ..Profile::default()
        };
        store.save_profile(name, profile).unwrap();
    }

    /// The keyring's user name for `profile` of this config file.
    pub fn keyring_user(&self, profile: &str) -> String {
        keyring_user(&self.config(), profile)
    }

    /// Every file under the config directory that holds `needle`.
    pub fn files_holding(&self, needle: &str) -> Vec<PathBuf> {
        let dir = self.config().parent().unwrap().to_path_buf();
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| std::fs::read(p).is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(needle)))
            .collect()
    }
}

/// The keyring's user name for `profile` of the config file at `path`:
/// `profile@<keyring_id>`, the id written in the file on its first keyring save.
pub fn keyring_user(path: &std::path::Path, profile: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let config: toml::Table = toml::from_str(&text).unwrap_or_default();
    match config.get("keyring_id").and_then(|v| v.as_str()) {
        Some(id) => format!("{profile}@{id}"),
        None => profile.to_string(),
    }
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Makes `cmd`'s files stop growing past 64 bytes, as a full disk does: a
/// write beyond that fails with EFBIG ("File too large") instead of the
/// process being killed by SIGXFSZ.
pub fn as_if_the_disk_were_full(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            use nix::sys::resource::{Resource, setrlimit};
            use nix::sys::signal::{SigHandler, Signal, signal};
            signal(Signal::SIGXFSZ, SigHandler::SigIgn).map_err(std::io::Error::from)?;
            setrlimit(Resource::RLIMIT_FSIZE, 64, 64).map_err(std::io::Error::from)?;
            Ok(())
        });
    }
}

/// Fails when a failing command printed anything on stdout.
pub fn assert_failed_quietly(out: &Output, expected: i32) {
    assert_eq!(code(out), expected, "stderr: {}", stderr(out));
    assert!(out.stdout.is_empty(), "stdout on error: {}", stdout(out));
    assert!(!stderr(out).is_empty(), "an error needs a message");
}

/// Fails when the token or the key went into a URL's query, or the token into any path but `/1/tokens/`.
pub fn assert_no_token_in_urls(fake: &FakeTrello, token: &str) {
    for r in fake.requests() {
        let query = r.uri.split_once('?').map(|(_, q)| q).unwrap_or("");
        assert!(!query.contains(token) && !query.contains(KEY), "credentials in a query: {}", r.uri);
        if r.uri.contains(token) {
            assert!(r.uri.starts_with("/1/tokens/"), "token in {}", r.uri);
        }
    }
}

/// An RFC 3339 time `days` from now.
pub fn in_days(days: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    at.format(&time::format_description::well_known::Rfc3339).unwrap()
}
