//! Gemini CLI: `~/.gemini/settings.json` (`$GEMINI_CLI_HOME/.gemini`), or `.gemini/settings.json` in the project.
//!
//! - google-gemini/gemini-cli `docs/tools/mcp-server.md`,
//!   `docs/reference/configuration.md`: both files, servers under
//!   `mcpServers` as `{"command", "args", "env"}`; a remote one `{"url",
//!   "type": "http"}` (`packages/core/src/tools/mcp-client.ts`; `httpUrl` is
//!   deprecated). Comments are allowed, trailing commas are not (run).
//! - `packages/core/src/utils/paths.ts` and the configuration docs: the home
//!   is `$GEMINI_CLI_HOME` when set (run: `$GEMINI_CLI_HOME/.gemini/`).
//! - `docs/cli/trusted-folders.md` and (run) 0.61.0: in a folder it does not
//!   trust, Gemini CLI disables every MCP server, the user's own included;
//!   `/permissions trust [DIR]` trusts one (0.61.0's own help).
//! - `gemini mcp add [-s user|project] [-t T] NAME CMD [-- ARGS…]`
//!   (`packages/cli/src/commands/mcp/add.ts`; run): `-e K=V` is cut at a
//!   second `=` (`split('=')`), a `--` among the arguments is dropped unless
//!   one comes right after the command, and arguments that look like its own
//!   options are taken as options; so the arguments follow `CMD --`, and no
//!   command is printed for a value holding `=`. `/mcp auth NAME` signs in.

use std::path::PathBuf;

use serde_json::Value;

use super::{Agent, Homes, Refusal, Scope, Shape, env_words, restart, shell_line, stdio_entry, url_entry};
use crate::commands::mcp::project::Project;
use crate::environment::{GEMINI_CLI_HOME, Var};

pub struct Gemini;
pub(crate) static GEMINI: Gemini = Gemini;

impl Agent for Gemini {
    fn words(&self) -> &'static str {
        "Gemini CLI"
    }

    fn variables(&self) -> &'static [Var] {
        &[GEMINI_CLI_HOME]
    }

    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        match scope {
            Scope::Project => Some(PathBuf::from(".gemini/settings.json")),
            _ => match homes.var(&GEMINI_CLI_HOME) {
                Some(dir) => Some(dir.join(".gemini/settings.json")),
                None => homes.in_home(".gemini/settings.json"),
            },
        }
    }

    fn entry(&self, shape: Shape) -> Result<Value, Refusal> {
        Ok(match shape {
            Shape::Local(server) => stdio_entry(server, false),
            Shape::Remote(url) => url_entry(&[], url, &[("type", "http")]),
        })
    }

    fn add_command(&self, scope: Scope, name: &str, shape: Shape) -> Option<String> {
        let mut words: Vec<String> = ["gemini", "mcp", "add", "--scope", &scope.flag()].map(str::to_string).into();
        match shape {
            Shape::Local(server) => {
                if server.env.iter().any(|(_, v)| v.contains('=')) {
                    return None;
                }
                words.push(name.to_string());
                words.extend(env_words("--env", server));
                words.push(server.command.clone());
                if !server.args.is_empty() {
                    words.push("--".into());
                    words.extend(server.args.iter().cloned());
                }
            }
            Shape::Remote(url) => words.extend(["--transport".into(), "http".into(), name.into(), url.into()]),
        }
        Some(shell_line(&words))
    }

    fn after_write(&self, scope: Scope, name: &str, _project: &Project, shape: Shape) -> Vec<String> {
        let folder = if scope == Scope::Project { "this folder" } else { "each folder you use it in" };
        let mut next = vec![
            restart("Gemini CLI"),
            format!(
                "Gemini CLI disables every MCP server, your own included, in a folder it does not trust: trust \
                 {folder} when it asks (or with `/permissions trust` in Gemini CLI)."
            ),
        ];
        if let Shape::Remote(_) = shape {
            next.push(format!("`/mcp auth {name}` in Gemini CLI then signs in (Atlassian's OAuth)."));
        }
        next
    }
}
