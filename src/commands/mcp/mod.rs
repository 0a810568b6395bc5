//! `trello-auth mcp CLIENT`: an AI agent's MCP server entry that runs the server through `trello-auth exec`, so no secret is written into the client's config, and that starts the way real clients start servers.
//!
//! Clients start a stdio server with a stripped environment (the official
//! SDKs keep only HOME, LOGNAME, PATH, SHELL, TERM and USER, plus the
//! entry's `env`) and often a short `PATH`. So the entry names every program
//! by absolute path, names the config file it was written from, and carries
//! in its `env.PATH` the directories the server command needs (`npx` is
//! `#!/usr/bin/env node`). The keyring's session bus is found without
//! `DBUS_SESSION_BUS_ADDRESS` by `credentials::keyring`.

pub mod agent;
pub(crate) mod clients;
mod edit;
mod entry;
pub(crate) mod pinned;
pub(crate) mod resolve;

use std::path::{Path, PathBuf};

pub use clients::{Client, Scope};

use super::env::Names;
use super::{CommandError, Context, Output};
use crate::files::{Backup, Dir, Mode, Replace};
use clients::{Format, Place};
use entry::{Entry, Request};
use resolve::shown;

/// `mcp`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Which client's config.
    #[arg(value_enum)]
    pub client: Client,
    /// The server command, quoted as in a POSIX shell (default: delorenj/mcp-server-trello, installed pinned).
    #[arg(long, value_name = "COMMAND ARGS")]
    pub server: Option<String>,
    /// The server's name in the config.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Whose file: user (your own, for every project), project (the project's,
    /// meant to be committed), local (Claude Code: your own, this folder only).
    #[arg(long, value_enum, default_value = "user")]
    pub scope: Scope,
    /// Variable names the server reads (see `env --help`); the default server reads the default
    /// names, so give --server with any other.
    #[arg(long, value_enum, default_value = "default", value_name = "PRESET")]
    pub names: Names,
    /// Merge into the client's file (its usual place for the scope, or --write=PATH).
    // `=` required: `mcp --write cursor` must read `cursor` as the client, not as a path.
    #[arg(long, value_name = "PATH", num_args = 0..=1, require_equals = true)]
    pub write: Option<Option<PathBuf>>,
    /// Write the key and token into the entry's env block (for clients that cannot run a wrapper).
    #[arg(long)]
    pub inline_secrets: bool,
    #[command(flatten)]
    pub reveal: super::reveal::Reveal,
    #[command(flatten, next_help_heading = "The agent's token")]
    pub token: agent::TokenArgs,
}

pub const AFTER_HELP: &str = "\
Prints (or, with --write, merges into the client's config file) a server entry
whose command is `trello-auth --config FILE exec --profile P -- SERVER`, so no
key or token is written into the client's config. SERVER defaults to
delorenj/mcp-server-trello (it reads TRELLO_API_KEY, TRELLO_TOKEN,
TRELLO_BOARD_ID), installed once at a pinned version into trello-auth's own
folder (`trello-auth mcp-server`; --write installs it) and run as node and its
script by absolute path: no project a client opens can swap it, as it can a
package npx, uvx or bunx resolve (a --server of theirs is warned about). Every
program is named by its absolute path, and the entry's env.PATH holds the
folders the server needs, since clients start servers with a short PATH and a
stripped environment. Without --write,
the client's own command for the same entry is shown too, where it has one.

Files (--scope user, the default / project):
  claude-code     ~/.claude.json mcpServers / .mcp.json (local: ~/.claude.json,
                  this folder's projects entry)
  claude-desktop  claude_desktop_config.json in Claude's config folder
  vscode          the user profile's mcp.json / .vscode/mcp.json
  cursor          ~/.cursor/mcp.json / .cursor/mcp.json
  codex           ~/.codex/config.toml ($CODEX_HOME) / .codex/config.toml
  gemini          ~/.gemini/settings.json / .gemini/settings.json
--write edits the file in place: comments, numbers, key order and other
servers stay as they were. It refuses a file it cannot parse or that holds a
key twice, keeps the old file as .bak (without the profile's key, token or
secret, and with anything shaped like one in the replaced entry redacted), and
writes atomically.

Examples:
  trello-auth mcp claude-code --write
  trello-auth mcp cursor --scope project --write
  trello-auth mcp codex --names api-token --server 'uvx mcp-server-trello'
  trello-auth mcp vscode --server 'node \"/opt/My Servers/trello.js\"' --name trello-dev
  trello-auth mcp claude-desktop --write";

/// The largest client file read: `~/.claude.json` keeps per-project history and grows.
const MAX_CLIENT_FILE: u64 = 64 * 1024 * 1024;

pub fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    args.client.check_scope(args.scope)?;
    if args.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(CommandError::Usage("--name is empty; name the server, e.g. --name trello".into()));
    }
    // A client shows the name in its lists and logs: no escape sequences or line breaks there.
    if args.name.as_deref().is_some_and(|n| n.chars().any(crate::untrusted::is_unsafe)) {
        return Err(CommandError::Usage("--name holds a control character; use letters, digits, - and _".into()));
    }
    let cwd =
        std::env::current_dir().map_err(|e| CommandError::Failed(format!("could not tell the current folder: {e}")))?;
    let request = Request {
        server: args.server.as_deref(),
        name: args.name.as_deref(),
        names: args.names,
        inline_secrets: args.inline_secrets,
        cwd: &cwd,
        install: args.write.is_some(),
    };
    let entry = entry::build(ctx, &request)?;
    let keys = args.client.keys(args.scope, &cwd);
    let typed = args.client.typed();
    let mut warnings = entry.warnings.clone();
    let Some(path) = &args.write else {
        if args.scope == Scope::Project {
            warnings.push(project_note(args, &entry, Path::new("the project's file")));
        }
        let printed = edit::merge(args.client.format(), None, &keys, &entry.name, &entry.server, typed, &[])
            .map_err(|e| CommandError::Failed(format!("could not build the entry: {e}")))?;
        // Not with --inline-secrets: a command line with the token would land in shell history.
        if !entry.inline
            && let Some(command) = args.client.own_command(args.scope, &entry.name, &entry.server)
        {
            ctx.say(&format!("or let {} add the same entry itself:\n  {command}", args.client.words()));
        }
        let output = match args.client.format() {
            Format::Json => Output::json(printed.text),
            Format::Toml => Output::text(printed.text),
        };
        if !entry.inline {
            return Ok(output.warn(warnings));
        }
        warnings.push(
            "--inline-secrets: this entry holds the key and token, and so will any file it is pasted into; keep that \
             file out of source control, and revoke the token if it leaks"
                .into(),
        );
        // The key names the app; the token is the secret.
        let token: Vec<&str> = entry.secrets.get(1).map(String::as_str).into_iter().collect();
        let for_real = format!("{} mcp {} --inline-secrets --write", ctx.invocation(), args.client.flag());
        let to = super::reveal::Destination::stdout();
        return Ok(super::reveal::credential(output.warn(warnings), &token, &for_real, args.reveal.reveal, &to));
    };
    let file = match path.clone() {
        Some(file) => file,
        None => default_file(args.client, args.scope).ok_or_else(|| {
            CommandError::Usage("no home or config folder is known here: give the file, --write=PATH".into())
        })?,
    };
    let place = Place { path: cwd.join(file), format: args.client.format(), keys };
    let written = write(&entry, &place, typed, &profile_secrets(ctx, &entry)?)?;
    if entry.inline {
        warnings.push(format!(
            "--inline-secrets: the key and token are now written into {}; keep it out of source control, and revoke \
             the token if it leaks",
            shown(&written.path)
        ));
    }
    if args.scope == Scope::Project {
        warnings.push(project_note(args, &entry, &written.path));
    }
    Ok(Output::text(said(&entry, &place, &written)).warn(warnings))
}

/// The client's file for `scope`, from the home and config folders.
fn default_file(client: Client, scope: Scope) -> Option<PathBuf> {
    let base = directories::BaseDirs::new();
    let codex_home = crate::environment::CODEX_HOME.get_os().map(PathBuf::from);
    client.default_file(
        scope,
        base.as_ref().map(|b| b.home_dir()),
        base.as_ref().map(|b| b.config_dir()),
        codex_home.as_deref(),
    )
}

/// A project file is shared; this entry is one person's.
fn project_note(args: &Args, entry: &Entry, file: &Path) -> String {
    format!(
        "{} is meant to be committed and shared, but this entry holds this machine's paths ({}, the config file) and \
         the profile name: keep it out of git, or have each person run `trello-auth mcp {} --scope project --write` \
         on their own machine",
        shown(file),
        crate::untrusted::line(&entry.server.command),
        args.client.flag()
    )
}

/// What `--write` did.
pub struct Written {
    pub path: PathBuf,
    pub backup: Option<PathBuf>,
    pub replaced: bool,
    pub created: Vec<String>,
    /// The file already held exactly this entry: nothing was written.
    pub unchanged: bool,
}

/// The profile's own key, token and API secret: the backup holds none of
/// them, wherever in the file they stand.
fn profile_secrets(ctx: &Context, entry: &Entry) -> Result<Vec<String>, CommandError> {
    let mut secrets = entry.secrets.clone();
    secrets.extend(ctx.api_secret(&ctx.stored()?)?.map(|s| s.expose().to_string()));
    Ok(secrets)
}

/// Merges the entry into the file at `place` through the one file writer:
/// a file that does not parse, or holds a key twice, is refused and left as
/// it is. The old file is kept as `.bak`, but without `secrets` anywhere in
/// it, without the values of the Trello variables the replaced entry held,
/// and without anything in the replaced entry shaped like a credential (a
/// `--token ATTA…` argument, a `Bearer` header, a `key=…&token=…` URL).
/// `--inline-secrets` files are 0600.
fn write(entry: &Entry, place: &Place, typed: bool, secrets: &[String]) -> Result<Written, CommandError> {
    let failed = |what: String| CommandError::Failed(format!("{}: {what}; it was left as it is", shown(&place.path)));
    let replace = Replace::begin(&place.path, MAX_CLIENT_FILE, Dir::Shared).map_err(|e| failed(e.to_string()))?;
    let old = replace.old.as_ref().map(|o| o.text.clone());
    let merged = edit::merge(place.format, old.as_deref(), &place.keys, &entry.name, &entry.server, typed, secrets)
        .map_err(|e| failed(e.to_string()))?;
    let backup = match merged.backup {
        Some(text) => Backup::Text(text),
        None => Backup::Previous,
    };
    // Written again as it is, the file would only trade its backup for a
    // copy of itself. An inline entry is written anyway: that makes it 0600.
    if old.as_deref() == Some(merged.text.as_str()) && !entry.inline {
        let path = place.path.clone();
        return Ok(Written { path, backup: None, replaced: true, created: Vec::new(), unchanged: true });
    }
    let mode = if entry.inline { Mode::Private } else { Mode::KeepOrShared };
    let written = replace.commit(merged.text.as_bytes(), mode, backup).map_err(|e| failed(e.to_string()))?;
    let (replaced, created) = (merged.replaced, merged.created);
    Ok(Written { path: written.path, backup: written.backup, replaced, created, unchanged: false })
}

/// [`edit::merge`] of a fixed entry (with a token in its `env`, as
/// `--inline-secrets` writes) into `old`, a client's file as TOML (Codex) or
/// JSON with comments: the text and the backup's text. The one way in for the
/// property tests and fuzz targets, which feed it any text.
#[doc(hidden)]
pub fn merge_any(
    toml: bool,
    old: &str,
    keys: &[String],
    name: &str,
    secrets: &[String],
) -> Result<(String, Option<String>), String> {
    let server = entry::Server {
        command: "/usr/local/bin/trello-auth".into(),
        args: ["exec", "--profile", "default", "--", "/usr/bin/npx", "-y", "@delorenj/mcp-server-trello"]
            .map(String::from)
            .to_vec(),
        env: secrets.iter().map(|s| ("TRELLO_TOKEN".to_string(), s.clone())).collect(),
    };
    let format = if toml { Format::Toml } else { Format::Json };
    let merged = edit::merge(format, Some(old), keys, name, &server, !toml, secrets).map_err(|e| e.to_string())?;
    Ok((merged.text, merged.backup))
}

/// Exactly what changed, in words.
fn said(entry: &Entry, place: &Place, written: &Written) -> String {
    let name = serde_json::Value::String(crate::untrusted::line(&entry.name).into_owned());
    let keys = crate::untrusted::line(&place.keys_in_words()).into_owned();
    let file = shown(&written.path);
    if written.unchanged {
        return format!("{file} already has this MCP server {name} under {keys}: nothing was changed.\n");
    }
    // The writer keeps a backup whenever there was a file.
    let Some(backup) = &written.backup else {
        return format!("Created {file} with the MCP server {name} under {keys}.\n");
    };
    let verb = if written.replaced { "Replaced" } else { "Added" };
    let mut text = format!("{verb} the MCP server {name} in {file}, under {keys}");
    if !written.created.is_empty() {
        let created: Vec<String> = written.created.iter().map(|k| crate::untrusted::line(k).into_owned()).collect();
        text.push_str(&format!(" (the file had no {}: added)", created.join(" → ")));
    }
    text.push_str(&format!(
        "; nothing else in the file changed, and the previous file is kept as {}.\n",
        shown(backup)
    ));
    text
}
