//! The config store on a real filesystem: round trip, modes, backup, corrupt files.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use trello_auth::credentials::Secret;
use trello_auth::credentials::store::{Profile, Store, StoreError};
use trello_auth::trello::{Expiration, Scopes};

use crate::support::fake_trello::KEY;

fn profile(token: &str) -> Profile {
    Profile {
        api_key: KEY.into(),
        api_secret: Some(Secret::new("f".repeat(64))),
        token: Some(Secret::new(token)),
        app_name: "My-Trello-App".into(),
        requested_scope: Scopes { read: true, write: false, account: true },
        expiration: Expiration::Never,
        member_id: Some("5f00a11".into()),
        member_username: Some("ann".into()),
        member_full_name: Some("Ann Example".into()),
        token_expires: Some("never".into()),
        verified_at: Some("2026-11-28T21:00:00Z".into()),
        ..Profile::default()
    }
}

fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn round_trip_with_private_modes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trello-auth").join("config.toml");
    let store = Store::at(&path);
    assert_eq!(store.load().unwrap(), None);
    let saved = store.save_profile("default", profile("ATTAone")).unwrap();
    assert_eq!(saved.path, path);
    assert_eq!(saved.backup, None, "nothing to back up the first time");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(store.profile("default").unwrap(), Some(profile("ATTAone")));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# trello-auth credentials"));
    assert!(text.contains("version = 1"));
    assert!(text.contains("[profiles.default]"));
    assert!(text.contains("scope = \"read,account\""));
    assert!(text.contains("expiration = \"never\""));
}

#[test]
fn the_previous_file_is_kept_as_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path().join("config.toml"));
    store.save_profile("default", profile("ATTAone")).unwrap();
    let first = fs::read_to_string(store.path()).unwrap();
    let saved = store.save_profile("default", profile("ATTAtwo")).unwrap();
    assert_eq!(saved.backup.as_deref(), Some(store.backup_path().as_path()));
    assert_eq!(fs::read_to_string(store.backup_path()).unwrap(), first);
    assert_eq!(mode(&store.backup_path()), 0o600);
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), "ATTAtwo");
}

#[test]
fn other_profiles_and_unknown_keys_survive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fs::write(
        &path,
        r#"version = 1
editor_note = "kept"

[profiles.work]
api_key = "fedcba9876543210fedcba9876543210"
token = "ATTAwork"
app_name = "Work"
scope = "read"
expiration = "1day"
color = "blue"

[profiles.work.future]
nested = [1, 2]

[plugins]
x = true
"#,
    )
    .unwrap();
    let store = Store::at(&path);
    store.save_profile("default", profile("ATTAone")).unwrap();
    let config = store.load().unwrap().unwrap().config;
    assert_eq!(config.extra.get("editor_note").and_then(|v| v.as_str()), Some("kept"));
    assert!(config.extra.get("plugins").is_some());
    let work = &config.profiles["work"];
    assert_eq!(work.token.as_ref().unwrap().expose(), "ATTAwork");
    assert_eq!(work.extra.get("color").and_then(|v| v.as_str()), Some("blue"));
    assert_eq!(
        work.extra.get("future").and_then(|v| v.get("nested")).and_then(|v| v.as_array()).map(|a| a.len()),
        Some(2)
    );
    assert!(config.profiles.contains_key("default"));
}

#[test]
fn a_corrupt_file_is_named_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let corrupt = "version = 1\n[profiles.default]\napi_key = \"abc\ntoken = \"ATTAsecretvalue\"\n";
    fs::write(&path, corrupt).unwrap();
    let store = Store::at(&path);
    let err = store.load().unwrap_err();
    let StoreError::Parse { line, column, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*line, *column), (3, 15));
    let message = err.to_string();
    assert!(message.contains(path.to_str().unwrap()), "{message}");
    assert!(message.contains("line 3, column 15"), "{message}");
    assert!(!message.contains("ATTAsecretvalue"), "the message must not quote file contents: {message}");

    let err = store.save_profile("default", profile("ATTAone")).unwrap_err();
    assert!(matches!(err, StoreError::Parse { .. }));
    assert_eq!(fs::read_to_string(&path).unwrap(), corrupt);
    assert!(!store.backup_path().exists());
}

/// A file that is not text (a binary saved over it) is named as such, with
/// what to do, and the previous version beside it when there is one.
#[test]
fn a_file_that_is_not_text_says_what_to_do_and_where_the_previous_version_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let bytes = b"version = 1\n[profiles.default\n\x00\xff garbage\n";
    fs::write(&path, bytes).unwrap();
    let store = Store::at(&path);
    let err = store.load().unwrap_err();
    assert!(matches!(err, StoreError::NotText { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("is not UTF-8 text") && message.contains("move the file away to start over"), "{message}");
    assert!(!message.contains(".bak"), "no previous version to name: {message}");
    fs::write(store.backup_path(), "version = 1\n").unwrap();
    let message = store.load().unwrap_err().to_string();
    let said = format!("the version before the last save is {}", store.backup_path().display());
    assert!(message.contains(&said), "{message}");
    assert!(store.save_profile("default", profile("ATTAone")).is_err());
    assert_eq!(fs::read(&path).unwrap(), bytes, "left untouched");
    // A backup as broken as the file is no way back: not named.
    fs::write(store.backup_path(), bytes).unwrap();
    let message = store.load().unwrap_err().to_string();
    assert!(!message.contains(".bak"), "{message}");
}

#[test]
fn wrong_types_are_a_parse_error_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fs::write(&path, "version = 1\n[profiles.default]\nscope = \"read,admin\"\n").unwrap();
    let err = Store::at(&path).load().unwrap_err();
    assert!(matches!(err, StoreError::Parse { line: 3, .. }), "{err:?}");
    assert!(err.to_string().contains("admin"), "{err}");
}

#[test]
fn a_newer_format_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fs::write(&path, "version = 9\n").unwrap();
    let store = Store::at(&path);
    assert!(matches!(store.save_profile("default", profile("x")), Err(StoreError::NewerFormat { version: 9, .. })));
    assert_eq!(fs::read_to_string(&path).unwrap(), "version = 9\n");
}

#[test]
fn loose_permissions_warn_and_are_tightened_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let store = Store::at(&path);
    store.save_profile("default", profile("ATTAone")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let loaded = store.load().unwrap().unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    // The same words as `reveal`'s about a file others can read: one rule in `files`.
    assert!(loaded.warnings[0].contains("can be read by others (mode 0644)"), "{:?}", loaded.warnings);
    store.save_profile("default", profile("ATTAtwo")).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert!(store.load().unwrap().unwrap().warnings.is_empty());
}

#[test]
fn a_directory_where_the_file_should_be() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::at(dir.path());
    assert!(matches!(store.load(), Err(StoreError::IsDirectory { .. })));
    assert!(matches!(store.save_profile("default", profile("x")), Err(StoreError::IsDirectory { .. })));
}

#[test]
fn a_parent_that_is_a_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let parent_is_file = dir.path().join("file");
    fs::write(&parent_is_file, "x").unwrap();
    let store = Store::at(parent_is_file.join("config.toml"));
    let err = store.save_profile("default", profile("x")).unwrap_err();
    assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
    assert!(err.to_string().contains("creating the directory"), "{err}");
    assert_eq!(fs::read_to_string(&parent_is_file).unwrap(), "x");
}

#[test]
fn saves_go_through_a_symlink_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles-config.toml");
    let link = dir.path().join("config.toml");
    Store::at(&real).save_profile("default", profile("ATTAone")).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    Store::at(&link).save_profile("default", profile("ATTAtwo")).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(Store::at(&real).profile("default").unwrap().unwrap().token.unwrap().expose(), "ATTAtwo");
}

#[test]
fn location_follows_the_flag_then_the_platform_dir() {
    // TRELLO_AUTH_CONFIG reaches `choose` through --config (clap reads it); the binary's tests cover that.
    use std::path::{Path, PathBuf};
    let platform = || Some(PathBuf::from("/home/ann/.config/trello-auth"));
    let flag = Store::choose(Some(Path::new("/tmp/flag.toml")), platform).unwrap();
    assert_eq!(flag.path(), Path::new("/tmp/flag.toml"));
    let empty = Store::choose(Some(Path::new("")), platform).unwrap();
    assert_eq!(empty.path(), Path::new("/home/ann/.config/trello-auth/config.toml"));
    let none = Store::choose(None, platform).unwrap();
    assert_eq!(none.path(), Path::new("/home/ann/.config/trello-auth/config.toml"));
    assert!(matches!(Store::choose(None, || None), Err(StoreError::NoConfigDir)));
}

#[test]
fn concurrent_saves_of_different_profiles_both_survive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                for round in 0..5 {
                    Store::at(&path).save_profile(&format!("p{i}"), profile(&format!("ATTA{i}-{round}"))).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let config = Store::at(&path).load().unwrap().unwrap().config;
    assert_eq!(config.profiles.len(), 8);
    for i in 0..8 {
        assert_eq!(config.profiles[&format!("p{i}")].token.as_ref().unwrap().expose(), format!("ATTA{i}-4"));
    }
}

#[test]
fn a_save_sweeps_only_its_own_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join(".a.toml.tmp-killed");
    let theirs = dir.path().join(".b.toml.tmp-in-progress");
    let older_style = dir.path().join(".trello-auth-abc123");
    for stale in [&ours, &theirs, &older_style] {
        fs::write(stale, "token = \"ATTA…\"\n").unwrap();
    }
    Store::at(dir.path().join("a.toml")).save_profile("default", profile("ATTAone")).unwrap();
    assert!(!ours.exists(), "this config's own leftover holds credentials and goes");
    assert!(theirs.exists(), "another config's temp file is not this save's to remove");
    assert!(older_style.exists(), "a name that does not say which config it belongs to is left alone");
}
