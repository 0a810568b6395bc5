//! Cursor: `~/.cursor/mcp.json`, or `.cursor/mcp.json` in the project.
//!
//! - cursor.com/docs/mcp ("Model Context Protocol"): both files, servers
//!   under `mcpServers`; a stdio entry `{"command", "args", "env"}`, a remote
//!   one `{"url"}` (Cursor picks streamable HTTP or SSE itself).
//! - cursor.com/docs/cli/mcp: a project's servers need the user's approval
//!   (`--approve-mcps` for a headless run). Cursor's documented commands
//!   (`agent mcp list`, `enable`, `disable`, `login`) add nothing: the file
//!   is the way.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Homes, Refusal, Scope, Shape, restart, stdio_entry, url_entry};
use crate::commands::mcp::project::Project;

pub struct Cursor;
pub(crate) static CURSOR: Cursor = Cursor;

impl Agent for Cursor {
    fn words(&self) -> &'static str {
        "Cursor"
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        match scope {
            Scope::Project => Some(PathBuf::from(".cursor/mcp.json")),
            _ => homes.in_home(".cursor/mcp.json"),
        }
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, false),
            Shape::Remote(url) => url_entry(&[], url, &[]),
        })
    }

    fn after_write(&self, scope: Scope, _name: &str, _project: &Project, _shape: Shape) -> Vec<String> {
        let mut next = vec![restart("Cursor")];
        if scope == Scope::Project {
            next.push("Cursor asks you to approve a project's servers before it starts them.".into());
        }
        next
    }
}
