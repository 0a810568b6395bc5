//! The terminal the program reads lines from: typed without echo (the token prompt of `login`, every answer of the plain wizard), the terminal always given back as it was, also when a signal ends the process.

use std::io::Read;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as platform;

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
    restore: Option<platform::Restore>,
}

impl Quiet {
    pub fn new() -> std::io::Result<Quiet> {
        Ok(Quiet { restore: platform::quiet()? })
    }

    /// Whether the terminal is held quiet (standard input is a terminal).
    pub(crate) fn is_terminal(&self) -> bool {
        self.restore.is_some()
    }
}

/// What ends a wizard from outside, each as a `Msg::Terminate`: on Unix
/// SIGTERM and SIGHUP (a closed terminal), on Windows the console closed,
/// the user logging off or the system shutting down. Ctrl+C is not here: the
/// wizard reads it as a key.
pub(crate) use platform::Endings;

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
