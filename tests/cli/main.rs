//! The real binary as scripts and people run its plain commands: one test crate, so the suite links once.

#[path = "../support/mod.rs"]
mod support;

mod board;
mod coming_back;
mod commands;
mod examples;
mod exec;
mod faults_network;
mod help;
mod holes;
mod hostile;
mod hostile_files;
mod keyring;
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
mod shared_token;
