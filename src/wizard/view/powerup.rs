//! Step 2: the Power-Up form as a table the user copies from.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::form::{LABEL_WIDTH, Row, blank, label, render_rows, text_rows};
use super::theme::Theme;
use crate::wizard::model::{EmailVerdict, Model, Target};
use crate::wizard::text::texts;

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let t = &texts().powerup;
    let focused = m.focused();
    let mut rows = text_rows(&t.body, area.width, Default::default());
    rows.push(blank());

    let fixed = |text: &str, target: Target, value: &str, style| {
        let spans =
            vec![label(text, focused == Some(target), LABEL_WIDTH, theme), Span::styled(value.to_string(), style)];
        Row::Text(Line::from(spans))
    };
    rows.push(Row::Field {
        label: t.name_label.clone(),
        target: Target::AppName,
        masked: false,
        placeholder: t.name_placeholder.clone(),
    });
    rows.push(fixed(&t.workspace_label, Target::Workspace, &t.workspace_value, theme.dim()));
    rows.push(Row::Field {
        label: t.email_label.clone(),
        target: Target::Email,
        masked: false,
        placeholder: t.email_placeholder.clone(),
    });
    let email = m.email.value().trim();
    let (support, support_style) = if email.is_empty() {
        (texts().labels.email_same.clone(), theme.dim())
    } else {
        (email.to_string(), Default::default())
    };
    rows.push(fixed(&t.support_label, Target::Support, &support, support_style));
    rows.push(Row::Field {
        label: t.author_label.clone(),
        target: Target::Author,
        masked: false,
        placeholder: t.author_placeholder.clone(),
    });
    rows.push(fixed(&t.iframe_label, Target::Iframe, &t.iframe_value, Default::default()));
    rows.push(blank());

    let help = match focused {
        Some(Target::AppName) => Some((t.name_help.clone(), theme.dim())),
        Some(Target::Iframe) => Some((t.iframe_help.clone(), theme.dim())),
        Some(Target::Email | Target::Support) => match m.email_verdict() {
            EmailVerdict::Invalid(why) => Some((format!("✗ {why}"), theme.error())),
            EmailVerdict::Valid => Some((format!("✓ {}", t.email_valid), theme.ok())),
            EmailVerdict::Empty => Some((texts().labels.email_empty.clone(), theme.dim())),
        },
        _ => None,
    };
    match help {
        Some((text, style)) => rows.extend(text_rows(&text, area.width, style)),
        None => rows.push(blank()),
    }
    rows.push(blank());
    rows.extend(text_rows(&t.next, area.width, theme.bold()));
    render_rows(frame, area, m, rows, theme);
}
