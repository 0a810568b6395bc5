//! Step 5: the verification in progress, its failure with the fix, or saving.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::widgets::{Row, Theme, blank, render_rows, text_rows};
use crate::trello::{Remedy, Verified};
use crate::wizard::model::{Model, VerifyState};
use crate::wizard::text::{fill, texts};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// "Ann Example (@ann)".
pub fn who(v: &Verified) -> String {
    v.member.who()
}

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let t = &texts().verify;
    let width = area.width;
    let mut rows = Vec::new();
    match &m.verify {
        VerifyState::Idle => {}
        VerifyState::Running { .. } => {
            let spin = SPINNER[m.frame % SPINNER.len()];
            rows.push(Row::Text(Line::from(vec![
                Span::styled(format!("{spin} "), theme.accent()),
                Span::raw(t.running.clone()),
            ])));
            if let (Some(seconds), VerifyState::Running { rate_wait: Some(wait) }) = (m.rate_wait_seconds(), &m.verify)
            {
                rows.push(blank());
                let text = fill(
                    &t.rate_limited,
                    &[("code", &wait.code), ("seconds", &seconds.to_string()), ("attempt", &wait.attempt.to_string())],
                );
                rows.extend(text_rows(&text, width, theme.warn()));
            }
        }
        VerifyState::Failed(e) => {
            rows.push(Row::Text(Line::styled(format!("✗ {}", t.failed), theme.error())));
            rows.push(blank());
            rows.extend(text_rows(&capitalize(&e.to_string()), width, theme.bold()));
            rows.push(blank());
            rows.extend(text_rows(&format!("Why: {}", e.cause()), width, Default::default()));
            rows.extend(text_rows(&format!("Fix: {}", e.fix()), width, Default::default()));
            rows.push(blank());
            let next = match e.remedy() {
                Remedy::FixKey => "Press Enter to go back to step 3 and fix the key.",
                Remedy::NewToken | Remedy::CheckId => "Press Enter to go back to step 4 and authorize a new token.",
                Remedy::Wait | Remedy::Retry => "Press Enter to try again.",
            };
            rows.extend(text_rows(next, width, theme.accent()));
            rows.extend(text_rows(&t.nothing_saved, width, theme.dim()));
        }
        VerifyState::Saving(v) => {
            rows.push(Row::Text(Line::styled(format!("✓ {}", fill(&t.success, &[("who", &who(v))])), theme.ok())));
            rows.push(blank());
            rows.push(Row::Text(Line::raw(t.saving.clone())));
        }
        VerifyState::SaveFailed(v, error) => {
            rows.push(Row::Text(Line::styled(format!("✓ {}", fill(&t.success, &[("who", &who(v))])), theme.ok())));
            rows.push(blank());
            rows.push(Row::Text(Line::styled(format!("✗ {}", t.save_failed), theme.error())));
            rows.extend(text_rows(error, width, theme.bold()));
            rows.push(blank());
            rows.extend(text_rows("Press Enter to try saving again; what you entered is kept.", width, theme.accent()));
        }
        VerifyState::OtherMember(v) => {
            let r = &texts().rotate;
            let old = m.saved.as_ref().and_then(|p| p.who()).unwrap_or_else(|| "another member".to_string());
            rows.push(Row::Text(Line::styled(format!("! {}", fill(&t.success, &[("who", &who(v))])), theme.warn())));
            rows.push(blank());
            rows.extend(text_rows(
                &fill(&r.other_member, &[("new", &who(v)), ("old", &old)]),
                width,
                Default::default(),
            ));
            rows.push(blank());
            rows.extend(text_rows(&r.other_member_question, width, theme.bold()));
            rows.extend(text_rows(&t.nothing_saved, width, theme.dim()));
        }
        VerifyState::Saved(..) => {}
    }
    render_rows(frame, area, m, rows, theme);
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
