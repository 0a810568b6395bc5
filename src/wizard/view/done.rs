//! The done screen: who, what, where it was saved, and what to run next.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::form::{blank, fact, fact_wrapped, render_rows, text_rows};
use super::theme::Theme;
use crate::credentials::secret::mask;
use crate::credentials::store::Storage;
use crate::wizard::keymap::{Action, yes_no};
use crate::wizard::model::{Mode, Model, RevokeState, VerifyState};
use crate::wizard::text::{env_invocation, fill, texts};

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let VerifyState::Saved(v, saved) = &m.verify else { return };
    let t = &texts();
    let width = area.width;
    let mut rows = text_rows(&format!("✓ {}", fill(&t.verify.success, &[("who", &v.member.who())])), width, theme.ok());
    if let Some(line) = revoke_words(m) {
        let style = match m.revoke {
            RevokeState::Offered => theme.bold(),
            RevokeState::Confirmed => theme.ok(),
            RevokeState::Failed(_) | RevokeState::Unconfirmed(_) => theme.warn(),
            _ => theme.dim(),
        };
        rows.extend(text_rows(&line, width, style));
    }
    rows.push(blank());
    let l = &t.labels;
    let granted = v.token.scopes();
    let names = |s: crate::trello::Scopes| s.names().join(", ");
    let scopes = fill(&l.requested, &[("granted", &names(granted)), ("requested", &names(m.scopes))]);
    let mut scope_spans = vec![Span::raw(scopes)];
    if !granted.covers(m.scopes) {
        scope_spans.push(Span::styled(l.fewer.clone(), theme.warn()));
    }
    rows.push(fact(&l.scopes, scope_spans, theme));
    rows.push(fact(&l.expires, vec![Span::raw(v.token.expiry().shown())], theme));
    let (key, token) = if m.reveal {
        (m.key_value().to_string(), m.token_value().to_string())
    } else {
        (mask(m.key_value()), mask(m.token_value()))
    };
    rows.extend(fact_wrapped(&l.api_key, &key, width, theme));
    rows.extend(fact_wrapped(&l.token, &token, width, theme));
    rows.extend(fact_wrapped(&l.saved_to, &saved.saved.path.display().to_string(), width, theme));
    let place = if m.storage == Storage::Keyring { &l.in_keyring } else { &l.in_file };
    rows.push(fact(&l.stored_in, vec![Span::raw(place.clone())], theme));
    if let Some((name, id)) = m.default_board() {
        let shown = format!("{} ({id})", crate::untrusted::line(&name));
        rows.push(fact(&t.boards.label, vec![Span::raw(shown)], theme));
    }
    if let Some(backup) = &saved.saved.backup {
        rows.push(fact(&l.previous_file, vec![Span::styled(backup.display().to_string(), theme.dim())], theme));
    }
    if !granted.covers(m.scopes) {
        rows.extend(text_rows(&t.verify.fewer_scopes, width, theme.warn()));
    }
    if m.mode == Mode::Setup {
        rows.push(blank());
        let next = fill(&t.done.next, &[("env", &env_invocation(&m.setup.profile))]);
        rows.extend(text_rows(&next, width, Default::default()));
    }
    rows.push(blank());
    let account = m.setup.endpoints.account_url(&v.member.username);
    rows.extend(text_rows(&fill(&t.done.revoke, &[("account_url", &account)]), width, theme.dim()));
    rows.extend(text_rows(&t.done.secrets, width, theme.warn()));
    render_rows(frame, area, m, rows, theme);
}

/// The rotation's last act, in words: offering, doing and checking the old
/// token's revocation. Both front ends show it.
pub(crate) fn revoke_words(m: &Model) -> Option<String> {
    let VerifyState::Saved(v, saved) = &m.verify else { return None };
    // Only a file profile's backup holds the old token; a keyring entry was replaced.
    let copy = match saved.replaced.as_ref().and_then(|r| r.copy_in.as_ref()) {
        Some(backup) => fill(&texts().rotate.copy_in, &[("backup", &backup.display().to_string())]),
        None => String::new(),
    };
    let username = crate::wizard::model::old_member(m).unwrap_or(&v.member.username);
    revoke_line(m, username, &copy)
}

fn revoke_line(m: &Model, username: &str, copy: &str) -> Option<String> {
    let r = &texts().rotate;
    let account = m.setup.endpoints.account_url(username);
    let old = m.old_token().map(|t| t.masked()).unwrap_or_default();
    Some(match &m.revoke {
        RevokeState::NotOffered => return None,
        RevokeState::Offered => {
            fill(&r.revoke_offer, &[("old", &old), ("yes_no", &yes_no(m, Action::RevokeOld, Action::KeepOld))])
        }
        RevokeState::Revoking => r.revoking.clone(),
        RevokeState::Confirming => r.confirming.clone(),
        RevokeState::Confirmed => r.confirmed.clone(),
        RevokeState::Unconfirmed(why) => fill(&r.unconfirmed, &[("why", why)]),
        RevokeState::Failed(e) => fill(&r.failed, &[("error", &e.to_string()), ("account", &account), ("copy", copy)]),
        RevokeState::Declined => fill(&r.declined, &[("account", &account), ("copy", copy)]),
    })
}
