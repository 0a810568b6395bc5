//! VS Code: the user profile's `mcp.json`, or `.vscode/mcp.json` in the workspace.
//!
//! - code.visualstudio.com/docs/copilot/reference/mcp-configuration: servers
//!   under `servers`; a stdio entry `{"type": "stdio", "command", "args",
//!   "env"}` (`type` is required), a remote one `{"type": "http", "url"}`;
//!   JSON with comments. VS Code asks the user to trust a server the first
//!   time it starts it ("MCP: Reset Trust" asks again).
//! - The user profile's folder (microsoft/vscode
//!   `src/vs/platform/environment/node/userDataPath.ts`):
//!   `$VSCODE_PORTABLE/user-data` for a portable install, else
//!   `$VSCODE_APPDATA/Code`, else `~/.config/Code` (Linux, or
//!   `$XDG_CONFIG_HOME/Code`), `~/Library/Application Support/Code` (macOS),
//!   `%APPDATA%\Code` (Windows); the default profile's file is
//!   `User/mcp.json` there (`userDataProfile.ts`). Another profile keeps its
//!   own under `User/profiles/…`: `--write=PATH` or `code --add-mcp`.
//! - `code --add-mcp '{json}'` (`argv.ts`, `mcpManagementCli.ts`) adds a
//!   server, the JSON's `name` and the entry's fields, to the user profile;
//!   there is no workspace form.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Homes, Refusal, Scope, Shape, restart, stdio_entry, url_entry};
use crate::commands::env::quote_sh;
use crate::commands::mcp::project::Project;
use crate::environment::{VSCODE_APPDATA, VSCODE_PORTABLE, Var};

pub(crate) struct Vscode;
pub(crate) static VSCODE: Vscode = Vscode;

impl Agent for Vscode {
    fn words(&self) -> &'static str {
        "VS Code"
    }

    fn variables(&self) -> &'static [Var] {
        &[VSCODE_PORTABLE, VSCODE_APPDATA]
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        if scope == Scope::Project {
            return Some(PathBuf::from(".vscode/mcp.json"));
        }
        let user_data = match (homes.var(&VSCODE_PORTABLE), homes.var(&VSCODE_APPDATA)) {
            (Some(portable), _) => portable.join("user-data"),
            (None, Some(appdata)) => appdata.join("Code"),
            (None, None) => homes.config.as_ref()?.join("Code"),
        };
        Some(user_data.join("User").join("mcp.json"))
    }

    fn servers_key(&self) -> &'static str {
        "servers"
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, true),
            Shape::Remote(url) => url_entry(&[("type", "http")], url, &[]),
        })
    }

    fn add_command(&self, scope: Scope, name: &str, shape: Shape) -> Option<String> {
        if scope != Scope::User {
            return None;
        }
        let mut json = serde_json::Map::new();
        json.insert("name".into(), name.into());
        if let Ok(Value::Object(fields)) = self.entry(shape) {
            json.extend(fields);
        }
        let text = serde_json::to_string(&Value::Object(json)).ok()?;
        Some(format!("code --add-mcp {}", quote_sh(&text)))
    }

    fn after_write(&self, _scope: Scope, _name: &str, _project: &Project, _shape: Shape) -> Vec<String> {
        vec![
            restart("VS Code"),
            "VS Code asks you to trust the server the first time it starts it (\"MCP: List Servers\" shows it).".into(),
        ]
    }
}
