//! `trello-auth man` through the real binary and the real `man`: a page with a man page's sections, no line past 80 columns, every command's synopsis with the global options it takes, and installed as the help and the README say, found with nothing but the binary's folder on PATH.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support;
use support::cli::{Env, code, stderr, stdout};

/// The page as `man` shows it in an 80-column UTF-8 terminal.
fn shown(roff: &str) -> String {
    let mut man = Command::new("man")
        .args(["-l", "-"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C.UTF-8")
        .env("MANWIDTH", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    man.stdin.take().unwrap().write_all(roff.as_bytes()).unwrap();
    let out = man.wait_with_output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "man -l: {}", stderr(&out));
    stdout(&out)
}

/// The lines of the top-level section `name` of a shown page.
fn section<'a>(page: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = page.lines().skip_while(|l| *l != name).skip(1);
    let mut out = Vec::new();
    for line in lines.by_ref() {
        if !line.is_empty() && !line.starts_with(' ') {
            break;
        }
        out.push(line);
    }
    out
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_page_has_a_man_page_s_sections_and_fits_80_columns() {
    let env = Env::offline();
    let out = env.run(&["man"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let roff = stdout(&out);
    assert!(roff.contains(".TH trello-auth"), "{roff}");
    if !support::needs("man", "man-db") {
        return;
    }
    let page = shown(&roff);
    assert!(page.is_ascii(), "{:?}", page.chars().filter(|c| !c.is_ascii()).collect::<String>());
    for line in page.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns ({}): {line}", line.chars().count());
    }
    let headings: Vec<&str> = page.lines().filter(|l| !l.is_empty() && !l.starts_with(' ')).collect();
    for name in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
        assert!(headings.contains(&name), "no {name} section: {headings:?}");
    }
    for name in ["TRELLO-AUTH STATUS", "TRELLO-AUTH MCP", "VERSION"] {
        assert!(headings.contains(&name), "no {name} section: {headings:?}");
    }
    assert!(!page.contains("EXTRA"), "a section no reader looks for");
    assert!(!page.contains("trello-auth-status(1)"), "names a page that does not exist");
    // The tables from their one source, each row under its section.
    let exit = flat(&section(&page, "EXIT STATUS").join("\n"));
    for (code, meaning) in trello_auth::commands::exit::TABLE {
        assert!(exit.contains(&flat(&format!("{code} {meaning}"))), "exit {code} missing:\n{exit}");
    }
    let environment = flat(&section(&page, "ENVIRONMENT").join("\n"));
    for var in trello_auth::environment::ALL {
        assert!(environment.contains(&flat(&format!("{} {}", var.name, var.meaning))), "{} missing", var.name);
    }
    assert!(flat(&section(&page, "FILES").join("\n")).contains("$XDG_CONFIG_HOME/trello-auth/config.toml"));
    // An example too wide for the page is broken where a shell joins it back into the line the help shows.
    let example = "trello-auth mcp vscode --server 'node \"/opt/My Servers/trello.js\"' --name trello-dev";
    let lines: Vec<&str> = page.lines().map(str::trim).collect();
    let at = lines.iter().position(|l| l.starts_with("trello-auth mcp vscode")).expect("the vscode example");
    let joined = format!("{}{}", lines[at].trim_end_matches('\\'), lines[at + 1]);
    assert_eq!(joined, example, "the example does not join back");
    let ran = Command::new("sh").arg("-n").arg("-c").arg(format!("{}\n{}", lines[at], lines[at + 1])).status().unwrap();
    assert!(ran.success(), "sh cannot read the broken example");
}

/// Every command's synopsis names the global options it takes (`rotate`
/// too); `completions` and `man`, where they mean nothing, name none.
#[test]
fn every_command_s_synopsis_has_its_global_options() {
    if !support::needs("man", "man-db") {
        return;
    }
    let page = shown(&stdout(&Env::offline().run(&["man"])));
    let commands: Vec<&str> = page.lines().filter(|l| l.starts_with("TRELLO-AUTH ")).collect();
    assert!(commands.len() >= 14 && commands.contains(&"TRELLO-AUTH ROTATE"), "{commands:?}");
    for command in commands {
        let synopsis: String = section(&page, command)
            .iter()
            .skip_while(|l| l.trim() != "SYNOPSIS")
            .skip(1)
            .take_while(|l| l.trim() != "DESCRIPTION")
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let without = ["TRELLO-AUTH COMPLETIONS", "TRELLO-AUTH MAN"].contains(&command);
        for global in ["[--profile]", "[--config]"] {
            assert_eq!(synopsis.contains(global), !without, "{command}: {synopsis}");
        }
    }
}

/// The install lines of `man --help` (the README's too), run as written in a
/// fresh home whose PATH holds only `~/.cargo/bin` and the system's folders:
/// `man trello-auth` then finds the page, with no MANPATH set.
#[test]
fn the_installed_page_is_found_with_only_the_binary_s_folder_on_path() {
    if !support::needs("man", "man-db") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_trello-auth"), bin.join("trello-auth")).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let run = |line: &str| {
        Command::new("sh")
            .args(["-c", line])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", &path)
            .env("LC_ALL", "C.UTF-8")
            .current_dir(home.path())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let help = stdout(&run("trello-auth man --help"));
    let install: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .map(str::trim)
        .filter(|l| l.starts_with("p=$(command -v trello-auth)"))
        .collect();
    assert_eq!(install.len(), 1, "{help}");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.lines().any(|l| l == install[0]), "the README installs the page otherwise than the help");
    let out = run(install[0]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let found = run("man -w trello-auth");
    assert_eq!(code(&found), 0, "man does not find the page: {}", stderr(&found));
    assert_eq!(stdout(&found).trim(), home.path().join(".cargo/share/man/man1/trello-auth.1").display().to_string());
    let page = run("man trello-auth");
    assert!(stdout(&page).contains("TRELLO-AUTH STATUS"), "{}", stderr(&page));
}
