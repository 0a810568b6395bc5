//! `token` and `exec` through the real binary, from file storage: what the
//! child sees (the token hidden when read through a pipe), that with nothing
//! to mask the process becomes the child (signals, stdin, exit status, pid),
//! the name presets, and a missing command.

use crate::support;

use std::io::Read;
use std::process::Stdio;

use support::cli::{Env, SECRET, TOKEN, code, stderr, stdout};
use support::fake_trello::KEY;
use support::pty::{Pty, base_command};
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

#[test]
fn token_prints_alone_to_a_pipe_and_refuses_a_terminal() {
    let env = Env::saved_offline();
    let out = env.run(&["token"]);
    assert_eq!((code(&out), stdout(&out)), (0, format!("{TOKEN}\n")));
    let nothing = Env::offline();
    assert_eq!(code(&nothing.run(&["token"])), 4);

    let mut cmd = base_command(env.dir.path());
    cmd.arg("token");
    let mut pty = Pty::spawn(cmd, 100, 10);
    assert_eq!(pty.wait(), 2);
    let screen = pty.screen();
    assert!(screen.contains("refusing to print the token to a terminal"), "{screen}");
    assert!(!screen.contains(TOKEN));
    let mut cmd = base_command(env.dir.path());
    cmd.args(["token", "--force"]);
    let mut pty = Pty::spawn(cmd, 100, 10);
    assert_eq!(pty.wait(), 0);
    assert!(pty.screen().contains(TOKEN));
}
