//! The MCP clients: where each one reads its servers for each scope, in which shape, and the command it offers to add one itself.
//!
//! From each client's own documentation:
//! - Claude Code (code.claude.com/docs/en/mcp, "MCP installation scopes"):
//!   user scope `~/.claude.json` top-level `mcpServers`; local scope the same
//!   file under `projects["<project folder>"].mcpServers`; project scope
//!   `.mcp.json` in the project. Its CLI: `claude mcp add [--scope …] NAME -- CMD ARGS…`.
//! - Claude Desktop (modelcontextprotocol.io, "Connect to local MCP
//!   servers"): `claude_desktop_config.json` in `~/Library/Application
//!   Support/Claude` (macOS) or `%APPDATA%\Claude` (Windows), `mcpServers`.
//!   There is no official Linux build: the XDG config folder stands in.
//! - VS Code (code.visualstudio.com/docs/copilot/reference/mcp-configuration):
//!   `.vscode/mcp.json` in the workspace or `mcp.json` in the user profile
//!   (the `User` folder beside `settings.json`: `~/.config/Code/User`,
//!   `~/Library/Application Support/Code/User`, `%APPDATA%\Code\User`),
//!   `servers` with `"type": "stdio"`, JSON with comments. Its CLI:
//!   `code --add-mcp '{json}'`, into the user profile.
//! - Cursor (cursor.com/docs, "Model Context Protocol"): `~/.cursor/mcp.json`
//!   or `.cursor/mcp.json` in the project, `mcpServers`.
//! - Codex CLI (developers.openai.com/codex/mcp and /codex/environment-variables):
//!   `$CODEX_HOME/config.toml` (default `~/.codex`), or `.codex/config.toml`
//!   in a trusted project; a `[mcp_servers.NAME]` table with `command`,
//!   `args` and an `env` table.
//! - Gemini CLI (geminicli.com/docs/cli/configuration, tools/mcp-server):
//!   `~/.gemini/settings.json` or `.gemini/settings.json`, `mcpServers`.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::entry::Server;
use crate::commands::CommandError;
use crate::commands::env::quote_sh;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Client {
    /// Claude Code: ~/.claude.json (user, local) or .mcp.json (project).
    ClaudeCode,
    /// Claude Desktop: claude_desktop_config.json in its config folder.
    ClaudeDesktop,
    /// VS Code: the user profile's mcp.json, or .vscode/mcp.json.
    Vscode,
    /// Cursor: ~/.cursor/mcp.json, or .cursor/mcp.json.
    Cursor,
    /// Codex CLI: ~/.codex/config.toml, or .codex/config.toml.
    Codex,
    /// Gemini CLI: ~/.gemini/settings.json, or .gemini/settings.json.
    Gemini,
}

/// Whose file the entry goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Scope {
    /// The person's own file, for every project.
    #[default]
    User,
    /// The project's file in the current folder, meant to be committed.
    Project,
    /// Claude Code only: the person's own file, for the current folder only.
    Local,
}

/// How a client's file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON, read with comments and trailing commas allowed (VS Code's JSONC
    /// is the widest; the others' files are plain JSON, which is a subset).
    Json,
    /// TOML (Codex).
    Toml,
}

/// Where the entry goes: the file, and the keys leading to the servers' table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: PathBuf,
    pub format: Format,
    /// The keys from the top of the file to the object (or table) that holds
    /// the servers: `["mcpServers"]`, `["projects", "/abs/dir", "mcpServers"]`.
    pub keys: Vec<String>,
}

impl Place {
    /// The keys in words: `mcpServers`, `projects["/src/app"].mcpServers`, `[mcp_servers]`.
    pub fn keys_in_words(&self) -> String {
        if self.format == Format::Toml {
            return format!("[{}]", self.keys.join("."));
        }
        let mut out = String::new();
        for (i, key) in self.keys.iter().enumerate() {
            let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            match (i, plain) {
                (0, true) => out.push_str(key),
                (_, true) => {
                    out.push('.');
                    out.push_str(key);
                }
                (_, false) => out.push_str(&format!("[{}]", serde_json::Value::String(key.clone()))),
            }
        }
        out
    }
}

/// A value's name on the command line (`claude-code`, `user`).
fn flag(value: &impl ValueEnum) -> String {
    value.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
}

impl Scope {
    pub fn flag(self) -> String {
        flag(&self)
    }
}

impl Client {
    pub fn flag(self) -> String {
        flag(&self)
    }

    pub fn words(self) -> &'static str {
        match self {
            Client::ClaudeCode => "Claude Code",
            Client::ClaudeDesktop => "Claude Desktop",
            Client::Vscode => "VS Code",
            Client::Cursor => "Cursor",
            Client::Codex => "Codex CLI",
            Client::Gemini => "Gemini CLI",
        }
    }

    pub fn format(self) -> Format {
        match self {
            Client::Codex => Format::Toml,
            _ => Format::Json,
        }
    }

    /// VS Code names the transport of every server; Claude Code writes it too.
    pub fn typed(self) -> bool {
        matches!(self, Client::ClaudeCode | Client::Vscode)
    }

    /// The object (table) under which servers live, at the top of the file.
    fn servers_key(self) -> &'static str {
        match self {
            Client::Vscode => "servers",
            Client::Codex => "mcp_servers",
            _ => "mcpServers",
        }
    }

    /// Refuses a scope the client does not have.
    pub fn check_scope(self, scope: Scope) -> Result<(), CommandError> {
        match (self, scope) {
            (Client::ClaudeCode, _) | (_, Scope::User) => Ok(()),
            (Client::ClaudeDesktop, _) => Err(CommandError::Usage(
                "Claude Desktop has one config file, for the user: leave out --scope (or give --scope user)".into(),
            )),
            (_, Scope::Local) => Err(CommandError::Usage(format!(
                "--scope local is Claude Code's; {} has user and project",
                self.words()
            ))),
            (_, Scope::Project) => Ok(()),
        }
    }

    /// The client's own file for `scope`, with `home` the user's home, `config`
    /// the platform's config folder (XDG on Linux), `codex_home` `$CODEX_HOME`
    /// and `cwd` the project folder. `None` when the place cannot be known here.
    pub fn default_file(
        self,
        scope: Scope,
        home: Option<&Path>,
        config: Option<&Path>,
        codex_home: Option<&Path>,
    ) -> Option<PathBuf> {
        let user = |rel: &str| home.map(|h| h.join(rel));
        match (self, scope) {
            (Client::ClaudeCode, Scope::Project) => Some(PathBuf::from(".mcp.json")),
            (Client::ClaudeCode, _) => user(".claude.json"),
            (Client::ClaudeDesktop, _) => config.map(|c| c.join("Claude").join("claude_desktop_config.json")),
            (Client::Vscode, Scope::Project) => Some(PathBuf::from(".vscode/mcp.json")),
            (Client::Vscode, _) => config.map(|c| c.join("Code").join("User").join("mcp.json")),
            (Client::Cursor, Scope::Project) => Some(PathBuf::from(".cursor/mcp.json")),
            (Client::Cursor, _) => user(".cursor/mcp.json"),
            (Client::Codex, Scope::Project) => Some(PathBuf::from(".codex/config.toml")),
            (Client::Codex, _) => codex_home.map(|c| c.join("config.toml")).or_else(|| user(".codex/config.toml")),
            (Client::Gemini, Scope::Project) => Some(PathBuf::from(".gemini/settings.json")),
            (Client::Gemini, _) => user(".gemini/settings.json"),
        }
    }

    /// The keys to the servers' object for `scope`; `cwd` is the project
    /// folder Claude Code's local scope is keyed by.
    pub fn keys(self, scope: Scope, cwd: &Path) -> Vec<String> {
        let servers = self.servers_key().to_string();
        match (self, scope) {
            (Client::ClaudeCode, Scope::Local) => vec!["projects".into(), cwd.display().to_string(), servers],
            _ => vec![servers],
        }
    }

    /// The command the client's own CLI offers for adding this entry, where it
    /// has one for `scope`, quoted for a POSIX shell.
    pub fn own_command(self, scope: Scope, name: &str, server: &Server) -> Option<String> {
        match (self, scope) {
            (Client::ClaudeCode, _) => {
                let scope = scope.flag();
                let mut words: Vec<String> =
                    ["claude", "mcp", "add", "--transport", "stdio", "--scope", &scope].map(str::to_string).into();
                for (k, v) in &server.env {
                    words.push("--env".into());
                    words.push(format!("{k}={v}"));
                }
                words.push(name.to_string());
                words.push("--".into());
                words.push(server.command.clone());
                words.extend(server.args.iter().cloned());
                Some(words.iter().map(|w| sh_word(w)).collect::<Vec<_>>().join(" "))
            }
            // --add-mcp adds to the user profile: there is no workspace form.
            (Client::Vscode, Scope::User) => {
                let mut json = serde_json::Map::new();
                json.insert("name".into(), name.into());
                if let serde_json::Value::Object(fields) = server.to_json(true) {
                    json.extend(fields);
                }
                let text = serde_json::to_string(&serde_json::Value::Object(json)).unwrap_or_default();
                Some(format!("code --add-mcp {}", quote_sh(&text)))
            }
            _ => None,
        }
    }
}

pub use crate::shell::sh_word;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_in_words() {
        let place = |keys: &[&str], format| Place {
            path: PathBuf::from("x"),
            format,
            keys: keys.iter().map(|k| k.to_string()).collect(),
        };
        assert_eq!(place(&["mcpServers"], Format::Json).keys_in_words(), "mcpServers");
        assert_eq!(
            place(&["projects", "/src/my app", "mcpServers"], Format::Json).keys_in_words(),
            "projects[\"/src/my app\"].mcpServers"
        );
        assert_eq!(place(&["mcp_servers"], Format::Toml).keys_in_words(), "[mcp_servers]");
    }
}
