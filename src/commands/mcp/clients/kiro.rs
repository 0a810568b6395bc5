//! Kiro: `~/.kiro/settings/mcp.json`, or `.kiro/settings/mcp.json` in the workspace.
//!
//! - kiro.dev/docs/mcp/configuration and kiro.dev/docs/cli/mcp/configuration:
//!   both files, servers under `mcpServers`; a local one `{"command", "args",
//!   "env"}`, a remote one `{"url"}` (https, or http to localhost only).
//! - kiro.dev/docs/mcp/security: a `${VAR}` in a value is expanded only for
//!   variables the user approved; literal values, as written here, need no
//!   approval.
//! - `kiro-cli mcp add` exists, but its options are shown only by
//!   third-party guides that disagree on the scope's values: no command is
//!   printed. How a workspace is trusted in advance is not documented.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Homes, Refusal, Scope, Shape, restart, stdio_entry, url_entry};
use crate::commands::mcp::project::Project;

pub(crate) struct Kiro;
pub(crate) static KIRO: Kiro = Kiro;

impl Agent for Kiro {
    fn words(&self) -> &'static str {
        "Kiro"
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        match scope {
            Scope::Project => Some(PathBuf::from(".kiro/settings/mcp.json")),
            _ => homes.in_home(".kiro/settings/mcp.json"),
        }
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, false),
            Shape::Remote(url) => url_entry(&[], url, &[]),
        })
    }

    fn after_write(&self, _scope: Scope, _name: &str, _project: &Project, _shape: Shape) -> Vec<String> {
        vec![restart("Kiro")]
    }
}
