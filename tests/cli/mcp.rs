//! `trello-auth mcp` through the real binary: the entry for each client holds no
//! secret, `--write` merges beside other servers with a backup, a corrupt file is
//! left alone, `--inline-secrets` warns, and the exact command written into a
//! config, started as a client would, hands the server its variables.

use crate::support;

use std::process::Command;

use support::cli::{Env, TOKEN, code, stderr, stdout};
use support::fake_trello::KEY;

#[test]
fn each_client_gets_its_shape_and_no_secret() {
    let env = Env::saved_offline();
    for (client, key, typed) in [
        ("claude-code", "mcpServers", true),
        ("claude-desktop", "mcpServers", false),
        ("vscode", "servers", true),
        ("cursor", "mcpServers", false),
    ] {
        let out = env.run(&["mcp", client]);
        assert_eq!(code(&out), 0, "{client}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains(TOKEN) && !text.contains(KEY), "{client}: a secret in the entry:\n{text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let server = &json[key]["trello"];
        assert!(server["command"].as_str().unwrap().ends_with("trello-auth"), "{client}: {server}");
        let args: Vec<&str> = server["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!(args, ["exec", "--profile", "default", "--", "npx", "-y", "@delorenj/mcp-server-trello"]);
        assert_eq!(server.get("type").is_some(), typed, "{client}: {server}");
        assert!(server.get("env").is_none());
    }
}

#[test]
fn write_merges_beside_other_servers_keeps_a_backup_and_refuses_a_corrupt_file() {
    let env = Env::saved_offline();
    let dir = env.dir.path().join("project");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(".mcp.json");
    let before = "{\n  \"mcpServers\": {\n    \"github\": {\"command\": \"gh-mcp\", \"env\": {\"X\": \"1\"}}\n  },\n  \"zzz\": true\n}\n";
    std::fs::write(&file, before).unwrap();
    let out = env.run(&["mcp", "claude-code", "--write", file.to_str().unwrap(), "--name", "trello-work"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Added the MCP server \"trello-work\""), "{}", stdout(&out));
    let after: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(after["mcpServers"]["github"], serde_json::json!({"command": "gh-mcp", "env": {"X": "1"}}));
    assert_eq!(after["zzz"], true);
    assert!(after["mcpServers"]["trello-work"]["args"].is_array());
    let keys: Vec<&String> = after.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["mcpServers", "zzz"], "key order kept");
    assert_eq!(std::fs::read_to_string(dir.join(".mcp.json.bak")).unwrap(), before);
    // Again: the same name is replaced, not doubled.
    let out = env.run(&["mcp", "claude-code", "--write", file.to_str().unwrap(), "--name", "trello-work"]);
    assert!(stdout(&out).contains("Replaced"), "{}", stdout(&out));

    let corrupt = dir.join("broken.json");
    std::fs::write(&corrupt, "{\"mcpServers\": {\"a\": 1,}").unwrap();
    let out = env.run(&["mcp", "vscode", "--write", corrupt.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("is not valid JSON (line 1"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&corrupt).unwrap(), "{\"mcpServers\": {\"a\": 1,}");
    assert!(!dir.join("broken.json.bak").exists());
}

#[test]
fn inline_secrets_is_an_explicit_opt_out_with_a_warning() {
    let env = Env::saved_offline();
    let out = env.run(&["mcp", "cursor", "--inline-secrets"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("--inline-secrets: the key and token are now written"), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["mcpServers"]["trello"]["env"]["TRELLO_TOKEN"], TOKEN);
    assert_eq!(json["mcpServers"]["trello"]["command"], "npx");
}

/// The command a client would start, exactly as written: the stand-in server
/// writes the environment it was given.
#[test]
fn the_written_command_hands_the_server_its_variables() {
    let env = Env::saved_offline();
    let seen = env.dir.path().join("seen-env.txt");
    let server = env.dir.path().join("stand-in-server.sh");
    std::fs::write(&server, format!("#!/bin/sh\nenv > '{}'\n", seen.display())).unwrap();
    std::fs::set_permissions(&server, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let file = env.dir.path().join("mcp.json");
    let out = env.run(&["mcp", "vscode", "--write", file.to_str().unwrap(), "--server", server.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let entry = &config["servers"]["trello"];
    let args: Vec<&str> = entry["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    // As a client starts it: the command and args, the user's environment (here the test's HOME).
    let status = Command::new(entry["command"].as_str().unwrap())
        .args(&args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let seen = std::fs::read_to_string(&seen).unwrap();
    assert!(seen.contains(&format!("TRELLO_API_KEY={KEY}")), "{seen}");
    assert!(seen.contains(&format!("TRELLO_TOKEN={TOKEN}")), "{seen}");
    assert!(!std::fs::read_to_string(&file).unwrap().contains(TOKEN));
}

#[test]
fn every_client_s_file_takes_the_entry_beside_what_was_there() {
    let env = Env::saved_offline();
    for (client, key) in [
        ("claude-code", "mcpServers"),
        ("claude-desktop", "mcpServers"),
        ("vscode", "servers"),
        ("cursor", "mcpServers"),
    ] {
        let file = env.dir.path().join(format!("{client}.json"));
        let before = format!("{{\"{key}\": {{\"other\": {{\"command\": \"other-server\"}}}}, \"inputs\": []}}");
        std::fs::write(&file, &before).unwrap();
        let out = env.run(&["mcp", client, "--write", file.to_str().unwrap()]);
        assert_eq!(code(&out), 0, "{client}: {}", stderr(&out));
        let after: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(after[key]["other"], serde_json::json!({"command": "other-server"}), "{client}");
        assert_eq!(after["inputs"], serde_json::json!([]), "{client}");
        assert!(after[key]["trello"]["args"].is_array(), "{client}: {after}");
        let backup = file.with_file_name(format!("{client}.json.bak"));
        assert_eq!(std::fs::read_to_string(backup).unwrap(), before, "{client}");
        assert!(!std::fs::read_to_string(&file).unwrap().contains(TOKEN));
    }
}
