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
    pub(crate) fn detect() -> Self {
        use crate::environment::{DISPLAY, SSH_CLIENT, SSH_CONNECTION, SSH_TTY, WAYLAND_DISPLAY};
        let display =
            cfg!(any(target_os = "macos", target_os = "windows")) || DISPLAY.is_set() || WAYLAND_DISPLAY.is_set();
        let ssh = SSH_CONNECTION.is_set() || SSH_TTY.is_set() || SSH_CLIENT.is_set();
        Desktop { display, ssh }
    }

    /// Why no browser will be opened here, or `None` when one may be.
    pub(crate) fn browser_unavailable(self, disabled_by_flag: bool) -> Option<String> {
        if disabled_by_flag {
            return Some("--no-browser was given".into());
        }
        if !self.display {
            return Some(
                if self.ssh { "this is an SSH session without a display" } else { "there is no display" }.into(),
            );
        }
        None
    }

    /// Why the token will be pasted rather than caught from the browser, if so:
    /// a browser elsewhere (over SSH, without a display here) cannot reach this
    /// machine's 127.0.0.1.
    pub(crate) fn capture_unavailable(self, disabled_by_flag: bool) -> Option<String> {
        if disabled_by_flag {
            Some("--no-capture was given".into())
        } else if self.ssh && !self.display {
            Some(
                "this is an SSH session without a display: a browser elsewhere cannot reach this machine's 127.0.0.1"
                    .into(),
            )
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        let headless_ssh = Desktop { display: false, ssh: true };
        assert_eq!(headless_ssh.browser_unavailable(false).unwrap(), "this is an SSH session without a display");
        assert!(headless_ssh.capture_unavailable(false).unwrap().contains("cannot reach this machine"));
        let desk = Desktop { display: true, ssh: false };
        assert_eq!(desk.browser_unavailable(false), None);
        assert_eq!(desk.capture_unavailable(false), None);
        assert_eq!(desk.browser_unavailable(true).unwrap(), "--no-browser was given");
        assert_eq!(desk.capture_unavailable(true).unwrap(), "--no-capture was given");
        // Local, no display (a text console): no browser, but a browser could still reach 127.0.0.1.
        let console = Desktop { display: false, ssh: false };
        assert_eq!(console.browser_unavailable(false).unwrap(), "there is no display");
        assert_eq!(console.capture_unavailable(false), None);
    }
}
