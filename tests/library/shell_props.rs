//! Property tests for the Windows formats of `env`: PowerShell's lines stay inert whatever a value holds, and cmd's are exact or refused.
//!
//! No PowerShell runs here, so a model of its tokenizer stands in: a
//! single-quoted (verbatim) string, where `$` and the backtick are plain
//! characters, two quote characters in a row are one quote, and any one of
//! the four characters PowerShell takes as a single quote (`'`, `‘`, `’`,
//! `‚`, `‛`) alone ends it. A line is inert when the string it assigns ends
//! exactly at the end of the line (nothing after it to run) and gives the
//! value back.

use proptest::prelude::*;
use trello_auth::commands::env::{Format, render};
use trello_auth::shell::{cmd_problem, is_powershell_quote};

/// The value of `$env:NAME = '…'` as PowerShell would read it, and what
/// follows the closing quote on the line.
fn powershell_assignment(line: &str, name: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix(&format!("$env:{name} = "))?;
    let mut chars = rest.chars().peekable();
    if !chars.next().is_some_and(is_powershell_quote) {
        return None;
    }
    let mut value = String::new();
    while let Some(c) = chars.next() {
        if is_powershell_quote(c) {
            match chars.peek() {
                Some(&next) if is_powershell_quote(next) => {
                    value.push(next);
                    chars.next();
                }
                _ => return Some((value, chars.collect())),
            }
        } else {
            value.push(c);
        }
    }
    None // never closed: PowerShell would read on into the next line
}

/// The value of `set "NAME=value"` as cmd.exe takes it: everything between
/// `NAME=` and the last quote, and what follows that quote.
fn cmd_assignment(line: &str, name: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix(&format!("set \"{name}="))?;
    let end = rest.rfind('"')?;
    Some((rest[..end].to_string(), rest[end + 1..].to_string()))
}

/// Strings rich in what the shells treat specially, beside arbitrary ones.
fn awkward() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 '‘’‚‛\"$`(){};&|<>%!^@#\\\\]{0,40}",
        prop::collection::vec(prop::sample::select(vec!["'", "''", "‘", "’", "$(calc)", "`n", "$env:X", " "]), 0..12)
            .prop_map(|parts| parts.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn powershell_lines_give_the_value_back_and_run_nothing(value in awkward()) {
        let vars = vec![("TRELLO_TOKEN", value.clone())];
        match render(Format::Powershell, &vars) {
            Ok(text) => {
                let line = text.strip_suffix('\n').unwrap();
                prop_assert!(!line.contains('\n'), "one line: {:?}", text);
                let (back, after) = powershell_assignment(line, "TRELLO_TOKEN").expect("a closed verbatim string");
                prop_assert_eq!(back, value);
                prop_assert_eq!(after, "", "nothing after the string to run");
            }
            // Only a value that cannot be one exact line is refused.
            Err(_) => prop_assert!(!trello_auth::untrusted::is_plain(&value)),
        }
    }

    #[test]
    fn cmd_lines_are_exact_or_refused_by_the_rule(value in awkward()) {
        let vars = vec![("TRELLO_TOKEN", value.clone())];
        let holdable = value.chars().all(|c| (' '..='~').contains(&c) && !"%!\"^".contains(c));
        prop_assert_eq!(cmd_problem(&value).is_none(), holdable);
        match render(Format::Cmd, &vars) {
            Ok(text) => {
                prop_assert!(holdable);
                let (back, after) = cmd_assignment(text.strip_suffix('\n').unwrap(), "TRELLO_TOKEN").unwrap();
                prop_assert_eq!(back, value);
                prop_assert_eq!(after, "");
            }
            Err(said) => {
                prop_assert!(!holdable);
                prop_assert!(said.contains("TRELLO_TOKEN") && said.contains("nothing was printed"), "{}", said);
            }
        }
    }
}

#[test]
fn the_model_reads_powershell_as_powershell_does() {
    assert_eq!(powershell_assignment("$env:T = 'a''b'", "T"), Some(("a'b".into(), String::new())));
    assert_eq!(powershell_assignment("$env:T = 'a'b'", "T"), Some(("a".into(), "b'".into())));
    assert_eq!(powershell_assignment("$env:T = 'a’’b’", "T"), Some(("a’b".into(), String::new())));
    assert_eq!(powershell_assignment("$env:T = '$(calc)`n'", "T"), Some(("$(calc)`n".into(), String::new())));
    assert_eq!(powershell_assignment("$env:T = 'open", "T"), None);
}
