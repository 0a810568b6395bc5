//! What `mcp --write` wrote, started by a real MCP client: the official MCP
//! Python SDK's stdio client (its default environment: HOME, LOGNAME, PATH,
//! SHELL, TERM, USER, plus the entry's env) with a short PATH, against a
//! stand-in server written with the same SDK that reports the Trello
//! variables it received; and the real `@delorenj/mcp-server-trello`.
//! The client process carries variables the SDK must drop (a config path, a
//! session bus, a token); none of them may be what makes an entry work.

use crate::support;

use std::path::Path;

use support::cli::{Env, TOKEN, code, stderr};
use support::fake_trello::KEY;
use support::mcp::{entry_in, executable, project};
use support::mcp_sdk::{Around, namespaces, node, offline_npm, python, scripts, start};
use trello_auth::commands::env::Names;
use trello_auth::commands::exec::mask::MARKER;
use trello_auth::credentials::store::Store;

use super::mcp::{CLIENTS, user_file};

/// A desktop client's PATH: no Node, no Homebrew, no ~/.local/bin.
const SHORT_PATH: &str = "/usr/bin:/bin";

/// In the client's own environment, dropped by the SDK before it starts a server.
const NOISE: [(&str, &str); 6] = [
    ("XDG_CONFIG_HOME", "/nowhere"),
    ("TRELLO_AUTH_CONFIG", "/nowhere/config.toml"),
    ("TRELLO_AUTH_PROFILE", "nobody"),
    ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nowhere/bus"),
    ("XDG_RUNTIME_DIR", "/nowhere"),
    ("TRELLO_TOKEN", "ATTAnot-the-profile-s-token"),
];

/// The variables the SDK keeps from its own environment.
const SDK_KEEPS: [&str; 6] = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];

fn quoted(path: &Path) -> String {
    trello_auth::commands::env::quote_sh(&path.display().to_string())
}

/// `--server` for the stand-in server at `script`.
fn stand_in(python: &Path, script: &Path) -> String {
    format!("{} {}", quoted(python), quoted(script))
}

/// Writes `client`'s entry with `--write` (default scope) in `dir`.
fn write(env: &Env, dir: &Path, args: &[&str]) {
    let out = env.cmd(args).current_dir(dir).output().unwrap();
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
}

/// The SDK client starts the entry `name` under `keys` of `file`, as its
/// client would: the SDK's default environment over [`NOISE`], the short
/// `PATH`, in `env`'s home; `--call-env` asks the stand-in what it received.
fn start_entry(
    python: &Path,
    env: &Env,
    file: &Path,
    keys: &str,
    name: &str,
    around: Around,
    call_env: bool,
) -> serde_json::Value {
    let mut args = vec![file.to_str().unwrap(), keys, "--name", name];
    if call_env {
        args.push("--call-env");
    }
    start(python, env.dir.path(), SHORT_PATH, &NOISE, around, &args)
}

fn env_seen(result: &serde_json::Value) -> &serde_json::Map<String, serde_json::Value> {
    let mut keeps: Vec<&str> =
        result["default_environment"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    keeps.retain(|k| !SDK_KEEPS.contains(k));
    assert!(keeps.is_empty(), "the SDK kept more than its six: {keeps:?}");
    result["env"].as_object().unwrap()
}

#[test]
fn every_client_s_entry_starts_in_the_sdk_with_a_profile_kept_in_a_custom_place() {
    let Some(python) = python("mcp sdk: every client") else { return };
    let env = Env::offline();
    let dir = project(&env);
    let config = env.dir.path().join("custom place/trello.toml");
    env.save_in(&Store::at(&config), "default", TOKEN, "never");
    let server = stand_in(&python, &scripts().join("stand_in_server.py"));
    let config = config.to_str().unwrap();
    let mut files: Vec<(&str, &str, std::path::PathBuf)> =
        CLIENTS.iter().map(|(client, key, _)| (*client, *key, user_file(&env, client))).collect();
    // Antigravity CLI has a project file only.
    files.push(("antigravity", "mcpServers", dir.join(".agents/mcp_config.json")));
    for (client, key, file) in files {
        let scope = if client == "antigravity" { "project" } else { "user" };
        write(&env, &dir, &["--config", config, "mcp", client, "--scope", scope, "--server", &server, "--write"]);
        let result = start_entry(&python, &env, &file, key, "trello", Around::Nothing, true);
        assert_eq!(result["server"], "trello-auth-stand-in", "{client}");
        let seen = env_seen(&result);
        assert_eq!(seen["TRELLO_API_KEY"], KEY, "{client}: {seen:?}");
        assert_eq!(seen["TRELLO_TOKEN"], TOKEN, "{client}: {seen:?}");
    }
}

/// A server that puts its token into what it answers (here a tool's
/// description, as one that logs its request URL would): through the written
/// entry the client reads valid JSON-RPC with the marker, never the token,
/// and the server still received the token itself.
#[test]
fn a_server_that_echoes_its_token_gives_the_client_valid_json_rpc_with_the_marker() {
    let Some(python) = python("mcp sdk: a server echoing its token") else { return };
    let env = Env::saved_offline();
    let dir = project(&env);
    let server = stand_in(&python, &scripts().join("stand_in_server.py"));
    write(&env, &dir, &["mcp", "claude-code", "--server", &server, "--write"]);
    let file = user_file(&env, "claude-code");
    let result = start_entry(&python, &env, &file, "mcpServers", "trello", Around::Nothing, true);
    // The SDK parsed every message (it fails on one that is not JSON-RPC).
    assert_eq!(result["tools"], serde_json::json!(["env", "whoami"]), "{result}");
    let said = result["descriptions"]["whoami"].as_str().unwrap();
    assert_eq!(said, format!("Acts for the member whose token is {MARKER} (\"the saved one\")."));
    let seen = env_seen(&result);
    assert_eq!(seen["TRELLO_TOKEN"], TOKEN, "the server itself got the token");
    let mut read = result.clone();
    read.as_object_mut().unwrap().remove("env");
    assert!(!read.to_string().contains(TOKEN), "{read}");
}

/// A keyring profile, started by the SDK with no DBUS_SESSION_BUS_ADDRESS
/// and no XDG_RUNTIME_DIR (it drops both): trello-auth finds the per-user bus
/// at /run/user/$UID/bus, here the test's private bus in a mount namespace.
#[test]
fn a_keyring_profile_starts_without_the_session_bus_variable() {
    let case = "mcp sdk: keyring";
    let Some(python) = python(case) else { return };
    let Some(()) = namespaces(case) else { return };
    let Some(ss) = support::secret_service::SecretService::start() else { return };
    let fake = support::fake_trello::FakeTrello::with_ann();
    let env = Env::new(&fake);
    let dir = project(&env);
    let token = support::mcp::login_to_keyring(&env, &ss, &fake);
    let server = stand_in(&python, &scripts().join("stand_in_server.py"));
    let out = env
        .cmd(&["mcp", "claude-code", "--server", &server, "--write"])
        .env("DBUS_SESSION_BUS_ADDRESS", &ss.address)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = user_file(&env, "claude-code");
    assert!(!std::fs::read_to_string(&file).unwrap().contains(&token));
    let socket = support::mcp::bus_socket(&ss.address);
    let result = start_entry(&python, &env, &file, "mcpServers", "trello", Around::RunUserBus(&socket), true);
    let seen = env_seen(&result);
    assert_eq!(seen["TRELLO_TOKEN"], token.as_str(), "{seen:?}");
    assert_eq!(seen["TRELLO_API_KEY"], KEY, "{seen:?}");
}

#[test]
fn each_names_preset_reaches_the_server() {
    let Some(python) = python("mcp sdk: --names") else { return };
    let env = Env::saved_offline();
    let dir = project(&env);
    let server = stand_in(&python, &scripts().join("stand_in_server.py"));
    for names in Names::ALL {
        let name = format!("trello-{}", names.flag());
        write(
            &env,
            &dir,
            &["mcp", "gemini", "--names", &names.flag(), "--name", &name, "--server", &server, "--write"],
        );
        let file = user_file(&env, "gemini");
        let result = start_entry(&python, &env, &file, "mcpServers", &name, Around::Nothing, true);
        let seen = env_seen(&result);
        let (key_var, token_var) = names.key_and_token();
        assert_eq!(seen[key_var], KEY, "{name}: {seen:?}");
        assert_eq!(seen[token_var], TOKEN, "{name}: {seen:?}");
        let trello: Vec<&String> = seen.keys().filter(|k| k.starts_with("TRELLO_")).collect();
        assert_eq!(trello.len(), 2, "{name}: only this preset's names: {trello:?}");
    }
}

#[test]
fn a_server_path_with_a_space_starts() {
    let Some(python) = python("mcp sdk: a path with a space") else { return };
    let env = Env::saved_offline();
    let dir = project(&env);
    let script = env.dir.path().join("My Servers/stand in.py");
    std::fs::create_dir_all(script.parent().unwrap()).unwrap();
    std::fs::copy(scripts().join("stand_in_server.py"), &script).unwrap();
    write(&env, &dir, &["mcp", "vscode", "--server", &stand_in(&python, &script), "--write"]);
    let file = user_file(&env, "vscode");
    let result = start_entry(&python, &env, &file, "servers", "trello", Around::Nothing, true);
    assert_eq!(env_seen(&result)["TRELLO_TOKEN"], TOKEN);
}

/// `npx` (a `#!/usr/bin/env node` script) found only in a folder outside the
/// client's PATH, and a `node` that is found first only through the entry's
/// env.PATH (it leaves a mark, then runs the machine's node).
#[test]
fn npx_found_only_outside_the_client_s_path_starts() {
    let case = "mcp sdk: npx outside PATH";
    let Some(python) = python(case) else { return };
    let Some(real_node) = node(case) else { return };
    let env = Env::saved_offline();
    let dir = project(&env);
    let tools = env.dir.path().join(".nvm/versions/node/v20/bin");
    let nodes = env.dir.path().join("node-home/bin");
    let mark = env.dir.path().join("node-ran");
    // Stands in for npx: runs the package command it is given, as `npx -y PKG` runs PKG's bin.
    executable(
        &tools.join("npx"),
        "#!/usr/bin/env node\nconst { spawnSync } = require('child_process');\nconst [cmd, ...args] = \
         process.argv.slice(2).filter((a) => a !== '-y');\nconst r = spawnSync(cmd, args, { stdio: 'inherit' });\n\
         process.exit(r.status === null ? 1 : r.status);\n",
    );
    executable(&nodes.join("node"), &format!("#!/bin/sh\n: > {}\nexec {} \"$@\"\n", quoted(&mark), quoted(&real_node)));
    let writer_path = format!("{}:{}:/usr/bin:/bin", tools.display(), nodes.display());
    let server = format!("npx -y {}", stand_in(&python, &scripts().join("stand_in_server.py")));
    let out = env
        .cmd(&["mcp", "claude-desktop", "--server", &server, "--write"])
        .env("PATH", &writer_path)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = user_file(&env, "claude-desktop");
    let entry = entry_in(&file, &["mcpServers"], "trello");
    let entry_path = entry["env"]["PATH"].as_str().unwrap().to_string();
    assert!(entry_path.starts_with(&format!("{}:{}:", tools.display(), nodes.display())), "{entry}");
    let result = start_entry(&python, &env, &file, "mcpServers", "trello", Around::Nothing, true);
    let seen = env_seen(&result);
    assert_eq!(seen["TRELLO_TOKEN"], TOKEN);
    assert_eq!(seen["PATH"], entry_path.as_str(), "the server got the entry's PATH");
    assert!(mark.exists(), "node was not found through the entry's PATH");
}

/// The real delorenj/mcp-server-trello, the default entry's pinned install
/// (trello-auth's own install step, offline, from the lockfile it ships):
/// it starts, and answers initialize and tools/list. Those make no Trello
/// call (its only start-up work is reading ~/.trello-mcp/config.json; its API
/// base is fixed to api.trello.com), and it runs in a network namespace with
/// nothing in it, so no request could leave anyway.
#[test]
fn the_real_trello_server_starts_through_a_written_entry() {
    let case = "mcp sdk: @delorenj/mcp-server-trello";
    let Some(python) = python(case) else { return };
    let Some(()) = offline_npm(case) else { return };
    let Some(()) = namespaces(case) else { return };
    let env = Env::saved_offline();
    let dir = project(&env);
    write(&env, &dir, &["mcp", "claude-code", "--write"]);
    let file = user_file(&env, "claude-code");
    let entry = entry_in(&file, &["mcpServers"], "trello");
    let args: Vec<String> = support::mcp::args_of(&entry);
    assert!(args.last().is_some_and(|a| a.ends_with("/@delorenj/mcp-server-trello/build/index.js")), "{entry}");
    let result = start_entry(&python, &env, &file, "mcpServers", "trello", Around::NoNetwork, false);
    assert_eq!(result["server"], "trello-server", "{result}");
    let tools: Vec<&str> = result["tools"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    for tool in ["get_lists", "set_active_board", "list_boards"] {
        assert!(tools.contains(&tool), "{tool} missing: {tools:?}");
    }
}
