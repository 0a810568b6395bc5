//! `rotate` through the real binary: with nothing saved it says so; a rotation
//! keeps a board set meanwhile in another terminal; an old token kept is said with
//! the file it is in.

use crate::support;

use support::cli::{ANN, Env, code, stderr};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{ENTER, Pty, base_command};

#[test]
fn rotate_with_nothing_saved_says_so() {
    let env = Env::offline();
    let out = env.run(&["rotate"]);
    assert_eq!(code(&out), 2, "not a terminal comes first: {}", stderr(&out));
    assert!(stderr(&out).contains("login --with-token"), "points at the non-interactive way: {}", stderr(&out));
}

/// A save is an edit of what is stored now: a board chosen in another
/// terminal while the wizard rotates is still there after the rotation.
#[test]
fn a_rotation_keeps_a_board_set_meanwhile_in_another_terminal() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    let roadmap = fake.add_board("AbCd1234", "Team Roadmap", None, ANN);
    let mut cmd = base_command(env.dir.path());
    cmd.args(["rotate", "--no-capture"]);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("Authorize a new token");
    // Meanwhile, in another terminal:
    let out = env.run(&["board", "set", "AbCd1234"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    pty.paste(&fake.issue_token(KEY, ANN, "read,write", None));
    pty.send(ENTER);
    pty.expect("Revoke the old one");
    pty.send("n");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    assert_eq!(env.store().profile("default").unwrap().unwrap().board_id, Some(roadmap));
}

#[test]
fn a_rotation_that_keeps_the_old_token_says_where_it_is() {
    let fake = FakeTrello::with_ann();
    let old = fake.issue_token(KEY, ANN, "read,write", None);
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let env = Env::new(&fake);
    env.save("default", &old, "never");
    let mut cmd = env.pty_command();
    cmd.arg("rotate");
    let mut pty = Pty::spawn(cmd, 120, 30);
    pty.expect("Authorize a new token");
    pty.paste(&new);
    pty.send(ENTER);
    pty.expect("Revoke the old one");
    pty.send("n");
    let screen = pty.expect("a copy of it is in");
    assert!(screen.replace(['│', '\n', ' '], "").contains("config.toml.bak"), "{screen}");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let printed = pty.screen().replace('\n', " ");
    assert!(printed.contains("The old token is still valid"), "{printed}");
    assert!(printed.contains("config.toml.bak"), "{printed}");
    // What the user was told is exactly where the old token is.
    let backup = env.config().with_file_name("config.toml.bak");
    assert_eq!(env.files_holding(&old), vec![backup]);
}
