//! Steps 1 to 4: the portal, the Power-Up form, the API key, and the token.

use super::{Item, Tone};
use crate::credentials::format::Level;
use crate::trello::Expiration;
use crate::wizard::keymap::{Action, key_name, press};
use crate::wizard::model::{CaptureState, EmailVerdict, KeyStatus, Model, Target, VerifyState};
use crate::wizard::text::{fill, texts};

/// Step 1: log in and open the app admin portal.
pub fn portal(m: &Model) -> Vec<Item> {
    let t = &texts().portal;
    let mut items = vec![Item::text(&t.body), Item::Blank];
    items.push(Item::Url { label: None, url: m.setup.endpoints.portal_url(), indent: 3 });
    items.push(Item::Blank);
    let old_url = m.setup.endpoints.old_portal_url();
    items.push(Item::toned(fill(&t.note, &[("old_url", &old_url)]), Tone::Dim));
    if let Some(reason) = &m.setup.no_browser_reason {
        items.push(Item::toned(fill(&t.no_browser, &[("reason", reason)]), Tone::Dim));
    }
    then_next(items, &t.next)
}

/// A step's items, a blank line, and what to do to go on.
fn then_next(mut items: Vec<Item>, next: &str) -> Vec<Item> {
    items.push(Item::Blank);
    items.push(Item::Next(next.to_string()));
    items
}

/// Step 2: the Power-Up form as a table the user copies from.
pub fn powerup(m: &Model) -> Vec<Item> {
    let t = &texts().powerup;
    let mut items = vec![Item::text(&t.body), Item::Blank];
    let row = |label: &str, target, value: &str, tone| Item::Row {
        label: label.to_string(),
        target,
        value: value.to_string(),
        tone,
    };
    items.push(Item::field(m, Target::AppName, false, &t.name_placeholder));
    items.push(row(&t.workspace_label, Target::Workspace, &t.workspace_value, Tone::Dim));
    items.push(Item::field(m, Target::Email, false, &t.email_placeholder));
    let email = m.email.value().trim();
    let (support, tone) =
        if email.is_empty() { (texts().labels.email_same.as_str(), Tone::Dim) } else { (email, Tone::Normal) };
    items.push(row(&t.support_label, Target::Support, support, tone));
    items.push(Item::field(m, Target::Author, false, &t.author_placeholder));
    items.push(row(&t.iframe_label, Target::Iframe, &t.iframe_value, Tone::Normal));
    items.push(Item::Blank);
    let help = match m.focused() {
        Some(Target::AppName) => Some(Item::toned(&t.name_help, Tone::Dim)),
        Some(Target::Iframe) => Some(Item::toned(&t.iframe_help, Tone::Dim)),
        Some(Target::Email | Target::Support) => Some(match m.email_verdict() {
            EmailVerdict::Invalid(why) => Item::Check { level: Level::Error, text: why.to_string(), indented: false },
            EmailVerdict::Valid => Item::Check { level: Level::Ok, text: t.email_valid.clone(), indented: false },
            EmailVerdict::Empty => Item::toned(&texts().labels.email_empty, Tone::Dim),
        }),
        _ => None,
    };
    items.push(help.unwrap_or(Item::Blank));
    then_next(items, &t.next)
}

/// Step 3: the API key (and, optionally, the secret), checked live; the origin to allow.
pub fn apikey(m: &Model) -> Vec<Item> {
    let t = &texts().key;
    let mut items = vec![Item::text(&t.body), Item::Blank];
    items.push(Item::field(m, Target::Key, false, &t.key_placeholder));
    items.push(Item::verdict(&m.key_verdict()));
    let status = match &m.key_status {
        KeyStatus::Checking(k) if k == m.key_value() => Some(Item::note(&t.check_running, Tone::Dim)),
        KeyStatus::Known(k) if k == m.key_value() => {
            Some(Item::Check { level: Level::Ok, text: t.check_known.clone(), indented: true })
        }
        KeyStatus::Rejected(k) if k == m.key_value() => {
            Some(Item::Check { level: Level::Error, text: t.check_rejected.clone(), indented: true })
        }
        KeyStatus::Unchecked(k, reason) if k == m.key_value() => Some(Item::Check {
            level: Level::Warning,
            text: fill(&t.check_unchecked, &[("reason", reason)]),
            indented: true,
        }),
        _ => None,
    };
    items.push(status.unwrap_or(Item::Blank));
    items.push(Item::Blank);
    items.push(Item::field(m, Target::Secret, true, &t.secret_placeholder));
    if m.secret_value().is_empty() {
        items.push(Item::Blank);
    } else {
        items.push(Item::verdict(&m.secret_verdict()));
    }
    items.push(Item::Blank);
    items.push(Item::toned(&t.secret_help, Tone::Dim));
    items.push(Item::Blank);
    let c = &texts().capture;
    match &m.setup.capture_off {
        None => {
            items.push(Item::fact_toned(&c.origin_label, m.capture_origin(), Tone::Accent));
            let copy_key = key_name(m, Action::Copy).unwrap_or_default();
            items.push(Item::note(fill(&c.origin_help, &[("copy_key", &copy_key)]), Tone::Dim));
        }
        Some(reason) => items.push(Item::toned(fill(&c.off, &[("reason", reason)]), Tone::Dim)),
    }
    items
}

/// What the chosen expiration means, in a few words (a renewal names how
/// trello-auth is run for this profile).
pub fn expiration_help(m: &Model) -> String {
    let t = &texts().token;
    let words = match m.expiration {
        Expiration::OneHour => &t.expiration_one_hour,
        Expiration::OneDay => &t.expiration_one_day,
        Expiration::ThirtyDays => &t.expiration_thirty_days,
        Expiration::Never => &t.expiration_never,
    };
    fill(words, &[("run", &m.setup.run)])
}

/// Step 4: expiration and scopes, the authorize URL, how the token comes back, the token.
pub fn token(m: &Model) -> Vec<Item> {
    let t = &texts().token;
    let mut items = vec![Item::text(if m.token_comes_back() { &t.body } else { &t.body_paste })];
    items.push(Item::Options {
        label: t.expiration_label.clone(),
        target: Target::Expiration,
        options: Expiration::ALL.iter().map(|e| (e.as_str().to_string(), *e == m.expiration)).collect(),
        help: expiration_help(m),
    });
    let scopes = [
        (Target::Read, "read", m.scopes.read, &t.scope_read),
        (Target::Write, "write", m.scopes.write, &t.scope_write),
        (Target::Account, "account", m.scopes.account, &t.scope_account),
    ];
    for (index, (target, name, on, help)) in scopes.into_iter().enumerate() {
        let label = if index == 0 { t.scopes_label.clone() } else { String::new() };
        items.push(Item::Toggle { label, target, name: name.to_string(), on, help: help.clone() });
    }
    if m.scopes.is_empty() {
        items.push(Item::Check { level: Level::Error, text: t.scope_none.clone(), indented: true });
    }
    items.push(Item::Url { label: Some(t.url_label.clone()), url: m.authorize_url(), indent: 0 });
    let c = &texts().capture;
    let origin = m.capture_origin();
    let switch_key = key_name(m, Action::SwitchCapture).map(|k| fill(press(m), &[("key", &k)])).unwrap_or_default();
    let (capture, tone) = match (&m.setup.capture_off, &m.capture) {
        (Some(reason), _) => (fill(&c.failed, &[("reason", reason)]), Tone::Dim),
        // Catching failed (port taken, a takeover): why, and no key to catch again.
        (None, CaptureState::Failed(reason)) => (fill(&c.failed, &[("reason", reason)]), Tone::Warn),
        (None, _) if m.pasting => (fill(&c.pasting, &[("switch_key", &switch_key)]), Tone::Dim),
        (None, CaptureState::Idle) => (c.starting.clone(), Tone::Dim),
        (None, CaptureState::Waiting { .. }) => {
            (fill(&c.waiting, &[("origin", &origin), ("switch_key", &switch_key)]), Tone::Dim)
        }
        (None, CaptureState::Received) => (c.received.clone(), Tone::Ok),
    };
    items.push(Item::toned(capture, tone));
    items.push(Item::field(m, Target::Token, true, &t.token_placeholder));
    // A token Trello just refused says so, not that its shape looks fine.
    items.push(match &m.verify {
        VerifyState::Failed(e) if m.rejected_token.as_deref() == Some(m.token_value()) => {
            Item::Check { level: Level::Error, text: fill(&t.rejected, &[("error", &e.to_string())]), indented: true }
        }
        _ => Item::verdict(&m.token_verdict()),
    });
    items
}
