//! A string that never shows itself by accident: masked in `Debug`, no `Display`.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret value (token or API secret).
///
/// `Debug` prints only the mask; there is no `Display`. The one way to the
/// value is [`Secret::expose`], so every place that reveals it is greppable.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The raw value. Call only where the secret must leave the process:
    /// the Authorization header, the config file, `env` output, or a screen the
    /// user chose to reveal.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// First 4 and last 4 characters, the rest as `…`.
    pub fn masked(&self) -> String {
        mask(self.expose())
    }
}

/// What stands in an error message where a credential was.
pub(crate) const REDACTED: &str = "[redacted]";

/// Replaces each `known` value, and every word shaped like a key, secret or
/// token (32+ hex digits, `ATTA…`, `ATATT…`: the shapes of `format`), with
/// [`REDACTED`]. The one scrub for outside text (an answer's body, a parser's
/// message, a keyring's words) on its way into an error message.
pub(crate) fn scrub(text: &str, known: &[&str]) -> String {
    let mut text = text.to_string();
    // Very short values would match by accident; real ones are 32+ characters.
    // Matched in any case: a host name or a proxy may have lowercased it.
    for value in known.iter().filter(|v| v.len() >= 8) {
        text = replace_ignoring_case(&text, value, REDACTED);
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            redact_word(&word, &mut out);
            word.clear();
            out.push(c);
        }
    }
    redact_word(&word, &mut out);
    out
}

/// Replaces each `known` value (in any case) and nothing else: for text that
/// may rightly hold other credentials (another server's entry in an agent's
/// config), where only this profile's own must go.
pub(crate) fn scrub_known(text: &str, known: &[&str]) -> String {
    known
        .iter()
        .filter(|v| v.len() >= 8)
        .fold(text.to_string(), |text, value| replace_ignoring_case(&text, value, REDACTED))
}

/// `text` with each occurrence of `value`, in any ASCII case, replaced.
fn replace_ignoring_case(text: &str, value: &str, with: &str) -> String {
    let (lower, value) = (text.to_ascii_lowercase(), value.to_ascii_lowercase());
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    // ASCII lowercasing keeps every byte where it was, so offsets carry over.
    while let Some(at) = lower[from..].find(&value) {
        out.push_str(&text[from..from + at]);
        out.push_str(with);
        from += at + value.len();
    }
    out.push_str(&text[from..]);
    out
}

/// True when `text` holds something shaped like a credential: such text is
/// never quoted back to the user (a token pasted at the wrong prompt).
pub(crate) fn holds_credential(text: &str) -> bool {
    scrub(text, &[]) != text
}

/// True when `text` holds a credential or what is plainly the start of one
/// (12 hex digits in a row, `ATTA` or `ATATT` and a few more): for fields
/// that are shown and sent (a name, an email), where a credential typed key
/// by key would otherwise be kept up to the keystroke before its shape is complete.
pub(crate) fn holds_credential_start(text: &str) -> bool {
    use super::format::{ATLASSIAN_PREFIX, TOKEN_PREFIX};
    const HEX_RUN: usize = 12;
    const AFTER_PREFIX: usize = 4;
    holds_credential(text)
        || text.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| {
            let hex_run = word.split(|c: char| !c.is_ascii_hexdigit()).any(|run| run.len() >= HEX_RUN);
            let prefixed = [TOKEN_PREFIX, ATLASSIAN_PREFIX]
                .iter()
                .any(|p| word.find(p).is_some_and(|at| word.len() - at >= p.len() + AFTER_PREFIX));
            hex_run || prefixed
        })
}

/// What the user typed, to quote back in a message: on one line, and never a
/// credential (a token given where a board name belongs) .
pub(crate) fn repeatable(text: &str) -> String {
    if holds_credential(text) {
        "[what was given, which looks like a credential and is not repeated]".into()
    } else {
        crate::untrusted::line(text).into_owned()
    }
}

/// A token prefix followed by this many characters in all is treated as a
/// token: short enough to catch a cut one, long enough to spare words.
const PREFIXED_MIN: usize = 16;

/// Copies one run of ASCII letters and digits to `out`, redacting from any
/// `ATTA…`/`ATATT…` of 16+ characters to the end of the run, and every run of
/// 32+ hex digits (keys, secrets, legacy tokens), wherever they start.
fn redact_word(word: &str, out: &mut String) {
    use super::format::{ATLASSIAN_PREFIX, KEY_LEN, TOKEN_PREFIX};
    // The prefixes as Trello writes them; or in another case (a host name or a
    // proxy lowercased the token) when only hex follows, so "attachments…" is a word.
    let upper = word.to_ascii_uppercase();
    let exact = word.find(TOKEN_PREFIX).or_else(|| word.find(ATLASSIAN_PREFIX));
    let cased = upper
        .find(TOKEN_PREFIX)
        .map(|at| (at, TOKEN_PREFIX))
        .filter(|(at, prefix)| word[at + prefix.len()..].chars().all(|c| c.is_ascii_hexdigit()));
    let (head, tail) = match exact.or(cased.map(|(at, _)| at)) {
        Some(at) if word.len() - at >= PREFIXED_MIN => (&word[..at], true),
        _ => (word, false),
    };
    let mut hex = String::new();
    for c in head.chars() {
        if c.is_ascii_hexdigit() {
            hex.push(c);
            continue;
        }
        out.push_str(if hex.len() >= KEY_LEN { REDACTED } else { &hex });
        hex.clear();
        out.push(c);
    }
    out.push_str(if hex.len() >= KEY_LEN { REDACTED } else { &hex });
    if tail {
        out.push_str(REDACTED);
    }
}

/// Shows the first 4 and last 4 characters of a value; short values are fully hidden.
pub fn mask(value: &str) -> String {
    let count = value.chars().count();
    if count < 12 {
        // Showing 8 of fewer than 12 characters would reveal most of it.
        return "•".repeat(count.min(8));
    }
    let head: String = value.chars().take(4).collect();
    let tail: String = value.chars().skip(count - 4).collect();
    format!("{head}…{tail}")
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_start_of_a_credential_is_seen_in_a_name() {
        assert!(holds_credential_start("Team 0123456789ab"));
        assert!(holds_credential_start("ATTA1234"));
        assert!(holds_credential_start("x ATATT0abc"));
        for name in ["trello-auth", "Ann Example", "ann@example.com", "Team 2024 bot", "decade", "ATTAck"] {
            assert!(!holds_credential_start(name), "{name}");
        }
    }

    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let token = format!("ATTA{}1B2C3D4E", "a".repeat(64));
        let secret = Secret::new(token.clone());
        let debug = format!("{secret:?}");
        assert!(!debug.contains(&token));
        assert_eq!(debug, "Secret(ATTA…3D4E)");
    }

    #[test]
    fn mask_hides_short_values_entirely_and_is_char_safe() {
        for (value, shown) in [("abc", "•••"), ("", ""), ("0123456789ab", "0123…89ab"), ("ééééééééééééé", "éééé…éééé")]
        {
            assert_eq!(mask(value), shown, "{value}");
        }
    }
}
