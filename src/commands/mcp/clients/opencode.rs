//! OpenCode: `opencode.json` (or `.jsonc`) in `~/.config/opencode`, or in the project.
//!
//! - opencode.ai/docs/config (anomalyco/opencode
//!   `packages/web/src/content/docs/config.mdx`): the global file is
//!   `opencode.json` or `opencode.jsonc` in `$XDG_CONFIG_HOME/opencode`
//!   (`~/.config/opencode`, the XDG layout on every system); a project's is
//!   `opencode.json[c]` in the current folder or any folder above it. JSON
//!   with comments.
//! - opencode.ai/docs/mcp-servers: servers under `mcp`; a local one
//!   `{"type": "local", "command": [CMD, ARGS…], "environment": {…}}`, a
//!   remote one `{"type": "remote", "url"}`.
//! - `opencode mcp add NAME [--env K=V]… -- CMD ARGS…` and `opencode mcp add
//!   NAME --url URL` (1.18.33, run): with a name it asks nothing, and it
//!   always writes the global file: `opencode.json` when there is one, else
//!   `opencode.jsonc`, which it creates. `opencode mcp auth NAME` signs in.
//! - No approval step for a project's servers in 1.18.33 (run: `opencode
//!   mcp list` starts them as they are).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{Agent, Homes, Refusal, Scope, Shape, env_object, restart, user_scope_add};
use crate::commands::mcp::project::Project;

pub(crate) struct Opencode;
pub(crate) static OPENCODE: Opencode = Opencode;

/// The file in `dir` that is there, `opencode.json` first (as `opencode mcp
/// add` picks it), else `new`.
fn config_in(dir: &Path, new: &str) -> PathBuf {
    ["opencode.json", "opencode.jsonc"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .unwrap_or_else(|| dir.join(new))
}

impl Agent for Opencode {
    fn words(&self) -> &'static str {
        "OpenCode"
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        match scope {
            // A new project file gets the name the documentation shows.
            Scope::Project => Some(config_in(Path::new(""), "opencode.json")),
            // A new global one the name OpenCode's own command gives it.
            _ => Some(config_in(&homes.xdg_config_or_dot_config()?.join("opencode"), "opencode.jsonc")),
        }
    }

    fn servers_key(&self) -> &'static str {
        "mcp"
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        let mut object = Map::new();
        match shape {
            Shape::Local(server) => {
                object.insert("type".into(), "local".into());
                let command: Vec<String> = std::iter::once(&server.command).chain(&server.args).cloned().collect();
                object.insert("command".into(), command.into());
                if !server.env.is_empty() {
                    object.insert("environment".into(), env_object(server));
                }
            }
            Shape::Remote(url) => {
                object.insert("type".into(), "remote".into());
                object.insert("url".into(), url.into());
            }
        }
        Ok(Value::Object(object))
    }

    fn add_command(&self, scope: Scope, name: &str, shape: Shape) -> Option<String> {
        user_scope_add("opencode", scope, name, shape)
    }

    fn after_write(&self, _scope: Scope, name: &str, _project: &Project, shape: Shape) -> Vec<String> {
        let mut next = vec![restart("OpenCode")];
        if let Shape::Remote(_) = shape {
            next.push(format!("`opencode mcp auth {}` then signs in (Atlassian's OAuth).", super::sh_word(name)));
        }
        next
    }
}
