//! The real binary in a real pseudo-terminal: keys and bracketed paste in,
//! screen (through the vt100 parser) and files out.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtyPair, PtySize, native_pty_system};

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const ESC: &str = "\x1b";
pub const CTRL_C: &str = "\x03";

/// How long a test waits for the screen before failing with what it shows.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub struct Pty {
    pair: PtyPair,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    pub initial_termios: Option<nix::sys::termios::Termios>,
}

/// The environment every run starts from: nothing of the developer's desktop.
pub fn base_command(config_home: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_trello-auth"));
    cmd.env_clear();
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", config_home);
    cmd.env("XDG_CONFIG_HOME", config_home);
    cmd.env("LANG", "C.UTF-8");
    // Any free port, so parallel tests never fight over the default one.
    cmd.env("TRELLO_AUTH_CALLBACK_PORT", "0");
    cmd
}

impl Pty {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo-terminal");
        let initial_termios = pair.master.get_termios();
        let child = pair.slave.spawn_command(cmd).expect("spawn trello-auth");
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty { pair, child, writer, parser, raw, initial_termios }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Lets the program read one key at a time, as a person types: a lone
        // ESC followed at once by more bytes would read as an escape sequence.
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Bracketed paste, as a terminal sends it.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.parser.lock().unwrap().screen())
    }

    /// Everything the program wrote to the terminal.
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Waits until the screen shows `needle`; panics with the screen if it never does.
    pub fn expect(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            if start.elapsed() > PATIENCE {
                panic!("screen never showed {needle:?}; it shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The text of the last OSC 52 copy the program sent to the terminal.
    pub fn last_copied(&self) -> Option<String> {
        use base64::Engine;
        let raw = String::from_utf8_lossy(&self.raw_output()).into_owned();
        let start = raw.rfind("\x1b]52;c;")? + "\x1b]52;c;".len();
        let end = raw[start..].find(['\x1b', '\x07'])? + start;
        let bytes = base64::engine::general_purpose::STANDARD.decode(&raw[start..end]).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Waits for an OSC 52 copy different from `previous`.
    pub fn expect_copy(&self, previous: Option<&str>) -> String {
        let start = Instant::now();
        loop {
            if let Some(text) = self.last_copied().filter(|t| Some(t.as_str()) != previous) {
                return text;
            }
            if start.elapsed() > PATIENCE {
                panic!("nothing was copied; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.pair.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        self.parser.lock().unwrap().screen_mut().set_size(nz(rows), nz(cols));
    }

    pub fn master(&self) -> &dyn MasterPty {
        self.pair.master.as_ref()
    }

    /// Waits for the program to exit and returns its exit code.
    pub fn wait(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(150));
                return status.exit_code();
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("trello-auth did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Asserts every mode the program turned on is off again.
    pub fn assert_terminal_restored(&self) {
        self.with_screen(|s| {
            assert!(!s.alternate_screen(), "still on the alternate screen");
            assert!(!s.bracketed_paste(), "bracketed paste still on");
            assert!(!s.hide_cursor(), "cursor still hidden");
        });
        let raw = String::from_utf8_lossy(&self.raw_output()).to_string();
        for (on, off) in [("\x1b[?1049h", "\x1b[?1049l"), ("\x1b[?2004h", "\x1b[?2004l")] {
            if raw.contains(on) {
                assert!(raw.rfind(off) > raw.rfind(on), "{on:?} was not undone");
            }
        }
        if let (Some(before), Some(after)) = (&self.initial_termios, self.pair.master.get_termios()) {
            assert_eq!(before.local_flags, after.local_flags, "raw mode left on (local flags differ)");
            assert_eq!(before.input_flags, after.input_flags, "input flags differ");
            assert_eq!(before.output_flags, after.output_flags, "output flags differ");
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// CPU time (user + system, in clock ticks) a process has used, from /proc.
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// How many times a process's threads have been switched in, from /proc:
/// every wakeup (a timer, an event, a busy loop being preempted) counts one.
pub fn wakeups(pid: u32) -> u64 {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        // A thread that ended since the listing has nothing left to count.
        let Ok(status) = std::fs::read_to_string(task.unwrap().path().join("status")) else { continue };
        for line in status.lines() {
            if let Some(n) = line
                .strip_prefix("voluntary_ctxt_switches:")
                .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
            {
                total += n.trim().parse::<u64>().unwrap();
            }
        }
    }
    total
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap()
}
