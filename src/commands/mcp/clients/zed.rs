//! Zed: `context_servers` in its `settings.json`, or in `.zed/settings.json` in the project.
//!
//! - zed.dev/docs/ai/mcp: servers under `context_servers`, a local one
//!   `{"command", "args", "env"}`, a remote one `{"url", "headers"}`.
//! - zed-industries/zed `crates/settings` (`ContextServerSettingsContent`,
//!   untagged: `Stdio` with `command`, `args: Vec<String>` (so always
//!   written), `env`; `Http` with `url`): the shapes above; settings are read
//!   as JSON with comments and trailing commas.
//! - `crates/paths/src/paths.rs`: the config folder is
//!   `$FLATPAK_XDG_CONFIG_HOME/zed` under Flatpak, else
//!   `${XDG_CONFIG_HOME:-~/.config}/zed` on Linux, `~/.config/zed` on macOS,
//!   `%APPDATA%\Zed` on Windows.
//! - zed.dev/docs/worktree-trust: a project opens in Restricted Mode, and
//!   its `.zed/settings.json` servers start only once it is trusted; the
//!   user's own servers start regardless. No command adds a server.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Homes, Refusal, Scope, Shape, restart, stdio_entry, url_entry};
use crate::commands::mcp::project::Project;
use crate::environment::{FLATPAK_XDG_CONFIG_HOME, Var};

pub struct Zed;
pub(crate) static ZED: Zed = Zed;

impl Agent for Zed {
    fn words(&self) -> &'static str {
        "Zed"
    }

    fn variables(&self) -> &'static [Var] {
        &[FLATPAK_XDG_CONFIG_HOME]
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        if scope == Scope::Project {
            return Some(PathBuf::from(".zed/settings.json"));
        }
        let config = if cfg!(target_os = "macos") {
            homes.in_home(".config")?
        } else if cfg!(windows) {
            // `%APPDATA%\Zed`, its folder capitalized there.
            return Some(homes.config.as_ref()?.join("Zed").join("settings.json"));
        } else if let Some(flatpak) = homes.var(&FLATPAK_XDG_CONFIG_HOME) {
            flatpak.to_path_buf()
        } else {
            homes.xdg_config_or_dot_config()?
        };
        Some(config.join("zed").join("settings.json"))
    }

    fn servers_key(&self) -> &'static str {
        "context_servers"
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, false),
            Shape::Remote(url) => url_entry(&[], url, &[]),
        })
    }

    fn after_write(&self, scope: Scope, _name: &str, _project: &Project, _shape: Shape) -> Vec<String> {
        let mut next = vec![restart("Zed")];
        if scope == Scope::Project {
            next.push(
                "Zed opens a project in Restricted Mode and starts the servers of its .zed/settings.json only once \
                 you trust it (the Restricted Mode button in the title bar)."
                    .into(),
            );
        }
        next
    }
}
