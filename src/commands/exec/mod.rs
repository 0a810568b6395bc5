//! `trello-auth exec -- COMMAND`: runs COMMAND with exactly the profile's credentials in its environment, and hides the secrets in its output wherever that output is not a terminal.

pub mod mask;
mod relay;
#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as platform;

use std::ffi::{OsStr, OsString};
use std::process::Command;

use super::env::{Names, Vars, every_name, vars};
use super::{CommandError, Context};
use mask::Mask;

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
    /// Leave the token and API secret visible in COMMAND's output.
    #[arg(long)]
    pub no_mask: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

pub(crate) const AFTER_HELP: &str = "\
Runs COMMAND with TRELLO_API_KEY and TRELLO_TOKEN (names per --names; and
TRELLO_API_SECRET with --with-secret, TRELLO_BOARD_ID with a default board) in its
environment, and every other Trello name any preset uses removed, so the command
sees exactly this profile. Nothing is written anywhere. A token that expires
within 7 days, or has expired, is said on stderr first.

Where COMMAND's stdout or stderr is not a terminal (a pipe or a file, where
agents, CI logs and transcripts read it), the token and the API secret are
replaced there by [hidden by trello-auth], also when written in pieces; the key
is not a secret and stays. COMMAND then runs as a child: stdin, the exit status
and death by a signal pass through, and SIGINT, SIGTERM, SIGHUP, SIGQUIT,
SIGUSR1 and SIGUSR2 sent to trello-auth are passed on (a terminal's Ctrl+C
already reaches COMMAND). A terminal gets COMMAND's output straight, and COMMAND
keeps it as its TTY. With both streams a terminal, or with --no-mask,
trello-auth replaces itself with COMMAND. A missing command exits 127, one that
cannot be run 126. On Windows COMMAND always runs as a child: Ctrl+C reaches it
through the console, and its exit code, whole, is trello-auth's.

Masking stops accidental leaks (`curl -v`, a server that logs its URL). COMMAND
has the token and can print it some other way, and `trello-auth token` and
`trello-auth env` print it by design.

Examples:
  trello-auth exec -- printenv TRELLO_API_KEY
  trello-auth exec --names trello-js -- sh -c 'test -n \"$TRELLO_KEY\" && echo ready'
  trello-auth exec --profile work -- sh -c 'echo \"board: ${TRELLO_BOARD_ID:-none set}\"'
  trello-auth exec -- sh -c 'echo \"token=$TRELLO_TOKEN\"' | cat  # prints token=[hidden by trello-auth]";

/// The command to run, and what to hide in its output.
pub(crate) struct Prepared {
    pub command: Command,
    /// For stderr, before the command runs.
    pub warnings: Vec<String>,
    mask: Mask,
}

/// The command to run, with the profile's variables set and every other
/// Trello name removed from its environment (and only its: nothing is written
/// anywhere), and a mask of the secrets among them.
pub(crate) fn prepare(ctx: &Context, args: &Args) -> Result<Prepared, CommandError> {
    let Some((program, rest)) = args.command.split_first() else {
        return Err(CommandError::Usage(
            "name the command to run after --: trello-auth exec -- COMMAND [ARGS…]".into(),
        ));
    };
    let vars = vars(ctx, args.names, args.with_secret)?;
    let mask = Mask::new(&vars.secrets())
        .map_err(|e| CommandError::Failed(format!("could not prepare to hide the token in the output: {e}")))?;
    let Vars { vars, warnings } = vars;
    let mut command = Command::new(program);
    command.args(rest);
    for name in every_name() {
        command.env_remove(name);
    }
    for (name, value) in vars {
        command.env(name, value);
    }
    Ok(Prepared { command, warnings, mask })
}

/// Which of this process's output streams the command's output is masked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Masked {
    pub stdout: bool,
    pub stderr: bool,
}

impl Masked {
    /// A stream is masked unless it is a terminal or masking is off
    /// (`--no-mask`). A pipe or a file is where agents, CI logs and
    /// transcripts read; a terminal is a person watching, and the command
    /// keeps its TTY there.
    pub fn choose(no_mask: bool, stdout_is_terminal: bool, stderr_is_terminal: bool) -> Masked {
        Masked { stdout: !no_mask && !stdout_is_terminal, stderr: !no_mask && !stderr_is_terminal }
    }

    fn any(self) -> bool {
        self.stdout || self.stderr
    }
}

/// Where a relayed stream goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum To {
    Stdout,
    Stderr,
}

/// The exit code to return for a command that exited (not killed).
pub fn exit_code(status: std::process::ExitStatus) -> u8 {
    status.code().map_or(super::exit::REJECTED, |c| c.clamp(0, 255) as u8)
}

/// Why the command did not run, or its output could not be relayed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RunError {
    #[error("{0}: command not found")]
    NotFound(String),
    #[error("{0}: permission denied")]
    NotPermitted(String),
    #[error("{0}: {1}")]
    CannotStart(String, std::io::Error),
    #[error("{0}: its output could not be relayed: {1}")]
    Relay(String, std::io::Error),
}

impl RunError {
    /// Starting `program` failed: in the shell's words.
    fn starting(program: &OsStr, error: std::io::Error) -> RunError {
        let program = shown(program);
        match error.kind() {
            std::io::ErrorKind::NotFound => RunError::NotFound(program),
            std::io::ErrorKind::PermissionDenied => RunError::NotPermitted(program),
            _ => RunError::CannotStart(program, error),
        }
    }

    fn relay(program: &OsStr, error: std::io::Error) -> RunError {
        RunError::Relay(shown(program), error)
    }

    /// The shell's statuses for a command that cannot be found or run.
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::NotFound(_) => super::exit::NOT_FOUND,
            RunError::NotPermitted(_) | RunError::CannotStart(..) => super::exit::NOT_EXECUTABLE,
            RunError::Relay(..) => super::exit::REJECTED,
        }
    }
}

/// The program's name as messages show it: one line, no control characters.
fn shown(program: &OsStr) -> String {
    crate::untrusted::line(&program.to_string_lossy()).into_owned()
}

/// Runs the prepared command; its exit code. Where nothing is masked, this
/// process becomes the command on Unix (and this returns only if that
/// failed); on Windows, which cannot, the command runs as a child with the
/// streams as they are. Otherwise the command runs as a child with its
/// masked output relayed, and a command killed by a signal ends this process
/// by the same signal (on Windows, an exit code above 255 ends it with that code).
pub(crate) fn run(prepared: Prepared, masked: Masked) -> Result<u8, RunError> {
    if !masked.any() {
        return platform::run_in_place(prepared.command);
    }
    relay::run(prepared.command, &prepared.mask, masked)
}

#[cfg(test)]
mod tests {
    use super::{AFTER_HELP, Masked, mask::MARKER};

    #[test]
    fn the_help_names_the_marker() {
        assert!(AFTER_HELP.contains(MARKER), "{AFTER_HELP}");
    }

    #[test]
    fn a_stream_is_masked_unless_it_is_a_terminal_or_masking_is_off() {
        assert_eq!(Masked::choose(false, false, false), Masked { stdout: true, stderr: true });
        assert_eq!(Masked::choose(false, true, false), Masked { stdout: false, stderr: true });
        assert_eq!(Masked::choose(false, false, true), Masked { stdout: true, stderr: false });
        assert!(!Masked::choose(false, true, true).any());
        assert!(!Masked::choose(true, false, false).any());
    }
}
