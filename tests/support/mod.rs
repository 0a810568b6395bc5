//! Test support shared by the integration tests: the fake Trello server and friends.
#![allow(dead_code)]

pub mod browser;
pub mod cli;
pub mod clis;
pub mod dbus_proxy;
pub mod extreme;
pub mod fake_trello;
pub mod mcp;
pub mod mcp_sdk;
pub mod mount;
pub mod pty;
pub mod raw_server;
pub mod secret_service;
pub mod values;
pub mod wizard;

/// Whether `program` is on PATH.
pub fn on_path(program: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether `program`, which a test needs, is on PATH: in CI (`CI` set) a
/// missing one fails the test (`.ci/run` installs `package`); elsewhere the
/// test says NOT RUN.
pub fn needs(program: &str, package: &str) -> bool {
    let found = on_path(program);
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{program} is missing: .ci/run installs {package}");
        eprintln!("NOT RUN: {program} is not installed (apt-get install {package})");
    }
    found
}
