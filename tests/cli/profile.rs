//! `profile` through the real binary: `list` (also as JSON, in `status`'s words)
//! and `use`; `profile remove`: refused while the profile holds a token (`logout` revokes it first) unless `--keep-remote`; then gone from the file, its backup and the keyring, the default profile cleared; asked first in a terminal, never without one.

use crate::support;

use std::process::Stdio;

use support::cli::{ANN, Env, SECRET, TOKEN, code, in_days, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{ENTER, Pty, base_command};
use support::secret_service::SecretService;

/// Another API secret than the default profile's, so the backup is seen to drop this one.
const WORK_SECRET: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

fn with_work_secret(env: &Env) {
    let mut config: toml::Table = toml::from_str(&std::fs::read_to_string(env.config()).unwrap()).unwrap();
    let work = config["profiles"]["work"].as_table().unwrap().clone();
    let mut work = work;
    work.insert("api_secret".into(), WORK_SECRET.into());
    config["profiles"].as_table_mut().unwrap().insert("work".into(), work.into());
    std::fs::write(env.config(), toml::to_string(&config).unwrap()).unwrap();
}

#[test]
fn a_profile_is_removed_once_logged_out_with_its_secrets_and_the_default() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let kept = fake.issue_token(KEY, ANN, "read,write", None);
    let work = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("default", &kept, "never");
    env.save("work", &work, "never");
    with_work_secret(&env);
    assert_eq!(code(&env.run(&["profile", "use", "work"])), 0);
    // Still holding a token: refused, and told how.
    let before = std::fs::read_to_string(env.config()).unwrap();
    let out = env.run(&["profile", "remove", "work"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("profile \"work\" still holds a token"), "{}", stderr(&out));
    assert!(stderr(&out).contains("run `trello-auth --profile work logout` first"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), before, "nothing changed");
    assert!(fake.requests().is_empty(), "nothing was sent");
    // The way it said: log out (no terminal: nothing asked), then remove.
    assert_eq!(code(&env.run(&["--profile", "work", "logout"])), 0);
    assert!(fake.is_revoked(&work));
    let out = env.run(&["profile", "remove", "work"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Removed profile \"work\" from "), "{}", stdout(&out));
    assert!(stdout(&out).contains("It was the default profile"), "{}", stdout(&out));
    let store = env.store();
    assert!(store.profile("work").unwrap().is_none());
    let file = std::fs::read_to_string(env.config()).unwrap();
    assert!(!file.contains("default_profile"), "{file}");
    for secret in [work.as_str(), WORK_SECRET] {
        assert!(env.files_holding(secret).is_empty(), "{:?} still hold it", env.files_holding(secret));
    }
    // The other profile is untouched and now the one used.
    assert_eq!(stdout(&env.run(&["token"])).trim(), kept);
    let out = env.run(&["profile", "remove", "work"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing is saved for profile \"work\""), "{}", stderr(&out));
}

#[test]
fn keep_remote_removes_a_profile_with_its_token_valid_and_says_where_to_revoke_it() {
    let env = Env::saved_offline();
    let out = env.run(&["profile", "remove", "default", "--keep-remote"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("its token was not revoked (--keep-remote)"), "{}", stderr(&out));
    assert!(stderr(&out).contains("/u/ann/account"), "{}", stderr(&out));
    assert!(env.files_holding(TOKEN).is_empty() && env.files_holding(SECRET).is_empty());
    assert_eq!(code(&env.run(&["token"])), 4);
}

#[test]
fn a_keyring_profile_s_entries_go_with_it() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let run = |args: &[&str], stdin: &str| {
        let mut cmd = env.cmd(args);
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address).env("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "10000");
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let login = ["--profile", "work", "login", "--with-token", "--key", KEY, "--storage", "keyring"];
    assert_eq!(code(&run(&login, &token)), 0);
    let user = env.keyring_user("work");
    ss.store("trello-auth-api-secret", &user, SECRET);
    assert_eq!(code(&run(&["--profile", "work", "logout"], "")), 0);
    let out = run(&["profile", "remove", "work"], "");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(ss.lookup("trello-auth", &user), None);
    assert_eq!(ss.lookup("trello-auth-api-secret", &user), None, "the API secret stayed in the keyring");
    assert!(env.store().profile("work").unwrap().is_none());
}

/// In a terminal `profile remove` asks first: no keeps it, yes removes it,
/// and --yes asks nothing.
#[test]
fn in_a_terminal_it_asks_first() {
    let env = Env::offline();
    for name in ["old", "older"] {
        env.save(name, TOKEN, "never");
        assert_eq!(code(&env.run(&["--profile", name, "logout", "--keep-remote"])), 0);
    }
    let remove = |args: &[&str], answer: Option<&str>| {
        let mut cmd = base_command(env.dir.path());
        cmd.args(args);
        let mut pty = Pty::spawn(cmd, 220, 20);
        if let Some(answer) = answer {
            pty.expect("Remove profile \"old\" (Ann Example (@ann)), its API key and secret, from ");
            pty.expect("? [y/N]");
            pty.send(&format!("{answer}{ENTER}"));
        }
        let status = pty.wait();
        (status, pty.screen())
    };
    let (status, screen) = remove(&["profile", "remove", "old"], Some("n"));
    assert_eq!(status, 1, "{screen}");
    assert!(screen.contains("profile \"old\" was not removed; nothing was changed"), "{screen}");
    assert!(env.store().profile("old").unwrap().is_some());
    let (status, screen) = remove(&["profile", "remove", "old"], Some("y"));
    assert_eq!(status, 0, "{screen}");
    assert!(env.store().profile("old").unwrap().is_none());
    let (status, screen) = remove(&["profile", "remove", "older", "--yes"], None);
    assert_eq!(status, 0, "{screen}");
    assert!(!screen.contains("[y/N]"), "{screen}");
    assert!(env.store().profile("older").unwrap().is_none());
}

/// `profile list --json` says each fact in `status --json`'s words: every
/// key it has, `status --offline --all --json` has too, with the same value.
#[test]
fn profile_list_json_speaks_status_s_words() {
    let env = Env::saved_offline();
    env.save("work", support::cli::TOKEN, "2000-01-01T00:00:00Z");
    env.save("gone", support::cli::TOKEN, "never");
    let mut profile = env.store().profile("gone").unwrap().unwrap();
    profile.token = None;
    env.store().save_profile("gone", profile).unwrap();
    assert_eq!(code(&env.run(&["profile", "use", "work"])), 0);
    let list: serde_json::Value = serde_json::from_str(&stdout(&env.run(&["profile", "list", "--json"]))).unwrap();
    let out = env.run(&["status", "--offline", "--all", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let by_name = |all: &serde_json::Value, name: &str| {
        all.as_array().unwrap().iter().find(|p| p["profile"] == name).unwrap().as_object().unwrap().clone()
    };
    for name in ["default", "work", "gone"] {
        let (listed, full) = (by_name(&list, name), by_name(&status, name));
        for (key, value) in &listed {
            assert_eq!(full.get(key), Some(value), "{name}: `{key}` is not status's word for it");
        }
    }
    assert_eq!(by_name(&list, "work")["chosen_by"], "default_profile");
    assert_eq!(by_name(&list, "work")["status"], "expired");
    assert_eq!(by_name(&list, "gone")["status"], "no_token");
    assert_eq!(by_name(&list, "default")["chosen_by"], serde_json::Value::Null);
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
