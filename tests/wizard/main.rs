//! The wizard: its state machine, its screens, and the real binary in a pseudo-terminal, a browser and an X display.

#[path = "../support/mod.rs"]
mod support;

mod browser_capture;
mod clipboard_x11;
mod faults_wizard;
mod keymap;
mod member_names;
mod plain_pty;
mod rotate_pty;
mod snapshots;
mod wizard_flow;
mod wizard_pty;
