//! `trello-auth mcp CLIENT`: an AI agent's MCP server entry that runs the server through `trello-auth exec`, so no secret is written into the client's config.
//!
//! File locations and shapes, from each client's documentation: Claude Code's
//! project `.mcp.json` and Cursor's `.cursor/mcp.json` and Claude Desktop's
//! `claude_desktop_config.json` keep servers under `mcpServers`; VS Code's
//! `.vscode/mcp.json` under `servers`, with `"type": "stdio"`.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::{Map, Value, json};

use super::CommandError;
use super::env::{Vars, vars};
use crate::credentials::store::Store;

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
}

/// The server entry: `trello-auth exec --profile P -- SERVER…`, or, with
/// `inline_secrets`, SERVER with the variables in an `env` block.
pub fn entry(
    store: &Store,
    profile: &str,
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
    let Vars { vars: values, warnings: var_warnings } = vars(store, profile, Default::default(), false)?;
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
    Ok(Entry { client, name: name.unwrap_or("trello").to_string(), server, warnings })
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
    let old = match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(failed("not a regular file".into())),
        Ok(meta) if meta.len() > 4 * 1024 * 1024 => return Err(failed("larger than 4 MiB".into())),
        Ok(_) => Some(std::fs::read_to_string(path).map_err(|e| failed(format!("could not be read ({e})")))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(failed(format!("could not be read ({e})"))),
    };
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

    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| failed(format!("its folder could not be made ({e})")))?;
    let backup = match &old {
        Some(old) => {
            let mut name = path.file_name().unwrap_or_default().to_os_string();
            name.push(".bak");
            let backup = path.with_file_name(name);
            atomic(&dir, &backup, old).map_err(|e| failed(format!("the backup could not be written ({e})")))?;
            Some(backup)
        }
        None => None,
    };
    atomic(&dir, path, &text).map_err(|e| failed(format!("could not be written ({e})")))?;
    Ok(Written { path: path.to_path_buf(), backup, replaced })
}

fn atomic(dir: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
