//! The Windows side of `exec`: the command always runs as a child (Windows cannot replace a process), Ctrl+C left to reach it through the console, and its exit code passed on whole.

use std::fs::File;
use std::io::{self, PipeReader};
use std::os::windows::io::AsHandle;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc::{Receiver, channel};

use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, CTRL_C_EVENT, SetConsoleCtrlHandler};
use windows_sys::core::BOOL;

use super::{RunError, To};

/// Runs `command` as a child with this process's streams, as they are, and
/// ends as it ended: the nearest Windows has to Unix's `exec`.
pub(crate) fn run_in_place(mut command: Command) -> Result<u8, RunError> {
    let program = command.get_program().to_owned();
    let signals = Signals::catch().map_err(|e| RunError::relay(&program, e))?;
    let child = crate::hardening::for_child(|| command.spawn()).map_err(|e| RunError::starting(&program, e))?;
    let ended = signals.forward(child).map_err(|e| RunError::relay(&program, e))?;
    match ended.recv() {
        Ok(Ok(status)) => Ok(end_like(status)),
        Ok(Err(e)) => Err(RunError::relay(&program, e)),
        Err(_) => Err(RunError::relay(&program, io::Error::other("the command's end was not seen"))),
    }
}

/// Ctrl+C and Ctrl+Break, taken as handled: the console sends them to every
/// program attached to it, the child included, which decides what they mean
/// (as a Unix terminal signals its whole foreground group). Without this,
/// this process would end at once and the child's clean-up and exit code
/// would be lost.
unsafe extern "system" fn leave_to_child(event: u32) -> BOOL {
    BOOL::from(event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT)
}

/// The console's Ctrl+C, left to the child while it runs.
pub(crate) struct Signals(());

impl Signals {
    /// From before the child exists, so no Ctrl+C between its start and the
    /// wait ends this process. A handler, not `SetConsoleCtrlHandler(NULL)`,
    /// whose "ignore" the child would inherit.
    pub fn catch() -> io::Result<Signals> {
        // SAFETY: `leave_to_child` only compares its argument; it stays valid for the process's life.
        if unsafe { SetConsoleCtrlHandler(Some(leave_to_child), 1) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Signals(()))
    }

    /// On a thread of its own: waits for `child` and sends how it ended.
    pub fn forward(self, mut child: Child) -> io::Result<Receiver<io::Result<ExitStatus>>> {
        let (ended, outcome) = channel();
        std::thread::Builder::new().name("exec-wait".into()).spawn(move || {
            let _ = ended.send(child.wait());
            drop(self);
        })?;
        Ok(outcome)
    }
}

impl Drop for Signals {
    /// Once the child has ended, Ctrl+C ends this process again.
    fn drop(&mut self) {
        // SAFETY: removes the handler added in `catch`.
        unsafe { SetConsoleCtrlHandler(Some(leave_to_child), 0) };
    }
}

/// The exit code to return; one that does not fit in a byte (a Windows
/// status such as 0xC000013A, a child ended by Ctrl+C) ends this process
/// with that same code at once, as Unix ends by the same signal. Called
/// once the output has been relayed.
pub(crate) fn end_like(status: ExitStatus) -> u8 {
    match status.code() {
        Some(code) if !(0..=255).contains(&code) => std::process::exit(code),
        _ => super::exit_code(status),
    }
}

/// An unbuffered handle on this process's stdout or stderr, so each span is
/// written as it is decided, whole.
pub fn output(to: To) -> io::Result<File> {
    let handle = match to {
        To::Stdout => io::stdout().as_handle().try_clone_to_owned()?,
        To::Stderr => io::stderr().as_handle().try_clone_to_owned()?,
    };
    Ok(File::from(handle))
}

/// Windows pipes are sized when made; std makes them.
pub(crate) const fn widen(_pipe: &PipeReader, _size: usize) {}

/// Whether stdout and stderr are one pipe or file: not told here (Windows
/// names no pipe's identity), so the two streams are relayed apart and
/// their order between each other is not kept.
pub(crate) const fn one_output() -> bool {
    false
}
