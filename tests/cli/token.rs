//! `token` through the real binary: a token about to expire is said on stderr
//! only, as by every command that hands the token out (`env`, `exec`), stdout
//! unchanged. What it prints on a terminal is in `reveal.rs`.

use crate::support;

use support::cli::{Env, TOKEN, code, in_days, stderr, stdout};

#[test]
fn env_token_and_exec_say_a_token_expires_soon_on_stderr_only() {
    let soon = Env::offline();
    soon.save("default", TOKEN, &in_days(3));
    let later = Env::offline();
    later.save("default", TOKEN, &in_days(20));
    for args in [&["env"][..], &["token"], &["exec", "--", "printenv", "TRELLO_TOKEN"], &["env", "--format", "json"]] {
        let warned = soon.run(args);
        let quiet = later.run(args);
        assert_eq!(code(&warned), 0, "{args:?}: {}", stderr(&warned));
        assert_eq!(stdout(&warned), stdout(&quiet), "{args:?}: stdout is the same, warning or not");
        let err = stderr(&warned);
        let lines: Vec<&str> = err.lines().filter(|l| l.contains("expires on")).collect();
        assert_eq!(lines.len(), 1, "{args:?}: one line:\n{}", stderr(&warned));
        assert!(lines[0].contains("(in 2 days)") || lines[0].contains("(in 3 days)"), "{}", lines[0]);
        assert!(lines[0].contains("run `trello-auth rotate` before then"), "{}", lines[0]);
        assert!(!stderr(&quiet).contains("expires"), "{args:?}: {}", stderr(&quiet));
    }
}
