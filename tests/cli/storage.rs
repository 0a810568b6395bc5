//! `storage` through the real binary, file storage only; the moves to and from
//! a real keyring are in `keyring.rs`.

use crate::support;

use support::cli::{Env, code, stderr, stdout};

/// `storage file` for a profile already kept there: done, exit 0, said.
#[test]
fn storage_to_where_the_token_already_is_is_done() {
    let env = Env::saved_offline();
    let before = std::fs::read(env.config()).unwrap();
    let out = env.run(&["storage", "file"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let said = format!(
        "Nothing to move: profile \"default\" already keeps its token in the config file ({}).\n",
        env.config().display()
    );
    assert_eq!(stdout(&out), said);
    assert_eq!(std::fs::read(env.config()).unwrap(), before);
}
