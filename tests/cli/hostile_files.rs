//! A hostile world around the files, through the real binary (issue 27): a
//! lock another process holds, a lock on the target's folder held by another
//! user, tokens written in TOML escapes that a backup kept, and config files
//! planted by another user or writable by others. Each case failed before its fix.

use crate::support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::cli::{Env, SECRET, code, stderr, stdout};
use support::fake_trello::{BOB, FakeTrello, KEY};
use support::secret_service::SecretService;
use trello_auth::credentials::store::Store;

/// The uid (and gid) the other local user runs as: one no account uses.
const OTHER: u32 = 54321;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `setpriv` as another uid: only root may (CI runs as root). Elsewhere the
/// case says NOT RUN, except in CI, where not running it fails.
fn as_other_user() -> Option<Command> {
    let root = rustix::process::geteuid().is_root();
    let have = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
    if !root || !have {
        assert!(std::env::var_os("CI").is_none(), "this case needs root and setpriv (util-linux) in CI");
        eprintln!("NOT RUN: acting as another user needs root and setpriv");
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args([format!("--reuid={OTHER}"), format!("--regid={OTHER}"), "--clear-groups".into()]);
    Some(cmd)
}

/// Whether another open file description holds a lock on `path`.
fn is_locked(path: &Path) -> bool {
    std::fs::File::open(path).is_ok_and(|f| matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock)))
}

/// `flock -o PATH sleep 60` (in `cmd`, maybe as another user), once it
/// holds the lock; `-o` keeps the lock in flock itself, so killing it lets go.
fn hold_lock(mut cmd: Command, path: &Path) -> Child {
    let child = cmd.args(["flock", "-o"]).arg(path).args(["sleep", "60"]).stdout(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while !is_locked(path) {
        assert!(started.elapsed() < Duration::from_secs(10), "flock never took {}", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

// ---- 4. A lock held by someone else ----

/// Where the binary run by `env` keeps the lock of `config`: in its own 0700
/// folder, named after the file's canonical path.
fn lock_of(env: &Env, config: &Path) -> PathBuf {
    let name = trello_auth::files::lock_name(&std::fs::canonicalize(config).unwrap());
    env.dir.path().join("trello-auth").join("locks").join(name)
}

/// A save waits for a lock another process holds, says what it waits for
/// and where after a moment, and gives up with the fix within its bound.
#[test]
fn a_save_waits_for_a_held_lock_says_so_and_gives_up_with_the_fix() {
    let env = Env::saved_offline();
    // A save by the binary itself, which makes its locks folder.
    let out = env.run_within(&["profile", "use", "default"], "", Duration::from_secs(5));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lock = lock_of(&env, &env.config());
    assert!(lock.parent().unwrap().is_dir(), "the first save made the locks folder");
    assert_eq!(std::fs::metadata(lock.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    let before = std::fs::read_to_string(env.config()).unwrap();
    std::fs::File::create(&lock).unwrap();
    let holder = hold_lock(Command::new("env"), &lock);

    let started = Instant::now();
    let mut child =
        env.cmd(&["profile", "use", "default"]).stderr(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        lines.push((started.elapsed(), line.unwrap()));
    }
    let status = child.wait().unwrap();
    let took = started.elapsed();
    stop(holder);
    let said: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    eprintln!("measured: gave up after {took:?}; lines at {:?}", lines.iter().map(|(t, _)| *t).collect::<Vec<_>>());
    assert_eq!(status.code(), Some(1), "{said}");
    let config = env.config().display().to_string();
    let (at, waiting) = lines.iter().find(|(_, l)| l.contains("waiting")).expect("a line says it waits");
    assert!(
        waiting.contains("waiting for another trello-auth") && waiting.contains(&config),
        "the first line says what waits and where: {said}"
    );
    assert!(*at >= Duration::from_millis(500) && *at < Duration::from_secs(3), "said after a moment, at {at:?}");
    assert!(took >= Duration::from_secs(9) && took < Duration::from_secs(13), "gave up after {took:?}");
    assert!(said.contains(&lock.display().to_string()) && said.contains("10 s"), "{said}");
    assert!(said.contains("nothing was written") && said.contains("fuser"), "the fix: {said}");
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), before, "the file is untouched");

    // Once the holder is gone, the same save goes through at once.
    let out = env.run_within(&["profile", "use", "default"], "", Duration::from_secs(5));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// Another user who can open the folder of a config file (a project folder,
/// a 0755 home) holds `flock` on it: saves no longer take that lock, so
/// nothing waits. Before, every save there hung for as long as they liked.
#[test]
fn a_lock_on_the_folder_held_by_another_user_blocks_nothing() {
    let Some(other) = as_other_user() else { return };
    let env = Env::offline();
    chmod(env.dir.path(), 0o755);
    let project = env.dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let config = project.join("trello.toml");
    env.save_in(&Store::at(&config), "default", support::cli::TOKEN, "never");
    let holder = hold_lock(other, &project);
    let config = config.to_str().unwrap();
    let started = Instant::now();
    let out = env.run_within(&["--config", config, "profile", "use", "default"], "", Duration::from_secs(8));
    stop(holder);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(2), "it waited {:?}", started.elapsed());
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let names: Vec<_> = std::fs::read_dir(&project).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "only the file and its backup beside it: {names:?}");
}

// ---- 5. A token written in a TOML escape ----

/// Whether `text` holds `value`: as it is written, or as a parsed string
/// (a value or a key, anywhere in the file).
fn holds(text: &str, value: &str) -> bool {
    fn walk(v: &toml::Value, value: &str) -> bool {
        match v {
            toml::Value::String(s) => s.contains(value),
            toml::Value::Array(items) => items.iter().any(|i| walk(i, value)),
            toml::Value::Table(t) => t.iter().any(|(k, v)| k.contains(value) || walk(v, value)),
            _ => false,
        }
    }
    text.contains(value) || toml::from_str::<toml::Value>(text).is_ok_and(|v| walk(&v, value))
}

/// The token and secret lines of a saved file rewritten in the ways TOML
/// allows: the first letter as a `\u` escape, or the value as a multi-line
/// string whose line ends with a backslash (which joins it to the next line).
fn disguised(text: &str, token: &str) -> [String; 2] {
    let mut forms = [text.to_string(), text.to_string()];
    for (key, value) in [("token", token), ("api_secret", SECRET)] {
        let line = format!("{key} = \"{value}\"");
        assert!(text.contains(&line), "{text}");
        let first = value.chars().next().unwrap() as u32;
        let escaped = format!("{key} = \"\\u{first:04X}{}\"", &value[1..]);
        let (head, tail) = value.split_at(20);
        let continued = format!("{key} = \"\"\"{head}\\\n      {tail}\"\"\"");
        forms[0] = forms[0].replace(&line, &escaped);
        forms[1] = forms[1].replace(&line, &continued);
    }
    forms
}

#[test]
fn a_token_in_a_toml_escape_leaves_no_copy_in_the_backup_after_logout() {
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    let plain = std::fs::read_to_string(env.config()).unwrap();
    for text in disguised(&plain, &token) {
        std::fs::write(env.config(), &text).unwrap();
        assert!(!text.contains(&token) && holds(&text, &token), "{text}");
        assert!(!text.contains(SECRET) && holds(&text, SECRET), "{text}");
        let out = env.run_within(&["token"], "", Duration::from_secs(10));
        assert_eq!(stdout(&out).trim(), token, "the disguise reads as the token");
        let out = env.run_within(&["logout", "--keep-remote"], "", Duration::from_secs(10));
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(stdout(&out).contains("and its backup"), "{}", stdout(&out));
        for file in ["config.toml", "config.toml.bak"] {
            let saved = std::fs::read_to_string(env.config().with_file_name(file)).unwrap();
            assert!(!holds(&saved, &token), "{file} still holds the token:\n{saved}");
        }
        let backup = std::fs::read_to_string(env.config().with_file_name("config.toml.bak")).unwrap();
        assert!(Store::at(env.config().with_file_name("config.toml.bak")).load().is_ok(), "{backup}");
        env.save("default", &token, "never");
    }
}

#[test]
fn a_token_in_a_toml_escape_leaves_no_copy_in_the_backup_after_a_move_to_the_keyring() {
    let Some(ss) = SecretService::start() else { return };
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    let plain = std::fs::read_to_string(env.config()).unwrap();
    for text in disguised(&plain, &token) {
        std::fs::write(env.config(), &text).unwrap();
        let mut cmd = env.cmd(&["storage", "keyring"]);
        let out = cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address).output().unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(stdout(&out).contains("the config file and its backup no longer hold it"), "{}", stdout(&out));
        for file in ["config.toml", "config.toml.bak"] {
            let saved = std::fs::read_to_string(env.config().with_file_name(file)).unwrap();
            assert!(!holds(&saved, &token), "{file} still holds the token:\n{saved}");
            assert!(!holds(&saved, SECRET), "{file} still holds the API secret:\n{saved}");
        }
        let mut cmd = env.cmd(&["storage", "file"]);
        let out = cmd.env("DBUS_SESSION_BUS_ADDRESS", &ss.address).output().unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
}

// ---- 6. A config file planted by another user, or writable by others ----

/// A config holding the planter's own token for Ann's key: a child given it
/// would act as the planter's account.
fn planted_text(fake: &FakeTrello) -> (String, String) {
    fake.add_member(BOB, "bob", "Bob Planter", "bob@example.com");
    let token = fake.issue_token(KEY, BOB, "read,write", None);
    let scratch = tempfile::tempdir().unwrap();
    let store = Store::at(scratch.path().join("c.toml"));
    let env = Env::new(fake);
    env.save_in(&store, "default", &token, "never");
    (std::fs::read_to_string(store.path()).unwrap(), token)
}

/// `token`, `env` and `exec` on `config` (named by the variable and by the
/// flag): each refuses, prints no token, runs nothing, and says why and the fix.
fn assert_refused(env: &Env, config: &Path, token: &str, why: &str, fix: &str) {
    let config_s = config.to_str().unwrap();
    let commands: [&[&str]; 3] =
        [&["token"], &["env"], &["exec", "--", "sh", "-c", "printf ran; printf %s \"$TRELLO_TOKEN\""]];
    for args in commands {
        for by_flag in [false, true] {
            let mut cmd = if by_flag {
                env.cmd(&[&["--config", config_s][..], args].concat())
            } else {
                let mut cmd = env.cmd(args);
                cmd.env("TRELLO_AUTH_CONFIG", config);
                cmd
            };
            let out = cmd.output().unwrap();
            let what = format!("{args:?} (by flag: {by_flag})");
            assert_eq!(code(&out), 1, "{what}: {}{}", stdout(&out), stderr(&out));
            assert!(stdout(&out).is_empty(), "{what}: {}", stdout(&out));
            assert!(!stderr(&out).contains(token), "{what}: {}", stderr(&out));
            let said = stderr(&out);
            assert!(said.contains(config_s) && said.contains(why) && said.contains(fix), "{what}: {said}");
        }
    }
}

#[test]
fn a_config_planted_by_another_user_is_refused_with_the_fix() {
    let Some(mut other) = as_other_user() else { return };
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    chmod(env.dir.path(), 0o755);
    // A shared folder like /tmp: anyone may create files, only their owner may replace them.
    let shared = env.dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    chmod(&shared, 0o1777);
    let planted = shared.join("config.toml");
    let (text, token) = planted_text(&fake);
    let mut child = other
        .args(["sh", "-c", "umask 0; cat > \"$0\"; chmod 666 \"$0\""])
        .arg(&planted)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&planted).unwrap()), OTHER);
    assert_refused(&env, &planted, &token, &format!("owned by uid {OTHER}"), "chown");

    // The same text in a file of one's own in that folder is fine: only its owner can replace it.
    let own = shared.join("mine.toml");
    std::fs::write(&own, &text).unwrap();
    chmod(&own, 0o600);
    let out = env.run(&["--config", own.to_str().unwrap(), "token"]);
    assert_eq!((code(&out), stdout(&out).trim()), (0, token.as_str()), "{}", stderr(&out));
}

#[test]
fn a_config_others_can_write_is_refused_with_the_fix() {
    let fake = FakeTrello::with_ann();
    let (env, token) = Env::saved_for_ann(&fake);
    let config = env.config();
    // The file itself: chmod o+w, then g+w.
    for (mode, words) in [(0o606, "can be written by others"), (0o620, "can be written by its group")] {
        chmod(&config, mode);
        assert_refused(&env, &config, &token, words, &format!("chmod go-w {}", config.display()));
    }
    chmod(&config, 0o600);
    // Its folder, without the sticky bit: anyone could swap the file.
    let folder = env.dir.path().join("open");
    std::fs::create_dir(&folder).unwrap();
    let moved = folder.join("config.toml");
    std::fs::copy(&config, &moved).unwrap();
    chmod(&moved, 0o600);
    chmod(&folder, 0o777);
    assert_refused(&env, &moved, &token, "can be written by others", &format!("chmod go-w {}", folder.display()));
    // A save into such a folder is refused before anything is written there.
    let fresh = folder.join("new.toml");
    let out = env.run_with_stdin(&["--config", fresh.to_str().unwrap(), "login", "--with-token", "--key", KEY], &token);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("can be written by others"), "{}", stderr(&out));
    assert!(!fresh.exists());
}
