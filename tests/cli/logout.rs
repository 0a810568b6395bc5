//! `logout` through the real binary: it revokes then forgets, `--keep-remote`
//! and revoke failures, no file left holding the token, the profiles still saved
//! named. In a terminal: it asks before revoking (no keeps the token, yes revokes it), `--yes` asks nothing, and without a terminal it never asks.

use crate::support;

use support::cli::{ANN, Env, FAST, TOKEN, assert_failed_quietly, assert_no_token_in_urls, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{ENTER, Pty};

#[test]
fn in_a_terminal_logout_asks_before_revoking() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("work", &token, "never");
    let logout = |args: &[&str], answer: Option<&str>| {
        let mut cmd = env.pty_command();
        cmd.args(args);
        let mut pty = Pty::spawn(cmd, 160, 20);
        if let Some(answer) = answer {
            pty.expect("Revoke the token of profile \"work\" (Ann Example (@ann)) at Trello and remove it? [y/N]");
            pty.send(&format!("{answer}{ENTER}"));
        }
        let status = pty.wait();
        (status, pty.screen())
    };
    let saved = || env.store().profile("work").unwrap().unwrap().token;
    // No (or just Enter): nothing is revoked or removed.
    for answer in ["n", ""] {
        let (status, screen) = logout(&["--profile", "work", "logout"], Some(answer));
        assert_eq!(status, 1, "{screen}");
        assert!(screen.contains("profile \"work\" keeps its token: nothing was revoked or removed"), "{screen}");
        assert!(!fake.is_revoked(&token) && saved().is_some());
    }
    let (status, screen) = logout(&["--profile", "work", "logout"], Some("y"));
    assert_eq!(status, 0, "{screen}");
    assert!(fake.is_revoked(&token) && saved().is_none(), "{screen}");
    // --yes: nothing is asked.
    let again = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("work", &again, "never");
    let (status, screen) = logout(&["--profile", "work", "logout", "--yes"], None);
    assert_eq!(status, 0, "{screen}");
    assert!(!screen.contains("[y/N]") && fake.is_revoked(&again), "{screen}");
    // Without a terminal (stdin not one), nothing is asked either: scripts go on.
    let third = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("work", &third, "never");
    assert_eq!(code(&env.run(&["--profile", "work", "logout"])), 0);
    assert!(fake.is_revoked(&third));
}

#[test]
fn logout_revokes_then_forgets() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    env.save("default", &token, "never");
    let before = std::fs::read_to_string(env.config()).unwrap();
    let out = env.run(&["logout"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("revoked at Trello"), "{}", stdout(&out));
    assert!(fake.is_revoked(&token));
    let profile = env.store().profile("default").unwrap().unwrap();
    assert_eq!(profile.token, None);
    assert_eq!(profile.api_key, KEY, "the key stays for the next login");
    // The backup is the previous file without the token: no file keeps it.
    let without_token: String =
        before.lines().filter(|l| !l.starts_with("token = ")).map(|l| format!("{l}\n")).collect();
    assert_eq!(std::fs::read_to_string(env.store().backup_path()).unwrap(), without_token);
    assert_failed_quietly(&env.run(&["logout"]), 4);
    assert_no_token_in_urls(&fake, &token);
}

#[test]
fn logout_keep_remote_and_revoke_failures() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("default", &token, "never");
    assert_eq!(code(&env.run(&["logout", "--keep-remote"])), 0);
    assert!(!fake.is_revoked(&token));
    assert!(fake.requests().is_empty(), "--keep-remote never calls Trello");

    // A read-only token cannot revoke itself: the local token is kept.
    let read_only = fake.issue_token(KEY, ANN, "read", None);
    env.save("default", &read_only, "never");
    let out = env.run(&["logout"]);
    assert_failed_quietly(&out, 1);
    assert!(stderr(&out).contains("local token was kept"), "{}", stderr(&out));
    assert!(stderr(&out).contains("/u/ann/account"), "{}", stderr(&out));
    assert_eq!(env.store().profile("default").unwrap().unwrap().token.unwrap().expose(), read_only);

    let out = env.run(&["logout", "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("revoke it by hand"), "{}", stderr(&out));
    assert_eq!(env.store().profile("default").unwrap().unwrap().token, None);
}

/// After `profile use work` and `logout`, `env`, `token` and `status` say
/// that `default` still holds a token, and how to use it; the line they
/// suggest works. With `--profile` given, making another the default would
/// change nothing, so only `--profile` is suggested.
#[test]
fn after_logging_out_the_profiles_still_saved_are_named() {
    let env = Env::offline();
    env.save("default", TOKEN, "never");
    env.save("work", TOKEN, "never");
    assert_eq!(code(&env.run(&["profile", "use", "work"])), 0);
    let out = env.run(&["logout", "--keep-remote"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for args in [&["env"][..], &["token"], &["status", "--offline"]] {
        let out = env.run(args);
        assert_eq!(code(&out), 4, "{args:?}: {}", stderr(&out));
        let said = stderr(&out);
        assert!(said.contains("other profiles with a token: \"default\" (Ann Example (@ann))"), "{args:?}: {said}");
        assert!(said.contains("use one with `trello-auth --profile default status`"), "{args:?}: {said}");
        assert!(said.contains("or make it the default with `trello-auth profile use default`"), "{args:?}: {said}");
        assert!(!said.contains("\"work\" ("), "the logged-out profile is not offered: {said}");
    }
    let out = env.run(&["--profile", "work", "env"]);
    assert!(stderr(&out).contains("`trello-auth --profile default status`"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("profile use"), "--profile wins over the default: {}", stderr(&out));
    // A profile never saved names them too; and the suggested line works.
    let out = env.run(&["--profile", "nope", "token"]);
    assert!(stderr(&out).contains("other profiles with a token: \"default\""), "{}", stderr(&out));
    assert_eq!(code(&env.run(&["profile", "use", "default"])), 0);
    assert_eq!(stdout(&env.run(&["token"])).trim(), TOKEN);
    // Nothing else saved with a token: nothing to offer.
    let alone = Env::offline();
    alone.save("default", TOKEN, "never");
    assert_eq!(code(&alone.run(&["logout", "--keep-remote"])), 0);
    assert!(!stderr(&alone.run(&["env"])).contains("other profiles"));
}

#[test]
fn logout_leaves_no_file_holding_the_token_it_forgot() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    env.save("default", &token, "never");
    // A second save, so the backup holds the token too before the logout.
    env.save("default", &token, "never");
    assert_eq!(env.files_holding(&token).len(), 2);
    let out = env.run_within(&["logout", "--keep-remote"], "", FAST);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!fake.is_revoked(&token), "--keep-remote leaves it valid at Trello");
    assert!(stdout(&out).contains("left valid at Trello"), "{}", stdout(&out));
    assert!(env.files_holding(&token).is_empty(), "{:?}", env.files_holding(&token));

    // Revoking fails, --force removes it locally all the same: from every file.
    let token = fake.issue_token(KEY, ANN, "read", None);
    env.save("default", &token, "never");
    env.save("default", &token, "never");
    let out = env.run_within(&["logout", "--force"], "", FAST);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("could not revoke the token"), "{}", stderr(&out));
    assert!(env.files_holding(&token).is_empty(), "{:?}", env.files_holding(&token));
}

#[test]
fn logout_exits_3_when_trello_is_unreachable_or_rate_limits() {
    use support::cli::stderr;
    use support::fake_trello::Fault;
    let env = Env::saved_offline();
    let out = env.cmd(&["logout"]).env("TRELLO_AUTH_TIMEOUT_MS", "1500").output().unwrap();
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(env.store().profile("default").unwrap().unwrap().token.is_some(), "the local token is kept");
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    for _ in 0..8 {
        fake.push_fault(Fault::RateLimit { retry_after: Some("0".into()), code: "API_TOKEN_LIMIT_EXCEEDED" });
    }
    let out = env.run(&["logout"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(!fake.is_revoked(&token) && env.store().profile("default").unwrap().unwrap().token.is_some());
}
