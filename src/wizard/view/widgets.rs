//! Shared pieces: theme, title and step bars, input fields, verdict lines, footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;

use crate::credentials::format::{Level, Verdict};
use crate::credentials::secret::mask;
use crate::wizard::model::{Model, NoticeKind, Overlay, Step, Target, VerifyState};
use crate::wizard::text::texts;

/// Styles, with colour only when `NO_COLOR` is unset.
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::default().fg(color) } else { Style::default() }
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.color { Style::default().fg(Color::DarkGray) } else { Style::default().add_modifier(Modifier::DIM) }
    }
    pub fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn focus(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn field(&self) -> Style {
        Style::default().add_modifier(Modifier::UNDERLINED)
    }
    pub fn bar(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

pub fn title_bar(m: &Model, theme: &Theme, width: u16) -> Paragraph<'static> {
    let left = match (m.step, m.mode) {
        (Step::Start, _) => " trello-auth · saved Trello API credentials".to_string(),
        (_, crate::wizard::model::Mode::Rotate) => format!(" trello-auth · {}", texts().rotate.title_bar),
        _ => " trello-auth · set up Trello API credentials".to_string(),
    };
    // An overridden endpoint decides where the token goes: never out of sight.
    let hosts = m.setup.endpoints.overridden_hosts();
    let right = if hosts.is_empty() {
        format!("profile {} ", m.setup.profile)
    } else {
        format!("⚠ not Trello: {} · profile {} ", hosts.join(", "), m.setup.profile)
    };
    let gap = (width as usize).saturating_sub(left.chars().count() + right.chars().count()).max(1);
    Paragraph::new(Line::from(format!("{left}{}{right}", " ".repeat(gap)))).style(theme.bar())
}

pub fn step_bar(m: &Model, theme: &Theme) -> Paragraph<'static> {
    if m.step == Step::Start {
        return Paragraph::new(Line::styled(format!(" {}", m.setup.config_path.display()), theme.dim()));
    }
    let t = &texts().steps;
    let names = [&t.portal, &t.powerup, &t.key, &t.token, &t.verify];
    let mut spans = vec![Span::raw(" ")];
    for (index, (step, name)) in Step::FIVE.iter().zip(names).enumerate() {
        if index > 0 {
            spans.push(Span::styled(" ─ ", theme.dim()));
        }
        let done = m.step > *step || m.step == Step::Done;
        let (mark, style) = if m.step == *step {
            ("●", theme.focus())
        } else if done {
            ("✓", theme.ok())
        } else {
            ("○", theme.dim())
        };
        spans.push(Span::styled(format!("{mark} {} {name}", step.number()), style));
    }
    Paragraph::new(Line::from(spans))
}

/// Draws a one-line text field; secrets are masked unless revealed. Puts the
/// terminal cursor in it when focused.
pub fn input_field(
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
    let scroll = input.visual_scroll(width.saturating_sub(1));
    let paragraph = Paragraph::new(Line::from(Span::styled(format!("{value:<width$}"), theme.field())))
        .scroll((0, u16::try_from(scroll).unwrap_or(u16::MAX)));
    frame.render_widget(paragraph, area);
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

/// ✓ / … / ! / ✗ and the verdict's words, wrapped under the field.
pub fn verdict_rows(verdict: &Verdict, width: u16, theme: &Theme) -> Vec<Row> {
    let (mark, style) = match verdict.level {
        Level::Ok => ("✓", theme.ok()),
        Level::Pending => ("…", theme.dim()),
        Level::Warning => ("!", theme.warn()),
        Level::Error => ("✗", theme.error()),
    };
    indented_rows(LABEL_WIDTH, &format!("{mark} {}", verdict.message()), width, style)
}

pub fn notice_line(m: &Model, theme: &Theme) -> Paragraph<'static> {
    let Some(notice) = &m.notice else { return Paragraph::new("") };
    let style = match notice.kind {
        NoticeKind::Info => theme.accent(),
        NoticeKind::Success => theme.ok(),
        NoticeKind::Warning => theme.warn(),
    };
    Paragraph::new(Line::styled(format!(" {}", notice.text), style))
}

/// The keys that work right now.
pub fn hints(m: &Model) -> Vec<(&'static str, &'static str)> {
    match m.overlay {
        Overlay::Help => return vec![("any key", "close help")],
        Overlay::ConfirmQuit => return vec![("y", "quit"), ("n", "stay")],
        Overlay::None => {}
    }
    let in_text = m.focused_text().is_some();
    let quit = if in_text { ("^C", "quit") } else { ("q", "quit") };
    let help = if in_text { ("F1", "help") } else { ("?", "help") };
    let copy = if in_text { "^T" } else { "c" };
    let open = if in_text { "^O" } else { "o" };
    let mut keys = Vec::new();
    match m.step {
        Step::Start => {
            return vec![
                ("v", "verify"),
                ("r", "rotate"),
                ("s", "set up again"),
                ("↑/↓ Enter", "choose"),
                ("q", "quit"),
            ];
        }
        Step::Verify if matches!(m.verify, VerifyState::OtherMember(_)) => {
            return vec![("y", "save anyway"), ("n", "back to the token"), ("^C", "quit")];
        }
        Step::Done if m.revoke == crate::wizard::model::RevokeState::Offered => {
            return vec![("y", "revoke the old token"), ("n", "keep it"), ("Enter", "finish")];
        }
        Step::Portal => {
            keys.extend([("Enter", "next"), (open, "open portal"), (copy, "copy URL")]);
        }
        Step::PowerUp => {
            keys.extend([("Enter", "created, next"), ("Esc", "back"), ("Tab", "next row"), (copy, "copy row")]);
        }
        Step::ApiKey => {
            keys.extend([
                ("Enter", "next"),
                ("^T", "copy origin"),
                ("Esc", "back"),
                ("Tab", "next field"),
                ("^R", "reveal"),
            ]);
        }
        Step::Token => {
            keys.extend([("Enter", "verify"), (copy, "copy URL"), (open, "open URL")]);
            match m.focused() {
                Some(Target::Expiration) => keys.push(("←/→", "expiration")),
                Some(Target::Read | Target::Write | Target::Account) => keys.push(("Space", "toggle")),
                _ => keys.push(("Tab", "options")),
            }
            keys.extend([("Esc", "back"), ("^R", "reveal")]);
        }
        Step::Verify => match &m.verify {
            VerifyState::Failed(e) => {
                let action = match e.remedy() {
                    crate::trello::Remedy::FixKey => "fix the key",
                    crate::trello::Remedy::NewToken | crate::trello::Remedy::CheckId => "new token",
                    crate::trello::Remedy::Wait | crate::trello::Remedy::Retry => "retry",
                };
                keys.extend([("Enter", action), ("Esc", "back")]);
            }
            VerifyState::SaveFailed(..) => keys.extend([("Enter", "retry save"), ("Esc", "back")]),
            _ => keys.push(("Esc", "back")),
        },
        Step::Done => {
            keys.extend([("Enter", "finish"), (copy, "copy command"), (open, "open account page"), ("^R", "reveal")]);
        }
    }
    keys.push(help);
    keys.push(quit);
    keys
}

/// The hints that fit in `width`: help and quit always, then as many of the
/// rest as fit, in order of importance.
pub fn fitting_hints(m: &Model, width: usize) -> Vec<(&'static str, &'static str)> {
    let all = hints(m);
    let cost = |(key, action): &(&str, &str)| key.chars().count() + action.chars().count() + 3;
    let (main, tail) = all.split_at(all.len().saturating_sub(2));
    let mut budget = width.saturating_sub(1 + tail.iter().map(cost).sum::<usize>());
    let mut kept: Vec<_> = main
        .iter()
        .take_while(|hint| {
            let fits = cost(hint) <= budget;
            budget = budget.saturating_sub(cost(hint));
            fits
        })
        .copied()
        .collect();
    kept.extend_from_slice(tail);
    kept
}

pub fn footer(m: &Model, theme: &Theme, width: u16) -> Paragraph<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (index, (key, action)) in fitting_hints(m, width as usize).into_iter().enumerate() {
        if index > 0 {
            spans.push(Span::styled("  ", theme.dim()));
        }
        spans.push(Span::styled(key, theme.accent().add_modifier(Modifier::BOLD)));
        spans.push(Span::styled(format!(" {action}"), theme.dim()));
    }
    Paragraph::new(Line::from(spans))
}

/// One row of a step's body: text, or a labelled input field.
pub enum Row {
    Text(Line<'static>),
    Field { label: String, target: Target, masked: bool, placeholder: String },
}

/// Width of the label column in front of fields.
pub const LABEL_WIDTH: usize = 24;

/// Greedy word wrap; words longer than the width are broken.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        // A line that fits keeps its own spacing (aligned command lists).
        if paragraph.chars().count() <= width {
            out.push(paragraph.to_string());
            continue;
        }
        let indent: String = paragraph.chars().take_while(|c| *c == ' ').collect();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word = word.to_string();
            loop {
                let used = line.chars().count();
                let needed = word.chars().count() + usize::from(used > 0);
                if used + needed <= width {
                    if used > 0 {
                        line.push(' ');
                    } else {
                        line.push_str(&indent[..indent.len().min(width.saturating_sub(word.chars().count()))]);
                    }
                    line.push_str(&word);
                    break;
                }
                if used > 0 {
                    out.push(std::mem::take(&mut line));
                    continue;
                }
                // A word wider than the line: break it.
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                out.push(head);
                if word.is_empty() {
                    break;
                }
            }
        }
        out.push(line);
    }
    out
}

/// Text wrapped into the column right of `indent` characters, as rows.
pub fn indented_rows(indent: usize, text: &str, width: u16, style: Style) -> Vec<Row> {
    let pad = " ".repeat(indent);
    wrap(text, (width as usize).saturating_sub(indent))
        .into_iter()
        .map(|l| Row::Text(Line::from(vec![Span::raw(pad.clone()), Span::styled(l, style)])))
        .collect()
}

/// Wrapped text as rows, all in one style.
pub fn text_rows(text: &str, width: u16, style: Style) -> Vec<Row> {
    wrap(text, width as usize).into_iter().map(|l| Row::Text(Line::styled(l, style))).collect()
}

pub fn blank() -> Row {
    Row::Text(Line::raw(""))
}

/// Lays rows out top to bottom, scrolling so the focused field stays visible.
pub fn render_rows(frame: &mut Frame, area: Rect, m: &Model, rows: Vec<Row>, theme: &Theme) {
    let height = area.height as usize;
    let focused = m.focused();
    let focus_row = rows.iter().position(|r| matches!(r, Row::Field { target, .. } if Some(*target) == focused));
    let skip = match focus_row {
        Some(row) if row >= height => row + 1 - height,
        _ => 0,
    };
    for (offset, row) in rows.into_iter().skip(skip).take(height).enumerate() {
        let line_area = Rect { y: area.y + offset as u16, height: 1, ..area };
        match row {
            Row::Text(line) => frame.render_widget(Paragraph::new(line), line_area),
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
                if let Some(input) = m.input(target) {
                    input_field(frame, field_area, input, is_focused, masked && !m.reveal, &placeholder, theme);
                }
            }
        }
    }
}

/// `label   value`, the value wrapped under itself when it is too long (tokens
/// and paths must be readable whole).
pub fn fact_wrapped(label_text: &str, value: &str, width: u16, theme: &Theme) -> Vec<Row> {
    let column = (width as usize).saturating_sub(LABEL_WIDTH).max(1);
    let mut lines = wrap_hard(value, column).into_iter();
    let mut rows = vec![fact(label_text, vec![Span::raw(lines.next().unwrap_or_default())], theme)];
    rows.extend(lines.map(|l| Row::Text(Line::raw(format!("{}{l}", " ".repeat(LABEL_WIDTH))))));
    rows
}

/// Cuts `text` into pieces of `width` characters (no word boundaries: for tokens and paths).
fn wrap_hard(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars.chunks(width.max(1)).map(|c| c.iter().collect()).collect()
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
}
