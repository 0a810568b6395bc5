//! The real binary's command line.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trello-auth"))
}

#[test]
fn help_explains_the_tool() {
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Trello API credentials"), "{text}");
    assert!(text.contains("TRELLO_API_BASE"), "{text}");
    assert!(text.contains("--profile"), "{text}");
}

#[test]
fn unknown_flags_are_refused_with_usage() {
    let out = bin().arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unexpected argument"));
}
