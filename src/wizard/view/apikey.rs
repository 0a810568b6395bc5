//! Step 3: paste the API key (and, optionally, the secret), checked live.

use ratatui::Frame;
use ratatui::layout::Rect;

use ratatui::text::Span;

use super::form::{LABEL_WIDTH, Row, blank, fact, indented_rows, render_rows, text_rows, verdict_rows};
use super::theme::Theme;
use crate::wizard::keymap::{Action, key_name};
use crate::wizard::model::{KeyStatus, Model, Target};
use crate::wizard::text::{fill, texts};

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let t = &texts().key;
    let mut rows = text_rows(&t.body, area.width, Default::default());
    rows.push(blank());
    rows.push(Row::Field {
        label: t.key_label.clone(),
        target: Target::Key,
        masked: false,
        placeholder: t.key_placeholder.clone(),
    });
    rows.extend(verdict_rows(&m.key_verdict(), area.width, theme));
    let status = match &m.key_status {
        KeyStatus::Checking(k) if k == m.key_value() => Some((t.check_running.clone(), theme.dim())),
        KeyStatus::Known(k) if k == m.key_value() => Some((format!("✓ {}", t.check_known), theme.ok())),
        KeyStatus::Rejected(k) if k == m.key_value() => Some((format!("✗ {}", t.check_rejected), theme.error())),
        KeyStatus::Unchecked(k, reason) if k == m.key_value() => {
            Some((format!("! {}", fill(&t.check_unchecked, &[("reason", reason)])), theme.warn()))
        }
        _ => None,
    };
    match status {
        Some((text, style)) => rows.extend(indented_rows(LABEL_WIDTH, &text, area.width, style)),
        None => rows.push(blank()),
    }
    rows.push(blank());
    rows.push(Row::Field {
        label: t.secret_label.clone(),
        target: Target::Secret,
        masked: true,
        placeholder: t.secret_placeholder.clone(),
    });
    if !m.secret_value().is_empty() {
        rows.extend(verdict_rows(&m.secret_verdict(), area.width, theme));
    } else {
        rows.push(blank());
    }
    rows.push(blank());
    rows.extend(text_rows(&t.secret_help, area.width, theme.dim()));
    rows.push(blank());
    let c = &texts().capture;
    match &m.setup.capture_off {
        None => {
            rows.push(fact(&c.origin_label, vec![Span::styled(m.capture_origin(), theme.accent())], theme));
            let copy_key = key_name(m, Action::Copy).unwrap_or_default();
            let help = fill(&c.origin_help, &[("copy_key", &copy_key)]);
            rows.extend(indented_rows(LABEL_WIDTH, &help, area.width, theme.dim()));
        }
        Some(reason) => rows.extend(text_rows(&fill(&c.off, &[("reason", reason)]), area.width, theme.dim())),
    }
    render_rows(frame, area, m, rows, theme);
}
