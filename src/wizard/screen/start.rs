//! The start screen: who the saved profile is, its token's scopes and expiry, and what to do.

use super::{Item, Tone};
use crate::credentials::expiry::expiry_words;
use crate::credentials::secret::mask;
use crate::wizard::keymap::{Action, key_name, start_menu};
use crate::wizard::model::{Model, StartCheck};
use crate::wizard::text::{fill, texts};

pub fn items(m: &Model) -> Vec<Item> {
    let Some(profile) = &m.saved else { return Vec::new() };
    let t = &texts().start;
    let now = m.setup.started_at;
    let mut items = Vec::new();
    let who = match profile.who() {
        Some(who) if profile.token.is_none() => fill(&t.who_logged_out, &[("who", &who)]),
        Some(who) => fill(&t.who, &[("who", &who)]),
        None => t.unknown_who.clone(),
    };
    items.push(Item::toned(who, Tone::Heading));
    items.push(Item::Blank);
    let l = &texts().labels;
    let profile_line = fill(&t.profile_value, &[("profile", &m.setup.profile), ("why", &m.setup.profile_source)]);
    items.push(Item::fact(&l.profile, profile_line));
    if !m.setup.other_profiles.is_empty() {
        let key = key_name(m, Action::NextProfile).unwrap_or_default();
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
    let key = |action| key_name(m, action).unwrap_or_default();
    let keys = [("rotate_key", key(Action::StartRotate)), ("setup_key", key(Action::StartSetup))];
    let keys: Vec<(&str, &str)> = keys.iter().map(|(name, k)| (*name, k.as_str())).collect();
    if profile.token.is_none() {
        items.push(Item::toned(fill(&t.no_token, &keys), Tone::Warn));
    } else if let Some(expired) = profile.expired_words(now) {
        let mut values = keys.clone();
        values.push(("expired", &expired));
        items.push(Item::toned(fill(&t.expired, &values), Tone::Error));
    } else if profile.expires_soon(now) {
        items.push(Item::toned(fill(&t.expires_soon, &keys), Tone::Warn));
    }
    match &m.start_check {
        StartCheck::Idle => {}
        StartCheck::Checking => items.push(Item::toned(&t.check_running, Tone::Dim)),
        StartCheck::Valid(v) => {
            items.push(Item::toned(&t.check_valid, Tone::Ok));
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
            items.push(Item::toned(format!("✗ {e}"), Tone::Error));
            items.push(Item::text(fill(&l.start_check_fix, &[("fix", e.fix())])));
        }
    }
    items.push(Item::Blank);
    // The menu is the keymap's: the same keys and words as the hint bar and the help.
    for (index, binding) in start_menu(m).into_iter().enumerate() {
        items.push(Item::Choice {
            key: binding.key_label(),
            words: binding.label.to_string(),
            action: binding.action,
            selected: index == m.choice,
        });
    }
    items
}
