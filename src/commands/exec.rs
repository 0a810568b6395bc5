//! `trello-auth exec -- COMMAND`: runs COMMAND with the credentials in its environment only, replacing this process.

use std::ffi::OsString;
use std::process::Command;

use super::CommandError;
use super::env::{Names, Vars, vars};
use crate::credentials::store::Store;

/// Exit status when the command cannot be found, as shells use.
pub const NOT_FOUND: u8 = 127;
/// Exit status when the command exists but cannot be run, as shells use.
pub const NOT_EXECUTABLE: u8 = 126;

/// The command to run, with the variables added to its environment (and only
/// its: nothing is written anywhere). Warnings are for stderr.
pub fn prepare(
    store: &Store,
    profile_name: &str,
    names: Names,
    with_secret: bool,
    argv: &[OsString],
) -> Result<(Command, Vec<String>), CommandError> {
    let Some((program, args)) = argv.split_first() else {
        return Err(CommandError::Usage(
            "name the command to run after --: trello-auth exec -- COMMAND [ARGS…]".into(),
        ));
    };
    let Vars { vars, warnings } = vars(store, profile_name, names, with_secret)?;
    let mut command = Command::new(program);
    command.args(args);
    for (name, value) in vars {
        command.env(name, value);
    }
    Ok((command, warnings))
}

/// Replaces this process with `command` (Unix `execvp`): its signals, standard
/// streams, exit status and place in the process tree are then exactly the
/// command's. Returns only if that failed, with the shell's exit status and words.
#[cfg(unix)]
pub fn replace_with(mut command: Command) -> (u8, String) {
    use std::os::unix::process::CommandExt;
    // Core dumps were turned off for this process; the command gets the limit it would have had.
    crate::hardening::restore_for_child();
    let program = command.get_program().to_string_lossy().into_owned();
    let program = crate::untrusted::line(&program).into_owned();
    let error = command.exec();
    match error.kind() {
        std::io::ErrorKind::NotFound => (NOT_FOUND, format!("{program}: command not found")),
        std::io::ErrorKind::PermissionDenied => (NOT_EXECUTABLE, format!("{program}: permission denied")),
        _ => (NOT_EXECUTABLE, format!("{program}: {error}")),
    }
}

/// Where a process cannot be replaced: run the command as a child, forward
/// its exit status (signals reach it through the shared console).
#[cfg(not(unix))]
pub fn replace_with(mut command: Command) -> (u8, String) {
    let program = command.get_program().to_string_lossy().into_owned();
    match command.status() {
        Ok(status) => (status.code().map_or(1, |c| c.clamp(0, 255) as u8), String::new()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (NOT_FOUND, format!("{program}: command not found")),
        Err(e) => (NOT_EXECUTABLE, format!("{program}: {e}")),
    }
}
