//! Windsurf (Cascade): `~/.codeium/windsurf/mcp_config.json`, for the user only.
//!
//! - docs.windsurf.com/windsurf/cascade/mcp: the file, servers under
//!   `mcpServers` as `{"command", "args", "env"}`; a remote server needs
//!   "a `serverUrl` or `url` field" (`serverUrl` is the one every build
//!   reads). Cascade's MCP panel refreshes the servers.
//! - No project file is documented (a `.windsurf/mcp_config.json` appears in
//!   one third-party tool only), so there is no project scope; nor is a
//!   command that adds a server.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::{Agent, Homes, Refusal, Scope, Shape, stdio_entry};
use crate::commands::mcp::project::Project;

pub(crate) struct Windsurf;
pub(crate) static WINDSURF: Windsurf = Windsurf;

impl Agent for Windsurf {
    fn words(&self) -> &'static str {
        "Windsurf"
    }

    fn scopes(&self) -> &'static [Scope] {
        &[Scope::User]
    }

    fn refuse_scope(&self, _scope: Scope) -> String {
        "Windsurf documents one MCP file, the user's ~/.codeium/windsurf/mcp_config.json, and no project file: leave \
         out --scope"
            .into()
    }

    fn file(&self, _scope: Scope, homes: &Homes) -> Option<PathBuf> {
        homes.in_home(".codeium/windsurf/mcp_config.json")
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, false),
            Shape::Remote(url) => Value::Object(Map::from_iter([("serverUrl".to_string(), Value::from(url))])),
        })
    }

    fn after_write(&self, _scope: Scope, _name: &str, _project: &Project, _shape: Shape) -> Vec<String> {
        vec!["Refresh the servers in Cascade's MCP panel (or restart Windsurf) to pick the entry up.".into()]
    }
}
