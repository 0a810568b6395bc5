//! A screen's description drawn as rows of the body: each item gets the look of its kind and tone.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::form::{
    LABEL_WIDTH, Row, blank, fact_styled, fact_wrapped, indented_rows, label, labelled, render_rows, text_rows, wrap,
};
use super::theme::Theme;
use crate::credentials::format::Level;
use crate::wizard::model::{Model, Room};
use crate::wizard::screen::{Item, Tone};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The style of a tone.
pub fn style(theme: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Normal => Style::default(),
        Tone::Dim => theme.dim(),
        Tone::Bold => theme.bold(),
        Tone::Heading => theme.heading(),
        Tone::Accent => theme.accent(),
        Tone::Ok => theme.ok(),
        Tone::Warn => theme.warn(),
        Tone::Error => theme.error(),
    }
}

/// The mark and style of a check's level.
fn check(theme: &Theme, level: Level) -> (&'static str, Style) {
    match level {
        Level::Ok => ("✓", theme.ok()),
        Level::Pending => ("…", theme.dim()),
        Level::Warning => ("!", theme.warn()),
        Level::Error => ("✗", theme.error()),
    }
}

/// Draws `items` into `area`: scrolled as far as asked, and so the focused
/// field (or selected choice) stays visible. Says what is left out of view.
pub fn draw(m: &Model, items: &[Item], frame: &mut Frame, area: Rect, theme: &Theme) -> Room {
    render_rows(frame, area, m, rows(m, items, area.width, theme), theme)
}

/// The rows `items` take at `width`, top to bottom.
pub fn rows(m: &Model, items: &[Item], width: u16, theme: &Theme) -> Vec<Row> {
    let focused = crate::wizard::screen::focused(m);
    let mut rows = Vec::new();
    for item in items {
        match item {
            Item::Blank => rows.push(blank()),
            Item::Text { text, tone } => rows.extend(text_rows(text, width, style(theme, *tone))),
            Item::Note { text, tone } => rows.extend(indented_rows(LABEL_WIDTH, text, width, style(theme, *tone))),
            Item::Next(text) | Item::Question(text) => rows.extend(text_rows(text, width, theme.bold())),
            Item::Url { label, url, indent } => {
                if let Some(label) = label {
                    rows.push(Row::Text(Line::styled(label.clone(), theme.bold())));
                }
                let pad = " ".repeat(*indent);
                for line in wrap(url, (width as usize).saturating_sub(*indent)) {
                    rows.push(Row::Text(Line::styled(format!("{pad}{line}"), theme.accent())));
                }
            }
            Item::Fact { label, value, wrap: true } => {
                let text: String = value.iter().map(|(t, _)| t.as_str()).collect();
                let tone = value.first().map_or(Tone::Normal, |(_, tone)| *tone);
                rows.extend(fact_wrapped(label, &text, width, style(theme, tone), theme));
            }
            Item::Fact { label, value, wrap: false } => {
                let parts = value.iter().map(|(t, tone)| (t.clone(), style(theme, *tone))).collect();
                rows.extend(fact_styled(label, parts, width, theme));
            }
            Item::Row { label: text, target, value, tone } => rows.extend(labelled(
                label(text, focused == Some(*target), LABEL_WIDTH, theme),
                vec![(value.clone(), style(theme, *tone))],
                width,
            )),
            Item::Field { label, target, masked, placeholder } => rows.push(Row::Field {
                label: label.clone(),
                target: *target,
                masked: *masked,
                placeholder: placeholder.clone(),
            }),
            Item::Check { level, text, indented } => {
                let (mark, style) = check(theme, *level);
                let text = format!("{mark} {text}");
                if *indented {
                    rows.extend(indented_rows(LABEL_WIDTH, &text, width, style));
                } else {
                    rows.extend(text_rows(&text, width, style));
                }
            }
            Item::Commands(commands) => {
                // A column of "what" beside the commands where the widest fits with room to read;
                // else each "what" under its command (a long `--profile` or `--config` run).
                let column = commands.iter().map(|(c, _)| c.width()).max().unwrap_or(0) + 5;
                let beside = commands.iter().all(|(_, what)| column + what.width().min(24) <= width as usize);
                for (command, what) in commands {
                    if beside {
                        let pad = " ".repeat(column - 2 - command.width());
                        let mut lines = wrap(what, (width as usize).saturating_sub(column)).into_iter();
                        rows.push(Row::Text(Line::from(vec![
                            Span::styled(format!("  {command}{pad}"), theme.accent()),
                            Span::styled(lines.next().unwrap_or_default(), theme.dim()),
                        ])));
                        rows.extend(lines.map(|l| Row::Text(Line::styled(format!("{:column$}{l}", ""), theme.dim()))));
                    } else {
                        for line in wrap(command, (width as usize).saturating_sub(2)) {
                            rows.push(Row::Text(Line::styled(format!("  {line}"), theme.accent())));
                        }
                        rows.extend(indented_rows(6, what, width, theme.dim()));
                    }
                }
            }
            Item::Progress(text) => rows.push(Row::Text(Line::from(vec![
                Span::styled(format!("{} ", SPINNER[m.ui.frame % SPINNER.len()]), theme.accent()),
                Span::raw(text.clone()),
            ]))),
            Item::Options { label: text, target, options, help } => {
                // Each option one unbreakable unit (no-break spaces), so a narrow row wraps between options.
                let parts = options
                    .iter()
                    .map(|(name, on)| {
                        let (mark, style) = if *on { ("●", theme.focus()) } else { ("○", theme.dim()) };
                        (format!("{mark}\u{a0}{}  ", name.replace(' ', "\u{a0}")), style)
                    })
                    .collect();
                rows.extend(labelled(label(text, focused == Some(*target), LABEL_WIDTH, theme), parts, width));
                rows.extend(indented_rows(LABEL_WIDTH, help, width, theme.dim()));
            }
            Item::Toggle { label: text, target, name, on, help } => {
                let mark = if *on { "[x]" } else { "[ ]" };
                let style = if *on { theme.bold() } else { theme.dim() };
                let help_width = (width as usize).saturating_sub(LABEL_WIDTH + 12).max(1);
                let mut help_lines = wrap(help, help_width).into_iter();
                rows.push(Row::Text(Line::from(vec![
                    label(text, focused == Some(*target), LABEL_WIDTH, theme),
                    Span::styled(format!("{mark} {name:<8}"), style),
                    Span::styled(help_lines.next().unwrap_or_default(), theme.dim()),
                ])));
                for more in help_lines {
                    rows.push(Row::Text(Line::styled(format!("{}{more}", " ".repeat(LABEL_WIDTH + 12)), theme.dim())));
                }
            }
            Item::Choice { key, words, selected, .. } => {
                let marker = if *selected { "›" } else { " " };
                let style = if *selected { theme.focus() } else { Style::default() };
                let line = Line::from(vec![
                    Span::styled(format!("{marker} "), style),
                    Span::styled(key.clone(), theme.accent()),
                    Span::styled(format!("  {words}"), style),
                ]);
                rows.push(if *selected { Row::Selected(line) } else { Row::Text(line) });
            }
        }
    }
    rows
}
