//! The start screen: who the saved profile is, its token's scopes and expiry, and what to do.

use super::{Go, Item, Page, Question, Tone, board_key, key_name};
use crate::credentials::expiry::expiry_words;
use crate::credentials::format::Level;
use crate::credentials::secret::mask;
use crate::wizard::keys::{Action, BACKTAB, Binding, DOWN, ENTER, StepKeys, TAB, UP, ch};
use crate::wizard::model::{Model, StartCheck};
use crate::wizard::msg::Effect;
use crate::wizard::text::{fill, texts};

pub struct Start;

/// The menu's actions, in its order.
const MENU: [Action; 6] = [
    Action::StartVerify,
    Action::StartRotate,
    Action::StartSetup,
    Action::ChooseBoard,
    Action::NextProfile,
    Action::StartLeave,
];

/// The start screen's menu: its choices, in the keymap's order and words, so
/// the menu, the hint bar, the help and plain mode's numbered choices agree.
pub(crate) fn menu(m: &Model) -> Vec<Binding> {
    Start.bindings(m, &crate::wizard::keys::COMMAND_KEYS).into_iter().filter(|b| MENU.contains(&b.action)).collect()
}

impl Page for Start {
    fn name(&self, _m: &Model) -> String {
        texts().start.title.clone()
    }

    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding> {
        let k = &texts().keys;
        // Nothing to verify once logged out: rotating (or setting up) is what makes a token.
        let has_token = m.saved.as_ref().is_some_and(|p| p.token.is_some());
        let mut list: Vec<Binding> =
            has_token.then(|| Binding::new(&[ch('v')], Action::StartVerify, &k.start_verify)).into_iter().collect();
        list.extend([
            Binding::new(&[ch('r')], Action::StartRotate, &k.start_rotate),
            Binding::new(&[ch('s')], Action::StartSetup, &k.start_setup),
        ]);
        list.extend(board_key(m));
        if !m.setup.other_profiles.is_empty() {
            list.push(Binding::new(&[ch('p')], Action::NextProfile, &k.next_profile));
        }
        list.extend([
            Binding::new(&[ENTER], Action::StartChoose, &k.start_choose).shown(&k.up_down_enter),
            Binding::new(&[UP, BACKTAB], Action::StartUp, &k.previous).quiet(),
            Binding::new(&[DOWN, TAB], Action::StartDown, &k.next).quiet(),
            Binding::new(&[ch('q')], Action::StartLeave, &k.quit),
            Binding::new(keys.help, Action::Help, &k.help).quiet(),
        ]);
        list
    }

    fn items(&self, m: &Model, bindings: &[Binding]) -> Vec<Item> {
        let Some(profile) = &m.saved else { return Vec::new() };
        let t = &texts().start;
        let now = m.setup.started_at;
        let mut items = Vec::new();
        let rejected = matches!(&m.start_check, StartCheck::Failed(e) if e.is_rejection());
        let who = match profile.who() {
            Some(who) if profile.token.is_none() => fill(&t.who_logged_out, &[("who", &who)]),
            // Trello said no just now: the token no longer logs anyone in.
            Some(who) if rejected => fill(&t.who_rejected, &[("who", &who)]),
            Some(who) => fill(&t.who, &[("who", &who)]),
            None => t.unknown_who.clone(),
        };
        items.push(Item::toned(who, Tone::Heading));
        items.push(Item::Blank);
        let l = &texts().labels;
        let profile_line = fill(&t.profile_value, &[("profile", &m.setup.profile), ("why", &m.setup.profile_source)]);
        items.push(Item::fact(&l.profile, profile_line));
        if !m.setup.other_profiles.is_empty() {
            let key = key_name(m, bindings, Action::NextProfile);
            let others = fill(&t.others, &[("options", &m.setup.other_profiles.join(", ")), ("key", &key)]);
            items.push(Item::fact(&l.other_profiles, others));
        }
        items.push(Item::fact(&l.api_key, mask(&profile.api_key)));
        items.push(Item::fact(&l.token, profile.token.as_ref().map(|t| t.masked()).unwrap_or_else(|| l.none.clone())));
        items.push(Item::fact(&l.app_name, crate::untrusted::line(&profile.app_name).into_owned()));
        items.push(Item::fact(&l.scopes, profile.scopes().names().join(", ")));
        let expiry = expiry_words(profile.token_expires.as_ref(), now);
        let tone = if profile.expires_soon(now) { Tone::Warn } else { Tone::Normal };
        items.push(Item::fact_toned(&l.expires, expiry, tone));
        if let Some((name, id)) = m.default_board() {
            items.push(Item::fact(&texts().boards.label, format!("{} ({id})", crate::untrusted::line(&name))));
        }
        if let Some(at) = &profile.verified_at {
            items.push(Item::fact_toned(&l.last_verified, crate::credentials::expiry::format_rfc3339(at), Tone::Dim));
        }
        items.push(Item::Blank);
        let keys = [
            ("rotate_key", key_name(m, bindings, Action::StartRotate)),
            ("setup_key", key_name(m, bindings, Action::StartSetup)),
        ];
        let keys: Vec<(&str, &str)> = keys.iter().map(|(name, k)| (*name, k.as_str())).collect();
        if profile.token.is_none() {
            items.push(Item::check(Level::Warning, fill(&t.no_token, &keys)));
        } else if let Some(expired) = profile.expired_words(now) {
            let mut values = keys.clone();
            values.push(("expired", &expired));
            items.push(Item::check(Level::Error, fill(&t.expired, &values)));
        } else if profile.expires_soon(now) {
            items.push(Item::check(Level::Warning, fill(&t.expires_soon, &keys)));
        }
        match &m.start_check {
            StartCheck::Idle => {}
            StartCheck::Checking => items.push(Item::Progress(t.check_running.clone())),
            StartCheck::Valid(v) => {
                items.push(Item::check(Level::Ok, &t.check_valid));
                // Only what the rows above do not already say: a different member or scopes.
                let granted = v.token.scopes();
                if Some(v.member.id.as_str()) != profile.member_id.as_deref() || granted != profile.scopes() {
                    let expires = v.token.expiry().shown();
                    let line = fill(
                        &l.start_check_valid,
                        &[("who", &v.member.who()), ("scopes", &granted.names().join(", ")), ("expires", &expires)],
                    );
                    items.push(Item::toned(line, Tone::Dim));
                }
            }
            StartCheck::Failed(e) => {
                items.push(Item::check(Level::Error, e.to_string()));
                items.push(Item::text(fill(&l.start_check_fix, &[("fix", e.fix())])));
            }
        }
        items.push(Item::Blank);
        // The menu is the keymap's: the same keys and words as the hint bar and the help.
        for (index, binding) in bindings.iter().filter(|b| MENU.contains(&b.action)).enumerate() {
            items.push(Item::Choice {
                key: binding.key_label(),
                words: binding.label.to_string(),
                action: binding.action,
                selected: index == m.ui.choice,
            });
        }
        items
    }

    fn questions(&self, m: &Model, bindings: &[Binding]) -> Vec<Question> {
        if m.start_check == StartCheck::Checking {
            return vec![Question::Wait];
        }
        let options =
            bindings.iter().filter(|b| MENU.contains(&b.action)).map(|b| (b.label.to_string(), b.action)).collect();
        vec![Question::Choice { prompt: texts().plain.what_next.clone(), options, default: m.ui.choice }]
    }

    fn next(&self, m: &mut Model) -> Go {
        let menu = menu(m);
        match menu.get(m.ui.choice % menu.len().max(1)) {
            Some(binding) => Go::Perform(binding.action),
            None => Go::Effects(Vec::new()),
        }
    }

    fn back(&self, _m: &mut Model) -> Vec<Effect> {
        Vec::new()
    }
}
