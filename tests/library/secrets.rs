//! Nothing leaks: every flow runs with known secret values, and everything that
//! leaves the process is searched for them.
//!
//! Allowed places: the config file and its backup (mode 0600), the
//! `Authorization` header, `env`'s stdout, and the screen after the user chose
//! to reveal. The one request-line exception is Trello's own
//! `/1/tokens/{token}` path, which names the token it is about.

use crate::support;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::fake_trello::{ANN, FakeTrello, KEY};
use support::pty::{CTRL_C, ENTER, Pty, base_command};

const SECRET: &str = "5ec12e75ec12e75ec12e75ec12e75ec12e75ec12e75ec12e75ec12e75ec12e7a";
const CTRL_R: &str = "\x12";

struct Audit {
    fake: FakeTrello,
    home: tempfile::TempDir,
    secrets: Vec<String>,
}

impl Audit {
    fn new() -> Audit {
        let fake = FakeTrello::with_ann();
        Audit { fake, home: tempfile::tempdir().unwrap(), secrets: vec![SECRET.to_string()] }
    }

    fn token(&mut self, scope: &str) -> String {
        let token = self.fake.issue_token(KEY, ANN, scope, None);
        self.secrets.push(token.clone());
        token
    }

    fn assert_clean(&self, what: &str, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        for s in &self.secrets {
            assert!(!text.contains(s.as_str()), "{what} contains a secret ({}…)", &s[..8]);
        }
    }

    fn pty(&self, args: &[&str]) -> Pty {
        let mut cmd = base_command(self.home.path());
        cmd.args(args);
        cmd.env("TRELLO_API_BASE", self.fake.api_base());
        cmd.env("TRELLO_WEB_BASE", self.fake.web_base());
        Pty::spawn(cmd, 120, 30)
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trello-auth"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env("TRELLO_API_BASE", self.fake.api_base())
            .env("TRELLO_WEB_BASE", self.fake.web_base())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    /// A command whose stdout and stderr must both be clean.
    fn run_clean(&self, args: &[&str], stdin: &str) -> Output {
        let out = self.run(args, stdin);
        self.assert_clean(&format!("stdout of {args:?}"), &out.stdout);
        self.assert_clean(&format!("stderr of {args:?}"), &out.stderr);
        out
    }

    fn config(&self) -> std::path::PathBuf {
        self.home.path().join("trello-auth").join("config.toml")
    }
}

/// Walks the wizard to a verified, saved profile with the secret and `token`.
fn wizard_setup(audit: &Audit, token: &str, reveal_at_the_end: bool) {
    let mut pty = audit.pty(&[]);
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.send("ann@example.com");
    pty.send(ENTER);
    pty.paste(KEY);
    pty.send("\t");
    pty.paste(SECRET);
    pty.expect("looks like a valid API secret");
    pty.send(ENTER);
    // A wrong paste first: the secret where the token belongs.
    pty.paste(SECRET);
    pty.expect("this is your API secret, not a token");
    pty.paste(&format!("ATTA{}0000FFFF", "7".repeat(64)));
    pty.send(ENTER);
    pty.expect("Trello rejected the token");
    pty.send(ENTER);
    pty.paste(token);
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    audit.assert_clean("the wizard's terminal output", &pty.raw_output());
    if reveal_at_the_end {
        pty.send(CTRL_R);
        let screen = pty.expect(token);
        assert!(screen.contains(token), "revealed on request");
    }
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}

#[test]
fn no_secret_leaves_the_process_except_where_it_must() {
    let mut audit = Audit::new();
    let old = audit.token("read,write");
    let new = audit.token("read,write");
    let spare = audit.token("read,write");

    wizard_setup(&audit, &old, false);
    // The same with a reveal at the very end: before it, nothing.
    let reveal_home = tempfile::tempdir().unwrap();
    let revealing = Audit { fake: FakeTrello::with_ann(), home: reveal_home, secrets: audit.secrets.clone() };
    let t = revealing.fake.issue_token(KEY, ANN, "read,write", None);
    let mut revealing = revealing;
    revealing.secrets.push(t.clone());
    wizard_setup(&revealing, &t, true);

    // Rotate, revoking the old token.
    let mut pty = audit.pty(&["rotate"]);
    pty.expect("Authorize a new token");
    pty.paste(&new);
    pty.send(ENTER);
    pty.expect("Revoke the old one");
    pty.send("y");
    pty.expect("The old token is revoked");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    audit.assert_clean("rotate's terminal output", &pty.raw_output());

    // The start screen with a verification.
    let mut pty = audit.pty(&[]);
    pty.expect("Logged in as");
    pty.send("v");
    pty.expect("Trello accepts the key and token");
    pty.send(CTRL_C);
    pty.wait();
    audit.assert_clean("the start screen's output", &pty.raw_output());

    // Plain commands and their error paths.
    for args in [
        vec!["status"],
        vec!["status", "--json"],
        vec!["status", "--all", "--offline"],
        vec!["--profile", "nope", "status"],
        vec!["--profile", "nope", "env"],
        vec!["env", "--format", "nope"],
    ] {
        audit.run_clean(&args, "");
    }
    let env = audit.run(&["env", "--with-secret"], "");
    let text = String::from_utf8_lossy(&env.stdout);
    assert!(text.contains(&new) && text.contains(SECRET), "env prints them: that is its job");
    audit.assert_clean("env's stderr", &env.stderr);

    // login: good, then bad tokens, each fed on stdin.
    let ok = audit.run_clean(&["login", "--with-token", "--key", KEY, "--profile", "ci"], &spare);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    for bad in [format!("ATTA{}0000EEEE", "8".repeat(64)), SECRET.to_string(), format!("{spare}junk")] {
        let out = audit.run_clean(&["login", "--with-token", "--key", KEY, "--profile", "ci2"], &bad);
        assert_ne!(out.status.code(), Some(0));
    }
    // logout: a failure (read-only token cannot revoke), then success.
    let read_only = audit.token("read");
    let ok = audit.run_clean(&["login", "--with-token", "--key", KEY, "--profile", "ro"], &read_only);
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(audit.run_clean(&["--profile", "ro", "logout"], "").status.code(), Some(1));
    assert_eq!(audit.run_clean(&["--profile", "ci", "logout"], "").status.code(), Some(0));

    // What the fake Trello saw.
    for request in audit.fake.requests() {
        let line = format!("{} {}", request.method, request.uri);
        assert!(!line.contains(SECRET), "the secret was sent: {line}");
        for token in &audit.secrets {
            if line.contains(token.as_str()) {
                // Only as the path segment of /1/tokens/{token}, never in a query.
                let in_path = request.uri.starts_with("/1/tokens/") && !request.uri.contains('?');
                assert!(in_path, "token in a request line: {line}");
            }
        }
        for (name, value) in &request.headers {
            if name == "authorization" {
                assert!(!value.contains(SECRET));
                continue;
            }
            audit.assert_clean(&format!("request header {name}"), value.as_bytes());
        }
    }

    // Files: only the config and its backup may hold them, both 0600.
    let mut checked = 0;
    for entry in walk(audit.home.path()) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&entry).unwrap();
        if name == "config.toml" || name == "config.toml.bak" {
            assert_eq!(std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777, 0o600, "{name}");
            checked += 1;
        } else {
            audit.assert_clean(&format!("file {}", entry.display()), &bytes);
        }
    }
    assert_eq!(checked, 2, "the config and its backup");
    assert!(std::fs::read_to_string(audit.config()).unwrap().contains(&new));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn debug_output_of_credentials_is_masked() {
    let creds =
        trello_auth::trello::Credentials::sendable(KEY, &trello_auth::credentials::Secret::new(SECRET)).unwrap();
    let shown = format!("{creds:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    let profile = trello_auth::credentials::store::Profile {
        api_secret: Some(trello_auth::credentials::Secret::new(SECRET)),
        token: Some(trello_auth::credentials::Secret::new(SECRET)),
        ..Default::default()
    };
    assert!(!format!("{profile:?}").contains(SECRET));
}

/// `{:?}` of everything that holds raw input or credentials: a debug print, a
/// log line or a panic message must never show one.
#[test]
fn debug_prints_mask_every_credential() {
    use std::time::Instant;
    use trello_auth::credentials::Secret;
    use trello_auth::credentials::store::Profile;
    use trello_auth::trello::Credentials;
    use trello_auth::wizard::{Effect, Model, Msg, update};

    let token = format!("ATTA{}1B2C3D4E", "7e".repeat(32));
    let mut m = Model::new(support::wizard::setup(), Instant::now());
    let mut messages = Vec::new();
    for pasted in [KEY, SECRET, token.as_str()] {
        messages.push(format!("{:?}", Msg::Paste(pasted.to_string())));
    }
    // Walk to step 4 and fill every field.
    let _ = update(&mut m, support::wizard::key(crossterm::event::KeyCode::Enter));
    let _ = update(&mut m, support::wizard::key(crossterm::event::KeyCode::Enter));
    let _ = update(&mut m, Msg::Paste(KEY.into()));
    let _ = update(&mut m, support::wizard::key(crossterm::event::KeyCode::Tab));
    let _ = update(&mut m, Msg::Paste(SECRET.into()));
    let _ = update(&mut m, support::wizard::key(crossterm::event::KeyCode::Enter));
    let effects = update(&mut m, Msg::TokenCaptured(token.clone()));
    assert_eq!(m.form.token.value(), token, "the walk reached step 4 and took the token");
    messages.push(format!("{:?}", Msg::TokenCaptured(token.clone())));
    messages.push(format!("{:?}", Msg::KeyChecked { key: KEY.into(), result: trello_auth::trello::KeyCheck::Known }));
    messages.push(format!("{m:?}"));
    messages.push(format!("{effects:?}"));
    let profile = Profile {
        api_key: KEY.into(),
        api_secret: Some(Secret::new(SECRET)),
        token: Some(Secret::new(token.clone())),
        ..Profile::default()
    };
    messages.push(format!("{profile:?}"));
    let verified = support::wizard::verified("read,write", None);
    messages.push(format!(
        "{:?}",
        Effect::Save {
            profile_name: "default".into(),
            new: Box::new(trello_auth::wizard::screen::new_token(&m, &verified))
        }
    ));
    messages.push(format!("{:?}", Credentials::sendable(KEY, &Secret::new(token.clone())).unwrap()));
    for text in &messages {
        for secret in [KEY, SECRET, token.as_str()] {
            assert!(!text.contains(secret), "{text}");
            assert!(!text.contains(&secret[4..24]), "a long piece of a credential: {text}");
        }
    }
    assert!(messages.iter().any(|t| t.contains("Verify")), "the walk asked to verify: {messages:?}");
}
