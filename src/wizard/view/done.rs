//! The done screen: who, what, where it was saved, and what to run next.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::verify::who;
use super::widgets::{Row, Theme, blank, fact, render_rows, text_rows};
use crate::credentials::secret::mask;
use crate::wizard::model::{Model, VerifyState};
use crate::wizard::text::{fill, texts};

/// `2026-12-28 12:00 UTC`, or the text as given when it is not RFC 3339.
pub fn format_expiry(date: Option<&str>) -> String {
    match date {
        None => "never".to_string(),
        Some(text) => match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(at) => {
                let at = at.to_offset(time::UtcOffset::UTC);
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                    at.year(),
                    u8::from(at.month()),
                    at.day(),
                    at.hour(),
                    at.minute()
                )
            }
            Err(_) => text.to_string(),
        },
    }
}

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let VerifyState::Saved(v, saved) = &m.verify else { return };
    let t = &texts();
    let width = area.width;
    let mut rows =
        vec![Row::Text(Line::styled(format!("✓ {}", fill(&t.verify.success, &[("who", &who(v))])), theme.ok()))];
    rows.push(blank());
    let granted = v.token.scopes();
    let names = |s: crate::trello::Scopes| s.names().join(", ");
    let mut scope_spans = vec![Span::raw(format!("{} (requested {})", names(granted), names(m.scopes)))];
    if !granted.covers(m.scopes) {
        scope_spans.push(Span::styled("  ! fewer than requested", theme.warn()));
    }
    rows.push(fact("Scopes", scope_spans, theme));
    rows.push(fact("Expires", vec![Span::raw(format_expiry(v.token.date_expires.as_deref()))], theme));
    let (key, token) = if m.reveal {
        (m.key_value().to_string(), m.token_value().to_string())
    } else {
        (mask(m.key_value()), mask(m.token_value()))
    };
    rows.push(fact("API key", vec![Span::raw(key)], theme));
    rows.push(fact("Token", vec![Span::raw(token)], theme));
    rows.push(fact("Saved to", vec![Span::raw(saved.path.display().to_string())], theme));
    if let Some(backup) = &saved.backup {
        rows.push(fact("Previous file", vec![Span::styled(backup.display().to_string(), theme.dim())], theme));
    }
    if !granted.covers(m.scopes) {
        rows.extend(text_rows(&t.verify.fewer_scopes, width, theme.warn()));
    }
    rows.push(blank());
    let next = t.done.next.replace("trello-auth env", &env_words(&m.setup.profile));
    rows.extend(text_rows(&next, width, Default::default()));
    rows.push(blank());
    let account = m.setup.endpoints.account_url(&v.member.username);
    rows.extend(text_rows(&fill(&t.done.revoke, &[("account_url", &account)]), width, theme.dim()));
    rows.extend(text_rows(&t.done.secrets, width, theme.warn()));
    render_rows(frame, area, m, rows, theme);
}

fn env_words(profile: &str) -> String {
    if profile == crate::credentials::store::DEFAULT_PROFILE {
        "trello-auth env".to_string()
    } else {
        format!("trello-auth --profile {profile} env")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_formats() {
        assert_eq!(format_expiry(None), "never");
        assert_eq!(format_expiry(Some("2026-12-28T12:00:00.000Z")), "2026-12-28 12:00 UTC");
        assert_eq!(format_expiry(Some("soon")), "soon");
    }
}
