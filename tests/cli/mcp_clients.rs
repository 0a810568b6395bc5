//! Every client as its own documentation describes it, through the real binary: each file checked against the documented shape (for the clients whose CLIs cannot run here), format-preserving edits and a key twice refused in every client's file, the clients' home overrides, the first line without `--write` naming the file, what each client needs after `--write`, `--official` in each client's remote shape, and names the clients' own commands would misread. (`mcp_clis.rs` runs the real CLIs that can run here.)

use crate::support;

use support::cli::{Env, code, stderr, stdout};
use support::mcp::{entry_in, project, read_config, run_in};

use super::mcp::{CLIENTS, user_file};

fn ok(out: &std::process::Output, what: &str) {
    assert_eq!(code(out), 0, "{what}: {}", stderr(out));
}

/// The keys of an entry, sorted.
fn fields(entry: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = entry.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The clients whose CLIs cannot run here, checked against their documented shapes instead.
#[test]
fn each_client_s_file_has_the_documented_shape() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let tools = env.dir.path().join("tools");
    support::mcp::executable(&tools.join("my-server"), "#!/bin/sh\n");
    let path = format!("{}:/usr/bin:/bin", tools.display());
    let write = |args: &[&str]| {
        let out = env.cmd(args).env("PATH", &path).current_dir(&dir).output().unwrap();
        ok(&out, &format!("{args:?}"));
    };
    let stdio = ["args", "command", "env"].map(String::from).to_vec();
    for (client, scope, file, key, want) in [
        ("claude-desktop", "user", user_file(&env, "claude-desktop"), "mcpServers", stdio.clone()),
        ("cursor", "user", user_file(&env, "cursor"), "mcpServers", stdio.clone()),
        ("windsurf", "user", user_file(&env, "windsurf"), "mcpServers", stdio.clone()),
        ("zed", "user", user_file(&env, "zed"), "context_servers", stdio.clone()),
        ("zed", "project", dir.join(".zed/settings.json"), "context_servers", stdio.clone()),
        ("kiro", "user", user_file(&env, "kiro"), "mcpServers", stdio.clone()),
        ("kiro", "project", dir.join(".kiro/settings/mcp.json"), "mcpServers", stdio.clone()),
        ("antigravity", "project", dir.join(".agents/mcp_config.json"), "mcpServers", stdio.clone()),
        (
            "vscode",
            "user",
            user_file(&env, "vscode"),
            "servers",
            ["args", "command", "env", "type"].map(String::from).to_vec(),
        ),
    ] {
        write(&["mcp", client, "--scope", scope, "--server", "my-server --stdio", "--write"]);
        let entry = entry_in(&file, &[key], "trello");
        assert_eq!(fields(&entry), want, "{client} {scope}: {entry}");
        assert!(entry["command"].as_str().unwrap().ends_with("/trello-auth"), "{entry}");
        assert!(entry["args"].as_array().unwrap().last().unwrap() == "--stdio", "{entry}");
        assert_eq!(entry["env"]["PATH"], format!("{}:/usr/bin:/bin:/usr/sbin:/sbin", tools.display()), "{entry}");
        if client == "vscode" {
            assert_eq!(entry["type"], "stdio");
        }
    }
    // OpenCode's own shape: one command array and `environment`.
    write(&["mcp", "opencode", "--server", "my-server --stdio", "--write"]);
    let entry = entry_in(&user_file(&env, "opencode"), &["mcp"], "trello");
    assert_eq!(fields(&entry), ["command", "environment", "type"], "{entry}");
    assert_eq!(entry["type"], "local");
    assert_eq!(entry["command"].as_array().unwrap().last().unwrap(), "--stdio");
}

/// Every client's file edited in place: another server, odd numbers,
/// tabs, comments (for the clients that read them) stay as they were; a key
/// twice is refused and the file left alone.
#[test]
fn every_client_s_file_keeps_what_it_held_and_a_key_twice_is_refused() {
    let env = Env::saved_offline();
    let dir = project(&env);
    for (client, key, _) in CLIENTS {
        let file = user_file(&env, client);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let (before, twice) = if client == "codex" {
            (
                format!("# mine\n[{key}.other]\ncommand = \"x\"  # kept\n\n[tui]\nn = 0x10\n"),
                format!("[{key}.a]\ncommand = \"x\"\n[{key}.a]\ncommand = \"y\"\n"),
            )
        } else {
            // Comments only where the client's documentation says its file takes them.
            let comment = if ["vscode", "gemini", "zed", "opencode"].contains(&client) { " // kept" } else { "" };
            (
                format!(
                    "{{\n\t\"{key}\": {{\n\t\t\"other\": {{\"command\": \"x\"}}{comment}\n\t}},\n\t\"keep\": [1, 2.50, 18446744073709551616]\n}}\n"
                ),
                format!("{{\"{key}\": {{\"a\": {{}}, \"a\": {{}}}}}}\n"),
            )
        };
        std::fs::write(&file, &before).unwrap();
        ok(&run_in(&env, &dir, &["mcp", client, "--write"]), client);
        let after = std::fs::read_to_string(&file).unwrap();
        if client == "codex" {
            assert!(after.starts_with(&format!("# mine\n[{key}.other]\ncommand = \"x\"  # kept\n")), "{after}");
            assert!(after.contains("[tui]\nn = 0x10\n"), "{after}");
        } else {
            // The comma goes right after the value, before a comment on its line.
            let other = before.lines().nth(2).unwrap().replacen("} //", "}, //", 1);
            let other = if other.ends_with(',') || other.contains(", //") { other } else { format!("{other},") };
            assert!(after.starts_with(&format!("{{\n\t\"{key}\": {{\n{other}\n")), "{client}:\n{after}");
            assert!(after.ends_with("\t},\n\t\"keep\": [1, 2.50, 18446744073709551616]\n}\n"), "{client}:\n{after}");
        }
        entry_in(&file, &[key], "trello");
        std::fs::write(&file, &twice).unwrap();
        let out = run_in(&env, &dir, &["mcp", client, "--write"]);
        assert_eq!(code(&out), 1, "{client}: {}", stderr(&out));
        assert!(stderr(&out).contains("twice") || stderr(&out).contains("duplicate"), "{client}: {}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), twice);
    }
}

/// The clients' own variables move their files; `mcp` follows each.
#[test]
fn each_client_s_home_override_moves_its_file() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let at = |name: &str| env.dir.path().join(name);
    let config = env.config();
    let config = config.to_str().unwrap();
    for (client, var, value, file, key) in [
        ("claude-code", "CLAUDE_CONFIG_DIR", at("claude"), at("claude/.claude.json"), "mcpServers"),
        ("gemini", "GEMINI_CLI_HOME", at("gemini"), at("gemini/.gemini/settings.json"), "mcpServers"),
        ("codex", "CODEX_HOME", at("codex"), at("codex/config.toml"), "mcp_servers"),
        ("vscode", "VSCODE_PORTABLE", at("portable"), at("portable/user-data/User/mcp.json"), "servers"),
        ("vscode", "VSCODE_APPDATA", at("appdata"), at("appdata/Code/User/mcp.json"), "servers"),
        ("zed", "FLATPAK_XDG_CONFIG_HOME", at("flatpak"), at("flatpak/zed/settings.json"), "context_servers"),
        ("opencode", "XDG_CONFIG_HOME", at("xdg"), at("xdg/opencode/opencode.jsonc"), "mcp"),
        ("zed", "XDG_CONFIG_HOME", at("xdg"), at("xdg/zed/settings.json"), "context_servers"),
    ] {
        // --config: XDG_CONFIG_HOME moves trello-auth's own file too.
        let out = env
            .cmd(&["--config", config, "mcp", client, "--write"])
            .env(var, &value)
            .current_dir(&dir)
            .output()
            .unwrap();
        ok(&out, &format!("{client} with {var}"));
        entry_in(&file, &[key], "trello");
        assert!(stdout(&out).contains(&file.display().to_string()), "{}", stdout(&out));
        // Printed, the first line names the same file.
        let out = env.cmd(&["--config", config, "mcp", client]).env(var, &value).current_dir(&dir).output().unwrap();
        let first = stderr(&out).lines().next().unwrap_or_default().to_string();
        assert!(first.starts_with(&format!("trello-auth: the entry below goes in {},", file.display())), "{first}");
    }
}

/// Without `--write`, the first thing said is where the entry goes; with
/// it, what the client needs before the entry works.
#[test]
fn the_file_is_named_first_and_each_client_s_next_step_is_said() {
    let env = Env::saved_offline();
    let dir = project(&env);
    for (client, _, _) in CLIENTS {
        let out = run_in(&env, &dir, &["mcp", client]);
        ok(&out, client);
        let first = stderr(&out).lines().next().unwrap_or_default().to_string();
        let file = user_file(&env, client).display().to_string();
        assert!(
            first.starts_with(&format!("trello-auth: the entry below goes in {file}, under ")),
            "{client}: {first}"
        );
        let out = run_in(&env, &dir, &["mcp", client, "--write"]);
        ok(&out, client);
        assert!(stdout(&out).lines().nth(1).is_some_and(|l| l.starts_with("Next: ")), "{client}: {}", stdout(&out));
    }
    let next = |client: &str, scope: &str| {
        let out = run_in(&env, &dir, &["mcp", client, "--scope", scope, "--write"]);
        ok(&out, client);
        stdout(&out)
    };
    for (client, scope, said) in [
        ("claude-code", "project", "Claude Code holds a server from .mcp.json as pending approval"),
        ("claude-code", "user", "Claude Code rewrites this file while it runs"),
        ("codex", "project", "Codex ignores .codex/config.toml in a project it does not trust"),
        ("gemini", "user", "Gemini CLI disables every MCP server, your own included, in a folder it does not trust"),
        ("zed", "project", "Zed opens a project in Restricted Mode"),
        ("cursor", "project", "Cursor asks you to approve a project's servers"),
        ("vscode", "user", "VS Code asks you to trust the server"),
        ("antigravity", "project", "agy asks you to trust this workspace"),
        ("claude-desktop", "user", "Claude Desktop reads this file when it starts: quit it fully"),
    ] {
        let text = next(client, scope);
        assert!(text.contains(&format!("Next: {said}")), "{client} {scope}: {text}");
    }
}

/// `--official`: Atlassian's remote server in each client's own shape, named
/// `trello-official` beside the local `trello`, no key or token anywhere; the
/// trade-offs said once; Claude Desktop refused with its own way.
#[test]
fn official_is_each_client_s_remote_shape_beside_the_local_server() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let url = "https://mcp.trello.com/v1";
    let remote = |fields: &[(&str, &str)]| -> serde_json::Value {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    for (client, key, want) in [
        ("claude-code", "mcpServers", remote(&[("type", "http"), ("url", url)])),
        ("vscode", "servers", remote(&[("type", "http"), ("url", url)])),
        ("cursor", "mcpServers", remote(&[("url", url)])),
        ("codex", "mcp_servers", remote(&[("url", url)])),
        ("gemini", "mcpServers", remote(&[("url", url), ("type", "http")])),
        ("windsurf", "mcpServers", remote(&[("serverUrl", url)])),
        ("zed", "context_servers", remote(&[("url", url)])),
        ("opencode", "mcp", remote(&[("type", "remote"), ("url", url)])),
        ("kiro", "mcpServers", remote(&[("url", url)])),
    ] {
        ok(&run_in(&env, &dir, &["mcp", client, "--write"]), client);
        let out = run_in(&env, &dir, &["mcp", client, "--official", "--write"]);
        ok(&out, client);
        assert_eq!(stderr(&out).matches("no comments, attachments or custom fields").count(), 1, "{}", stderr(&out));
        let file = user_file(&env, client);
        assert_eq!(entry_in(&file, &[key], "trello-official"), want, "{client}");
        entry_in(&file, &[key], "trello");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(support::cli::TOKEN) && !text.contains(support::fake_trello::KEY), "{client}");
    }
    let out = run_in(&env, &dir, &["mcp", "antigravity", "--scope", "project", "--official", "--write"]);
    ok(&out, "antigravity");
    assert_eq!(
        entry_in(&dir.join(".agents/mcp_config.json"), &["mcpServers"], "trello-official"),
        remote(&[("serverUrl", url)])
    );
    // No profile is needed: no token is involved. The file is still named first.
    let empty = Env::offline();
    let out = empty.cmd(&["mcp", "cursor", "--official"]).current_dir(&dir).output().unwrap();
    ok(&out, "no profile");
    let said = stderr(&out);
    let lines: Vec<&str> = said.lines().collect();
    assert!(lines[0].starts_with("trello-auth: the entry below goes in "), "{said}");
    assert!(lines[1].contains("no comments, attachments or custom fields"), "{said}");
    let out = run_in(&env, &dir, &["mcp", "claude-desktop", "--official", "--write"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("Settings → Connectors → Add custom connector"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("npx"), "{}", stderr(&out));
    let out = run_in(&env, &dir, &["mcp", "cursor", "--official", "--server", "node x.js"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

/// Names the clients' own commands would misread, or that a client refuses;
/// a name with quotes and non-ASCII is written and quoted as it is.
#[test]
fn odd_names_are_refused_or_written_exactly() {
    let env = Env::saved_offline();
    let dir = project(&env);
    for (client, name) in [("claude-code", "-e"), ("gemini", "--scope"), ("codex", "my server"), ("codex", "tréllo")] {
        let out = run_in(&env, &dir, &["mcp", client, "--name", name]);
        assert_eq!(code(&out), 2, "{client} {name}: {}", stderr(&out));
    }
    let name = "trello \"work\" ✓";
    for (client, key) in [("claude-code", "mcpServers"), ("zed", "context_servers"), ("opencode", "mcp")] {
        let out = run_in(&env, &dir, &["mcp", client, "--name", name, "--write"]);
        ok(&out, client);
        entry_in(&user_file(&env, client), &[key], name);
    }
    let out = run_in(&env, &dir, &["mcp", "claude-code", "--name", name]);
    let line = stderr(&out).lines().find(|l| l.trim().starts_with("claude mcp add")).unwrap().trim().to_string();
    assert!(line.contains("'trello \"work\" ✓'"), "{line}");
    let out = run_in(&env, &dir, &["mcp", "codex", "--name", "trello.work@2", "--write"]);
    ok(&out, "codex");
    entry_in(&user_file(&env, "codex"), &["mcp_servers"], "trello.work@2");
}

/// Claude Code's local scope is keyed by the repository's root, from any of its folders.
#[test]
fn claude_code_s_local_scope_is_keyed_by_the_repository_root() {
    let env = Env::saved_offline();
    let repo = project(&env).join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let sub = repo.join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    let out = env.cmd(&["mcp", "claude-code", "--scope", "local", "--write"]).current_dir(&sub).output().unwrap();
    ok(&out, "local");
    let file = env.dir.path().join(".claude.json");
    entry_in(&file, &["projects", repo.to_str().unwrap(), "mcpServers"], "trello");
    assert!(read_config(&file)["projects"].get(sub.to_str().unwrap()).is_none());
    // Through a link to the repository, the same key.
    let link = env.dir.path().join("link");
    std::os::unix::fs::symlink(&repo, &link).unwrap();
    let out = env
        .cmd(&["mcp", "claude-code", "--scope", "local", "--name", "linked", "--write"])
        .current_dir(link.join("a"))
        .env("PWD", link.join("a"))
        .output()
        .unwrap();
    ok(&out, "through a link");
    entry_in(&file, &["projects", repo.to_str().unwrap(), "mcpServers"], "linked");
}
