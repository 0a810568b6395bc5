//! The library's parts on their own: the config store, the Trello client, the capture listener, shape checks and leaks.

#[path = "../support/mod.rs"]
mod support;

mod bad_input_props;
mod capture;
mod client;
mod faults_store;
mod format_props;
mod outside_data_props;
mod secrets;
mod shell_props;
mod store;
