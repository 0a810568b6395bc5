//! The wizard (`trello-auth` with no command) started from the command line:
//! its flags only where a wizard runs, plain mode answered from a pipe or a file,
//! the start screen's profiles, and the running wizard's listener (a token
//! arriving while help is open, a token only from its own page) and core limit.
//! The wizard's screens and keys are in the wizard suite.

use crate::support;

use std::io::{Read, Write};
use std::process::Stdio;

use support::cli::{ANN, Env, assert_failed_quietly, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{ENTER, Pty, base_command};
use trello_auth::credentials::store::Store;

/// `--plain`, `--no-browser`, `--no-capture` and `--callback-port` are the
/// wizard's: in the help of `trello-auth`, `rotate` and `mcp` (an agent's own token) only, taken before or
/// after `rotate`.
#[test]
fn the_wizard_flags_are_where_a_wizard_runs_only() {
    let env = Env::offline();
    let wizard = ["--plain", "--no-browser", "--no-capture", "--callback-port"];
    for args in [vec!["--help"], vec!["rotate", "--help"]] {
        let help = stdout(&env.run(&args));
        assert!(wizard.iter().all(|f| help.contains(f)), "{args:?}:\n{help}");
    }
    // `mcp` opens the token step for an agent's own token (`--own-token` in a terminal).
    let help = stdout(&env.run(&["mcp", "--help"]));
    assert!(wizard.iter().all(|f| help.contains(f)), "mcp:\n{help}");
    for command in ["status", "env", "login", "logout", "token", "exec", "storage", "board", "profile", "man"] {
        let help = stdout(&env.run(&[command, "--help"]));
        // `man` prints the same page whatever the profile: it takes no --profile either.
        assert_eq!(help.contains("--profile"), command != "man", "{command}:\n{help}");
        assert!(!wizard.iter().any(|f| help.contains(f)), "{command} offers a wizard flag:\n{help}");
    }
    let out = env.run(&["status", "--plain"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    for args in [vec!["rotate", "--plain", "--no-browser"], vec!["--plain", "rotate", "--callback-port", "0"]] {
        let out = env.run(&args);
        assert!(!stderr(&out).contains("Usage:"), "{args:?}: {}", stderr(&out));
    }
}

/// `--plain` or TRELLO_AUTH_PLAIN=1 asked for: the answers may come from a
/// pipe. Plain mode that came on by itself (TERM unset) still wants a terminal.
#[test]
fn plain_mode_asked_for_takes_its_answers_from_a_pipe() {
    let env = Env::offline();
    for (args, variable) in [(vec!["--plain"], None), (vec![], Some("1"))] {
        let mut cmd = env.cmd(&args);
        if let Some(value) = variable {
            cmd.env("TRELLO_AUTH_PLAIN", value);
        }
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"quit\n").unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), 1, "{args:?} {variable:?}: {}", stderr(&out));
        assert!(stdout(&out).contains("Step 1 of 5: Open the app admin portal"), "{}", stdout(&out));
        assert!(stderr(&out).contains("quit before saving; nothing was written"), "{}", stderr(&out));
    }
    let out = env.run_with_stdin(&[], "quit\n");
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("needs an interactive terminal"), "{}", stderr(&out));
    assert!(stderr(&out).contains("trello-auth --plain < answers.txt"), "{}", stderr(&out));
    // Another config file: every command it suggests names it.
    let other = env.dir.path().join("elsewhere.toml");
    let out = env.run_with_stdin(&["--config", other.to_str().unwrap(), "--profile", "work"], "quit\n");
    let run = format!("trello-auth --config {} --profile work", other.display());
    for suggested in [format!("`{run} --plain < answers.txt`"), format!("`{run} status`"), format!("| {run} login")] {
        assert!(stderr(&out).contains(&suggested), "{suggested}: {}", stderr(&out));
    }
    // `rotate` suggests a plain rotation, not a setup from scratch.
    let out = env.run_with_stdin(&["rotate"], "quit\n");
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("`trello-auth rotate --plain < answers.txt`"), "{}", stderr(&out));
}

/// A whole setup from a file of answers, as the "not a terminal" message
/// suggests: the input ends while Trello is still being asked, and the
/// verification and the save still finish (the end of input quits only at
/// the next question).
#[test]
fn a_file_of_answers_sets_up_and_saves() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let answers = format!("\n\nann@example.com\n\n\n{KEY}\n\n\n\n\n{token}\n");
    let out = env.run_with_stdin(&["--plain", "--no-capture"], &answers);
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("OK: Authenticated as Ann Example (@ann)"), "{}", stdout(&out));
    assert!(stdout(&out).contains("Done: Credentials verified and saved"), "{}", stdout(&out));
    assert!(!stdout(&out).contains(&token), "{}", stdout(&out));
    let saved = stdout(&env.run(&["status", "--offline"]));
    assert!(saved.contains("Ann Example (@ann)"), "{saved}");
}

/// Answers piped while Trello is being asked (boards loading, a key check, a
/// verification) wait for the next question, as typeahead does: none is
/// dropped, each outcome is said before the next question, and no prompt is
/// said twice. Trello answers slowly here so every line arrives early.
#[test]
fn piped_answers_wait_for_the_question_they_answer() {
    let fake = FakeTrello::with_ann();
    fake.add_board("AbCd1234", "Team Roadmap", None, ANN);
    fake.set_latency(std::time::Duration::from_millis(300));
    // The start screen: choose the default board, pick it, quit.
    let (env, old) = Env::saved_for_ann(&fake);
    let out = env.run_with_stdin(&["--plain"], "4\n2\n5\n");
    let said = stdout(&out);
    assert_eq!(code(&out), 0, "{said}\n{}", stderr(&out));
    assert_eq!(said.matches("Asking Trello for your boards").count(), 1, "{said}");
    assert!(said.contains("Default board: Team Roadmap;"), "the save is said: {said}");
    assert_eq!(env.store().profile("default").unwrap().unwrap().board_short_link.as_deref(), Some("AbCd1234"));
    // Rotate: the revoke question is asked and answered after the verification.
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let out = env.run_with_stdin(&["rotate", "--plain", "--no-capture"], &format!("\n\n{new}\n1\n"));
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    assert!(fake.is_revoked(&old), "the piped 1 revoked the old token: {}", stdout(&out));
    // A setup: a refused email is not taken into the rows, the key check's
    // verdict is said, and the secret's prompt once.
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let answers = format!("\n\nann@example\nann@example.com\n\n\n{KEY}\n\n\n\n\n{token}\n");
    let out = env.run_with_stdin(&["--plain", "--no-capture"], &answers);
    let said = stdout(&out);
    assert_eq!(code(&out), 0, "{said}\n{}", stderr(&out));
    assert!(!said.contains("Support contact: ann@example\n"), "a refused email read as taken: {said}");
    assert!(said.contains("Support contact: ann@example.com"), "{said}");
    assert!(said.contains("Trello knows this key"), "the key check's verdict: {said}");
    assert_eq!(said.matches("API secret, only for OAuth").count(), 1, "{said}");
}

#[test]
fn the_start_screen_names_the_profile_and_offers_the_others() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, support::cli::ANN, "read,write", None), "never");
    env.save("work", &fake.issue_token(KEY, support::cli::ANN, "read", None), "never");
    let mut cmd = base_command(env.dir.path());
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("default (no other was chosen)");
    pty.expect("Other profiles");
    pty.send("p");
    pty.expect("work (chosen on this screen)");
    pty.expect("Scopes                read");
    pty.send("q");
    assert_eq!(pty.wait(), 0);
}

const CTRL_T: &str = "\x14";

const F1: &str = "\x1bOP";

/// POSTs to the listener as the callback page's `fetch` does; returns the status line.
fn post_to_listener(return_url: &str, token: &str) -> String {
    let rest = return_url.strip_prefix("http://").unwrap();
    let host = &rest[..rest.find('/').unwrap()];
    post_raw(return_url, &format!("Origin: http://{host}\r\nContent-Type: application/json\r\n"), token)
}

/// POSTs `{"token": …}` to `url` with exactly the given extra header lines.
fn post_raw(url: &str, headers: &str, token: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let body = format!("{{\"token\":\"{token}\"}}");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_string()
}

fn return_url_of(authorize_url: &str) -> String {
    let encoded = authorize_url.split("return_url=").nth(1).unwrap().split('&').next().unwrap();
    percent_encoding::percent_decode_str(encoded).decode_utf8().unwrap().into_owned()
}

/// `rotate` of a saved profile in a pty, waiting on step 4, and the listener's return URL.
fn rotating(fake: &FakeTrello) -> (Env, Pty, String) {
    let env = Env::new(fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    let mut cmd = env.pty_command();
    cmd.arg("rotate");
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("Waiting on http://127.0.0.1:");
    pty.send(CTRL_T);
    let url = return_url_of(&pty.expect_copy(None));
    (env, pty, url)
}

#[test]
fn a_token_that_arrives_while_help_is_open_is_kept_and_verified() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let (env, mut pty, url) = rotating(&fake);
    pty.send(F1);
    pty.expect("On this screen:");
    assert_eq!(post_to_listener(&url, &token), "HTTP/1.1 200 OK");
    // Every caught token is confirmed, in a rotation too.
    pty.expect("your account? Save it?");
    pty.send("y");
    pty.expect("Revoke the old one");
    pty.send("n");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    pty.assert_terminal_restored();
    let saved = Store::at(env.config()).profile("default").unwrap().unwrap();
    assert_eq!(saved.token.unwrap().expose(), token, "the captured token was kept");
}

#[test]
fn the_running_wizard_takes_a_token_only_from_its_own_page() {
    let fake = FakeTrello::with_ann();
    let planted = fake.issue_token(KEY, ANN, "read,write", None);
    let real = fake.issue_token(KEY, ANN, "read,write", None);
    let (env, mut pty, url) = rotating(&fake);
    let origin = url.split("/callback").next().unwrap().to_string();
    // A local process or a cross-site form, with the right nonce: no Origin,
    // another Origin, a form's content type.
    for (headers, status) in [
        ("Content-Type: application/json\r\n".to_string(), "403"),
        ("Origin: https://evil.example\r\nContent-Type: application/json\r\n".to_string(), "403"),
        (format!("Origin: {origin}\r\nContent-Type: text/plain\r\n"), "415"),
    ] {
        let answer = post_raw(&url, &headers, &planted);
        assert!(answer.contains(status), "{headers:?}: {answer}");
    }
    pty.expect("Waiting on http://127.0.0.1:");
    assert_eq!(post_to_listener(&url, &real), "HTTP/1.1 200 OK");
    pty.expect("your account? Save it?");
    pty.send("y");
    pty.expect("Revoke the old one");
    pty.send("n");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let saved = Store::at(env.config()).profile("default").unwrap().unwrap();
    assert_eq!(saved.token.unwrap().expose(), real, "the planted token was never taken");
}

#[test]
fn the_running_wizard_cannot_dump_core() {
    let home = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(base_command(home.path()), 100, 30);
    pty.expect("Open the app admin portal");
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", pty.pid())).unwrap();
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap().to_string();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(fields[4], "0", "soft limit: {core}");
    pty.send("q");
    pty.wait();
}
