//! An agent's own token, through the real binary against the fake Trello: `mcp CLIENT --write --own-token` in a terminal (caught from the browser, pasted, the plain wizard) and from stdin; the authorize URL's app name, scopes and expiry; a token of another member refused; the agent's profile and its row in `profile list`; the real MCP SDK client getting the agent's token, not the parent's; `logout` revoking that token alone; `rotate` keeping its name and scopes; and the question asked once in a terminal.

use crate::support;

use std::path::PathBuf;

use support::cli::{ANN, Env, code, stderr, stdout};
use support::fake_trello::{BOB, FakeTrello, KEY};
use support::mcp::{args_of, entry_in, project};
use support::mcp_sdk::{Around, python, scripts, start};
use support::pty::{CTRL_C, ENTER, Pty, base_command};
use support::raw_server::closed_port;
use trello_auth::credentials::Expiration;

const CTRL_P: &str = "\x10";

/// `args` in a terminal, with the fake Trello, a listener on `port` and the browser stand-in.
fn in_terminal(env: &Env, fake: &FakeTrello, port: u16, args: &[&str]) -> Pty {
    let mut cmd = base_command(env.dir.path());
    cmd.args(args);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    cmd.env("TRELLO_AUTH_CALLBACK_PORT", port.to_string());
    cmd.env("DISPLAY", ":99");
    cmd.env("BROWSER", support::browser::following(env.dir.path()));
    for (k, v) in env.cmd(&[]).get_envs() {
        // The shared pinned server, as every test's trello-auth uses it.
        if k == "XDG_DATA_HOME" || k.to_string_lossy().starts_with("npm_config_") {
            cmd.env(k, v.unwrap());
        }
    }
    cmd.cwd(project(env));
    Pty::spawn(cmd, 110, 34)
}

/// Ann's profile `default`, and a fake Trello where Ann is logged in and the listener's origin is listed.
fn ann(port: u16) -> (FakeTrello, Env, String) {
    let fake = FakeTrello::with_ann();
    fake.add_bob();
    fake.allow_origin(&format!("http://127.0.0.1:{port}"));
    let (env, token) = Env::saved_for_ann(&fake);
    (fake, env, token)
}

fn profile(env: &Env, name: &str) -> trello_auth::credentials::Profile {
    env.store().profile(name).unwrap().unwrap_or_else(|| panic!("no profile {name}"))
}

fn claude_json(env: &Env) -> PathBuf {
    env.dir.path().join(".claude.json")
}

#[test]
fn in_a_terminal_the_token_is_caught_confirmed_and_saved_as_the_agent_s_own_profile() {
    let port = closed_port();
    let (fake, env, parent) = ann(port);
    let mut pty = in_terminal(&env, &fake, port, &["mcp", "claude-code", "--write", "--own-token", "--read-only"]);
    let screen = pty.expect("^C quit");
    assert!(screen.contains("own token for Claude Code"), "{screen}");
    assert!(screen.contains("trello-auth (claude-code)"), "{screen}");
    let url = screen.replace(['│', '\n', ' '], "");
    assert!(
        url.contains("expiration=30days&scope=read&response_type=token&name=trello-auth%20%28claude-code%29"),
        "{screen}"
    );
    pty.send("\x0f");
    pty.expect("Is Ann Example (@ann) your account?");
    pty.send("y");
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    pty.assert_terminal_restored();
    let screen = pty.screen();
    assert!(
        screen.contains("Claude Code's own token for Ann Example (@ann): profile \"claude-code\" (read;"),
        "{screen}"
    );
    // What Trello made: one new token, named for the agent, read only, 30 days.
    let state = fake.state();
    let made = state.authorized.last().unwrap().clone();
    let token = &state.tokens[&made];
    assert_eq!((token.app_name.as_str(), token.read, token.write), ("trello-auth (claude-code)", true, false));
    drop(state);
    let agent = profile(&env, "claude-code");
    assert_eq!(agent.token.as_ref().unwrap().expose(), made);
    assert_eq!((agent.parent.as_deref(), agent.client.as_deref()), (Some("default"), Some("claude-code")));
    assert_eq!((agent.app_name.as_str(), agent.expiration), ("trello-auth (claude-code)", Expiration::ThirtyDays));
    assert!(agent.api_secret.is_none(), "an agent's profile holds no API secret");
    assert_eq!(profile(&env, "default").token.unwrap().expose(), parent, "the parent is untouched");
    let entry = entry_in(&claude_json(&env), &["mcpServers"], "trello");
    let args = args_of(&entry);
    let exec = args.iter().position(|a| a == "exec").unwrap();
    assert_eq!(args[exec..exec + 3], ["exec", "--profile", "claude-code"]);

    // Listed with its client, scopes and expiry.
    let out = env.run(&["profile", "list"]);
    let listed = stdout(&out);
    assert!(listed.contains("claude-code\n  Member     Ann Example (@ann)\n  Agent      claude-code's own token, made from profile \"default\"\n  Scopes     read\n"), "{listed}");
    let out = env.run(&["status", "--all", "--offline", "--json"]);
    let all: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let row = all.as_array().unwrap().iter().find(|p| p["profile"] == "claude-code").unwrap().clone();
    assert_eq!(row["agent"], serde_json::json!({"client": "claude-code", "parent": "default"}));
    assert_eq!(row["scopes"], serde_json::json!(["read"]));
    assert!(row["expires"].as_str().is_some(), "{row}");
}

#[test]
fn pasted_in_a_terminal_and_through_the_plain_wizard() {
    let port = closed_port();
    let (fake, env, _) = ann(port);
    let mut pty = in_terminal(&env, &fake, port, &["mcp", "cursor", "--write", "--own-token", "--expiration", "never"]);
    let screen = pty.expect("^C quit");
    assert!(screen.replace(['│', '\n', ' '], "").contains("expiration=never&scope=read,write"), "{screen}");
    pty.send(CTRL_P);
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    pty.paste(&token);
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    assert_eq!(profile(&env, "cursor").token.unwrap().expose(), token, "a pasted token is saved without a question");
    entry_in(&env.dir.path().join(".cursor/mcp.json"), &["mcpServers"], "trello");

    let mut pty =
        in_terminal(&env, &fake, port, &["mcp", "vscode", "--write", "--own-token", "--plain", "--no-capture"]);
    pty.expect("How long should the token live?");
    pty.send(ENTER);
    pty.expect("Scopes (");
    pty.send(ENTER);
    pty.expect("Paste the token");
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    pty.send(&format!("{token}{ENTER}"));
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    assert!(!String::from_utf8_lossy(&pty.raw_output()).contains(&token), "plain mode never echoes the token");
    assert_eq!(profile(&env, "vscode").token.unwrap().expose(), token);
}

#[test]
fn from_stdin_the_token_s_own_name_scopes_and_expiry_are_recorded_and_differences_said() {
    let fake = FakeTrello::with_ann();
    fake.add_bob();
    let (env, parent) = Env::saved_for_ann(&fake);
    // Bob's token: refused, nothing saved.
    let bobs = fake.issue_token(KEY, BOB, "read,write", None);
    let out = env.run_with_stdin(&["mcp", "codex", "--write", "--own-token"], &bobs);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("this token belongs to Bob Other (@bob), not to Ann Example (@ann)"),
        "{}",
        stderr(&out)
    );
    assert!(env.store().profile("codex").unwrap().is_none());
    assert!(!env.dir.path().join(".codex/config.toml").exists());
    // Ann's, made elsewhere as read and write for 1 day, where read only for 30 days was asked.
    let made = time::OffsetDateTime::now_utc();
    let day = made + time::Duration::days(1);
    let fmt = &time::format_description::well_known::Rfc3339;
    let token =
        fake.issue_token_made(KEY, ANN, "read,write", Some(&day.format(fmt).unwrap()), &made.format(fmt).unwrap());
    let out =
        env.run_with_stdin(&["mcp", "codex", "--write", "--own-token", "--read-only", "--as", "codex-bot"], &token);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("the token was authorized as \"trello-auth\", not \"trello-auth (codex)\""), "{said}");
    assert!(said.contains("the token may do read, write, where read was asked for"), "{said}");
    assert!(said.contains("the token was made for 1day"), "{said}");
    let agent = profile(&env, "codex-bot");
    assert_eq!(agent.token.as_ref().unwrap().expose(), token);
    assert_eq!((agent.app_name.as_str(), agent.expiration), ("trello-auth", Expiration::OneDay));
    assert_eq!(agent.requested_scope.names(), ["read", "write"], "what Trello granted is recorded");
    assert_eq!(profile(&env, "default").token.unwrap().expose(), parent);
    // Again: the agent already has its own token; nothing is asked or read.
    let out = env.run(&["mcp", "codex", "--write", "--own-token", "--as", "codex-bot"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("already has its own token, profile \"codex-bot\""), "{}", stderr(&out));
    // A name that is taken by another profile is never overwritten.
    env.save("work", &parent, "never");
    let out = env.run_with_stdin(&["mcp", "codex", "--write", "--own-token", "--as", "work"], &token);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("is never overwritten"), "{}", stderr(&out));
}

/// The real MCP SDK client, through the written entry, gets the agent's token
/// and not the parent's; `logout --profile` revokes that token alone; `rotate`
/// keeps its name and scopes.
#[test]
fn the_agent_gets_its_own_token_which_is_revoked_alone_and_renewed_with_its_name() {
    let Some(python) = python("own token: SDK") else { return };
    let fake = FakeTrello::with_ann();
    let (env, parent) = Env::saved_for_ann(&fake);
    let own = fake.issue_token(KEY, ANN, "read", None);
    let server = format!("{} {}", python.display(), scripts().join("stand_in_server.py").display());
    let out = env.run_with_stdin(
        &["mcp", "claude-code", "--write", "--own-token", "--read-only", "--expiration", "never", "--server", &server],
        &own,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = claude_json(&env);
    let args = [file.to_str().unwrap(), "mcpServers", "--name", "trello", "--call-env"];
    let result = start(&python, env.dir.path(), "/usr/bin:/bin", &[], Around::Nothing, &args);
    assert_eq!(result["env"]["TRELLO_TOKEN"], own.as_str(), "{result}");
    assert_ne!(result["env"]["TRELLO_TOKEN"], parent.as_str());

    let out = env.run(&["logout", "--profile", "claude-code"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let deletes: Vec<String> = fake.requests().into_iter().filter(|r| r.method == "DELETE").map(|r| r.uri).collect();
    assert_eq!(deletes, [format!("/1/tokens/{own}")], "that token alone");
    assert!(fake.is_revoked(&own) && !fake.is_revoked(&parent));
    let out = env.run(&["status"]);
    assert_eq!(code(&out), 0, "the parent still works: {}", stderr(&out));

    // Renewed by rotate, with the same name and scopes.
    env.save_in(&env.store(), "claude-code", &fake.issue_token(KEY, ANN, "read", None), "never");
    env.store()
        .update(&[], |config| {
            let p = config.profiles.get_mut("claude-code").unwrap();
            p.app_name = "trello-auth (claude-code)".into();
            p.requested_scope = "read".parse().unwrap();
            (p.parent, p.client) = (Some("default".into()), Some("claude-code".into()));
        })
        .unwrap();
    let mut cmd = base_command(env.dir.path());
    cmd.args(["--profile", "claude-code", "rotate"]);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    let mut pty = Pty::spawn(cmd, 110, 34);
    let screen = pty.expect("^C quit");
    assert!(
        screen
            .replace(['│', '\n', ' '], "")
            .contains("scope=read&response_type=token&name=trello-auth%20%28claude-code%29"),
        "{screen}"
    );
    pty.send(CTRL_C);
    pty.wait();
}

#[test]
fn a_terminal_is_asked_once_own_token_first_and_a_pipe_is_told_how() {
    let port = closed_port();
    let (fake, env, parent) = ann(port);
    let mut pty = in_terminal(&env, &fake, port, &["mcp", "gemini", "--write"]);
    pty.expect("Give Gemini CLI a token of its own");
    pty.send(&format!("s{ENTER}"));
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    let entry = entry_in(&env.dir.path().join(".gemini/settings.json"), &["mcpServers"], "trello");
    assert!(args_of(&entry).windows(2).any(|w| w == ["--profile", "default"]), "{entry}");
    assert!(env.store().profile("gemini").unwrap().is_none());
    let _ = parent;
    // No terminal: today's entry, and the way to the agent's own token.
    let out = env.run(&["mcp", "cursor", "--write"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("Cursor gets profile \"default\"'s own token, the one you use; to give it a token of its own"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("`trello-auth mcp cursor --write --own-token`"), "{}", stderr(&out));
    // --own-token is for --write only.
    let out = env.run(&["mcp", "cursor", "--own-token"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[test]
fn nothing_piped_in_names_the_mcp_command_that_was_run() {
    let fake = FakeTrello::with_ann();
    let (env, _) = Env::saved_for_ann(&fake);
    let out = env.run(&["mcp", "cursor", "--write", "--own-token", "--read-only"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains(
            "printf '%s' \"$TRELLO_TOKEN\" | trello-auth mcp cursor --write --own-token --read-only, or run \
             `trello-auth mcp cursor --write --own-token --read-only` in a terminal to authorize one in the browser"
        ),
        "{said}"
    );
    assert!(!said.contains("login --with-token"), "{said}");
    assert!(env.store().profile("cursor").unwrap().is_none());
}

#[test]
fn in_a_terminal_the_parent_s_own_token_is_not_taken_as_the_agent_s() {
    let port = closed_port();
    let (fake, env, parent) = ann(port);
    let mut pty = in_terminal(&env, &fake, port, &["mcp", "claude-code", "--write", "--own-token"]);
    pty.expect("^C quit");
    pty.send(CTRL_P);
    pty.paste(&parent);
    pty.send(ENTER);
    let screen = pty.expect("not a new one for Claude Code");
    let flat = screen.replace(['│', '\n'], " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("that is profile \"default\"'s token"), "{screen}");
    // A refusal, not a save to try again: the way on is a new token, on step 4.
    assert!(!flat.contains("try saving again"), "{screen}");
    pty.send(ENTER);
    pty.expect("Authorize Claude Code's own token");
    pty.send(CTRL_C);
    pty.wait();
    assert!(env.store().profile("claude-code").unwrap().is_none(), "no agent profile was made");
    assert!(!claude_json(&env).exists(), "no entry was written");
    assert!(!fake.is_revoked(&parent));
}
