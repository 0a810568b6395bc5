//! Coming back weeks later: a token about to expire is said by every command
//! that hands it out (on stderr, stdout unchanged), profiles are listed and one
//! is chosen as the default, `status` says which profile it used and why, and
//! the start screen names the profile and offers the others.

use crate::support;

use support::cli::{ANN, Env, TOKEN, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{Pty, base_command};

/// An RFC 3339 time `days` from now.
fn in_days(days: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    at.format(&time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn env_token_and_exec_say_a_token_expires_soon_on_stderr_only() {
    let soon = Env::offline();
    soon.save("default", TOKEN, &in_days(3));
    let later = Env::offline();
    later.save("default", TOKEN, &in_days(20));
    for args in [&["env"][..], &["token"], &["exec", "--", "printenv", "TRELLO_TOKEN"], &["env", "--format", "json"]] {
        let warned = soon.run(args);
        let quiet = later.run(args);
        assert_eq!(code(&warned), 0, "{args:?}: {}", stderr(&warned));
        assert_eq!(stdout(&warned), stdout(&quiet), "{args:?}: stdout is the same, warning or not");
        let err = stderr(&warned);
        let lines: Vec<&str> = err.lines().filter(|l| l.contains("expires on")).collect();
        assert_eq!(lines.len(), 1, "{args:?}: one line:\n{}", stderr(&warned));
        assert!(lines[0].contains("(in 2 days)") || lines[0].contains("(in 3 days)"), "{}", lines[0]);
        assert!(lines[0].contains("run `trello-auth rotate` before then"), "{}", lines[0]);
        assert!(!stderr(&quiet).contains("expires"), "{args:?}: {}", stderr(&quiet));
    }
}

#[test]
fn profiles_are_listed_and_one_is_chosen_as_the_default() {
    let env = Env::offline();
    env.save("default", TOKEN, "never");
    env.save("work", TOKEN, &in_days(2));
    let out = env.run(&["profile", "list"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("default (in use: no other was chosen)"), "{text}");
    assert!(text.contains("work\n") && text.contains("Ann Example (@ann)"), "{text}");
    assert!(text.contains("rotate soon"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&env.run(&["profile", "list", "--json"]))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[1]["profile"], "work");
    assert_eq!(json[1]["storage"], "file");

    let out = env.run(&["profile", "use", "work"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = env.run(&["status", "--offline"]);
    assert!(stdout(&out).contains("work (the default set with `trello-auth profile use`)"), "{}", stdout(&out));
    // The flag and the environment still win, and status says which.
    let out = env.run(&["--profile", "default", "status", "--offline"]);
    assert!(stdout(&out).contains("default (from --profile)"), "{}", stdout(&out));
    let out = env.cmd(&["status", "--offline", "--json"]).env("TRELLO_AUTH_PROFILE", "default").output().unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!((json["profile"].as_str(), json["chosen_by"].as_str()), (Some("default"), Some("environment")));
    // A profile that is not saved cannot be the default.
    let out = env.run(&["profile", "use", "nope"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    // Its fix sets up that profile, not the one in use.
    assert!(stderr(&out).contains("run `trello-auth --profile nope` to set it up"), "{}", stderr(&out));
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
