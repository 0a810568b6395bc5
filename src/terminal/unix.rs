//! The Unix side of `terminal`: echo, line editing and signals off with termios, given back on drop and on every signal that ends or stops the process; the signals that end the wizard.

use rustix::termios::{LocalModes, OptionalActions, SpecialCodeIndex, Termios, tcgetattr, tcsetattr};
use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2};

/// Gives the terminal back when dropped, and meanwhile on a signal from
/// outside (`kill`, a closed terminal, `timeout`), which then ends the
/// process as it would have: a prompt must never leave a silent terminal.
pub(crate) struct Restore(Termios, Vec<signal_hook::SigId>);

impl Drop for Restore {
    fn drop(&mut self) {
        for id in self.1.drain(..) {
            signal_hook::low_level::unregister(id);
        }
        let _ = tcsetattr(std::io::stdin(), OptionalActions::Now, &self.0);
    }
}

/// Echo, line editing and signals off on standard input; `None` when it is no terminal.
pub fn quiet() -> std::io::Result<Option<Restore>> {
    let stdin = std::io::stdin();
    let Ok(original) = tcgetattr(&stdin) else { return Ok(None) };
    let mut quiet = original.clone();
    quiet.local_modes.remove(LocalModes::ECHO | LocalModes::ICANON | LocalModes::ISIG);
    quiet.special_codes[SpecialCodeIndex::VMIN] = 1;
    quiet.special_codes[SpecialCodeIndex::VTIME] = 0;
    let mut restore = Restore(original.clone(), Vec::new());
    // Every signal whose default ends the process (SIGPIPE stays ignored, as
    // Rust sets it), and those that stop it: the terminal is given back while
    // stopped, and taken quiet again when continued.
    let ending = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM];
    for signal in ending.into_iter().chain([SIGTSTP, SIGTTIN, SIGTTOU]) {
        let (original, quiet) = (original.clone(), quiet.clone());
        let action = move || {
            // SAFETY (async-signal-safety): only tcsetattr (an ioctl, safe in a
            // handler per POSIX) on fd 0, borrowed without touching std's
            // stdin lock, around the default action re-raised.
            let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(0) };
            let _ = tcsetattr(fd, OptionalActions::Now, &original);
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            // Only a stop returns here, once continued: quiet again before the next byte.
            let _ = tcsetattr(fd, OptionalActions::Now, &quiet);
        };
        // SAFETY: the action above does only async-signal-safe work.
        restore.1.push(unsafe { signal_hook::low_level::register(signal, action) }?);
    }
    tcsetattr(&stdin, OptionalActions::Now, &quiet)?;
    Ok(Some(restore))
}

/// SIGTERM and SIGHUP, caught for the wizard's loop (which then ends as a
/// `Msg::Terminate`, giving the terminal back).
pub(crate) struct Endings {
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl Endings {
    /// Catches them from now on; needs a tokio runtime with signals on.
    pub fn catch() -> std::io::Result<Endings> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Endings { terminate: signal(SignalKind::terminate())?, hangup: signal(SignalKind::hangup())? })
    }

    /// Waits for the next one.
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.hangup.recv() => {}
        }
    }
}
