//! `trello-auth exec -- COMMAND`: runs COMMAND with exactly the profile's credentials in its environment, replacing this process.

pub mod mask;

use std::ffi::OsString;
use std::process::Command;

use super::env::{Names, Vars, every_name, vars};
use super::{CommandError, Context};

/// `exec`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Variable names for the command (see `env --help`).
    #[arg(long, value_enum, default_value = "default", value_name = "PRESET")]
    pub names: Names,
    /// Also pass TRELLO_API_SECRET.
    #[arg(long)]
    pub with_secret: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

pub const AFTER_HELP: &str = "\
Runs COMMAND with TRELLO_API_KEY and TRELLO_TOKEN (names per --names; and
TRELLO_API_SECRET with --with-secret, TRELLO_BOARD_ID with a default board) in its
environment, and every other Trello name any preset uses removed, so the command
sees exactly this profile. Nothing is written anywhere. trello-auth replaces
itself with COMMAND, so signals, standard streams and the exit status are
COMMAND's. A missing command exits 127. A token that expires within 7 days, or
has expired, is said on stderr first.

Examples:
  trello-auth exec -- printenv TRELLO_API_KEY
  trello-auth exec --names trello-js -- sh -c 'test -n \"$TRELLO_KEY\" && echo ready'
  trello-auth exec --profile work -- sh -c 'echo \"board: ${TRELLO_BOARD_ID:-none set}\"'";

/// Exit status when the command cannot be found, as shells use.
pub const NOT_FOUND: u8 = 127;
/// Exit status when the command exists but cannot be run, as shells use.
pub const NOT_EXECUTABLE: u8 = 126;

/// The command to run, with the profile's variables set and every other
/// Trello name removed from its environment (and only its: nothing is written
/// anywhere). Warnings are for stderr.
pub fn prepare(ctx: &Context, args: &Args) -> Result<(Command, Vec<String>), CommandError> {
    let Some((program, rest)) = args.command.split_first() else {
        return Err(CommandError::Usage(
            "name the command to run after --: trello-auth exec -- COMMAND [ARGS…]".into(),
        ));
    };
    let Vars { vars, warnings } = vars(ctx, args.names, args.with_secret)?;
    let mut command = Command::new(program);
    command.args(rest);
    for name in every_name() {
        command.env_remove(name);
    }
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
