//! Claude Desktop: one file, `claude_desktop_config.json`, for the user.
//!
//! - modelcontextprotocol.io/docs/develop/connect-local-servers: the file is
//!   in `~/Library/Application Support/Claude` (macOS) or `%APPDATA%\Claude`
//!   (Windows), servers under `mcpServers` as `{"command", "args", "env"}`;
//!   Claude Desktop reads it when it starts. There is no official Linux
//!   build: the XDG config folder stands in.
//! - modelcontextprotocol.io/docs/develop/connect-remote-servers and
//!   support.anthropic.com "Getting started with custom connectors using
//!   remote MCP": a remote server is added as a custom connector in
//!   Settings → Connectors, not in the file, which has no remote shape.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Homes, Refusal, Scope, Shape, stdio_entry};
use crate::commands::mcp::project::Project;

pub(crate) struct ClaudeDesktop;
pub(crate) static CLAUDE_DESKTOP: ClaudeDesktop = ClaudeDesktop;

impl Agent for ClaudeDesktop {
    fn words(&self) -> &'static str {
        "Claude Desktop"
    }

    fn scopes(&self) -> &'static [Scope] {
        &[Scope::User]
    }

    fn refuse_scope(&self, _scope: Scope) -> String {
        "Claude Desktop has one config file, for the user: leave out --scope (or give --scope user)".into()
    }

    fn file(&self, _scope: Scope, homes: &Homes) -> Option<PathBuf> {
        homes.config.as_ref().map(|c| c.join("Claude").join("claude_desktop_config.json"))
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        match shape {
            Shape::Local(server) => Ok(stdio_entry(server, false)),
            Shape::Remote(url) => Err(format!(
                "Claude Desktop's config file has no shape for a remote server: add it in Claude Desktop instead, \
                 under Settings → Connectors → Add custom connector, with the URL {url}"
            )),
        }
    }

    fn after_write(&self, _scope: Scope, _name: &str, _project: &Project, _shape: Shape) -> Vec<String> {
        vec![
            "Claude Desktop reads this file when it starts: quit it fully (not only its window) and start it again."
                .into(),
        ]
    }
}
