//! Claude Desktop: one file, `claude_desktop_config.json`, for the user.
//!
//! - modelcontextprotocol.io/docs/develop/connect-local-servers: the file is
//!   in `~/Library/Application Support/Claude` (macOS) or `%APPDATA%\Claude`
//!   (Windows), servers under `mcpServers` as `{"command", "args", "env"}`;
//!   Claude Desktop reads it when it starts. There is no official Linux
//!   build: the XDG config folder stands in.
//! - On Windows the installer from claude.ai (since February 2026) and the
//!   Microsoft Store install a packaged (MSIX) app, `Claude_<publisher id>`
//!   (`Claude_pzs8sxrjxfjjc`), whose file system is virtualized: it reads
//!   `%LOCALAPPDATA%\Packages\Claude_…\LocalCache\Roaming\Claude\claude_desktop_config.json`
//!   and never `%APPDATA%\Claude`, though its own "Edit Config" opens the
//!   latter (anthropics/claude-code#26073; akitaonrails/ai-memory#250,
//!   checked on a packaged build 1.24012.1.0 with `Get-AppxPackage`). So
//!   when a `Claude_*` package folder is there, its file is the one written,
//!   even if `%APPDATA%\Claude` has a file too (left over from an older,
//!   unpackaged install, which is the only one that reads it); of several
//!   packages, the one that already has a config file, else the first by
//!   name. Without a package folder, `%APPDATA%\Claude`.
//! - modelcontextprotocol.io/docs/develop/connect-remote-servers and
//!   support.anthropic.com "Getting started with custom connectors using
//!   remote MCP": a remote server is added as a custom connector in
//!   Settings → Connectors, not in the file, which has no remote shape.

use std::path::{Path, PathBuf};

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
        if cfg!(windows)
            && let Some(packaged) = homes.local_data.as_deref().and_then(packaged_file)
        {
            return Some(packaged);
        }
        homes.config.as_ref().map(|c| c.join("Claude").join(FILE))
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
        let mut steps = vec![
            "Claude Desktop reads this file when it starts: quit it fully (not only its window) and start it again."
                .into(),
        ];
        if cfg!(windows) {
            steps.push(
                "A packaged Claude Desktop (the claude.ai installer since February 2026, or the Microsoft Store) reads \
                 only the file in its package folder, %LOCALAPPDATA%\\Packages\\Claude_…\\LocalCache\\Roaming\\Claude, \
                 which is written when that folder is there; an unpackaged one reads %APPDATA%\\Claude."
                    .into(),
            );
        }
        steps
    }
}

const FILE: &str = "claude_desktop_config.json";

/// The packaged (MSIX) app's file under `local_data` (`%LOCALAPPDATA%`), when
/// a `Claude_*` package folder is there: of several, the one whose file
/// exists, else the first by name.
fn packaged_file(local_data: &Path) -> Option<PathBuf> {
    let mut packages: Vec<PathBuf> = std::fs::read_dir(local_data.join("Packages"))
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_str().is_some_and(|n| n.starts_with("Claude_")))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.path().join("LocalCache").join("Roaming").join("Claude").join(FILE))
        .collect();
    packages.sort();
    let existing = packages.iter().position(|file| file.is_file());
    existing.or((!packages.is_empty()).then_some(0)).map(|i| packages.swap_remove(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_folder_wins_and_of_several_the_one_with_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let local = dir.path();
        assert_eq!(packaged_file(local), None, "no Packages folder");
        std::fs::create_dir_all(local.join("Packages/ClaudeOther_x")).unwrap();
        std::fs::create_dir_all(local.join("Packages/Microsoft.Foo_8wekyb3d8bbwe")).unwrap();
        assert_eq!(packaged_file(local), None, "no Claude_ package");
        std::fs::create_dir_all(local.join("Packages/Claude_pzs8sxrjxfjjc")).unwrap();
        let packaged = local.join("Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude").join(FILE);
        assert_eq!(packaged_file(local), Some(packaged));
        std::fs::create_dir_all(local.join("Packages/Claude_zzz/LocalCache/Roaming/Claude")).unwrap();
        let second = local.join("Packages/Claude_zzz/LocalCache/Roaming/Claude").join(FILE);
        std::fs::write(&second, "{}").unwrap();
        assert_eq!(packaged_file(local), Some(second), "the package that has a file");
    }
}
