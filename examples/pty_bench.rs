//! Whole-process figures the criterion benches cannot take: time to the first
//! frame in a pseudo-terminal, peak memory of a whole wizard run, and the
//! verify step against the fake Trello with injected latency.
//!
//! Used by `benches/process.sh`; run alone as
//! `cargo run --release --example pty_bench -- first-frame target/release/trello-auth`.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

#[allow(dead_code)]
#[path = "../tests/support/fake_trello.rs"]
mod fake_trello;
#[allow(dead_code)]
#[path = "../tests/support/values.rs"]
mod values;

use fake_trello::{ANN, FakeTrello, KEY};

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    _pair: portable_pty::PtyPair,
}

fn spawn(cmd: CommandBuilder) -> Session {
    let pair = native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
    let child = pair.slave.spawn_command(cmd).unwrap();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    Session { child, writer, output, _pair: pair }
}

impl Session {
    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while !String::from_utf8_lossy(&self.output.lock().unwrap()).contains(needle) {
            assert!(start.elapsed() < Duration::from_secs(20), "never saw {needle:?}");
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }

    fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    fn finish(mut self) {
        let _ = self.child.wait();
    }
}

fn command(program: &str, home: &std::path::Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(program);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("PATH", "/usr/bin:/bin");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home);
    cmd.env("TRELLO_AUTH_CALLBACK_PORT", "0");
    cmd
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// Milliseconds from spawning the binary to its first drawn frame.
fn first_frame(binary: &str, runs: usize) {
    let mut times = Vec::new();
    for _ in 0..runs {
        let home = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let mut session = spawn(command(binary, home.path()));
        session.wait_for("app admin portal");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        session.send("\x03");
        session.finish();
    }
    let min = times.iter().cloned().fold(f64::MAX, f64::min);
    println!("first_frame_ms median={:.2} min={min:.2} runs={runs}", median(times));
}

/// CPU clock ticks (user + system) a process has used, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// CPU used by a wizard left alone on step 4 (listener running) for `seconds`.
fn idle_cpu(binary: &str, seconds: u64) {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(binary, home.path());
    cmd.env("TRELLO_API_BASE", fake.api_base());
    let mut s = spawn(cmd);
    s.wait_for("app admin portal");
    s.send("\r");
    s.send("\r");
    s.paste(KEY);
    s.wait_for("Trello knows this key");
    s.send("\r");
    s.wait_for("Waiting on");
    std::thread::sleep(Duration::from_millis(300));
    let pid = s.child.process_id().unwrap();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(seconds));
    let after = cpu_ticks(pid);
    println!("idle_cpu_ticks={} over {seconds} s (1 tick = 10 ms)", after - before);
    s.send("\x03");
    s.finish();
}

/// Peak RSS (KiB, from /usr/bin/time) of a whole wizard run: five steps to a saved profile.
fn wizard_memory(binary: &str) {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let report = home.path().join("time.txt");
    let mut cmd = command("/usr/bin/time", home.path());
    cmd.args(["-f", "%M", "-o"]);
    cmd.arg(&report);
    cmd.arg(binary);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    let mut s = spawn(cmd);
    s.wait_for("app admin portal");
    s.send("\r");
    s.send("ann@example.com");
    s.send("\r");
    s.paste(KEY);
    s.wait_for("Trello knows this key");
    s.send("\r");
    s.wait_for("Waiting on");
    s.paste(&token);
    s.send("\r");
    s.wait_for("Credentials verified and saved");
    s.send("\r");
    s.finish();
    let kib: u64 = std::fs::read_to_string(&report).unwrap().trim().parse().unwrap();
    println!("wizard_peak_rss_kib={kib}");
}

/// `verify` (two calls at once) against the fake with `latency` per request.
fn verify_latency(runs: usize, latency_ms: u64) {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    fake.set_latency(Duration::from_millis(latency_ms));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client =
        trello_auth::trello::Client::new(&fake.api_base(), trello_auth::trello::ClientConfig::default()).unwrap();
    let creds = trello_auth::trello::Credentials::sendable(KEY, &trello_auth::credentials::Secret::new(token)).unwrap();
    // One warm-up call opens the connections, as the wizard's key check does.
    rt.block_on(client.member_me(&creds)).unwrap();
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        rt.block_on(client.verify(&creds)).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!("verify_ms median={:.1} latency_ms={latency_ms} runs={runs}", median(times));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let binary = || {
        let path = args.get(2).expect("the trello-auth binary to measure");
        std::fs::canonicalize(path).expect("the binary exists").to_string_lossy().into_owned()
    };
    match args.get(1).map(String::as_str) {
        Some("first-frame") => first_frame(&binary(), 50),
        Some("wizard-memory") => wizard_memory(&binary()),
        Some("verify-latency") => verify_latency(10, 200),
        Some("idle-cpu") => idle_cpu(&binary(), 10),
        _ => eprintln!("usage: pty_bench first-frame BIN | wizard-memory BIN | idle-cpu BIN | verify-latency"),
    }
}
