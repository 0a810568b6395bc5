//! The Windows side of `terminal`: the console's echo, line input and Ctrl+C processing off (crossterm's raw mode), given back on drop; the console events that end the wizard.
//!
//! With processed input off, Ctrl+C arrives as the byte 0x03, read as
//! `Line::Interrupted` like on Unix. Closing the console window ends the
//! process with its console, so nothing is left to give back then.

use std::io::IsTerminal;

/// Gives the console its modes back when dropped.
pub(crate) struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Echo, line input and Ctrl+C processing off on the console; `None` when
/// standard input is no console.
pub fn quiet() -> std::io::Result<Option<Restore>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    crossterm::terminal::enable_raw_mode()?;
    Ok(Some(Restore))
}

/// The console closed, the user logging off, the system shutting down.
pub(crate) struct Endings {
    close: tokio::signal::windows::CtrlClose,
    logoff: tokio::signal::windows::CtrlLogoff,
    shutdown: tokio::signal::windows::CtrlShutdown,
}

impl Endings {
    /// Catches them from now on; needs a tokio runtime with signals on.
    pub fn catch() -> std::io::Result<Endings> {
        use tokio::signal::windows::{ctrl_close, ctrl_logoff, ctrl_shutdown};
        Ok(Endings { close: ctrl_close()?, logoff: ctrl_logoff()?, shutdown: ctrl_shutdown()? })
    }

    /// Waits for the next one.
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.close.recv() => {}
            _ = self.logoff.recv() => {}
            _ = self.shutdown.recv() => {}
        }
    }
}
