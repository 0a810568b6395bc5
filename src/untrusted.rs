//! Text from outside (Trello, a proxy, the config file, the command line) made safe to print to a terminal.
//!
//! A terminal obeys control sequences wherever they appear, so a member name
//! holding `ESC ] 52 ; …` would write the user's clipboard and `ESC [ 2J` would
//! clear their screen. Every untrusted string passes through [`for_terminal`]
//! (or [`line`]) before it is printed; JSON output goes through [`json_safe`],
//! which escapes instead of stripping so the value stays exact.

use std::borrow::Cow;

/// True for characters a terminal may act on or that reorder what is shown:
/// C0 and C1 controls, DEL, and the Unicode bidirectional overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Arabic letter mark, LRM/RLM, embeddings and overrides, isolates.
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Strips every unsafe character but line feeds and tabs, so multi-line
/// messages keep their shape. Borrows when there is nothing to strip.
pub(crate) fn for_terminal(text: &str) -> Cow<'_, str> {
    strip(text, |c| c == '\n' || c == '\t')
}

/// Characters that end a line for some reader: a terminal, a `.env` parser,
/// Python's `splitlines`, an editor.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// True when `text` holds no unsafe character and no line break: it prints
/// exactly as it is, on one line, whatever reads it.
pub fn is_plain(text: &str) -> bool {
    !text.chars().any(|c| is_unsafe(c) || is_line_break(c))
}

/// One-line fields (a name, an id): every line break is shown as `\n` (or
/// `\r`, `\u{2028}`…) so a name can never start a line of output of its own
/// (a forged `trello-auth: warning: …`), and every other unsafe character is
/// stripped.
pub fn line(text: &str) -> Cow<'_, str> {
    if is_plain(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_line_break(c) => out.push_str(&c.escape_unicode().to_string()),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn strip(text: &str, keep: fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|c| !is_unsafe(*c) || keep(*c)).collect())
}

/// JSON text with every unsafe character that serde_json leaves raw (C1, DEL,
/// bidi controls) written as a `\uXXXX` escape. Such characters can only stand
/// inside JSON strings, where the escape means the same character: the parsed
/// value is unchanged.
pub(crate) fn json_safe(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_unsafe_raw_in_json) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe_raw_in_json(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// serde_json already escapes C0 inside strings; line feeds between tokens are layout.
fn is_unsafe_raw_in_json(c: char) -> bool {
    is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r' | ' ')
}

/// Most characters of a name from outside that is kept (a member's, a
/// board's): Trello's are far shorter; a hostile answer's 600 kB name must
/// not swell the config file past what it may be.
pub(crate) const NAME_CHARS: usize = 512;

/// `text` cut to [`NAME_CHARS`] characters, with `…` where it was cut.
pub(crate) fn capped(text: &str) -> String {
    cut(text, NAME_CHARS)
}

/// `text` cut to `chars` characters, with `…` where it was cut.
pub fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Characters that draw nothing yet are not Unicode whitespace: the Braille
/// blank, the Hangul fillers, the Mongolian vowel separator.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{2800}' | '\u{3164}' | '\u{ffa0}' | '\u{115f}' | '\u{1160}' | '\u{180e}')
}

/// Characters that take no column: zero-width spaces and joiners, the word
/// joiner and invisible operators, the byte-order mark, the soft hyphen and
/// the combining grapheme joiner.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}' | '\u{34f}')
}

/// A name from outside shown where what follows it must stay in view (a
/// member's full name before its `(@username)`): plain (see [`is_plain`]),
/// every run of blank or invisible characters one space, trimmed, and cut to
/// `columns` terminal columns with `…`. A name of 500 Braille blanks would
/// otherwise fill the screen with nothing and push the username below it.
pub fn name(text: &str, columns: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let (mut used, mut blank) = (0, false);
    for c in text.chars() {
        if is_blank(c) {
            blank = true;
            // A joiner before a blank joins nothing: it would keep two blanks apart.
            while out.ends_with(is_invisible) {
                out.pop();
            }
            continue;
        }
        if is_unsafe(c) || (blank && is_invisible(c)) {
            continue;
        }
        let space = usize::from(blank && !out.is_empty());
        let width = c.width().unwrap_or(0);
        if used + space + width > columns {
            let kept = out.trim_end();
            return format!("{kept}…");
        }
        if space == 1 {
            out.push(' ');
        }
        out.push(c);
        used += space + width;
        blank = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_bidi() {
        let hostile = "Ann\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J \u{202e}gnp.exe\u{9b}31m";
        assert_eq!(for_terminal(hostile), "Ann]52;c;ZXZpbA==[2J gnp.exe31m");
        assert_eq!(line("two\nlines\r"), "two\\nlines\\r");
        assert_eq!(line("a\u{2028}b\u{1b}[2J"), "a\\u{2028}b[2J");
        assert_eq!(for_terminal("two\nlines\ttab"), "two\nlines\ttab");
        assert!(matches!(for_terminal("plain café 山田"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_stays_exact() {
        let value = serde_json::json!({"name": "A\u{9b}2J\u{202e}B\u{1b}[0m\u{7f}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_safe(&text);
        assert!(!safe.chars().any(is_unsafe_raw_in_json), "{safe:?}");
        assert!(!safe.contains('\u{1b}'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn names_are_one_short_line_whatever_pads_them() {
        assert_eq!(name("  Ann \t  Example\n", 40), "Ann Example");
        assert_eq!(name("Ann\u{2800}\u{2800}\u{3164}\u{200b} \u{200d}Example", 40), "Ann Example");
        assert_eq!(name("Ann\u{1b}[2J \u{202e}Example", 40), "Ann[2J Example");
        assert_eq!(name("山田太郎", 5), "山田…");
        assert_eq!(name(&"x".repeat(100), 10), format!("{}…", "x".repeat(10)));
        assert_eq!(name("Ann Example", 4), "Ann…");
        assert_eq!(name("e\u{301}", 1), "e\u{301}");
        assert_eq!(name("\u{2800}\u{200b}", 10), "");
        assert!(is_plain(&name("a\u{2028}b\rc\u{85}d", 10)));
    }
}
