//! Words for a POSIX shell: the one place a value is quoted for `sh`, in printed commands and in `env` output.

/// POSIX single quotes: nothing is special inside but `'` itself.
pub fn quote_sh(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// A word for a POSIX shell: as it is when nothing in it is special, else in single quotes.
pub(crate) fn sh_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+,=".contains(c);
    if !word.is_empty() && word.chars().all(safe) { word.to_string() } else { quote_sh(word) }
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
}
