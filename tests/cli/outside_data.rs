//! No value from outside makes a command panic, through the real binary: a
//! date at the edge of the range from Trello, and generated configs of valid
//! shape holding extreme values. A panic is exit 101; every run must end in
//! one of the documented exits instead.

use crate::support;

use proptest::prelude::*;
use support::cli::{ANN, Env, FAST, TOKEN, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};
use support::pty::{CTRL_C, Pty};

/// Valid RFC 3339 whose UTC form is the year 10000: past what the date library holds.
const LAST_DATE: &str = "9999-12-31T23:59:59-23:59";
/// How `status`, `profile list` and the wizards show it.
const LAST_DATE_SHOWN: &str = "9999-12-31 23:59 UTC-23:59";

/// Issue 27 (3): Trello's `dateExpires` of the last moment at the widest
/// offset was saved, then `status`, `status --all`, `profile list` and both
/// wizards panicked (exit 101) on every run, as `format_time` converted it to
/// UTC with `to_offset`.
#[test]
fn a_date_at_the_edge_of_the_range_is_saved_and_shown_by_every_listing() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", Some(LAST_DATE));
    let env = Env::new(&fake);
    let out = env.run_within(&["login", "--with-token", "--key", KEY], &token, FAST);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let saved = env.store().profile("default").unwrap().unwrap();
    assert_eq!(saved.token_expires.unwrap().to_string(), LAST_DATE);
    for args in [&["status"][..], &["status", "--all"], &["status", "--offline"], &["profile", "list"]] {
        let out = env.run_within(args, "", FAST);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        let expires =
            stdout(&out).lines().find(|l| l.trim_start().starts_with("Expires")).unwrap_or_default().to_string();
        assert!(expires.contains(&format!("{LAST_DATE_SHOWN} (in ")), "{args:?}: {}", stdout(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}: {}", stderr(&out));
    }
    let out = env.run_within(&["status", "--json"], "", FAST);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["expires"], LAST_DATE);
    assert_eq!(json["expired"], false);

    // Both wizards show the profile on their start screen, then quit as usual.
    for term in ["xterm-256color", "dumb"] {
        let mut cmd = env.pty_command();
        cmd.env("TERM", term);
        let mut pty = Pty::spawn(cmd, 120, 40);
        pty.expect(LAST_DATE_SHOWN);
        pty.send(CTRL_C);
        // Quitting the start screen is 0 or 1 (nothing new was saved); a panic is 101.
        let code = pty.wait();
        assert!(code <= 1, "TERM={term} exited {code}: {}", pty.screen());
    }
}

proptest! {
    // Each case runs the binary four times; a few cases cover the shapes.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_extreme_config_makes_a_command_panic(text in support::extreme::config(KEY, TOKEN)) {
        let env = Env::offline();
        std::fs::create_dir_all(env.config().parent().unwrap()).unwrap();
        std::fs::write(env.config(), &text).unwrap();
        for args in [&["status", "--offline"][..], &["status", "--all", "--offline", "--json"], &["profile", "list"], &["env"]] {
            let out = env.run_within(args, "", FAST);
            let code = code(&out);
            prop_assert!([0, 1, 3, 4].contains(&code), "{args:?} exited {code} on\n{text}\n{}", stderr(&out));
            prop_assert!(!stderr(&out).contains("panicked"), "{args:?} on\n{text}\n{}", stderr(&out));
        }
    }
}
