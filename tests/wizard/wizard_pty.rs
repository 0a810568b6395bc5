//! The real binary in a real pseudo-terminal against the fake Trello.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use support::fake_trello::{ANN, FakeTrello, KEY, SECRET};
use support::pty::{CTRL_C, ENTER, ESC, Pty, TAB, base_command, cpu_ticks, wakeups};
use trello_auth::credentials::store::Store;

fn wizard(fake: &FakeTrello, home: &std::path::Path) -> Pty {
    let mut cmd = base_command(home);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    Pty::spawn(cmd, 80, 24)
}

/// Steps 1–3 with a pasted key and secret; leaves the wizard on step 4.
fn walk_to_token_step(pty: &mut Pty) {
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.expect("Create a Power-Up");
    pty.send("ann@example.com");
    pty.send(TAB);
    pty.send(TAB);
    pty.send("Ann Example");
    pty.expect("Ann Example");
    pty.send(ENTER);
    pty.expect("Generate the API key");
    pty.paste(&format!("  \"{KEY}\"\n"));
    pty.expect("Trello knows this key");
    pty.send(TAB);
    pty.paste(SECRET);
    pty.expect("looks like a valid API secret");
    pty.send(ENTER);
    pty.expect("Authorize a token");
}

#[test]
fn a_new_user_walks_all_five_steps() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", Some("2026-12-28T12:00:00.000Z"));
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path());
    walk_to_token_step(&mut pty);
    let screen = pty.expect("Authorize URL");
    assert!(screen.contains("/1/authorize?expiration=30days&scope=read,write&respon"), "{screen}");
    // No display here: no "trello-auth's page" to click, the URL above is the way.
    let screen = pty.expect("open the URL above in a browser on this");
    assert!(!screen.contains("trello-auth's page"), "{screen}");

    pty.paste(SECRET);
    pty.expect("this is your API secret, not a token");
    pty.paste(&format!("{}/#token={token}", fake.web_base()));
    pty.expect("looks like a valid token");
    assert!(!pty.screen().contains(&token), "the token is masked on screen");
    pty.send(ENTER);
    pty.expect("Authenticated as Ann Example (@ann)");
    let screen = pty.expect("Credentials verified and saved");
    assert!(screen.contains("read, write (requested read, write)"), "{screen}");
    assert!(screen.contains("2026-12-28 12:00 UTC"), "{screen}");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    pty.assert_terminal_restored();
    assert!(pty.screen().contains("Saved Trello credentials for Ann Example (@ann)"), "{}", pty.screen());

    let path = home.path().join("trello-auth").join("config.toml");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    let profile = Store::at(&path).profile("default").unwrap().expect("the default profile was saved");
    assert_eq!(profile.api_key, KEY);
    assert_eq!(profile.api_secret.unwrap().expose(), SECRET);
    assert_eq!(profile.token.unwrap().expose(), token);
    assert_eq!(profile.member_username.as_deref(), Some("ann"));
    assert_eq!(profile.member_full_name.as_deref(), Some("Ann Example"));
    assert_eq!(profile.requested_scope.to_string(), "read,write");
    assert_eq!(profile.token_expires, Some("2026-12-28T12:00:00.000Z".into()));
    assert!(profile.verified_at.is_some());
}

#[test]
fn a_rejected_token_leads_back_and_a_good_one_finishes() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    let unknown = format!("ATTA{}0000FFFF", "9".repeat(64));
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path());
    walk_to_token_step(&mut pty);
    pty.paste(&unknown);
    pty.expect("looks like a valid token");
    pty.send(ENTER);
    pty.expect("Trello rejected the token (401 invalid token)");
    pty.expect("Nothing was saved");
    assert!(!home.path().join("trello-auth").join("config.toml").exists());
    pty.send(ENTER);
    pty.expect("Authorize a token");
    pty.paste(&good);
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    assert!(pty.screen().contains("never"), "a never-expiring token says so:\n{}", pty.screen());
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    pty.assert_terminal_restored();
    let profile = Store::at(home.path().join("trello-auth/config.toml")).profile("default").unwrap().unwrap();
    assert_eq!(profile.token.unwrap().expose(), good);
    assert_eq!(profile.token_expires, Some("never".into()));
}

#[test]
fn ctrl_c_quits_at_once_writing_nothing() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path());
    walk_to_token_step(&mut pty);
    pty.send(CTRL_C);
    assert_eq!(pty.wait(), 1);
    pty.assert_terminal_restored();
    assert!(pty.screen().contains("nothing was written"), "{}", pty.screen());
    assert!(!home.path().join("trello-auth").join("config.toml").exists());
}

#[test]
fn esc_goes_back_and_q_asks_before_quitting() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path());
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.send("ann@example.com");
    pty.send(ESC);
    pty.expect("Open the app admin portal");
    pty.send("q");
    pty.expect("Quit without saving?");
    pty.send("n");
    pty.send(ENTER);
    pty.expect("ann@example.com");
    pty.send(ESC);
    pty.send("q");
    pty.send("y");
    assert_eq!(pty.wait(), 1);
    pty.assert_terminal_restored();
}

#[test]
fn resizing_redraws_and_tiny_sizes_ask_for_room() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path());
    pty.expect("Open the app admin portal");
    pty.resize(40, 10);
    pty.expect("enlarge the terminal");
    pty.resize(1, 1);
    std::thread::sleep(Duration::from_millis(200));
    pty.resize(120, 40);
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.expect("Create a Power-Up");
    pty.send(CTRL_C);
    assert_eq!(pty.wait(), 1, "it survived the resizes and quit normally");
    pty.assert_terminal_restored();
}

#[test]
fn an_idle_wizard_uses_no_cpu() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path());
    walk_to_token_step(&mut pty);
    // Let start-up work and the last redraw settle, then measure.
    std::thread::sleep(Duration::from_millis(300));
    // A bound, not zero: on a loaded machine a stray wakeup (a signal, the
    // pty) may be charged a tick. A timer or a busy loop would wake it tens of
    // times a second.
    let (ticks, woke) = (cpu_ticks(pty.pid()), wakeups(pty.pid()));
    std::thread::sleep(Duration::from_secs(3));
    let (ticks, woke) = (cpu_ticks(pty.pid()) - ticks, wakeups(pty.pid()) - woke);
    assert!(
        woke <= 3 && ticks <= 3,
        "the idle wizard woke {woke} times and used {ticks} clock ticks of CPU in 3 s (at most 3 of each)"
    );
    pty.send(CTRL_C);
    pty.wait();
}

#[test]
fn not_a_terminal_exits_2_with_a_pointer() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trello-auth"))
        .env("XDG_CONFIG_HOME", tempfile::tempdir().unwrap().path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs an interactive terminal"));
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_write_nothing() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    for signal in [Signal::SIGTERM, Signal::SIGHUP] {
        let fake = FakeTrello::with_ann();
        let home = tempfile::tempdir().unwrap();
        let mut pty = wizard(&fake, home.path());
        walk_to_token_step(&mut pty);
        kill(Pid::from_raw(pty.pid() as i32), signal).unwrap();
        assert_eq!(pty.wait(), 1, "after {signal}");
        pty.assert_terminal_restored();
        assert!(!home.path().join("trello-auth").join("config.toml").exists());
    }
}
