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
mod official;
pub(crate) mod pinned;
mod project;
pub(crate) mod resolve;

use std::path::{Path, PathBuf};

pub use clients::{Client, Scope};

use super::env::Names;
use super::{CommandError, Context, Output};
use crate::files::{Dir, Mode, Replace};
use clients::{Format, Homes, Place, Shape};
use edit::Change;
use entry::{Entry, Request};
use project::Project;
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
    /// meant to be committed), local (Claude Code: your own, this repository only).
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
    /// Atlassian's official remote Trello server instead (https://mcp.trello.com/v1), named trello-official:
    /// the client signs in with OAuth, and no key or token is involved.
    #[arg(long, conflicts_with_all = ["server", "names", "inline_secrets", "own_token", "shared_token"])]
    pub official: bool,
}

pub(crate) const AFTER_HELP: &str = "\
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
stripped environment. Without --write it first names the file the entry goes
in, then the client's own command for the same entry, where it has one; with
--write it says what the client needs before the entry works (a restart, an
approval, trusting the folder).

--official writes Atlassian's remote Trello server (https://mcp.trello.com/v1)
in the client's own shape, as trello-official: the client signs you in with
OAuth and no key or token is kept here, but a connection reaches one
workspace, and it has no comments, attachments or custom fields yet; it can
sit beside the local trello server.

Files (--scope user, the default / project):
  claude-code     ~/.claude.json ($CLAUDE_CONFIG_DIR) / .mcp.json (local: the
                  same file, under the repository root's projects entry)
  claude-desktop  claude_desktop_config.json in Claude's config folder
  vscode          the user profile's mcp.json / .vscode/mcp.json
  cursor          ~/.cursor/mcp.json / .cursor/mcp.json
  codex           ~/.codex/config.toml ($CODEX_HOME) / .codex/config.toml
  gemini          ~/.gemini/settings.json ($GEMINI_CLI_HOME) /
                  .gemini/settings.json
  windsurf        ~/.codeium/windsurf/mcp_config.json (user only)
  zed             ~/.config/zed/settings.json / .zed/settings.json
  opencode        ~/.config/opencode/opencode.json[c] / opencode.json
  kiro            ~/.kiro/settings/mcp.json / .kiro/settings/mcp.json
  antigravity     .agents/mcp_config.json (project only)
--write edits the file in place: comments, numbers, key order and other
servers stay as they were, and a large file is never parsed whole. It refuses
a file it cannot parse or that holds a key twice, a project's file that leads
out of the project through a link, and trello-auth's own config file; keeps
the old file as .bak (without the profile's key, token or secret, and with
anything shaped like one in the replaced entry redacted); creates a new file
0600; and writes atomically.

Examples:
  trello-auth mcp claude-code --write
  trello-auth mcp cursor --scope project --write
  trello-auth mcp claude-code --official --write
  trello-auth mcp zed --scope project --write
  trello-auth mcp codex --names api-token --server 'uvx mcp-server-trello'
  trello-auth mcp vscode --server 'node \"/opt/My Servers/trello.js\"' --name trello-dev
  trello-auth mcp claude-desktop --write";

/// The largest JSON client file of the user's own read: `~/.claude.json`
/// keeps per-project history and grows; it is edited in bounded memory
/// (`edit`): the file, its longest string with an escape in it, and a little.
const MAX_CLIENT_FILE: u64 = 64 * 1024 * 1024;
/// The largest project file read: a project's file is the project's to
/// choose, and a real one is small; this keeps an edit of one built to be
/// expensive (one string of escapes as long as the file) under 100 MiB.
const MAX_PROJECT_FILE: u64 = 32 * 1024 * 1024;
/// The largest TOML file read: Codex's config is small, and `toml_edit` holds
/// the whole document.
const MAX_TOML_FILE: u64 = 1024 * 1024;

/// How much of the file `--write` reads, by its format and whose it is.
fn read_limit(format: Format, scope: Scope) -> u64 {
    match (format, scope) {
        (Format::Toml, _) => MAX_TOML_FILE,
        (Format::Json, Scope::Project) => MAX_PROJECT_FILE,
        (Format::Json, _) => MAX_CLIENT_FILE,
    }
}

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    args.client.check_scope(args.scope)?;
    if args.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(CommandError::Usage("--name is empty; name the server, e.g. --name trello".into()));
    }
    // A client shows the name in its lists and logs: no escape sequences or line breaks there.
    if args.name.as_deref().is_some_and(|n| n.chars().any(crate::untrusted::is_unsafe)) {
        return Err(CommandError::Usage("--name holds a control character; use letters, digits, - and _".into()));
    }
    check_name(args)?;
    let cwd =
        std::env::current_dir().map_err(|e| CommandError::Failed(format!("could not tell the current folder: {e}")))?;
    if args.official {
        return official::run(ctx, args, &cwd);
    }
    let request = Request {
        server: args.server.as_deref(),
        name: args.name.as_deref(),
        names: args.names,
        inline_secrets: args.inline_secrets,
        cwd: &cwd,
        install: args.write.is_some(),
    };
    let entry = entry::build(ctx, &request)?;
    let mut delivery = Delivery {
        name: &entry.name,
        shape: Shape::Local(&entry.server),
        inline: entry.inline,
        note: None,
        warnings: entry.warnings.clone(),
        secrets: Vec::new(),
    };
    if args.write.is_some() {
        delivery.secrets = profile_secrets(ctx, &entry)?;
    }
    let said = deliver(ctx, args, &cwd, delivery)?;
    if !entry.inline || said.written.is_some() {
        return Ok(said.output);
    }
    let warnings = ["--inline-secrets: this entry holds the key and token, and so will any file it is pasted into; \
                     keep that file out of source control, and revoke the token if it leaks"
        .to_string()];
    // The key names the app; the token is the secret.
    let token: Vec<&str> = entry.secrets.get(1).map(String::as_str).into_iter().collect();
    let for_real = format!("{} mcp {} --inline-secrets --write", ctx.invocation(), args.client.flag());
    let to = super::reveal::Destination::stdout();
    Ok(super::reveal::credential(said.output.warn(warnings), &token, &for_real, args.reveal.reveal, &to))
}

/// A server name the clients' own commands would read as an option, or
/// one the chosen client's tools refuse.
fn check_name(args: &Args) -> Result<(), CommandError> {
    let Some(name) = args.name.as_deref() else { return Ok(()) };
    if name.starts_with('-') {
        return Err(CommandError::Usage(
            "--name starts with -, which the clients' own commands read as an option; start it with a letter".into(),
        ));
    }
    args.client.check_name(name)
}

/// What goes into the client's file, and what to say with it.
struct Delivery<'a> {
    name: &'a str,
    shape: Shape<'a>,
    /// The entry holds the key and token (`--inline-secrets`).
    inline: bool,
    /// Said once, after the file is named (`--official`'s trade-offs).
    note: Option<&'static str>,
    warnings: Vec<String>,
    /// The profile's own key, token and API secret: no backup keeps them.
    secrets: Vec<String>,
}

/// What [`deliver`] did.
struct Delivered {
    output: Output,
    written: Option<Written>,
}

/// Prints the entry (saying first which file it goes in, then the client's
/// own command for it), or with `--write` merges it into that file and says
/// what the client needs before it works.
fn deliver(ctx: &Context, args: &Args, cwd: &Path, delivery: Delivery) -> Result<Delivered, CommandError> {
    let client = args.client;
    let project = Project::find(cwd);
    let keys = client.keys(args.scope, &project);
    let value = client.entry(delivery.shape).map_err(CommandError::Usage)?;
    let homes = Homes::here();
    let mut warnings = delivery.warnings;
    let local = matches!(delivery.shape, Shape::Local(_));
    let Some(path) = &args.write else {
        let file = client.default_file(args.scope, &homes).map(|f| cwd.join(f));
        let keys_said = clients::keys_in_words(client.format(), &keys);
        match &file {
            Some(file) => ctx.say(&format!(
                "the entry below goes in {}, under {keys_said} (`--write` merges it there):",
                shown(file)
            )),
            None => ctx.say(&format!(
                "the entry below goes in {}'s own file, under {keys_said}; no home folder is known here to name it",
                client.words()
            )),
        }
        // Not with --inline-secrets: a command line with the token would land in shell history.
        if !delivery.inline
            && let Some(command) = client.add_command(args.scope, delivery.name, delivery.shape)
        {
            ctx.say(&format!("or let {} add the same entry itself:\n  {command}", client.words()));
        }
        if let Some(note) = delivery.note {
            ctx.say(note);
        }
        if args.scope == Scope::Project && local {
            warnings.push(project_note(args, &value, Path::new("the project's file")));
        }
        let change = Change { keys: &keys, name: delivery.name, entry: &value, secrets: &[] };
        let printed = edit::merge(client.format(), None, &change)
            .map_err(|e| CommandError::Failed(format!("could not build the entry: {e}")))?;
        let output = match client.format() {
            Format::Json => Output::json(printed.text()),
            Format::Toml => Output::text(printed.text()),
        };
        return Ok(Delivered { output: output.warn(warnings), written: None });
    };
    let file = match path.clone() {
        Some(file) => file,
        None => client.default_file(args.scope, &homes).ok_or_else(|| {
            CommandError::Usage("no home or config folder is known here: give the file, --write=PATH".into())
        })?,
    };
    let place = Place { path: cwd.join(&file), format: client.format(), keys };
    guard(ctx, args, &place.path, &project)?;
    if let Some(note) = delivery.note {
        ctx.say(note);
    }
    let limit = read_limit(client.format(), args.scope);
    let written = write(&place, limit, delivery.name, &value, &delivery.secrets, delivery.inline)?;
    if delivery.inline {
        warnings.push(format!(
            "--inline-secrets: the key and token are now written into {}; keep it out of source control, and revoke \
             the token if it leaks",
            shown(&written.path)
        ));
    }
    if args.scope == Scope::Project && local {
        warnings.push(project_note(args, &value, &written.path));
    }
    let mut text = said(delivery.name, &place, &written);
    for step in client.after_write(args.scope, delivery.name, &project, delivery.shape) {
        text.push_str(&format!("Next: {step}\n"));
    }
    Ok(Delivered { output: Output::text(text).warn(warnings), written: Some(written) })
}

/// Refuses a target `--write` must never touch: trello-auth's own config
/// file or its backup, whatever the scope (a client's file linked to it would
/// have its credentials edited and its backup overwritten); and for the
/// project scope, a file inside the project that leads outside it through a
/// link (a repository can commit `.codex/config.toml` as a link to any file
/// of the person who opens it).
fn guard(ctx: &Context, args: &Args, path: &Path, project: &Project) -> Result<(), CommandError> {
    let config = ctx.vault.path();
    let real = crate::files::canonical(path);
    for (own, what) in [(config.to_path_buf(), "config file"), (crate::files::backup_path(config), "config backup")] {
        if crate::files::canonical(&own) == real || resolve::same_file(&own, path) {
            return Err(CommandError::Failed(format!(
                "{} is trello-auth's own {what}, never an MCP client's file: refused, and nothing was written",
                shown(path)
            )));
        }
    }
    let given = args.write.as_ref().and_then(|p| p.as_deref());
    let inside = given.is_none_or(|p| project.names_inside(p));
    if args.scope == Scope::Project && inside && !project.holds(path) {
        return Err(CommandError::Failed(format!(
            "{} leads outside this project ({}) through a symbolic link: a project's file is written only inside \
             the project, so nothing was written; see where it points with `ls -l`",
            shown(path),
            shown(&project.top)
        )));
    }
    Ok(())
}

/// A project file is shared; this entry is one person's.
fn project_note(args: &Args, entry: &serde_json::Value, file: &Path) -> String {
    let command = match &entry["command"] {
        serde_json::Value::Array(words) => words.first().and_then(|w| w.as_str()).unwrap_or_default(),
        other => other.as_str().unwrap_or_default(),
    };
    format!(
        "{} is meant to be committed and shared, but this entry holds this machine's paths ({}, the config file) and \
         the profile name: keep it out of git, or have each person run `trello-auth mcp {} --scope project --write` \
         on their own machine",
        shown(file),
        crate::untrusted::line(command),
        args.client.flag()
    )
}

/// What `--write` did.
pub(crate) struct Written {
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
/// `--token ATTA…` argument, a `Bearer` header, a `key=…&token=…` URL). A
/// new file is 0600, and so is any file with `--inline-secrets`. The file is
/// written as pieces cut from the old one, never copied whole.
fn write(
    place: &Place,
    limit: u64,
    name: &str,
    entry: &serde_json::Value,
    secrets: &[String],
    inline: bool,
) -> Result<Written, CommandError> {
    let failed = |what: String| CommandError::Failed(format!("{}: {what}; it was left as it is", shown(&place.path)));
    let replace = Replace::begin(&place.path, limit, Dir::Shared).map_err(|e| failed(e.to_string()))?;
    let old = replace.old.as_ref().map(|o| o.text.as_str());
    let change = Change { keys: &place.keys, name, entry, secrets };
    let merged = edit::merge(place.format, old, &change).map_err(|e| failed(e.to_string()))?;
    // Written again as it is, the file would only trade its backup for a
    // copy of itself. An inline entry is written anyway: that makes it 0600.
    if merged.unchanged && !inline {
        let path = place.path.clone();
        return Ok(Written { path, backup: None, replaced: true, created: Vec::new(), unchanged: true });
    }
    let pieces: Vec<&[u8]> = merged.pieces.iter().map(|p| p.as_bytes()).collect();
    let backup: Vec<&[u8]> = match (&merged.backup, old) {
        (Some(backup), _) => backup.iter().map(|p| p.as_bytes()).collect(),
        (None, Some(old)) => vec![old.as_bytes()],
        (None, None) => Vec::new(),
    };
    let mode = if inline { Mode::Private } else { Mode::KeepOrPrivate };
    let written = replace.commit_pieces(&pieces, mode, Some(&backup)).map_err(|e| failed(e.to_string()))?;
    let (replaced, created) = (merged.replaced, merged.created.clone());
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
    let env: serde_json::Map<String, serde_json::Value> =
        secrets.iter().map(|s| ("TRELLO_TOKEN".to_string(), serde_json::Value::String(s.clone()))).collect();
    let entry = serde_json::json!({
        "command": "/usr/local/bin/trello-auth",
        "args": ["exec", "--profile", "default", "--", "/usr/bin/node", "/srv/mcp-server-trello/build/index.js"],
        "env": env,
    });
    let format = if toml { Format::Toml } else { Format::Json };
    let change = Change { keys, name, entry: &entry, secrets };
    let merged = edit::merge(format, Some(old), &change).map_err(|e| e.to_string())?;
    Ok((merged.text(), merged.backup.map(|pieces| pieces.concat())))
}

/// Exactly what changed, in words.
fn said(name: &str, place: &Place, written: &Written) -> String {
    let name = serde_json::Value::String(crate::untrusted::line(name).into_owned());
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
