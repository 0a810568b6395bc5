//! `trello-auth man`: one roff page from the clap definition, in plain ASCII, listing its commands itself, with the help's tables and examples kept as laid out.
//!
//! clap_mangen renders the synopsis, description and options; the rest is
//! done here because its defaults do not fit one page for a whole program:
//! its command list names `trello-auth-status(1)` pages that do not exist,
//! and its EXTRA section lets `man` refill tables and example lines into
//! running text. Every line is ASCII (`...`, `->`, straight quotes), and
//! hyphenation is off: a hyphen added at a line break is not ASCII, and an
//! option broken in two cannot be copied.

use std::io;

use clap::{CommandFactory, builder::StyledStr};

use super::Cli;

/// Renders the whole page into `out`.
pub fn render(out: &mut Vec<u8>) -> io::Result<()> {
    out.extend_from_slice(ascii(&page()?).as_bytes());
    Ok(())
}

/// The page before [`ascii`].
fn page() -> io::Result<String> {
    let cmd = Cli::command();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    top.render_title(&mut page)?;
    page.extend_from_slice(b".nh\n");
    top.render_name_section(&mut page)?;
    top.render_synopsis_section(&mut page)?;
    top.render_description_section(&mut page)?;
    top.render_options_section(&mut page)?;
    let commands: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| s.get_name() != "help").collect();
    page.extend_from_slice(b".SH COMMANDS\nEach command has a section of its own below.\n");
    for sub in &commands {
        let about = sub.get_about().map(StyledStr::to_string).unwrap_or_default();
        let item = format!(".TP\n\\fBtrello\\-auth {}\\fR\n{}\n", escape(sub.get_name()), escape(&about));
        page.extend_from_slice(item.as_bytes());
    }
    for sub in &commands {
        let name = format!("trello-auth {}", sub.get_name());
        let part = clap_mangen::Man::new((*sub).clone().bin_name(name.clone()));
        page.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let mut section = Vec::new();
        part.render_synopsis_section(&mut section)?;
        part.render_description_section(&mut section)?;
        part.render_options_section(&mut section)?;
        // Each command is a subsection of this one page.
        page.extend_from_slice(String::from_utf8_lossy(&section).replace(".SH ", ".SS ").as_bytes());
        page.extend_from_slice(extra(".SS", sub).as_bytes());
    }
    page.extend_from_slice(extra(".SH", &cmd).as_bytes());
    top.render_version_section(&mut page)?;
    Ok(String::from_utf8_lossy(&page).into_owned())
}

/// A command's text after its options (`after_long_help`, else
/// `after_help`) as an EXTRA section: running text stays filled, and every
/// run of indented lines (tables, examples, lists) is set verbatim between
/// `.nf` and `.fi`, so `man` neither joins nor rewraps it.
fn extra(heading: &str, cmd: &clap::Command) -> String {
    let Some(text) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()).map(StyledStr::to_string) else {
        return String::new();
    };
    let mut out = format!("{heading} EXTRA\n");
    let mut verbatim = false;
    for line in text.lines() {
        let indented = line.starts_with(' ');
        if indented != verbatim {
            out.push_str(if indented { ".nf\n" } else { ".fi\n" });
            verbatim = indented;
        }
        if line.trim().is_empty() {
            out.push_str(".PP\n");
        } else {
            out.push_str(&escape(line));
            out.push('\n');
        }
    }
    if verbatim {
        out.push_str(".fi\n");
    }
    out
}

/// Plain text as a roff text line that prints as typed: a backslash, a
/// dash (else a hyphen glyph), quotes, `~` and `^` (else typographic forms
/// in a UTF-8 terminal), and a leading `.` (else a request).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    if text.starts_with('.') {
        out.push_str("\\&");
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            '\'' => out.push_str("\\(aq"),
            '`' => out.push_str("\\(ga"),
            '~' => out.push_str("\\(ti"),
            '^' => out.push_str("\\(ha"),
            c => out.push(c),
        }
    }
    out
}

/// The finished page in ASCII: the help's typographic characters as their
/// plain forms (as roff, so they print as such), clap_mangen's bullets as
/// `*`. A character [`plain`] does not know becomes `?` (a test holds the
/// page to the table).
fn ascii(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for c in roff.replace("\\(bu", "*").chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(plain(c).unwrap_or("?"));
        }
    }
    out
}

/// A typographic character's ASCII form, as roff.
fn plain(c: char) -> Option<&'static str> {
    Some(match c {
        // `\&` keeps a line that starts with it from being a request.
        '…' => "\\&...",
        '→' => "\\->",
        '←' => "<\\-",
        '↑' => "up",
        '↓' => "down",
        '‘' | '’' | '′' => "\\(aq",
        '“' | '”' | '″' => "\"",
        '—' => "\\-\\-",
        '–' | '‐' | '−' => "\\-",
        '·' | '•' => "*",
        '×' => "x",
        '≤' => "<=",
        '≥' => ">=",
        '\u{a0}' => " ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_prints_as_typed() {
        assert_eq!(
            escape(".mcp.json --x 'a' `b` ~/c ^d \\e"),
            "\\&.mcp.json \\-\\-x \\(aqa\\(aq \\(gab\\(ga \\(ti/c \\(had \\ee"
        );
        assert_eq!(ascii("a … b → c ‘d’ “e” — f\n…x"), "a \\&... b \\-> c \\(aqd\\(aq \"e\" \\-\\- f\n\\&...x");
        assert_eq!(ascii(".IP \\(bu 2"), ".IP * 2");
    }

    #[test]
    fn indented_runs_are_verbatim_and_prose_is_filled() {
        let cmd = clap::Command::new("x").after_help("Prose here\nmore prose.\n\nExamples:\n  x a  one\n  x b\nAfter.");
        assert_eq!(
            extra(".SS", &cmd),
            ".SS EXTRA\nProse here\nmore prose.\n.PP\nExamples:\n.nf\n  x a  one\n  x b\n.fi\nAfter.\n"
        );
    }

    #[test]
    fn the_page_is_ascii_and_names_no_page_that_does_not_exist() {
        let raw = page().unwrap();
        let unknown: Vec<char> = raw.chars().filter(|c| !c.is_ascii() && plain(*c).is_none()).collect();
        assert!(unknown.is_empty(), "give plain() an ASCII form for {unknown:?}");
        let mut out = Vec::new();
        render(&mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.is_ascii());
        assert!(!page.contains("(1)"), "a reference to another page");
        assert!(page.contains(".SH COMMANDS\n") && page.contains("\\fBtrello\\-auth status\\fR\n"));
        assert!(page.contains(".nf\n  TRELLO_API_BASE "), "the environment table is not verbatim");
    }
}
