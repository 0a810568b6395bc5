//! What `mcp --write` writes, read by the real clients: Claude Code, Codex CLI, Gemini CLI and OpenCode at the versions `tests/mcp_client/clis.json` pins, each run with no network in a home of the test's own, for every scope each has, with the clients' home overrides, and from where each looks (Claude Code's local scope from a repository's subfolder, its root, and a linked worktree). Where a CLI starts the server (`claude mcp get`, `gemini mcp list`, `opencode mcp list`), a stand-in server reports the Trello variables it got. Every add command `mcp` prints is run with the real CLI and must write the entry `--write` writes. `--official` entries show as remote servers at Atlassian's URL, and fail to connect offline.

use crate::support;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use support::cli::{Env, TOKEN, code, stderr, stdout};
use support::clis::{Cli, cli, said};
use support::fake_trello::KEY;
use support::mcp::{entry_in, executable, project, read_config};
use support::mcp_sdk::{python, scripts};

/// `--server` for the stand-in server, which writes what it got to the returned file as it starts.
fn stand_in(python: &Path, env: &Env, name: &str) -> (String, PathBuf) {
    let report = env.dir.path().join(format!("report-{name}.json"));
    let quote = |p: &Path| trello_auth::commands::env::quote_sh(&p.display().to_string());
    let server =
        format!("{} {} --report {}", quote(python), quote(&scripts().join("stand_in_server.py")), quote(&report));
    (server, report)
}

/// The stand-in was started through the entry and got the profile's key and token.
fn assert_reported(report: &Path, said: &str) {
    let text = std::fs::read_to_string(report).unwrap_or_else(|_| panic!("the server was not started:\n{said}"));
    let seen: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!((seen["TRELLO_API_KEY"].as_str(), seen["TRELLO_TOKEN"].as_str()), (Some(KEY), Some(TOKEN)), "{said}");
    std::fs::remove_file(report).unwrap();
}

/// A folder that is the top of a git checkout as the clients recognise one (no git program needed).
fn fake_repository(dir: &Path) {
    for sub in ["objects", "refs"] {
        std::fs::create_dir_all(dir.join(".git").join(sub)).unwrap();
    }
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
}

/// A linked worktree of `repo` at `at`, as `git worktree add` lays it out.
fn fake_worktree(repo: &Path, at: &Path) {
    let gitdir = repo.join(".git/worktrees/wt");
    std::fs::create_dir_all(&gitdir).unwrap();
    std::fs::write(gitdir.join("HEAD"), "ref: refs/heads/wt\n").unwrap();
    std::fs::write(gitdir.join("commondir"), "../..\n").unwrap();
    std::fs::write(gitdir.join("gitdir"), format!("{}\n", at.join(".git").display())).unwrap();
    std::fs::create_dir_all(at).unwrap();
    std::fs::write(at.join(".git"), format!("gitdir: {}\n", gitdir.display())).unwrap();
}

fn write(env: &Env, dir: &Path, args: &[&str], vars: &[(&str, &OsStr)]) -> String {
    let mut cmd = env.cmd(args);
    cmd.current_dir(dir);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn real(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap()
}

#[test]
fn claude_code_reads_every_scope_where_it_looks_and_starts_the_server() {
    let case = "real CLIs: Claude Code";
    let Some(claude) = cli(case, "claude") else { return };
    let Some(python) = python(case) else { return };
    let env = Env::saved_offline();
    let home = env.dir.path();
    let repo = real(&project(&env)).join("repo");
    fake_repository(&repo);
    let sub = repo.join("sub/deeper");
    std::fs::create_dir_all(&sub).unwrap();
    let get = |cwd: &Path, name: &str, vars: &[(&str, &OsStr)]| {
        let out = claude.run(home, cwd, &["mcp", "get", name], vars);
        said(&out)
    };

    // User scope, from a subfolder.
    let (server, report) = stand_in(&python, &env, "user");
    write(&env, &sub, &["mcp", "claude-code", "--server", &server, "--write"], &[]);
    let out = get(&sub, "trello", &[]);
    assert!(out.contains("Scope: User config") && out.contains("Status: ✔ Connected"), "{out}");
    assert_reported(&report, &out);

    // Local scope, written from repo/sub: seen from there and from the root, keyed by the root.
    let (server, report) = stand_in(&python, &env, "local");
    write(
        &env,
        &sub,
        &["mcp", "claude-code", "--scope", "local", "--name", "trello-local", "--server", &server, "--write"],
        &[],
    );
    entry_in(&home.join(".claude.json"), &["projects", repo.to_str().unwrap(), "mcpServers"], "trello-local");
    for cwd in [&sub, &repo] {
        let out = get(cwd, "trello-local", &[]);
        assert!(out.contains("Scope: Local config") && out.contains("Status: ✔ Connected"), "{}: {out}", cwd.display());
        assert_reported(&report, &out);
    }
    // From a linked worktree: Claude Code keys it by the main checkout too.
    let worktree = repo.parent().unwrap().join("wt");
    fake_worktree(&repo, &worktree);
    std::fs::create_dir_all(worktree.join("x")).unwrap();
    let (server, report) = stand_in(&python, &env, "worktree");
    write(
        &env,
        &worktree.join("x"),
        &["mcp", "claude-code", "--scope", "local", "--name", "trello-wt", "--server", &server, "--write"],
        &[],
    );
    entry_in(&home.join(".claude.json"), &["projects", repo.to_str().unwrap(), "mcpServers"], "trello-wt");
    let out = get(&worktree.join("x"), "trello-wt", &[]);
    assert!(out.contains("Scope: Local config") && out.contains("Status: ✔ Connected"), "{out}");
    assert_reported(&report, &out);

    // Project scope: pending approval, as `--write` says, until approved.
    let (server, report) = stand_in(&python, &env, "project");
    let said_by_write = write(
        &env,
        &repo,
        &["mcp", "claude-code", "--scope", "project", "--name", "trello-project", "--server", &server, "--write"],
        &[],
    );
    assert!(
        said_by_write.contains("Next: Claude Code holds a server from .mcp.json as pending approval"),
        "{said_by_write}"
    );
    let out = get(&repo, "trello-project", &[]);
    assert!(out.contains("Scope: Project config") && out.contains("Pending approval"), "{out}");
    assert!(!report.exists(), "a server pending approval was started");
    std::fs::create_dir_all(home.join(".claude")).unwrap();
    std::fs::write(home.join(".claude/settings.json"), "{\"enableAllProjectMcpServers\": true}\n").unwrap();
    let out = get(&sub, "trello-project", &[]);
    assert!(out.contains("Status: ✔ Connected"), "{out}");
    assert_reported(&report, &out);

    // CLAUDE_CONFIG_DIR: written where Claude Code then reads, nothing in the home folder.
    let config_dir = home.join("claude-config");
    std::fs::create_dir_all(&config_dir).unwrap();
    let vars: [(&str, &OsStr); 1] = [("CLAUDE_CONFIG_DIR", config_dir.as_os_str())];
    let before = std::fs::read(home.join(".claude.json")).unwrap();
    let (server, report) = stand_in(&python, &env, "config-dir");
    write(&env, &sub, &["mcp", "claude-code", "--name", "trello-dir", "--server", &server, "--write"], &vars);
    entry_in(&config_dir.join(".claude.json"), &["mcpServers"], "trello-dir");
    let out = get(&sub, "trello-dir", &vars);
    assert!(out.contains("Status: ✔ Connected"), "{out}");
    assert_reported(&report, &out);
    assert_eq!(std::fs::read(home.join(".claude.json")).unwrap(), before);
}

#[test]
fn codex_reads_its_own_file_and_a_trusted_project_s() {
    let case = "real CLIs: Codex CLI";
    let Some(codex) = cli(case, "codex") else { return };
    let env = Env::saved_offline();
    let home = env.dir.path();
    let repo = real(&project(&env)).join("repo");
    fake_repository(&repo);
    let tools = home.join("my tools");
    executable(&tools.join("my-server"), "#!/bin/sh\n");
    let path = format!("{}:/usr/bin:/bin", tools.display());
    let write_in = |dir: &Path, args: &[&str], vars: &[(&str, &OsStr)]| {
        let mut all: Vec<(&str, &OsStr)> = vec![("PATH", OsStr::new(&path))];
        all.extend_from_slice(vars);
        write(&env, dir, args, &all)
    };
    let get = |name: &str, vars: &[(&str, &OsStr)]| {
        let out = codex.run(home, &repo, &["mcp", "get", name, "--json"], vars);
        (code(&out), serde_json::from_slice::<serde_json::Value>(&out.stdout).ok(), said(&out))
    };
    let matches = |shown: &serde_json::Value, file: &Path, name: &str| {
        let entry = entry_in(file, &["mcp_servers"], name);
        let transport = &shown["transport"];
        assert_eq!(transport["type"], "stdio", "{shown}");
        assert_eq!(transport["command"], entry["command"], "{shown}");
        assert_eq!(transport["args"], entry["args"], "{shown}");
        assert_eq!(transport["env"], entry["env"], "{shown}");
    };

    write_in(&repo, &["mcp", "codex", "--server", "my-server --stdio", "--write"], &[]);
    let (status, shown, out) = get("trello", &[]);
    assert_eq!(status, 0, "{out}");
    matches(&shown.unwrap(), &home.join(".codex/config.toml"), "trello");

    // CODEX_HOME (which must exist for Codex).
    let codex_home = home.join("codex-home");
    std::fs::create_dir_all(&codex_home).unwrap();
    let vars: [(&str, &OsStr); 1] = [("CODEX_HOME", codex_home.as_os_str())];
    write_in(&repo, &["mcp", "codex", "--name", "trello-home", "--server", "my-server", "--write"], &vars);
    let (status, shown, out) = get("trello-home", &vars);
    assert_eq!(status, 0, "{out}");
    matches(&shown.unwrap(), &codex_home.join("config.toml"), "trello-home");

    // A project's file counts only once the project is trusted, as `--write` says.
    let said_by_write = write_in(
        &repo,
        &["mcp", "codex", "--scope", "project", "--name", "trello-project", "--server", "my-server", "--write"],
        &[],
    );
    let trust =
        format!("[projects.{}] with trust_level = \"trusted\"", serde_json::Value::String(repo.display().to_string()));
    assert!(said_by_write.contains(&trust), "{said_by_write}");
    let (status, _, out) = get("trello-project", &[]);
    assert_ne!(status, 0, "an untrusted project's server was read: {out}");
    let user_file = home.join(".codex/config.toml");
    let mut text = std::fs::read_to_string(&user_file).unwrap();
    text.push_str(&format!(
        "\n[projects.{}]\ntrust_level = \"trusted\"\n",
        serde_json::Value::String(repo.display().to_string())
    ));
    std::fs::write(&user_file, text).unwrap();
    let (status, shown, out) = get("trello-project", &[]);
    assert_eq!(status, 0, "{out}");
    matches(&shown.unwrap(), &repo.join(".codex/config.toml"), "trello-project");
}

#[test]
fn gemini_reads_both_scopes_only_in_a_trusted_folder_and_starts_the_server() {
    let case = "real CLIs: Gemini CLI";
    let Some(gemini) = cli(case, "gemini") else { return };
    let Some(python) = python(case) else { return };
    let env = Env::saved_offline();
    let home = env.dir.path();
    let dir = real(&project(&env));
    // GEMINI_CLI_HOME for both: the files go where Gemini CLI then reads.
    let gemini_home = home.join("gemini-home");
    let vars: [(&str, &OsStr); 1] = [("GEMINI_CLI_HOME", gemini_home.as_os_str())];
    let (user_server, user_report) = stand_in(&python, &env, "user");
    let said_by_write = write(&env, &dir, &["mcp", "gemini", "--server", &user_server, "--write"], &vars);
    assert!(said_by_write.contains("in a folder it does not trust"), "{said_by_write}");
    entry_in(&gemini_home.join(".gemini/settings.json"), &["mcpServers"], "trello");
    let (project_server, project_report) = stand_in(&python, &env, "project");
    write(
        &env,
        &dir,
        &["mcp", "gemini", "--scope", "project", "--name", "trello-project", "--server", &project_server, "--write"],
        &vars,
    );

    let out = said(&gemini.run(home, &dir, &["mcp", "list"], &vars));
    assert!(out.contains("disabled because this folder is untrusted"), "{out}");
    assert!(!user_report.exists() && !project_report.exists(), "a server started in an untrusted folder");

    let trusted = format!("{{{}: \"TRUST_FOLDER\"}}\n", serde_json::Value::String(dir.display().to_string()));
    std::fs::write(gemini_home.join(".gemini/trustedFolders.json"), trusted).unwrap();
    let out = said(&gemini.run(home, &dir, &["mcp", "list"], &vars));
    for name in ["trello", "trello-project"] {
        let line = out.lines().find(|l| l.contains(&format!(" {name}: "))).unwrap_or_else(|| panic!("{name}:\n{out}"));
        assert!(line.starts_with('✓') && line.ends_with("(stdio) - Connected"), "{line}");
    }
    assert_reported(&user_report, &out);
    assert_reported(&project_report, &out);
}

#[test]
fn opencode_reads_both_scopes_and_starts_the_server() {
    let case = "real CLIs: OpenCode";
    let Some(opencode) = cli(case, "opencode") else { return };
    let Some(python) = python(case) else { return };
    let env = Env::saved_offline();
    let home = env.dir.path();
    let repo = real(&project(&env)).join("repo");
    fake_repository(&repo);
    let (user_server, user_report) = stand_in(&python, &env, "user");
    write(&env, &repo, &["mcp", "opencode", "--server", &user_server, "--write"], &[]);
    entry_in(&home.join("opencode/opencode.jsonc"), &["mcp"], "trello");
    let (project_server, project_report) = stand_in(&python, &env, "project");
    write(
        &env,
        &repo,
        &["mcp", "opencode", "--scope", "project", "--name", "trello-project", "--server", &project_server, "--write"],
        &[],
    );
    entry_in(&repo.join("opencode.json"), &["mcp"], "trello-project");
    let sub = repo.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let out = said(&opencode.run(home, &sub, &["mcp", "list"], &[]));
    for name in ["trello", "trello-project"] {
        assert!(out.contains(&format!("✓ {name} ")), "{name}:\n{out}");
    }
    assert_reported(&user_report, &out);
    assert_reported(&project_report, &out);
}

/// The entry a client's file holds, as parsed values: an empty `env` (or
/// OpenCode's `environment`), which the clients' own commands write, is
/// the same as none.
fn normalized(mut entry: serde_json::Value) -> serde_json::Value {
    if let Some(object) = entry.as_object_mut() {
        for key in ["env", "environment", "headers"] {
            if object.get(key).is_some_and(|v| v.as_object().is_some_and(|m| m.is_empty())) {
                object.remove(key);
            }
        }
    }
    entry
}

/// The add command `mcp` prints for CLIENT and SCOPE (with `extra`), run by
/// the real CLI in an empty home; the entry it wrote, and the entry
/// `--write` writes for the same arguments.
fn add_and_write(
    cli: &Cli,
    env: &Env,
    path: &str,
    client: &str,
    scope: &str,
    extra: &[&str],
) -> (serde_json::Value, serde_json::Value) {
    let dir = real(&project(env));
    let mut args = vec!["mcp", client, "--scope", scope];
    args.extend_from_slice(extra);
    let run = |args: &[&str]| env.cmd(args).env("PATH", path).current_dir(&dir).output().unwrap();
    let out = run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let start = format!("{} mcp add", cli.name);
    let line = stderr(&out)
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no `{start}`:\n{}", stderr(&out)))
        .to_string();
    let name = if extra.contains(&"--official") { "trello-official" } else { "trello" };
    // The client's own command, in a home and folder of its own.
    let other = tempfile::tempdir().unwrap();
    let other_home = real(other.path());
    let cwd = other_home.join("proj");
    std::fs::create_dir_all(&cwd).unwrap();
    let ran = cli.run_line(&other_home, &cwd, &line);
    assert!(ran.status.success(), "{line}:\n{}", said(&ran));
    let (theirs, ours) = match (client, scope) {
        ("claude-code", "local") => {
            let theirs =
                entry_in(&other_home.join(".claude.json"), &["projects", cwd.to_str().unwrap(), "mcpServers"], name);
            let mut args = args.clone();
            args.push("--write");
            let out = run(&args);
            assert_eq!(code(&out), 0, "{}", stderr(&out));
            let ours = entry_in(
                &env.dir.path().join(".claude.json"),
                &["projects", dir.to_str().unwrap(), "mcpServers"],
                name,
            );
            (theirs, ours)
        }
        ("claude-code", "project") => (entry_in(&cwd.join(".mcp.json"), &["mcpServers"], name), Default::default()),
        ("claude-code", _) => (entry_in(&other_home.join(".claude.json"), &["mcpServers"], name), Default::default()),
        ("codex", _) => (entry_in(&other_home.join(".codex/config.toml"), &["mcp_servers"], name), Default::default()),
        ("gemini", "project") => {
            (entry_in(&cwd.join(".gemini/settings.json"), &["mcpServers"], name), Default::default())
        }
        ("gemini", _) => {
            (entry_in(&other_home.join(".gemini/settings.json"), &["mcpServers"], name), Default::default())
        }
        ("opencode", _) => {
            // OpenCode's own command writes $XDG_CONFIG_HOME/opencode, the home here.
            let theirs = read_config(&other_home.join("opencode/opencode.jsonc"))["mcp"][name].clone();
            (theirs, Default::default())
        }
        _ => unreachable!(),
    };
    if client == "claude-code" && scope == "local" {
        return (normalized(theirs), normalized(ours));
    }
    args.push("--write");
    let out = run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ours = written_entry(env, &dir, client, scope, name);
    (normalized(theirs), normalized(ours))
}

/// The entry `--write` put in CLIENT's file for SCOPE.
fn written_entry(env: &Env, dir: &Path, client: &str, scope: &str, name: &str) -> serde_json::Value {
    let home = env.dir.path();
    match (client, scope) {
        ("claude-code", "project") => entry_in(&dir.join(".mcp.json"), &["mcpServers"], name),
        ("claude-code", _) => entry_in(&home.join(".claude.json"), &["mcpServers"], name),
        ("codex", _) => entry_in(&home.join(".codex/config.toml"), &["mcp_servers"], name),
        ("gemini", "project") => entry_in(&dir.join(".gemini/settings.json"), &["mcpServers"], name),
        ("gemini", _) => entry_in(&home.join(".gemini/settings.json"), &["mcpServers"], name),
        ("opencode", _) => entry_in(&home.join("opencode/opencode.jsonc"), &["mcp"], name),
        _ => unreachable!(),
    }
}

/// Runs each add command `mcp CLIENT --scope S` prints (for a server the
/// short PATH lacks, so the entry has `env.PATH`; and `--official`) with the
/// real CLI, and compares what it wrote with what `--write` writes.
fn each_add_command_writes_what_write_writes(name: &'static str, client: &str, scopes: &[&str]) {
    let case = format!("real CLIs: {client}'s add commands");
    let Some(cli) = cli(&case, name) else { return };
    for scope in scopes {
        for official in [false, true] {
            // Claude Code's local scope is its own, and remote entries are tested at user scope.
            if official && *scope == "local" {
                continue;
            }
            let env = Env::saved_offline();
            let tools = env.dir.path().join("my tools");
            executable(&tools.join("my-server"), "#!/bin/sh\n");
            let path = format!("{}:{}", tools.display(), std::env::var("PATH").unwrap_or_default());
            let extra: Vec<&str> =
                if official { vec!["--official"] } else { vec!["--server", "my-server -s \"it's\" -- x"] };
            let (theirs, ours) = add_and_write(&cli, &env, &path, client, scope, &extra);
            assert!(!ours.is_null(), "{client} {scope}");
            assert_eq!(theirs, ours, "{client} --scope {scope}{}", if official { " --official" } else { "" });
        }
    }
}

#[test]
fn claude_code_s_add_commands_write_what_write_writes() {
    each_add_command_writes_what_write_writes("claude", "claude-code", &["user", "project", "local"]);
}

#[test]
fn codex_s_add_commands_write_what_write_writes() {
    each_add_command_writes_what_write_writes("codex", "codex", &["user"]);
}

#[test]
fn gemini_s_add_commands_write_what_write_writes() {
    each_add_command_writes_what_write_writes("gemini", "gemini", &["user", "project"]);
}

#[test]
fn opencode_s_add_commands_write_what_write_writes() {
    each_add_command_writes_what_write_writes("opencode", "opencode", &["user"]);
}

#[test]
fn official_entries_show_as_remote_servers_that_cannot_connect_offline() {
    let case = "real CLIs: --official";
    let clis: Vec<Cli> = ["claude", "codex", "gemini", "opencode"].into_iter().filter_map(|n| cli(case, n)).collect();
    if clis.len() < 4 {
        return;
    }
    let env = Env::saved_offline();
    let home = env.dir.path();
    let dir = real(&project(&env));
    for client in ["claude-code", "codex", "gemini", "opencode"] {
        write(&env, &dir, &["mcp", client, "--official", "--write"], &[]);
    }
    let url = "https://mcp.trello.com/v1";
    let trust: [(&str, &OsStr); 1] = [("GEMINI_CLI_TRUST_WORKSPACE", OsStr::new("true"))];
    let out = said(&clis[0].run(home, &dir, &["mcp", "get", "trello-official"], &[]));
    assert!(out.contains("Type: http") && out.contains(&format!("URL: {url}")), "{out}");
    assert!(out.contains("Failed to connect"), "{out}");
    let out = clis[1].run(home, &dir, &["mcp", "get", "trello-official", "--json"], &[]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", said(&out)));
    assert_eq!(
        (shown["transport"]["type"].as_str(), shown["transport"]["url"].as_str()),
        (Some("streamable_http"), Some(url))
    );
    let out = said(&clis[2].run(home, &dir, &["mcp", "list"], &trust));
    assert!(out.contains(&format!("✗ trello-official: {url} (http) - Disconnected")), "{out}");
    let out = said(&clis[3].run(home, &dir, &["mcp", "list"], &[]));
    let at = out.find("trello-official").unwrap_or_else(|| panic!("{out}"));
    assert!(out[..at].ends_with("✗ ") && out[at..].contains("failed") && out[at..].contains(url), "{out}");
}
