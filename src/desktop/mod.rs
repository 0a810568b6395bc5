//! The desktop around the terminal: clipboard and browser, and whether they exist here.

pub mod browser;
pub mod clipboard;

/// What this session can reach, read once from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Desktop {
    /// A graphical display (X11 or Wayland; always true on macOS and Windows).
    pub display: bool,
    /// Logged in over SSH.
    pub ssh: bool,
}

impl Desktop {
    pub fn detect() -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let display = cfg!(any(target_os = "macos", target_os = "windows")) || set("DISPLAY") || set("WAYLAND_DISPLAY");
        let ssh = set("SSH_CONNECTION") || set("SSH_TTY") || set("SSH_CLIENT");
        Desktop { display, ssh }
    }
}
