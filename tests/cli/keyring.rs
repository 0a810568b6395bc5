//! The token in a real system keyring (gnome-keyring's Secret Service on a
//! private D-Bus), through the real binary: login, token, env, exec, status,
//! storage moves (with SIGKILLs in the middle), logout, the wizard and rotate,
//! and a keyring that is locked, absent, or missing the entry.

use crate::support;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use support::cli::{ANN, Env, code, stderr, stdout};
use support::fake_trello::{BOB, FakeTrello, KEY, SECRET};
use support::pty::{ENTER, Pty, base_command};
use support::secret_service::SecretService;
use trello_auth::credentials::store::Storage;

/// Runs the binary against the fake Trello and the private keyring.
fn run(env: &Env, ss: &SecretService, args: &[&str], stdin: &str) -> Output {
    let mut cmd = env.cmd(args);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address).env("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "10000");
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn config_text(env: &Env) -> String {
    std::fs::read_to_string(env.config()).unwrap_or_default()
}

/// The token `trello-auth token` prints for the config file `config` (the
/// default one for `None`), or its error output.
fn token_of(env: &Env, ss: &SecretService, config: Option<&str>) -> String {
    let out = match config {
        Some(config) => run(env, ss, &["--config", config, "token"], ""),
        None => run(env, ss, &["token"], ""),
    };
    if code(&out) == 0 { stdout(&out).trim_end().to_string() } else { stderr(&out) }
}

/// Ann's token saved as versions before per-file ids saved it: a keyring
/// profile of the default config file, its entry named just `default`.
fn saved_before_ids(fake: &FakeTrello, ss: &SecretService) -> (Env, String) {
    let (env, old) = Env::saved_for_ann(fake);
    let text = config_text(&env).replace("[profiles.default]\n", "[profiles.default]\nstorage = \"keyring\"\n");
    let text = text.lines().filter(|l| !l.starts_with("token =") && !l.starts_with("api_secret =")).collect::<Vec<_>>();
    std::fs::write(env.config(), text.join("\n")).unwrap();
    ss.store("trello-auth", "default", &old);
    (env, old)
}

/// A profile logged in with `--storage keyring`.
fn logged_in(fake: &FakeTrello, ss: &SecretService, profile: &str) -> (Env, String) {
    let env = Env::new(fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let out =
        run(&env, ss, &["--profile", profile, "login", "--with-token", "--key", KEY, "--storage", "keyring"], &token);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    (env, token)
}

#[test]
fn login_to_the_keyring_keeps_no_secret_in_the_file_and_every_command_finds_it() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, token) = logged_in(&fake, &ss, "work");
    // Where a person looks: secret-tool, and the file.
    assert_eq!(ss.lookup("trello-auth", &env.keyring_user("work")).as_deref(), Some(token.as_str()));
    let text = config_text(&env);
    assert!(!text.contains(&token), "the token is in the file:\n{text}");
    assert!(text.contains("storage = \"keyring\""), "{text}");

    let out = run(&env, &ss, &["--profile", "work", "token"], "");
    assert_eq!((code(&out), stdout(&out)), (0, format!("{token}\n")), "{}", stderr(&out));
    let out = run(&env, &ss, &["--profile", "work", "env"], "");
    assert!(stdout(&out).contains(&format!("export TRELLO_TOKEN='{token}'")), "{}", stderr(&out));
    let script = "printf %s \"$TRELLO_TOKEN\"";
    let out = run(&env, &ss, &["--profile", "work", "exec", "--no-mask", "--", "sh", "-c", script], "");
    assert_eq!(stdout(&out), token);
    // Read through a pipe, the keyring's token is hidden like the file's.
    let out = run(&env, &ss, &["--profile", "work", "exec", "--", "sh", "-c", script], "");
    assert_eq!(stdout(&out), trello_auth::commands::exec::mask::MARKER);

    let out = run(&env, &ss, &["--profile", "work", "status"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Stored in  the system keyring"), "{}", stdout(&out));
    let out = run(&env, &ss, &["--profile", "work", "status", "--json", "--offline"], "");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["token_source"], "keyring");
    assert_eq!(json["storage"], "keyring");
    // TRELLO_TOKEN in the environment wins, and status says so.
    let mut cmd = env.cmd(&["--profile", "work", "status", "--json", "--offline"]);
    let out = cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address).env("TRELLO_TOKEN", "ATTAother").output().unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["token_source"], "environment");

    // logout revokes and removes the keyring entry.
    let out = run(&env, &ss, &["--profile", "work", "logout"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(fake.is_revoked(&token));
    assert_eq!(ss.lookup("trello-auth", &env.keyring_user("work")), None, "the keyring entry was not removed");
    let out = run(&env, &ss, &["--profile", "work", "status", "--offline"], "");
    assert_eq!(code(&out), 4, "logged out, not missing: {}", stdout(&out));
}

#[test]
fn what_secret_tool_stores_trello_auth_reads() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, _) = logged_in(&fake, &ss, "default");
    let by_hand = fake.issue_token(KEY, ANN, "read", None);
    ss.store("trello-auth", &env.keyring_user("default"), &by_hand);
    let out = run(&env, &ss, &["token"], "");
    assert_eq!(stdout(&out), format!("{by_hand}\n"), "{}", stderr(&out));
    let out = run(&env, &ss, &["status"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn storage_moves_both_ways_and_the_backup_keeps_no_secret() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    env.save("default", &token, "never");
    let out = run(&env, &ss, &["storage", "keyring"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(ss.lookup("trello-auth", &env.keyring_user("default")).as_deref(), Some(token.as_str()));
    assert_eq!(ss.lookup("trello-auth-api-secret", &env.keyring_user("default")).as_deref(), Some(SECRET));
    assert!(env.files_holding(&token).is_empty(), "{:?}", env.files_holding(&token));
    assert!(env.files_holding(SECRET).is_empty(), "{:?}", env.files_holding(SECRET));
    // Already there: done, and said.
    let out = run(&env, &ss, &["storage", "keyring"], "");
    assert_eq!(code(&out), 0, "already there: {}", stderr(&out));
    assert!(stdout(&out).contains("already keeps its token in the system keyring"), "{}", stdout(&out));

    let out = run(&env, &ss, &["storage", "file"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(env.store().profile("default").unwrap().unwrap().token.unwrap().expose(), token);
    assert_eq!(env.store().profile("default").unwrap().unwrap().storage, Storage::File);
    assert_eq!(ss.lookup("trello-auth", &env.keyring_user("default")), None);
    assert_eq!(ss.lookup("trello-auth-api-secret", &env.keyring_user("default")), None);
}

#[test]
fn a_move_killed_at_any_point_leaves_the_token_somewhere() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    let mut landed_mid_move = 0;
    for run_index in 0..24 {
        let to = if run_index % 2 == 0 { "keyring" } else { "file" };
        let mut cmd = env.cmd(&["storage", to]);
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address).stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_millis(2 + (run_index as u64 * 7) % 60));
        let _ = child.kill();
        let _ = child.wait();
        let in_file = env.store().profile("default").unwrap().unwrap().token.is_some_and(|t| t.expose() == token);
        let in_keyring = ss.lookup("trello-auth", &env.keyring_user("default")).as_deref() == Some(token.as_str());
        assert!(in_file || in_keyring, "run {run_index}: the token is in neither place");
        if in_file && in_keyring {
            landed_mid_move += 1;
        }
        // Whatever the kill left, the profile still reads the token or says where it went.
        let out = run(&env, &ss, &["token"], "");
        if code(&out) == 0 {
            assert_eq!(stdout(&out), format!("{token}\n"));
        }
    }
    eprintln!("24 kills, {landed_mid_move} left the token in both places");
}

#[test]
fn a_locked_an_absent_and_an_emptied_keyring_each_say_so_and_lose_nothing() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, token) = logged_in(&fake, &ss, "default");

    // The entry deleted by hand: status exit 1 with the fix.
    let out = ss.secret_tool(&["clear", "service", "trello-auth", "username", &env.keyring_user("default")], None);
    assert!(out.status.success());
    let out = run(&env, &ss, &["status"], "");
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let user = env.keyring_user("default");
    assert!(
        stdout(&out).contains(&format!("the keyring has no token (service trello-auth, user {user})")),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("trello-auth rotate"), "{}", stdout(&out));
    let out = run(&env, &ss, &["token"], "");
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("deleted by hand"), "{}", stderr(&out));
    ss.store("trello-auth", &env.keyring_user("default"), &token);

    // No Secret Service at all: said, exit 3, no fallback to the file.
    let mut cmd = env.cmd(&["token"]);
    let out = cmd.output().unwrap();
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("no system keyring could be reached"), "{}", stderr(&out));
    let next = fake.issue_token(KEY, ANN, "read,write", None);
    let mut cmd = env.cmd(&["login", "--with-token", "--key", KEY, "--storage", "keyring"]);
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(next.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    // The profile's API secret is in that keyring: unread, it cannot be kept
    // anywhere, so the save stops there (issue 27, item 8) with the keyring's cure.
    assert!(
        stderr(&out).contains("nothing was saved") && stderr(&out).contains("start one that offers the Secret Service"),
        "{}",
        stderr(&out)
    );
    assert!(!config_text(&env).contains(&next), "no silent fallback to plain text");

    // Locked: reading fails with words (or gives up after the deadline), writing saves nothing.
    ss.lock();
    let mut cmd = env.cmd(&["token"]);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address).env("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "4000");
    let out = cmd.output().unwrap();
    assert_ne!(code(&out), 0, "a locked keyring gave the token: {}", stdout(&out));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("keyring"), "{}", stderr(&out));
    assert!(!config_text(&env).contains(&token));
}

#[test]
fn the_wizard_offers_the_keyring_and_rotate_replaces_the_entry() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let wizard = |args: &[&str]| {
        let mut cmd = base_command(home.path());
        cmd.args(args);
        cmd.env("TRELLO_API_BASE", fake.api_base());
        cmd.env("TRELLO_WEB_BASE", fake.web_base());
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address);
        Pty::spawn(cmd, 100, 30)
    };
    let mut pty = wizard(&["--no-capture"]);
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.send(ENTER);
    pty.paste(KEY);
    pty.expect("Trello knows this key");
    pty.send(ENTER);
    pty.expect("Authorize a token");
    pty.paste(&token);
    pty.send(ENTER);
    let screen = pty.expect("Where should the token (and secret) be kept?");
    let flat = screen.replace(['│', '\n'], " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("k: the system keyring"), "{screen}");
    pty.send("k");
    pty.expect("the system keyring (service trello-auth, user default@");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let config = home.path().join("trello-auth/config.toml");
    assert!(!std::fs::read_to_string(&config).unwrap().contains(&token));
    let user = support::cli::keyring_user(&config, "default");
    assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(token.as_str()));

    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let mut pty = wizard(&["rotate", "--no-capture"]);
    pty.expect("Authorize a new token");
    pty.paste(&new);
    pty.send(ENTER);
    pty.expect("Revoke the old one");
    pty.send("y");
    pty.expect("Trello now answers 401 invalid token");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(new.as_str()));
    for file in ["config.toml", "config.toml.bak"] {
        let text = std::fs::read_to_string(home.path().join("trello-auth").join(file)).unwrap();
        assert!(!text.contains(&new) && !text.contains(&token), "{file} holds a token");
    }
}

/// Without a keyring the wizard does not ask: the file, as always.
#[test]
fn without_a_keyring_the_wizard_saves_to_the_file_without_asking() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let mut cmd = base_command(home.path());
    cmd.args(["--no-capture"]);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.send(ENTER);
    pty.paste(KEY);
    pty.expect("Trello knows this key");
    pty.send(ENTER);
    pty.paste(&token);
    pty.send(ENTER);
    pty.expect("the config file");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let _ = Command::new("true").status();
    let text = std::fs::read_to_string(home.path().join("trello-auth/config.toml")).unwrap();
    assert!(text.contains(&token));
}

// ---- The keyring's holes (issue: the newest surfaces as an attacker finds them) ----

/// Two config files with a profile of the same name keep separate entries:
/// each hands out its own token, and logging out of one leaves the other.
#[test]
fn two_config_files_never_share_a_keyring_entry() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let (work, personal) = (env.dir.path().join("work.toml"), env.dir.path().join("personal.toml"));
    let mut tokens = Vec::new();
    for config in [&work, &personal] {
        let token = fake.issue_token(KEY, ANN, "read,write", None);
        let config = config.to_str().unwrap();
        let out = run(
            &env,
            &ss,
            &["--config", config, "login", "--with-token", "--key", KEY, "--storage", "keyring"],
            &token,
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        tokens.push(token);
    }
    for (config, token) in [(&work, &tokens[0]), (&personal, &tokens[1])] {
        let out = run(&env, &ss, &["--config", config.to_str().unwrap(), "token"], "");
        assert_eq!(stdout(&out), format!("{token}\n"), "{}", stderr(&out));
    }
    let out = run(&env, &ss, &["--config", work.to_str().unwrap(), "logout", "--keep-remote"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(&env, &ss, &["--config", personal.to_str().unwrap(), "token"], "");
    assert_eq!(stdout(&out), format!("{}\n", tokens[1]), "logging out of one broke the other: {}", stderr(&out));
}

/// Entries written before they were keyed by config file are still read, and
/// moved to the new name on the profile's next change.
#[test]
fn entries_of_before_are_read_and_moved_on_the_next_change() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, old) = saved_before_ids(&fake, &ss);
    assert_eq!(token_of(&env, &ss, None), old);
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let out = run(&env, &ss, &["login", "--with-token"], &new);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let user = env.keyring_user("default");
    assert_ne!(user, "default", "the file got its keyring id");
    assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(new.as_str()));
    assert_eq!(ss.lookup("trello-auth", "default"), None, "the old-style entry was moved, not left behind");
}

/// A token in the keyring that belongs to another member than the profile
/// says (another account's, another file's) is flagged by `status`.
#[test]
fn status_flags_a_token_of_another_member() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    fake.add_bob();
    let (env, _) = logged_in(&fake, &ss, "default");
    let bobs = fake.issue_token(KEY, BOB, "read,write", None);
    ss.store("trello-auth", &env.keyring_user("default"), &bobs);
    let out = run(&env, &ss, &["status"], "");
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("the token belongs to Bob Other (@bob), not to Ann Example (@ann)"),
        "{}",
        stdout(&out)
    );
}

/// `login --storage keyring` over a file profile leaves no token in any file, the backup included.
#[test]
fn login_into_the_keyring_leaves_no_token_in_the_backup() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, old) = Env::saved_for_ann(&fake);
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let out = run(&env, &ss, &["login", "--with-token", "--storage", "keyring"], &new);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for token in [&old, &new] {
        assert!(env.files_holding(token).is_empty(), "{:?} hold a token", env.files_holding(token));
    }
    assert!(env.files_holding(SECRET).is_empty(), "the secret moved too");
    assert_eq!(ss.lookup("trello-auth-api-secret", &env.keyring_user("default")).as_deref(), Some(SECRET));
}

/// A file save that fails after the keyring was written puts the keyring's
/// previous value back: the old pair stays whole and working.
#[test]
fn a_failed_save_after_the_keyring_write_keeps_the_old_pair_whole() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, old) = logged_in(&fake, &ss, "default");
    let before = config_text(&env);
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let mut cmd = env.cmd(&["login", "--with-token", "--storage", "keyring"]);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    support::cli::as_if_the_disk_were_full(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(new.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("File too large"), "{}", stderr(&out));
    assert_eq!(config_text(&env), before, "the file is untouched");
    assert_eq!(
        ss.lookup("trello-auth", &env.keyring_user("default")).as_deref(),
        Some(old.as_str()),
        "the old token is back"
    );
    let out = run(&env, &ss, &["status"], "");
    assert_eq!(code(&out), 0, "the old pair works: {}", stdout(&out));
}

/// `login --storage file` over a keyring profile cleans the keyring: no old
/// token is left there untracked, and the API secret comes along to the file.
#[test]
fn login_into_the_file_over_a_keyring_profile_leaves_nothing_in_the_keyring() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, _) = Env::saved_for_ann(&fake);
    let out = run(&env, &ss, &["storage", "keyring"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let user = env.keyring_user("default");
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let out = run(&env, &ss, &["login", "--with-token", "--storage", "file"], &new);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(ss.lookup("trello-auth", &user), None, "the old token was left in the keyring");
    assert_eq!(ss.lookup("trello-auth-api-secret", &user), None);
    let profile = env.store().profile("default").unwrap().unwrap();
    assert_eq!(profile.api_secret.unwrap().expose(), SECRET, "the API secret moved to the file");
    assert_eq!(profile.token.unwrap().expose(), new);
}

/// `logout --keep-remote` keeps the API secret where it is, for a keyring
/// profile as for a file profile; the profile then says it is logged out.
#[test]
fn logout_keeps_the_api_secret_in_the_keyring() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    let out = run(&env, &ss, &["storage", "keyring"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let user = env.keyring_user("default");
    let out = run(&env, &ss, &["logout", "--keep-remote"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(ss.lookup("trello-auth", &user), None);
    assert_eq!(ss.lookup("trello-auth-api-secret", &user).as_deref(), Some(SECRET), "the secret was deleted");
    assert!(env.files_holding(&token).is_empty());
    let out = run(&env, &ss, &["status", "--offline"], "");
    assert_eq!(code(&out), 4, "logged out, not a broken keyring: {}", stdout(&out));
    assert!(stdout(&out).contains("no token saved (logged out)"), "{}", stdout(&out));
}

// ---- Each config file's entries stay its own (issue: an attacker trial against the release binary) ----

/// A copy of a config file (same keyring id) gets entries of its own on its
/// first keyring write; it never replaces or deletes the original's.
#[test]
fn a_copied_config_file_never_replaces_or_deletes_the_original_s_entries() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    fake.add_bob();
    let (env, ann) = logged_in(&fake, &ss, "default");
    let copy = env.dir.path().join("proj").join("other.toml");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(env.config(), &copy).unwrap();
    let copy = copy.to_str().unwrap();
    assert_eq!(token_of(&env, &ss, Some(copy)), ann, "a copy reads the entries it came with");

    let bob = fake.issue_token(KEY, BOB, "read,write", None);
    let login = ["--config", copy, "login", "--with-token", "--key", KEY, "--storage", "keyring"];
    let out = run(&env, &ss, &login, &bob);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("were left"), "the original still uses its entries: {}", stderr(&out));
    let theirs = support::cli::keyring_user(std::path::Path::new(copy), "default");
    assert_ne!(theirs, env.keyring_user("default"), "the copy has an id of its own");
    assert_eq!(token_of(&env, &ss, None), ann, "the original's token was replaced");
    assert_eq!(token_of(&env, &ss, Some(copy)), bob);

    let out = run(&env, &ss, &["--config", copy, "logout", "--keep-remote"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(ss.lookup("trello-auth", &theirs), None, "the copy's own entry is gone");
    assert_eq!(token_of(&env, &ss, None), ann, "the copy's logout deleted the original's token");

    // A copy that logs out before ever writing: its original's entry stays too.
    let second = env.dir.path().join("second.toml");
    std::fs::copy(env.config(), &second).unwrap();
    let out = run(&env, &ss, &["--config", second.to_str().unwrap(), "logout", "--keep-remote"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(token_of(&env, &ss, None), ann);
}

/// A moved config file reads its entries where it is now; a change leaves
/// the old entries in the keyring (they may be another file's) and says how
/// to remove them.
#[test]
fn a_moved_config_file_leaves_its_old_entries_and_says_so() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let (old, new) = (env.dir.path().join("a.toml"), env.dir.path().join("b.toml"));
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let login = ["--config", old.to_str().unwrap(), "login", "--with-token", "--key", KEY, "--storage", "keyring"];
    assert_eq!(code(&run(&env, &ss, &login, &token)), 0);
    let user = support::cli::keyring_user(&old, "default");
    std::fs::rename(&old, &new).unwrap();
    let new = new.to_str().unwrap();
    assert_eq!(token_of(&env, &ss, Some(new)), token);
    let out = run(&env, &ss, &["--config", new, "logout", "--keep-remote"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("the keyring entries {user} were left"))
            && stderr(&out).contains(&format!("secret-tool clear service trello-auth username {user}")),
        "{}",
        stderr(&out)
    );
    assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(token.as_str()), "left, not deleted");
    // Its next keyring write is under an id of its own, and says the same.
    let next = fake.issue_token(KEY, ANN, "read,write", None);
    let out = run(&env, &ss, &["--config", new, "login", "--with-token", "--key", KEY], &next);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("were left"), "{}", stderr(&out));
    assert_ne!(support::cli::keyring_user(std::path::Path::new(new), "default"), user);
    assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(token.as_str()));
}

/// Entries of before per-file ids (`default`) belong to the config file at
/// the default place: another config file neither reads nor deletes them.
#[test]
fn only_the_default_config_file_touches_entries_of_before_ids() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, old) = saved_before_ids(&fake, &ss);
    // A copy elsewhere does not read the default file's entry of before.
    let copy = env.dir.path().join("copy.toml");
    std::fs::copy(env.config(), &copy).unwrap();
    assert_ne!(token_of(&env, &ss, copy.to_str()), old, "another file read the default file's entry");

    let ci = env.dir.path().join("ci").join("config.toml");
    let ci = ci.to_str().unwrap();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let out = run(&env, &ss, &["--config", ci, "login", "--with-token", "--key", KEY, "--storage", "keyring"], &token);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(&env, &ss, &["--config", ci, "logout", "--keep-remote"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(ss.lookup("trello-auth", "default").as_deref(), Some(old.as_str()), "ci's logout deleted it");
    assert_eq!(token_of(&env, &ss, None), old);
}

/// A profile named `p@<id>` would name another file's entry: such a name is
/// refused before anything is sent or saved, and in a file it is refused as
/// the file is read.
#[test]
fn a_profile_name_with_an_at_sign_is_refused() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, ann) = logged_in(&fake, &ss, "p");
    let victim = env.keyring_user("p");
    let other = env.dir.path().join("b.toml");
    let other = other.to_str().unwrap();
    let requests = fake.requests().len();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let login =
        ["--config", other, "--profile", &victim, "login", "--with-token", "--key", KEY, "--storage", "keyring"];
    let out = run(&env, &ss, &login, &token);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot hold '@'"), "{}", stderr(&out));
    assert_eq!(fake.requests().len(), requests, "nothing was sent");
    assert!(!std::path::Path::new(other).exists(), "nothing was saved");

    std::fs::write(other, format!("version = 1\n[profiles.\"{victim}\"]\nstorage = \"keyring\"\n")).unwrap();
    // Named on the command line: refused as a usage error before the file is read.
    let out = run(&env, &ss, &["--config", other, "--profile", &victim, "logout", "--keep-remote"], "");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot hold '@'"), "{}", stderr(&out));
    // In the file: the file is refused, naming the line.
    let out = run(&env, &ss, &["--config", other, "status"], "");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot hold '@'") && stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert_eq!(ss.lookup("trello-auth", &victim).as_deref(), Some(ann.as_str()));
}

/// A keyring profile's file holds no token, yet it has one to rotate: a
/// rejected `login` over it points at `rotate`, as for a file profile.
#[test]
fn a_rejected_login_over_a_keyring_profile_points_at_rotate() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, _) = logged_in(&fake, &ss, "work");
    let unknown = format!("ATTA{}0000AAAA", "1".repeat(64));
    let out = run(&env, &ss, &["--profile", "work", "login", "--with-token", "--key", KEY], &unknown);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("Run `trello-auth --profile work rotate`"), "{}", stderr(&out));
}

// ---- Two commands at once over the keyring (issue 27: a hostile world, round four) ----
//
// The window between a command's file commit and its keyring deletes is
// widened by a slow D-Bus (`support::dbus_proxy`) in front of the private
// bus: the first command's `Delete` calls are held back, so the second
// command runs entirely inside that window, every time.

use support::dbus_proxy::{Rule, SlowBus};

/// Starts the binary in the background on the bus at `address`.
fn spawn_on(env: &Env, address: &str, args: &[&str], stdin: &str) -> std::process::Child {
    let mut cmd = env.cmd(args);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", address).env("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "20000");
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child
}

/// Waits (at most 20 s) until the config file's text passes `check`: the
/// first command has committed its file and is now in its keyring deletes.
fn until_the_file(env: &Env, check: impl Fn(&str) -> bool) {
    let started = std::time::Instant::now();
    while !check(&config_text(env)) {
        assert!(started.elapsed() < Duration::from_secs(20), "the first command never wrote:\n{}", config_text(env));
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `Delete` calls held back 1.5 s each on their way to the Secret Service.
fn slow_deletes(ss: &SecretService) -> SlowBus {
    let rule = Rule { member: "Delete", body_holds: None, delay: Duration::from_millis(1500), times: usize::MAX };
    SlowBus::start(&ss.address, vec![rule])
}

#[test]
fn storage_file_racing_storage_keyring_leaves_the_token_in_exactly_one_place() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, token) = logged_in(&fake, &ss, "default");
    let user = env.keyring_user("default");
    let slow = slow_deletes(&ss);
    let to_file = spawn_on(&env, &slow.address, &["storage", "file"], "");
    until_the_file(&env, |text| text.contains(&token));
    let to_keyring = spawn_on(&env, &ss.address, &["storage", "keyring"], "");
    let (to_file, to_keyring) = (to_file.wait_with_output().unwrap(), to_keyring.wait_with_output().unwrap());
    assert_eq!(code(&to_file), 0, "{}", stderr(&to_file));
    assert_eq!(code(&to_keyring), 0, "{}", stderr(&to_keyring));
    assert!(slow.held().contains(&"Delete".to_string()), "the window was never opened: {:?}", slow.held());
    assert!(
        stdout(&to_file).contains("Moved the token of profile \"default\" to the config file"),
        "{}",
        stdout(&to_file)
    );
    // The second command ran after the first: it moved the token back, and its words hold.
    assert!(
        stdout(&to_keyring).contains("to the system keyring") && stdout(&to_keyring).contains("no longer hold it"),
        "{}",
        stdout(&to_keyring)
    );
    assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(token.as_str()), "the token is in no keyring entry");
    assert!(env.files_holding(&token).is_empty(), "and in a file too: {:?}", env.files_holding(&token));
    assert_eq!(token_of(&env, &ss, None), token);
}

#[test]
fn logout_racing_login_to_the_keyring_keeps_the_new_token() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, old) = logged_in(&fake, &ss, "default");
    let user = env.keyring_user("default");
    let slow = slow_deletes(&ss);
    let logout = spawn_on(&env, &slow.address, &["logout", "--keep-remote"], "");
    until_the_file(&env, |text| text.contains("logged_out = true"));
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let login = spawn_on(&env, &ss.address, &["login", "--with-token", "--storage", "keyring"], &new);
    let (logout, login) = (logout.wait_with_output().unwrap(), login.wait_with_output().unwrap());
    assert_eq!(code(&logout), 0, "{}", stderr(&logout));
    assert_eq!(code(&login), 0, "{}", stderr(&login));
    assert!(slow.held().contains(&"Delete".to_string()), "the window was never opened: {:?}", slow.held());
    assert!(stdout(&logout).contains("Logged out of profile \"default\""), "{}", stdout(&logout));
    assert!(stdout(&login).contains("the token is in the system keyring"), "{}", stdout(&login));
    assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(new.as_str()), "the new token was deleted");
    assert!(env.files_holding(&new).is_empty() && env.files_holding(&old).is_empty());
    assert_eq!(token_of(&env, &ss, None), new);
}

/// Issue 27, item 8: a save that reads the old API secret from the keyring
/// and fails (here: the read is held back past the keyring deadline) must not
/// go on as if there were none, which dropped the secret from the profile
/// and then deleted its keyring entry. It saves nothing and says why.
#[test]
fn an_api_secret_that_cannot_be_read_is_never_deleted() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, old) = Env::saved_for_ann(&fake);
    let out = run(&env, &ss, &["storage", "keyring"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let user = env.keyring_user("default");
    let before = config_text(&env);
    for storage in ["file", "keyring"] {
        let rule = Rule {
            member: "SearchItems",
            body_holds: Some("trello-auth-api-secret"),
            delay: Duration::from_millis(2500),
            times: 1,
        };
        let slow = SlowBus::start(&ss.address, vec![rule]);
        let new = fake.issue_token(KEY, ANN, "read,write", None);
        let mut cmd = env.cmd(&["login", "--with-token", "--storage", storage]);
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &slow.address).env("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "2000");
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(new.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(slow.held(), ["SearchItems"], "--storage {storage}: the read was not held back");
        assert_eq!(ss.lookup("trello-auth-api-secret", &user).as_deref(), Some(SECRET), "--storage {storage}: lost");
        assert_eq!(code(&out), 3, "--storage {storage}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("the API secret kept in the keyring could not be read")
                && stderr(&out).contains("nothing was saved"),
            "--storage {storage}: {}",
            stderr(&out)
        );
        assert_eq!(config_text(&env), before, "--storage {storage}: the file changed");
        assert_eq!(ss.lookup("trello-auth", &user).as_deref(), Some(old.as_str()));
    }
}
