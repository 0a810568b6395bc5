//! The done screen: who, what, where it was saved, the old token's fate after a rotation, and what to run next.

use super::{Go, Item, Page, Question, Tone, board_key, copy_key, help_key, key_name, open_key};
use crate::credentials::format::Level;
use crate::credentials::secret::mask;
use crate::wizard::keys::{Action, Binding, ENTER, ESC, StepKeys, ch};
use crate::wizard::model::{Exit, Mode, Model, RevokeState, VerifyState, old_member};
use crate::wizard::msg::Effect;
use crate::wizard::text::{env_command, fill, texts};

pub struct Done;

/// Trello granted less than was asked for.
fn fewer_scopes(m: &Model) -> bool {
    matches!(&m.verify, VerifyState::Saved(v, _) if !v.token.scopes().covers(m.form.scopes))
}

impl Page for Done {
    fn name(&self, _m: &Model) -> String {
        texts().done.title.clone()
    }

    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding> {
        let k = &texts().keys;
        let offering_revoke = m.rotation.revoke == RevokeState::Offered;
        let mut list = Vec::new();
        if offering_revoke {
            list.push(Binding::new(&[ch('y')], Action::RevokeOld, &k.revoke_old));
            list.push(Binding::new(&[ch('n')], Action::KeepOld, &k.keep_old));
        }
        list.push(Binding::new(&[ENTER, ESC], Action::Next, &k.finish));
        let mut rest = Vec::new();
        if fewer_scopes(m) {
            rest.push(Binding::new(&[ch('a')], Action::Reauthorize, &k.reauthorize));
        }
        rest.extend(copy_key(m, self, keys, &k.copy_command));
        rest.extend(board_key(m));
        rest.extend(open_key(m, self, keys, &k.open_account));
        rest.push(Binding::new(keys.reveal, Action::Reveal, &k.reveal));
        rest.push(help_key(keys));
        rest.push(Binding::new(keys.quit, Action::Quit, &k.quit));
        // While the revoke question is open only its own keys are hinted.
        list.extend(rest.into_iter().map(|b| if offering_revoke { b.quiet() } else { b }));
        list
    }

    fn items(&self, m: &Model, bindings: &[Binding]) -> Vec<Item> {
        let VerifyState::Saved(v, saved) = &m.verify else { return Vec::new() };
        let t = texts();
        let mut items = vec![Item::check(Level::Ok, fill(&t.verify.success, &[("who", &v.member.who())]))];
        if let Some(line) = revoke_words(m, bindings) {
            items.push(match m.rotation.revoke {
                RevokeState::Offered => Item::Question(line),
                RevokeState::Confirmed => Item::check(Level::Ok, line),
                RevokeState::Failed(_) => Item::check(Level::Error, line),
                RevokeState::Unconfirmed(_) => Item::check(Level::Warning, line),
                _ => Item::toned(line, Tone::Dim),
            });
        } else if m.mode == Mode::Rotate && saved.unchanged {
            items.push(Item::toned(&t.rotate.summary_same, Tone::Dim));
        }
        if let Some(other) = &saved.shared_with {
            items.push(Item::check(
                Level::Warning,
                fill(&t.rotate.shared, &[("other", &crate::untrusted::line(other))]),
            ));
        }
        items.push(Item::Blank);
        let l = &t.labels;
        let granted = v.token.scopes();
        let names = |s: crate::trello::Scopes| s.names().join(", ");
        let mut scopes = vec![(
            fill(&l.requested, &[("granted", &names(granted)), ("requested", &names(m.form.scopes))]),
            Tone::Normal,
        )];
        if fewer_scopes(m) {
            scopes.push((l.fewer.clone(), Tone::Warn));
        }
        items.push(Item::Fact { label: l.scopes.clone(), value: scopes, wrap: false });
        // Trello may make another token than was asked for (a token pasted from elsewhere): said, as scopes are.
        let expires = v.token.expiry().shown();
        let expires = match v.expiration() {
            Some(made) if made != m.form.expiration => {
                fill(&l.requested, &[("granted", &expires), ("requested", m.form.expiration.as_str())])
            }
            _ => expires,
        };
        items.push(Item::fact(&l.expires, expires));
        let (key, token) = if m.form.reveal {
            (m.form.key().to_string(), m.form.token().to_string())
        } else {
            (mask(m.form.key()), mask(m.form.token()))
        };
        items.push(Item::fact_whole(&l.api_key, key));
        items.push(Item::fact_whole(&l.token, token));
        items.push(Item::fact_whole(&l.saved_to, saved.saved.path.display().to_string()));
        // Words (the keyring's user name among them): wrapped between words, not cut mid-word.
        items.push(Item::fact(&l.stored_in, saved.place.short()));
        if let Some((name, id)) = m.default_board() {
            items.push(Item::fact(&t.boards.label, format!("{} ({id})", crate::untrusted::line(&name))));
        } else if let Some(dropped) = saved.board_dropped.as_ref().filter(|_| m.boards.saved.is_none()) {
            let key = key_name(m, bindings, Action::ChooseBoard);
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
        if fewer_scopes(m) {
            let key = key_name(m, bindings, Action::Reauthorize);
            items.push(Item::check(Level::Warning, fill(&t.verify.fewer_scopes, &[("key", &key)])));
        }
        if m.mode == Mode::Setup {
            items.push(Item::Blank);
            items.push(Item::text(&t.done.next));
            let run = &m.setup.run;
            items.push(Item::Commands(vec![
                (crate::wizard::text::env_command(run), t.done.env.clone()),
                (format!("{run} status"), t.done.status.clone()),
                (format!("{run} rotate"), t.done.rotate.clone()),
            ]));
        }
        items.push(Item::Blank);
        let account = m.setup.endpoints.account_url(&v.member.username);
        items.push(Item::toned(fill(&t.done.revoke, &[("account_url", &account)]), Tone::Dim));
        items.push(Item::toned(&t.done.secrets, Tone::Warn));
        items
    }

    fn questions(&self, m: &Model, bindings: &[Binding]) -> Vec<Question> {
        let p = &texts().plain;
        vec![match &m.rotation.revoke {
            RevokeState::Offered => {
                let question = fill(&p.revoke, &[("others", &still_used(m))]);
                Question::choice(question, bindings, &[Action::RevokeOld, Action::KeepOld], 1)
            }
            RevokeState::Revoking | RevokeState::Confirming => Question::Wait,
            // The default board, once, as the full-screen wizard offers it with `b`.
            _ if m.boards.saved.is_none() && bindings.iter().any(|b| b.action == Action::ChooseBoard) => {
                Question::choice(&p.board_offer, bindings, &[Action::ChooseBoard, Action::Next], 1)
            }
            _ => Question::Finish,
        }]
    }

    fn url(&self, m: &Model) -> Option<String> {
        m.account_url()
    }

    fn copy(&self, m: &Model) -> Option<(&'static str, String)> {
        // The command only where the done screen shows it (a setup, not a rotation).
        (m.mode == Mode::Setup).then(|| (texts().what.command.as_str(), env_command(&m.setup.run)))
    }

    fn next(&self, m: &mut Model) -> Go {
        m.exit = Some(Exit::Saved);
        Go::Effects(Vec::new())
    }

    fn back(&self, m: &mut Model) -> Vec<Effect> {
        m.exit = Some(Exit::Saved);
        Vec::new()
    }
}

/// The rotation's last act, in words: offering, doing and checking the old
/// token's revocation, from the old member's account page.
/// Another profile still using the old token is logged out by revoking it:
/// said before the answer, on the screen and in plain mode's question.
fn still_used(m: &Model) -> String {
    let VerifyState::Saved(_, saved) = &m.verify else { return String::new() };
    match saved.replaced.as_ref().and_then(|r| r.still_held_by.first()) {
        Some(other) => fill(&texts().rotate.still_used, &[("other", &crate::untrusted::line(other))]),
        None => String::new(),
    }
}

pub(crate) fn revoke_words(m: &Model, bindings: &[Binding]) -> Option<String> {
    let VerifyState::Saved(v, saved) = &m.verify else { return None };
    let r = &texts().rotate;
    // Only a file profile's backup holds the old token; a keyring entry was replaced.
    let copy = match saved.replaced.as_ref().and_then(|r| r.copy_in.as_ref()) {
        Some(backup) => fill(&r.copy_in, &[("backup", &backup.display().to_string())]),
        None => String::new(),
    };
    let account = m.setup.endpoints.account_url(old_member(m).unwrap_or(&v.member.username));
    let old = m.old_token().map(|t| t.masked()).unwrap_or_default();
    Some(match &m.rotation.revoke {
        RevokeState::NotOffered => return None,
        RevokeState::AlreadyRefused => r.already_refused.clone(),
        RevokeState::Offered => {
            let answers = crate::wizard::keys::yes_no(bindings, Action::RevokeOld, Action::KeepOld);
            fill(&r.revoke_offer, &[("old", &old), ("yes_no", &answers), ("others", &still_used(m))])
        }
        RevokeState::Revoking => r.revoking.clone(),
        RevokeState::Confirming => r.confirming.clone(),
        RevokeState::Confirmed => r.confirmed.clone(),
        RevokeState::Unconfirmed(why) => fill(&r.unconfirmed, &[("why", why)]),
        RevokeState::Failed(e) => fill(&r.failed, &[("error", &e.to_string()), ("account", &account), ("copy", &copy)]),
        RevokeState::Declined => fill(&r.declined, &[("account", &account), ("copy", &copy)]),
    })
}
