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

    /// The raw value, when set and not empty (paths).
    pub fn get_os(&self) -> Option<OsString> {
        std::env::var_os(self.name).filter(|v| !v.is_empty())
    }

    /// Set to anything but empty or `0`.
    pub fn is_on(&self) -> bool {
        self.get().is_some_and(|v| v != "0")
    }

    /// Set, to anything not empty.
    pub fn is_set(&self) -> bool {
        self.get_os().is_some()
    }
}

const fn var(name: &'static str, meaning: &'static str) -> Var {
    Var { name, meaning }
}

pub const API_BASE: Var =
    var("TRELLO_API_BASE", "API base URL (default https://api.trello.com/1); https, or http to this machine only");
pub const WEB_BASE: Var =
    var("TRELLO_WEB_BASE", "web base for the portal and authorize pages (default https://trello.com); same rules");
pub const CONFIG: Var = var("TRELLO_AUTH_CONFIG", "config file path, as --config");
pub const PROFILE: Var = var("TRELLO_AUTH_PROFILE", "profile name, as --profile (wins over `profile use`)");
pub const PLAIN: Var = var("TRELLO_AUTH_PLAIN", "1: the plain, line-by-line wizard, as --plain");
pub const CALLBACK_PORT: Var =
    var("TRELLO_AUTH_CALLBACK_PORT", "port of the token-capture listener, as --callback-port (default 47130; 0 any)");
pub const TIMEOUT_MS: Var =
    var("TRELLO_AUTH_TIMEOUT_MS", "a shorter per-request timeout, in ms (at most the 15 s default)");
pub const KEYRING_TIMEOUT_MS: Var =
    var("TRELLO_AUTH_KEYRING_TIMEOUT_MS", "how long a keyring call may take, in ms (default 120000: an unlock prompt)");
pub const API_KEY: Var =
    var("TRELLO_API_KEY", "the key `login` uses without --key; `status` says when it differs from the saved one");
pub const TOKEN: Var = var("TRELLO_TOKEN", "`status` says when it differs from the saved token (other tools use it)");
pub const NO_COLOR: Var = var("NO_COLOR", "draw the wizard without colour");
pub const TERM: Var = var("TERM", "dumb or unset: the plain wizard");
pub const DISPLAY: Var = var("DISPLAY", "an X11 display: the browser is opened and the system clipboard used");
pub const WAYLAND_DISPLAY: Var = var("WAYLAND_DISPLAY", "a Wayland display, as DISPLAY");
pub const SSH_CONNECTION: Var =
    var("SSH_CONNECTION", "an SSH session (also SSH_TTY, SSH_CLIENT): without a display, no browser and no capture");
pub const SSH_TTY: Var = var("SSH_TTY", "as SSH_CONNECTION");
pub const SSH_CLIENT: Var = var("SSH_CLIENT", "as SSH_CONNECTION");
pub const DBUS_SESSION_BUS_ADDRESS: Var = var(
    "DBUS_SESSION_BUS_ADDRESS",
    "the session bus of the keyring; unset: $XDG_RUNTIME_DIR/bus, else /run/user/UID/bus",
);
pub const XDG_RUNTIME_DIR: Var = var("XDG_RUNTIME_DIR", "where the per-user session bus is");
pub const XDG_CONFIG_HOME: Var = var("XDG_CONFIG_HOME", "the config file is $XDG_CONFIG_HOME/trello-auth/config.toml");
pub const HOME: Var = var("HOME", "without XDG_CONFIG_HOME: ~/.config; also where `mcp` finds user-scope client files");
pub const PATH: Var = var("PATH", "where `mcp` finds trello-auth and the server command, and `exec` the command");
pub const CODEX_HOME: Var =
    var("CODEX_HOME", "Codex CLI's folder (default ~/.codex): where `mcp codex` writes config.toml");

/// Every variable, in the order `--help` lists them.
pub const ALL: &[Var] = &[
    API_BASE,
    WEB_BASE,
    CONFIG,
    PROFILE,
    PLAIN,
    CALLBACK_PORT,
    TIMEOUT_MS,
    KEYRING_TIMEOUT_MS,
    API_KEY,
    TOKEN,
    NO_COLOR,
    TERM,
    DISPLAY,
    WAYLAND_DISPLAY,
    SSH_CONNECTION,
    SSH_TTY,
    SSH_CLIENT,
    DBUS_SESSION_BUS_ADDRESS,
    XDG_RUNTIME_DIR,
    XDG_CONFIG_HOME,
    HOME,
    PATH,
    CODEX_HOME,
];

/// The table as `--help` and the man page show it: one variable a line.
pub fn help_table() -> String {
    let width = ALL.iter().map(|v| v.name.len()).max().unwrap_or(0);
    ALL.iter().map(|v| format!("  {:<width$}  {}", v.name, v.meaning)).collect::<Vec<_>>().join("\n")
}
