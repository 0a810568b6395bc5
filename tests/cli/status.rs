//! The real binary's plain commands against the fake Trello: status, env, login, logout, completions.

use crate::support;

use std::process::{Command, Output, Stdio};

use support::cli::{ANN, Env, SECRET, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use trello_auth::credentials::expiry::Expiry;
use trello_auth::trello::{Expiration, Scopes};

/// Fails when a failing command printed anything on stdout.
fn assert_failed_quietly(out: &Output, expected: i32) {
    assert_eq!(code(out), expected, "stderr: {}", stderr(out));
    assert!(out.stdout.is_empty(), "stdout on error: {}", stdout(out));
    assert!(!stderr(out).is_empty(), "an error needs a message");
}

fn assert_no_token_in_urls(fake: &FakeTrello, token: &str) {
    for r in fake.requests() {
        let query = r.uri.split_once('?').map(|(_, q)| q).unwrap_or("");
        assert!(!query.contains(token) && !query.contains(KEY), "credentials in a query: {}", r.uri);
        if r.uri.contains(token) {
            assert!(r.uri.starts_with("/1/tokens/"), "token in {}", r.uri);
        }
    }
}

// ---- status ----

#[test]
fn status_valid_text_and_json() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", Some("2099-01-01T00:00:00.000Z"));
    let env = Env::new(&fake);
    env.save("default", &token, "2099-01-01T00:00:00.000Z");

    let out = env.run(&["status"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for expected in ["Ann Example (@ann)", "0123…cdef", "ATTA…", "My-Trello-App", "read, write", "2099-01-01", "valid"]
    {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains(&token));

    let out = env.run(&["status", "--json"]);
    assert_eq!(code(&out), 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["profile"], "default");
    assert_eq!(json["status"], "valid");
    assert_eq!(json["member"]["username"], "ann");
    assert_eq!(json["member"]["full_name"], "Ann Example");
    assert_eq!(json["scopes"], serde_json::json!(["read", "write"]));
    // As `profile list --json` and the offline status write it.
    assert_eq!(json["expires"], "2099-01-01T00:00:00Z");
    assert_eq!(json["expired"], false);
    assert_eq!(json["api_key"], "0123…cdef");
    assert_eq!(json["file"], env.config().display().to_string());
    assert!(json["token"].as_str().unwrap().starts_with("ATTA…"));
    assert_eq!(json["environment_differs"], serde_json::json!([]));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&token));
    assert_no_token_in_urls(&fake, &token);
}

#[test]
fn status_rejected_expired_unreachable_and_nothing() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let out = env.run(&["status"]);
    assert_failed_quietly(&out, 4);
    assert!(stderr(&out).contains("nothing is saved"), "{}", stderr(&out));

    env.save("default", &format!("ATTA{}0000AAAA", "1".repeat(64)), "never");
    let out = env.run(&["status", "--json"]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["status"], "rejected");
    assert!(json["error"].as_str().unwrap().contains("invalid token"));
    assert!(json["fix"].as_str().unwrap().contains("Authorize a new token"));

    env.save("default", "ATTAwhatever", "2020-01-01T00:00:00Z");
    let before = fake.requests().len();
    let out = env.run(&["status"]);
    assert_eq!(code(&out), 1, "an expired date is known without asking Trello");
    assert!(stdout(&out).contains("EXPIRED"), "{}", stdout(&out));
    assert_eq!(fake.requests().len(), before);

    let dead = Env::offline();
    dead.save("default", "ATTAwhatever", "never");
    let out = dead.run(&["status"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stdout(&out).contains("no usable answer from Trello"), "{}", stdout(&out));
    let out = dead.run(&["status", "--offline"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("not checked"));
}

#[test]
fn status_all_profiles_and_environment_differences() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read", None);
    let env = Env::new(&fake);
    env.save("default", &good, "never");
    env.save("work", &format!("ATTA{}0000BBBB", "2".repeat(64)), "never");
    let out = env.run(&["status", "--all", "--json"]);
    assert_eq!(code(&out), 1, "the worst profile decides");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<_> =
        json.as_array().unwrap().iter().map(|p| (p["profile"].clone(), p["status"].clone())).collect();
    assert_eq!(statuses, vec![("default".into(), "valid".into()), ("work".into(), "rejected".into())]);

    let out = env.cmd(&["status", "--offline"]).env("TRELLO_TOKEN", "something-else").output().unwrap();
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("TRELLO_TOKEN is set in the environment and different"), "{}", stderr(&out));
    let out = env.cmd(&["status", "--offline", "--json"]).env("TRELLO_API_KEY", "x").output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["environment_differs"], serde_json::json!(["TRELLO_API_KEY"]));
    let same =
        env.cmd(&["status", "--offline"]).env("TRELLO_TOKEN", &good).env("TRELLO_API_KEY", KEY).output().unwrap();
    assert!(!stderr(&same).contains("different"), "{}", stderr(&same));
}

#[test]
fn status_offline_makes_no_request() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", "ATTAwhatever", "never");
    assert_eq!(code(&env.run(&["status", "--offline"])), 0);
    assert_eq!(code(&env.run(&["env"])), 0);
    assert!(fake.requests().is_empty());
}

// ---- env ----

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
    if Command::new("fish").arg("--version").output().is_ok() {
        let out = in_shell("fish", "trello-auth env --format fish | source; printf %s $TRELLO_TOKEN");
        assert_eq!(stdout(&out), support::cli::TOKEN, "{}", stderr(&out));
        assert!(!stderr(&out).contains("fish's syntax"), "{}", stderr(&out));
    } else {
        assert!(std::env::var_os("CI").is_none(), "fish is missing: .ci/run installs it");
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

// ---- login ----

#[test]
fn login_with_token_from_stdin() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write,account", None);
    let env = Env::new(&fake);
    let out = env.run_with_stdin(&["login", "--with-token", "--key", KEY], &format!("{token}\n"));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Logged in as Ann Example (@ann)"));
    assert!(!stdout(&out).contains(&token) && !stderr(&out).contains(&token));
    let profile = env.store().profile("default").unwrap().unwrap();
    assert_eq!(profile.token.as_ref().unwrap().expose(), token);
    assert_eq!(profile.api_key, KEY);
    assert_eq!(profile.scopes(), Scopes { read: true, write: true, account: true });
    assert_eq!(profile.expiration, Expiration::Never);
    assert_eq!(profile.token_expires, Some(Expiry::Never));
    assert_no_token_in_urls(&fake, &token);

    // The key from the environment, then from the saved profile.
    let second = fake.issue_token(KEY, ANN, "read", None);
    let out =
        env.cmd(&["login", "--with-token", "--profile", "ci"]).env("TRELLO_API_KEY", KEY).stdin(Stdio::piped()).spawn();
    let mut child = out.unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(second.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(env.store().profile("ci").unwrap().unwrap().token.unwrap().expose(), second);
    let out = env.run_with_stdin(&["login", "--with-token"], &second);
    assert_eq!(code(&out), 0, "key from the saved profile: {}", stderr(&out));
}

#[test]
fn login_failures_save_nothing() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    let cases: Vec<(Vec<&str>, String, i32, &str)> = vec![
        (vec!["login", "--with-token", "--key", "0123"], good.clone(), 2, "4 of 32 characters"),
        (vec!["login", "--with-token"], good.clone(), 2, "no API key"),
        (vec!["login", "--with-token", "--key", KEY], String::new(), 2, "nothing arrived on standard input"),
        (vec!["login", "--with-token", "--key", KEY], " \n".into(), 2, "printf '%s' \"$TRELLO_TOKEN\" | trello-auth"),
        (vec!["login", "--with-token", "--key", KEY], "ATATT3xFfGF0abc".into(), 2, "Atlassian account API token"),
        (vec!["login", "--with-token", "--key", KEY], format!("ATTA{}0000AAAA", "1".repeat(64)), 1, "invalid token"),
        (vec!["login", "--with-token", "--key", "fedcba9876543210fedcba9876543210"], good.clone(), 1, "invalid key"),
    ];
    for (args, stdin, expected, words) in cases {
        let out = env.run_with_stdin(&args, &stdin);
        assert_failed_quietly(&out, expected);
        assert!(stderr(&out).contains(words), "{args:?}: {}", stderr(&out));
        assert!(!env.config().exists(), "{args:?} saved something");
    }
    let dead = Env::offline();
    let out = dead.run_with_stdin(&["login", "--with-token", "--key", KEY], &good);
    assert_failed_quietly(&out, 3);
    assert!(stderr(&out).contains("fix:"), "{}", stderr(&out));
    assert!(!dead.config().exists());
}

#[test]
fn login_refuses_the_token_on_the_command_line() {
    let env = Env::offline();
    let out = env.run(&["login", "ATTAsomething"]);
    assert_failed_quietly(&out, 2);
    let out = env.run(&["login", "--key", KEY]);
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("--with-token"), "{}", stderr(&out));
}

// ---- logout ----

#[test]
fn logout_revokes_then_forgets() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    env.save("default", &token, "never");
    let before = std::fs::read_to_string(env.config()).unwrap();
    let out = env.run(&["logout"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("revoked at Trello"), "{}", stdout(&out));
    assert!(fake.is_revoked(&token));
    let profile = env.store().profile("default").unwrap().unwrap();
    assert_eq!(profile.token, None);
    assert_eq!(profile.api_key, KEY, "the key stays for the next login");
    // The backup is the previous file without the token: no file keeps it.
    let without_token: String =
        before.lines().filter(|l| !l.starts_with("token = ")).map(|l| format!("{l}\n")).collect();
    assert_eq!(std::fs::read_to_string(env.store().backup_path()).unwrap(), without_token);
    assert_failed_quietly(&env.run(&["logout"]), 4);
    assert_no_token_in_urls(&fake, &token);
}

#[test]
fn logout_keep_remote_and_revoke_failures() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    env.save("default", &token, "never");
    assert_eq!(code(&env.run(&["logout", "--keep-remote"])), 0);
    assert!(!fake.is_revoked(&token));
    assert!(fake.requests().is_empty(), "--keep-remote never calls Trello");

    // A read-only token cannot revoke itself: the local token is kept.
    let read_only = fake.issue_token(KEY, ANN, "read", None);
    env.save("default", &read_only, "never");
    let out = env.run(&["logout"]);
    assert_failed_quietly(&out, 1);
    assert!(stderr(&out).contains("local token was kept"), "{}", stderr(&out));
    assert!(stderr(&out).contains("/u/ann/account"), "{}", stderr(&out));
    assert_eq!(env.store().profile("default").unwrap().unwrap().token.unwrap().expose(), read_only);

    let out = env.run(&["logout", "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("revoke it by hand"), "{}", stderr(&out));
    assert_eq!(env.store().profile("default").unwrap().unwrap().token, None);
}

// ---- help and completions ----

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

/// Every shell clap_complete writes for, and the docs name each one.
#[test]
fn completions_for_each_shell() {
    let env = Env::offline();
    let help = stdout(&env.run(&["completions", "--help"]));
    let listed = help.split("[possible values: ").nth(1).and_then(|r| r.split(']').next()).unwrap();
    let shells: Vec<&str> = listed.split(", ").collect();
    assert!(shells.contains(&"elvish") && shells.len() >= 5, "{shells:?}");
    for shell in &shells {
        let out = env.run(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        assert!(stdout(&out).contains("trello-auth"), "{shell}");
        assert!(stdout(&out).contains("status"), "{shell}");
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (doc, start) in [("README.md", "`trello-auth completions bash|"), ("docs/COMMANDS.md", "`completions bash|")] {
        // A Markdown table writes `a\|b`.
        let text = std::fs::read_to_string(root.join(doc)).unwrap().replace("\\|", "|");
        let named = text.split(start).nth(1).and_then(|r| r.split('`').next()).unwrap_or_else(|| panic!("{doc}"));
        let mut named: Vec<&str> = named.split('|').collect();
        named.push("bash");
        named.sort_unstable();
        assert_eq!(named, shells, "{doc} lists other shells than `completions` takes");
    }
}

/// The scripts complete in the real shells as those run them: bash past the
/// first word (a subcommand's flags, a flag's values), and fish offers the
/// values without running anything (a `$(…)` in a description once ran
/// `trello-auth env` each time completions loaded).
#[test]
fn completions_work_in_bash_and_fish_and_run_nothing() {
    let env = Env::offline();
    let dir = tempfile::tempdir().unwrap();
    let script = |shell: &str| {
        let path = dir.path().join(format!("completions.{shell}"));
        std::fs::write(&path, stdout(&env.run(&["completions", shell]))).unwrap();
        path
    };
    let bash = script("bash");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            r#"source '{}'
COMP_WORDS=(trello-auth env --format ""); COMP_CWORD=3; _trello_auth trello-auth "" --format; echo "${{COMPREPLY[*]}}"
COMP_WORDS=(trello-auth status --); COMP_CWORD=2; _trello_auth trello-auth -- status; echo "${{COMPREPLY[*]}}"
complete -p trello-auth"#,
            bash.display()
        ))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.first(), Some(&"sh fish powershell dotenv json"), "{said}");
    assert!(lines.get(1).is_some_and(|l| l.contains("--offline") && l.contains("--all")), "{said}");
    assert!(lines.get(2).is_some_and(|l| l.ends_with(" trello-auth")), "{said}");

    // A stand-in trello-auth on PATH logs any call the script makes.
    let fish = script("fish");
    let stub = dir.path().join("bin");
    std::fs::create_dir(&stub).unwrap();
    let log = dir.path().join("calls");
    std::fs::write(stub.join("trello-auth"), format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display())).unwrap();
    std::fs::set_permissions(stub.join("trello-auth"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = std::process::Command::new("fish")
        .arg("-c")
        .arg(format!("source '{}'; complete -C 'trello-auth env --format '", fish.display()))
        .env("PATH", format!("{}:/usr/bin:/bin", stub.display()))
        .output()
        .expect("fish is installed (.ci/run installs it)");
    let said = String::from_utf8_lossy(&out.stdout);
    let values: Vec<&str> = said.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(
        values,
        ["dotenv", "fish", "json", "powershell", "sh"],
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!log.exists(), "loading the completions ran trello-auth: {:?}", std::fs::read_to_string(&log));
    // Positional values too (clap_complete writes none for fish): from the same definition.
    for (line, expected) in [
        (
            "trello-auth mcp ",
            &[
                "antigravity",
                "claude-code",
                "claude-desktop",
                "codex",
                "cursor",
                "gemini",
                "kiro",
                "opencode",
                "vscode",
                "windsurf",
                "zed",
            ][..],
        ),
        ("trello-auth storage ", &["file", "keyring"][..]),
    ] {
        let out = std::process::Command::new("fish")
            .arg("-c")
            .arg(format!("source '{}'; complete -C '{line}'", fish.display()))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        let values: Vec<&str> = said.lines().filter_map(|l| l.split('\t').next()).collect();
        assert_eq!(values, expected, "{said}{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// `--plain`, `--no-browser`, `--no-capture` and `--callback-port` are the
/// wizard's: in the help of `trello-auth`, `rotate` and `mcp` (an agent's own token) only, taken before or
/// after `rotate`.
#[test]
fn the_wizard_flags_are_where_a_wizard_runs_only() {
    let env = Env::offline();
    let wizard = ["--plain", "--no-browser", "--no-capture", "--callback-port"];
    for args in [vec!["--help"], vec!["rotate", "--help"]] {
        let help = stdout(&env.run(&args));
        assert!(wizard.iter().all(|f| help.contains(f)), "{args:?}:\n{help}");
    }
    // `mcp` opens the token step for an agent's own token (`--own-token` in a terminal).
    let help = stdout(&env.run(&["mcp", "--help"]));
    assert!(wizard.iter().all(|f| help.contains(f)), "mcp:\n{help}");
    for command in ["status", "env", "login", "logout", "token", "exec", "storage", "board", "profile", "man"] {
        let help = stdout(&env.run(&[command, "--help"]));
        // `man` prints the same page whatever the profile: it takes no --profile either.
        assert_eq!(help.contains("--profile"), command != "man", "{command}:\n{help}");
        assert!(!wizard.iter().any(|f| help.contains(f)), "{command} offers a wizard flag:\n{help}");
    }
    let out = env.run(&["status", "--plain"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    for args in [vec!["rotate", "--plain", "--no-browser"], vec!["--plain", "rotate", "--callback-port", "0"]] {
        let out = env.run(&args);
        assert!(!stderr(&out).contains("Usage:"), "{args:?}: {}", stderr(&out));
    }
}

/// `--plain` or TRELLO_AUTH_PLAIN=1 asked for: the answers may come from a
/// pipe. Plain mode that came on by itself (TERM unset) still wants a terminal.
#[test]
fn plain_mode_asked_for_takes_its_answers_from_a_pipe() {
    let env = Env::offline();
    for (args, variable) in [(vec!["--plain"], None), (vec![], Some("1"))] {
        let mut cmd = env.cmd(&args);
        if let Some(value) = variable {
            cmd.env("TRELLO_AUTH_PLAIN", value);
        }
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"quit\n").unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), 1, "{args:?} {variable:?}: {}", stderr(&out));
        assert!(stdout(&out).contains("Step 1 of 5: Open the app admin portal"), "{}", stdout(&out));
        assert!(stderr(&out).contains("quit before saving; nothing was written"), "{}", stderr(&out));
    }
    let out = env.run_with_stdin(&[], "quit\n");
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("needs an interactive terminal"), "{}", stderr(&out));
    assert!(stderr(&out).contains("trello-auth --plain < answers.txt"), "{}", stderr(&out));
    // Another config file: every command it suggests names it.
    let other = env.dir.path().join("elsewhere.toml");
    let out = env.run_with_stdin(&["--config", other.to_str().unwrap(), "--profile", "work"], "quit\n");
    let run = format!("trello-auth --config {} --profile work", other.display());
    for suggested in [format!("`{run} --plain < answers.txt`"), format!("`{run} status`"), format!("| {run} login")] {
        assert!(stderr(&out).contains(&suggested), "{suggested}: {}", stderr(&out));
    }
}

/// A whole setup from a file of answers, as the "not a terminal" message
/// suggests: the input ends while Trello is still being asked, and the
/// verification and the save still finish (the end of input quits only at
/// the next question).
#[test]
fn a_file_of_answers_sets_up_and_saves() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let answers = format!("\n\nann@example.com\n\n\n{KEY}\n\n\n\n\n{token}\n");
    let out = env.run_with_stdin(&["--plain", "--no-capture"], &answers);
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("OK: Authenticated as Ann Example (@ann)"), "{}", stdout(&out));
    assert!(stdout(&out).contains("Done: Credentials verified and saved"), "{}", stdout(&out));
    assert!(!stdout(&out).contains(&token), "{}", stdout(&out));
    let saved = stdout(&env.run(&["status", "--offline"]));
    assert!(saved.contains("Ann Example (@ann)"), "{saved}");
}

/// Answers piped while Trello is being asked (boards loading, a key check, a
/// verification) wait for the next question, as typeahead does: none is
/// dropped, each outcome is said before the next question, and no prompt is
/// said twice. Trello answers slowly here so every line arrives early.
#[test]
fn piped_answers_wait_for_the_question_they_answer() {
    let fake = FakeTrello::with_ann();
    fake.add_board("AbCd1234", "Team Roadmap", None, ANN);
    fake.set_latency(std::time::Duration::from_millis(300));
    // The start screen: choose the default board, pick it, quit.
    let (env, old) = Env::saved_for_ann(&fake);
    let out = env.run_with_stdin(&["--plain"], "4\n2\n5\n");
    let said = stdout(&out);
    assert_eq!(code(&out), 0, "{said}\n{}", stderr(&out));
    assert_eq!(said.matches("Asking Trello for your boards").count(), 1, "{said}");
    assert!(said.contains("Default board: Team Roadmap;"), "the save is said: {said}");
    assert_eq!(env.store().profile("default").unwrap().unwrap().board_short_link.as_deref(), Some("AbCd1234"));
    // Rotate: the revoke question is asked and answered after the verification.
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let out = env.run_with_stdin(&["rotate", "--plain", "--no-capture"], &format!("\n\n{new}\n1\n"));
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    assert!(fake.is_revoked(&old), "the piped 1 revoked the old token: {}", stdout(&out));
    // A setup: a refused email is not taken into the rows, the key check's
    // verdict is said, and the secret's prompt once.
    let env = Env::new(&fake);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let answers = format!("\n\nann@example\nann@example.com\n\n\n{KEY}\n\n\n\n\n{token}\n");
    let out = env.run_with_stdin(&["--plain", "--no-capture"], &answers);
    let said = stdout(&out);
    assert_eq!(code(&out), 0, "{said}\n{}", stderr(&out));
    assert!(!said.contains("Support contact: ann@example\n"), "a refused email read as taken: {said}");
    assert!(said.contains("Support contact: ann@example.com"), "{said}");
    assert!(said.contains("Trello knows this key"), "the key check's verdict: {said}");
    assert_eq!(said.matches("API secret, only for OAuth").count(), 1, "{said}");
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

/// `storage file` for a profile already kept there: done, exit 0, said.
#[test]
fn storage_to_where_the_token_already_is_is_done() {
    let env = Env::saved_offline();
    let before = std::fs::read(env.config()).unwrap();
    let out = env.run(&["storage", "file"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = format!(
        "Nothing to move: profile \"default\" already keeps its token in the config file ({}).\n",
        env.config().display()
    );
    assert_eq!(stdout(&out), said);
    assert_eq!(std::fs::read(env.config()).unwrap(), before);
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
fn rotate_with_nothing_saved_says_so() {
    let env = Env::offline();
    let out = env.run(&["rotate"]);
    assert_eq!(code(&out), 2, "not a terminal comes first: {}", stderr(&out));
    assert!(stderr(&out).contains("login --with-token"), "points at the non-interactive way: {}", stderr(&out));
}

#[test]
fn login_names_a_saved_secret_pasted_as_the_token() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", "ATTAold", "never");
    let before = std::fs::read(env.config()).unwrap();
    let out = env.run_with_stdin(&["login", "--with-token", "--key", KEY, "--profile", "other"], SECRET);
    assert_failed_quietly(&out, 2);
    assert!(stderr(&out).contains("this is your API secret, not a token"), "{}", stderr(&out));
    assert!(fake.requests().is_empty(), "refused before any network call");
    assert_eq!(std::fs::read(env.config()).unwrap(), before);
}
