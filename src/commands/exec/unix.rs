//! The Unix side of `exec`: becoming the command (`execvp`), forwarding signals to the child, and ending by the signal that ended it.

use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc::{Receiver, channel};

use signal_hook::consts::{SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};
use signal_hook::iterator::SignalsInfo;
use signal_hook::iterator::exfiltrator::WithOrigin;
use signal_hook::low_level::siginfo::Cause;

use super::{RunError, To};

/// Replaces this process with `command`: its signals, standard streams, exit
/// status and place in the process tree are then exactly the command's.
/// Returns only if that failed.
pub(crate) fn run_in_place(mut command: Command) -> Result<u8, RunError> {
    let program = command.get_program().to_owned();
    let error = crate::hardening::for_child(|| command.exec());
    Err(RunError::starting(&program, error))
}

/// The signals a process may send to stop or poke the command, as it would
/// if trello-auth were the command itself.
const FORWARDED: [i32; 6] = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2];

/// The signals caught for the child's run (and SIGCHLD, to see it end).
pub(crate) struct Signals(SignalsInfo<WithOrigin>);

impl Signals {
    /// Starts catching before the child exists, so no signal between its
    /// start and the forwarding is lost; and from here on a signal no longer
    /// ends this process while the child runs.
    pub fn catch() -> io::Result<Signals> {
        let mut all = FORWARDED.to_vec();
        all.push(SIGCHLD);
        SignalsInfo::<WithOrigin>::new(all).map(Signals)
    }

    /// On a thread of its own: forwards what a process sends here to
    /// `child` until it ends, then sends how it ended. A signal from the
    /// terminal (Ctrl+C, Ctrl+\, a hang-up) is not forwarded: the terminal
    /// sends it to its whole foreground group, the child included, and a
    /// second SIGINT would often end a program's clean-up. Where the system
    /// does not say who sent a signal (macOS), it is forwarded: a doubled
    /// Ctrl+C there rather than a `kill` that never arrives. After the child
    /// ended, while its output is still being relayed, a signal ends this
    /// process as it would without the catching.
    pub fn forward(self, mut child: Child) -> io::Result<Receiver<io::Result<ExitStatus>>> {
        let Signals(mut signals) = self;
        let (ended, outcome) = channel();
        std::thread::Builder::new().name("exec-signals".into()).spawn(move || {
            let pid = rustix::process::Pid::from_child(&child);
            let mut running = true;
            for origin in signals.forever() {
                if origin.signal == SIGCHLD {
                    // A stop or a continue is no end.
                    if running && let Some(result) = child.try_wait().transpose() {
                        running = false;
                        let _ = ended.send(result);
                    }
                } else if !running {
                    let _ = signal_hook::low_level::emulate_default_handler(origin.signal);
                } else if origin.cause != Cause::Kernel
                    && let Some(signal) = rustix::process::Signal::from_named_raw(origin.signal)
                {
                    // The child is not reaped before `running` is false, so
                    // `pid` is still its (a zombie's at worst), never another's.
                    let _ = rustix::process::kill_process(pid, signal);
                }
            }
        })?;
        Ok(outcome)
    }
}

/// Ends this process as `status` says the child ended: killed by a signal,
/// by the same signal (its default action put back, so the parent sees the
/// same death); else the exit code to return.
pub(crate) fn end_like(status: ExitStatus) -> u8 {
    match status.signal() {
        Some(signal) => {
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            // Only a signal whose default is to be ignored gets here, which
            // cannot have killed the child: say it the way shells do.
            128u8.saturating_add(u8::try_from(signal).unwrap_or(u8::MAX))
        }
        None => super::exit_code(status),
    }
}

/// An unbuffered handle on this process's stdout or stderr, so each span is
/// written as it is decided, whole.
pub fn output(to: To) -> io::Result<File> {
    let fd = match to {
        To::Stdout => io::stdout().as_fd().try_clone_to_owned()?,
        To::Stderr => io::stderr().as_fd().try_clone_to_owned()?,
    };
    Ok(File::from(fd))
}

/// Makes the pipe from the command hold up to `size` bytes (Linux), so a
/// fast command is read in a few large reads rather than many 64 KiB ones.
/// Refused (over the user's pipe quota), the pipe keeps its size.
pub(crate) fn widen(pipe: &impl AsFd, size: usize) {
    #[cfg(target_os = "linux")]
    let _ = rustix::pipe::fcntl_setpipe_size(pipe, size);
    #[cfg(not(target_os = "linux"))]
    let _ = (pipe, size);
}

/// Whether stdout and stderr are one pipe or file (`2>&1`): the child then
/// gets one pipe for both, so its two streams stay in the order it wrote them.
pub(crate) fn one_output() -> bool {
    let (Ok(out), Ok(err)) = (rustix::fs::fstat(io::stdout()), rustix::fs::fstat(io::stderr())) else {
        return false;
    };
    (out.st_dev, out.st_ino) == (err.st_dev, err.st_ino)
}
