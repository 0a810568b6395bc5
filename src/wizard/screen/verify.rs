//! Step 5: the verification in progress, its failure with the fix, the questions before saving, saving; and the rules a verified token must meet before it is saved.

use super::{Go, Item, Page, Question, Tone, goto, help_and_quit, help_key, key_name};
use crate::credentials::format::{Level, Shape};
use crate::credentials::vault::{NewToken, SecretChange};
use crate::credentials::{Chosen, Secret};
use crate::trello::{Remedy, TrelloError, Verified};
use crate::wizard::keys::{Action, Binding, ENTER, ESC, StepKeys, ch};
use crate::wizard::model::{Mode, Model, Refusal, Step, Target, VerifyState};
use crate::wizard::msg::Effect;
use crate::wizard::text::{fill, texts};

pub struct Verify;

/// Where a failure is fixed: the key's step, the token's step, or here (try again).
/// The one place a remedy maps to a step.
pub(crate) fn remedy_step(remedy: Remedy) -> Option<Step> {
    match remedy {
        Remedy::FixKey => Some(Step::ApiKey),
        Remedy::NewToken | Remedy::CheckId => Some(Step::Token),
        Remedy::Wait | Remedy::Retry => None,
    }
}

impl Page for Verify {
    fn name(&self, _m: &Model) -> String {
        texts().verify.title.clone()
    }

    fn short_name(&self) -> String {
        texts().steps.verify.clone()
    }

    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding> {
        let k = &texts().keys;
        let retry = |label| Binding::new(&[ENTER, ch('r')], Action::Retry, label);
        let mut list = match &m.verify {
            VerifyState::OtherMember(_) => {
                return vec![
                    Binding::new(&[ch('y')], Action::SaveOtherMember, &k.save_anyway),
                    Binding::new(&[ch('n'), ESC], Action::RefuseOtherMember, &k.back_to_token),
                    help_key(keys),
                ];
            }
            VerifyState::ConfirmCaptured(_) => {
                return vec![
                    // No Enter: a token any local program could have sent is saved only by a deliberate `y`.
                    Binding::new(&[ch('y')], Action::ConfirmAccount, &k.confirm_account),
                    Binding::new(&[ch('n'), ESC], Action::RefuseAccount, &k.refuse_account),
                    help_key(keys),
                ];
            }
            VerifyState::ChooseStorage(_) => {
                return vec![
                    Binding::new(&[ch('f'), ENTER], Action::SaveToFile, &k.save_file),
                    Binding::new(&[ch('k')], Action::SaveToKeyring, &k.save_keyring),
                    Binding::new(&[ESC], Action::Back, &k.back_to_token),
                    help_key(keys),
                ];
            }
            VerifyState::Failed(e) => vec![retry(match remedy_step(e.remedy()) {
                Some(Step::ApiKey) => &k.fix_key,
                Some(_) => &k.new_token,
                None => &k.retry,
            })],
            VerifyState::Refused(..) => vec![retry(&k.new_token)],
            // The keyring refused: retry, or choose the file. Never a silent switch.
            VerifyState::SaveFailed(..) if m.storage == crate::credentials::store::Storage::Keyring => {
                vec![retry(&k.retry_save), Binding::new(&[ch('f')], Action::SaveToFile, &k.save_file_instead)]
            }
            VerifyState::SaveFailed(..) => vec![retry(&k.retry_save)],
            _ => Vec::new(),
        };
        if !matches!(m.verify, VerifyState::Saving(_)) {
            list.push(Binding::new(&[ESC], Action::Back, &k.back));
        }
        list.extend(help_and_quit(m, keys));
        list
    }

    fn items(&self, m: &Model, bindings: &[Binding]) -> Vec<Item> {
        let t = &texts().verify;
        let mut items = Vec::new();
        let success = |level, who: &str| Item::check(level, fill(&t.success, &[("who", who)]));
        let yes_no = |yes, no| crate::wizard::keys::yes_no(bindings, yes, no);
        match &m.verify {
            VerifyState::Idle | VerifyState::Saved(..) => {}
            VerifyState::Running { rate_wait } => {
                items.push(Item::Progress(t.running.clone()));
                if let (Some(seconds), Some(wait)) = (m.rate_wait_seconds(), rate_wait) {
                    items.push(Item::Blank);
                    let text = fill(
                        &t.rate_limited,
                        &[
                            ("code", &wait.code),
                            ("seconds", &seconds.to_string()),
                            ("attempt", &wait.attempt.to_string()),
                        ],
                    );
                    items.push(Item::toned(text, Tone::Warn));
                }
            }
            VerifyState::Failed(e) => {
                items.push(Item::check(Level::Error, &t.failed));
                items.push(Item::Blank);
                items.push(Item::toned(capitalize(&e.to_string()), Tone::Bold));
                items.push(Item::Blank);
                items.push(Item::text(fill(&t.why, &[("cause", e.cause())])));
                items.push(Item::text(fill(&t.fix, &[("fix", e.fix())])));
                // Step 4 asked whether 64 hex characters were the secret; a refusal keeps the question.
                if e.remedy() == Remedy::NewToken && m.form.token_verdict().shape == Shape::ValidLegacy {
                    items.push(Item::text(&t.maybe_secret));
                }
                items.push(Item::toned(&t.nothing_saved, Tone::Dim));
                items.push(Item::Blank);
                items.extend(next_line(m, bindings).map(Item::Next));
            }
            VerifyState::Refused(v, refusal) => {
                items.push(Item::check(Level::Error, &t.refused));
                items.push(Item::Blank);
                let why = match refusal {
                    Refusal::OtherMember(who) => {
                        let parent = m.agent.as_ref().and_then(|f| f.who.clone()).unwrap_or_default();
                        fill(&t.refused_other_member, &[("who", who), ("parent", &parent)])
                    }
                    Refusal::MadeBefore { created } => fill(&t.refused_made_before, &[("created", created)]),
                    Refusal::Shared(words) => crate::untrusted::line(words).into_owned(),
                };
                items.push(Item::text(fill(&t.success, &[("who", &v.member.who())])));
                items.push(Item::toned(why, Tone::Bold));
                items.push(Item::toned(&t.nothing_saved, Tone::Dim));
                items.push(Item::Blank);
                items.extend(next_line(m, bindings).map(Item::Next));
            }
            VerifyState::Saving(v) => {
                items.push(success(Level::Ok, &v.member.who()));
                items.push(Item::Blank);
                items.push(Item::text(&t.saving));
            }
            VerifyState::SaveFailed(v, error, cure) => {
                items.push(success(Level::Ok, &v.member.who()));
                items.push(Item::Blank);
                items.push(Item::check(Level::Error, &t.save_failed));
                items.push(Item::toned(error, Tone::Bold));
                if let Some(cure) = cure {
                    items.push(Item::text(fill(&t.fix, &[("fix", &capitalize(cure))])));
                }
                items.push(Item::Blank);
                items.extend(next_line(m, bindings).map(Item::Next));
            }
            VerifyState::OtherMember(v) => {
                let r = &texts().rotate;
                let old = m.saved.as_ref().and_then(|p| p.who()).unwrap_or_else(|| r.another_member.clone());
                items.push(success(Level::Warning, &v.member.who()));
                items.push(Item::Blank);
                items.push(Item::text(fill(&r.other_member, &[("new", &v.member.who()), ("old", &old)])));
                items.push(Item::Blank);
                let answers = yes_no(Action::SaveOtherMember, Action::RefuseOtherMember);
                items.push(Item::Question(fill(&r.other_member_question, &[("yes_no", &answers)])));
                items.push(Item::toned(&t.saved_on_yes, Tone::Dim));
            }
            VerifyState::ConfirmCaptured(v) => {
                let c = &texts().capture;
                items.push(success(Level::Warning, &v.member.who()));
                items.push(Item::Blank);
                items.push(Item::text(&c.confirm));
                items.push(Item::Blank);
                let answers = yes_no(Action::ConfirmAccount, Action::RefuseAccount);
                let question = fill(&c.confirm_question, &[("who", &v.member.who()), ("yes_no", &answers)]);
                items.push(Item::Question(question));
                items.push(Item::toned(&t.saved_on_yes, Tone::Dim));
            }
            VerifyState::ChooseStorage(v) => {
                items.push(success(Level::Ok, &v.member.who()));
                items.push(Item::Blank);
                let (file_key, keyring_key) =
                    (key_name(m, bindings, Action::SaveToFile), key_name(m, bindings, Action::SaveToKeyring));
                let text = fill(
                    &t.choose_storage,
                    &[("file_key", &file_key), ("keyring_key", &keyring_key), ("run", &m.setup.run)],
                );
                items.push(Item::toned(text, Tone::Bold));
            }
        }
        items
    }

    fn questions(&self, m: &Model, bindings: &[Binding]) -> Vec<Question> {
        let p = &texts().plain;
        vec![match &m.verify {
            VerifyState::Failed(_) | VerifyState::SaveFailed(..) | VerifyState::Refused(..) => {
                let prompt = next_line(m, bindings).unwrap_or_default();
                Question::Enter { prompt: fill(&p.retry, &[("next", prompt.trim_end_matches('.'))]), secret: true }
            }
            VerifyState::ChooseStorage(_) => {
                Question::choice(&p.storage, bindings, &[Action::SaveToFile, Action::SaveToKeyring], 0)
            }
            // As on the full screen, only a deliberate answer saves a caught token.
            VerifyState::ConfirmCaptured(_) => {
                Question::choice(&p.confirm_account, bindings, &[Action::ConfirmAccount, Action::RefuseAccount], 1)
            }
            VerifyState::OtherMember(_) => {
                Question::choice(&p.other_member, bindings, &[Action::SaveOtherMember, Action::RefuseOtherMember], 1)
            }
            _ => Question::Wait,
        }]
    }

    fn next(&self, m: &mut Model) -> Go {
        Go::Effects(retry(m))
    }

    fn back(&self, m: &mut Model) -> Vec<Effect> {
        if !matches!(m.verify, VerifyState::Saving(_)) {
            // An answer still on its way belongs to an abandoned attempt.
            m.verify_generation += 1;
            m.verify = VerifyState::Idle;
            goto(m, Step::Token, Some(Target::Token));
        }
        Vec::new()
    }
}

/// After a failure, what the retry key does here, in words that name it.
fn next_line(m: &Model, bindings: &[Binding]) -> Option<String> {
    let t = &texts().verify;
    let next = match &m.verify {
        VerifyState::Failed(e) => match remedy_step(e.remedy()) {
            Some(Step::ApiKey) => &t.next_fix_key,
            Some(_) => &t.next_new_token,
            None => &t.next_retry,
        },
        VerifyState::Refused(..) => &t.refused_next,
        VerifyState::SaveFailed(..) => &t.retry_save,
        _ => return None,
    };
    Some(fill(next, &[("key", &key_name(m, bindings, Action::Retry))]))
}

/// On step 5: go where the failure is fixed, or try again.
fn retry(m: &mut Model) -> Vec<Effect> {
    match &m.verify {
        VerifyState::Refused(_, refusal) => {
            // A token planted through the listener: the next one is pasted.
            if matches!(refusal, Refusal::MadeBefore { .. }) {
                m.capture.pasting = true;
            }
            m.form.token = tui_input::Input::default();
            m.capture.from_listener = false;
            m.verify = VerifyState::Idle;
            goto(m, Step::Token, Some(Target::Token));
        }
        VerifyState::Failed(e) => match remedy_step(e.remedy()) {
            Some(Step::ApiKey) => goto(m, Step::ApiKey, Some(Target::Key)),
            Some(step) => goto(m, step, Some(Target::Token)),
            None => return super::start_verify(m),
        },
        VerifyState::SaveFailed(v, ..) => {
            let verified = v.clone();
            return save(m, verified);
        }
        _ => {}
    }
    Vec::new()
}

/// How far this machine's clock and Trello's may disagree beyond what Trello's
/// `Date` header says (its one-second steps, the time an answer travels, a
/// proxy that drops the header).
pub(crate) const CLOCK_SKEW: time::Duration = time::Duration::minutes(2);

/// Trello's answer to a verification: whose token, what it may do; or why not.
pub(crate) fn on_verified(
    m: &mut Model,
    generation: u64,
    result: Result<Box<Verified>, TrelloError>,
    at: String,
) -> Vec<Effect> {
    use crate::wizard::model::StartCheck;
    if generation != m.verify_generation {
        return Vec::new();
    }
    if m.step == Step::Start {
        m.start_check = match result {
            Ok(v) => {
                // What the screen shows as last verified is now.
                if let Some(saved) = m.saved.as_mut() {
                    saved.verified_at = Some(at);
                }
                StartCheck::Valid(v)
            }
            Err(e) => StartCheck::Failed(e),
        };
        return Vec::new();
    }
    if !matches!(m.verify, VerifyState::Running { .. }) {
        return Vec::new();
    }
    match result {
        Ok(verified) => {
            m.verified_at = Some(at);
            if let Some(refusal) = refusal(m, &verified) {
                m.verify = VerifyState::Refused(verified, refusal);
                return Vec::new();
            }
            let saved_member = m.saved.as_ref().and_then(|p| p.member_id.as_deref());
            if m.mode == Mode::Rotate && saved_member.is_some_and(|id| id != verified.member.id) {
                // A token of another account is usually a mistake: ask first.
                m.verify = VerifyState::OtherMember(verified);
                return Vec::new();
            }
            if m.capture.from_listener {
                // Any local program can reach the listener, and may hold a
                // token of this very member (the leaked one a rotation
                // replaces): whose it is, is shown and confirmed before saving.
                m.verify = VerifyState::ConfirmCaptured(verified);
                return Vec::new();
            }
            store_or_ask(m, verified)
        }
        Err(e) => {
            // Back on step 4 the field says Trello refused this token, not that it looks valid.
            if e.remedy() == Remedy::NewToken {
                m.form.rejected_token = Some(m.form.token().to_string());
            }
            m.verify = VerifyState::Failed(e);
            Vec::new()
        }
    }
}

/// Why a token Trello accepts is not saved: an agent's token of another
/// member than its parent's; a token that came through the listener but was
/// made before this run began (on Trello's clock, within [`CLOCK_SKEW`]).
fn refusal(m: &Model, verified: &Verified) -> Option<Refusal> {
    if let Some(flow) = &m.agent
        && flow.member_id.as_deref().is_some_and(|id| id != verified.member.id)
    {
        return Some(Refusal::OtherMember(verified.member.who()));
    }
    if !m.capture.from_listener {
        return None;
    }
    let created = verified.token.date_created.as_deref()?;
    let created = time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339).ok()?;
    let began = m.setup.started_at.checked_add(verified.clock_ahead.unwrap_or_default())?;
    let earliest = began.checked_sub(CLOCK_SKEW)?;
    (created < earliest).then(|| Refusal::MadeBefore { created: crate::credentials::expiry::format_time(created) })
}

/// The token a rotation replaces, given again (pasted or caught): never saved.
pub(crate) fn is_old_token(m: &Model, token: &str) -> bool {
    m.mode == Mode::Rotate && m.old_token().is_some_and(|old| !token.is_empty() && old.expose() == token)
}

/// Saves, or first asks where the token goes when a keyring could keep it.
pub(crate) fn store_or_ask(m: &mut Model, verified: Box<Verified>) -> Vec<Effect> {
    if m.mode == Mode::Setup && m.keyring_reachable {
        m.verify = VerifyState::ChooseStorage(verified);
        return Vec::new();
    }
    save(m, verified)
}

pub fn save(m: &mut Model, verified: Box<Verified>) -> Vec<Effect> {
    let new = Box::new(new_token(m, &verified));
    m.verify = VerifyState::Saving(verified);
    vec![Effect::Save { profile_name: m.setup.profile.clone(), new }]
}

/// What to save from what was entered and what Trello said. The vault applies
/// it to the profile as stored at that moment (a default board chosen
/// meanwhile stays).
pub fn new_token(m: &Model, verified: &Verified) -> NewToken {
    let secret = m.form.secret();
    let chosen = Chosen {
        key: m.form.key().to_string(),
        token: Secret::new(m.form.token()),
        app_name: m.form.app_name().to_string(),
        requested_scope: m.form.scopes,
        expiration: m.form.expiration,
    };
    NewToken {
        chosen,
        verification: verified.verification(m.verified_at.clone().unwrap_or_default()),
        api_secret: if secret.is_empty() { SecretChange::Clear } else { SecretChange::Set(Secret::new(secret)) },
        // A rotation keeps the profile's place (even one changed in another
        // terminal meanwhile); a setup puts the secrets where step 5 chose,
        // an agent's token where its parent keeps its own.
        storage: (m.mode != Mode::Rotate).then_some(m.storage),
        agent: m.agent.as_ref().map(|flow| flow.agent.clone()),
    }
}

/// The profile as this run just saved it, for authorizing again from it.
pub fn saved_profile(m: &Model, verified: &Verified) -> crate::credentials::Profile {
    let new = new_token(m, verified);
    let api_secret = match new.api_secret {
        SecretChange::Set(secret) => Some(secret),
        SecretChange::Keep | SecretChange::Clear => None,
    };
    let base = crate::credentials::Profile { api_secret, storage: m.storage, ..Default::default() };
    base.verified(new.chosen, new.verification)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
