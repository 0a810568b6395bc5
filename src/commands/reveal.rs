//! The one rule for printing a credential a command hands out (`token`, `env`, `mcp --inline-secrets`): masked on a terminal unless `--reveal`, as it is into a pipe or a file, and a word when that file is one others can read.
//!
//! A token on a terminal stays in the scrollback, a screen share and a
//! recording; a pipe or a file is where `$(…)`, `eval` and `> .env` want the
//! value itself. So the terminal gets the masked value and the command that
//! gets the real one, and `--reveal` prints it anyway.

use std::io::IsTerminal;

use super::{Output, Stdout};
use crate::credentials::secret::mask;

/// `--reveal`: the one flag, on every command that prints a credential.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::Args)]
pub struct Reveal {
    /// Print the credentials even to a terminal (they stay in its scrollback).
    // `token --force` was this flag's first name.
    #[arg(long, alias = "force")]
    pub reveal: bool,
}

/// Where standard output goes, as far as a credential is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Destination {
    Terminal,
    /// A regular file whose permissions let others read it.
    SharedFile(crate::files::SharedFile),
    /// A pipe, or a file only its owner reads.
    Private,
}

impl Destination {
    /// Where this process's standard output goes now.
    pub fn stdout() -> Destination {
        if std::io::stdout().is_terminal() {
            return Destination::Terminal;
        }
        match crate::files::stdout_readers() {
            Some(file) => Destination::SharedFile(file),
            None => Destination::Private,
        }
    }
}

/// `output` (whose stdout holds `secrets`) as it may go to `to`: masked on a
/// terminal unless `reveal`, with a line naming `for_real`, the command that
/// gets the value itself; as it is elsewhere, with the command that makes a
/// file others can read private (`chmod`; `icacls` on Windows).
pub(crate) fn credential(output: Output, secrets: &[&str], for_real: &str, reveal: bool, to: &Destination) -> Output {
    match to {
        Destination::Terminal if !reveal => {
            let hide = |text: &str| {
                secrets.iter().filter(|s| !s.is_empty()).fold(text.to_string(), |t, s| t.replace(s, &mask(s)))
            };
            let stdout = match &output.stdout {
                Stdout::Json(text) => Stdout::Json(hide(text)),
                Stdout::Text(text) | Stdout::Raw(text) => Stdout::Text(hide(text)),
            };
            let said = format!(
                "masked on a terminal, where it would stay in the scrollback: `{for_real}` gets the value itself, \
                 and --reveal prints it here"
            );
            Output { stdout, ..output }.warn([said])
        }
        Destination::SharedFile(file) => {
            let path = crate::untrusted::line(&file.path);
            output.warn([format!(
                "{path} can be read by {} and now holds the credentials: run {}",
                file.readers, file.fix
            )])
        }
        _ => output,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "ATTAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1B2C3D4E";

    #[test]
    fn a_terminal_gets_the_mask_and_the_way_to_the_value() {
        let out = Output::raw(format!("export TRELLO_TOKEN='{TOKEN}'\n"));
        let shown = credential(out.clone(), &[TOKEN], "eval \"$(trello-auth env)\"", false, &Destination::Terminal);
        assert_eq!(shown.stdout, Stdout::Text("export TRELLO_TOKEN='ATTA…3D4E'\n".into()));
        assert!(
            shown.warnings[0].contains("`eval \"$(trello-auth env)\"` gets the value itself"),
            "{:?}",
            shown.warnings
        );
        let revealed = credential(out.clone(), &[TOKEN], "x", true, &Destination::Terminal);
        assert_eq!(revealed, out);
        assert_eq!(credential(out.clone(), &[TOKEN], "x", false, &Destination::Private), out);
    }

    #[test]
    fn a_file_others_can_read_is_said_with_its_fix() {
        let out = Output::raw(format!("{TOKEN}\n"));
        let to = Destination::SharedFile(crate::files::SharedFile {
            path: "/w/my .env".into(),
            readers: "others (mode 0644)".into(),
            fix: "`chmod 600 '/w/my .env'`".into(),
        });
        let said = credential(out.clone(), &[TOKEN], "x", false, &to);
        assert_eq!(said.stdout, out.stdout);
        assert!(said.warnings[0].contains("(mode 0644)") && said.warnings[0].contains("`chmod 600 '/w/my .env'`"));
    }
}
