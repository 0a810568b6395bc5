//! A real Secret Service for tests: a private D-Bus session bus and
//! gnome-keyring-daemon on it, unlocked with a throwaway password.
//!
//! Each test gets its own bus and keyring in a temp home, so tests neither
//! share entries nor touch the developer's keyring. Without Debian's `dbus`
//! and `gnome-keyring` the tests say NOT RUN, except in CI (`CI` set), where
//! `.ci/run` installs them and a missing service fails the test.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SecretService {
    bus: Child,
    keyring: Child,
    /// `DBUS_SESSION_BUS_ADDRESS` of the private bus.
    pub address: String,
    pub home: tempfile::TempDir,
}

impl SecretService {
    /// Starts one, or returns `None` (NOT RUN) where the programs are missing outside CI.
    pub fn start() -> Option<SecretService> {
        let missing: Vec<&str> =
            ["dbus-daemon", "gnome-keyring-daemon", "secret-tool"].into_iter().filter(|p| !super::on_path(p)).collect();
        if !missing.is_empty() {
            if std::env::var_os("CI").is_some() {
                panic!("the keyring tests need {missing:?}: .ci/run installs dbus, gnome-keyring and libsecret-tools");
            }
            eprintln!(
                "NOT RUN: the keyring tests need {missing:?} (apt-get install dbus gnome-keyring libsecret-tools)"
            );
            return None;
        }
        let home = tempfile::tempdir().unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let address = line.trim().to_string();
        assert!(address.starts_with("unix:"), "dbus-daemon printed {address:?}");
        let runtime = home.path().join("run");
        std::fs::create_dir_all(&runtime).unwrap();
        std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        keyring.stdin.take().unwrap().write_all(b"throwaway-test-password").unwrap();
        let service = SecretService { bus, keyring, address, home };
        service.wait_until_up();
        Some(service)
    }

    fn wait_until_up(&self) {
        let start = Instant::now();
        loop {
            let out = Command::new("dbus-send")
                .args([
                    "--session",
                    "--dest=org.freedesktop.DBus",
                    "--print-reply",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "the Secret Service never came up");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `secret-tool` on this bus.
    pub fn secret_tool(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        let mut child = Command::new("secret-tool")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("HOME", self.home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    /// What `secret-tool lookup service SERVICE username PROFILE` prints, if anything.
    pub fn lookup(&self, service: &str, profile: &str) -> Option<String> {
        let out = self.secret_tool(&["lookup", "service", service, "username", profile], None);
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Stores `secret` as a person would with `secret-tool store`.
    pub fn store(&self, service: &str, profile: &str, secret: &str) {
        let out = self.secret_tool(
            &["store", "--label", "stored by hand", "service", service, "username", profile],
            Some(secret),
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    /// Locks the login collection, as a screen lock would (through D-Bus:
    /// `secret-tool lock` of libsecret 0.20 hangs on a collection path).
    pub fn lock(&self) {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--dest=org.freedesktop.secrets",
                "--print-reply",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .unwrap();
        assert!(out.status.success(), "lock: {}", String::from_utf8_lossy(&out.stderr));
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
