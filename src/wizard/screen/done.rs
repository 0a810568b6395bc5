//! The done screen: who, what, where it was saved, the old token's fate after a rotation, and what to run next.

use super::{Item, Tone};
use crate::credentials::format::Level;
use crate::credentials::secret::mask;
use crate::wizard::keymap::{Action, yes_no};
use crate::wizard::model::{Mode, Model, RevokeState, VerifyState, old_member};
use crate::wizard::text::{fill, texts};

pub fn items(m: &Model) -> Vec<Item> {
    let VerifyState::Saved(v, saved) = &m.verify else { return Vec::new() };
    let t = texts();
    let mut items = vec![Item::Check {
        level: Level::Ok,
        text: fill(&t.verify.success, &[("who", &v.member.who())]),
        indented: false,
    }];
    if let Some(line) = revoke_words(m) {
        items.push(match m.revoke {
            RevokeState::Offered => Item::Question(line),
            RevokeState::Confirmed => Item::toned(line, Tone::Ok),
            RevokeState::Failed(_) | RevokeState::Unconfirmed(_) => Item::toned(line, Tone::Warn),
            _ => Item::toned(line, Tone::Dim),
        });
    } else if m.mode == Mode::Rotate && saved.replaced.is_none() {
        items.push(Item::toned(&t.rotate.summary_same, Tone::Dim));
    }
    items.push(Item::Blank);
    let l = &t.labels;
    let granted = v.token.scopes();
    let names = |s: crate::trello::Scopes| s.names().join(", ");
    let mut scopes =
        vec![(fill(&l.requested, &[("granted", &names(granted)), ("requested", &names(m.scopes))]), Tone::Normal)];
    if !granted.covers(m.scopes) {
        scopes.push((l.fewer.clone(), Tone::Warn));
    }
    items.push(Item::Fact { label: l.scopes.clone(), value: scopes, wrap: false });
    items.push(Item::fact(&l.expires, v.token.expiry().shown()));
    let (key, token) = if m.reveal {
        (m.key_value().to_string(), m.token_value().to_string())
    } else {
        (mask(m.key_value()), mask(m.token_value()))
    };
    items.push(Item::fact_whole(&l.api_key, key));
    items.push(Item::fact_whole(&l.token, token));
    items.push(Item::fact_whole(&l.saved_to, saved.saved.path.display().to_string()));
    // Words (the keyring's user name among them): wrapped between words, not cut mid-word.
    items.push(Item::fact(&l.stored_in, saved.place.short()));
    if let Some((name, id)) = m.default_board() {
        items.push(Item::fact(&t.boards.label, format!("{} ({id})", crate::untrusted::line(&name))));
    } else if let Some(dropped) = saved.board_dropped.as_ref().filter(|_| m.board_saved.is_none()) {
        let key = crate::wizard::keymap::key_name(m, Action::ChooseBoard).unwrap_or_default();
        let text = fill(&t.boards.dropped, &[("name", &crate::untrusted::line(&dropped.name)), ("key", &key)]);
        items.push(Item::fact(&t.boards.label, text));
    }
    if let Some(backup) = &saved.saved.backup {
        // Whole, never cut: `config.toml.bak` cut to `config.toml` would read as the saved file.
        items.push(Item::Fact {
            label: l.previous_file.clone(),
            value: vec![(backup.display().to_string(), Tone::Dim)],
            wrap: true,
        });
    }
    if !granted.covers(m.scopes) {
        items.push(Item::toned(&t.verify.fewer_scopes, Tone::Warn));
    }
    if m.mode == Mode::Setup {
        items.push(Item::Blank);
        items.push(Item::text(fill(&t.done.next, &[("run", &m.setup.run)])));
    }
    items.push(Item::Blank);
    let account = m.setup.endpoints.account_url(&v.member.username);
    items.push(Item::toned(fill(&t.done.revoke, &[("account_url", &account)]), Tone::Dim));
    items.push(Item::toned(&t.done.secrets, Tone::Warn));
    items
}

/// The rotation's last act, in words: offering, doing and checking the old
/// token's revocation, from the old member's account page.
pub fn revoke_words(m: &Model) -> Option<String> {
    let VerifyState::Saved(v, saved) = &m.verify else { return None };
    let r = &texts().rotate;
    // Only a file profile's backup holds the old token; a keyring entry was replaced.
    let copy = match saved.replaced.as_ref().and_then(|r| r.copy_in.as_ref()) {
        Some(backup) => fill(&r.copy_in, &[("backup", &backup.display().to_string())]),
        None => String::new(),
    };
    let account = m.setup.endpoints.account_url(old_member(m).unwrap_or(&v.member.username));
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
        RevokeState::Failed(e) => fill(&r.failed, &[("error", &e.to_string()), ("account", &account), ("copy", &copy)]),
        RevokeState::Declined => fill(&r.declined, &[("account", &account), ("copy", &copy)]),
    })
}
