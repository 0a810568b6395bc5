//! The start screen: who the saved profile is, its token's scopes and expiry, and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::widgets::{Row, Theme, blank, fact, render_rows, text_rows};
use crate::credentials::expiry::{expired_words, expires_soon, expiry_words};
use crate::credentials::secret::mask;
use crate::wizard::model::{Model, START_CHOICES, StartCheck};
use crate::wizard::text::{fill, texts};

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(profile) = &m.saved else { return };
    let t = &texts().start;
    let width = area.width;
    let now = m.setup.started_at;
    let mut rows = Vec::new();
    let who = match profile.who() {
        Some(who) => fill(&t.who, &[("who", &who)]),
        None => t.unknown_who.clone(),
    };
    rows.push(Row::Text(Line::styled(who, theme.heading())));
    rows.push(blank());
    rows.push(fact("Profile", vec![Span::raw(m.setup.profile.clone())], theme));
    rows.push(fact("API key", vec![Span::raw(mask(&profile.api_key))], theme));
    let token = profile.token.as_ref().map(|t| t.masked()).unwrap_or_else(|| "none".into());
    rows.push(fact("Token", vec![Span::raw(token)], theme));
    rows.push(fact("App name", vec![Span::raw(profile.app_name.clone())], theme));
    rows.push(fact("Scopes", vec![Span::raw(profile.scope.names().join(", "))], theme));
    let expiry = expiry_words(profile.token_expires.as_deref(), now);
    let expiry_style = if expires_soon(profile, now) { theme.warn() } else { Default::default() };
    rows.push(fact("Expires", vec![Span::styled(expiry, expiry_style)], theme));
    if let Some(at) = &profile.verified_at {
        let shown = crate::credentials::expiry::format_expiry(Some(at));
        rows.push(fact("Last verified", vec![Span::styled(shown, theme.dim())], theme));
    }
    rows.push(blank());
    if profile.token.is_none() {
        rows.extend(text_rows(&t.no_token, width, theme.warn()));
    } else if let Some(expired) = expired_words(profile, now) {
        rows.extend(text_rows(&fill(&t.expired, &[("expired", &expired)]), width, theme.error()));
    } else if expires_soon(profile, now) {
        rows.extend(text_rows(&t.expires_soon, width, theme.warn()));
    }
    match &m.start_check {
        StartCheck::Idle => {}
        StartCheck::Checking => rows.extend(text_rows(&t.check_running, width, theme.dim())),
        StartCheck::Valid(v) => {
            rows.extend(text_rows(&t.check_valid, width, theme.ok()));
            let granted = v.token.scopes().names().join(", ");
            let expires = crate::credentials::expiry::format_expiry(v.token.date_expires.as_deref());
            let line = format!("  as {}; scopes {granted}; expires {expires}", v.member.who());
            rows.extend(text_rows(&line, width, theme.dim()));
        }
        StartCheck::Failed(e) => {
            rows.extend(text_rows(&format!("✗ {e}"), width, theme.error()));
            rows.extend(text_rows(&format!("  fix: {}", e.fix()), width, Default::default()));
        }
    }
    rows.push(blank());
    for (index, (key, words)) in START_CHOICES.iter().enumerate() {
        let selected = index == m.choice;
        let marker = if selected { "›" } else { " " };
        let style = if selected { theme.focus() } else { Default::default() };
        rows.push(Row::Text(Line::from(vec![
            Span::styled(format!("{marker} "), style),
            Span::styled(format!("{key}"), theme.accent()),
            Span::styled(format!("  {words}"), style),
        ])));
    }
    render_rows(frame, area, m, rows, theme);
}
