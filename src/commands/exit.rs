//! Exit statuses, the same for every command: one table, read by the code, `--help`, the man page and (through a test) the README.

pub const OK: u8 = 0;
pub(crate) const REJECTED: u8 = 1;
pub(crate) const USAGE: u8 = 2;
pub(crate) const UNREACHABLE: u8 = 3;
pub(crate) const NOTHING_SAVED: u8 = 4;
/// `exec`: the command exists but cannot be run, as shells say it.
pub(crate) const NOT_EXECUTABLE: u8 = 126;
/// `exec`: no such command, as shells say it.
pub const NOT_FOUND: u8 = 127;

/// Each status and what it means.
pub const TABLE: &[(u8, &str)] = &[
    (OK, "done; for `status`, the credentials are valid"),
    (
        REJECTED,
        "Trello rejected the key or token, something failed, the wizard was quit before saving, a question was \
         answered no (`logout`, `profile remove`), or (`status`) the saved token has expired",
    ),
    (USAGE, "usage error (a bad flag, a malformed key or token), or the wizard was started without a terminal"),
    (
        UNREACHABLE,
        "Trello (or the system keyring) could not be reached (DNS, refused, TLS, timeout, 5xx; no keyring running, \
         locked), or answered in a shape Trello never does, so nothing is known",
    ),
    (NOTHING_SAVED, "nothing is saved for the profile (or it was logged out)"),
    (NOT_EXECUTABLE, "`exec`: the command was found but could not be run (not executable, permission denied)"),
    (NOT_FOUND, "`exec`: the command was not found; any other status after `exec` is the command's own"),
];

/// The table as `--help` and the man page show it.
pub(crate) fn help_table() -> String {
    TABLE.iter().map(|(code, meaning)| format!("  {code:<3}  {meaning}")).collect::<Vec<_>>().join("\n")
}
