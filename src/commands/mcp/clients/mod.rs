//! The MCP clients: for each one, where it reads its servers for each scope, the shape of an entry, the command it offers to add one itself, and what it needs before an entry works; each client is one file here, which cites where each fact comes from.
//!
//! A fact no primary source confirms is left out: a scope whose file cannot
//! be confirmed is refused, naming what is known. "run" in a citation means
//! the client's own CLI, at the version pinned in `tests/mcp_client/clis.json`,
//! was run offline on what trello-auth writes (`tests/cli/mcp_clis.rs`).

mod antigravity;
mod claude_code;
mod claude_desktop;
mod codex;
mod cursor;
mod gemini;
mod kiro;
mod opencode;
mod vscode;
mod windsurf;
mod zed;

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::{Map, Value};

use super::entry::Server;
use super::project::Project;
use crate::commands::CommandError;
use crate::environment::Var;
pub(crate) use crate::shell::sh_word;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Client {
    /// Claude Code: ~/.claude.json (user, local) or .mcp.json (project).
    ClaudeCode,
    /// Claude Desktop: claude_desktop_config.json in its config folder.
    ClaudeDesktop,
    /// VS Code: the user profile's mcp.json, or .vscode/mcp.json.
    Vscode,
    /// Cursor: ~/.cursor/mcp.json, or .cursor/mcp.json.
    Cursor,
    /// Codex CLI: ~/.codex/config.toml, or .codex/config.toml.
    Codex,
    /// Gemini CLI: ~/.gemini/settings.json, or .gemini/settings.json.
    Gemini,
    /// Windsurf: ~/.codeium/windsurf/mcp_config.json.
    Windsurf,
    /// Zed: its settings.json (context_servers), or .zed/settings.json.
    Zed,
    /// OpenCode: ~/.config/opencode/opencode.json, or opencode.json.
    Opencode,
    /// Kiro: ~/.kiro/settings/mcp.json, or .kiro/settings/mcp.json.
    Kiro,
    /// Antigravity CLI: .agents/mcp_config.json (project only).
    Antigravity,
}

/// Whose file the entry goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Scope {
    /// The person's own file, for every project.
    #[default]
    User,
    /// The project's file in the current folder, meant to be committed.
    Project,
    /// Claude Code only: the person's own file, for this repository (or folder) only.
    Local,
}

/// How a client's file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON, read with comments and trailing commas allowed (VS Code's JSONC
    /// is the widest; the others' files are plain JSON, which is a subset).
    Json,
    /// TOML (Codex).
    Toml,
}

/// Where the entry goes: the file, and the keys leading to the servers' table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: PathBuf,
    pub format: Format,
    /// The keys from the top of the file to the object (or table) that holds
    /// the servers: `["mcpServers"]`, `["projects", "/abs/dir", "mcpServers"]`.
    pub keys: Vec<String>,
}

impl Place {
    /// The keys in words: `mcpServers`, `projects["/src/app"].mcpServers`, `[mcp_servers]`.
    pub(crate) fn keys_in_words(&self) -> String {
        keys_in_words(self.format, &self.keys)
    }
}

/// See [`Place::keys_in_words`].
pub(crate) fn keys_in_words(format: Format, keys: &[String]) -> String {
    if format == Format::Toml {
        return format!("[{}]", keys.join("."));
    }
    let mut out = String::new();
    for (i, key) in keys.iter().enumerate() {
        let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match (i, plain) {
            (0, true) => out.push_str(key),
            (_, true) => {
                out.push('.');
                out.push_str(key);
            }
            (_, false) => out.push_str(&format!("[{}]", Value::String(key.clone()))),
        }
    }
    out
}

/// The folders the clients' files are found from: the home folder, the
/// platform's config folder, and each client's own override, as this
/// process's environment sets them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Homes {
    pub home: Option<PathBuf>,
    /// The platform's config folder: `$XDG_CONFIG_HOME` or `~/.config` on
    /// Linux, `~/Library/Application Support` on macOS, `%APPDATA%` (the
    /// roaming one) on Windows.
    pub config: Option<PathBuf>,
    /// The platform's local data folder: `%LOCALAPPDATA%` on Windows, where
    /// packaged (MSIX) apps keep their files.
    pub local_data: Option<PathBuf>,
    /// `$XDG_CONFIG_HOME` as set (absolute), whatever the platform.
    pub xdg_config: Option<PathBuf>,
    /// The clients' own variables that are set, by name.
    pub overrides: Vec<(&'static str, PathBuf)>,
}

impl Homes {
    /// The folders as this process's environment sets them.
    pub fn here() -> Homes {
        let base = directories::BaseDirs::new();
        let overrides = Client::value_variants()
            .iter()
            .flat_map(|c| c.agent().variables())
            .filter_map(|var| var.get_os().map(|v| (var.name, PathBuf::from(v))))
            .collect();
        Homes {
            home: base.as_ref().map(|b| b.home_dir().to_path_buf()),
            config: base.as_ref().map(|b| b.config_dir().to_path_buf()),
            local_data: base.as_ref().map(|b| b.data_local_dir().to_path_buf()),
            xdg_config: crate::environment::XDG_CONFIG_HOME.get_os().map(PathBuf::from).filter(|p| p.is_absolute()),
            overrides,
        }
    }

    /// A client's variable, when set.
    pub fn var(&self, var: &Var) -> Option<&Path> {
        self.overrides.iter().find(|(name, _)| *name == var.name).map(|(_, path)| path.as_path())
    }

    /// `rel` (`/`-separated) in the home folder, joined a part at a time so
    /// that a path printed on Windows has one kind of separator.
    pub(crate) fn in_home(&self, rel: &str) -> Option<PathBuf> {
        self.home.as_ref().map(|h| rel.split('/').fold(h.clone(), |path, part| path.join(part)))
    }

    /// `$XDG_CONFIG_HOME`, else `~/.config`, on every platform (the XDG
    /// layout some clients use on macOS too).
    pub(crate) fn xdg_config_or_dot_config(&self) -> Option<PathBuf> {
        self.xdg_config.clone().or_else(|| self.in_home(".config"))
    }
}

/// An entry, as a client's own command takes it.
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    /// A server the client starts: the program, its arguments and variables.
    Local(&'a Server),
    /// A remote server at this URL (streamable HTTP).
    Remote(&'a str),
}

/// What a client's file cannot hold: why, and the client's own way instead.
pub type Refusal = String;

/// What trello-auth knows of one client, each fact from the client's own
/// documentation or source, cited in the file that implements it.
pub trait Agent: Sync {
    /// The client's name in sentences.
    fn words(&self) -> &'static str;

    /// How its files are written.
    fn format(&self) -> Format {
        Format::Json
    }

    /// The scopes it has.
    fn scopes(&self) -> &'static [Scope] {
        &[Scope::User, Scope::Project]
    }

    /// Why `scope`, which it lacks, is refused.
    fn refuse_scope(&self, scope: Scope) -> String {
        let has: Vec<String> = self.scopes().iter().map(|s| s.flag()).collect();
        format!("--scope {} is not one of {}'s; it has {}", scope.flag(), self.words(), has.join(" and "))
    }

    /// The environment variables that move its files (listed in
    /// `crate::environment`, read through [`Homes`]).
    fn variables(&self) -> &'static [Var] {
        &[]
    }

    /// Its own file for `scope` (a project's is relative to the current
    /// folder); `None` when it cannot be known here.
    fn file(&self, scope: Scope, homes: &Homes) -> Option<PathBuf>;

    /// The key of the object (table) that holds its servers.
    fn servers_key(&self) -> &'static str {
        "mcpServers"
    }

    /// The keys from the top of its file to the servers' object for `scope`.
    fn keys(&self, _scope: Scope, _project: &Project) -> Vec<String> {
        vec![self.servers_key().to_string()]
    }

    /// An entry in its shape, or why its file cannot hold one of that kind.
    fn entry(&self, shape: Shape) -> Result<Value, Refusal>;

    /// Its own command that adds the same entry for `scope`, quoted for a
    /// POSIX shell, where it has a non-interactive one.
    fn add_command(&self, _scope: Scope, _name: &str, _shape: Shape) -> Option<String> {
        None
    }

    /// What it needs after `--write` before the entry works, one sentence each.
    fn after_write(&self, scope: Scope, name: &str, project: &Project, shape: Shape) -> Vec<String>;

    /// A server name its own tools refuse.
    fn check_name(&self, _name: &str) -> Result<(), String> {
        Ok(())
    }
}

/// A value's name on the command line (`claude-code`, `user`).
fn flag(value: &impl ValueEnum) -> String {
    value.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
}

impl Scope {
    pub fn flag(self) -> String {
        flag(&self)
    }
}

impl Client {
    /// The client's facts, from its own file.
    fn agent(self) -> &'static dyn Agent {
        match self {
            Client::ClaudeCode => &claude_code::CLAUDE_CODE,
            Client::ClaudeDesktop => &claude_desktop::CLAUDE_DESKTOP,
            Client::Vscode => &vscode::VSCODE,
            Client::Cursor => &cursor::CURSOR,
            Client::Codex => &codex::CODEX,
            Client::Gemini => &gemini::GEMINI,
            Client::Windsurf => &windsurf::WINDSURF,
            Client::Zed => &zed::ZED,
            Client::Opencode => &opencode::OPENCODE,
            Client::Kiro => &kiro::KIRO,
            Client::Antigravity => &antigravity::ANTIGRAVITY,
        }
    }

    pub fn flag(self) -> String {
        flag(&self)
    }

    pub fn words(self) -> &'static str {
        self.agent().words()
    }

    pub fn format(self) -> Format {
        self.agent().format()
    }

    /// Refuses a scope the client does not have.
    pub(crate) fn check_scope(self, scope: Scope) -> Result<(), CommandError> {
        let agent = self.agent();
        if agent.scopes().contains(&scope) { Ok(()) } else { Err(CommandError::Usage(agent.refuse_scope(scope))) }
    }

    /// Refuses a server name the client's own tools refuse.
    pub(crate) fn check_name(self, name: &str) -> Result<(), CommandError> {
        self.agent().check_name(name).map_err(CommandError::Usage)
    }

    /// The client's own file for `scope`; `None` when the place cannot be known here.
    pub(crate) fn default_file(self, scope: Scope, homes: &Homes) -> Option<PathBuf> {
        self.agent().file(scope, homes)
    }

    /// The keys to the servers' object for `scope`.
    pub fn keys(self, scope: Scope, project: &Project) -> Vec<String> {
        self.agent().keys(scope, project)
    }

    /// The entry in the client's shape.
    pub fn entry(self, shape: Shape) -> Result<Value, Refusal> {
        self.agent().entry(shape)
    }

    /// The client's own command for the same entry, where it has one for `scope`.
    pub(crate) fn add_command(self, scope: Scope, name: &str, shape: Shape) -> Option<String> {
        self.agent().add_command(scope, name, shape)
    }

    /// What the client needs after `--write`.
    pub(crate) fn after_write(self, scope: Scope, name: &str, project: &Project, shape: Shape) -> Vec<String> {
        self.agent().after_write(scope, name, project, shape)
    }
}

/// The entry most clients take: `command`, `args` (always, even empty:
/// Zed's requires it) and `env` when there is one, with `"type": "stdio"`
/// first where the client writes it.
fn stdio_entry(server: &Server, typed: bool) -> Value {
    let mut object = Map::new();
    if typed {
        object.insert("type".into(), "stdio".into());
    }
    object.insert("command".into(), server.command.clone().into());
    object.insert("args".into(), server.args.clone().into());
    if !server.env.is_empty() {
        object.insert("env".into(), env_object(server));
    }
    Value::Object(object)
}

/// The server's variables as a JSON object, in order.
fn env_object(server: &Server) -> Value {
    Value::Object(server.env.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

/// `{"url": URL}` with the fields a client wants before it (`"type": "http"`).
fn url_entry(before: &[(&str, &str)], url: &str, after: &[(&str, &str)]) -> Value {
    let mut object = Map::new();
    for (k, v) in before {
        object.insert((*k).into(), (*v).into());
    }
    object.insert("url".into(), url.into());
    for (k, v) in after {
        object.insert((*k).into(), (*v).into());
    }
    Value::Object(object)
}

/// Words for a POSIX shell, joined.
fn shell_line(words: &[String]) -> String {
    words.iter().map(|w| sh_word(w)).collect::<Vec<_>>().join(" ")
}

/// `--env K=V` for each variable of the server, as `flag` spells the option.
fn env_words(flag: &str, server: &Server) -> Vec<String> {
    server.env.iter().flat_map(|(k, v)| [flag.to_string(), format!("{k}={v}")]).collect()
}

/// `PROGRAM mcp add NAME --env K=V … -- COMMAND ARGS…` (or `--url URL`),
/// at user scope only: the add command Codex CLI and OpenCode share.
fn user_scope_add(program: &str, scope: Scope, name: &str, shape: Shape) -> Option<String> {
    if scope != Scope::User {
        return None;
    }
    let mut words: Vec<String> = [program, "mcp", "add", name].map(str::to_string).into();
    match shape {
        Shape::Local(server) => {
            words.extend(env_words("--env", server));
            words.push("--".into());
            words.push(server.command.clone());
            words.extend(server.args.iter().cloned());
        }
        Shape::Remote(url) => words.extend(["--url".into(), url.into()]),
    }
    Some(shell_line(&words))
}

/// The usual first step after a write.
fn restart(words: &str) -> String {
    format!(
        "{words} reads its MCP servers when it starts: restart it (or reload its MCP servers) to pick the entry up."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_in_words() {
        let place = |keys: &[&str], format| Place {
            path: PathBuf::from("x"),
            format,
            keys: keys.iter().map(|k| k.to_string()).collect(),
        };
        assert_eq!(place(&["mcpServers"], Format::Json).keys_in_words(), "mcpServers");
        assert_eq!(
            place(&["projects", "/src/my app", "mcpServers"], Format::Json).keys_in_words(),
            "projects[\"/src/my app\"].mcpServers"
        );
        assert_eq!(place(&["mcp_servers"], Format::Toml).keys_in_words(), "[mcp_servers]");
    }

    /// Every client has a user or project file, refuses the scopes it lacks,
    /// and has a restart step.
    #[test]
    fn every_client_answers_for_each_of_its_scopes() {
        let homes = Homes {
            home: Some("/h".into()),
            config: Some("/h/.config".into()),
            local_data: Some("/h/.local/share".into()),
            xdg_config: None,
            overrides: Vec::new(),
        };
        let project = Project::at(Path::new("/p"));
        let server = Server { command: "/bin/x".into(), args: vec!["a".into()], env: Vec::new() };
        for client in Client::value_variants() {
            for scope in Scope::value_variants() {
                let has = client.check_scope(*scope).is_ok();
                assert_eq!(has, client.agent().scopes().contains(scope), "{client:?}");
                if has {
                    assert!(client.default_file(*scope, &homes).is_some(), "{client:?} {scope:?}");
                    let next = client.after_write(*scope, "trello", &project, Shape::Local(&server));
                    assert!(!next.is_empty(), "{client:?} {scope:?}");
                }
            }
            assert!(client.entry(Shape::Local(&server)).is_ok(), "{client:?}");
        }
    }
}
