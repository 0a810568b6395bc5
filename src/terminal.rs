//! The terminal the program reads lines from: typed without echo (the token prompt of `login`, every answer of the plain wizard), the terminal always given back as it was, also when a signal ends the process.

use std::io::Read;

/// Most bytes a typed or pasted line may hold; a token is under 100.
const LINE_LIMIT: usize = 4096;

/// One line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Text(String),
    /// Ctrl+C at the terminal.
    Interrupted,
    /// The input ended (a pipe or file ran out).
    End,
}

/// The terminal set not to echo, edit or signal while it lives: what is
/// typed is read byte by byte here, Ctrl+C included. Dropped, or on any
/// signal that ends or stops the process, the terminal is given back as it
/// was. Where standard input is not a terminal it does nothing.
pub(crate) struct Quiet {
    #[cfg(unix)]
    restore: Option<unix::Restore>,
}

impl Quiet {
    pub fn new() -> std::io::Result<Quiet> {
        #[cfg(unix)]
        return Ok(Quiet { restore: unix::quiet()? });
        #[cfg(not(unix))]
        return Ok(Quiet {});
    }

    /// Whether the terminal is held quiet (standard input is a terminal).
    pub(crate) fn is_terminal(&self) -> bool {
        #[cfg(unix)]
        return self.restore.is_some();
        #[cfg(not(unix))]
        return false;
    }
}

/// One line typed without echo, with the terminal quiet only while it is read.
pub(crate) fn read_hidden_line() -> std::io::Result<Line> {
    let quiet = Quiet::new()?;
    read_line(quiet.is_terminal())
}

/// One line: byte by byte from a terminal held by a [`Quiet`] (`terminal`;
/// Backspace and Ctrl+U edit, Enter or Ctrl+D end the line, Ctrl+C
/// interrupts), as it is from a pipe or a file. It takes no [`Quiet`] so that
/// a reader thread still blocked here never keeps the terminal quiet.
pub fn read_line(terminal: bool) -> std::io::Result<Line> {
    if !terminal {
        return read_piped_line();
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut line: Vec<u8> = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match input.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        match byte[0] {
            // Ctrl+D ends the input on an empty line, as a terminal's EOF does; else it ends the line.
            0x04 if line.is_empty() => return Ok(Line::End),
            b'\r' | b'\n' | 0x04 => break,
            0x03 => return Ok(Line::Interrupted),
            0x7f | 0x08 => {
                line.pop();
            }
            0x15 => line.clear(),
            b if line.len() < LINE_LIMIT => line.push(b),
            _ => {}
        }
    }
    Ok(Line::Text(String::from_utf8_lossy(&line).into_owned()))
}

/// A line from standard input that is not a terminal.
fn read_piped_line() -> std::io::Result<Line> {
    use std::io::BufRead;
    let mut line = Vec::new();
    let read = std::io::stdin().lock().take(LINE_LIMIT as u64 + 1).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(Line::End);
    }
    let text = String::from_utf8_lossy(&line);
    Ok(Line::Text(text.trim_end_matches(['\n', '\r']).to_string()))
}

#[cfg(unix)]
mod unix {
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
}
