//! The frame around every step: title bar, step bar, notice line and key hints.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::form::wrap;
use super::theme::Theme;
use crate::wizard::keymap::hints;
use crate::wizard::model::{Model, NoticeKind, Step};
use crate::wizard::text::{fill, texts};

pub(crate) fn title_bar(m: &Model, theme: &Theme, width: u16) -> Paragraph<'static> {
    let t = &texts().title;
    let left = format!(" trello-auth · {}", crate::wizard::screen::purpose(m));
    let profile = fill(&t.profile, &[("profile", &crate::untrusted::line(&m.setup.profile))]);
    // An overridden endpoint decides where the token goes: never out of sight.
    let hosts = m.setup.endpoints.overridden_hosts();
    let hosts = hosts.join(", ");
    let warning = (!hosts.is_empty()).then(|| fill(&t.not_trello, &[("hosts", &hosts)]));
    let width = width as usize;
    let right = |warning: Option<&str>| match warning {
        Some(w) => format!("{w} · {profile} "),
        None => format!("{profile} "),
    };
    // Too narrow for it all: the mode goes first, then the warning's words
    // (the sign and the host stay: a port is what tells one stand-in from
    // another), and only then is the host cut with `…`; the profile always stays whole.
    // At least three columns between the two halves, so they never read as one phrase.
    let left =
        if left.width() + right(warning.as_deref()).width() + 3 <= width { left } else { " trello-auth".to_string() };
    let mut warning = warning;
    if warning.as_ref().is_some_and(|w| left.width() + right(Some(w)).width() >= width) {
        warning = Some(fill(&t.not_trello_short, &[("hosts", &hosts)]));
    }
    while let Some(w) = &warning {
        if left.width() + right(Some(w)).width() < width || w.chars().count() <= 16 {
            break;
        }
        let keep: String = w.chars().take(w.chars().count().saturating_sub(2)).collect();
        warning = Some(format!("{}…", keep.trim_end_matches('…')));
    }
    let right = right(warning.as_deref());
    let gap = width.saturating_sub(left.width() + right.width()).max(1);
    Paragraph::new(Line::from(format!("{left}{}{right}", " ".repeat(gap)))).style(theme.bar())
}

pub(crate) fn step_bar(m: &Model, theme: &Theme, width: u16) -> Paragraph<'static> {
    if m.step == Step::Start {
        return Paragraph::new(Line::styled(format!(" {}", m.setup.config_path.display()), theme.dim()));
    }
    let full = step_spans(m, theme, false);
    // Too narrow for every name: only the current step keeps its name.
    let fits = full.iter().map(|s| s.content.width()).sum::<usize>() <= width as usize;
    Paragraph::new(Line::from(if fits { full } else { step_spans(m, theme, true) }))
}

/// The five steps, marked done, current or to come; `compact` names only the current one.
fn step_spans(m: &Model, theme: &Theme, compact: bool) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    for (index, step) in Step::FIVE.iter().enumerate() {
        let name = crate::wizard::screen::page(*step).short_name();
        if index > 0 {
            spans.push(Span::styled(if compact { " " } else { " ─ " }, theme.dim()));
        }
        let done = m.step > *step || m.step == Step::Done;
        let (mark, style) = if m.step == *step {
            ("●", theme.focus())
        } else if done {
            ("✓", theme.ok())
        } else {
            ("○", theme.dim())
        };
        let text = if compact && m.step != *step {
            format!("{mark}{}", step.number())
        } else {
            format!("{mark} {} {name}", step.number())
        };
        spans.push(Span::styled(text, style));
    }
    spans
}

/// Most lines a notice may take; a longer one ends with `…`.
const NOTICE_LINES: usize = 3;

/// The notice wrapped to `width`, at most [`NOTICE_LINES`] lines, the last
/// ending with `…` when words were left out.
fn notice_text(m: &Model, width: u16) -> Vec<String> {
    let Some(notice) = &m.ui.notice else { return Vec::new() };
    let mut lines = wrap(&notice.text, (width as usize).saturating_sub(2).max(1));
    if lines.len() > NOTICE_LINES {
        lines.truncate(NOTICE_LINES);
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(last.chars().count().saturating_sub(1)).collect();
            *last = format!("{keep}…");
        }
    }
    lines.into_iter().map(|l| format!(" {l}")).collect()
}

/// How many lines the notice takes (at least one, so the layout stays still).
pub(crate) fn notice_lines(m: &Model, width: u16) -> u16 {
    notice_text(m, width).len().max(1) as u16
}

pub(crate) fn notice_line(m: &Model, theme: &Theme, width: u16) -> Paragraph<'static> {
    let Some(notice) = &m.ui.notice else { return Paragraph::new("") };
    let style = match notice.kind {
        NoticeKind::Info => theme.accent(),
        NoticeKind::Success => theme.ok(),
        NoticeKind::Warning => theme.warn(),
    };
    let lines: Vec<Line> = notice_text(m, width).into_iter().map(|l| Line::styled(l, style)).collect();
    Paragraph::new(lines)
}

/// The hints that fit in `width`: help and quit always, then as many of the
/// rest as fit, in order of importance.
pub(crate) fn fitting_hints(m: &Model, width: usize) -> Vec<(String, &'static str)> {
    let all = hints(m);
    let cost = |(key, action): &(String, &str)| key.width() + action.width() + 3;
    let (main, tail) = all.split_at(all.len().saturating_sub(2));
    let mut budget = width.saturating_sub(1 + tail.iter().map(cost).sum::<usize>());
    let mut kept: Vec<_> = main
        .iter()
        .take_while(|hint| {
            let fits = cost(hint) <= budget;
            budget = budget.saturating_sub(cost(hint));
            fits
        })
        .cloned()
        .collect();
    kept.extend_from_slice(tail);
    kept
}

pub(crate) fn footer(m: &Model, theme: &Theme, width: u16) -> Paragraph<'static> {
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
