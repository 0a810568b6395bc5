//! Moving through the steps: continue, back, verify, save, and where open and copy point.

use super::*;
use crate::wizard::keymap::remedy_step;
use crate::wizard::text::env_command;

pub(super) fn goto(m: &mut Model, step: Step, focus: Option<Target>) {
    // Step 4 starts a fresh listener each time it is shown (see `wants_capture`);
    // one that caught the token is kept while it is verified (see `holds_capture`).
    let verifying_caught = step == Step::Verify && m.token_from_listener && m.capture == CaptureState::Received;
    if step != m.step && !verifying_caught && matches!(m.capture, CaptureState::Waiting { .. } | CaptureState::Received)
    {
        m.capture = CaptureState::Idle;
    }
    m.step = step;
    m.scroll = 0;
    m.focus = focus.and_then(|f| step.targets().iter().position(|t| *t == f)).unwrap_or(0);
}

pub(super) fn advance(m: &mut Model) -> Vec<Effect> {
    match m.step {
        Step::Start => return super::input::choose_selected(m),
        Step::Portal => goto(m, Step::PowerUp, Some(Target::Email)),
        Step::PowerUp => {
            if m.app_name().is_empty() {
                notice(m, NoticeKind::Warning, texts().notices.name_first.clone());
            } else {
                goto(m, Step::ApiKey, Some(Target::Key));
            }
        }
        Step::ApiKey => {
            let n = &texts().notices;
            let key = m.key_verdict();
            let secret = m.secret_verdict();
            if !key.is_savable() {
                notice(m, NoticeKind::Warning, fill(&n.api_key, &[("verdict", &key.message())]));
                goto(m, Step::ApiKey, Some(Target::Key));
            } else if !m.secret_value().is_empty() && !secret.is_savable() {
                notice(m, NoticeKind::Warning, fill(&n.secret, &[("verdict", &secret.message())]));
                goto(m, Step::ApiKey, Some(Target::Secret));
            } else if matches!(&m.key_status, KeyStatus::Rejected(k) if k == m.key_value()) {
                notice(m, NoticeKind::Warning, n.key_unknown.clone());
            } else {
                goto(m, Step::Token, Some(Target::Token));
            }
        }
        Step::Token => {
            let n = &texts().notices;
            let token = m.token_verdict();
            if m.scopes.is_empty() {
                notice(m, NoticeKind::Warning, n.no_scope.clone());
            } else if is_old_token(m, m.token_value()) {
                notice(m, NoticeKind::Warning, n.old_token.clone());
            } else if !token.is_savable() {
                notice(m, NoticeKind::Warning, fill(&n.token, &[("verdict", &token.message())]));
            } else {
                return start_verify(m);
            }
        }
        Step::Verify => return retry(m),
        Step::Done => m.exit = Some(Exit::Saved),
    }
    Vec::new()
}

/// On the verify step: go where the failure is fixed, or try again.
pub(super) fn retry(m: &mut Model) -> Vec<Effect> {
    match &m.verify {
        VerifyState::Refused(_, refusal) => {
            // A token planted through the listener: the next one is pasted.
            if matches!(refusal, Refusal::MadeBefore { .. }) {
                m.pasting = true;
            }
            m.token = Input::default();
            m.token_from_listener = false;
            m.verify = VerifyState::Idle;
            goto(m, Step::Token, Some(Target::Token));
        }
        VerifyState::Failed(e) => match remedy_step(e.remedy()) {
            Some(Step::ApiKey) => goto(m, Step::ApiKey, Some(Target::Key)),
            Some(step) => goto(m, step, Some(Target::Token)),
            None => return start_verify(m),
        },
        VerifyState::SaveFailed(v, _) => {
            let verified = v.clone();
            return save(m, verified);
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn start_verify(m: &mut Model) -> Vec<Effect> {
    m.verify_generation += 1;
    m.verify = VerifyState::Running { rate_wait: None };
    goto(m, Step::Verify, None);
    let credentials = Credentials { key: m.key_value().to_string(), token: Secret::new(m.token_value()) };
    vec![Effect::Verify { generation: m.verify_generation, credentials }]
}

pub(super) fn on_verified(
    m: &mut Model,
    generation: u64,
    result: Result<Box<Verified>, TrelloError>,
    at: String,
) -> Vec<Effect> {
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
            if m.token_from_listener {
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
            if e.remedy() == crate::trello::Remedy::NewToken {
                m.rejected_token = Some(m.token_value().to_string());
            }
            m.verify = VerifyState::Failed(e);
            Vec::new()
        }
    }
}

/// How far this machine's clock and Trello's may disagree beyond what Trello's
/// `Date` header says (its one-second steps, the time an answer travels, a
/// proxy that drops the header).
pub const CLOCK_SKEW: time::Duration = time::Duration::minutes(2);

/// Why a token Trello accepts is not saved: an agent's token of another
/// member than its parent's; a token that came through the listener but was
/// made before this run began (on Trello's clock, within [`CLOCK_SKEW`]).
fn refusal(m: &Model, verified: &Verified) -> Option<Refusal> {
    if let Some(flow) = &m.agent
        && flow.member_id.as_deref().is_some_and(|id| id != verified.member.id)
    {
        return Some(Refusal::OtherMember(verified.member.who()));
    }
    if !m.token_from_listener {
        return None;
    }
    let created = verified.token.date_created.as_deref()?;
    let created = time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339).ok()?;
    let began = m.setup.started_at.checked_add(verified.clock_ahead.unwrap_or_default())?;
    let earliest = began.checked_sub(CLOCK_SKEW)?;
    (created < earliest).then(|| Refusal::MadeBefore { created: crate::credentials::expiry::format_time(created) })
}

/// The token a rotation replaces, given again (pasted or caught): never saved.
pub(super) fn is_old_token(m: &Model, token: &str) -> bool {
    m.mode == Mode::Rotate && m.old_token().is_some_and(|old| !token.is_empty() && old.expose() == token)
}

/// Saves, or first asks where the token goes when a keyring could keep it.
pub(super) fn store_or_ask(m: &mut Model, verified: Box<Verified>) -> Vec<Effect> {
    if m.mode == Mode::Setup && m.keyring_reachable {
        m.verify = VerifyState::ChooseStorage(verified);
        return Vec::new();
    }
    save(m, verified)
}

pub(super) fn save(m: &mut Model, verified: Box<Verified>) -> Vec<Effect> {
    let new = Box::new(new_token(m, &verified));
    m.verify = VerifyState::Saving(verified);
    vec![Effect::Save { profile_name: m.setup.profile.clone(), new }]
}

/// What to save from what was entered and what Trello said. The vault applies
/// it to the profile as stored at that moment (a default board chosen
/// meanwhile stays).
pub fn new_token(m: &Model, verified: &Verified) -> NewToken {
    let secret = m.secret_value();
    let chosen = Chosen {
        key: m.key_value().to_string(),
        token: Secret::new(m.token_value()),
        app_name: m.app_name().to_string(),
        requested_scope: m.scopes,
        expiration: m.expiration,
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

pub(super) fn back(m: &mut Model) -> Vec<Effect> {
    match m.step {
        Step::Start => {}
        // Setting up again from the start screen: Esc on step 1 goes back to it.
        Step::Portal => {
            if let Some(saved) = m.saved.clone() {
                *m = Model::start_screen(m.setup.clone(), m.now, saved);
            }
        }
        Step::PowerUp => goto(m, Step::Portal, None),
        Step::ApiKey => goto(m, Step::PowerUp, None),
        // A rotation starts on step 4 with the saved key: back is the start screen, not step 3.
        Step::Token if m.mode == Mode::Rotate => {
            if let Some(saved) = m.saved.clone() {
                *m = Model::start_screen(m.setup.clone(), m.now, saved);
            }
        }
        // An agent's token starts here with the parent's key: there is no step before it.
        Step::Token if m.mode == Mode::Agent => {}
        Step::Token => goto(m, Step::ApiKey, Some(Target::Key)),
        Step::Verify => {
            if !matches!(m.verify, VerifyState::Saving(_)) {
                // An answer still on its way belongs to an abandoned attempt.
                m.verify_generation += 1;
                m.verify = VerifyState::Idle;
                goto(m, Step::Token, Some(Target::Token));
            }
        }
        Step::Done => m.exit = Some(Exit::Saved),
    }
    Vec::new()
}

/// The URL the open key opens on this step.
pub fn url_here(m: &Model) -> Option<String> {
    match m.step {
        Step::Portal | Step::PowerUp | Step::ApiKey => Some(m.setup.endpoints.portal_url()),
        Step::Token => Some(m.authorize_url()),
        Step::Done => match &m.verify {
            VerifyState::Saved(v, _) => Some(m.setup.endpoints.account_url(&v.member.username)),
            _ => None,
        },
        Step::Start | Step::Verify => None,
    }
}

/// What the copy key copies on this step, and its name for the notice.
pub fn copy_here(m: &Model) -> Option<(&'static str, String)> {
    let w = &texts().what;
    match (m.step, m.focused()) {
        (Step::Portal, _) => Some((&w.portal_url, m.setup.endpoints.portal_url())),
        (Step::PowerUp, Some(Target::AppName)) => Some((&w.app_name, m.app_name().to_string())),
        (Step::PowerUp, Some(Target::Email | Target::Support)) if !m.email.value().trim().is_empty() => {
            Some((&w.email, m.email.value().trim().to_string()))
        }
        (Step::PowerUp, Some(Target::Author)) if !m.author.value().trim().is_empty() => {
            Some((&w.author, m.author.value().trim().to_string()))
        }
        (Step::PowerUp, Some(Target::Iframe)) => Some((&w.iframe, texts().powerup.iframe_value.clone())),
        // The origin only where the screen shows it (capture on).
        (Step::ApiKey, _) if m.setup.capture_off.is_none() => Some((&w.origin, m.capture_origin())),
        (Step::Token, _) => Some((&w.authorize_url, m.authorize_url())),
        // The command only where the done screen shows it (a setup, not a rotation).
        (Step::Done, _) if m.mode == Mode::Setup => Some((&w.command, env_command(&m.setup.run))),
        _ => None,
    }
}
