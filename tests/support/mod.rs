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
pub mod wizard;
