//! `logout` in a terminal: it asks before revoking (no keeps the token, yes revokes it), `--yes` asks nothing, and without a terminal it never asks.

use crate::support;

use support::cli::{ANN, Env, code};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{ENTER, Pty, base_command};

#[test]
fn in_a_terminal_logout_asks_before_revoking() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("work", &token, "never");
    let logout = |args: &[&str], answer: Option<&str>| {
        let mut cmd = base_command(env.dir.path());
        cmd.env("TRELLO_API_BASE", &env.api_base);
        cmd.env("TRELLO_WEB_BASE", &env.web_base);
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
