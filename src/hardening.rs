//! Process hardening while secrets are in memory: no core dumps, no ptrace by other processes of the user.
//!
//! The system calls are in `hardening/unix.rs`; `hardening/windows.rs` says
//! why Windows has none here.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as platform;

/// Turns off core dumps (`RLIMIT_CORE` = 0) and, on Linux, marks the process
/// not dumpable, which also keeps same-user processes from attaching with
/// ptrace or reading `/proc/PID/mem`. A crash then leaves no file holding the
/// token. Failures are ignored: hardening is a bonus, never a reason to stop.
pub fn disable_core_dumps() {
    platform::disable_core_dumps();
}

/// Starts another program through `start` (`exec`'s command, as a child or
/// in this process's place) with the core-dump limit this process started
/// with: the hardening is ours, not the command's. (The dumpable flag resets
/// by itself on exec.) When `start` returns, the limit is lowered again, since
/// this process still holds the secrets.
pub(crate) fn for_child<T>(start: impl FnOnce() -> T) -> T {
    platform::for_child(start)
}
