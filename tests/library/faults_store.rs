//! The config file under faults: SIGKILL mid-save, full disks, read-only
//! directories, file-size limits, and two processes saving at once.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::mount::tmpfs_or_skip;
use trello_auth::credentials::Secret;
use trello_auth::credentials::store::{Profile, Store, StoreError};

const WORKER: &str = "TRELLO_AUTH_STORE_WORKER";
/// Big enough that a write takes a while, so kills land inside it.
const PADDING: usize = 64 * 1024;

fn profile(seq: u64, padding: usize) -> Profile {
    let mut p = Profile { api_key: "0123456789abcdef0123456789abcdef".into(), ..Profile::default() };
    p.token = Some(Secret::new(format!("ATTA-seq-{seq}")));
    p.extra.insert("seq".into(), toml::Value::Integer(seq as i64));
    p.extra.insert("padding".into(), toml::Value::String("x".repeat(padding)));
    p
}

/// A file is whole when it parses and its padding is all there.
fn assert_whole(path: &Path, what: &str) -> i64 {
    let loaded = Store::at(path).load().unwrap_or_else(|e| panic!("{what} is damaged: {e}"));
    let config = loaded.unwrap_or_else(|| panic!("{what} is missing")).config;
    let p = &config.profiles["default"];
    let padding = p.extra.get("padding").and_then(|v| v.as_str()).map(str::len);
    assert_eq!(padding, Some(PADDING), "{what} is partial");
    p.extra.get("seq").and_then(|v| v.as_integer()).unwrap()
}

/// Runs as a child process (see `WORKER`): saves in a loop until killed, or
/// saves one profile a number of times. Run without the variable, it checks a
/// single save, so it is a real test too.
#[test]
fn store_worker() {
    match std::env::var(WORKER).ok().as_deref() {
        Some("loop") => {
            let store = Store::at(std::env::var("CONFIG").unwrap());
            for seq in 1.. {
                store.save_profile("default", profile(seq, PADDING)).unwrap();
            }
        }
        Some("profile") => {
            let store = Store::at(std::env::var("CONFIG").unwrap());
            let name = std::env::var("PROFILE").unwrap();
            for round in 0..15 {
                let mut p = profile(round, 10);
                p.token = Some(Secret::new(format!("{name}-{round}")));
                store.save_profile(&name, p).unwrap();
            }
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::at(dir.path().join("config.toml"));
            store.save_profile("default", profile(7, PADDING)).unwrap();
            assert_eq!(assert_whole(store.path(), "config"), 7);
        }
    }
}

fn worker(role: &str, config: &Path) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    // The test's name inside this crate: `faults_store::store_worker`.
    let name = format!("{}::store_worker", module_path!().split_once("::").map_or(module_path!(), |(_, m)| m));
    cmd.args(["--exact", &name, "--nocapture", "--test-threads=1"])
        .env(WORKER, role)
        .env("CONFIG", config)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

#[test]
fn sigkill_at_any_point_of_a_save_leaves_the_old_or_the_new_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("trello-auth").join("config.toml");
    Store::at(&config).save_profile("default", profile(0, PADDING)).unwrap();
    // How long a worker takes to its first save on this machine now (a loaded
    // CI machine starts processes slowly): the kills are spread around it.
    let first_save = {
        let before = assert_whole(&config, "config");
        let started = std::time::Instant::now();
        let mut child = worker("loop", &config).spawn().unwrap();
        while assert_whole(&config, "config") == before && started.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_micros(500));
        }
        let took = started.elapsed();
        child.kill().unwrap();
        child.wait().unwrap();
        took.as_micros() as u64
    };
    let mut mid_write = 0;
    let mut saved_something = 0;
    let runs = 160;
    for run in 0..runs {
        let before = assert_whole(&config, "config before the run");
        let mut child = worker("loop", &config).spawn().unwrap();
        // Spread the kills over start-up and many points of the save loop.
        let spread = first_save + 120_000;
        std::thread::sleep(Duration::from_micros(first_save / 2 + (run * 7_919) % spread));
        child.kill().unwrap();
        child.wait().unwrap();
        let after = assert_whole(&config, "config");
        let backup = config.with_file_name("config.toml.bak");
        if backup.exists() {
            assert_whole(&backup, "backup");
            assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(std::fs::metadata(&config).unwrap().permissions().mode() & 0o777, 0o600);
        if after > 0 && after != before {
            saved_something += 1;
        }
        let leftovers = std::fs::read_dir(config.parent().unwrap())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".config.toml.tmp-"))
            .count();
        if leftovers > 0 {
            mid_write += 1;
        }
    }
    eprintln!("{runs} kills: {saved_something} after at least one save, {mid_write} in the middle of writing a file");
    assert!(mid_write >= 10, "too few kills landed mid-write ({mid_write}); the test proves little");
    assert!(saved_something >= runs / 4, "too few runs got a save done ({saved_something})");
    // The next save sweeps the temp files killed saves left (they hold credentials).
    Store::at(&config).save_profile("default", profile(1, PADDING)).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(config.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".config.toml.tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_processes_saving_different_profiles_both_survive() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let children: Vec<_> =
        (0..4).map(|i| worker("profile", &config).env("PROFILE", format!("p{i}")).spawn().unwrap()).collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let profiles = Store::at(&config).load().unwrap().unwrap().config.profiles;
    for i in 0..4 {
        assert_eq!(profiles[&format!("p{i}")].token.as_ref().unwrap().expose(), format!("p{i}-14"));
    }
}

fn small_profile(token: &str) -> Profile {
    Profile {
        api_key: "0123456789abcdef0123456789abcdef".into(),
        token: Some(Secret::new(token)),
        ..Profile::default()
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_old_file_stays() {
    let Some(fs) = tmpfs_or_skip(96 * 1024, "full disk (tmpfs)") else { return };
    let store = Store::at(fs.path().join("trello-auth").join("config.toml"));
    store.save_profile("default", small_profile("ATTAold")).unwrap();
    let before = std::fs::read(store.path()).unwrap();
    let err = store.save_profile("default", profile(1, 200 * 1024)).unwrap_err();
    assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
    assert!(err.to_string().contains("No space left on device"), "{err}");
    assert!(err.to_string().contains("any existing file is untouched"), "{err}");
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with(".config.toml.tmp-")), "temp files left: {names:?}");
}

#[test]
fn a_read_only_directory_is_a_clear_error() {
    let Some(fs) = tmpfs_or_skip(256 * 1024, "read-only directory (tmpfs)") else { return };
    let store = Store::at(fs.path().join("config.toml"));
    store.save_profile("default", small_profile("ATTAold")).unwrap();
    let before = std::fs::read(store.path()).unwrap();
    fs.remount_read_only();
    let err = store.save_profile("default", small_profile("ATTAnew")).unwrap_err();
    assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
    assert!(err.to_string().contains("Read-only file system"), "{err}");
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), "ATTAold");
}

#[test]
fn a_file_size_limit_fails_the_real_binary_cleanly() {
    use support::fake_trello::{ANN, FakeTrello, KEY};
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("trello-auth").join("config.toml");
    Store::at(&config).save_profile("default", small_profile("ATTAold")).unwrap();
    let before = std::fs::read(&config).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trello-auth"));
    cmd.args(["login", "--with-token", "--key", KEY])
        .env("XDG_CONFIG_HOME", dir.path())
        .env("TRELLO_API_BASE", fake.api_base())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    support::cli::as_if_the_disk_were_full(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(token.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("File too large") && stderr.contains("existing file is untouched"), "{stderr}");
    assert_eq!(std::fs::read(&config).unwrap(), before);
}

#[test]
fn oversized_configs_are_refused_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("config.toml");
    std::fs::write(&path, format!("version = 1\njunk = \"{}\"\n", "x".repeat(2 * 1024 * 1024))).unwrap();
    let err = Store::at(&path).load().unwrap_err();
    assert!(matches!(err, StoreError::TooLarge { .. }), "{err:?}");
    assert!(Store::at(&path).save_profile("default", small_profile("x")).is_err());
    assert!(std::fs::metadata(&path).unwrap().len() > 2 * 1024 * 1024, "left untouched");
}
