//! `exec` through the real binary, from file storage: exactly the profile
//! handed over, what the child sees, the name presets, and a missing command; the secrets hidden
//! in output read through a pipe (split byte by byte, at the very end, on
//! both streams) and left alone on a terminal; and what passes through the
//! relay unchanged: stdin, exit codes, death by a signal, signals sent to
//! trello-auth, the order of `2>&1`, a reader that goes away. With nothing
//! to mask the process becomes the child (same pid).

use crate::support;

use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::cli::{Env, SECRET, TOKEN, code, stderr, stdout};
use support::fake_trello::KEY;
use support::pty::{CTRL_C, PATIENCE, Pty, base_command};
use trello_auth::commands::exec::mask::MARKER;

#[test]
fn the_child_sees_the_variables_and_nothing_is_written() {
    let env = Env::saved_offline();
    let before: Vec<_> =
        std::fs::read_dir(env.config().parent().unwrap()).unwrap().map(|e| e.unwrap().path()).collect();
    let script = "printf '%s|%s|%s' \"$TRELLO_API_KEY\" \"$TRELLO_TOKEN\" \"${TRELLO_API_SECRET-unset}\"";
    let out = env.run(&["exec", "--no-mask", "--", "sh", "-c", script]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{KEY}|{TOKEN}|unset"));
    // Read through a pipe, the token is hidden; the key is no secret.
    let out = env.run(&["exec", "--", "sh", "-c", script]);
    assert_eq!(stdout(&out), format!("{KEY}|{MARKER}|unset"));
    let out = env.run(&["exec", "--with-secret", "--no-mask", "--", "sh", "-c", "printf %s \"$TRELLO_API_SECRET\""]);
    assert_eq!(stdout(&out), SECRET);
    let out = env.run(&["exec", "--with-secret", "--", "sh", "-c", "printf %s \"$TRELLO_API_SECRET\""]);
    assert_eq!(stdout(&out), MARKER);
    let after: Vec<_> = std::fs::read_dir(env.config().parent().unwrap()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(before, after, "exec wrote a file");
    // This process's environment never held them.
    assert!(std::env::var_os("TRELLO_TOKEN").is_none());
}

#[test]
fn presets_name_the_variables_other_tools_read() {
    let env = Env::saved_offline();
    for (preset, key_var, token_var) in [
        ("default", "TRELLO_API_KEY", "TRELLO_TOKEN"),
        ("trello-js", "TRELLO_KEY", "TRELLO_TOKEN"),
        ("api-token", "TRELLO_API_KEY", "TRELLO_API_TOKEN"),
        ("ruby-trello", "TRELLO_DEVELOPER_PUBLIC_KEY", "TRELLO_MEMBER_TOKEN"),
    ] {
        let script = format!("printf '%s %s' \"${key_var}\" \"${token_var}\"");
        let out = env.run(&["exec", "--no-mask", "--names", preset, "--", "sh", "-c", &script]);
        assert_eq!(stdout(&out), format!("{KEY} {TOKEN}"), "{preset}: {}", stderr(&out));
        let out = env.run(&["env", "--names", preset]);
        assert!(stdout(&out).contains(&format!("export {key_var}='{KEY}'")), "{preset}: {}", stdout(&out));
        assert!(stdout(&out).contains(&format!("export {token_var}='{TOKEN}'")), "{preset}: {}", stdout(&out));
    }
}

#[test]
fn with_no_mask_it_becomes_the_command_exit_status_stdin_pid_and_signals() {
    let env = Env::saved_offline();
    let out = env.run(&["exec", "--no-mask", "--", "sh", "-c", "exit 7"]);
    assert_eq!(code(&out), 7);
    let out = env.run_with_stdin(&["exec", "--no-mask", "--", "cat"], "piped through\n");
    assert_eq!(stdout(&out), "piped through\n");
    // The process is the command: same pid, so a signal reaches the command itself.
    let mut child = env
        .cmd(&["exec", "--no-mask", "--", "sh", "-c", "echo $$; exec sleep 30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0u8; 32];
    let n = child.stdout.as_mut().unwrap().read(&mut first).unwrap();
    let printed: u32 = String::from_utf8_lossy(&first[..n]).trim().parse().unwrap();
    assert_eq!(printed, child.id(), "exec ran the command as a child instead of becoming it");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(15), "{status:?}");
    // The command gets the core-dump limit this shell has, not trello-auth's
    // hardened one, whether it replaces trello-auth or runs as its child.
    let direct = std::process::Command::new("sh").arg("-c").arg("ulimit -c").output().unwrap();
    for args in [&["exec", "--no-mask", "--", "sh", "-c", "ulimit -c"][..], &["exec", "--", "sh", "-c", "ulimit -c"]] {
        let via = env.run(args);
        assert_eq!(stdout(&via), String::from_utf8_lossy(&direct.stdout), "{args:?}");
    }
}

#[test]
fn a_missing_command_is_127_with_the_shell_s_words() {
    let env = Env::saved_offline();
    let not_executable = env.dir.path().join("notes.txt");
    std::fs::write(&not_executable, "just text\n").unwrap();
    std::fs::set_permissions(&not_executable, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    // As a child (output masked) and in trello-auth's place, the same words.
    for mask in [&[][..], &["--no-mask"]] {
        let out = env.run(&[&["exec"], mask, &["--", "no-such-command-here", "x"]].concat());
        assert_eq!(code(&out), 127, "{mask:?}");
        assert_eq!(stderr(&out), "trello-auth: no-such-command-here: command not found\n", "{mask:?}");
        let out = env.run(&[&["exec"], mask, &["--", not_executable.to_str().unwrap()]].concat());
        assert_eq!(code(&out), 126, "{mask:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("permission denied"), "{mask:?}: {}", stderr(&out));
    }
    let out = env.run(&["exec"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let nothing = Env::offline();
    let out = nothing.run(&["exec", "--", "true"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}

/// What a pipe has delivered so far, read on a thread as it arrives.
struct Arriving(Arc<Mutex<Vec<u8>>>);

impl Arriving {
    fn start(mut from: impl Read + Send + 'static) -> Arriving {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let into = bytes.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = from.read(&mut buf) {
                if n == 0 {
                    break;
                }
                into.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Arriving(bytes)
    }

    fn now(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Waits until exactly `want` has arrived; fails with what did.
    fn until(&self, want: &str) {
        let start = Instant::now();
        while self.now() != want {
            assert!(start.elapsed() < PATIENCE, "waited for {want:?}; arrived: {:?}", self.now());
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Nothing more arrives for a while.
    fn stays(&self, want: &str) {
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(self.now(), want);
    }
}

/// Waits for a spawned trello-auth, failing the test if it hangs.
fn wait(child: &mut std::process::Child) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("trello-auth did not end");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `slowly TEXT FD`: writes TEXT to FD one byte a write, with a pause after
/// each, so every byte reaches trello-auth in a read of its own.
const SLOWLY: &str =
    r#"slowly() { s=$1; while [ -n "$s" ]; do r=${s#?}; printf '%s' "${s%"$r"}" >&"$2"; s=$r; sleep 0.005; done; }"#;

#[test]
fn secrets_written_byte_by_byte_never_arrive_whole_through_a_pipe() {
    let env = Env::saved_offline();
    let script = format!(
        "{SLOWLY}\n\
         slowly \"before $TRELLO_TOKEN middle $TRELLO_API_SECRET after\n\" 1\n\
         slowly \"err $TRELLO_API_SECRET and at the very end $TRELLO_TOKEN\" 2\n\
         slowly \"last line, no newline: $TRELLO_TOKEN\" 1"
    );
    let out = env.run(&["exec", "--with-secret", "--", "sh", "-c", &script]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Output only grows: a secret that is not in all of it never arrived whole.
    assert_eq!(stdout(&out), format!("before {MARKER} middle {MARKER} after\nlast line, no newline: {MARKER}"));
    assert_eq!(stderr(&out), format!("err {MARKER} and at the very end {MARKER}"));
    // A false start, a byte that breaks it, the rest: no secret, so all of it arrives.
    let (head, tail) = TOKEN.split_at(30);
    let script = format!("{SLOWLY}\nslowly '{head}' 1; slowly '-' 1; slowly '{tail}' 1");
    let out = env.run(&["exec", "--", "sh", "-c", &script]);
    assert_eq!(stdout(&out), format!("{head}-{tail}"));
}

/// Output that cannot start a secret is written at once; the start of one
/// waits for the next bytes, which here come only when the test sends them
/// on stdin (so no timer could be what lets them go).
#[test]
fn output_goes_on_at_once_and_a_partial_secret_waits_only_for_the_next_bytes() {
    let env = Env::saved_offline();
    let script = "printf 'first line\\nAT'; read -r a; printf '%s\\nAT' \"$a\"; read -r b; printf '%s\\n' \"$b\"";
    let mut child = env
        .cmd(&["exec", "--", "sh", "-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let arriving = Arriving::start(child.stdout.take().unwrap());
    let mut stdin = child.stdin.take().unwrap();
    arriving.until("first line\n");
    arriving.stays("first line\n");
    // "AT" and these make the token, split across two reads by the child's own wait.
    writeln!(stdin, "{}", &TOKEN[2..]).unwrap();
    arriving.until(&format!("first line\n{MARKER}\n"));
    arriving.stays(&format!("first line\n{MARKER}\n"));
    writeln!(stdin, "Z").unwrap();
    drop(stdin);
    arriving.until(&format!("first line\n{MARKER}\nATZ\n"));
    assert_eq!(wait(&mut child).code(), Some(0));
}

#[test]
fn stdin_passes_through_and_is_masked_on_the_way_out() {
    let env = Env::saved_offline();
    let input = format!("{{\"jsonrpc\":\"2.0\",\"params\":{{\"token\":\"{TOKEN}\"}}}}\nsecond line\n");
    let out = env.run_with_stdin(&["exec", "--", "cat"], &input);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let first = stdout(&out).lines().next().unwrap().to_string();
    let json: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(json["params"]["token"], MARKER);
    assert_eq!(stdout(&out), input.replace(TOKEN, MARKER));
}

#[test]
fn a_terminal_gets_the_output_straight_and_the_child_keeps_its_tty() {
    let env = Env::saved_offline();
    let probe = "echo \"pid $$\"; printf 'out %s\\n' \"$TRELLO_TOKEN\"; printf 'err %s\\n' \"$TRELLO_TOKEN\" >&2; \
                 for fd in 0 1 2; do test -t $fd && echo \"fd $fd is a tty\" >&2; done; true";
    // Both streams a terminal: nothing is masked, and trello-auth becomes the command.
    let mut cmd = base_command(env.dir.path());
    cmd.args(["exec", "--", "sh", "-c", probe]);
    let mut pty = Pty::spawn(cmd, 200, 20);
    assert_eq!(pty.wait(), 0);
    let screen = pty.screen();
    assert!(screen.contains(&format!("pid {}", pty.pid())), "{screen}");
    assert!(screen.contains(&format!("out {TOKEN}")) && screen.contains(&format!("err {TOKEN}")), "{screen}");
    for fd in 0..3 {
        assert!(screen.contains(&format!("fd {fd} is a tty")), "{screen}");
    }
    assert!(!screen.contains(MARKER), "{screen}");
    // stdout into a pipe: masked there; stderr still the terminal, straight.
    let mut cmd = portable_pty::CommandBuilder::new("sh");
    let bin = env!("CARGO_BIN_EXE_trello-auth");
    cmd.args(["-c", "\"$0\" exec -- sh -c \"$1\" | cat", bin, probe]);
    cmd.env_clear();
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env("XDG_CONFIG_HOME", env.dir.path());
    let mut pty = Pty::spawn(cmd, 200, 20);
    assert_eq!(pty.wait(), 0);
    let screen = pty.screen();
    assert!(screen.contains(&format!("out {MARKER}")), "{screen}");
    assert!(screen.contains(&format!("err {TOKEN}")), "{screen}");
    assert!(screen.contains("fd 0 is a tty") && screen.contains("fd 2 is a tty"), "{screen}");
    assert!(!screen.contains("fd 1 is a tty"), "{screen}");
}

#[test]
fn exit_codes_and_death_by_a_signal_pass_through() {
    let env = Env::saved_offline();
    for exit in [0, 3, 42, 255] {
        let out = env.run(&["exec", "--", "sh", "-c", &format!("echo \"$TRELLO_TOKEN\"; exit {exit}")]);
        assert_eq!(out.status.code(), Some(exit), "{}", stderr(&out));
        assert_eq!(stdout(&out), format!("{MARKER}\n"));
    }
    for (signal, number) in [("TERM", 15), ("INT", 2), ("HUP", 1), ("KILL", 9), ("SEGV", 11)] {
        let out = env.run(&["exec", "--", "sh", "-c", &format!("echo \"$TRELLO_TOKEN\"; kill -{signal} $$")]);
        assert_eq!(out.status.signal(), Some(number), "{signal}: {:?} {}", out.status, stderr(&out));
        assert_eq!(stdout(&out), format!("{MARKER}\n"), "{signal}");
        // Raised on itself with core dumps off: no core file, none claimed.
        assert!(!out.status.core_dumped(), "{signal}");
    }
}

#[test]
fn signals_sent_to_trello_auth_reach_the_child_once() {
    let env = Env::saved_offline();
    for (signal, exit) in [(Signal::SIGTERM, 7), (Signal::SIGHUP, 8), (Signal::SIGINT, 9)] {
        let mark = env.dir.path().join(format!("{signal}"));
        let name = &signal.as_str()[3..];
        // The shell runs a trap once its `sleep` ends: short sleeps keep that quick.
        let script =
            format!("trap 'echo {name} >> \"$0\"; exit {exit}' {name}; echo ready; while :; do sleep 0.05; done");
        let mut child = env
            .cmd(&["exec", "--", "sh", "-c", &script, mark.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let arriving = Arriving::start(child.stdout.take().unwrap());
        arriving.until("ready\n");
        kill(Pid::from_raw(child.id() as i32), signal).unwrap();
        let status = wait(&mut child);
        assert_eq!(status.code(), Some(exit), "{signal}: {status:?}");
        assert_eq!(std::fs::read_to_string(&mark).unwrap(), format!("{name}\n"), "{signal}: exactly once");
    }
}

/// Ctrl+C in a terminal reaches the whole foreground group, the child
/// included: trello-auth does not send it a second one. The child counts
/// each SIGINT delivered (a byte each on its wakeup fd) for half a second
/// after the first.
#[test]
fn ctrl_c_in_a_terminal_reaches_the_child_once() {
    let env = Env::saved_offline();
    let mark = env.dir.path().join("interrupted");
    let out = env.dir.path().join("out.txt");
    let child = r#"
import os, select, signal, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
signal.set_wakeup_fd(w)
signal.signal(signal.SIGINT, lambda *_: None)
print(os.environ["TRELLO_TOKEN"], flush=True)
print("ready", file=sys.stderr, flush=True)
os.read(r, 1)
time.sleep(0.5)
more = os.read(r, 100) if select.select([r], [], [], 0)[0] else b""
open(sys.argv[1], "a").write(f"{1 + len(more)}\n")
sys.exit(5)
"#;
    // stdout into a file (masked, so trello-auth runs the command as a
    // child); stderr and stdin the terminal.
    let mut cmd = portable_pty::CommandBuilder::new("sh");
    let bin = env!("CARGO_BIN_EXE_trello-auth");
    cmd.args(["-c", "exec \"$0\" exec -- python3 -c \"$1\" \"$2\" > \"$3\""]);
    cmd.args([bin, child, mark.to_str().unwrap(), out.to_str().unwrap()]);
    cmd.env_clear();
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env("XDG_CONFIG_HOME", env.dir.path());
    let mut pty = Pty::spawn(cmd, 100, 10);
    pty.expect("ready");
    pty.send(CTRL_C);
    assert_eq!(pty.wait(), 5, "{}", pty.screen());
    assert_eq!(std::fs::read_to_string(&mark).unwrap(), "1\n", "SIGINTs the child received");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), format!("{MARKER}\n"));
}

/// `2>&1` into one pipe: the child gets one pipe for both streams, so lines
/// keep the order it wrote them in.
#[test]
fn stdout_and_stderr_on_one_pipe_keep_their_order() {
    let env = Env::saved_offline();
    let script = "i=0; while [ $i -lt 50 ]; do echo \"out $i $TRELLO_TOKEN\"; echo \"err $i\" >&2; i=$((i+1)); done";
    let (reader, writer) = std::io::pipe().unwrap();
    let mut child = env
        .cmd(&["exec", "--", "sh", "-c", script])
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .unwrap();
    let arriving = Arriving::start(reader);
    assert_eq!(wait(&mut child).code(), Some(0));
    let want: String = (0..50).map(|i| format!("out {i} {MARKER}\nerr {i}\n")).collect();
    arriving.until(&want);
}

/// A reader that goes away (`| head`) ends the command as it would have
/// ended it without trello-auth: its next write meets a closed pipe.
#[test]
fn a_reader_that_goes_away_ends_the_command_by_sigpipe() {
    let env = Env::saved_offline();
    let mut child = env.cmd(&["exec", "--", "yes"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 2];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    assert_eq!(&first, b"y\n");
    drop(child.stdout.take());
    let status = wait(&mut child);
    assert_eq!(status.signal(), Some(13), "{status:?}");
}

/// The child of `exec` sees exactly the profile: nothing another profile's
/// `eval "$(trello-auth env)"` left in the environment, under any preset.
#[test]
fn exec_hands_over_exactly_the_profile() {
    let env = Env::offline();
    env.save("default", TOKEN, "never");
    let inherited = [
        ("TRELLO_BOARD_ID", "5b0000000000000000000999"),
        ("TRELLO_API_KEY", "ffffffffffffffffffffffffffffffff"),
        ("TRELLO_API_TOKEN", "ATTAstale"),
        ("TRELLO_TOKEN", "ATTApersonal"),
        ("TRELLO_API_SECRET", "old-secret"),
        ("TRELLO_MEMBER_TOKEN", "ATTAruby"),
    ];
    let names = "^TRELLO_(API_KEY|KEY|TOKEN|API_TOKEN|API_SECRET|BOARD_ID|DEVELOPER_PUBLIC_KEY|MEMBER_TOKEN)=";
    let script = format!("env | grep -E '{names}' | sort");
    let mut cmd = env.cmd(&["exec", "--no-mask", "--names", "trello-js", "--", "sh", "-c", &script]);
    for (k, v) in inherited {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("TRELLO_KEY={KEY}\nTRELLO_TOKEN={TOKEN}\n"));
}
