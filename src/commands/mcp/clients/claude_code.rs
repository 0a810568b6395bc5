//! Claude Code: `~/.claude.json` (user scope, and local scope under the project's key) and `.mcp.json` (project scope).
//!
//! - code.claude.com/docs/en/mcp, "MCP installation scopes": user scope is
//!   the top-level `mcpServers` of `~/.claude.json`, local scope the same
//!   file's `projects["<project>"].mcpServers`, project scope `.mcp.json` in
//!   the project; a project's servers wait for the user's approval.
//! - code.claude.com/docs/en/claude-directory: with `CLAUDE_CONFIG_DIR` set,
//!   every `~/.claude` path lives under it; and (run) Claude Code then reads
//!   and writes `$CLAUDE_CONFIG_DIR/.claude.json`, nothing in the home folder.
//! - The local scope's key (run, `claude mcp add --scope local` from a
//!   repository's subfolder, a linked worktree, a submodule, a folder reached
//!   through a link, and no repository): the real path of the main
//!   repository's root, else of the current folder (`Project::root`).
//! - Entries (run, as `claude mcp add` writes them): `{"type": "stdio",
//!   "command", "args", "env"}`, and a remote one `{"type": "http", "url"}`.
//! - `claude mcp add [--scope S] [--transport T] NAME [-e K=V…] -- CMD
//!   ARGS…` (`claude mcp add --help`): `-e/--env` takes every value up to the
//!   next option, so a name after it is read as a variable ("Invalid
//!   environment variable format: trello", exit 1): the name goes first.
//! - Both files are strict JSON (run): with a comment in `~/.claude.json`
//!   Claude Code moves it aside as corrupted, so nothing here writes one.
//! - Approval (run): `claude mcp list` shows a `.mcp.json` server as
//!   "Pending approval" until the project is trusted or the server enabled
//!   in the user's settings. A running session writes its own copy of
//!   `~/.claude.json` back (seen in issue 26's trial), which can drop an
//!   entry written meanwhile.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Homes, Refusal, Scope, Shape, env_words, shell_line, stdio_entry, url_entry};
use crate::commands::mcp::project::Project;
use crate::environment::{CLAUDE_CONFIG_DIR, Var};

pub(crate) struct ClaudeCode;
pub(crate) static CLAUDE_CODE: ClaudeCode = ClaudeCode;

impl Agent for ClaudeCode {
    fn words(&self) -> &'static str {
        "Claude Code"
    }

    fn scopes(&self) -> &'static [Scope] {
        &[Scope::User, Scope::Project, Scope::Local]
    }

    fn variables(&self) -> &'static [Var] {
        &[CLAUDE_CONFIG_DIR]
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        match scope {
            Scope::Project => Some(PathBuf::from(".mcp.json")),
            Scope::User | Scope::Local => match homes.var(&CLAUDE_CONFIG_DIR) {
                Some(dir) => Some(dir.join(".claude.json")),
                None => homes.in_home(".claude.json"),
            },
        }
    }

    fn keys(&self, scope: Scope, project: &Project) -> Vec<String> {
        let servers = self.servers_key().to_string();
        match scope {
            Scope::Local => vec!["projects".into(), project.root.display().to_string(), servers],
            _ => vec![servers],
        }
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, true),
            Shape::Remote(url) => url_entry(&[("type", "http")], url, &[]),
        })
    }

    fn add_command(&self, scope: Scope, name: &str, shape: Shape) -> Option<String> {
        let mut words: Vec<String> = ["claude", "mcp", "add", "--scope", &scope.flag()].map(str::to_string).into();
        match shape {
            Shape::Local(server) => {
                words.extend(["--transport".into(), "stdio".into(), name.to_string()]);
                words.extend(env_words("--env", server));
                words.push("--".into());
                words.push(server.command.clone());
                words.extend(server.args.iter().cloned());
            }
            Shape::Remote(url) => words.extend(["--transport".into(), "http".into(), name.into(), url.into()]),
        }
        Some(shell_line(&words))
    }

    fn after_write(&self, scope: Scope, name: &str, _project: &Project, shape: Shape) -> Vec<String> {
        let (quoted, word) = (Value::String(name.to_string()), super::sh_word(name));
        let mut next = Vec::new();
        if scope == Scope::Project {
            next.push(format!(
                "Claude Code holds a server from .mcp.json as pending approval: start `claude` in this folder and \
                 approve {quoted} (`claude mcp list` shows it pending until then)."
            ));
        } else {
            next.push(
                "Claude Code reads this file when a session starts: start a new one (`/mcp` lists the server).".into(),
            );
            next.push(format!(
                "Claude Code rewrites this file while it runs: if a session was open, check with `claude mcp get \
                 {word}` that the entry is still there, and write again with Claude Code closed if it is not."
            ));
        }
        if let Shape::Remote(_) = shape {
            next.push(format!("In Claude Code, `/mcp` then signs in to {quoted} (Atlassian's OAuth)."));
        }
        next
    }
}
