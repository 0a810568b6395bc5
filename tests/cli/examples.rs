//! What the docs show is what runs: every line of every `Examples:` block of
//! every command's `--help`, and every `trello-auth …` line of a ```sh block
//! in the README and in docs/, run exactly as written (by sh, or by fish for a
//! fish line) with `trello-auth` on PATH, against the fake Trello and a real
//! Secret Service, in a fresh home with the profiles the examples name. None
//! may end in a usage error, and each must succeed; the wizard's lines are run
//! in a pseudo-terminal and must reach their first screen.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::cli::{ANN, Env, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{CTRL_C, Pty};
use support::secret_service::SecretService;

/// A fresh home for one block of examples: profiles `default`, `work` (with a
/// default board) and `old`, each with a live token; a project folder to run in.
struct Scene {
    env: Env,
    bus: Option<String>,
    project: PathBuf,
    bin: PathBuf,
    token: String,
    agent_token: String,
}

impl Scene {
    fn new(fake: &FakeTrello, ss: &Option<SecretService>) -> Scene {
        let env = Env::new(fake);
        for name in ["default", "work", "old"] {
            env.save(name, &fake.issue_token(KEY, ANN, "read,write", None), "never");
        }
        let out = env.run(&["--profile", "work", "board", "set", "AbCd1234"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let project = env.dir.path().join("project");
        let bin = env.dir.path().join("bin");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        // Installed as a person would have it: `trello-auth` on PATH.
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_trello-auth"), bin.join("trello-auth")).unwrap();
        let token = fake.issue_token(KEY, ANN, "read,write", None);
        let agent_token = fake.issue_token(KEY, ANN, "read", None);
        Scene { env, bus: ss.as_ref().map(|s| s.address.clone()), project, bin, token, agent_token }
    }

    /// The environment a documented line runs in: the test's, with PATH led by the binary.
    fn environment(&self) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = self
            .env
            .cmd(&[])
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_str()?.to_string(), v?.to_str()?.to_string())))
            .collect();
        for (k, v) in &mut vars {
            if k == "PATH" {
                *v = format!("{}:{v}", self.bin.display());
            }
        }
        // What the README's CI example pipes in, and an agent's own token.
        vars.push(("TRELLO_TOKEN".into(), self.token.clone()));
        vars.push(("AGENT_TOKEN".into(), self.agent_token.clone()));
        if let Some(bus) = &self.bus {
            vars.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.clone()));
            vars.push(("TRELLO_AUTH_KEYRING_TIMEOUT_MS".into(), "10000".into()));
        }
        vars
    }

    fn run(&self, line: &str) -> Output {
        let shell = if is_fish(line) { "fish" } else { "sh" };
        let mut cmd = Command::new(shell);
        cmd.arg("-c").arg(line).env_clear().current_dir(&self.project).stdin(std::process::Stdio::null());
        for (k, v) in self.environment() {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    /// A line that opens the wizard: it must reach its first screen in a terminal.
    fn run_in_terminal(&self, line: &str) {
        let mut sh = portable_pty::CommandBuilder::new("sh");
        sh.args(["-c", line]);
        sh.env_clear();
        for (k, v) in self.environment() {
            sh.env(k, v);
        }
        sh.env("TERM", "xterm-256color");
        // Any free port, so tests running at once never fight over the listener's.
        sh.env("TRELLO_AUTH_CALLBACK_PORT", "0");
        sh.cwd(&self.project);
        let mut pty = Pty::spawn(sh, 100, 30);
        let screen = pty.expect("trello-auth ·");
        assert!(!screen.contains("Usage:"), "{line}:\n{screen}");
        pty.send(CTRL_C);
        pty.wait();
        pty.assert_terminal_restored();
    }
}

/// The fake Trello with Ann and the board the examples name.
fn fake() -> FakeTrello {
    let fake = FakeTrello::with_ann();
    fake.add_board("AbCd1234", "Team Roadmap", Some(("5e0000000000000000000001", "Acme")), ANN);
    fake
}

fn is_fish(line: &str) -> bool {
    line.contains("| source") || line.contains("--format fish |")
}

/// Opens the wizard: `trello-auth` alone (with global flags), `rotate`, or
/// an agent's own token authorized in a terminal (not piped in).
fn is_wizard(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("trello-auth") else { return false };
    if rest.split_whitespace().any(|w| w == "--own-token") {
        return true;
    }
    let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with('#')).collect();
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "--profile" | "--config" | "--callback-port" => i += 2,
            w if w.starts_with("--") => i += 1,
            "rotate" => return true,
            _ => return false,
        }
    }
    true
}

/// Whether a shell line runs trello-auth as a command (not `secret-tool … service trello-auth`).
fn runs_trello_auth(line: &str) -> bool {
    let line = line.trim();
    if line.starts_with('#') {
        return false;
    }
    ["", "| ", "|", "$(", "; ", "&& "].iter().any(|before| {
        line.starts_with(&format!("{before}trello-auth")) || line.contains(&format!("{before}trello-auth "))
    }) && !line.starts_with("secret-tool")
}

/// The `Examples:` block of one help text: each line, without its description.
fn help_examples(help: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        let trimmed = line.trim();
        if trimmed == "Examples:" || trimmed == "Example:" {
            inside = true;
            continue;
        }
        if inside && trimmed.is_empty() {
            inside = false;
        }
        if inside {
            // A description follows the command after two spaces.
            let command = trimmed.split("  ").next().unwrap_or_default().trim();
            lines.push(command.to_string());
        }
    }
    lines
}

/// Every ```sh block of a Markdown file, as its lines.
fn sh_blocks(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in text.lines() {
        match (line.trim(), &mut current) {
            ("```sh", None) => current = Some(Vec::new()),
            ("```", Some(_)) => blocks.push(current.take().unwrap()),
            (l, Some(block)) if !l.is_empty() => block.push(l.to_string()),
            _ => {}
        }
    }
    blocks
}

/// Every subcommand name, from the binary's own help (nested ones too).
fn commands(env: &Env) -> Vec<Vec<String>> {
    let mut all = vec![Vec::new()];
    let mut queue = vec![Vec::<String>::new()];
    while let Some(path) = queue.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = stdout(&env.run(&args));
        let mut in_commands = false;
        for line in help.lines() {
            if line.starts_with("Commands:") {
                in_commands = true;
                continue;
            }
            if in_commands && !line.starts_with("  ") {
                in_commands = false;
            }
            if in_commands && let Some(name) = line.split_whitespace().next().filter(|n| *n != "help") {
                let mut sub = path.clone();
                sub.push(name.to_string());
                all.push(sub.clone());
                queue.push(sub);
            }
        }
    }
    all
}

fn check(scene: &Scene, source: &str, line: &str) {
    if is_wizard(line) {
        scene.run_in_terminal(line);
        return;
    }
    let out = scene.run(line);
    let err = stderr(&out);
    assert!(!err.contains("Usage:"), "{source}: `{line}` ended in a usage error:\n{err}");
    // `--names` shown with a server that reads other names would teach a broken entry.
    assert!(!err.contains("will not find"), "{source}: `{line}` pairs --names with the wrong server:\n{err}");
    assert_eq!(code(&out), 0, "{source}: `{line}` failed:\n{err}\n{}", stdout(&out));
}

#[test]
fn every_example_of_every_help_runs_as_written() {
    let ss = SecretService::start();
    let fake = fake();
    let probe = Env::new(&fake);
    let mut ran = 0;
    for path in commands(&probe) {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = stdout(&probe.run(&args));
        let examples = help_examples(&help);
        // One home per command's block: its lines run in order, as a person would.
        let scene = Scene::new(&fake, &ss);
        for line in &examples {
            check(&scene, &format!("trello-auth {} --help", path.join(" ")), line);
            ran += 1;
        }
    }
    assert!(ran >= 30, "only {ran} examples found");
}

#[test]
fn every_command_line_of_the_readme_and_the_docs_runs_as_written() {
    let ss = SecretService::start();
    let fake = fake();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs")).unwrap().map(|e| e.unwrap().path()).collect();
    docs.sort();
    files.extend(docs.into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")));
    let mut ran = 0;
    for file in files {
        let name = file.strip_prefix(root).unwrap().display().to_string();
        for block in sh_blocks(&file) {
            if !block.iter().any(|l| runs_trello_auth(l)) {
                continue;
            }
            let scene = Scene::new(&fake, &ss);
            // The block's lines in order (a `mkdir -p` before a redirect into it);
            // `cargo …` builds and installs, which the suite does not redo.
            for line in block.iter().filter(|l| !l.starts_with("cargo ") && !l.starts_with('#')) {
                check(&scene, &name, line);
                ran += usize::from(runs_trello_auth(line));
            }
        }
    }
    assert!(ran >= 15, "only {ran} command lines found");
}

#[test]
fn the_readme_tables_are_the_program_s_tables() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/COMMANDS.md")).unwrap();
    let text = format!("{readme}\n{docs}");
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (code, meaning) in trello_auth::commands::exit::TABLE {
        let row = flat(&format!("| {code} | {meaning} |"));
        assert!(flat(&text).contains(&row), "the exit status table lacks {row}");
    }
    for var in trello_auth::environment::ALL {
        let row = flat(&format!("| `{}` | {} |", var.name, var.meaning));
        assert!(flat(&text).contains(&row), "the environment table lacks {row}");
    }
}

#[test]
fn the_harness_reads_lines_as_people_do() {
    assert!(is_wizard("trello-auth"));
    assert!(is_wizard("trello-auth rotate --profile work"));
    assert!(is_wizard("trello-auth --plain"));
    assert!(!is_wizard("trello-auth status"));
    assert!(runs_trello_auth("eval \"$(trello-auth env)\""));
    assert!(runs_trello_auth("printf '%s' \"$T\" | trello-auth login --with-token"));
    assert!(!runs_trello_auth("secret-tool lookup service trello-auth username default"));
    assert!(!runs_trello_auth("# trello-auth env"));
    assert_eq!(
        help_examples("Examples:\n  trello-auth status  check it\n  eval x\n\nmore"),
        ["trello-auth status", "eval x"]
    );
}
