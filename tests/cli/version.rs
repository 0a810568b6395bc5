//! `--version` through the real binary: the name and the package's version on
//! stdout, exit 0, with nothing else read or written.

use crate::support;

use support::cli::{Env, code, stderr, stdout};

#[test]
fn version_prints_the_name_and_the_package_s_version() {
    let env = Env::offline();
    for flag in ["--version", "-V"] {
        let out = env.run(&[flag]);
        assert_eq!(
            (code(&out), stdout(&out), stderr(&out)),
            (0, format!("trello-auth {}\n", env!("CARGO_PKG_VERSION")), String::new()),
            "{flag}"
        );
        assert!(!env.config().exists(), "{flag} wrote a config file");
    }
}
