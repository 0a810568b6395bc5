//! The stdout/stderr boundary: every line a command prints passes here, made safe for a terminal (or escaped, for JSON).

use std::io::Write;

use crate::commands::{CommandError, Output, Stdout};
use crate::untrusted;

/// Prints an output: stdout made safe as its kind asks, warnings on stderr;
/// returns its exit status.
pub fn write(output: &Output) -> u8 {
    write_for("trello-auth", output)
}

/// As [`write`]: `run` is how trello-auth runs for this file and profile
/// (warnings are written with it where they are made).
pub(crate) fn write_for(run: &str, output: &Output) -> u8 {
    warn_for(run, &output.warnings);
    match &output.stdout {
        Stdout::Text(text) => write_stdout(&untrusted::for_terminal(text)),
        Stdout::Json(text) => write_stdout(&untrusted::json_safe(text)),
        // Checked by its command (the token passed the shape check).
        Stdout::Raw(text) => write_stdout(text),
    }
    output.code
}

/// The error on stderr; its exit status.
pub fn report(error: &CommandError) -> u8 {
    report_for("trello-auth", error)
}

/// The error on stderr, each command it suggests run as `run` (see
/// [`CommandError::words`]); its exit status.
pub(crate) fn report_for(run: &str, error: &CommandError) -> u8 {
    eprint_clean(&format!("trello-auth: {}\n", error.words(run)));
    error.exit_code()
}

/// Warnings on stderr. A warning that suggests a command was written with
/// the profile's invocation where it was made (`crate::advice::command`).
pub(crate) fn warn_for(_run: &str, lines: &[String]) {
    for line in lines {
        eprint_clean(&format!("trello-auth: warning: {line}\n"));
    }
}

/// Every line for stderr passes here: messages quote names and text from
/// Trello and the config file, which must not drive the terminal.
pub(crate) fn eprint_clean(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(untrusted::for_terminal(text).as_bytes());
    let _ = err.flush();
}

/// A closed pipe (`| head`) is not an error worth a panic.
fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
