//! Words for the shells a value is printed for: the one place a value is quoted for `sh`, fish, PowerShell, `cmd.exe` and `.env` files, in printed commands and in `env` output.

/// POSIX single quotes: nothing is special inside but `'` itself.
pub fn quote_sh(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// A word for a POSIX shell: as it is when nothing in it is special, else in single quotes.
pub(crate) fn sh_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+,=".contains(c);
    if !word.is_empty() && word.chars().all(safe) { word.to_string() } else { quote_sh(word) }
}

/// fish single quotes: `\` and `'` are escaped with a backslash, nothing else is special.
pub(crate) fn quote_fish(value: &str) -> String {
    format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'"))
}

/// The characters PowerShell reads as a single quote: the ASCII one and the
/// typographic ones (its tokenizer treats all four alike).
pub fn is_powershell_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// PowerShell single quotes: a verbatim string, where no `$` or backtick is
/// expanded; a quote is doubled, typographic single quotes too.
pub(crate) fn quote_powershell(value: &str) -> String {
    let mut out = String::from("'");
    for c in value.chars() {
        if is_powershell_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// dotenv single quotes: every parser (python-dotenv, Node's dotenv, Docker
/// Compose) and `set -a; . ./.env` take what is inside literally: no `$`,
/// backtick or backslash is expanded. Nothing can escape a `'` there, so a
/// value holding one is refused (`None`).
pub(crate) fn quote_dotenv(value: &str) -> Option<String> {
    (!value.contains('\'')).then(|| format!("'{value}'"))
}

/// Why `cmd.exe` cannot hold `value` literally in `set "NAME=value"`, if it
/// cannot. Inside those quotes `&`, `|`, `<`, `>` and parentheses are plain,
/// but nothing can escape the rest: `%` expands a variable (even quoted), `!`
/// one under delayed expansion (where `^` is eaten too), a `"` ends the quotes
/// and lets what follows run, and a line break ends the command. Anything
/// outside printable ASCII is refused as well: cmd reads a file or a pipe in
/// the console's code page, which may not be UTF-8. Trello's keys, tokens,
/// secrets and board ids are all plain ASCII letters and digits, so a refusal
/// means a saved value is not what it should be.
pub fn cmd_problem(value: &str) -> Option<String> {
    let bad = value.chars().find(|&c| matches!(c, '%' | '!' | '"' | '^') || !(' '..='~').contains(&c))?;
    let shown = match bad {
        '%' | '!' | '"' | '^' => format!("'{bad}'"),
        '\n' | '\r' => "a line break".into(),
        c if c.is_control() => "a control character".into(),
        c => format!("'{c}' (not ASCII)"),
    };
    Some(shown)
}

/// `set "NAME=value"` for `cmd.exe`, or why the value cannot be one ([`cmd_problem`]).
pub(crate) fn cmd_set(name: &str, value: &str) -> Result<String, String> {
    match cmd_problem(value) {
        Some(why) => Err(why),
        None => Ok(format!("set \"{name}={value}\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(sh_word("/usr/bin/npx"), "/usr/bin/npx");
        assert_eq!(sh_word("PATH=/a:/b"), "PATH=/a:/b");
        assert_eq!(sh_word("/My Apps/x"), "'/My Apps/x'");
        assert_eq!(sh_word("it's"), "'it'\\''s'");
        assert_eq!(sh_word("$HOME"), "'$HOME'");
        assert_eq!(sh_word(""), "''");
    }

    #[test]
    fn cmd_takes_plain_ascii_and_its_operators_and_refuses_what_it_would_expand_or_end() {
        assert_eq!(
            cmd_set("T", "ATTAab12 & | < > ( ) ' ` $ ; , = \\").unwrap(),
            "set \"T=ATTAab12 & | < > ( ) ' ` $ ; , = \\\""
        );
        assert_eq!(cmd_set("T", "").unwrap(), "set \"T=\"");
        for (value, why) in [
            ("a%PATH%b", "'%'"),
            ("a!x!b", "'!'"),
            ("a\"&calc&\"b", "'\"'"),
            ("a^b", "'^'"),
            ("a\nset X=1", "a line break"),
            ("a\rb", "a line break"),
            ("a\u{1b}[2Jb", "a control character"),
            ("a\tb", "a control character"),
            ("caf\u{e9}", "'\u{e9}' (not ASCII)"),
        ] {
            assert_eq!(cmd_set("T", value).unwrap_err(), why, "{value:?}");
        }
    }
}
