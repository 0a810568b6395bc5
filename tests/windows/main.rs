//! The Windows test set: the real trello-auth.exe under Wine, against the fake Trello on 127.0.0.1.
//!
//! `.ci/windows` builds the .exe for `x86_64-pc-windows-gnu`, the Wine shim
//! (`bcryptprimitives.dll`, put beside it) and `hold.exe`, makes a Wine
//! prefix, and runs `cargo test --features wine-tests --test windows` with
//! `TRELLO_AUTH_WINDOWS_EXE`, `TRELLO_AUTH_WINE_HOLD`, `WINE` and
//! `WINEPREFIX` set. Anything missing is a panic that says what, never a skip.
//!
//! Every file a test uses is under the prefix's `drive_c`, seen by the .exe
//! as `C:\…`: Wine shows a file's Unix owner and mode as its owner and access
//! list (another uid is "Anonymous", the other-bits are "Everyone"), so a
//! folder such as `/tmp` (1777) would be one Everyone may write, rightly refused.

#[allow(dead_code)]
#[path = "../support/fake_trello.rs"]
mod fake_trello;
#[path = "../support/values.rs"]
mod values;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use fake_trello::{FakeTrello, KEY};

const ANN: &str = "5f0000000000000000000a11";
/// What `exec` writes where a secret was.
const HIDDEN: &str = "[hidden by trello-auth]";

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: the Windows tests run from .ci/windows, which builds the .exe and sets it")
    })
}

fn exe() -> PathBuf {
    let exe = PathBuf::from(required("TRELLO_AUTH_WINDOWS_EXE"));
    assert!(exe.is_file(), "{} is not a file", exe.display());
    let shim = exe.with_file_name("bcryptprimitives.dll");
    assert!(shim.is_file(), "the Wine shim {} is missing: the .exe would not load under Wine 8", shim.display());
    exe
}

fn prefix() -> PathBuf {
    let prefix = PathBuf::from(required("WINEPREFIX"));
    assert!(prefix.join("drive_c").is_dir(), "{} is no Wine prefix", prefix.display());
    prefix
}

/// The Windows name of a file under the prefix's `drive_c`.
fn windows_path(path: &Path) -> String {
    let drive_c = prefix().join("drive_c");
    let rest = path.strip_prefix(&drive_c).unwrap_or_else(|_| panic!("{} is not under drive_c", path.display()));
    format!(r"C:\{}", rest.display().to_string().replace('/', "\\"))
}

/// One test's folder under `C:\tests`, a fake Trello with Ann, and her token.
struct Env {
    dir: tempfile::TempDir,
    fake: FakeTrello,
    token: String,
}

impl Env {
    fn new() -> Env {
        let tests = prefix().join("drive_c").join("tests");
        std::fs::create_dir_all(&tests).unwrap();
        let dir = tempfile::Builder::new().prefix("t").tempdir_in(&tests).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let fake = FakeTrello::with_ann();
        let token = fake.issue_token(KEY, ANN, "read,write", None);
        Env { dir, fake, token }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// A Windows program under Wine, with the fake Trello's bases and this test's config file.
    fn wine(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(required("WINE"));
        // A clean environment, as tests/support/cli does: no variable of the
        // machine running CI (XDG_CONFIG_HOME, VSCODE_APPDATA, TRELLO_*) may
        // steer the .exe. Wine itself needs PATH and HOME.
        cmd.arg(program)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", std::env::var_os("HOME").unwrap_or_default())
            .env("WINEPREFIX", prefix())
            .env("WINEDEBUG", "-all")
            .env("TRELLO_API_BASE", self.fake.api_base())
            .env("TRELLO_WEB_BASE", self.fake.web_base())
            .env("TRELLO_AUTH_CONFIG", windows_path(&self.config()))
            .env("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "20000")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        cmd
    }

    fn cmd(&self, args: &[&str]) -> Command {
        self.wine(&exe().display().to_string(), args)
    }

    fn run(&self, args: &[&str]) -> Output {
        within(self.cmd(args), None)
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        within(self.cmd(args), Some(stdin))
    }

    /// `login --with-token` of Ann's token from stdin, as a script would.
    fn login(&self, more: &[&str]) -> Output {
        let mut args = vec!["login", "--with-token", "--key", KEY];
        args.extend_from_slice(more);
        let out = self.run_with_stdin(&args, &format!("{}\n", self.token));
        assert_eq!(out.status.code(), Some(0), "{}", said(&out));
        out
    }

    fn config_text(&self) -> String {
        std::fs::read_to_string(self.config()).unwrap()
    }
}

/// Runs `cmd` to its end, feeding `stdin`, within two minutes (Wine's first start is slow).
fn within(mut cmd: Command, stdin: Option<&str>) -> Output {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("wine could not be started");
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    let id = child.id();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("no end after {:?}", started.elapsed())
        }
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn said(out: &Output) -> String {
    format!("status {:?}\nstdout:\n{}\nstderr:\n{}", out.status, stdout(out), stderr(out))
}

#[test]
fn version() {
    let env = Env::new();
    let out = env.run(&["--version"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert_eq!(stdout(&out).trim(), format!("trello-auth {}", env!("CARGO_PKG_VERSION")));
}

/// The everyday path: a token from stdin, verified against Trello, saved;
/// `status` reads it back; `token` into a pipe gives it whole.
#[test]
fn login_from_stdin_then_status_and_token_into_a_pipe() {
    let env = Env::new();
    let out = env.login(&[]);
    assert!(!stdout(&out).contains(&env.token) && !stderr(&out).contains(&env.token), "{}", said(&out));
    assert!(env.config_text().contains(&env.token));
    let status = env.run(&["status"]);
    assert_eq!(status.status.code(), Some(0), "{}", said(&status));
    assert!(stdout(&status).contains("ann"), "{}", said(&status));
    assert!(!stdout(&status).contains(&env.token), "{}", said(&status));
    let token = env.run(&["token"]);
    assert_eq!(token.status.code(), Some(0), "{}", said(&token));
    assert_eq!(stdout(&token).trim_end_matches(['\r', '\n']), env.token);
}

/// Without --config the file is `%APPDATA%\trello-auth\config.toml`.
#[test]
fn the_default_config_is_under_appdata() {
    let env = Env::new();
    let appdata = prefix().join("drive_c/users").join(whoami()).join("AppData/Roaming/trello-auth/config.toml");
    let _ = std::fs::remove_file(&appdata);
    let mut cmd = env.cmd(&["login", "--with-token", "--key", KEY]);
    cmd.env_remove("TRELLO_AUTH_CONFIG");
    let out = within(cmd, Some(&format!("{}\n", env.token)));
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let text =
        std::fs::read_to_string(&appdata).unwrap_or_else(|e| panic!("{}: {e}\n{}", appdata.display(), said(&out)));
    assert!(text.contains(&env.token));
    std::fs::remove_file(&appdata).unwrap();
}

/// The Unix user Wine runs as: its profile folder's name.
fn whoami() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// PowerShell's lines, checked as text (no PowerShell runs here): one
/// `$env:NAME = '…'` a variable, the value single-quoted.
#[test]
fn env_for_powershell() {
    let env = Env::new();
    env.login(&[]);
    let out = env.run(&["env", "--format", "powershell"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let text = stdout(&out);
    assert!(text.contains(&format!("$env:TRELLO_API_KEY = '{KEY}'")), "{text}");
    assert!(text.contains(&format!("$env:TRELLO_TOKEN = '{}'", env.token)), "{text}");
}

/// `env --format cmd` run by Wine's own `cmd /c`: the variables it sets are
/// the saved ones. The lines go through a `.cmd` file: Wine's `cmd` will not
/// run a `set` that comes from a `for /f … do @%L` loop, which real Windows does.
#[test]
fn env_for_cmd_run_by_cmd() {
    let env = Env::new();
    env.login(&[]);
    let out = env.run(&["env", "--format", "cmd"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let script = env.dir.path().join("vars.cmd");
    let body = format!("@echo off\r\n{}\r\necho key=%TRELLO_API_KEY%\r\necho token=%TRELLO_TOKEN%\r\n", stdout(&out));
    std::fs::write(&script, body).unwrap();
    let ran = within(env.wine("cmd", &["/c", &windows_path(&script)]), None);
    let text = stdout(&ran);
    assert!(text.contains(&format!("key={KEY}")) && text.contains(&format!("token={}", env.token)), "{}", said(&ran));
}

/// `exec`: the variables reach a child `cmd`, the secret is hidden in output
/// that goes into a pipe, and the child's exit code is this one's.
#[test]
fn exec_passes_the_variables_hides_the_token_in_a_pipe_and_passes_the_exit_code() {
    let env = Env::new();
    env.login(&[]);
    let out = env.run(&["exec", "--", "cmd", "/c", "echo key=%TRELLO_API_KEY% token=%TRELLO_TOKEN%"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let text = stdout(&out);
    assert!(text.contains(&format!("key={KEY}")), "{}", said(&out));
    assert!(text.contains(&format!("token={HIDDEN}")), "{}", said(&out));
    assert!(!text.contains(&env.token), "{}", said(&out));
    // Unmasked, the child sees the real value (it is what the variable is for).
    let seen = env.run(&["exec", "--no-mask", "--", "cmd", "/c", "echo %TRELLO_TOKEN%"]);
    assert_eq!(stdout(&seen).trim(), env.token, "{}", said(&seen));
    for code in ["0", "3", "42"] {
        let out = env.run(&["exec", "--", "cmd", "/c", &format!("exit {code}")]);
        assert_eq!(out.status.code(), Some(code.parse().unwrap()), "{}", said(&out));
        let out = env.run(&["exec", "--no-mask", "--", "cmd", "/c", &format!("exit {code}")]);
        assert_eq!(out.status.code(), Some(code.parse().unwrap()), "--no-mask: {}", said(&out));
    }
    let missing = env.run(&["exec", "--", "no-such-program-here"]);
    assert_eq!(missing.status.code(), Some(127), "{}", said(&missing));
}

/// `storage keyring` moves the token into the Credential Manager: the config
/// file no longer holds it, `token` still returns it, `storage file` brings
/// it back; `logout` removes the entry (a copy of the config that names it
/// finds nothing).
#[test]
fn the_credential_manager_round_trip() {
    let env = Env::new();
    env.login(&[]);
    let moved = env.run(&["storage", "keyring"]);
    assert_eq!(moved.status.code(), Some(0), "{}", said(&moved));
    let text = env.config_text();
    assert!(!text.contains(&env.token) && text.contains("keyring"), "{text}");
    let token = env.run(&["token"]);
    assert_eq!(stdout(&token).trim(), env.token, "{}", said(&token));
    let back = env.run(&["storage", "file"]);
    assert_eq!(back.status.code(), Some(0), "{}", said(&back));
    assert!(env.config_text().contains(&env.token));
    let again = env.run(&["storage", "keyring"]);
    assert_eq!(again.status.code(), Some(0), "{}", said(&again));
    let naming = env.config_text();
    let out = env.run(&["logout", "--keep-remote"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    std::fs::write(env.config(), naming).unwrap();
    let gone = env.run(&["token"]);
    assert_ne!(gone.status.code(), Some(0), "the entry is still there: {}", said(&gone));
    assert!(!stdout(&gone).contains(&env.token), "{}", said(&gone));
}

/// `mcp vscode --write` writes VS Code's user file under `%APPDATA%\Code\User`.
#[test]
fn mcp_vscode_writes_the_windows_path() {
    let env = Env::new();
    env.login(&[]);
    let user = prefix().join("drive_c/users").join(whoami()).join("AppData/Roaming/Code/User");
    let file = user.join("mcp.json");
    let _ = std::fs::remove_file(&file);
    let out = env.run(&["mcp", "vscode", "--write", "--server", "cmd /c echo"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}\n{}", file.display(), said(&out)));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entry = &json["servers"]["trello"];
    assert_eq!(entry["type"], "stdio", "{text}");
    // trello-auth.exe itself, by absolute path, running the server through `exec`.
    assert!(entry["command"].as_str().unwrap().ends_with(r"\trello-auth.exe"), "{text}");
    let args: Vec<&str> = entry["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(args.iter().any(|a| a.eq_ignore_ascii_case(r"C:\windows\system32\cmd.exe")), "{text}");
    assert!(!text.contains(&env.token), "{text}");
    // cmd.exe is in the system's folder, which every client searches: no PATH
    // is added for it (the folders compare without case, as Windows names do).
    assert!(entry["env"].get("PATH").is_none(), "{text}");
    std::fs::remove_file(&file).unwrap();
}

/// A config file that is not TOML is refused, and left byte for byte.
#[test]
fn a_corrupt_config_is_refused_untouched() {
    let env = Env::new();
    std::fs::write(env.config(), "[profiles.default\ntoken = 'x").unwrap();
    std::fs::set_permissions(env.config(), std::fs::Permissions::from_mode(0o600)).unwrap();
    let before = std::fs::read(env.config()).unwrap();
    for args in [&["status"][..], &["login", "--with-token", "--key", KEY]] {
        let out = env.run_with_stdin(args, &format!("{}\n", env.token));
        assert_ne!(out.status.code(), Some(0), "{args:?}: {}", said(&out));
        assert!(stderr(&out).contains("config.toml"), "{args:?}: {}", said(&out));
        assert_eq!(std::fs::read(env.config()).unwrap(), before, "{args:?}");
    }
}

/// Starts `hold.exe` on `file` for `ms` milliseconds; returns once it holds it.
fn hold(env: &Env, file: &Path, ms: u32) -> std::process::Child {
    hold_as(env, file, ms, &[])
}

/// [`hold`], with `hold.exe`'s further words (`lock`).
fn hold_as(env: &Env, file: &Path, ms: u32, more: &[&str]) -> std::process::Child {
    let hold = required("TRELLO_AUTH_WINE_HOLD");
    let mut args = vec![windows_path(file), ms.to_string()];
    args.extend(more.iter().map(|m| m.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = env.wine(&hold, &args).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "holding", "hold.exe did not start");
    child
}

/// A save whose target another program holds open (without sharing its
/// deletion, as an editor or a virus scan may) is retried; a hold that
/// lasts past the retries is said in plain words and changes nothing.
#[test]
fn a_save_is_retried_while_another_program_holds_the_file() {
    let env = Env::new();
    env.login(&[]);
    let mut brief = hold(&env, &env.config(), 1500);
    let out = env.run(&["logout", "--keep-remote"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    brief.wait().unwrap();
    assert!(!env.config_text().contains(&env.token));
    env.login(&[]);
    let before = env.config_text();
    let mut long = hold(&env, &env.config(), 8000);
    let out = env.run(&["logout", "--keep-remote"]);
    long.wait().unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", said(&out));
    assert!(stderr(&out).contains("another program has it open"), "{}", said(&out));
    assert_eq!(env.config_text(), before);
}

/// The ownership check on Windows: a config owned by another account (Wine
/// shows another uid as Anonymous) or one Everyone may write is refused.
#[test]
fn a_config_another_account_owns_or_may_change_is_refused() {
    let env = Env::new();
    env.login(&[]);
    std::fs::set_permissions(env.config(), std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = env.run(&["status"]);
    assert_ne!(out.status.code(), Some(0), "{}", said(&out));
    let err = stderr(&out);
    assert!(err.contains("can be written by Everyone (its access list)") && err.contains("icacls"), "{err}");
    std::fs::set_permissions(env.config(), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(env.config(), Some(4242), None).unwrap();
    let out = env.run(&["status"]);
    assert_ne!(out.status.code(), Some(0), "{}", said(&out));
    let err = stderr(&out);
    assert!(err.contains("it is owned by Anonymous, not by you (S-1-5-21-"), "{err}");
    assert!(!stdout(&out).contains(&env.token));
}

/// The warning about a file others can read, in its Windows words: the
/// config itself, and a file `token` is written into.
#[test]
fn files_others_can_read_are_said() {
    let env = Env::new();
    env.login(&[]);
    std::fs::set_permissions(env.config(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert!(stderr(&out).contains("can be read by Everyone (its access list)"), "{}", said(&out));
    let into = env.dir.path().join("token.txt");
    std::fs::write(&into, "").unwrap();
    std::fs::set_permissions(&into, std::fs::Permissions::from_mode(0o644)).unwrap();
    let line = format!("{} token > {}", windows_path_of_exe(), windows_path(&into));
    let out = within(env.wine("cmd", &["/c", &line]), None);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let err = stderr(&out);
    assert!(err.contains("can be read by Everyone (its access list)") && err.contains("icacls"), "{err}");
    assert_eq!(std::fs::read_to_string(&into).unwrap().trim(), env.token);
}

/// The .exe as `cmd` names it (Wine maps `/` to `Z:`).
fn windows_path_of_exe() -> String {
    format!("Z:{}", exe().display().to_string().replace('/', "\\"))
}

/// The lock works on Windows: a change waits while another program holds
/// the lock file (`LockFileEx`, as another trello-auth does), says what it
/// waits for after a moment, and goes on once it is let go.
#[test]
fn a_change_waits_for_the_lock_another_holds_and_says_so() {
    let env = Env::new();
    env.login(&[]);
    // The lock file of the config: named by a hash of its canonical path, in
    // trello-auth's own folder; Windows' canonical form is `\\?\C:\…`.
    let canonical = format!(r"\\?\{}", windows_path(&env.config()));
    let name = trello_auth::files::lock_name(Path::new(&canonical));
    let locks = prefix().join("drive_c/users").join(whoami()).join("AppData/Roaming/trello-auth/locks");
    let lock = locks.join(&name);
    let names: Vec<_> =
        std::fs::read_dir(&locks).map(|d| d.flatten().map(|e| e.file_name()).collect()).unwrap_or_default();
    assert!(lock.is_file(), "no lock file {name} for {canonical} in {}: {names:?}", locks.display());
    let mut held = hold_as(&env, &lock, 2500, &["lock"]);
    let started = Instant::now();
    let out = env.run(&["logout", "--keep-remote"]);
    let waited = started.elapsed();
    held.wait().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert!(waited >= Duration::from_secs(2), "it did not wait: {waited:?}\n{}", said(&out));
    assert!(stderr(&out).contains("waiting for another trello-auth to finish changing"), "{}", said(&out));
    assert!(!env.config_text().contains(&env.token));
}

/// An exit code above 255 (a Windows status such as 0xC000013A, a child
/// ended by Ctrl+C) comes back whole, relayed or not: `cmd` sees it.
#[test]
fn exec_passes_an_exit_code_above_255_whole() {
    let env = Env::new();
    env.login(&[]);
    let exe = windows_path_of_exe();
    let script = env.dir.path().join("codes.cmd");
    let body = format!(
        "@echo off\r\n{exe} exec -- cmd /c exit 300\r\necho relayed=%ERRORLEVEL%\r\n\
         {exe} exec --no-mask -- cmd /c exit -1073741510\r\necho direct=%ERRORLEVEL%\r\n"
    );
    std::fs::write(&script, body).unwrap();
    let out = within(env.wine("cmd", &["/c", &windows_path(&script)]), None);
    let text = stdout(&out);
    assert!(text.contains("relayed=300"), "{}", said(&out));
    assert!(text.contains("direct=-1073741510"), "{}", said(&out));
}

/// The .exe under Wine's console in a pseudo-terminal (`script`, which
/// ends with the program's exit code): what it printed so far, and keys.
struct Console {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    seen: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Console {
    fn start(env: &Env, args: &[&str]) -> Console {
        use std::io::Read;
        let base = env.cmd(&[]);
        let mut cmd = Command::new("script");
        let line = format!("{} {} {}", required("WINE"), exe().display(), args.join(" "));
        cmd.args(["-qfec", &line, "/dev/null"]).env_clear().current_dir(env.dir.path());
        for (name, value) in base.get_envs() {
            if let Some(value) = value {
                cmd.env(name, value);
            }
        }
        cmd.env("TERM", "xterm-256color");
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut out = child.stdout.take().unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let reader = {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = out.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    seen.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            })
        };
        Console { child, stdin, seen, reader: Some(reader) }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen.lock().unwrap()).into_owned()
    }

    /// Waits until `words` have been printed (Wine's console breaks long
    /// lines where the pseudo-terminal ends: look for a few words).
    fn expect(&self, words: &str) {
        let started = Instant::now();
        while !self.text().contains(words) {
            assert!(started.elapsed() < Duration::from_secs(60), "no {words:?}:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn send(&mut self, keys: &[u8]) {
        self.stdin.write_all(keys).unwrap();
    }

    /// Waits for the end: the exit code and everything printed.
    fn end(mut self) -> (Option<i32>, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("no end:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        (status.code(), self.text())
    }
}

/// The wizard under Wine's console, in a pseudo-terminal: it draws its
/// first screen, takes a key, and gives the terminal back (leaves the
/// alternate screen) as it quits.
#[test]
fn the_wizard_draws_takes_a_key_and_gives_the_terminal_back_under_wines_console() {
    let env = Env::new();
    let mut console = Console::start(&env, &[]);
    console.expect("1 Portal");
    console.send(b"q");
    let (_, all) = console.end();
    let drawn = all.find("1 Portal").unwrap();
    assert!(all[drawn..].contains("\x1b[?1049l"), "the alternate screen was not left:\n{all}");
}

/// `login`'s prompt at Wine's console: the token typed is not echoed and is
/// saved; Ctrl+C there quits and saves nothing.
#[test]
fn login_reads_the_token_without_echo_at_wines_console() {
    let env = Env::new();
    let mut console = Console::start(&env, &["login", "--with-token", "--key", KEY]);
    console.expect("Paste the token");
    console.send(format!("{}\r", env.token).as_bytes());
    let (code, all) = console.end();
    assert_eq!(code, Some(0), "{all}");
    assert!(!all.contains(&env.token), "the token was echoed:\n{all}");
    assert!(all.contains("Logged in as"), "{all}");
    assert!(env.config_text().contains(&env.token));

    let other = Env::new();
    let mut console = Console::start(&other, &["login", "--with-token", "--key", KEY]);
    console.expect("Paste the token");
    console.send(b"ATTA\x03");
    let (code, all) = console.end();
    // Wine's console turns this Ctrl+C into a console event that ends the
    // process, where Windows with processed input off (crossterm's raw
    // mode) hands it over as a byte and `login` says "quit at the token
    // prompt": only the outcome both share is checked.
    assert_ne!(code, Some(0), "{all}");
    assert!(!other.config().exists(), "{all}");
}
