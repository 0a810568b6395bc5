//! How a message says what to do: the `why:` and `fix:` lines under a problem, and each command it suggests, written to run as the invocation that names this config file and profile.
//!
//! Lower layers (Trello's errors, the keyring's, the files') say what went
//! wrong and what cures it in words; the command line adds the command that
//! does it here, with the profile's own invocation (`commands::invocation`),
//! so following the advice acts on the same file and profile.

/// A command to suggest, in backticks: `run` (how trello-auth is run for
/// this file and profile) and the words after it; `args` empty for the
/// wizard itself.
pub fn command(run: &str, args: &str) -> String {
    if args.is_empty() { format!("`{run}`") } else { format!("`{run} {args}`") }
}

/// The lines under a problem: `why:` when the cause is known, then `fix:`.
pub(crate) fn why_fix(why: Option<&str>, fix: &str) -> String {
    match why {
        Some(why) => format!("\n  why: {why}\n  fix: {fix}"),
        None => format!("\n  fix: {fix}"),
    }
}

/// The `fix:` line under a table's value (`status`'s rows), `indent` columns in.
pub(crate) fn fix_under(indent: usize, fix: &str) -> String {
    format!("\n{:indent$} fix: {fix}", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_commands() {
        assert_eq!(command("trello-auth --profile work", "rotate"), "`trello-auth --profile work rotate`");
        assert_eq!(command("trello-auth", ""), "`trello-auth`");
        assert_eq!(why_fix(Some("a"), "b"), "\n  why: a\n  fix: b");
        assert_eq!(why_fix(None, "b"), "\n  fix: b");
        assert_eq!(fix_under(10, "b"), "\n           fix: b");
    }
}
