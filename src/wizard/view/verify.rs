//! Step 5: the verification in progress, its failure with the fix, or saving.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::form::{Row, blank, render_rows, text_rows};
use super::theme::Theme;
use crate::wizard::keymap::{Action, key_name, remedy_step, yes_no};
use crate::wizard::model::{Model, Step, VerifyState};
use crate::wizard::text::{fill, texts};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

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
            rows.extend(text_rows(&fill(&t.why, &[("cause", e.cause())]), width, Default::default()));
            rows.extend(text_rows(&fill(&t.fix, &[("fix", e.fix())]), width, Default::default()));
            rows.push(blank());
            let next = match remedy_step(e.remedy()) {
                Some(Step::ApiKey) => &t.next_fix_key,
                Some(_) => &t.next_new_token,
                None => &t.next_retry,
            };
            let key = key_name(m, Action::Retry).unwrap_or_default();
            rows.extend(text_rows(&fill(next, &[("key", &key)]), width, theme.accent()));
            rows.extend(text_rows(&t.nothing_saved, width, theme.dim()));
        }
        VerifyState::Saving(v) => {
            rows.push(Row::Text(Line::styled(
                format!("✓ {}", fill(&t.success, &[("who", &v.member.who())])),
                theme.ok(),
            )));
            rows.push(blank());
            rows.push(Row::Text(Line::raw(t.saving.clone())));
        }
        VerifyState::SaveFailed(v, error) => {
            rows.push(Row::Text(Line::styled(
                format!("✓ {}", fill(&t.success, &[("who", &v.member.who())])),
                theme.ok(),
            )));
            rows.push(blank());
            rows.push(Row::Text(Line::styled(format!("✗ {}", t.save_failed), theme.error())));
            rows.extend(text_rows(error, width, theme.bold()));
            rows.push(blank());
            let key = key_name(m, Action::Retry).unwrap_or_default();
            rows.extend(text_rows(&fill(&t.retry_save, &[("key", &key)]), width, theme.accent()));
        }
        VerifyState::OtherMember(v) => {
            let r = &texts().rotate;
            let old = m.saved.as_ref().and_then(|p| p.who()).unwrap_or_else(|| texts().rotate.another_member.clone());
            rows.push(Row::Text(Line::styled(
                format!("! {}", fill(&t.success, &[("who", &v.member.who())])),
                theme.warn(),
            )));
            rows.push(blank());
            rows.extend(text_rows(
                &fill(&r.other_member, &[("new", &v.member.who()), ("old", &old)]),
                width,
                Default::default(),
            ));
            rows.push(blank());
            let answers = yes_no(m, Action::SaveOtherMember, Action::RefuseOtherMember);
            rows.extend(text_rows(&fill(&r.other_member_question, &[("yes_no", &answers)]), width, theme.bold()));
            rows.extend(text_rows(&t.nothing_saved, width, theme.dim()));
        }
        VerifyState::ChooseStorage(v) => {
            rows.push(Row::Text(Line::styled(
                format!("✓ {}", fill(&t.success, &[("who", &v.member.who())])),
                theme.ok(),
            )));
            rows.push(blank());
            let key = |action| key_name(m, action).unwrap_or_default();
            let (file_key, keyring_key) = (key(Action::SaveToFile), key(Action::SaveToKeyring));
            let text = fill(&t.choose_storage, &[("file_key", &file_key), ("keyring_key", &keyring_key)]);
            rows.extend(text_rows(&text, width, theme.bold()));
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
