//! `token` and `exec` through the real binary, from file storage: what the
//! child sees, that the process becomes the child (signals, stdin, exit
//! status, pid), the name presets, and a missing command.

use crate::support;

use std::io::Read;
use std::process::Stdio;

use support::cli::{Env, SECRET, TOKEN, code, stderr, stdout};
use support::fake_trello::KEY;

#[test]
fn the_child_sees_the_variables_and_nothing_is_written() {
    let env = Env::saved_offline();
    let before: Vec<_> =
        std::fs::read_dir(env.config().parent().unwrap()).unwrap().map(|e| e.unwrap().path()).collect();
    let out = env.run(&[
        "exec",
        "--",
        "sh",
        "-c",
        "printf '%s|%s|%s' \"$TRELLO_API_KEY\" \"$TRELLO_TOKEN\" \"${TRELLO_API_SECRET-unset}\"",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{KEY}|{TOKEN}|unset"));
    let out = env.run(&["exec", "--with-secret", "--", "sh", "-c", "printf %s \"$TRELLO_API_SECRET\""]);
    assert_eq!(stdout(&out), SECRET);
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
        let out = env.run(&["exec", "--names", preset, "--", "sh", "-c", &script]);
        assert_eq!(stdout(&out), format!("{KEY} {TOKEN}"), "{preset}: {}", stderr(&out));
        let out = env.run(&["env", "--names", preset]);
        assert!(stdout(&out).contains(&format!("export {key_var}='{KEY}'")), "{preset}: {}", stdout(&out));
        assert!(stdout(&out).contains(&format!("export {token_var}='{TOKEN}'")), "{preset}: {}", stdout(&out));
    }
}

#[test]
fn it_becomes_the_command_exit_status_stdin_pid_and_signals() {
    let env = Env::saved_offline();
    let out = env.run(&["exec", "--", "sh", "-c", "exit 7"]);
    assert_eq!(code(&out), 7);
    let out = env.run_with_stdin(&["exec", "--", "cat"], "piped through\n");
    assert_eq!(stdout(&out), "piped through\n");
    // The process is the command: same pid, so a signal reaches the command itself.
    let mut child = env
        .cmd(&["exec", "--", "sh", "-c", "echo $$; exec sleep 30"])
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
    // The command gets the core-dump limit this shell has, not trello-auth's hardened one.
    let direct = std::process::Command::new("sh").arg("-c").arg("ulimit -c").output().unwrap();
    let via = env.run(&["exec", "--", "sh", "-c", "ulimit -c"]);
    assert_eq!(stdout(&via), String::from_utf8_lossy(&direct.stdout));
}

#[test]
fn a_missing_command_is_127_with_the_shell_s_words() {
    let env = Env::saved_offline();
    let out = env.run(&["exec", "--", "no-such-command-here", "x"]);
    assert_eq!(code(&out), 127);
    assert!(stderr(&out).contains("no-such-command-here: command not found"), "{}", stderr(&out));
    let not_executable = env.dir.path().join("notes.txt");
    std::fs::write(&not_executable, "just text\n").unwrap();
    std::fs::set_permissions(&not_executable, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let out = env.run(&["exec", "--", not_executable.to_str().unwrap()]);
    assert_eq!(code(&out), 126, "{}", stderr(&out));
    assert!(stderr(&out).contains("permission denied"), "{}", stderr(&out));
    let out = env.run(&["exec"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let nothing = Env::offline();
    let out = nothing.run(&["exec", "--", "true"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}
