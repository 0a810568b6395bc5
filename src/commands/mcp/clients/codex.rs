//! Codex CLI: `$CODEX_HOME/config.toml` (`~/.codex`), or `.codex/config.toml` in a trusted project.
//!
//! - developers.openai.com/codex/mcp and /codex/environment-variables: the
//!   user file is `config.toml` in `$CODEX_HOME` (default `~/.codex`); a
//!   project's `.codex/config.toml` is read only in a trusted project
//!   (openai/codex PR 9533, "Only load config from trusted folders"; run: an
//!   untrusted project's servers are absent from `codex mcp list`, and
//!   `[projects."<main repository root>"] trust_level = "trusted"` in the
//!   user file makes them load, for a linked worktree too).
//! - openai/codex `codex-rs/config/src/mcp_types.rs`: a `[mcp_servers.NAME]`
//!   table, stdio `command`, `args`, an `env` table; remote (streamable
//!   HTTP) `url`. No `type` field.
//! - `codex mcp add NAME [--env K=V]… -- CMD ARGS…` and `codex mcp add NAME
//!   --url URL` (`codex-rs/cli/src/mcp_cmd.rs`; run): always into the user
//!   file, no scope; a name of letters, digits and `-_:@/.` only ("invalid
//!   server name"). `codex mcp login NAME` signs in to a remote server.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Format, Homes, Refusal, Scope, Shape, restart, stdio_entry, url_entry, user_scope_add};
use crate::commands::mcp::project::Project;
use crate::environment::{CODEX_HOME, Var};

pub struct Codex;
pub(crate) static CODEX: Codex = Codex;

impl Agent for Codex {
    fn words(&self) -> &'static str {
        "Codex CLI"
    }

    fn format(&self) -> Format {
        Format::Toml
    }

    fn variables(&self) -> &'static [Var] {
        &[CODEX_HOME]
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        match scope {
            Scope::Project => Some(PathBuf::from(".codex/config.toml")),
            _ => match homes.var(&CODEX_HOME) {
                Some(dir) => Some(dir.join("config.toml")),
                None => homes.in_home(".codex/config.toml"),
            },
        }
    }

    fn servers_key(&self) -> &'static str {
        "mcp_servers"
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, false),
            Shape::Remote(url) => url_entry(&[], url, &[]),
        })
    }

    fn add_command(&self, scope: Scope, name: &str, shape: Shape) -> Option<String> {
        user_scope_add("codex", scope, name, shape)
    }

    fn after_write(&self, scope: Scope, name: &str, project: &Project, shape: Shape) -> Vec<String> {
        let mut next = vec![restart("Codex CLI")];
        if scope == Scope::Project {
            let root = Value::String(project.root.display().to_string());
            next.push(format!(
                "Codex ignores .codex/config.toml in a project it does not trust: trust this one when codex asks, \
                 or add [projects.{root}] with trust_level = \"trusted\" to your own config.toml."
            ));
        }
        if let Shape::Remote(_) = shape {
            next.push(format!("`codex mcp login {}` then signs in (Atlassian's OAuth).", super::sh_word(name)));
        }
        next
    }

    fn check_name(&self, name: &str) -> Result<(), String> {
        let fits = |c: char| c.is_ascii_alphanumeric() || "-_:@/.".contains(c);
        if name.chars().all(fits) {
            Ok(())
        } else {
            Err("Codex CLI takes server names of letters, digits and - _ : @ / . only; give --name such a name".into())
        }
    }
}
