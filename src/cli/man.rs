//! `trello-auth man`: one roff page from the clap definition, in plain ASCII and at most 80 columns, with a man page's sections and one section per command.
//!
//! clap_mangen renders the synopses, descriptions and options; the rest is
//! done here because its defaults do not fit one page for a whole program:
//! its command list names `trello-auth-status(1)` pages that do not exist,
//! and its EXTRA section lets `man` refill tables and example lines into
//! running text. So the help's text after the options is split into the
//! sections a reader looks for (DESCRIPTION, EXAMPLES; at the top EXIT
//! STATUS, ENVIRONMENT and FILES from their tables). Running text is filled
//! by `man`; a table or an example is set as laid out when it fits the page,
//! a table that does not as tagged paragraphs, and an example that does not
//! is broken at a space with a shell's ` \` continuation, so a copied line
//! still runs. Every line is ASCII (`...`, `->`, straight quotes), and
//! hyphenation is off: a hyphen added at a line break is not ASCII, and an
//! option broken in two cannot be copied.

use std::io;

use clap::builder::StyledStr;

/// The widest text set as laid out: `man` draws an 80-column page (MANWIDTH
/// 80) 78 columns wide, and indents a section's text by 7.
pub(crate) const VERBATIM_WIDTH: usize = 71;

/// How much deeper a continued example line is indented.
const CONTINUED: &str = "    ";

/// Renders the whole page into `out`.
pub fn render(out: &mut Vec<u8>) -> io::Result<()> {
    out.extend_from_slice(ascii(&page()?).as_bytes());
    Ok(())
}

/// What one of clap_mangen's renderers writes, as text.
fn rendered(render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<String> {
    let mut out = Vec::new();
    render(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The page before [`ascii`].
fn page() -> io::Result<String> {
    // As parsed: built, so each command's synopsis shows the global options it takes.
    let mut cli = super::definition();
    cli.build();
    let top = clap_mangen::Man::new(cli.clone());
    let mut page = rendered(|out| top.render_title(out))?;
    page.push_str(".nh\n");
    page.push_str(&rendered(|out| top.render_name_section(out))?);
    page.push_str(&rendered(|out| top.render_synopsis_section(out))?);
    page.push_str(&rendered(|out| top.render_description_section(out))?);
    page.push_str(&format!(".PP\n{}", prose(super::DESCRIPTION)));
    page.push_str(&rendered(|out| top.render_options_section(out))?);
    page.push_str(&general_sections());
    let commands: Vec<&clap::Command> = cli.get_subcommands().filter(|s| s.get_name() != "help").collect();
    // As defined, unbuilt: each command's own options, without those clap copies in as it builds.
    let bare = super::definition();
    page.push_str(".SH COMMANDS\nEach command has a section of its own below. ");
    let without: Vec<String> = super::WITHOUT_PROFILE.iter().map(|name| format!("\\fB{}\\fR", escape(name))).collect();
    let without = match without.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    page.push_str(&format!(
        "All but {without} take \\fB\\-\\-profile\\fR and \\fB\\-\\-config\\fR (see OPTIONS), before or after \
         the command's name.\n"
    ));
    for sub in &commands {
        let about = sub.get_about().map(StyledStr::to_string).unwrap_or_default();
        page.push_str(&format!(".TP\n\\fBtrello\\-auth {}\\fR\n{}\n", escape(sub.get_name()), escape(&about)));
    }
    for sub in &commands {
        let defined = bare.find_subcommand(sub.get_name()).unwrap_or(sub);
        page.push_str(&command_section(sub, defined)?);
    }
    page.push_str(&rendered(|out| top.render_version_section(out))?);
    Ok(page)
}

/// EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES of the whole program, from
/// the same tables and text as `--help`.
fn general_sections() -> String {
    let mut out = String::from(".SH \"EXIT STATUS\"\nThe same for every command:\n");
    for (code, meaning) in crate::commands::exit::TABLE {
        out.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", escape(meaning)));
    }
    out.push_str(".SH ENVIRONMENT\n");
    for var in crate::environment::ALL {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", escape(var.name), escape(var.meaning)));
    }
    out.push_str(".SH FILES\n");
    for (place, what) in super::FILES {
        out.push_str(&format!(".TP\n\\fI{}\\fR\n{}\n", escape(place), escape(what)));
    }
    out.push_str(&format!(".SH EXAMPLES\n{}", examples(&super::EXAMPLES.lines().collect::<Vec<_>>())));
    out
}

/// One command's section: its synopsis and its subcommands' (from `sub`,
/// built), what it does, its options and its subcommands' (from `defined`,
/// as the definition has them), and its examples.
fn command_section(sub: &clap::Command, defined: &clap::Command) -> io::Result<String> {
    let name = format!("trello-auth {}", sub.get_name());
    let mut out = format!(".SH \"{}\"\n.SS SYNOPSIS\n", name.to_uppercase());
    // Built with the program: each synopsis lists the global options its command takes.
    let nested: Vec<&clap::Command> = sub.get_subcommands().filter(|s| s.get_name() != "help").collect();
    for (index, cmd) in std::iter::once(sub).chain(nested.iter().copied()).enumerate() {
        if index > 0 {
            out.push_str(".br\n");
        }
        let man = clap_mangen::Man::new(cmd.clone());
        out.push_str(&without_heading(&rendered(|w| man.render_synopsis_section(w))?));
    }
    let text = sub.get_after_long_help().or_else(|| sub.get_after_help()).map(StyledStr::to_string);
    let (description, example_lines) = split_examples(text.as_deref().unwrap_or_default());
    out.push_str(".SS DESCRIPTION\n");
    out.push_str(&format!("{}\n", escape(&sub.get_about().map(StyledStr::to_string).unwrap_or_default())));
    if !description.trim().is_empty() {
        out.push_str(&format!(".PP\n{}", prose(&description)));
    }
    for cmd in &nested {
        let about = cmd.get_about().map(StyledStr::to_string).unwrap_or_default();
        out.push_str(&format!(".TP\n\\fB{} {}\\fR\n{}\n", escape(&name), escape(cmd.get_name()), escape(&about)));
    }
    // The options without the global ones: the top's OPTIONS tells them once.
    let own = defined.clone().mut_args(|arg| if arg.is_global_set() { arg.hide(true) } else { arg });
    let man = clap_mangen::Man::new(own);
    out.push_str(&rendered(|w| man.render_options_section(w))?.replace(".SH ", ".SS "));
    for cmd in defined.get_subcommands() {
        let mut own = cmd.clone().disable_help_flag(true);
        own.build();
        if own.get_arguments().all(|arg| arg.is_hide_set()) {
            continue;
        }
        let man = clap_mangen::Man::new(own);
        out.push_str(&format!(".PP\nOf \\fB{} {}\\fR:\n", escape(&name), escape(cmd.get_name())));
        out.push_str(&without_heading(&rendered(|w| man.render_options_section(w))?));
    }
    if !example_lines.is_empty() {
        out.push_str(&format!(".SS EXAMPLES\n{}", examples(&example_lines)));
    }
    Ok(out)
}

/// A rendered section without its `.SH` line, to set inside another.
fn without_heading(roff: &str) -> String {
    roff.lines().filter(|line| !line.starts_with(".SH ")).map(|line| format!("{line}\n")).collect()
}

/// A command's help text after its options, as the text before its
/// `Examples:` (or `Example:`) block and that block's lines.
fn split_examples(text: &str) -> (String, Vec<&str>) {
    let mut description = Vec::new();
    let mut examples = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if matches!(line, "Examples:" | "Example:") {
            inside = true;
        } else if inside && line.trim().is_empty() {
            inside = false;
        } else if inside {
            examples.push(line);
        } else {
            description.push(line);
        }
    }
    (description.join("\n"), examples)
}

/// Help text as roff: running text filled, a blank line a new paragraph, and
/// each run of indented lines (a table, a list) set as in [`block`].
fn prose(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        if line.trim().is_empty() {
            out.push_str(".PP\n");
            at += 1;
        } else if !line.starts_with(' ') {
            out.push_str(&escape(line));
            out.push('\n');
            at += 1;
        } else {
            let end = lines[at..].iter().position(|l| !l.starts_with(' ')).map_or(lines.len(), |n| at + n);
            out.push_str(&block(&lines[at..end]));
            at = end;
        }
    }
    out
}

/// A run of indented lines: as laid out (`.nf`) when every line fits the
/// page; a table that does not, as tagged paragraphs `man` fills; anything
/// else that does not, filled.
fn block(lines: &[&str]) -> String {
    if lines.iter().all(|line| printed_width(line) <= VERBATIM_WIDTH) {
        let body: String = lines.iter().map(|line| format!("{}\n", escape(line))).collect();
        return format!(".nf\n{body}.fi\n");
    }
    match table(lines) {
        Some(rows) => {
            let indent = rows.iter().map(|(tag, _)| printed_width(tag)).max().unwrap_or(0) + 2;
            let body: String =
                rows.iter().map(|(tag, text)| format!(".TP {indent}\n{}\n{}\n", escape(tag), escape(text))).collect();
            // Rows one under the other, as the help has them; what follows is not part of the last row.
            format!(".PD 0\n{body}.PD\n.PP\n")
        }
        None => lines.iter().map(|line| format!("{}\n", escape(line.trim()))).collect(),
    }
}

/// Lines laid out as a two-column table (`  tag  text`, a longer text going
/// on in lines indented deeper), as its rows; `None` when they are not.
fn table(lines: &[&str]) -> Option<Vec<(String, String)>> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let first = indent(lines.first()?);
    let mut rows: Vec<(String, String)> = Vec::new();
    for line in lines {
        let text = line.trim();
        match rows.last_mut() {
            Some((_, body)) if indent(line) > first => {
                body.push(' ');
                body.push_str(text);
            }
            _ if indent(line) == first => {
                let (tag, rest) = text.split_once("  ")?;
                rows.push((tag.to_string(), rest.trim().to_string()));
            }
            _ => return None,
        }
    }
    Some(rows)
}

/// Example lines as laid out; one too wide for the page is broken as in
/// [`break_command`], its description (after two spaces) on a line of its own.
fn examples(lines: &[&str]) -> String {
    let mut out = String::from(".nf\n");
    for line in lines {
        if printed_width(line) <= VERBATIM_WIDTH {
            out.push_str(&format!("{}\n", escape(line)));
            continue;
        }
        let command = line.trim_start();
        let indent = &line[..line.len() - command.len()];
        let (command, about) = command.split_once("  ").map_or((command, ""), |(c, a)| (c, a.trim()));
        for piece in break_command(command, VERBATIM_WIDTH - indent.len()) {
            out.push_str(&format!("{}\n", escape(&format!("{indent}{piece}"))));
        }
        if !about.is_empty() {
            out.push_str(&format!("{}\n", escape(&format!("{indent}{CONTINUED}# {about}"))));
        }
    }
    out.push_str(".fi\n");
    out
}

/// A shell command line as lines at most `width` wide, each but the last
/// ending in ` \` (the shell joins them back) and each but the first
/// indented by [`CONTINUED`]. Breaks fall only on a space outside quotes and
/// `$(…)`, and after `&&`, `||`, `|` or `;` where one fits. A command that
/// has no such space where it would help stays as long as it is.
fn break_command(command: &str, width: usize) -> Vec<String> {
    let spaces = breakable_spaces(command);
    let mut lines = Vec::new();
    let mut start = 0;
    loop {
        let room = if lines.is_empty() { width } else { width - CONTINUED.len() };
        let rest = &command[start..];
        let later: Vec<usize> = spaces.iter().copied().filter(|&at| at > start).collect();
        if printed_width(rest) <= room || later.is_empty() {
            lines.push(rest.to_string());
            break;
        }
        let fits: Vec<usize> =
            later.iter().copied().filter(|&at| printed_width(&command[start..at]) + " \\".len() <= room).collect();
        let after_operator = |at: &usize| {
            let word = command[start..*at].rsplit(' ').next().unwrap_or_default();
            matches!(word, "&&" | "||" | "|") || word.ends_with(';')
        };
        let at = fits.iter().rev().find(|at| after_operator(at)).or(fits.last()).copied().unwrap_or(later[0]);
        lines.push(format!("{} \\", &command[start..at]));
        start = at + 1;
    }
    lines.iter().enumerate().map(|(i, line)| if i == 0 { line.clone() } else { format!("{CONTINUED}{line}") }).collect()
}

/// The byte offsets of the spaces in `command` a line may break at: outside
/// quotes, escapes and `$(…)`.
fn breakable_spaces(command: &str) -> Vec<usize> {
    let (mut single, mut double, mut escaped, mut depth) = (false, false, false, 0usize);
    let mut spaces = Vec::new();
    for (at, c) in command.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '(' if !single && !double => depth += 1,
            ')' if !single && !double => depth = depth.saturating_sub(1),
            ' ' if !single && !double && depth == 0 => spaces.push(at),
            _ => {}
        }
    }
    spaces
}

/// How many columns `text` takes on the finished page, where a typographic
/// character prints as its [`plain`] form.
fn printed_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { plain(c).map_or(1, str::len) }).sum()
}

/// Plain text as a roff text line that prints as typed: a backslash, a
/// dash (else a hyphen glyph), quotes, `~` and `^` (else typographic forms
/// in a UTF-8 terminal), and a leading `.` or `'` (else a request).
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
/// [`plain`] forms (escaped, so they print as such), clap_mangen's bullets as
/// `*`. A character [`plain`] does not know becomes `?` (a test holds the
/// page to the table).
fn ascii(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for c in roff.replace("\\(bu", "*").chars() {
        match (c.is_ascii(), plain(c)) {
            (true, _) => out.push(c),
            // Escaped as text: `...` gets the `\&` that keeps a line starting with it from being a request.
            (false, Some(text)) => out.push_str(&escape(text)),
            (false, None) => out.push('?'),
        }
    }
    out
}

/// A typographic character's ASCII form, as it prints.
fn plain(c: char) -> Option<&'static str> {
    Some(match c {
        '…' => "...",
        '→' => "->",
        '←' => "<-",
        '↑' => "up",
        '↓' => "down",
        '‘' | '’' | '′' => "'",
        '“' | '”' | '″' => "\"",
        '—' => "--",
        '–' | '‐' | '−' => "-",
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
        assert_eq!(printed_width("a … →"), 8);
    }

    #[test]
    fn indented_runs_are_verbatim_and_prose_is_filled() {
        let text = "Prose here\nmore prose.\n\nA list:\n  x a  one\n  x b\nAfter.";
        assert_eq!(prose(text), "Prose here\nmore prose.\n.PP\nA list:\n.nf\n  x a  one\n  x b\n.fi\nAfter.\n");
        let (description, examples) = split_examples("What it does.\n\nExamples:\n  x a\n  x b");
        assert_eq!((description.as_str(), examples), ("What it does.\n", vec!["  x a", "  x b"]));
    }

    #[test]
    fn a_table_too_wide_for_the_page_becomes_tagged_paragraphs() {
        let wide = "y".repeat(70);
        let text = format!("Files:\n  one    {wide}\n         goes on\n  two    short\nAfter.");
        assert_eq!(
            prose(&text),
            format!("Files:\n.PD 0\n.TP 5\none\n{wide} goes on\n.TP 5\ntwo\nshort\n.PD\n.PP\nAfter.\n")
        );
    }

    #[test]
    fn a_long_example_breaks_where_a_shell_joins_it_back() {
        let command = "p=$(command -v x y) && mkdir -p \"${p%/*}/a b/c\" && x man > \"${p%/*}/share/man/man1/x.1\"";
        let lines = break_command(command, 38);
        assert_eq!(
            lines,
            [
                "p=$(command -v x y) && \\",
                "    mkdir -p \"${p%/*}/a b/c\" && \\",
                "    x man > \\",
                "    \"${p%/*}/share/man/man1/x.1\"",
            ]
        );
        // Joined as a shell joins ` \` and a line break, it is the command again.
        let joined = lines.iter().map(|l| l.trim_start().trim_end_matches('\\')).collect::<String>();
        assert_eq!(joined, command);
        // Inside quotes there is no place to break: the line stays whole.
        assert_eq!(break_command("sh -c 'a b c d e f g h'", 10), ["sh -c \\", "    'a b c d e f g h'"]);
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
        assert!(!page.contains("EXTRA"), "a section name no reader looks for");
    }

    /// What `man` cannot refill: every line set as laid out fits the page.
    #[test]
    fn every_line_set_as_laid_out_fits_the_page() {
        let page = page().unwrap();
        let mut verbatim = false;
        for line in page.lines() {
            match line {
                ".nf" => verbatim = true,
                ".fi" => verbatim = false,
                // The source's escapes print one column each, or as the escape says.
                _ if verbatim => {
                    let shown = line
                        .replace("\\&", "")
                        .replace("\\e", "\\")
                        .replace("\\-", "-")
                        .replace("\\(aq", "'")
                        .replace("\\(ga", "`")
                        .replace("\\(ti", "~")
                        .replace("\\(ha", "^");
                    assert!(printed_width(&shown) <= VERBATIM_WIDTH, "too wide for the page: {shown}");
                }
                _ => {}
            }
        }
    }
}
