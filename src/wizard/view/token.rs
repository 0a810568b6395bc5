//! Step 4: choose expiration and scopes, open the authorize URL, paste the token.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::form::{LABEL_WIDTH, Row, indented_rows, label, render_rows, text_rows, verdict_rows, wrap};
use super::theme::Theme;
use crate::trello::Expiration;
use crate::wizard::keymap::{Action, key_name};
use crate::wizard::model::{CaptureState, Model, Target};
use crate::wizard::text::{fill, texts};

pub fn expiration_help(e: Expiration) -> &'static str {
    let t = &texts().token;
    match e {
        Expiration::OneHour => &t.expiration_one_hour,
        Expiration::OneDay => &t.expiration_one_day,
        Expiration::ThirtyDays => &t.expiration_thirty_days,
        Expiration::Never => &t.expiration_never,
    }
}

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let t = &texts().token;
    let focused = m.focused();
    let pad = " ".repeat(LABEL_WIDTH);
    let mut rows = text_rows(&t.body, area.width, Default::default());

    let mut spans = vec![label(&t.expiration_label, focused == Some(Target::Expiration), LABEL_WIDTH, theme)];
    for e in Expiration::ALL {
        let (mark, style) = if e == m.expiration { ("●", theme.focus()) } else { ("○", theme.dim()) };
        spans.push(Span::styled(format!("{mark} {}   ", e.as_str()), style));
    }
    rows.push(Row::Text(Line::from(spans)));
    rows.extend(indented_rows(LABEL_WIDTH, expiration_help(m.expiration), area.width, theme.dim()));

    let scope_rows = [
        (Target::Read, "read", m.scopes.read, &t.scope_read),
        (Target::Write, "write", m.scopes.write, &t.scope_write),
        (Target::Account, "account", m.scopes.account, &t.scope_account),
    ];
    for (index, (target, name, on, help)) in scope_rows.into_iter().enumerate() {
        let title = if index == 0 { t.scopes_label.as_str() } else { "" };
        let mark = if on { "[x]" } else { "[ ]" };
        let style = if on { theme.bold() } else { theme.dim() };
        let help_width = (area.width as usize).saturating_sub(LABEL_WIDTH + 12).max(1);
        let mut help_lines = wrap(help, help_width).into_iter();
        rows.push(Row::Text(Line::from(vec![
            label(title, focused == Some(target), LABEL_WIDTH, theme),
            Span::styled(format!("{mark} {name:<8}"), style),
            Span::styled(help_lines.next().unwrap_or_default(), theme.dim()),
        ])));
        for more in help_lines {
            rows.push(Row::Text(Line::styled(format!("{}{more}", " ".repeat(LABEL_WIDTH + 12)), theme.dim())));
        }
    }
    if m.scopes.is_empty() {
        rows.push(Row::Text(Line::styled(format!("{pad}✗ {}", t.scope_none), theme.error())));
    }
    rows.push(Row::Text(Line::styled(t.url_label.clone(), theme.bold())));
    for line in wrap(&m.authorize_url(), area.width as usize) {
        rows.push(Row::Text(Line::styled(line, theme.accent())));
    }
    let c = &texts().capture;
    let origin = m.capture_origin();
    let switch_key =
        key_name(m, Action::SwitchCapture).map(|k| fill(&texts().keys.press, &[("key", &k)])).unwrap_or_default();
    let (capture, style) = match (&m.setup.capture_off, &m.capture) {
        (Some(reason), _) => (fill(&c.failed, &[("reason", reason)]), theme.dim()),
        (None, _) if m.pasting => (fill(&c.pasting, &[("switch_key", &switch_key)]), theme.dim()),
        (None, CaptureState::Idle) => (c.starting.clone(), theme.dim()),
        (None, CaptureState::Waiting { .. }) => {
            (fill(&c.waiting, &[("origin", &origin), ("switch_key", &switch_key)]), theme.dim())
        }
        (None, CaptureState::Failed(reason)) => (fill(&c.failed, &[("reason", reason)]), theme.warn()),
        (None, CaptureState::Received) => (c.received.clone(), theme.ok()),
    };
    rows.extend(text_rows(&capture, area.width, style));
    rows.push(Row::Field {
        label: t.token_label.clone(),
        target: Target::Token,
        masked: true,
        placeholder: t.token_placeholder.clone(),
    });
    rows.extend(verdict_rows(&m.token_verdict(), area.width, theme));
    render_rows(frame, area, m, rows, theme);
}
