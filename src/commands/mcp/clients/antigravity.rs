//! Antigravity CLI (`agy`, Gemini CLI's successor): `.agents/mcp_config.json` in the workspace; no user scope.
//!
//! - Google's guide "Migrating to Antigravity CLI" (google-gemini/gemini-cli,
//!   `docs/resources/migrating-to-antigravity-cli.md`, branch
//!   `migration-guide`): MCP servers move out of `settings.json` into
//!   `mcp_config.json`, the workspace's in `.agents/`; servers under
//!   `mcpServers` as Gemini CLI's `{"command", "args", "env"}`, a remote one
//!   `{"serverUrl"}`. `/mcp` in `agy` shows the servers; `agy` asks to trust
//!   a workspace when it first opens it (gemini-cli
//!   `packages/core/src/skills/builtin/antigravity-support/SKILL.md`).
//! - The user's own file is not confirmed: that guide names
//!   `~/.gemini/antigravity-cli/mcp_config.json`, later guides (none of them
//!   Google's) `~/.gemini/config/mcp_config.json`. So `--scope user` is
//!   refused, naming both. `agy` is not on npm (its install script is on
//!   antigravity.google), so nothing here was run with it.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::{Agent, Homes, Refusal, Scope, Shape, stdio_entry};
use crate::commands::mcp::project::Project;

pub struct Antigravity;
pub(crate) static ANTIGRAVITY: Antigravity = Antigravity;

impl Agent for Antigravity {
    fn words(&self) -> &'static str {
        "Antigravity CLI"
    }

    fn scopes(&self) -> &'static [Scope] {
        &[Scope::Project]
    }

    fn refuse_scope(&self, _scope: Scope) -> String {
        "Antigravity CLI's own file for every project is not confirmed by Google's documentation (its migration guide \
         names ~/.gemini/antigravity-cli/mcp_config.json, later guides ~/.gemini/config/mcp_config.json): give \
         --scope project (.agents/mcp_config.json), or --scope project --write=PATH with the file `/mcp` in agy shows"
            .into()
    }

    fn file(&self, _scope: Scope, _homes: &Homes) -> Option<PathBuf> {
        Some(PathBuf::from(".agents/mcp_config.json"))
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, false),
            Shape::Remote(url) => Value::Object(Map::from_iter([("serverUrl".to_string(), Value::from(url))])),
        })
    }

    fn after_write(&self, _scope: Scope, _name: &str, _project: &Project, _shape: Shape) -> Vec<String> {
        vec![
            "Antigravity CLI reads mcp_config.json when it starts: restart agy (`/mcp` shows the server).".into(),
            "agy asks you to trust this workspace when it first opens it.".into(),
        ]
    }
}
