//! `completions` through the real binary: a script for each shell, and the
//! scripts completing in real bash and fish without running anything.

use crate::support;

use support::cli::{Env, code, stdout};

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
    assert_eq!(lines.first(), Some(&"sh fish powershell cmd dotenv json"), "{said}");
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
        ["cmd", "dotenv", "fish", "json", "powershell", "sh"],
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
