//! Laying out a step's body: rows of text and labelled fields, wrapped by display width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::credentials::secret::mask;
use crate::wizard::model::{Model, Room, Target};

/// Draws a one-line text field; secrets are masked unless revealed. Puts the
/// terminal cursor in it when focused.
pub(crate) fn input_field(
    frame: &mut Frame,
    area: Rect,
    input: &Input,
    focused: bool,
    masked: bool,
    placeholder: &str,
    theme: &Theme,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let value = input.value();
    if value.is_empty() {
        let text = Span::styled(format!("{placeholder:<width$}"), theme.dim().patch(theme.field()));
        frame.render_widget(Paragraph::new(Line::from(text)), area);
        if focused {
            frame.set_cursor_position((area.x, area.y));
        }
        return;
    }
    if masked {
        let shown = mask(value);
        let cursor = shown.chars().count().min(width.saturating_sub(1));
        frame.render_widget(Paragraph::new(Line::from(Span::styled(format!("{shown:<width$}"), theme.field()))), area);
        if focused {
            frame.set_cursor_position((area.x + cursor as u16, area.y));
        }
        return;
    }
    // Scrolled to the cursor only while typing in it; otherwise from its start
    // (a 32-character key in a 32-column field, shown from its second character, looked wrong).
    let scroll = if focused { input.visual_scroll(width.saturating_sub(1)) } else { 0 };
    let paragraph = Paragraph::new(Line::from(Span::styled(format!("{value:<width$}"), theme.field())))
        .scroll((0, u16::try_from(scroll).unwrap_or(u16::MAX)));
    frame.render_widget(paragraph, area);
    // A value wider than its field says so at the cut edge: a key shown from
    // its second character must not look like a whole (wrong) key.
    let total = unicode_width::UnicodeWidthStr::width(value);
    if scroll > 0 {
        frame.buffer_mut()[(area.x, area.y)].set_symbol("…");
    }
    if total > scroll + width && width > 1 {
        frame.buffer_mut()[(area.x + area.width - 1, area.y)].set_symbol("…");
    }
    if focused {
        let x = input.visual_cursor().saturating_sub(scroll).min(width.saturating_sub(1));
        frame.set_cursor_position((area.x + x as u16, area.y));
    }
}

/// `label` padded to `width`, marked when focused.
pub fn label(text: &str, focused: bool, width: usize, theme: &Theme) -> Span<'static> {
    let marker = if focused { "› " } else { "  " };
    let style = if focused { theme.focus() } else { theme.bold() };
    Span::styled(format!("{marker}{text:<width$}", width = width.saturating_sub(2)), style)
}

/// One row of a step's body: text, the selected choice of a menu, or a labelled input field.
pub(crate) enum Row {
    Text(Line<'static>),
    Selected(Line<'static>),
    Field { label: String, target: Target, masked: bool, placeholder: String },
}

/// Width of the label column in front of fields.
pub(crate) const LABEL_WIDTH: usize = 24;

/// Greedy word wrap by display width (a CJK character takes two columns, a
/// combining mark none); words wider than the line are broken.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        // A line that fits keeps its own spacing (aligned command lists).
        if paragraph.width() <= width {
            out.push(paragraph.to_string());
            continue;
        }
        let indent: String = paragraph.chars().take_while(|c| *c == ' ').collect();
        let before = out.len();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word = word.to_string();
            loop {
                let used = line.width();
                let needed = word.width() + usize::from(used > 0);
                if used + needed <= width {
                    if used > 0 {
                        line.push(' ');
                    } else {
                        line.push_str(&indent[..indent.len().min(width.saturating_sub(word.width()))]);
                    }
                    line.push_str(&word);
                    break;
                }
                if used > 0 {
                    out.push(std::mem::take(&mut line));
                    continue;
                }
                // A word wider than the line: break it.
                let (head, rest) = split_at_width(&word, width);
                out.push(head);
                word = rest;
                if word.is_empty() {
                    break;
                }
            }
        }
        if !line.is_empty() || out.len() == before {
            out.push(line);
        }
    }
    out
}

/// The longest start of `text` at most `width` columns wide (never empty,
/// so a character wider than the line still moves on), and the rest.
fn split_at_width(text: &str, width: usize) -> (String, String) {
    let mut used = 0;
    let mut end = 0;
    for (at, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width && end > 0 {
            break;
        }
        used += w;
        end = at + c.len_utf8();
    }
    (text[..end].to_string(), text[end..].to_string())
}

/// Text wrapped into the column right of `indent` characters, as rows.
pub(crate) fn indented_rows(indent: usize, text: &str, width: u16, style: Style) -> Vec<Row> {
    let pad = " ".repeat(indent);
    wrap(text, (width as usize).saturating_sub(indent))
        .into_iter()
        .map(|l| Row::Text(Line::from(vec![Span::raw(pad.clone()), Span::styled(l, style)])))
        .collect()
}

/// Wrapped text as rows, all in one style.
pub(crate) fn text_rows(text: &str, width: u16, style: Style) -> Vec<Row> {
    wrap(text, width as usize).into_iter().map(|l| Row::Text(Line::styled(l, style))).collect()
}

pub fn blank() -> Row {
    Row::Text(Line::raw(""))
}

/// The first row shown: where the focused row (or the selected choice) just
/// comes into view, moved by what PgUp and PgDn asked, within the body.
pub(crate) fn first_row(rows: &[Row], height: usize, m: &Model) -> usize {
    let focused = crate::wizard::screen::focused(m);
    let focus_row = rows.iter().position(|r| match r {
        Row::Field { target, .. } => Some(*target) == focused,
        Row::Selected(_) => true,
        Row::Text(_) => false,
    });
    let follows = match focus_row {
        Some(row) if row >= height => row + 1 - height,
        _ => 0,
    };
    let last_start = rows.len().saturating_sub(height);
    follows.saturating_add_signed(m.ui.scroll).min(last_start)
}

/// Lays rows out top to bottom from [`first_row`]; says how many are out of view.
pub(crate) fn render_rows(frame: &mut Frame, area: Rect, m: &Model, rows: Vec<Row>, theme: &Theme) -> Room {
    let height = area.height as usize;
    let focused = crate::wizard::screen::focused(m);
    let skip = first_row(&rows, height, m);
    let overflow = Room { above: skip, below: rows.len().saturating_sub(skip + height) };
    for (offset, row) in rows.into_iter().skip(skip).take(height).enumerate() {
        let line_area = Rect { y: area.y + offset as u16, height: 1, ..area };
        match row {
            Row::Text(line) | Row::Selected(line) => frame.render_widget(Paragraph::new(line), line_area),
            Row::Field { label: text, target, masked, placeholder } => {
                let is_focused = focused == Some(target);
                let label_width = LABEL_WIDTH.min(area.width as usize / 2) as u16;
                let label_area = Rect { width: label_width, ..line_area };
                let field_area = Rect {
                    x: line_area.x + label_width,
                    width: line_area.width.saturating_sub(label_width),
                    ..line_area
                };
                frame.render_widget(Paragraph::new(label(&text, is_focused, label_width as usize, theme)), label_area);
                if let Some(input) = m.form.input(target) {
                    input_field(frame, field_area, input, is_focused, masked && !m.form.reveal, &placeholder, theme);
                }
            }
        }
    }
    overflow
}

/// `label   value`, the value wrapped under itself when it is too long (tokens
/// and paths must be readable whole).
pub(crate) fn fact_wrapped(label_text: &str, value: &str, width: u16, style: Style, theme: &Theme) -> Vec<Row> {
    let column = (width as usize).saturating_sub(LABEL_WIDTH).max(1);
    let mut lines = wrap_hard(value, column).into_iter();
    let mut rows = vec![fact(label_text, vec![Span::styled(lines.next().unwrap_or_default(), style)], theme)];
    rows.extend(lines.map(|l| Row::Text(Line::from(vec![Span::raw(" ".repeat(LABEL_WIDTH)), Span::styled(l, style)]))));
    rows
}

/// Cuts `text` into pieces at most `width` columns wide (no word boundaries:
/// for tokens and paths).
pub(crate) fn wrap_hard(text: &str, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text.to_string();
    while !rest.is_empty() {
        let (head, tail) = split_at_width(&rest, width.max(1));
        pieces.push(head);
        rest = tail;
    }
    if pieces.is_empty() {
        pieces.push(String::new());
    }
    pieces
}

/// `label   value` for a read-only value of several styled parts (see [`labelled`]).
pub(crate) fn fact_styled(label_text: &str, value: Vec<(String, Style)>, width: u16, theme: &Theme) -> Vec<Row> {
    labelled(label(label_text, false, LABEL_WIDTH, theme), value, width)
}

/// `label   value`: on one line when the value fits, else word-wrapped in the
/// value's column, each word keeping its part's style. Words break at plain
/// spaces only, so a no-break space holds a unit (`● 30 days`) together.
pub(crate) fn labelled(label: Span<'static>, value: Vec<(String, Style)>, width: u16) -> Vec<Row> {
    let column = (width as usize).saturating_sub(LABEL_WIDTH).max(1);
    // No-break spaces choose where lines break; on screen they are spaces.
    if value.iter().map(|(text, _)| text.width()).sum::<usize>() <= column {
        let mut spans = vec![label];
        spans.extend(value.into_iter().map(|(text, style)| Span::styled(text.replace('\u{a0}', " "), style)));
        return vec![Row::Text(Line::from(spans))];
    }
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for (text, style) in value {
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let mut word = word.replace('\u{a0}', " ");
            while !word.is_empty() {
                let gap = usize::from(used > 0);
                if used + gap + word.width() <= column {
                    let line = lines.last_mut().expect("lines starts with one line and only grows");
                    line.push(Span::styled(format!("{}{word}", " ".repeat(gap)), style));
                    used += gap + word.width();
                    break;
                }
                if used > 0 {
                    lines.push(Vec::new());
                    used = 0;
                    continue;
                }
                // A word wider than the column: break it.
                let (head, rest) = split_at_width(&word, column);
                lines.last_mut().expect("lines starts with one line and only grows").push(Span::styled(head, style));
                lines.push(Vec::new());
                word = rest;
            }
        }
    }
    lines.retain(|line| !line.is_empty());
    let mut lines = lines.into_iter();
    let mut first = vec![label];
    first.extend(lines.next().unwrap_or_default());
    let mut rows = vec![Row::Text(Line::from(first))];
    rows.extend(lines.map(|spans| {
        let mut line = vec![Span::raw(" ".repeat(LABEL_WIDTH))];
        line.extend(spans);
        Row::Text(Line::from(line))
    }));
    rows
}

/// `label   value` on one line, for read-only facts.
pub fn fact(label_text: &str, value: Vec<Span<'static>>, theme: &Theme) -> Row {
    let mut spans = vec![label(label_text, false, LABEL_WIDTH, theme)];
    spans.extend(value);
    Row::Text(Line::from(spans))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_on_words_and_long_words() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
        assert_eq!(wrap("  indented text", 20), vec!["  indented text"]);
    }

    #[test]
    fn wrap_counts_display_columns() {
        // Each of these is two columns wide: four fit in eight.
        assert_eq!(wrap("山田太郎山田太郎", 8), vec!["山田太郎", "山田太郎"]);
        assert_eq!(wrap("as 山田 太郎 (@yamada)", 10), vec!["as 山田", "太郎", "(@yamada)"]);
        // A combining accent takes no column.
        assert_eq!(wrap("Zoe\u{301} Zoe\u{301}", 7), vec!["Zoe\u{301} Zoe\u{301}"]);
        // Wider than the line: still one character per line, never stuck.
        assert_eq!(wrap("山田", 1), vec!["山", "田"]);
        assert_eq!(wrap_hard("山田太郎x", 4), vec!["山田", "太郎", "x"]);
        for line in wrap(&"山田 太郎 ".repeat(30), 21) {
            assert!(line.width() <= 21, "{line:?}");
        }
    }
}
