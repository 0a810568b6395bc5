//! The real binary's command line: `--help` and every command's example, unknown
//! flags and parse errors, the global options only where they mean something, and
//! an empty profile name.

use crate::support;

use std::process::Command;

use support::cli::{Env, assert_failed_quietly, code, stderr, stdout};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trello-auth"))
}

#[test]
fn help_explains_the_tool() {
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Trello API credentials"), "{text}");
    assert!(text.contains("TRELLO_API_BASE"), "{text}");
    assert!(text.contains("--profile"), "{text}");
}

#[test]
fn unknown_flags_are_refused_with_usage() {
    let out = bin().arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unexpected argument"));
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).env_clear().output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// The two parse errors whose mistake looks right name the form that works.
#[test]
fn parse_errors_name_the_form_that_works() {
    for args in [&["mcp", "cursor", "--write", "./my file.json"][..], &["mcp", "--write", "./my file.json", "cursor"]] {
        let (code, stdout, stderr) = run(args);
        assert_eq!((code, stdout.as_str()), (2, ""), "{args:?}");
        assert!(
            stderr.contains("tip: --write takes its file after an equals sign: `--write='./my file.json'`"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = run(&["--profile", "work", "exec", "--names", "trello-js", "printenv", "TRELLO_KEY"]);
    assert_eq!(code, 2);
    let fixed = "`trello-auth --profile work exec --names trello-js -- printenv TRELLO_KEY`";
    assert!(
        stderr.contains(&format!("tip: the command to run goes after `--`, so that its options are its own: {fixed}")),
        "{stderr}"
    );
    // The tip is the form that works: it gets past the parser.
    let (_, _, stderr) = run(&["--profile", "work", "exec", "--names", "trello-js", "--", "printenv", "TRELLO_KEY"]);
    assert!(!stderr.contains("Usage:"), "{stderr}");
    // Other mistakes get no such tip, and a token typed into one is still not repeated.
    let token = format!("ATTA{}", "ab".repeat(32));
    let (_, _, stderr) = run(&["exec", "--bogus", "--", "true"]);
    assert!(!stderr.contains("goes after `--`"), "{stderr}");
    let (_, _, stderr) = run(&["exec", &token]);
    assert!(!stderr.contains(&token) && stderr.contains("exec -- [redacted]"), "{stderr}");
}

/// `--profile` and `--config` are offered where they mean something: not on
/// `completions`, `man` or `help`, in their help, completions or man page.
#[test]
fn profile_and_config_only_where_they_mean_something() {
    for command in ["completions", "man", "help"] {
        let (code, help, _) = run(&[command, "--help"]);
        assert_eq!(code, 0);
        assert!(!help.contains("--profile") && !help.contains("--config"), "{command}:\n{help}");
    }
    for command in [&["status"][..], &["rotate"], &["board", "set"], &["mcp"], &["exec"]] {
        let (_, help, _) = run(&[command, &["--help"]].concat());
        assert!(help.contains("--profile <NAME>") && help.contains("--config <PATH>"), "{command:?}:\n{help}");
    }
    let (_, fish, _) = run(&["completions", "fish"]);
    for command in ["completions", "man", "help"] {
        let condition = format!("__fish_trello_auth_using_subcommand {command}\" -l profile");
        assert!(!fish.contains(&condition), "{command} offers --profile");
    }
    assert!(fish.contains("__fish_trello_auth_using_subcommand status\" -l profile"), "{fish}");
    // Given before the command, or after it, the value is the same.
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--profile", "work", "status", "--offline"][..], &["status", "--offline", "--profile", "work"]] {
        let out = bin().args(args).env_clear().env("XDG_CONFIG_HOME", dir.path()).output().unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("profile \"work\""), "{args:?}");
    }
}

#[test]
fn every_command_has_help_with_an_example() {
    let env = Env::offline();
    for command in [
        vec!["--help"],
        vec!["rotate", "--help"],
        vec!["status", "--help"],
        vec!["env", "--help"],
        vec!["login", "--help"],
        vec!["logout", "--help"],
        vec!["completions", "--help"],
    ] {
        let out = env.run(&command);
        assert_eq!(code(&out), 0);
        assert!(stdout(&out).contains("Example"), "{command:?} has no example:\n{}", stdout(&out));
    }
    // The exit statuses and the environment, from their one tables, in the long help.
    let help = stdout(&env.run(&["--help"]));
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for (code, meaning) in trello_auth::commands::exit::TABLE {
        let line = format!("{code} {meaning}").split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&line), "exit {code} missing:\n{help}");
    }
    for var in trello_auth::environment::ALL {
        assert!(help.contains(var.name), "{} missing:\n{help}", var.name);
    }
}

/// An empty profile name is refused before anything runs: from --profile,
/// and from TRELLO_AUTH_PROFILE when no --profile wins over it.
#[test]
fn an_empty_profile_name_is_refused() {
    let env = Env::saved_offline();
    let out = env.run(&["--profile", "", "status", "--offline"]);
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("a profile name cannot be empty"), "{}", stderr(&out));
    let out = env.cmd(&["status", "--offline"]).env("TRELLO_AUTH_PROFILE", "").output().unwrap();
    assert_failed_quietly(&out, 2);
    assert!(
        stderr(&out).contains("TRELLO_AUTH_PROFILE is set, but a profile name cannot be empty"),
        "{}",
        stderr(&out)
    );
    let out =
        env.cmd(&["status", "--offline", "--profile", "default"]).env("TRELLO_AUTH_PROFILE", "").output().unwrap();
    assert_eq!(code(&out), 0, "--profile wins over the variable: {}", stderr(&out));
}
