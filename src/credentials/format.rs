//! Shape checks for API keys, secrets and tokens, and paste clean-up: pure, no I/O.
//!
//! Each check returns a [`Verdict`] a UI can show while the user types. Tokens
//! are opaque to Trello's docs, so an unfamiliar token shape is only a warning:
//! it can still be saved and tried against the API.

use std::fmt;

/// Length of an API key (hex characters).
pub(crate) const KEY_LEN: usize = 32;
/// Length of an API secret, and of a legacy token (hex characters).
pub(crate) const SECRET_LEN: usize = 64;
/// Length of a current token: `ATTA` + 64 lowercase hex + 8 uppercase hex.
pub(crate) const TOKEN_LEN: usize = 76;
/// Fewer characters than the shortest Trello credential: not a token of any shape.
pub(crate) const MIN_TOKEN_CHARS: usize = 32;
/// More than this is not a token, whatever the format becomes.
pub(crate) const MAX_TOKEN_CHARS: usize = 256;
/// How a current token starts.
pub(crate) const TOKEN_PREFIX: &str = "ATTA";
/// How an Atlassian account API token starts (not a Trello credential, but a secret all the same).
pub(crate) const ATLASSIAN_PREFIX: &str = "ATATT";

/// Which input a verdict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ApiKey,
    ApiSecret,
    Token,
}

/// What a value looks like when it is in the wrong field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ApiKey,
    ApiSecret,
    Token,
    AtlassianToken,
    /// A web address with no credential in it (the portal's page, say).
    Url,
}

/// How a value compares with the shape the field expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Empty,
    Valid,
    /// A 64-hex token: the older format, still accepted.
    ValidLegacy,
    /// So far so good, but short: `have` of `need` characters.
    Incomplete {
        have: usize,
        need: usize,
    },
    /// `position` counts characters from 1.
    InvalidChar {
        ch: char,
        position: usize,
    },
    TooLong {
        have: usize,
        max: usize,
    },
    /// The right shape for another credential, e.g. the secret pasted as a token.
    LooksLike(Kind),
    /// A token of no known shape: allowed, since Trello may change its format.
    Unrecognised {
        length: usize,
    },
    /// Not a token of any format: too short or too long to be one. Never sent.
    Implausible {
        length: usize,
    },
}

/// How the UI should treat a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    /// Empty or still being typed: nothing to complain about yet, nothing to save.
    Pending,
    /// Unusual but savable.
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub field: Field,
    pub shape: Shape,
    pub level: Level,
}

impl Verdict {
    fn new(field: Field, shape: Shape) -> Self {
        let level = match (&shape, field) {
            (Shape::Valid, _) => Level::Ok,
            // 64 hex is an old-style token, or exactly an API secret: never a plain ✓.
            (Shape::ValidLegacy, _) => Level::Warning,
            (Shape::Empty | Shape::Incomplete { .. }, _) => Level::Pending,
            (Shape::LooksLike(_) | Shape::Implausible { .. }, _) => Level::Error,
            // Trello calls tokens opaque: warn, but let the API have the last word,
            // as long as the value could be a token at all (its alphabet, a sane
            // length). Anything else (a space, a control character, a pasted
            // SSH key or password) is never sent.
            (Shape::InvalidChar { ch, .. }, Field::Token) if is_token_char(*ch) => Level::Warning,
            (Shape::TooLong { .. } | Shape::Unrecognised { .. }, Field::Token) => Level::Warning,
            (Shape::InvalidChar { .. } | Shape::TooLong { .. } | Shape::Unrecognised { .. }, _) => Level::Error,
        };
        Verdict { field, shape, level }
    }

    /// Whether the value may be saved and sent to Trello.
    pub fn is_savable(&self) -> bool {
        matches!(self.level, Level::Ok | Level::Warning)
    }

    pub fn is_valid(&self) -> bool {
        self.level == Level::Ok
    }

    /// One line for the user: what is wrong and, where useful, what to do.
    pub fn message(&self) -> String {
        let what = self.field.noun();
        match &self.shape {
            Shape::Empty => format!("paste or type the {what}"),
            Shape::Valid => format!("looks like a valid {what}"),
            Shape::ValidLegacy => "64 hex characters: an old-style token, or the API secret? Tokens made today start \
                                   with ATTA; the secret is only for OAuth"
                .into(),
            Shape::Incomplete { have, need } => format!("{have} of {need} characters"),
            Shape::InvalidChar { ch, position } => {
                let shown = ch.escape_default();
                match self.field {
                    Field::Token if self.level == Level::Error => format!(
                        "{} at position {position} cannot be in a token (only letters and digits: ATTA + 64 \
                         lowercase + 8 uppercase hex); copy just the token",
                        describe_char(*ch)
                    ),
                    Field::Token => format!(
                        "unexpected '{shown}' at position {position} (tokens are ATTA + 64 lowercase + 8 uppercase hex); \
                         it can still be saved and checked against Trello"
                    ),
                    _ => format!(
                        "'{shown}' at position {position} is not allowed: the {what} is {} hex characters (0-9, a-f)",
                        self.field.expected_len()
                    ),
                }
            }
            Shape::TooLong { have, max } => match self.field {
                Field::Token => format!(
                    "{have} characters, more than the usual {max}; it can still be saved and checked against Trello"
                ),
                _ => format!("{have} characters, but the {what} has {max}: copy it again"),
            },
            Shape::LooksLike(kind) => match (self.field, kind) {
                (Field::Token, Kind::ApiSecret) => {
                    "this is your API secret, not a token: authorize a token with the URL above".into()
                }
                (Field::Token, Kind::ApiKey) => "this is your API key, not a token".into(),
                (_, Kind::AtlassianToken) => {
                    format!("this is an Atlassian account API token (ATATT…), not a Trello {what}")
                }
                (_, Kind::Url) => format!("this is a web address with no {what} in it: copy the {what} itself"),
                (Field::ApiKey, Kind::ApiSecret) => {
                    "64 characters: this looks like the API secret (or a token), not the 32-character key".into()
                }
                (_, kind) => format!("this looks like {}, not the {what}", kind.described()),
            },
            Shape::Unrecognised { length } => format!(
                "unusual token ({length} characters; tokens usually start with ATTA and have 76); \
                 it can still be saved and checked against Trello"
            ),
            Shape::Implausible { length } if *length < MIN_TOKEN_CHARS => format!(
                "{length} characters is too short for a token (they have 76, older ones 64); copy the whole token"
            ),
            Shape::Implausible { length } => {
                format!("{length} characters is far too long for a token (they have 76); copy just the token")
            }
        }
    }
}

/// A Trello object id (a board's, a member's): 24 hex characters.
pub(crate) fn is_trello_id(text: &str) -> bool {
    text.len() == 24 && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// A board's short link: 8 letters and digits.
pub(crate) fn is_short_link(text: &str) -> bool {
    text.len() == 8 && text.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A token's alphabet: letters, digits and URL-safe punctuation, so a token
/// of any future format can go in a header and a URL path unencoded.
pub(crate) fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

/// A character named so the user can see it even when it is invisible.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        c if c.is_control() || crate::untrusted::is_unsafe(c) => format!("a control character (U+{:04X})", c as u32),
        c if c.is_whitespace() => format!("a blank (U+{:04X})", c as u32),
        c => format!("'{}'", c.escape_default()),
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl Field {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Field::ApiKey => "API key",
            Field::ApiSecret => "API secret",
            Field::Token => "token",
        }
    }

    fn expected_len(self) -> usize {
        match self {
            Field::ApiKey => KEY_LEN,
            Field::ApiSecret => SECRET_LEN,
            Field::Token => TOKEN_LEN,
        }
    }
}

impl Kind {
    fn described(self) -> &'static str {
        match self {
            Kind::ApiKey => "an API key",
            Kind::ApiSecret => "an API secret",
            Kind::Token => "a Trello token",
            Kind::AtlassianToken => "an Atlassian account API token",
            Kind::Url => "a web address",
        }
    }
}

fn is_hex(c: char) -> bool {
    c.is_ascii_hexdigit()
}

/// Text that starts as a web address does: what is left of a pasted URL the
/// cleaning found no credential in.
fn is_url(value: &str) -> bool {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A key or secret in capitals, lowercased (Trello's are lowercase hex, and
/// refuses them otherwise); `None` when there is nothing to change.
pub(crate) fn lowercase_hex(value: &str) -> Option<String> {
    let changes = value.chars().any(|c| c.is_ascii_uppercase() && c.is_ascii_hexdigit());
    changes.then(|| value.chars().map(|c| if c.is_ascii_hexdigit() { c.to_ascii_lowercase() } else { c }).collect())
}

/// Checks a fixed-length hex value (key or secret).
fn check_hex(field: Field, value: &str, len: usize) -> Verdict {
    let verdict = |shape| Verdict::new(field, shape);
    if value.is_empty() {
        return verdict(Shape::Empty);
    }
    if value.starts_with(ATLASSIAN_PREFIX) {
        return verdict(Shape::LooksLike(Kind::AtlassianToken));
    }
    if value.starts_with(TOKEN_PREFIX) {
        return verdict(Shape::LooksLike(Kind::Token));
    }
    if is_url(value) {
        return verdict(Shape::LooksLike(Kind::Url));
    }
    if let Some((index, ch)) = value.chars().enumerate().find(|(_, c)| !is_hex(*c)) {
        return verdict(Shape::InvalidChar { ch, position: index + 1 });
    }
    // Only hex digits from here on, so byte length is character length.
    let have = value.len();
    match (field, have) {
        (_, n) if n == len => verdict(Shape::Valid),
        (Field::ApiKey, SECRET_LEN) => verdict(Shape::LooksLike(Kind::ApiSecret)),
        (Field::ApiSecret, KEY_LEN) => verdict(Shape::LooksLike(Kind::ApiKey)),
        (_, n) if n < len => verdict(Shape::Incomplete { have, need: len }),
        _ => verdict(Shape::TooLong { have, max: len }),
    }
}

/// Checks an API key: 32 hex characters.
pub fn check_key(key: &str) -> Verdict {
    check_hex(Field::ApiKey, key, KEY_LEN)
}

/// Checks an API secret: 64 hex characters.
pub fn check_secret(secret: &str) -> Verdict {
    check_hex(Field::ApiSecret, secret, SECRET_LEN)
}

/// Checks a token. `secret` and `key` are what the user entered elsewhere, so a
/// secret or key pasted into the token field is named before any network call.
pub fn check_token(token: &str, secret: Option<&str>, key: Option<&str>) -> Verdict {
    let verdict = |shape| Verdict::new(Field::Token, shape);
    if token.is_empty() {
        return verdict(Shape::Empty);
    }
    if token.starts_with(ATLASSIAN_PREFIX) {
        return verdict(Shape::LooksLike(Kind::AtlassianToken));
    }
    if secret.is_some_and(|s| !s.is_empty() && s == token) {
        return verdict(Shape::LooksLike(Kind::ApiSecret));
    }
    if key.is_some_and(|k| !k.is_empty() && k == token) {
        return verdict(Shape::LooksLike(Kind::ApiKey));
    }
    if is_url(token) {
        return verdict(Shape::LooksLike(Kind::Url));
    }
    if TOKEN_PREFIX.starts_with(token) && token.len() < TOKEN_PREFIX.len() {
        return verdict(Shape::Incomplete { have: token.len(), need: TOKEN_LEN });
    }
    if let Some((index, ch)) = token.chars().enumerate().find(|(_, c)| !is_token_char(*c)) {
        return verdict(Shape::InvalidChar { ch, position: index + 1 });
    }
    // Only ASCII from here on, so byte length is character length.
    if token.len() > MAX_TOKEN_CHARS {
        return verdict(Shape::Implausible { length: token.len() });
    }
    if let Some(body) = token.strip_prefix(TOKEN_PREFIX) {
        return check_current_token(body);
    }
    if token.chars().all(is_hex) {
        return verdict(match token.len() {
            KEY_LEN => Shape::LooksLike(Kind::ApiKey),
            SECRET_LEN => Shape::ValidLegacy,
            have if have < SECRET_LEN => Shape::Incomplete { have, need: SECRET_LEN },
            have => Shape::TooLong { have, max: SECRET_LEN },
        });
    }
    if token.len() < MIN_TOKEN_CHARS {
        return verdict(Shape::Implausible { length: token.len() });
    }
    verdict(Shape::Unrecognised { length: token.len() })
}

/// Checks what follows `ATTA`: 64 lowercase hex, then 8 uppercase hex.
fn check_current_token(body: &str) -> Verdict {
    let verdict = |shape| Verdict::new(Field::Token, shape);
    let prefix = TOKEN_PREFIX.len();
    for (index, ch) in body.chars().enumerate() {
        let allowed = match index {
            0..64 => ch.is_ascii_digit() || ('a'..='f').contains(&ch),
            64..72 => ch.is_ascii_digit() || ('A'..='F').contains(&ch),
            _ => break,
        };
        if !allowed {
            return verdict(Shape::InvalidChar { ch, position: prefix + index + 1 });
        }
    }
    let have = prefix + body.chars().count();
    verdict(match have {
        TOKEN_LEN => Shape::Valid,
        n if n < TOKEN_LEN => Shape::Incomplete { have, need: TOKEN_LEN },
        _ => Shape::TooLong { have, max: TOKEN_LEN },
    })
}

fn is_edge_junk(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>')
}

fn ends_value(c: char) -> bool {
    is_edge_junk(c) || matches!(c, '&' | '#' | '?' | ',' | ';' | '=' | '/' | ')' | '(' | ']' | '[' | '{' | '}')
}

/// The first non-empty value of `name=` (ASCII case-insensitive), e.g. in a URL,
/// a fragment, or an `export TRELLO_TOKEN=…` line.
fn param_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `text`.
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let start = from + found + name.len();
        // `TOKEN="…"`: the value starts after any opening quotes.
        let rest = text[start..].trim_start_matches(['"', '\'', '`']);
        let end = rest.find(ends_value).unwrap_or(rest.len());
        if end > 0 {
            return Some(&rest[..end]);
        }
        from = start;
    }
    None
}

/// One round of clean-up; [`extract`] repeats it until nothing changes.
fn extract_step<'a>(text: &'a str, param: &str, candidate: fn(&str) -> bool) -> &'a str {
    let trimmed = text.trim_matches(is_edge_junk);
    if let Some(value) = param_value(trimmed, param) {
        return value;
    }
    if trimmed.contains(is_edge_junk) {
        // Prose around the value ("my token: ATTA…"): take the one word that fits.
        let mut words =
            trimmed.split(|c: char| is_edge_junk(c) || matches!(c, ',' | ';' | ':')).filter(|w| candidate(w));
        if let (Some(only), None) = (words.next(), words.next()) {
            return only;
        }
    }
    trimmed
}

fn extract(raw: &str, param: &str, candidate: fn(&str) -> bool) -> String {
    let mut current = raw;
    loop {
        let next = extract_step(current, param, candidate);
        // Each step returns a sub-slice, so equal length means no change: a fixed point.
        if next.len() == current.len() {
            return next.to_string();
        }
        current = next;
    }
}

fn looks_like_token(word: &str) -> bool {
    word.starts_with(TOKEN_PREFIX) || (word.len() == SECRET_LEN && word.chars().all(is_hex))
}

fn looks_like_key(word: &str) -> bool {
    word.len() == KEY_LEN && word.chars().all(is_hex)
}

fn looks_like_secret(word: &str) -> bool {
    word.len() == SECRET_LEN && word.chars().all(is_hex)
}

/// The token inside pasted text: strips spaces, quotes and newlines, and pulls
/// the value out of a URL or text holding `#token=…` / `token=…`. Idempotent.
pub fn extract_token(raw: &str) -> String {
    extract(raw, "token=", looks_like_token)
}

/// The API key inside pasted text (a bare key, a quoted one, or `key=…`).
pub fn extract_key(raw: &str) -> String {
    extract(raw, "key=", looks_like_key)
}

/// The API secret inside pasted text (a bare one, quoted, or `secret=…`).
pub fn extract_secret(raw: &str) -> String {
    extract(raw, "secret=", looks_like_secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";
    const SECRET: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    fn token() -> String {
        format!("ATTA{}1B2C3D4E", "3f".repeat(32))
    }

    #[test]
    fn key_shapes() {
        assert_eq!(check_key(KEY).shape, Shape::Valid);
        assert_eq!(check_key("").shape, Shape::Empty);
        assert_eq!(check_key(&KEY[..21]).shape, Shape::Incomplete { have: 21, need: 32 });
        assert_eq!(check_key(&KEY[..21]).message(), "21 of 32 characters");
        assert_eq!(check_key("0123g").shape, Shape::InvalidChar { ch: 'g', position: 5 });
        assert_eq!(check_key(&format!("{KEY}00")).shape, Shape::TooLong { have: 34, max: 32 });
        assert_eq!(check_key(SECRET).shape, Shape::LooksLike(Kind::ApiSecret));
        assert_eq!(check_key(&token()).shape, Shape::LooksLike(Kind::Token));
        assert_eq!(check_key("ATATT3xFfGF0abc").shape, Shape::LooksLike(Kind::AtlassianToken));
        let portal = check_key("https://trello.com/power-ups/admin");
        assert_eq!(portal.shape, Shape::LooksLike(Kind::Url));
        assert_eq!(portal.message(), "this is a web address with no API key in it: copy the API key itself");
        assert_eq!(check_token("HTTPS://trello.com/1/authorize", None, None).shape, Shape::LooksLike(Kind::Url));
        assert_eq!(lowercase_hex(&KEY.to_uppercase()).as_deref(), Some(KEY));
        assert_eq!(lowercase_hex(KEY), None);
        assert_eq!(lowercase_hex("ABCG").as_deref(), Some("abcG"), "only hex digits change");
        assert!(check_key(&KEY.to_uppercase()).is_valid());
        assert!(!check_key("0123g").is_savable());
    }

    #[test]
    fn secret_shapes() {
        assert_eq!(check_secret(SECRET).shape, Shape::Valid);
        assert_eq!(check_secret(KEY).shape, Shape::LooksLike(Kind::ApiKey));
        assert_eq!(check_secret(&SECRET[..40]).shape, Shape::Incomplete { have: 40, need: 64 });
        assert_eq!(check_secret(&token()).shape, Shape::LooksLike(Kind::Token));
    }

    #[test]
    fn token_shapes() {
        assert_eq!(check_token(&token(), None, None).shape, Shape::Valid);
        assert_eq!(check_token(SECRET, None, None).shape, Shape::ValidLegacy);
        let t = token();
        assert_eq!(check_token(&t[..30], None, None).shape, Shape::Incomplete { have: 30, need: 76 });
        assert_eq!(check_token("AT", None, None).shape, Shape::Incomplete { have: 2, need: 76 });
        assert!(!check_token(&t[..30], None, None).is_savable());
    }

    #[test]
    fn token_that_is_really_something_else_is_named() {
        let v = check_token(SECRET, Some(SECRET), Some(KEY));
        assert_eq!(v.shape, Shape::LooksLike(Kind::ApiSecret));
        assert_eq!(v.message(), "this is your API secret, not a token: authorize a token with the URL above");
        assert!(!v.is_savable());
        let v = check_token(KEY, None, None);
        assert_eq!(v.shape, Shape::LooksLike(Kind::ApiKey));
        assert_eq!(v.message(), "this is your API key, not a token");
        let v = check_token("ATATT3xFfGF0T4B6XcG9_abc=12345", None, None);
        assert_eq!(v.shape, Shape::LooksLike(Kind::AtlassianToken));
        assert!(v.message().contains("Atlassian account API token"));
    }

    #[test]
    fn unusual_tokens_warn_but_stay_savable() {
        let mut bad = token();
        bad.replace_range(10..11, "Z");
        let v = check_token(&bad, None, None);
        assert_eq!(v.shape, Shape::InvalidChar { ch: 'Z', position: 11 });
        assert_eq!(v.level, Level::Warning);
        assert!(v.is_savable());

        let v = check_token("some-future-token-format_0123456789abcdef", None, None);
        assert_eq!(v.shape, Shape::Unrecognised { length: 41 });
        assert!(v.is_savable());

        let v = check_token(&format!("{}00", token()), None, None);
        assert_eq!(v.shape, Shape::TooLong { have: 78, max: 76 });
        assert!(v.is_savable());
    }

    #[test]
    fn what_cannot_be_a_token_is_refused() {
        let t = token();
        for (input, words) in [
            (format!("{} {}", &t[..40], &t[40..]), "a space at position 41"),
            (format!("{t}\u{1b}[2J"), "a control character (U+001B) at position 77"),
            (
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI ann@host".into(),
                "a space",
            ),
            ("hunter2".into(), "too short"),
            ("correct horse battery staple".into(), "a space"),
            ("P@ssw0rd!P@ssw0rd!P@ssw0rd!P@ssw0rd!".into(), "'@' at position 2"),
            ("a".repeat(MAX_TOKEN_CHARS + 1), "far too long"),
            (format!("{t}é"), "'\\u{e9}' at position 77"),
        ] {
            let v = check_token(&input, None, None);
            assert_eq!(v.level, Level::Error, "{input:?}: {v:?}");
            assert!(!v.is_savable());
            assert!(v.message().contains(words), "{input:?}: {}", v.message());
        }
        // In the alphabet and of a sane length: a warning, still savable.
        let v = check_token(&"x".repeat(MAX_TOKEN_CHARS), None, None);
        assert_eq!(v.level, Level::Warning);
    }

    #[test]
    fn uppercase_tail_must_be_uppercase() {
        let lower_tail = format!("ATTA{}1b2c3d4e", "3f".repeat(32));
        let v = check_token(&lower_tail, None, None);
        assert_eq!(v.shape, Shape::InvalidChar { ch: 'b', position: 70 });
    }

    #[test]
    fn extraction_from_pastes() {
        let t = token();
        for pasted in [
            format!("  {t}\n"),
            format!("\"{t}\""),
            format!("'{t}'\r\n"),
            format!("https://example.com/callback#token={t}"),
            format!("http://127.0.0.1:8765/cb?x=1&token={t}&y=2"),
            format!("export TRELLO_TOKEN=\"{t}\""),
            format!("Here is your token:\n\n{t}\n\nKeep it safe."),
        ] {
            assert_eq!(extract_token(&pasted), t, "from {pasted:?}");
        }
        assert_eq!(extract_key(&format!("https://trello.com/1/authorize?name=x&key={KEY}")), KEY);
        assert_eq!(extract_key(&format!(" `{KEY}` ")), KEY);
        assert_eq!(extract_secret(&format!("TRELLO_API_SECRET={SECRET}")), SECRET);
    }

    #[test]
    fn extraction_leaves_odd_text_alone_but_trimmed() {
        assert_eq!(extract_token("  hello world "), "hello world");
        assert_eq!(extract_token("token="), "token=");
        assert_eq!(extract_token(""), "");
    }

    #[test]
    fn messages_say_where_the_bad_character_is() {
        assert_eq!(
            check_key("01234567x").message(),
            "'x' at position 9 is not allowed: the API key is 32 hex characters (0-9, a-f)"
        );
        assert_eq!(check_key(&format!("{KEY}ab")).message(), "34 characters, but the API key has 32: copy it again");
    }
}
