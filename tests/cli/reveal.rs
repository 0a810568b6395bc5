//! The one rule for printing a credential, through the real binary: `token`, `env` and `mcp --inline-secrets` mask it on a terminal (with the line that gets it for real) unless `--reveal`, print it into a pipe, and say when the file it goes into is one others can read.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use support::cli::{Env, SECRET, TOKEN, code, stderr, stdout};
use support::pty::{Pty, base_command};

/// The token as a terminal shows it: its first and last four characters.
const MASKED: &str = "ATTA…3D4E";

/// `args` run in a terminal: its exit status and screen.
fn on_a_terminal(env: &Env, args: &[&str]) -> (u32, String) {
    let mut cmd = base_command(env.dir.path());
    cmd.args(args);
    let mut pty = Pty::spawn(cmd, 200, 30);
    let status = pty.wait();
    (status, pty.screen())
}

#[test]
fn token_is_masked_on_a_terminal_and_printed_into_a_pipe() {
    let env = Env::saved_offline();
    let out = env.run(&["token"]);
    assert_eq!((code(&out), stdout(&out)), (0, format!("{TOKEN}\n")));
    assert_eq!(code(&Env::offline().run(&["token"])), 4);

    let (status, screen) = on_a_terminal(&env, &["token"]);
    assert_eq!(status, 0, "{screen}");
    assert!(screen.contains(MASKED) && !screen.contains(TOKEN), "{screen}");
    assert!(screen.contains("`export TRELLO_TOKEN=\"$(trello-auth token)\"` gets the value itself"), "{screen}");
    for reveal in ["--reveal", "--force"] {
        let (status, screen) = on_a_terminal(&env, &["token", reveal]);
        assert_eq!(status, 0, "{screen}");
        assert!(screen.contains(TOKEN), "{reveal}: {screen}");
    }
}

#[test]
fn env_masks_the_token_and_secret_on_a_terminal_in_every_format() {
    let env = Env::saved_offline();
    let out = env.run(&["env", "--with-secret"]);
    assert!(stdout(&out).contains(TOKEN) && stdout(&out).contains(SECRET), "{}", stderr(&out));

    let (status, screen) = on_a_terminal(&env, &["env", "--with-secret"]);
    assert_eq!(status, 0, "{screen}");
    assert!(screen.contains(&format!("export TRELLO_TOKEN='{MASKED}'")), "{screen}");
    assert!(!screen.contains(TOKEN) && !screen.contains(SECRET), "{screen}");
    // The line that gets the values keeps the options given (without it, no secret).
    assert!(screen.contains("`eval \"$(trello-auth env --with-secret)\"` gets the value itself"), "{screen}");
    let (_, screen) = on_a_terminal(&env, &["env", "--format", "json"]);
    assert!(screen.contains(&format!("\"TRELLO_TOKEN\": \"{MASKED}\"")) && !screen.contains(TOKEN), "{screen}");
    let (_, screen) = on_a_terminal(&env, &["env", "--format", "fish", "--reveal"]);
    assert!(screen.contains(&format!("set -gx TRELLO_TOKEN '{TOKEN}'")), "{screen}");
    // A suggested command names the profile it was run for.
    env.save("work", TOKEN, "never");
    let (_, screen) = on_a_terminal(&env, &["--profile", "work", "env"]);
    assert!(screen.contains("`eval \"$(trello-auth --profile work env)\"`"), "{screen}");
}

#[test]
fn a_file_others_can_read_is_said_with_the_chmod_that_fixes_it() {
    let env = Env::saved_offline();
    for (umask, said) in [("022", true), ("077", false)] {
        let file = env.dir.path().join(format!("dotenv-{umask}"));
        let line = format!("umask {umask}; \"$0\" env --format dotenv > '{}'", file.display());
        // The shell makes the file, as `> .env` does, with its umask.
        let same = env.cmd(&[]);
        let mut sh = std::process::Command::new("sh");
        sh.env_clear().envs(same.get_envs().filter_map(|(k, v)| Some((k, v?))));
        let out = sh.args(["-c", &line, env!("CARGO_BIN_EXE_trello-auth")]).stdin(Stdio::null()).output().unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(std::fs::read_to_string(&file).unwrap().contains(TOKEN));
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        let warning = format!("can be read by others (mode {mode:04o})");
        assert_eq!(stderr(&out).contains(&warning), said, "umask {umask}: {}", stderr(&out));
        if said {
            assert!(stderr(&out).contains(&format!("`chmod 600 {}`", file.display())), "{}", stderr(&out));
        }
    }
}

#[test]
fn mcp_inline_secrets_follows_the_same_rule_and_says_only_what_happened() {
    let env = Env::saved_offline();
    let out = env.run(&["mcp", "cursor", "--inline-secrets"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains(TOKEN), "a pipe gets the entry as it is");
    assert!(!stderr(&out).contains("now written"), "nothing was written: {}", stderr(&out));

    let (status, screen) = on_a_terminal(&env, &["mcp", "cursor", "--inline-secrets"]);
    assert_eq!(status, 0, "{screen}");
    assert!(screen.contains(MASKED) && !screen.contains(TOKEN), "{screen}");
    assert!(screen.contains("`trello-auth mcp cursor --inline-secrets --write` gets the value itself"), "{screen}");

    let file = env.dir.path().join("mcp.json");
    let out = env.run(&["mcp", "cursor", "--inline-secrets", &format!("--write={}", file.display())]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("now written into {}", file.display())), "{}", stderr(&out));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
}
