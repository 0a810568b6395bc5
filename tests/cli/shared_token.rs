//! A token another profile already holds is not taken as a new one: an agent's own token is refused (it would not
//! be revocable alone), a plain second profile is warned, `logout` does not revoke a token another profile still
//! uses, and `rotate` says so when its old token is still another profile's.

use crate::support;

use support::cli::{ANN, Env, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{ENTER, Pty, base_command};

fn token_of(env: &Env, name: &str) -> Option<String> {
    env.store().profile(name).unwrap().and_then(|p| p.token).map(|t| t.expose().to_string())
}

#[test]
fn an_agent_s_own_token_from_stdin_cannot_be_its_parent_s() {
    let fake = FakeTrello::with_ann();
    let (env, parent) = Env::saved_for_ann(&fake);
    let out = env.run_with_stdin(&["mcp", "claude-code", "--write", "--own-token"], &parent);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("that is profile \"default\"'s token, not a new one for Claude Code: authorize a new one"),
        "{}",
        stderr(&out)
    );
    assert!(env.store().profile("claude-code").unwrap().is_none(), "no agent profile was made");
    assert!(!env.dir.path().join(".claude.json").exists(), "no entry was written");
    assert!(!fake.is_revoked(&parent));
}

#[test]
fn a_second_profile_with_the_same_token_is_warned_and_its_logout_revokes_nothing() {
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    let out = env.run_with_stdin(&["--profile", "p2", "login", "--with-token", "--key", KEY], &token);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("this token is also profile \"default\"'s: logging out either profile revokes it for both"),
        "{}",
        stderr(&out)
    );
    // Logging out p2 would log default out too: refused, nothing revoked or removed.
    let out = env.run(&["--profile", "p2", "logout", "--yes"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("profile \"p2\" holds the same token as profile \"default\"")
            && stderr(&out).contains("`trello-auth --profile p2 logout --keep-remote`"),
        "{}",
        stderr(&out)
    );
    assert!(!fake.is_revoked(&token));
    assert_eq!(token_of(&env, "p2").as_deref(), Some(token.as_str()));
    // Forgotten here only, then the other profile's logout revokes it.
    assert_eq!(code(&env.run(&["--profile", "p2", "logout", "--keep-remote"])), 0);
    assert!(!fake.is_revoked(&token) && token_of(&env, "default").is_some());
    let out = env.run(&["logout"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(fake.is_revoked(&token));
}

#[test]
fn an_agent_s_token_is_never_shared_with_another_profile_and_its_logout_spares_its_parent() {
    let fake = FakeTrello::with_ann();
    let (env, parent) = Env::saved_for_ann(&fake);
    let own = fake.issue_token(KEY, ANN, "read", None);
    let out = env.run_with_stdin(&["mcp", "codex", "--write", "--own-token"], &own);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The agent's token into another profile: refused, naming the agent's profile.
    let out = env.run_with_stdin(&["--profile", "p3", "login", "--with-token", "--key", KEY], &own);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("that is profile \"codex\"'s token"), "{}", stderr(&out));
    assert!(env.store().profile("p3").unwrap().is_none());
    // An agent profile that holds its parent's token (saved before this rule): its logout revokes nothing.
    env.store()
        .update(&[], |config| {
            let p = config.profiles.get_mut("codex").unwrap();
            p.token = Some(trello_auth::credentials::Secret::new(&parent));
        })
        .unwrap();
    let out = env.run(&["--profile", "codex", "logout", "--yes"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("holds the same token as profile \"default\""), "{}", stderr(&out));
    assert!(!fake.is_revoked(&parent), "the person's own token was not revoked");
}

fn rotate(env: &Env, fake: &FakeTrello, profile: &str) -> Pty {
    let mut cmd = base_command(env.dir.path());
    cmd.args(["--profile", profile, "rotate"]);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    Pty::spawn(cmd, 120, 40)
}

#[test]
fn rotate_says_when_the_new_or_the_old_token_is_another_profile_s() {
    let fake = FakeTrello::with_ann();
    let (env, default) = Env::saved_for_ann(&fake);
    // `work` holds the same token as `default`: the offer to revoke it says default still uses it.
    env.save("work", &default, "never");
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let mut pty = rotate(&env, &fake, "work");
    pty.expect("Authorize a new token");
    pty.paste(&new);
    pty.send(ENTER);
    let screen = pty.expect("Revoke the old one");
    let flat = screen.replace(['│', '\n'], " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Profile \"default\" still uses it: revoking it logs that profile out too."), "{screen}");
    pty.send("n");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    assert!(!fake.is_revoked(&default));
    // Plain mode's question says it too, before the answer (a screen reader hears no screen).
    let newer = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("work", &default, "never");
    let out =
        env.run_with_stdin(&["--profile", "work", "rotate", "--plain", "--no-capture"], &format!("\n\n{newer}\n2\n"));
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    let question =
        stdout(&out).lines().find(|l| l.starts_with("Revoke the old token now?")).unwrap_or_default().to_string();
    assert!(question.contains("Profile \"default\" still uses it"), "{}", stdout(&out));
    assert!(!fake.is_revoked(&default));
    // Logged out, then rotated to default's token: not "the token already saved", but shared, said.
    assert_eq!(code(&env.run(&["--profile", "work", "logout", "--yes"])), 0);
    let mut pty = rotate(&env, &fake, "work");
    pty.expect("Authorize a new token");
    pty.paste(&default);
    pty.send(ENTER);
    let screen = pty.expect("logging out either profile revokes it for both");
    let flat = screen.replace(['│', '\n'], " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("This token is also profile \"default\"'s"), "{screen}");
    assert!(!flat.contains("That is the token already saved"), "{screen}");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    let normal = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(!normal.contains("That is the token already saved"), "{normal}");
}

#[test]
fn login_over_a_token_another_profile_still_uses_says_so() {
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    env.save("p2", &token, "never");
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let out = env.run_with_stdin(&["--profile", "p2", "login", "--with-token", "--key", KEY], &new);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the token this replaced still works")
            && stderr(&out).contains("(profile \"default\" still uses it: revoking it logs that profile out too)"),
        "{}",
        stderr(&out)
    );
}
