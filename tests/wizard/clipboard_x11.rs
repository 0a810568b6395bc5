//! The real X11 clipboard: the wizard under Xvfb copies with `c`, and `xclip -o`
//! reads it back while the wizard runs (the owner must stay alive to serve it).

use crate::support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::pty::{CTRL_C, ENTER, Pty, base_command};

/// An Xvfb server on a free display number, stopped on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Option<Xvfb> {
        if !std::path::Path::new("/usr/bin/Xvfb").exists() || !std::path::Path::new("/usr/bin/xclip").exists() {
            if std::env::var_os("CI").is_some() {
                panic!("Xvfb and xclip are not installed; .ci/run installs the xvfb and xclip packages");
            }
            eprintln!("NOT RUN: the X11 clipboard test needs Xvfb and xclip (apt-get install xvfb xclip)");
            return None;
        }
        // A display number unlikely to be taken, different per test process.
        let display = format!(":{}", 90 + std::process::id() % 500);
        let child = Command::new("/usr/bin/Xvfb")
            .args([display.as_str(), "-nolisten", "tcp", "-screen", "0", "640x480x24"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
        let start = Instant::now();
        while !std::path::Path::new(&socket).exists() {
            assert!(start.elapsed() < Duration::from_secs(10), "Xvfb did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Xvfb { child, display })
    }

    fn clipboard(&self) -> String {
        let out = Command::new("/usr/bin/xclip")
            .args(["-o", "-selection", "clipboard"])
            .env("DISPLAY", &self.display)
            .output()
            .expect("run xclip");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn copies_land_on_the_x11_clipboard_and_stay_while_the_wizard_runs() {
    let Some(x) = Xvfb::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let mut cmd = base_command(home.path());
    cmd.env("DISPLAY", &x.display);
    cmd.arg("--no-browser");
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("Open the app admin portal");
    pty.send("c");
    pty.expect("Copied the portal URL to the clipboard.");
    assert_eq!(x.clipboard(), "https://trello.com/apps/admin");
    // Still served a moment later: one clipboard handle lives for the whole run.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(x.clipboard(), "https://trello.com/apps/admin");
    pty.send(ENTER);
    pty.send("\x14"); // Ctrl+T on the email row: nothing typed yet.
    pty.send("ann@example.com");
    pty.send("\x14");
    pty.expect("Copied the email to the clipboard.");
    assert_eq!(x.clipboard(), "ann@example.com");
    pty.send(CTRL_C);
    assert_eq!(pty.wait(), 1);
    pty.assert_terminal_restored();
}
