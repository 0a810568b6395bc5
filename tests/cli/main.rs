//! The real binary as scripts and people run its plain commands: one test crate, so the suite links once.

#[path = "../support/mod.rs"]
mod support;

mod board;
mod completions;
mod env;
mod examples;
mod exec;
mod faults_network;
mod help;
mod hostile;
mod hostile_files;
mod keyring;
mod login;
mod logout;
mod man;
mod mcp;
mod mcp_clients;
mod mcp_clis;
mod mcp_hostile;
mod mcp_sdk;
mod mcp_server;
mod outside_data;
mod own_token;
mod profile;
mod reveal;
mod rotate;
mod shared_token;
mod status;
mod storage;
mod token;
mod version;
mod wizard;
