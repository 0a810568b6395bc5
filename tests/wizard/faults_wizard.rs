//! The wizard under faults: a full disk at save time, a server that never
//! answers, a panic, and stdout that is not a terminal.

use crate::support;

use std::time::{Duration, Instant};

use support::fake_trello::{ANN, FakeTrello, KEY};
use support::mount::tmpfs_or_skip;
use support::pty::{CTRL_C, ENTER, ESC, Pty, base_command};
use support::raw_server::{self, Behaviour};
use trello_auth::credentials::store::Store;

fn to_token_step(pty: &mut Pty, key_line: &str) {
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.send(ENTER);
    pty.expect("Generate the API key");
    pty.paste(KEY);
    pty.expect(key_line);
    pty.send(ENTER);
    pty.expect("Authorize a token");
}

#[test]
fn a_full_disk_keeps_the_wizard_and_the_input_so_the_user_can_retry() {
    let Some(fs) = tmpfs_or_skip(64 * 1024, "full disk in the wizard (tmpfs)") else { return };
    let filler = fs.path().join("filler");
    // Fill the disk, leaving less than a config file needs.
    let _ = std::fs::write(&filler, vec![0u8; 63 * 1024]);
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let mut cmd = base_command(fs.path());
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    let mut pty = Pty::spawn(cmd, 100, 30);
    to_token_step(&mut pty, "Trello knows this key");
    pty.paste(&token);
    pty.send(ENTER);
    pty.expect("The credentials work, but saving failed");
    pty.expect("No space left on");
    std::fs::remove_file(&filler).unwrap();
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let saved = Store::at(fs.path().join("trello-auth/config.toml")).profile("default").unwrap().unwrap();
    assert_eq!(saved.token.unwrap().expose(), token, "what was entered survived the failed save");
}

#[test]
fn a_silent_server_times_out_and_the_wizard_stays_usable() {
    let silent = raw_server::serve(Behaviour::Silent);
    let home = tempfile::tempdir().unwrap();
    let mut cmd = base_command(home.path());
    cmd.env("TRELLO_API_BASE", format!("http://{silent}/1"));
    cmd.env("TRELLO_AUTH_TIMEOUT_MS", "800");
    let mut pty = Pty::spawn(cmd, 100, 30);
    to_token_step(&mut pty, "could not ask Trello about this key");
    pty.paste(&format!("ATTA{}0000AAAA", "1".repeat(64)));
    let start = Instant::now();
    pty.send(ENTER);
    pty.expect("did not answer within 1 seconds");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(5), "the timeout took {took:?}");
    pty.expect("Press Enter to try again");
    pty.send(ENTER);
    pty.expect("Checking the key and token with Trello");
    pty.expect("did not answer within");
    pty.send(ESC);
    pty.expect("Authorize a token");
    pty.send(CTRL_C);
    assert_eq!(pty.wait(), 1);
    pty.assert_terminal_restored();
    assert!(!home.path().join("trello-auth").exists(), "nothing was saved");
}

#[test]
fn a_panic_restores_the_terminal_and_prints_no_secret() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let secret = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    let mut cmd = base_command(home.path());
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_AUTH_TEST_PANIC", "1");
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.send(ENTER);
    pty.paste(KEY);
    pty.send("\t");
    pty.paste(secret);
    pty.expect("looks like a valid API secret");
    pty.send("\x1b[24~"); // F12
    assert_eq!(pty.wait(), 101, "a panic exits with 101");
    pty.assert_terminal_restored();
    let output = String::from_utf8_lossy(&pty.raw_output()).into_owned();
    assert!(output.contains("test-only panic"), "the panic message is shown after restoring");
    assert!(!output.contains(secret), "the secret leaked into the panic output");
}

#[test]
fn stdout_not_a_terminal_exits_2_with_a_pointer() {
    let home = tempfile::tempdir().unwrap();
    // stdin is the terminal, stdout a file.
    let script = format!(
        "{} > {}/out.txt 2> {}/err.txt",
        env!("CARGO_BIN_EXE_trello-auth"),
        home.path().display(),
        home.path().display()
    );
    let mut shell = base_command(home.path());
    shell.get_argv_mut().clear();
    shell.get_argv_mut().extend(["sh".into(), "-c".into(), script.into()]);
    let mut pty = Pty::spawn(shell, 80, 24);
    assert_eq!(pty.wait(), 2);
    let err = std::fs::read_to_string(home.path().join("err.txt")).unwrap();
    assert!(err.contains("needs an interactive terminal") && err.contains("login --with-token"), "{err}");
    assert_eq!(std::fs::read_to_string(home.path().join("out.txt")).unwrap(), "");
}
