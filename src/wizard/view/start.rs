//! The start screen: who the saved profile is, its token's scopes and expiry, and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::form::{Row, blank, fact, render_rows, text_rows};
use super::theme::Theme;
use crate::credentials::expiry::expiry_words;
use crate::credentials::secret::mask;
use crate::wizard::keymap::{Action, bindings, key_name};
use crate::wizard::model::{Model, START_CHOICES, StartCheck, StartChoice};
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
    rows.extend(text_rows(&who, width, theme.heading()));
    rows.push(blank());
    let l = &texts().labels;
    rows.push(fact(&l.profile, vec![Span::raw(m.setup.profile.clone())], theme));
    rows.push(fact(&l.api_key, vec![Span::raw(mask(&profile.api_key))], theme));
    let token = profile.token.as_ref().map(|t| t.masked()).unwrap_or_else(|| l.none.clone());
    rows.push(fact(&l.token, vec![Span::raw(token)], theme));
    rows.push(fact(&l.app_name, vec![Span::raw(crate::untrusted::line(&profile.app_name).into_owned())], theme));
    rows.push(fact(&l.scopes, vec![Span::raw(profile.scopes().names().join(", "))], theme));
    let expiry = expiry_words(profile.token_expires.as_ref(), now);
    let expiry_style = if profile.expires_soon(now) { theme.warn() } else { Default::default() };
    rows.push(fact(&l.expires, vec![Span::styled(expiry, expiry_style)], theme));
    if let Some((name, id)) = m.default_board() {
        let shown = format!("{} ({id})", crate::untrusted::line(&name));
        rows.push(fact(&texts().boards.label, vec![Span::raw(shown)], theme));
    }
    if let Some(at) = &profile.verified_at {
        let shown = crate::credentials::expiry::format_rfc3339(at);
        rows.push(fact(&l.last_verified, vec![Span::styled(shown, theme.dim())], theme));
    }
    rows.push(blank());
    let key = |action| key_name(m, action).unwrap_or_default();
    let keys = [("rotate_key", key(Action::StartRotate)), ("setup_key", key(Action::StartSetup))];
    let keys: Vec<(&str, &str)> = keys.iter().map(|(name, k)| (*name, k.as_str())).collect();
    if profile.token.is_none() {
        rows.extend(text_rows(&fill(&t.no_token, &keys), width, theme.warn()));
    } else if let Some(expired) = profile.expired_words(now) {
        let mut values = keys.clone();
        values.push(("expired", &expired));
        rows.extend(text_rows(&fill(&t.expired, &values), width, theme.error()));
    } else if profile.expires_soon(now) {
        rows.extend(text_rows(&fill(&t.expires_soon, &keys), width, theme.warn()));
    }
    match &m.start_check {
        StartCheck::Idle => {}
        StartCheck::Checking => rows.extend(text_rows(&t.check_running, width, theme.dim())),
        StartCheck::Valid(v) => {
            rows.extend(text_rows(&t.check_valid, width, theme.ok()));
            let granted = v.token.scopes().names().join(", ");
            let expires = v.token.expiry().shown();
            let line =
                fill(&l.start_check_valid, &[("who", &v.member.who()), ("scopes", &granted), ("expires", &expires)]);
            rows.extend(text_rows(&line, width, theme.dim()));
        }
        StartCheck::Failed(e) => {
            rows.extend(text_rows(&format!("✗ {e}"), width, theme.error()));
            rows.extend(text_rows(&fill(&l.start_check_fix, &[("fix", e.fix())]), width, Default::default()));
        }
    }
    rows.push(blank());
    for (index, choice) in START_CHOICES.iter().enumerate() {
        let (action, words) = match choice {
            StartChoice::Verify => (Action::StartVerify, &t.choice_verify),
            StartChoice::Rotate => (Action::StartRotate, &t.choice_rotate),
            StartChoice::Setup => (Action::StartSetup, &t.choice_setup),
            StartChoice::Leave => (Action::StartLeave, &t.choice_quit),
        };
        let key = bindings(m).into_iter().find(|b| b.action == action).map(|b| b.key_label()).unwrap_or_default();
        let selected = index == m.choice;
        let marker = if selected { "›" } else { " " };
        let style = if selected { theme.focus() } else { Default::default() };
        rows.push(Row::Text(Line::from(vec![
            Span::styled(format!("{marker} "), style),
            Span::styled(key, theme.accent()),
            Span::styled(format!("  {words}"), style),
        ])));
    }
    render_rows(frame, area, m, rows, theme);
}
