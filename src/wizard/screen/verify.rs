//! Step 5: the verification in progress, its failure with the fix, the questions before saving, saving.

use super::{Item, Tone};
use crate::credentials::format::Level;
use crate::wizard::keymap::{Action, key_name, remedy_step, yes_no};
use crate::wizard::model::{Model, Refusal, Step, VerifyState};
use crate::wizard::text::{fill, texts};

pub fn items(m: &Model) -> Vec<Item> {
    let t = &texts().verify;
    let mut items = Vec::new();
    let success = |level, who: &str| Item::Check { level, text: fill(&t.success, &[("who", who)]), indented: false };
    match &m.verify {
        VerifyState::Idle | VerifyState::Saved(..) => {}
        VerifyState::Running { rate_wait } => {
            items.push(Item::Progress(t.running.clone()));
            if let (Some(seconds), Some(wait)) = (m.rate_wait_seconds(), rate_wait) {
                items.push(Item::Blank);
                let text = fill(
                    &t.rate_limited,
                    &[("code", &wait.code), ("seconds", &seconds.to_string()), ("attempt", &wait.attempt.to_string())],
                );
                items.push(Item::toned(text, Tone::Warn));
            }
        }
        VerifyState::Failed(e) => {
            items.push(Item::Check { level: Level::Error, text: t.failed.clone(), indented: false });
            items.push(Item::Blank);
            items.push(Item::toned(capitalize(&e.to_string()), Tone::Bold));
            items.push(Item::Blank);
            items.push(Item::text(fill(&t.why, &[("cause", e.cause())])));
            items.push(Item::text(fill(&t.fix, &[("fix", e.fix())])));
            items.push(Item::Blank);
            let next = match remedy_step(e.remedy()) {
                Some(Step::ApiKey) => &t.next_fix_key,
                Some(_) => &t.next_new_token,
                None => &t.next_retry,
            };
            let key = key_name(m, Action::Retry).unwrap_or_default();
            items.push(Item::toned(fill(next, &[("key", &key)]), Tone::Accent));
            items.push(Item::toned(&t.nothing_saved, Tone::Dim));
        }
        VerifyState::Refused(v, refusal) => {
            items.push(Item::Check { level: Level::Error, text: t.refused.clone(), indented: false });
            items.push(Item::Blank);
            let why = match refusal {
                Refusal::OtherMember(who) => {
                    let parent = m.agent.as_ref().and_then(|f| f.who.clone()).unwrap_or_default();
                    fill(&t.refused_other_member, &[("who", who), ("parent", &parent)])
                }
                Refusal::MadeBefore { created } => fill(&t.refused_made_before, &[("created", created)]),
            };
            items.push(Item::text(fill(&t.success, &[("who", &v.member.who())])));
            items.push(Item::toned(why, Tone::Bold));
            items.push(Item::Blank);
            let key = key_name(m, Action::Retry).unwrap_or_default();
            items.push(Item::toned(fill(&t.refused_next, &[("key", &key)]), Tone::Accent));
            items.push(Item::toned(&t.nothing_saved, Tone::Dim));
        }
        VerifyState::Saving(v) => {
            items.push(success(Level::Ok, &v.member.who()));
            items.push(Item::Blank);
            items.push(Item::text(&t.saving));
        }
        VerifyState::SaveFailed(v, error) => {
            items.push(success(Level::Ok, &v.member.who()));
            items.push(Item::Blank);
            items.push(Item::Check { level: Level::Error, text: t.save_failed.clone(), indented: false });
            items.push(Item::toned(error, Tone::Bold));
            items.push(Item::Blank);
            let key = key_name(m, Action::Retry).unwrap_or_default();
            items.push(Item::toned(fill(&t.retry_save, &[("key", &key)]), Tone::Accent));
        }
        VerifyState::OtherMember(v) => {
            let r = &texts().rotate;
            let old = m.saved.as_ref().and_then(|p| p.who()).unwrap_or_else(|| r.another_member.clone());
            items.push(success(Level::Warning, &v.member.who()));
            items.push(Item::Blank);
            items.push(Item::text(fill(&r.other_member, &[("new", &v.member.who()), ("old", &old)])));
            items.push(Item::Blank);
            let answers = yes_no(m, Action::SaveOtherMember, Action::RefuseOtherMember);
            items.push(Item::Question(fill(&r.other_member_question, &[("yes_no", &answers)])));
            items.push(Item::toned(&t.saved_on_yes, Tone::Dim));
        }
        VerifyState::ConfirmCaptured(v) => {
            let c = &texts().capture;
            items.push(success(Level::Warning, &v.member.who()));
            items.push(Item::Blank);
            items.push(Item::text(&c.confirm));
            items.push(Item::Blank);
            let answers = yes_no(m, Action::ConfirmAccount, Action::RefuseAccount);
            let question = fill(&c.confirm_question, &[("who", &v.member.who()), ("yes_no", &answers)]);
            items.push(Item::Question(question));
            items.push(Item::toned(&t.saved_on_yes, Tone::Dim));
        }
        VerifyState::ChooseStorage(v) => {
            items.push(success(Level::Ok, &v.member.who()));
            items.push(Item::Blank);
            let key = |action| key_name(m, action).unwrap_or_default();
            let (file_key, keyring_key) = (key(Action::SaveToFile), key(Action::SaveToKeyring));
            let text = fill(
                &t.choose_storage,
                &[("file_key", &file_key), ("keyring_key", &keyring_key), ("run", &m.setup.run)],
            );
            items.push(Item::toned(text, Tone::Bold));
        }
    }
    items
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
