//! Every environment variable trello-auth reads, in one table: the code reads them through it, `--help` and the man page list it, and a test holds the README to it.
//!
//! The names trello-auth *writes* for other programs (`TRELLO_API_KEY`, …)
//! are `commands::env::Names`' table, not this one.

use std::ffi::OsString;

/// One variable the program reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var {
    pub name: &'static str,
    /// What it does, for `--help`, the man page and the README.
    pub meaning: &'static str,
}

impl Var {
    /// The value, when set and not empty.
    pub fn get(&self) -> Option<String> {
        std::env::var(self.name).ok().filter(|v| !v.trim().is_empty())
    }

    /// The value as it is, when set, even empty: for refusing an empty one.
    pub fn raw(&self) -> Option<OsString> {
        std::env::var_os(self.name)
    }

    /// The raw value, when set and not empty (paths).
    pub(crate) fn get_os(&self) -> Option<OsString> {
        std::env::var_os(self.name).filter(|v| !v.is_empty())
    }

    /// Set to anything but empty or `0`.
    pub(crate) fn is_on(&self) -> bool {
        self.get().is_some_and(|v| v != "0")
    }

    /// Set, to anything not empty.
    pub(crate) fn is_set(&self) -> bool {
        self.get_os().is_some()
    }
}

/// Declares each variable once: a constant for the code that reads it, and
/// its place in [`ALL`] for `--help`, the man page and the docs.
macro_rules! variables {
    ($($konst:ident = $name:literal, $meaning:literal;)*) => {
        $(pub const $konst: Var = Var { name: $name, meaning: $meaning };)*
        /// Every variable, in the order `--help` lists them.
        pub const ALL: &[Var] = &[$($konst),*];
    };
}

variables! {
    API_BASE = "TRELLO_API_BASE", "API base URL (default https://api.trello.com/1); https, or http to this machine only";
    WEB_BASE = "TRELLO_WEB_BASE", "web base for the portal and authorize pages (default https://trello.com); same rules";
    CONFIG = "TRELLO_AUTH_CONFIG", "config file path, as --config";
    PROFILE = "TRELLO_AUTH_PROFILE", "profile name, as --profile (wins over `profile use`)";
    PLAIN = "TRELLO_AUTH_PLAIN", "1: the plain, line-by-line wizard, as --plain";
    CALLBACK_PORT = "TRELLO_AUTH_CALLBACK_PORT", "port of the token-capture listener, as --callback-port (default 47130; 0 any)";
    TIMEOUT_MS = "TRELLO_AUTH_TIMEOUT_MS", "a shorter per-request timeout, in ms (at most the 15 s default)";
    KEYRING_TIMEOUT_MS = "TRELLO_AUTH_KEYRING_TIMEOUT_MS", "how long a keyring call may take, in ms (default 120000: an unlock prompt)";
    API_KEY = "TRELLO_API_KEY", "the key `login` uses without --key; `status` says when it differs from the saved one";
    TOKEN = "TRELLO_TOKEN", "`status` says when it differs from the saved token (other tools use it)";
    NO_COLOR = "NO_COLOR", "draw the wizard without colour";
    TERM = "TERM", "dumb or unset: the plain wizard";
    DISPLAY = "DISPLAY", "an X11 display: the browser is opened and the system clipboard used";
    WAYLAND_DISPLAY = "WAYLAND_DISPLAY", "a Wayland display, as DISPLAY";
    SSH_CONNECTION = "SSH_CONNECTION", "an SSH session (also SSH_TTY, SSH_CLIENT): without a display, no browser and no capture";
    SSH_TTY = "SSH_TTY", "as SSH_CONNECTION";
    SSH_CLIENT = "SSH_CLIENT", "as SSH_CONNECTION";
    DBUS_SESSION_BUS_ADDRESS = "DBUS_SESSION_BUS_ADDRESS", "the session bus of the keyring; unset: $XDG_RUNTIME_DIR/bus, else /run/user/UID/bus";
    XDG_RUNTIME_DIR = "XDG_RUNTIME_DIR", "where the per-user session bus is";
    XDG_CONFIG_HOME = "XDG_CONFIG_HOME", "the config file is $XDG_CONFIG_HOME/trello-auth/config.toml; `mcp` finds OpenCode's, Zed's (Linux), VS Code's and Claude Desktop's (Linux) files there";
    XDG_DATA_HOME = "XDG_DATA_HOME", "the pinned MCP server is installed in $XDG_DATA_HOME/trello-auth/mcp-server";
    HOME = "HOME", "without XDG_CONFIG_HOME: ~/.config (and ~/.local/share without XDG_DATA_HOME); where `mcp` finds user-scope client files";
    PATH = "PATH", "where `mcp` finds trello-auth and the server command, and `exec` the command";
    CODEX_HOME = "CODEX_HOME", "Codex CLI's folder (default ~/.codex): where `mcp codex` writes config.toml";
    CLAUDE_CONFIG_DIR = "CLAUDE_CONFIG_DIR", "Claude Code's folder: `mcp claude-code` writes $CLAUDE_CONFIG_DIR/.claude.json instead of ~/.claude.json";
    GEMINI_CLI_HOME = "GEMINI_CLI_HOME", "Gemini CLI's home: `mcp gemini` writes $GEMINI_CLI_HOME/.gemini/settings.json";
    VSCODE_PORTABLE = "VSCODE_PORTABLE", "a portable VS Code: `mcp vscode` writes $VSCODE_PORTABLE/user-data/User/mcp.json";
    VSCODE_APPDATA = "VSCODE_APPDATA", "VS Code's data folder's parent: `mcp vscode` writes $VSCODE_APPDATA/Code/User/mcp.json";
    FLATPAK_XDG_CONFIG_HOME = "FLATPAK_XDG_CONFIG_HOME", "Zed under Flatpak (Linux): `mcp zed` writes $FLATPAK_XDG_CONFIG_HOME/zed/settings.json";
}

/// The table as `--help` and the man page show it: one variable a line.
pub(crate) fn help_table() -> String {
    let width = ALL.iter().map(|v| v.name.len()).max().unwrap_or(0);
    ALL.iter().map(|v| format!("  {:<width$}  {}", v.name, v.meaning)).collect::<Vec<_>>().join("\n")
}
