//! Copying text: the system clipboard when there is one, else OSC 52 through the terminal.
//!
//! One arboard handle lives for the whole run because an X11 clipboard is
//! served by its owner and empties when the owner goes away.

use std::io::Write;

use crossterm::clipboard::CopyToClipboard;

use super::Desktop;

/// What happened to a copy; the wizard words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyOutcome {
    /// The system clipboard has it.
    Clipboard,
    /// Sent to the terminal as OSC 52; terminals that allow it put it on the clipboard.
    Terminal,
    /// Nothing worked: the text is on screen to select by hand.
    Manual(String),
}

pub(crate) struct Clipboard {
    desktop: Desktop,
    /// Whether OSC 52 through the terminal may be tried (not in plain mode,
    /// which writes no escape sequences at all).
    osc52: bool,
    handle: Option<arboard::Clipboard>,
    /// Set once connecting failed, so every copy does not retry a dead display.
    system_failed: bool,
}

impl Clipboard {
    /// Does not connect yet: the first copy does, and keeps the handle.
    pub fn new(desktop: Desktop) -> Self {
        Clipboard { desktop, osc52: true, handle: None, system_failed: false }
    }

    /// The system clipboard only: never an escape sequence to the terminal.
    pub(crate) fn without_terminal(desktop: Desktop) -> Self {
        Clipboard { desktop, osc52: false, handle: None, system_failed: false }
    }

    /// Copies `text`, falling back to OSC 52 written to `terminal`.
    pub fn copy(&mut self, text: &str, terminal: &mut impl Write) -> CopyOutcome {
        if self.desktop.display && !self.system_failed {
            if self.handle.is_none() {
                match arboard::Clipboard::new() {
                    Ok(handle) => self.handle = Some(handle),
                    Err(_) => self.system_failed = true,
                }
            }
            if let Some(handle) = self.handle.as_mut() {
                if handle.set_text(text.to_string()).is_ok() {
                    return CopyOutcome::Clipboard;
                }
                self.system_failed = true;
            }
        }
        if !self.osc52 {
            return CopyOutcome::Manual("there is no system clipboard here".into());
        }
        match crossterm::execute!(terminal, CopyToClipboard::to_clipboard_from(text)) {
            Ok(()) => CopyOutcome::Terminal,
            Err(e) => CopyOutcome::Manual(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_display_it_writes_osc52() {
        let mut clipboard = Clipboard::new(Desktop { display: false, ssh: true });
        let mut out = Vec::new();
        assert_eq!(clipboard.copy("hello", &mut out), CopyOutcome::Terminal);
        let written = String::from_utf8(out).unwrap();
        assert_eq!(written, "\u{1b}]52;c;aGVsbG8=\u{1b}\\");
    }
}
