//! `trello-auth mcp` through the real binary: each client's file and shape for
//! each scope (`--write` with no path, as documented), no secret in an entry,
//! edits in place that keep comments and numbers, no copy of a token left in a
//! backup or temp file, `--names`, `--server` with shell quoting, the programs
//! named by absolute path (and the folders they need on `PATH`), the clients'
//! own commands, and the written command started with a stripped environment.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::cli::{Env, TOKEN, code, stderr, stdout};
use support::fake_trello::KEY;
use support::mcp::{args_of, command_of, entry_in, executable, files_holding, mode, names_in, project, run_in};

/// Every client with a user scope, the key to its servers and whether entries carry a `type`.
pub(crate) const CLIENTS: [(&str, &str, bool); 10] = [
    ("claude-code", "mcpServers", true),
    ("claude-desktop", "mcpServers", false),
    ("vscode", "servers", true),
    ("cursor", "mcpServers", false),
    ("codex", "mcp_servers", false),
    ("gemini", "mcpServers", false),
    ("windsurf", "mcpServers", false),
    ("zed", "context_servers", false),
    ("opencode", "mcp", true),
    ("kiro", "mcpServers", false),
];

/// Every client with a project scope: its file in the project and the key to its servers.
pub(crate) const PROJECT_FILES: [(&str, &str, &str); 9] = [
    ("claude-code", ".mcp.json", "mcpServers"),
    ("vscode", ".vscode/mcp.json", "servers"),
    ("cursor", ".cursor/mcp.json", "mcpServers"),
    ("codex", ".codex/config.toml", "mcp_servers"),
    ("gemini", ".gemini/settings.json", "mcpServers"),
    ("zed", ".zed/settings.json", "context_servers"),
    ("opencode", "opencode.json", "mcp"),
    ("kiro", ".kiro/settings/mcp.json", "mcpServers"),
    ("antigravity", ".agents/mcp_config.json", "mcpServers"),
];

/// Where `--write` puts a client's entry with the default (user) scope, for a test home.
pub(crate) fn user_file(env: &Env, client: &str) -> PathBuf {
    let home = env.dir.path();
    match client {
        "claude-code" => home.join(".claude.json"),
        // XDG_CONFIG_HOME is the test's home (support::cli::Env).
        "claude-desktop" => home.join("Claude/claude_desktop_config.json"),
        "vscode" => home.join("Code/User/mcp.json"),
        "cursor" => home.join(".cursor/mcp.json"),
        "codex" => home.join(".codex/config.toml"),
        "gemini" => home.join(".gemini/settings.json"),
        "windsurf" => home.join(".codeium/windsurf/mcp_config.json"),
        // XDG_CONFIG_HOME is the test's home.
        "zed" => home.join("zed/settings.json"),
        "opencode" => home.join("opencode/opencode.jsonc"),
        "kiro" => home.join(".kiro/settings/mcp.json"),
        _ => unreachable!(),
    }
}

/// The printed entry of a client, as JSON.
fn printed(out: &std::process::Output, client: &str) -> serde_json::Value {
    let text = stdout(out);
    if client == "codex" {
        serde_json::to_value(toml::from_str::<toml::Table>(&text).unwrap()).unwrap()
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{client}: {e}\n{text}"))
    }
}

#[test]
fn each_client_gets_its_shape_and_no_secret() {
    let env = Env::saved_offline();
    for (client, key, typed) in CLIENTS {
        let out = env.run(&["mcp", client]);
        assert_eq!(code(&out), 0, "{client}: {}", stderr(&out));
        assert!(!stdout(&out).contains(TOKEN) && !stdout(&out).contains(KEY), "{client}: a secret:\n{}", stdout(&out));
        let server = printed(&out, client)[key]["trello"].clone();
        assert!(command_of(&server).ends_with("/trello-auth"), "{client}: {server}");
        let config = env.config().display().to_string();
        let args = args_of(&server);
        assert_eq!(args[..6], ["--config", config.as_str(), "exec", "--profile", "default", "--"], "{client}");
        // The pinned server, by absolute path: node and the package's script in trello-auth's data folder.
        assert!(args[6].starts_with('/') && args[6].ends_with("/node"), "{client}: {args:?}");
        let script = support::mcp_sdk::shared_data_home()
            .join("trello-auth/mcp-server/node_modules/@delorenj/mcp-server-trello/build/index.js");
        assert_eq!(args[7..], [script.display().to_string()], "{client}");
        assert_eq!(server.get("type").is_some(), typed, "{client}: {server}");
    }
}

/// `--write` as the last argument, no path: each client's documented file
/// for each scope, created with the servers' key.
#[test]
fn write_with_no_path_goes_to_each_client_s_own_file_for_each_scope() {
    let env = Env::saved_offline();
    let dir = project(&env);
    for (index, (client, key, _)) in CLIENTS.iter().enumerate() {
        // `--write` before the client works too: a path is only ever `--write=PATH`.
        let args: &[&str] = if index % 2 == 0 { &["mcp", client, "--write"] } else { &["mcp", "--write", client] };
        let out = run_in(&env, &dir, args);
        assert_eq!(code(&out), 0, "{client}: {}", stderr(&out));
        let file = user_file(&env, client);
        let created = format!("Created {} with the MCP server \"trello\" under ", file.display());
        assert!(stdout(&out).starts_with(&created), "{}", stdout(&out));
        let entry = entry_in(&file, &[key], "trello");
        assert!(args_of(&entry).contains(&"exec".to_string()), "{client}: {entry}");
        assert!(!stderr(&out).contains("meant to be committed"), "{client}: {}", stderr(&out));
    }
    for (client, rel, key) in PROJECT_FILES {
        let out = run_in(&env, &dir, &["mcp", client, "--scope", "project", "--write"]);
        assert_eq!(code(&out), 0, "{client}: {}", stderr(&out));
        entry_in(&dir.join(rel), &[key], "trello");
        assert!(
            stderr(&out).contains("is meant to be committed and shared, but this entry holds this machine's paths"),
            "{client}: {}",
            stderr(&out)
        );
    }
    // Claude Code's local scope: the same ~/.claude.json, under this folder's project entry.
    let out = run_in(&env, &dir, &["mcp", "claude-code", "--scope", "local", "--write", "--name", "trello-here"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = env.dir.path().join(".claude.json");
    let cwd = dir.display().to_string();
    entry_in(&file, &["projects", &cwd, "mcpServers"], "trello-here");
    entry_in(&file, &["mcpServers"], "trello");
    assert!(stdout(&out).contains(&format!("under projects[\"{cwd}\"].mcpServers")), "{}", stdout(&out));
    // Scopes a client does not have.
    let out = run_in(&env, &dir, &["mcp", "cursor", "--scope", "local"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = run_in(&env, &dir, &["mcp", "claude-desktop", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!dir.join("Claude").exists());
    let out = run_in(&env, &dir, &["mcp", "windsurf", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("no project file"), "{}", stderr(&out));
    let out = run_in(&env, &dir, &["mcp", "antigravity", "--write"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("~/.gemini/antigravity-cli/mcp_config.json"), "{}", stderr(&out));
    // Codex honours CODEX_HOME.
    let codex_home = env.dir.path().join("codex-home");
    let out = env.cmd(&["mcp", "codex", "--write"]).env("CODEX_HOME", &codex_home).current_dir(&dir).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    entry_in(&codex_home.join("config.toml"), &["mcp_servers"], "trello");
}

#[test]
fn write_merges_beside_other_servers_keeps_a_backup_and_refuses_a_corrupt_file() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let file = dir.join(".mcp.json");
    let before = "{\n  \"mcpServers\": {\n    \"github\": {\"command\": \"gh-mcp\", \"env\": {\"X\": \"1\"}}\n  },\n  \"zzz\": true\n}\n";
    std::fs::write(&file, before).unwrap();
    let out =
        run_in(&env, &dir, &["mcp", "claude-code", &format!("--write={}", file.display()), "--name", "trello-work"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let f = file.display();
    let said = format!(
        "Added the MCP server \"trello-work\" in {f}, under mcpServers; nothing else in the file changed, and the \
         previous file is kept as {f}.bak.\n"
    );
    assert!(stdout(&out).starts_with(&said), "{}", stdout(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("{\n  \"mcpServers\": {\n    \"github\": {\"command\": \"gh-mcp\", \"env\": {\"X\": \"1\"}},\n    \"trello-work\": {\n"), "{text}");
    assert!(text.ends_with("  },\n  \"zzz\": true\n}\n"), "{text}");
    assert_eq!(std::fs::read_to_string(dir.join(".mcp.json.bak")).unwrap(), before);
    // Again: the same entry is already there; nothing is written, and the
    // backup of the file before the first write stays.
    let out =
        run_in(&env, &dir, &["mcp", "claude-code", &format!("--write={}", file.display()), "--name", "trello-work"]);
    let said = format!("{f} already has this MCP server \"trello-work\" under mcpServers: nothing was changed.\n");
    assert!(stdout(&out).starts_with(&said), "{}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(std::fs::read_to_string(dir.join(".mcp.json.bak")).unwrap(), before);
    // Another profile under the same name: replaced, not doubled.
    env.save("work", support::cli::TOKEN, "never");
    let out = run_in(
        &env,
        &dir,
        &["--profile", "work", "mcp", "claude-code", &format!("--write={}", file.display()), "--name", "trello-work"],
    );
    assert!(stdout(&out).starts_with("Replaced the MCP server \"trello-work\""), "{}", stdout(&out));
    let replaced = std::fs::read_to_string(&file).unwrap();
    assert_eq!(replaced.matches("\"trello-work\"").count(), 1, "{replaced}");
    assert_eq!(std::fs::read_to_string(dir.join(".mcp.json.bak")).unwrap(), text);

    let corrupt = dir.join("broken.json");
    std::fs::write(&corrupt, "{\"mcpServers\": {\"a\": 1,}").unwrap();
    let out = run_in(&env, &dir, &["mcp", "vscode", &format!("--write={}", corrupt.display())]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("is not valid JSON: "), "{}", stderr(&out));
    assert!(stderr(&out).contains("(line 1, column"), "{}", stderr(&out));
    assert!(stderr(&out).contains("it was left as it is"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&corrupt).unwrap(), "{\"mcpServers\": {\"a\": 1,}");
    assert!(!dir.join("broken.json.bak").exists());
}

/// VS Code's JSON with comments and trailing commas, huge numbers, and the
/// same edit twice: only the entry changes. A file with a key twice is left
/// alone and the key is named.
#[test]
fn a_jsonc_file_keeps_its_comments_numbers_and_commas_and_a_duplicate_key_is_refused() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let file = dir.join(".vscode/mcp.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let before = "// My servers.\n{\n\t\"inputs\": [],\n\t\"servers\": {\n\t\t/* the GitHub one */\n\t\t\"github\": { \"type\": \"http\", \"url\": \"https://example.invalid/mcp\" }, // trailing\n\t},\n\t\"limits\": { \"big\": 18446744073709551616, \"exp\": 1E+2, \"neg\": -0.0 },\n}\n";
    std::fs::write(&file, before).unwrap();
    let out = run_in(&env, &dir, &["mcp", "vscode", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.starts_with("// My servers.\n{\n\t\"inputs\": [],\n\t\"servers\": {\n\t\t/* the GitHub one */\n\t\t\"github\": { \"type\": \"http\", \"url\": \"https://example.invalid/mcp\" }, // trailing\n\t\t\"trello\": {\n\t\t\t\"type\": \"stdio\",\n"), "{after}");
    assert!(
        after.ends_with("\t},\n\t\"limits\": { \"big\": 18446744073709551616, \"exp\": 1E+2, \"neg\": -0.0 },\n}\n"),
        "{after}"
    );
    assert_eq!(std::fs::read_to_string(dir.join(".vscode/mcp.json.bak")).unwrap(), before);

    let twice = "{\n  \"servers\": {\n    \"a\": {\"command\": \"one\"},\n    \"a\": {\"command\": \"two\"}\n  }\n}\n";
    std::fs::write(&file, twice).unwrap();
    std::fs::remove_file(dir.join(".vscode/mcp.json.bak")).unwrap();
    let out = run_in(&env, &dir, &["mcp", "vscode", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("has the key \"servers\" → \"a\" twice"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), twice);
    assert!(!dir.join(".vscode/mcp.json.bak").exists());
    // The same in Codex's TOML.
    let toml_file = dir.join("config.toml");
    std::fs::write(&toml_file, "[mcp_servers.a]\ncommand = \"one\"\n[mcp_servers.a]\ncommand = \"two\"\n").unwrap();
    let out = run_in(&env, &dir, &["mcp", "codex", &format!("--write={}", toml_file.display())]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("is not valid TOML"), "{}", stderr(&out));
}

#[test]
fn codex_s_toml_keeps_its_comments_and_other_tables() {
    let env = Env::saved_offline();
    let file = env.dir.path().join(".codex/config.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let before = "# my Codex\nmodel = \"o3\"  # the best\n\n[mcp_servers.github]\ncommand = \"gh-mcp\"\n\n[tui]\nnotifications = true\n";
    std::fs::write(&file, before).unwrap();
    let out = env.run(&["mcp", "codex", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("under [mcp_servers]"), "{}", stdout(&out));
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.starts_with("# my Codex\nmodel = \"o3\"  # the best\n\n[mcp_servers.github]\ncommand = \"gh-mcp\"\n"),
        "{after}"
    );
    assert!(after.contains("[tui]\nnotifications = true\n"), "{after}");
    let entry = entry_in(&file, &["mcp_servers"], "trello");
    assert!(args_of(&entry).contains(&"exec".to_string()), "{entry}");
}

#[test]
fn inline_secrets_is_an_explicit_opt_out_with_a_warning() {
    let env = Env::saved_offline();
    let out = env.run(&["mcp", "cursor", "--inline-secrets"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("--inline-secrets: this entry holds the key and token"), "{}", stderr(&out));
    // No client command with the token in it (shell history).
    assert!(!stderr(&out).contains(TOKEN), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["mcpServers"]["trello"]["env"]["TRELLO_TOKEN"], TOKEN);
    assert!(json["mcpServers"]["trello"]["command"].as_str().unwrap().ends_with("/node"));
}

/// `--inline-secrets`, then a normal write: neither the file, nor its
/// backup, nor a temp file holds the key or token. A killed write's temp file
/// is swept by the next one. Backups and inline files are 0600.
#[test]
fn no_copy_of_the_token_is_left_behind() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let file = dir.join(".cursor/mcp.json");
    let out = run_in(&env, &dir, &["mcp", "cursor", "--scope", "project", "--write", "--inline-secrets"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(mode(&file), 0o600);
    assert!(std::fs::read_to_string(&file).unwrap().contains(TOKEN));
    // A write killed after its temp file got the token (as files::Replace names it).
    let stale = dir.join(".cursor/.mcp.json.tmp-Xk3j9a");
    std::fs::write(&stale, std::fs::read(&file).unwrap()).unwrap();
    let out = run_in(&env, &dir, &["mcp", "cursor", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let folder = dir.join(".cursor");
    assert_eq!(names_in(&folder), ["mcp.json", "mcp.json.bak"]);
    for needle in [TOKEN, KEY] {
        assert!(files_holding(&folder, needle).is_empty(), "{:?} hold a secret", files_holding(&folder, needle));
    }
    assert_eq!(mode(&folder.join("mcp.json.bak")), 0o600);
    let backup = std::fs::read_to_string(folder.join("mcp.json.bak")).unwrap();
    assert!(backup.contains("[redacted]"), "{backup}");
    serde_json::from_str::<serde_json::Value>(&backup).unwrap();

    // A token written inline earlier and rotated since: the replaced entry's
    // own values are left out of the backup too.
    let old = "ATTA0000000000000000000000000000000000000000000000000000000000000000OLD00000";
    std::fs::write(
        &file,
        format!(
            "{{\"mcpServers\": {{\"trello\": {{\"command\": \"npx\", \"env\": {{\"TRELLO_TOKEN\": \"{old}\"}}}}}}}}\n"
        ),
    )
    .unwrap();
    let out = run_in(&env, &dir, &["mcp", "cursor", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(files_holding(&folder, old).is_empty(), "{:?}", files_holding(&folder, old));
}

/// The replaced entry held the profile's token, key or secret in any shape
/// (an argument, `--token=…`, a `Bearer` value, a header, a URL's query, a
/// comment, a JSON escape), or an old credential of another profile: the
/// backup holds none of them, as a whole or in part. The profile's own
/// values are left out everywhere in the file; another server's values that
/// only look like credentials stay as they were.
#[test]
fn the_backup_keeps_no_credential_of_the_replaced_entry_in_any_shape() {
    use support::cli::SECRET;
    let env = Env::saved_offline();
    let dir = project(&env);
    let old_token = format!("ATTA{}0A1B2C3D", "9e".repeat(32));
    let old_key = "abcdefabcdefabcdefabcdefabcdef12";
    let old_secret = "5".repeat(64);
    let escaped = format!("\\u0041{}", &TOKEN[1..]);
    let github = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    let entries = [
        format!("{{\"command\": \"node\", \"args\": [\"--token\", \"{TOKEN}\"]}}"),
        format!("{{\"command\": \"node\", \"args\": [\"--token={TOKEN}\"]}}"),
        format!("{{\"command\": \"node\", \"args\": [\"--key\", \"{KEY}\", \"--token\", \"{TOKEN}\"]}}"),
        format!("{{\"command\": \"node\", \"env\": {{\"X\": \"Bearer {TOKEN}\", \"S\": \"{SECRET}\"}}}}"),
        format!("{{\"url\": \"https://x.invalid/mcp\", \"headers\": {{\"Authorization\": \"Bearer {TOKEN}\"}}}}"),
        format!("{{\"url\": \"https://x.invalid/mcp?key={KEY}&token={TOKEN}\"}}"),
        format!("{{\"command\": \"node\", \"args\": [\"--token\", \"{old_token}\", \"--key\", \"{old_key}\"]}}"),
        format!("{{\"url\": \"https://x.invalid/mcp?key={old_key}&secret={old_secret}\"}}"),
        format!("{{\"command\": \"node\", // was {old_token}\n \"args\": [\"{escaped}\"]}}"),
        format!("{{\"command\": \"node\", \"env\": {{\"{old_token}\": \"1\"}}}}"),
    ];
    let file = dir.join(".cursor/mcp.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    for entry in &entries {
        let before = format!(
            "{{\"mcpServers\": {{\n  \"github\": {{\"command\": \"gh\", \"env\": {{\"GITHUB_TOKEN\": \"{github}\", \
             \"T\": \"{TOKEN}\"}}}},\n  \"trello\": {entry}\n}}}}\n"
        );
        std::fs::write(&file, &before).unwrap();
        let out = run_in(&env, &dir, &["mcp", "cursor", "--scope", "project", "--write"]);
        assert_eq!(code(&out), 0, "{entry}: {}", stderr(&out));
        let backup = std::fs::read_to_string(dir.join(".cursor/mcp.json.bak")).unwrap();
        for whole in [TOKEN, KEY, SECRET, &old_token, old_key, &old_secret] {
            for part in [whole, &whole[..20], &whole[whole.len() - 20..]] {
                assert!(!backup.contains(part), "{entry}: the backup holds {part}:\n{backup}");
            }
        }
        assert!(!backup.contains(&TOKEN[5..]), "{entry}: the escaped token:\n{backup}");
        assert!(backup.contains(github), "another server's value was touched:\n{backup}");
        if !entry.contains("//") {
            let parsed: serde_json::Value = serde_json::from_str(&backup).unwrap_or_else(|e| panic!("{e}: {backup}"));
            assert!(parsed["mcpServers"]["trello"].is_object(), "{backup}");
        }
        assert_eq!(mode(&dir.join(".cursor/mcp.json.bak")), 0o600);
    }

    // The profile's own values in another server's entry, escaped or in another
    // case: the backup is read as decoded text, and stays valid JSON.
    let key_escaped = format!("\\u0030{}", &KEY[1..]);
    let before = format!(
        "{{\"mcpServers\": {{\n  \"other\": {{\"command\": \"x\", \"env\": {{\"T\": \"{escaped}\", \"L\": \"{}\", \
         \"K\": \"{key_escaped}\", \"G\": \"{github}\"}}}},\n  \"trello\": {{\"command\": \"node\"}}\n}}}}\n",
        TOKEN.to_lowercase()
    );
    std::fs::write(&file, &before).unwrap();
    let out = run_in(&env, &dir, &["mcp", "cursor", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let backup = std::fs::read_to_string(dir.join(".cursor/mcp.json.bak")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&backup).unwrap_or_else(|e| panic!("{e}: {backup}"));
    let decoded = parsed.to_string().to_lowercase();
    for whole in [TOKEN, KEY] {
        assert!(!decoded.contains(&whole.to_lowercase()[4..24]), "the backup holds {whole}:\n{backup}");
    }
    assert_eq!(parsed["mcpServers"]["other"]["env"]["G"], github, "another server's own value stays");
    // The merged file itself leaves the other server exactly as it was.
    let merged = std::fs::read_to_string(&file).unwrap();
    assert!(merged.contains(&escaped) && merged.contains(&key_escaped), "{merged}");

    // Codex's TOML: values, a comment in the entry, a key name, and a
    // comment after everything (the document's own trailer).
    let file = dir.join(".codex/config.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let before = format!(
        "[mcp_servers.other]\ncommand = \"x\"\nargs = [\"{github}\"]\n\n[mcp_servers.trello]\n# old: {old_token}\ncommand \
         = \"node\"\nargs = [\"--token={TOKEN}\", \"--key\", \"{old_key}\"] # {SECRET}\nurl = \
         \"https://x.invalid/?key={KEY}&token={old_token}\"\n[mcp_servers.trello.env]\nX = \"Bearer {TOKEN}\"\n\"{old_token}\" = \
         \"1\"\n# trailing {TOKEN}\n"
    );
    std::fs::write(&file, &before).unwrap();
    let out = run_in(&env, &dir, &["mcp", "codex", "--scope", "project", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let backup = std::fs::read_to_string(dir.join(".codex/config.toml.bak")).unwrap();
    for whole in [TOKEN, KEY, SECRET, &old_token, old_key] {
        assert!(!backup.contains(&whole[..20]), "the TOML backup holds {whole}:\n{backup}");
    }
    assert!(backup.contains(github), "{backup}");
    let parsed: toml::Table = toml::from_str(&backup).unwrap_or_else(|e| panic!("{e}: {backup}"));
    assert!(parsed["mcp_servers"]["trello"]["env"]["X"].as_str().unwrap().starts_with("Bearer "), "{backup}");
}

#[test]
fn names_presets_reach_exec_or_the_env_block() {
    let env = Env::saved_offline();
    let out = env.run(&["mcp", "cursor", "--names", "api-token"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The default server reads TRELLO_TOKEN, whatever --names says: said.
    let said = "warning: @delorenj/mcp-server-trello reads TRELLO_API_KEY and TRELLO_TOKEN, but --names api-token hands \
                it TRELLO_API_KEY and TRELLO_API_TOKEN: it will not find TRELLO_TOKEN.";
    assert!(stderr(&out).contains(said), "{}", stderr(&out));
    let paired = env.run(&["mcp", "cursor", "--names", "api-token", "--server", "uvx mcp-server-trello"]);
    assert!(!stderr(&paired).contains("will not find"), "{}", stderr(&paired));
    let args = args_of(&printed(&out, "cursor")["mcpServers"]["trello"]);
    let exec = args.iter().position(|a| a == "exec").unwrap();
    assert_eq!(args[exec..exec + 5], ["exec", "--profile", "default", "--names", "api-token"]);
    let out = env.run(&["mcp", "gemini", "--names", "ruby-trello", "--inline-secrets"]);
    let env_block = printed(&out, "gemini")["mcpServers"]["trello"]["env"].clone();
    assert_eq!(env_block["TRELLO_DEVELOPER_PUBLIC_KEY"], KEY);
    assert_eq!(env_block["TRELLO_MEMBER_TOKEN"], TOKEN);
    assert!(env_block.get("TRELLO_TOKEN").is_none(), "{env_block}");
    let out = env.run(&["mcp", "cursor", "--names", "nope"]);
    assert_eq!(code(&out), 2);
    let out = env.run(&["mcp", "cursor", "--name", "ev\u{1b}[2Jil\nwarning: x"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--name holds a control character"), "{}", stderr(&out));
}

/// The written command, started as a client starts it (only HOME and PATH
/// from the client), finds a profile kept in a custom place and hands the
/// server its variables. A path with a space survives `--server` quoting.
#[test]
fn the_written_command_hands_the_server_its_variables_with_a_stripped_environment() {
    let env = Env::offline();
    let config = env.dir.path().join("elsewhere/my trello.toml");
    env.save_in(&trello_auth::credentials::store::Store::at(&config), "work", TOKEN, "never");
    let seen = env.dir.path().join("seen-env.txt");
    let server = env.dir.path().join("My Servers/stand-in server.sh");
    executable(&server, &format!("#!/bin/sh\nenv > '{}'\n", seen.display()));
    let quoted = format!("'{}' --flag", server.display());
    let file = env.dir.path().join("mcp.json");
    let out = env.run(&[
        "--config",
        config.to_str().unwrap(),
        "--profile",
        "work",
        "mcp",
        "vscode",
        &format!("--write={}", file.display()),
        "--server",
        &quoted,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let entry = entry_in(&file, &["servers"], "trello");
    let args = args_of(&entry);
    assert_eq!(args[args.len() - 2..], [server.display().to_string(), "--flag".into()]);
    let status = Command::new(entry["command"].as_str().unwrap())
        .args(&args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", env.dir.path().join("empty-home"))
        .current_dir("/")
        .status()
        .unwrap();
    assert!(status.success());
    let seen = std::fs::read_to_string(&seen).unwrap();
    assert!(seen.contains(&format!("TRELLO_API_KEY={KEY}")), "{seen}");
    assert!(seen.contains(&format!("TRELLO_TOKEN={TOKEN}")), "{seen}");
    assert!(!std::fs::read_to_string(&file).unwrap().contains(TOKEN));
    // An unclosed quote is a usage error, not a guess.
    let out = env.run(&["--config", config.to_str().unwrap(), "mcp", "vscode", "--server", "node 'x.js"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("unclosed quote"), "{}", stderr(&out));
}

/// `npx` found only in a folder the client's short PATH lacks: the entry
/// names it by absolute path and puts its folder and node's (it is
/// `#!/usr/bin/env node`) in env.PATH. A command found nowhere is said. A
/// relative PATH entry (a planted `./npx`) is never used.
#[test]
fn the_server_command_is_resolved_with_the_folders_it_needs() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let tools = env.dir.path().join("nvm/bin");
    let nodes = env.dir.path().join("node-home/bin");
    executable(&tools.join("npx"), "#!/usr/bin/env node\n");
    executable(&nodes.join("node"), "#!/bin/sh\n");
    let path = format!("{}:{}:/usr/bin:/bin", tools.display(), nodes.display());
    let npx = ["mcp", "cursor", "--server", "npx -y @delorenj/mcp-server-trello"];
    let out = env.cmd(&npx).env("PATH", &path).current_dir(&dir).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let entry = printed(&out, "cursor")["mcpServers"]["trello"].clone();
    assert!(args_of(&entry).contains(&tools.join("npx").display().to_string()), "{entry}");
    let want = format!("{}:{}:/usr/bin:/bin:/usr/sbin:/sbin", tools.display(), nodes.display());
    assert_eq!(entry["env"]["PATH"], want.as_str(), "{entry}");
    assert_eq!(entry["env"].as_object().unwrap().len(), 1, "only PATH: {entry}");

    let out = env.cmd(&["mcp", "cursor", "--server", "no-such-server --stdio"]).current_dir(&dir).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("no-such-server was not found on PATH"), "{}", stderr(&out));
    let entry = printed(&out, "cursor")["mcpServers"]["trello"].clone();
    assert!(args_of(&entry).ends_with(&["no-such-server".to_string(), "--stdio".into()]), "{entry}");

    // A script argument: made absolute when it is there (the client starts the
    // server elsewhere), said when it is not.
    std::fs::write(dir.join("server.js"), "").unwrap();
    let out = env.cmd(&["mcp", "cursor", "--server", "node ./server.js"]).current_dir(&dir).output().unwrap();
    let entry = printed(&out, "cursor")["mcpServers"]["trello"].clone();
    assert!(args_of(&entry).ends_with(&[dir.join("server.js").display().to_string()]), "{entry}");
    let out = env.cmd(&["mcp", "cursor", "--server", "node ./build/index.js"]).current_dir(&dir).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("./build/index.js names no file"), "{}", stderr(&out));

    // A planted ./npx in the project, and PATH starting with ".".
    executable(&dir.join("npx"), "#!/bin/sh\necho planted\n");
    let out = env.cmd(&npx).env("PATH", format!(".:{path}")).current_dir(&dir).output().unwrap();
    let entry = printed(&out, "cursor")["mcpServers"]["trello"].clone();
    assert!(args_of(&entry).contains(&tools.join("npx").display().to_string()), "{entry}");
    assert!(!entry.to_string().contains(&dir.join("npx").display().to_string()), "{entry}");
    // An absolute PATH entry inside the project is used, but said.
    let out = env.cmd(&npx).env("PATH", format!("{}:{path}", dir.display())).current_dir(&dir).output().unwrap();
    assert!(stderr(&out).contains("is inside the project here"), "{}", stderr(&out));
}

/// The `trello-auth` on PATH when it is this program (a symlink to it), else
/// the running file, with a warning for a build folder and for another
/// program of that name on PATH.
#[test]
fn the_binary_written_is_the_one_on_path_when_it_is_the_same_program() {
    let env = Env::saved_offline();
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_trello-auth"), bin.join("trello-auth")).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let out = env.cmd(&["mcp", "cursor"]).env("PATH", &path).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        printed(&out, "cursor")["mcpServers"]["trello"]["command"],
        bin.join("trello-auth").display().to_string()
    );
    assert!(!stderr(&out).contains("build folder"), "{}", stderr(&out));

    let other = env.dir.path().join("other");
    executable(&other.join("trello-auth"), "#!/bin/sh\necho impostor\n");
    let out = env.cmd(&["mcp", "cursor"]).env("PATH", format!("{}:/usr/bin:/bin", other.display())).output().unwrap();
    let running = std::fs::canonicalize(env!("CARGO_BIN_EXE_trello-auth")).unwrap();
    assert_eq!(printed(&out, "cursor")["mcpServers"]["trello"]["command"], running.display().to_string());
    assert!(stderr(&out).contains("PATH finds another trello-auth at"), "{}", stderr(&out));
    assert!(stderr(&out).contains("inside a cargo build folder"), "{}", stderr(&out));
    assert!(stderr(&out).contains("cargo install --locked --path ."), "{}", stderr(&out));
}

/// A `trello-auth` found in a folder inside the project (its `bin/` on
/// PATH) is never what the entry names: the folder is left out and said,
/// from a subfolder of its checkout too. From the home folder, where
/// everything installed is "inside", nothing is said.
#[test]
fn a_trello_auth_inside_the_current_folder_is_said() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_trello-auth"), bin.join("trello-auth")).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let out = env.cmd(&["mcp", "cursor"]).env("PATH", &path).current_dir(&dir).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let running = std::fs::canonicalize(env!("CARGO_BIN_EXE_trello-auth")).unwrap();
    assert_eq!(printed(&out, "cursor")["mcpServers"]["trello"]["command"], running.display().to_string());
    let said = format!("warning: {} on PATH is inside the project here", bin.display());
    assert!(stderr(&out).contains(&said), "{}", stderr(&out));
    // From a subfolder of the project's git checkout: still the project's.
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let out = env.cmd(&["mcp", "cursor"]).env("PATH", &path).current_dir(dir.join("sub")).output().unwrap();
    assert!(stderr(&out).contains(&said), "from a subfolder: {}", stderr(&out));

    let local = env.dir.path().join(".local/bin");
    std::fs::create_dir_all(&local).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_trello-auth"), local.join("trello-auth")).unwrap();
    let path = format!("{}:/usr/bin:/bin", local.display());
    let out = env.cmd(&["mcp", "cursor"]).env("PATH", &path).current_dir(env.dir.path()).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("inside the project"), "{}", stderr(&out));
}

/// trello-auth's own server never takes `node` (nor the install `npm`) from
/// the project opened here, even from a subfolder of its checkout: a
/// project's `bin/` first on PATH is left out, and said.
#[test]
fn the_default_server_takes_nothing_from_the_project_s_path() {
    let env = Env::saved_offline();
    let dir = project(&env);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let bin = dir.join("bin");
    executable(&bin.join("node"), "#!/bin/sh\necho planted\n");
    executable(&bin.join("npm"), "#!/bin/sh\necho planted\n");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let node = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("node"))
        .find(|p| p.is_file())
        .expect("node on PATH (.ci/run installs nodejs)");
    let path = format!("{}:{}:/usr/bin:/bin", bin.display(), node.parent().unwrap().display());
    let out = env.cmd(&["mcp", "cursor"]).env("PATH", &path).current_dir(dir.join("sub")).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let entry = printed(&out, "cursor")["mcpServers"]["trello"].clone();
    assert!(!entry.to_string().contains(&bin.display().to_string()), "{entry}");
    assert!(args_of(&entry).contains(&node.display().to_string()), "{entry}");
    assert!(stderr(&out).contains("on PATH is inside the project here"), "{}", stderr(&out));
}

/// The clients' own commands, run by a POSIX shell with stand-ins for
/// `claude`, `code`, `codex`, `gemini` and `opencode` that report their
/// arguments: the shell gives them exactly the entry, the name before any
/// variable (Claude Code's `-e` takes every value up to the next option),
/// and Gemini CLI's arguments after `CMD --`. (`mcp_clis.rs` runs the real
/// CLIs on these lines.)
#[test]
fn the_clients_own_commands_are_quoted_for_a_shell_and_match_the_entry() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let bin = env.dir.path().join("stand-ins");
    let said = env.dir.path().join("argv.txt");
    for name in ["claude", "code", "codex", "gemini", "opencode"] {
        executable(
            &bin.join(name),
            &format!("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}'\n", said.display()),
        );
    }
    // An entry with env.PATH: a server in a folder with a space that the short PATH lacks.
    let tools = env.dir.path().join("my tools");
    executable(&tools.join("my-server"), "#!/bin/sh\n");
    let server = "my-server 'it''s here' -e x";
    let path = format!("{}:/usr/bin:/bin", tools.display());
    let run = |args: &[&str]| env.cmd(args).env("PATH", &path).current_dir(&dir).output().unwrap();
    let words = |entry: &serde_json::Value| [vec![command_of(entry)], args_of(entry)].concat();
    for scope in ["user", "project", "local"] {
        let out = run(&["mcp", "claude-code", "--scope", scope, "--server", server]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let entry = printed(&out, "claude-code");
        let entry = if scope == "local" {
            entry["projects"][dir.display().to_string()]["mcpServers"]["trello"].clone()
        } else {
            entry["mcpServers"]["trello"].clone()
        };
        let line = own_command(&stderr(&out), "claude mcp add");
        let argv = shell_argv(&line, &bin, &said);
        let path_value = format!("PATH={}", entry["env"]["PATH"].as_str().unwrap());
        let head = ["mcp", "add", "--scope", scope, "--transport", "stdio", "trello", "--env", &path_value, "--"];
        assert_eq!(argv, [head.map(String::from).to_vec(), words(&entry)].concat(), "{line}");
    }
    let out = run(&["mcp", "codex", "--server", server]);
    let entry = printed(&out, "codex")["mcp_servers"]["trello"].clone();
    let argv = shell_argv(&own_command(&stderr(&out), "codex mcp add"), &bin, &said);
    let path_value = format!("PATH={}", entry["env"]["PATH"].as_str().unwrap());
    let head = ["mcp", "add", "trello", "--env", &path_value, "--"].map(String::from).to_vec();
    assert_eq!(argv, [head, words(&entry)].concat());
    for scope in ["user", "project"] {
        let out = run(&["mcp", "gemini", "--scope", scope, "--server", server]);
        let entry = printed(&out, "gemini")["mcpServers"]["trello"].clone();
        let argv = shell_argv(&own_command(&stderr(&out), "gemini mcp add"), &bin, &said);
        let path_value = format!("PATH={}", entry["env"]["PATH"].as_str().unwrap());
        let head = ["mcp", "add", "--scope", scope, "trello", "--env", &path_value].map(String::from).to_vec();
        let tail = [vec![command_of(&entry), "--".into()], args_of(&entry)].concat();
        assert_eq!(argv, [head, tail].concat());
    }
    let out = run(&["mcp", "opencode", "--server", server]);
    let entry = printed(&out, "opencode")["mcp"]["trello"].clone();
    let argv = shell_argv(&own_command(&stderr(&out), "opencode mcp add"), &bin, &said);
    let path_value = format!("PATH={}", entry["environment"]["PATH"].as_str().unwrap());
    let head = ["mcp", "add", "trello", "--env", &path_value, "--"].map(String::from).to_vec();
    assert_eq!(argv, [head, words(&entry)].concat());
    let out = run(&["mcp", "vscode", "--server", server]);
    let line = own_command(&stderr(&out), "code --add-mcp");
    let argv = shell_argv(&line, &bin, &said);
    assert_eq!(argv[0], "--add-mcp");
    let mut added: serde_json::Value = serde_json::from_str(&argv[1]).unwrap();
    assert_eq!(added["name"], "trello");
    added.as_object_mut().unwrap().remove("name");
    assert_eq!(added, printed(&out, "vscode")["servers"]["trello"]);
    // Commands that write the user's file only, or that cannot carry the value, are not printed.
    for (client, scope, start) in [
        ("vscode", "project", "code --add-mcp"),
        ("codex", "project", "codex mcp add"),
        ("opencode", "project", "opencode mcp add"),
        ("cursor", "user", "mcp add"),
        ("zed", "user", "mcp add"),
        ("kiro", "user", "mcp add"),
        ("windsurf", "user", "mcp add"),
    ] {
        let out = run(&["mcp", client, "--scope", scope, "--server", server]);
        assert_eq!(code(&out), 0, "{client}: {}", stderr(&out));
        assert!(!stderr(&out).contains(start), "{client} {scope}: {}", stderr(&out));
    }
    let odd = env.dir.path().join("a=b");
    executable(&odd.join("my-server"), "#!/bin/sh\n");
    let out = env
        .cmd(&["mcp", "gemini", "--server", "my-server"])
        .env("PATH", format!("{}:/usr/bin:/bin", odd.display()))
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("gemini mcp add"), "Gemini CLI cuts a value at its second =: {}", stderr(&out));
}

fn own_command(stderr: &str, start: &str) -> String {
    stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no `{start}`:\n{stderr}"))
        .to_string()
}

fn shell_argv(line: &str, bin: &Path, said: &Path) -> Vec<String> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(line)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .status()
        .unwrap();
    assert!(status.success(), "{line}");
    std::fs::read_to_string(said).unwrap().lines().map(str::to_string).collect()
}

/// A symlinked file of the user's own (a dotfile manager's) stays a link and
/// its target is edited; a FIFO or a link to nothing is refused and left alone.
/// (A project's file that links out of the project is refused: `mcp_hostile.rs`.)
#[test]
fn odd_targets_a_symlink_is_followed_a_fifo_refused() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let real = env.dir.path().join("dotfiles/cursor-mcp.json");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, "{}\n").unwrap();
    let link = env.dir.path().join(".cursor/mcp.json");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = run_in(&env, &dir, &["mcp", "cursor", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    entry_in(&real, &["mcpServers"], "trello");

    let fifo = dir.join("fifo.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = run_in(&env, &dir, &["mcp", "gemini", &format!("--write={}", fifo.display())]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("FIFO"), "{}", stderr(&out));
    let dangling = dir.join("dangling.json");
    std::os::unix::fs::symlink(dir.join("nowhere/x.json"), &dangling).unwrap();
    let out = run_in(&env, &dir, &["mcp", "gemini", &format!("--write={}", dangling.display())]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(!dir.join("nowhere").exists());
}

// Every example of `mcp --help` and every command line of docs/AGENTS.md runs in
// `examples.rs`, the one harness for what the docs show.

#[test]
fn a_keyring_profile_finds_the_session_bus_without_its_variable() {
    let Some(ss) = support::secret_service::SecretService::start() else { return };
    let fake = support::fake_trello::FakeTrello::with_ann();
    let env = Env::new(&fake);
    let token = support::mcp::login_to_keyring(&env, &ss, &fake);
    let file = env.dir.path().join("cursor.json");
    let out = env
        .cmd(&["mcp", "cursor", &format!("--write={}", file.display()), "--server", "printenv TRELLO_TOKEN"])
        .env("DBUS_SESSION_BUS_ADDRESS", &ss.address)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let entry = entry_in(&file, &["mcpServers"], "trello");
    let socket = support::mcp::bus_socket(&ss.address);
    let runtime = env.dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    std::os::unix::fs::symlink(&socket, runtime.join("bus")).unwrap();
    let run = |runtime: &Path| {
        Command::new(entry["command"].as_str().unwrap())
            .args(args_of(&entry))
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", env.dir.path())
            .env("XDG_RUNTIME_DIR", runtime)
            .env("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "10000")
            .output()
            .unwrap()
    };
    let out = run(&runtime);
    // Its output is a pipe, so the token it printed comes back hidden: the
    // marker stands for exactly the keyring's token.
    let marker = trello_auth::commands::exec::mask::MARKER;
    assert_eq!((code(&out), stdout(&out)), (0, format!("{marker}\n")), "{}", stderr(&out));
    assert!(!token.is_empty() && !stdout(&out).contains(&token));
    // No bus there: said plainly.
    let out = run(&env.dir.path().join("no-runtime"));
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("DBUS_SESSION_BUS_ADDRESS is not set and there is no session bus at"),
        "{}",
        stderr(&out)
    );
    // A runtime folder another user made first (its bus leads to a keyring of
    // theirs): not used, and said (attacker trial F8).
    let theirs = env.dir.path().join("their-runtime");
    std::fs::create_dir_all(&theirs).unwrap();
    std::os::unix::fs::symlink(&socket, theirs.join("bus")).unwrap();
    std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
    let out = run(&theirs);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("is not yours"), "{}", stderr(&out));
    assert!(!stdout(&out).contains(&token));
}
