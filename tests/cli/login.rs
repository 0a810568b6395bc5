//! `login` through the real binary: the token from stdin or its hidden prompt
//! (never the command line), what a failure saves (nothing), what it says over a
//! token already saved, about expiry, a secret pasted as the token, a credential
//! as a profile name, and a huge member name from the answer.

use crate::support;

use std::process::{Command, Stdio};

use support::cli::{
    ANN, Env, FAST, SECRET, assert_failed_quietly, assert_no_token_in_urls, code, in_days, stderr, stdout,
};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{ENTER, Pty};
use trello_auth::credentials::expiry::Expiry;
use trello_auth::trello::{Expiration, Scopes};

#[test]
fn login_with_token_from_stdin() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write,account", None);
    let env = Env::new(&fake);
    let out = env.run_with_stdin(&["login", "--with-token", "--key", KEY], &format!("{token}\n"));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Logged in as Ann Example (@ann)"));
    assert!(!stdout(&out).contains(&token) && !stderr(&out).contains(&token));
    let profile = env.store().profile("default").unwrap().unwrap();
    assert_eq!(profile.token.as_ref().unwrap().expose(), token);
    assert_eq!(profile.api_key, KEY);
    assert_eq!(profile.scopes(), Scopes { read: true, write: true, account: true });
    assert_eq!(profile.expiration, Expiration::Never);
    assert_eq!(profile.token_expires, Some(Expiry::Never));
    assert_no_token_in_urls(&fake, &token);

    // The key from the environment, then from the saved profile.
    let second = fake.issue_token(KEY, ANN, "read", None);
    let out =
        env.cmd(&["login", "--with-token", "--profile", "ci"]).env("TRELLO_API_KEY", KEY).stdin(Stdio::piped()).spawn();
    let mut child = out.unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(second.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(env.store().profile("ci").unwrap().unwrap().token.unwrap().expose(), second);
    let out = env.run_with_stdin(&["login", "--with-token"], &second);
    assert_eq!(code(&out), 0, "key from the saved profile: {}", stderr(&out));
}

#[test]
fn login_failures_save_nothing() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    let cases: Vec<(Vec<&str>, String, i32, &str)> = vec![
        (vec!["login", "--with-token", "--key", "0123"], good.clone(), 2, "4 of 32 characters"),
        (vec!["login", "--with-token"], good.clone(), 2, "no API key"),
        (vec!["login", "--with-token", "--key", KEY], String::new(), 2, "nothing arrived on standard input"),
        (vec!["login", "--with-token", "--key", KEY], " \n".into(), 2, "printf '%s' \"$TRELLO_TOKEN\" | trello-auth"),
        (vec!["login", "--with-token", "--key", KEY], "ATATT3xFfGF0abc".into(), 2, "Atlassian account API token"),
        (vec!["login", "--with-token", "--key", KEY], format!("ATTA{}0000AAAA", "1".repeat(64)), 1, "invalid token"),
        (vec!["login", "--with-token", "--key", "fedcba9876543210fedcba9876543210"], good.clone(), 1, "invalid key"),
    ];
    for (args, stdin, expected, words) in cases {
        let out = env.run_with_stdin(&args, &stdin);
        assert_failed_quietly(&out, expected);
        assert!(stderr(&out).contains(words), "{args:?}: {}", stderr(&out));
        assert!(!env.config().exists(), "{args:?} saved something");
    }
    let dead = Env::offline();
    let out = dead.run_with_stdin(&["login", "--with-token", "--key", KEY], &good);
    assert_failed_quietly(&out, 3);
    assert!(stderr(&out).contains("fix:"), "{}", stderr(&out));
    assert!(!dead.config().exists());
}

#[test]
fn login_refuses_the_token_on_the_command_line() {
    let env = Env::offline();
    let out = env.run(&["login", "ATTAsomething"]);
    assert_failed_quietly(&out, 2);
    let out = env.run(&["login", "--key", KEY]);
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("--with-token"), "{}", stderr(&out));
}

#[test]
fn login_names_a_saved_secret_pasted_as_the_token() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", "ATTAold", "never");
    let before = std::fs::read(env.config()).unwrap();
    let out = env.run_with_stdin(&["login", "--with-token", "--key", KEY, "--profile", "other"], SECRET);
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("this is your API secret, not a token"), "{}", stderr(&out));
    assert!(fake.requests().is_empty(), "refused before any network call");
    assert_eq!(std::fs::read(env.config()).unwrap(), before);
}

/// `login --with-token` of a profile with nothing to rotate: a rejected
/// token's fix is the wizard for that profile, not `rotate`.
#[test]
fn a_rejected_first_login_points_at_the_wizard_not_rotate() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let unknown = format!("ATTA{}0000AAAA", "1".repeat(64));
    let out = env.run_with_stdin(&["--profile", "ci", "login", "--with-token", "--key", KEY], &unknown);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("Run `trello-auth --profile ci` to authorize one"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("rotate"), "{}", stderr(&out));
    // With a token saved, rotate is the fix.
    env.save("ci", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    let out = env.run_with_stdin(&["--profile", "ci", "login", "--with-token", "--key", KEY], &unknown);
    assert!(stderr(&out).contains("Run `trello-auth --profile ci rotate`"), "{}", stderr(&out));
}

/// `login --with-token` saves a token Trello accepts, and says so when it is
/// already past or near its expiry, as the commands that hand it out do.
#[test]
fn login_says_when_the_token_is_expired_or_expires_soon() {
    let fake = FakeTrello::with_ann();
    for (days, words) in [(-1, "the token expired"), (3, "the token expires on")] {
        let env = Env::new(&fake);
        let token = fake.issue_token(KEY, support::cli::ANN, "read,write", Some(&in_days(days)));
        let out = env.run_with_stdin(&["login", "--with-token", "--key", KEY], &token);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(stderr(&out).contains(words) && stderr(&out).contains("`trello-auth rotate`"), "{}", stderr(&out));
    }
}

/// A second `login --with-token` says, as a rotation does, that the token it
/// replaced still works and where the copy of it is.
#[test]
fn login_over_a_token_says_the_old_one_still_works_and_where_it_is() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    for (round, expected) in [(0, false), (1, true)] {
        let token = fake.issue_token(KEY, support::cli::ANN, "read,write", None);
        let out = env.run_with_stdin(&["login", "--with-token", "--key", KEY], &token);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let said = stderr(&out);
        assert_eq!(said.contains("the token this replaced still works"), expected, "round {round}: {said}");
        if expected {
            assert!(said.contains("config.toml.bak") && said.contains("/u/ann/account"), "{said}");
        }
    }
}

/// `login --with-token` at a terminal reads the token without echo, and
/// Ctrl+C there quits with nothing saved and the terminal given back as it
/// was (echo on), not left silent.
#[test]
fn the_token_prompt_hides_the_token_and_ctrl_c_gives_the_terminal_back() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let login = |env: &Env| {
        let mut cmd = env.pty_command();
        cmd.args(["--profile", "work", "login", "--with-token", "--key", KEY]);
        Pty::spawn(cmd, 100, 30)
    };
    let mut pty = login(&env);
    pty.expect("Paste the token (it will not be shown)");
    pty.send(&format!("{}\x15{token}{ENTER}", &token[..20]));
    pty.expect("Logged in");
    assert_eq!(pty.wait(), 0);
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(!raw.contains(&token[..20]), "the token was echoed:\n{raw}");
    pty.assert_terminal_restored();

    let env = Env::new(&fake);
    let mut pty = login(&env);
    pty.expect("Paste the token (it will not be shown)");
    pty.send(&format!("{}\x03", &token[..30]));
    let screen = pty.expect("nothing was saved");
    assert!(!screen.contains(&token[..20]), "{screen}");
    assert_eq!(pty.wait(), 1);
    pty.assert_terminal_restored();
    assert!(!env.dir.path().join("trello-auth/config.toml").exists());

    // Ended from outside (kill, a closed terminal, `timeout`): the terminal is given back too.
    for signal in ["TERM", "HUP", "INT", "QUIT", "USR1", "ALRM"] {
        let env = Env::new(&fake);
        let mut pty = login(&env);
        pty.expect("Paste the token (it will not be shown)");
        pty.send(&token[..10]);
        std::thread::sleep(std::time::Duration::from_millis(100));
        let killed = Command::new("kill").args([&format!("-{signal}"), &pty.pid().to_string()]).status().unwrap();
        assert!(killed.success());
        pty.wait();
        pty.assert_terminal_restored();
        assert!(!env.dir.path().join("trello-auth/config.toml").exists(), "{signal}");
    }

    // Stopped and continued (job control from outside): quiet again, and the token still goes unseen.
    let env = Env::new(&fake);
    let mut pty = login(&env);
    pty.expect("Paste the token (it will not be shown)");
    let pid = pty.pid().to_string();
    assert!(Command::new("kill").args(["-TSTP", &pid]).status().unwrap().success());
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(Command::new("kill").args(["-CONT", &pid]).status().unwrap().success());
    std::thread::sleep(std::time::Duration::from_millis(200));
    pty.send(&format!("{token}{ENTER}"));
    pty.expect("Logged in");
    assert_eq!(pty.wait(), 0);
    assert!(!String::from_utf8_lossy(&pty.raw_output()).contains(&token[..20]), "echoed after a stop");
    pty.assert_terminal_restored();
}

/// An answer's names are kept cut to a sane length, so two logins with a
/// 600 kB member name cannot swell the config past what it may be and lock
/// every command out of it; and a save that would be too large to read back
/// is refused before anything is written.
#[test]
fn huge_names_from_an_answer_cannot_lock_the_config() {
    let fake = FakeTrello::with_ann();
    let carol = "5f0000000000000000000c0c";
    fake.add_member(carol, "carol", &"Carol ".repeat(100_000), "carol@example.com");
    let env = Env::new(&fake);
    for profile in ["one", "two", "three"] {
        let token = fake.issue_token(KEY, carol, "read,write", None);
        let out = env.run_with_stdin(&["--profile", profile, "login", "--with-token", "--key", KEY], &token);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let size = std::fs::metadata(env.dir.path().join("trello-auth/config.toml")).unwrap().len();
    assert!(size < 64 * 1024, "the config grew to {size} bytes");
    let out = env.run(&["--profile", "two", "status", "--offline"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Carol Carol"), "{}", stdout(&out));
}

/// A token pasted where a profile name goes would be written into the config
/// file's tables, agent configs and keyring entry names: refused, and the
/// refusal does not repeat it.
#[test]
fn a_credential_is_never_a_profile_name() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    for name in [token.as_str(), KEY] {
        let out = env.run_within(&["login", "--with-token", "--key", KEY, "--profile", name], &token, FAST);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains("cannot look like a token, key or secret"), "{}", stderr(&out));
        assert!(!stderr(&out).contains(name), "{}", stderr(&out));
        assert!(!env.config().exists(), "nothing was saved");
    }
}

/// A token Trello already refuses (revoked elsewhere) is not said to still work when `login` replaces it.
#[test]
fn login_over_a_token_trello_already_refuses_does_not_say_it_still_works() {
    let fake = FakeTrello::with_ann();
    let (env, old) = Env::saved_for_ann(&fake);
    fake.state().tokens.get_mut(&old).unwrap().revoked = true;
    let new = fake.issue_token(KEY, support::cli::ANN, "read,write", None);
    let out = env.run_with_stdin(&["login", "--with-token", "--key", KEY], &new);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("the token this replaced is already refused by Trello (401)"), "{said}");
    assert!(!said.contains("still works"), "{said}");
}
