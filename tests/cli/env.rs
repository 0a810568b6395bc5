//! `env` through the real binary: each format evaluated by its real shell gives
//! back exactly the saved values, one line a variable, or is refused; fish's lines
//! piped into another shell say whose they are; nothing saved prints nothing; an
//! expired token is warned about.

use crate::support;

use std::process::{Command, Stdio};

use support::cli::{Env, SECRET, TOKEN, assert_failed_quietly, code, stderr, stdout};
use support::fake_trello::KEY;

#[test]
fn env_sh_output_evaluates_to_the_saved_values() {
    let env = Env::offline();
    // A token of an unexpected shape is savable (and exported) as long as `token` would print it.
    let unusual = "ATTA-unusual_but.savable~0123456789abcdef";
    env.save("default", unusual, "never");
    let out = env.run(&["env", "--with-secret"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let script =
        format!("{}\nprintf '%s\\n%s\\n%s' \"$TRELLO_API_KEY\" \"$TRELLO_TOKEN\" \"$TRELLO_API_SECRET\"", stdout(&out));
    let shell = Command::new("sh").arg("-c").arg(&script).env_clear().output().unwrap();
    assert_eq!(String::from_utf8_lossy(&shell.stdout), format!("{KEY}\n{unusual}\n{SECRET}"));
    // One that `token` refuses is not exported either: the same rule.
    env.save("default", "ATTA'quote\"dq$HOME`tick`\\back slash", "never");
    for args in [&["env"][..], &["token"]] {
        let out = env.run(args);
        assert_failed_quietly(&out, 1);
        assert!(stderr(&out).contains("is not usable"), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn env_formats() {
    let env = Env::offline();
    let token = support::cli::TOKEN;
    env.save("default", token, "never");
    let run = |format: &str| {
        let out = env.run(&["env", "--format", format]);
        assert_eq!(code(&out), 0, "{format}: {}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(run("sh"), format!("export TRELLO_API_KEY='{KEY}'\nexport TRELLO_TOKEN='{token}'\n"));
    assert_eq!(run("fish"), format!("set -gx TRELLO_API_KEY '{KEY}'\nset -gx TRELLO_TOKEN '{token}'\n"));
    assert_eq!(run("powershell"), format!("$env:TRELLO_API_KEY = '{KEY}'\n$env:TRELLO_TOKEN = '{token}'\n"));
    assert_eq!(run("cmd"), format!("set \"TRELLO_API_KEY={KEY}\"\nset \"TRELLO_TOKEN={token}\"\n"));
    assert_eq!(run("dotenv"), format!("TRELLO_API_KEY='{KEY}'\nTRELLO_TOKEN='{token}'\n"));
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json, serde_json::json!({"TRELLO_API_KEY": KEY, "TRELLO_TOKEN": token}));
    assert!(!run("sh").contains("TRELLO_API_SECRET"), "the secret needs --with-secret");
}

/// `env --format fish | source` typed in bash: bash's `source` reads no
/// pipe and fish's lines are not its syntax, so trello-auth says whose they
/// are and the line for bash. In fish's own pipe, or into a file, nothing is said.
#[test]
fn fish_s_lines_piped_into_another_shell_say_whose_they_are() {
    let env = Env::offline();
    env.save("default", support::cli::TOKEN, "never");
    let bin = env!("CARGO_BIN_EXE_trello-auth");
    let in_shell = |shell: &str, line: &str| {
        let mut cmd = Command::new(shell);
        cmd.arg("-c").arg(line.replace("trello-auth", bin)).env_clear().stdin(Stdio::null());
        for (k, v) in env.cmd(&[]).get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.output().unwrap()
    };
    let out = in_shell("bash", "trello-auth env --format fish --names trello-js | source");
    let said = stderr(&out);
    assert!(
        said.contains("--format fish writes fish's syntax (`set -gx`) for fish's `source`, but this pipe is bash's"),
        "{said}"
    );
    assert!(said.contains("there: `eval \"$(trello-auth env --names trello-js)\"`"), "{said}");
    assert!(!said.contains(support::cli::TOKEN), "{said}");
    for (shell, line) in
        [("sh", "trello-auth env --format fish > fish.env"), ("sh", "trello-auth env | cat >/dev/null")]
    {
        let out = in_shell(shell, &format!("cd \"$HOME\" && {line}"));
        assert_eq!(code(&out), 0, "{line}: {}", stderr(&out));
        assert!(!stderr(&out).contains("fish's syntax"), "{line}: {}", stderr(&out));
    }
    if support::needs("fish", "fish") {
        let out = in_shell("fish", "trello-auth env --format fish | source; printf %s $TRELLO_TOKEN");
        assert_eq!(stdout(&out), support::cli::TOKEN, "{}", stderr(&out));
        assert!(!stderr(&out).contains("fish's syntax"), "{}", stderr(&out));
    }
}

#[test]
fn env_with_nothing_saved_prints_nothing() {
    let env = Env::offline();
    assert_failed_quietly(&env.run(&["env"]), 4);
    env.save("default", "ATTAx", "never");
    assert_failed_quietly(&env.run(&["--profile", "other", "env"]), 4);
    let out = env.cmd(&["env"]).env("TRELLO_AUTH_PROFILE", "other").output().unwrap();
    assert_failed_quietly(&out, 4);
}

#[test]
fn env_warns_about_an_expired_token() {
    let env = Env::offline();
    env.save("default", "ATTAx", "2020-01-01T00:00:00Z");
    let out = env.run(&["env"]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("expired"), "{}", stderr(&out));
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
        if !support::needs(shell, shell) {
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
