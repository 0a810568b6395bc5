//! `trello-auth mcp CLIENT`: an AI agent's MCP server entry that runs the server through `trello-auth exec`, so no secret is written into the client's config.
//!
//! File locations and shapes, from each client's documentation: Claude Code's
//! project `.mcp.json` and Cursor's `.cursor/mcp.json` and Claude Desktop's
//! `claude_desktop_config.json` keep servers under `mcpServers`; VS Code's
//! `.vscode/mcp.json` under `servers`, with `"type": "stdio"`.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::{Map, Value, json};

use super::env::{Vars, vars};
use super::{CommandError, Context, Output};
use crate::files::{Backup, Dir, Mode, Replace};

/// `mcp`'s arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Which client's config.
    #[arg(value_enum)]
    pub client: Client,
    /// The server command, words separated by spaces (default: delorenj/mcp-server-trello via npx).
    #[arg(long, value_name = "COMMAND ARGS")]
    pub server: Option<String>,
    /// The server's name in the config.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Merge into the client's file (its usual place, or PATH).
    #[arg(long, value_name = "PATH", num_args = 0..=1)]
    pub write: Option<Option<PathBuf>>,
    /// Write the key and token into the entry's env block (for clients that cannot run a wrapper).
    #[arg(long)]
    pub inline_secrets: bool,
}

pub const AFTER_HELP: &str = "\
Prints (or, with --write, merges into the client's config file) a server entry
whose command is `trello-auth exec --profile P -- SERVER`, so no key or token is
written into the client's config. SERVER defaults to the npx line of
delorenj/mcp-server-trello (it reads TRELLO_API_KEY, TRELLO_TOKEN, TRELLO_BOARD_ID).

Files: claude-code .mcp.json, vscode .vscode/mcp.json, cursor .cursor/mcp.json
(in the current folder), claude-desktop claude_desktop_config.json in Claude's
config folder. --write keeps other servers and settings, keeps the old file as
.bak, writes atomically, and refuses a file it cannot parse.

Examples:
  trello-auth mcp claude-code --write
  trello-auth mcp vscode --server 'node ./trello-server.js' --name trello-dev
  trello-auth mcp claude-desktop --write";

pub fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    let entry = entry(ctx, args.client, args.server.as_deref(), args.name.as_deref(), args.inline_secrets)?;
    let Some(path) = &args.write else {
        // The snippet holds no secret unless --inline-secrets asked for it.
        return Ok(Output::json(snippet(&entry)).warn(entry.warnings));
    };
    let Some(path) = path.clone().or_else(|| args.client.default_path()) else {
        return Err(CommandError::Usage("no config folder is known here: give the file, --write PATH".into()));
    };
    let written = write(&entry, &path)?;
    let backup = written.backup.map(|b| format!(" (previous file kept as {})", b.display())).unwrap_or_default();
    let verb = if written.replaced { "Replaced" } else { "Added" };
    Ok(Output::text(format!(
        "{verb} the MCP server \"{}\" in {}{backup}; other servers and settings are unchanged, the file is \
         re-indented.\n",
        entry.name,
        written.path.display()
    ))
    .warn(entry.warnings))
}

/// A well-known Trello MCP server (delorenj/mcp-server-trello), which reads
/// `TRELLO_API_KEY`, `TRELLO_TOKEN` and `TRELLO_BOARD_ID`.
pub const DEFAULT_SERVER: &str = "npx -y @delorenj/mcp-server-trello";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Client {
    /// Claude Code: `.mcp.json` in the project.
    ClaudeCode,
    /// Claude Desktop: `claude_desktop_config.json` in its config folder.
    ClaudeDesktop,
    /// VS Code: `.vscode/mcp.json` in the workspace.
    Vscode,
    /// Cursor: `.cursor/mcp.json` in the project.
    Cursor,
}

impl Client {
    /// The key servers live under.
    fn servers_key(self) -> &'static str {
        match self {
            Client::Vscode => "servers",
            _ => "mcpServers",
        }
    }

    /// Where the client reads its config, for `--write` without a path.
    pub fn default_path(self) -> Option<PathBuf> {
        match self {
            Client::ClaudeCode => Some(PathBuf::from(".mcp.json")),
            Client::Vscode => Some(PathBuf::from(".vscode/mcp.json")),
            Client::Cursor => Some(PathBuf::from(".cursor/mcp.json")),
            // macOS: ~/Library/Application Support/Claude, Windows: %APPDATA%\Claude;
            // on Linux there is no official build: the XDG config folder.
            Client::ClaudeDesktop => {
                directories::BaseDirs::new().map(|d| d.config_dir().join("Claude").join("claude_desktop_config.json"))
            }
        }
    }
}

/// What to write, and anything to warn about.
pub struct Entry {
    pub client: Client,
    pub name: String,
    pub server: Value,
    pub warnings: Vec<String>,
    /// The values that must not outlive a file once it no longer holds them
    /// (the key and token of an `--inline-secrets` entry).
    secrets: Vec<String>,
    inline: bool,
}

/// The server entry: `trello-auth exec --profile P -- SERVER…`, or, with
/// `inline_secrets`, SERVER with the variables in an `env` block.
pub fn entry(
    ctx: &Context,
    client: Client,
    server: Option<&str>,
    name: Option<&str>,
    inline_secrets: bool,
) -> Result<Entry, CommandError> {
    let words: Vec<String> = server.unwrap_or(DEFAULT_SERVER).split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        return Err(CommandError::Usage("--server names no command".into()));
    }
    let mut warnings = Vec::new();
    // Checked now: an entry for a profile that cannot hand anything over is no use.
    let profile = ctx.name();
    let Vars { vars: values, warnings: var_warnings } = vars(ctx, Default::default(), false)?;
    let secrets: Vec<String> = values.iter().take(2).map(|(_, v)| v.clone()).collect();
    warnings.extend(var_warnings);
    let mut server = if inline_secrets {
        warnings.push(
            "--inline-secrets: the key and token are now written into that client's config file; keep it out of \
             source control and revoke the token if it leaks"
                .into(),
        );
        let env: Map<String, Value> = values.iter().map(|(k, v)| (k.to_string(), Value::String(v.clone()))).collect();
        json!({ "command": words[0], "args": words[1..], "env": env })
    } else {
        // An absolute path: clients such as Claude Desktop start servers with a short PATH.
        let me = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "trello-auth".to_string());
        let mut args = vec!["exec".to_string(), "--profile".to_string(), profile.to_string(), "--".to_string()];
        args.extend(words);
        json!({ "command": me, "args": args })
    };
    if matches!(client, Client::ClaudeCode | Client::Vscode)
        && let Some(object) = server.as_object_mut()
    {
        object.insert("type".into(), Value::String("stdio".into()));
    }
    Ok(Entry { client, name: name.unwrap_or("trello").to_string(), server, warnings, secrets, inline: inline_secrets })
}

/// The entry alone, in the client's file shape, for printing.
pub fn snippet(entry: &Entry) -> String {
    let mut servers = Map::new();
    servers.insert(entry.name.clone(), entry.server.clone());
    let mut top = Map::new();
    top.insert(entry.client.servers_key().to_string(), Value::Object(servers));
    let mut text = serde_json::to_string_pretty(&Value::Object(top)).unwrap_or_default();
    text.push('\n');
    text
}

/// What `--write` did.
pub struct Written {
    pub path: PathBuf,
    pub backup: Option<PathBuf>,
    /// The entry replaced one of the same name.
    pub replaced: bool,
}

/// Merges the entry into the client's file: other servers and settings stay,
/// a file that does not parse is refused and left as it is, the old file is
/// kept as `.bak`, and the new one is written atomically. JSON has no place for
/// formatting to survive a rewrite, so the file is written with 2-space
/// indentation (keys keep their order).
pub fn write(entry: &Entry, path: &Path) -> Result<Written, CommandError> {
    let failed = |what: String| CommandError::Failed(format!("{}: {what}; it was left as it is", path.display()));
    let replace = Replace::begin(path, 4 * 1024 * 1024, Dir::Shared).map_err(|e| failed(e.to_string()))?;
    let old = replace.old.as_ref().map(|o| o.text.clone());
    let mut top: Value = match &old {
        Some(text) if !text.trim().is_empty() => serde_json::from_str(text).map_err(|e| {
            failed(format!("is not valid JSON (line {}, column {}); fix it, or move it away", e.line(), e.column()))
        })?,
        _ => json!({}),
    };
    let Some(object) = top.as_object_mut() else { return Err(failed("is not a JSON object".into())) };
    let servers = object.entry(entry.client.servers_key()).or_insert_with(|| json!({}));
    let Some(servers) = servers.as_object_mut() else {
        return Err(failed(format!("\"{}\" is not an object", entry.client.servers_key())));
    };
    let replaced = servers.insert(entry.name.clone(), entry.server.clone()).is_some();
    let mut text = serde_json::to_string_pretty(&top).unwrap_or_default();
    text.push('\n');
    // A key or token the old file held (an earlier --inline-secrets) stays out of the backup.
    let backup = match &old {
        Some(old) if entry.secrets.iter().any(|s| old.contains(s.as_str())) => Backup::Text(
            entry
                .secrets
                .iter()
                .fold(old.clone(), |text, secret| text.replace(secret.as_str(), "REMOVED-BY-TRELLO-AUTH")),
        ),
        _ => Backup::Previous,
    };
    let mode = if entry.inline { Mode::Private } else { Mode::KeepOrShared };
    let written = replace.commit(text.as_bytes(), mode, backup).map_err(|e| failed(e.to_string()))?;
    Ok(Written { path: path.to_path_buf(), backup: written.backup, replaced })
}
