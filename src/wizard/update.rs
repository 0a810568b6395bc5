//! `update(model, msg) -> effects`: the only place the wizard's state changes. No I/O.

use std::time::Instant;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use super::model::{
    CaptureState, Exit, KeyStatus, Mode, Model, Notice, NoticeKind, Overlay, RateWait, RevokeState, START_CHOICES,
    StartCheck, Step, Target, VerifyState,
};
use crate::credentials::Secret;
use crate::credentials::format::{extract_key, extract_secret, extract_token};
use crate::credentials::store::{Profile, Saved};
use crate::desktop::clipboard::CopyOutcome;
use crate::trello::{Credentials, Expiration, KeyCheck, Remedy, RetryNotice, TrelloError, Verified};

/// Everything that can happen to the wizard.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize,
    Tick(Instant),
    KeyChecked {
        key: String,
        result: KeyCheck,
    },
    RateLimited {
        generation: u64,
        notice: RetryNotice,
        at: Instant,
    },
    Verified {
        generation: u64,
        result: Result<Box<Verified>, TrelloError>,
        at: String,
    },
    Saved(Result<Saved, String>),
    Copied {
        what: &'static str,
        outcome: CopyOutcome,
    },
    Opened(Result<(), String>),
    /// The old token's revocation (after a rotation) finished.
    Revoked(Result<(), TrelloError>),
    /// Whether Trello now refuses the old token: `Err` says why that is not known.
    RevokeChecked(Result<(), String>),
    /// The token listener started (its return URL) or could not (why).
    CaptureStarted(Result<String, String>),
    /// The browser handed the token to the listener.
    TokenCaptured(String),
    /// SIGTERM or SIGHUP: leave now, writing nothing.
    Terminate,
}

/// What the runtime should do; each outcome comes back as a [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    OpenUrl(String),
    Copy {
        what: &'static str,
        text: String,
    },
    CheckKey(String),
    Verify {
        generation: u64,
        credentials: Credentials,
    },
    Save {
        profile_name: String,
        profile: Box<Profile>,
    },
    /// Revoke the old token after a rotation.
    Revoke(Credentials),
    /// Ask Trello whether the revoked token is now refused.
    ConfirmRevoked(Credentials),
}

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(m, key),
        Msg::Paste(text) => on_paste(m, &text),
        Msg::Resize => Vec::new(),
        Msg::Tick(now) => {
            m.now = now;
            m.frame = m.frame.wrapping_add(1);
            Vec::new()
        }
        Msg::KeyChecked { key, result } => {
            if m.key_status == KeyStatus::Checking(key.clone()) {
                m.key_status = match result {
                    KeyCheck::Known => KeyStatus::Known(key),
                    KeyCheck::Rejected => KeyStatus::Rejected(key),
                    KeyCheck::Unchecked(e) => KeyStatus::Unchecked(key, e.to_string()),
                };
            }
            Vec::new()
        }
        Msg::RateLimited { generation, notice, at } => {
            if generation == m.verify_generation
                && let VerifyState::Running { rate_wait } = &mut m.verify
            {
                *rate_wait = Some(RateWait { until: at + notice.wait, attempt: notice.attempt, code: notice.code });
                m.now = at;
            }
            Vec::new()
        }
        Msg::Verified { generation, result, at } => on_verified(m, generation, result, at),
        Msg::Saved(result) => {
            let verify = std::mem::replace(&mut m.verify, VerifyState::Idle);
            m.verify = match (verify, result) {
                (VerifyState::Saving(v), Ok(saved)) => {
                    m.step = Step::Done;
                    m.focus = 0;
                    let replaced = m.old_token().is_some_and(|old| old.expose() != m.token_value());
                    if m.mode == Mode::Rotate && replaced {
                        m.revoke = RevokeState::Offered;
                    }
                    VerifyState::Saved(v, saved)
                }
                (VerifyState::Saving(v), Err(e)) => VerifyState::SaveFailed(v, e),
                (other, _) => other,
            };
            Vec::new()
        }
        Msg::Copied { what, outcome } => {
            let kind = match outcome {
                CopyOutcome::Clipboard | CopyOutcome::Terminal => NoticeKind::Success,
                CopyOutcome::Manual(_) => NoticeKind::Warning,
            };
            notice(m, kind, outcome.message(what));
            Vec::new()
        }
        Msg::Opened(result) => {
            match result {
                Ok(()) => notice(m, NoticeKind::Success, "Opened in your browser.".into()),
                Err(e) => notice(
                    m,
                    NoticeKind::Warning,
                    format!("Could not open a browser ({e}): copy the URL from the screen."),
                ),
            }
            Vec::new()
        }
        Msg::Revoked(result) => match result {
            Ok(()) => {
                m.revoke = RevokeState::Confirming;
                old_credentials(m).map(Effect::ConfirmRevoked).into_iter().collect()
            }
            // Trello already refuses it: nothing was left to revoke.
            Err(TrelloError::InvalidToken | TrelloError::ExpiredToken) => {
                m.revoke = RevokeState::Confirmed;
                Vec::new()
            }
            Err(e) => {
                m.revoke = RevokeState::Failed(e);
                Vec::new()
            }
        },
        Msg::RevokeChecked(result) => {
            m.revoke = match result {
                Ok(()) => RevokeState::Confirmed,
                Err(why) => RevokeState::Unconfirmed(why),
            };
            Vec::new()
        }
        Msg::CaptureStarted(result) => {
            if m.wants_capture() {
                m.capture = match result {
                    Ok(return_url) => CaptureState::Waiting { return_url },
                    Err(why) => CaptureState::Failed(why),
                };
            }
            Vec::new()
        }
        Msg::TokenCaptured(token) => on_captured(m, token),
        Msg::Terminate => {
            m.exit = Some(exit_kind(m));
            Vec::new()
        }
    }
}

/// A token from the browser: fill the field and verify at once.
fn on_captured(m: &mut Model, token: String) -> Vec<Effect> {
    if m.step != Step::Token || m.overlay != Overlay::None {
        return Vec::new();
    }
    m.capture = CaptureState::Received;
    m.token = Input::new(token);
    if let Some(index) = m.step.targets().iter().position(|t| *t == Target::Token) {
        m.focus = index;
    }
    if m.scopes.is_empty() || !m.token_verdict().is_savable() {
        notice(m, NoticeKind::Warning, format!("Token: {}", m.token_verdict().message()));
        return Vec::new();
    }
    start_verify(m)
}

fn exit_kind(m: &Model) -> Exit {
    if matches!(m.verify, VerifyState::Saved(..)) {
        Exit::Saved
    } else if m.step == Step::Start {
        Exit::Left
    } else {
        Exit::Aborted
    }
}

/// The saved key and token a rotation replaces.
fn old_credentials(m: &Model) -> Option<Credentials> {
    let saved = m.saved.as_ref()?;
    Some(Credentials { key: saved.api_key.clone(), token: saved.token.clone()? })
}

fn notice(m: &mut Model, kind: NoticeKind, text: String) {
    m.notice = Some(Notice { kind, text });
}

fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if !matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) {
        return Vec::new();
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        m.exit = Some(exit_kind(m));
        return Vec::new();
    }
    match m.overlay {
        Overlay::Help => {
            m.overlay = Overlay::None;
            return Vec::new();
        }
        Overlay::ConfirmQuit => {
            match key.code {
                KeyCode::Char('y' | 'Y') => m.exit = Some(Exit::Aborted),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => m.overlay = Overlay::None,
                _ => {}
            }
            return Vec::new();
        }
        Overlay::None => {}
    }
    m.notice = None;
    if let Some(effects) = on_screen_key(m, key.code) {
        return effects;
    }
    match key.code {
        KeyCode::F(1) => {
            m.overlay = Overlay::Help;
            return Vec::new();
        }
        KeyCode::Enter => return advance(m),
        KeyCode::Esc => return back(m),
        KeyCode::Tab | KeyCode::Down => {
            move_focus(m, 1);
            return Vec::new();
        }
        KeyCode::BackTab | KeyCode::Up => {
            move_focus(m, -1);
            return Vec::new();
        }
        KeyCode::Char('o') if ctrl => return open(m),
        KeyCode::Char('t') if ctrl => return copy(m),
        KeyCode::Char('r') if ctrl => {
            m.reveal = !m.reveal;
            return Vec::new();
        }
        _ => {}
    }
    if let Some(target) = m.focused_text() {
        return edit(m, target, key);
    }
    match key.code {
        KeyCode::Char('q') => request_quit(m),
        KeyCode::Char('?') => m.overlay = Overlay::Help,
        KeyCode::Char('o') => return open(m),
        KeyCode::Char('c') => return copy(m),
        KeyCode::Char('r') if m.step == Step::Verify => return retry(m),
        KeyCode::Char('r') => m.reveal = !m.reveal,
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') => choose(m, key.code),
        _ => {}
    }
    Vec::new()
}

/// Keys of screens that are a question rather than a form: the start screen,
/// "save a token of another member?", and "revoke the old token?".
fn on_screen_key(m: &mut Model, code: KeyCode) -> Option<Vec<Effect>> {
    if m.step == Step::Start {
        let count = START_CHOICES.len();
        match code {
            KeyCode::Up | KeyCode::BackTab => m.choice = (m.choice + count - 1) % count,
            KeyCode::Down | KeyCode::Tab => m.choice = (m.choice + 1) % count,
            KeyCode::Enter => return Some(choose_start(m, START_CHOICES[m.choice].0)),
            KeyCode::Char('?') | KeyCode::F(1) => m.overlay = Overlay::Help,
            KeyCode::Char(c) if START_CHOICES.iter().any(|(k, _)| *k == c) => return Some(choose_start(m, c)),
            _ => {}
        }
        return Some(Vec::new());
    }
    if m.step == Step::Verify
        && let VerifyState::OtherMember(v) = &m.verify
    {
        match code {
            KeyCode::Char('y' | 'Y') => {
                let verified = v.clone();
                return Some(save(m, verified));
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                m.verify = VerifyState::Idle;
                goto(m, Step::Token, Some(Target::Token));
                let text = "Not saved. Authorize the token while logged in to Trello as the saved member.";
                notice(m, NoticeKind::Info, text.into());
            }
            _ => {}
        }
        return Some(Vec::new());
    }
    if m.step == Step::Done && m.revoke == RevokeState::Offered {
        match code {
            KeyCode::Char('y' | 'Y') => {
                m.revoke = RevokeState::Revoking;
                return Some(old_credentials(m).map(Effect::Revoke).into_iter().collect());
            }
            KeyCode::Char('n' | 'N') => {
                m.revoke = RevokeState::Declined;
                return Some(Vec::new());
            }
            _ => {}
        }
    }
    None
}

/// Acts on a start-screen choice.
fn choose_start(m: &mut Model, choice: char) -> Vec<Effect> {
    match choice {
        'v' => {
            let Some(credentials) = old_credentials(m) else {
                notice(m, NoticeKind::Warning, "No token is saved: set up again or rotate.".into());
                return Vec::new();
            };
            m.verify_generation += 1;
            m.start_check = StartCheck::Checking;
            vec![Effect::Verify { generation: m.verify_generation, credentials }]
        }
        'r' => {
            if let Some(profile) = m.saved.clone() {
                *m = Model::rotate(m.setup.clone(), m.now, profile);
            }
            Vec::new()
        }
        's' => {
            let saved = m.saved.take();
            *m = Model::new(m.setup.clone(), m.now);
            m.saved = saved;
            Vec::new()
        }
        _ => {
            m.exit = Some(Exit::Left);
            Vec::new()
        }
    }
}

fn request_quit(m: &mut Model) {
    if m.step == Step::Done || !m.has_input() {
        m.exit = Some(exit_kind(m));
    } else {
        m.overlay = Overlay::ConfirmQuit;
    }
}

fn move_focus(m: &mut Model, by: isize) {
    let count = m.step.targets().len() as isize;
    if count > 0 {
        m.focus = (m.focus as isize + by).rem_euclid(count) as usize;
    }
}

/// ←/→/Space on a selector: change the expiration or toggle a scope.
fn choose(m: &mut Model, code: KeyCode) {
    match m.focused() {
        Some(Target::Expiration) => {
            let all = Expiration::ALL;
            let at = all.iter().position(|e| *e == m.expiration).unwrap_or(0) as isize;
            let by = if code == KeyCode::Left { -1 } else { 1 };
            m.expiration = all[(at + by).rem_euclid(all.len() as isize) as usize];
        }
        Some(Target::Read) => m.scopes.read = !m.scopes.read,
        Some(Target::Write) => m.scopes.write = !m.scopes.write,
        Some(Target::Account) => m.scopes.account = !m.scopes.account,
        _ => {}
    }
}

fn edit(m: &mut Model, target: Target, key: KeyEvent) -> Vec<Effect> {
    if let Some(input) = m.input_mut(target) {
        input.handle_event(&Event::Key(key));
    }
    after_edit(m, target)
}

/// Keeps what depends on a field in step with it: the background key check.
fn after_edit(m: &mut Model, target: Target) -> Vec<Effect> {
    if target != Target::Key {
        return Vec::new();
    }
    let key = m.key_value().to_string();
    let already = match &m.key_status {
        KeyStatus::Checking(k) | KeyStatus::Known(k) | KeyStatus::Rejected(k) | KeyStatus::Unchecked(k, _) => *k == key,
        KeyStatus::NotChecked => false,
    };
    if already {
        return Vec::new();
    }
    if m.key_verdict().is_valid() {
        m.key_status = KeyStatus::Checking(key.clone());
        vec![Effect::CheckKey(key)]
    } else {
        m.key_status = KeyStatus::NotChecked;
        Vec::new()
    }
}

fn on_paste(m: &mut Model, text: &str) -> Vec<Effect> {
    if m.overlay != Overlay::None {
        return Vec::new();
    }
    m.notice = None;
    // On the token step a paste can only mean the token, wherever the focus is.
    let target = match (m.step, m.focused_text()) {
        (Step::Token, _) => Some(Target::Token),
        (_, target) => target,
    };
    let Some(target) = target else {
        notice(m, NoticeKind::Info, "Nothing to paste into on this screen.".into());
        return Vec::new();
    };
    let cleaned = match target {
        Target::Key => Some(extract_key(text)),
        Target::Secret => Some(extract_secret(text)),
        Target::Token => Some(extract_token(text)),
        _ => None,
    };
    let Some(input) = m.input_mut(target) else { return Vec::new() };
    match cleaned {
        // A credential is one value: a paste replaces what was there.
        Some(value) => *input = Input::new(value),
        None => {
            let line = text.replace(['\r', '\n'], " ");
            for c in line.trim().chars() {
                input.handle(InputRequest::InsertChar(c));
            }
        }
    }
    if let Some(index) = m.step.targets().iter().position(|t| *t == target) {
        m.focus = index;
    }
    after_edit(m, target)
}

fn goto(m: &mut Model, step: Step, focus: Option<Target>) {
    // Step 4 starts a fresh listener each time it is shown (see `wants_capture`).
    if step != m.step && matches!(m.capture, CaptureState::Waiting { .. } | CaptureState::Received) {
        m.capture = CaptureState::Idle;
    }
    m.step = step;
    m.focus = focus.and_then(|f| step.targets().iter().position(|t| *t == f)).unwrap_or(0);
}

fn advance(m: &mut Model) -> Vec<Effect> {
    match m.step {
        Step::Start => return choose_start(m, START_CHOICES[m.choice].0),
        Step::Portal => goto(m, Step::PowerUp, Some(Target::Email)),
        Step::PowerUp => {
            if m.app_name().is_empty() {
                notice(
                    m,
                    NoticeKind::Warning,
                    "Give the Power-Up a name first: it becomes the token's app name.".into(),
                );
            } else {
                goto(m, Step::ApiKey, Some(Target::Key));
            }
        }
        Step::ApiKey => {
            let key = m.key_verdict();
            let secret = m.secret_verdict();
            if !key.is_savable() {
                notice(m, NoticeKind::Warning, format!("API key: {}", key.message()));
                goto(m, Step::ApiKey, Some(Target::Key));
            } else if !m.secret_value().is_empty() && !secret.is_savable() {
                notice(m, NoticeKind::Warning, format!("Secret: {} (or clear it: it is optional)", secret.message()));
                goto(m, Step::ApiKey, Some(Target::Secret));
            } else if matches!(&m.key_status, KeyStatus::Rejected(k) if k == m.key_value()) {
                notice(
                    m,
                    NoticeKind::Warning,
                    "Trello does not know this key: copy it again from the API Key tab.".into(),
                );
            } else {
                goto(m, Step::Token, Some(Target::Token));
            }
        }
        Step::Token => {
            let token = m.token_verdict();
            if m.scopes.is_empty() {
                notice(m, NoticeKind::Warning, "Choose at least one scope.".into());
            } else if !token.is_savable() {
                notice(m, NoticeKind::Warning, format!("Token: {}", token.message()));
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
fn retry(m: &mut Model) -> Vec<Effect> {
    match &m.verify {
        VerifyState::Failed(e) => match e.remedy() {
            Remedy::FixKey => goto(m, Step::ApiKey, Some(Target::Key)),
            Remedy::NewToken | Remedy::CheckId => goto(m, Step::Token, Some(Target::Token)),
            Remedy::Wait | Remedy::Retry => return start_verify(m),
        },
        VerifyState::SaveFailed(v, _) => {
            let verified = v.clone();
            return save(m, verified);
        }
        _ => {}
    }
    Vec::new()
}

fn start_verify(m: &mut Model) -> Vec<Effect> {
    m.verify_generation += 1;
    m.verify = VerifyState::Running { rate_wait: None };
    goto(m, Step::Verify, None);
    let credentials = Credentials { key: m.key_value().to_string(), token: Secret::new(m.token_value()) };
    vec![Effect::Verify { generation: m.verify_generation, credentials }]
}

fn on_verified(m: &mut Model, generation: u64, result: Result<Box<Verified>, TrelloError>, at: String) -> Vec<Effect> {
    if generation != m.verify_generation {
        return Vec::new();
    }
    if m.step == Step::Start {
        m.start_check = match result {
            Ok(v) => StartCheck::Valid(v),
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
            let saved_member = m.saved.as_ref().and_then(|p| p.member_id.as_deref());
            if m.mode == Mode::Rotate && saved_member.is_some_and(|id| id != verified.member.id) {
                // A token of another account is usually a mistake: ask first.
                m.verify = VerifyState::OtherMember(verified);
                return Vec::new();
            }
            save(m, verified)
        }
        Err(e) => {
            m.verify = VerifyState::Failed(e);
            Vec::new()
        }
    }
}

fn save(m: &mut Model, verified: Box<Verified>) -> Vec<Effect> {
    let profile = Box::new(profile_from(m, &verified));
    m.verify = VerifyState::Saving(verified);
    vec![Effect::Save { profile_name: m.setup.profile.clone(), profile }]
}

/// The profile to save from what was entered and what Trello said.
pub fn profile_from(m: &Model, verified: &Verified) -> Profile {
    let secret = m.secret_value();
    Profile {
        api_key: m.key_value().to_string(),
        api_secret: (!secret.is_empty()).then(|| Secret::new(secret)),
        token: Some(Secret::new(m.token_value())),
        app_name: m.app_name().to_string(),
        scope: m.scopes,
        expiration: m.expiration,
        member_id: Some(verified.member.id.clone()),
        member_username: Some(verified.member.username.clone()),
        member_full_name: Some(verified.member.full_name.clone()),
        token_expires: Some(verified.token.date_expires.clone().unwrap_or_else(|| "never".into())),
        verified_at: m.verified_at.clone(),
        ..Profile::default()
    }
}

fn back(m: &mut Model) -> Vec<Effect> {
    match m.step {
        Step::Start | Step::Portal => {}
        Step::PowerUp => goto(m, Step::Portal, None),
        Step::ApiKey => goto(m, Step::PowerUp, None),
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
    match (m.step, m.focused()) {
        (Step::Portal, _) => Some(("portal URL", m.setup.endpoints.portal_url())),
        (Step::PowerUp, Some(Target::AppName)) => Some(("Power-Up name", m.app_name().to_string())),
        (Step::PowerUp, Some(Target::Email | Target::Support)) if !m.email.value().trim().is_empty() => {
            Some(("email", m.email.value().trim().to_string()))
        }
        (Step::PowerUp, Some(Target::Author)) if !m.author.value().trim().is_empty() => {
            Some(("author", m.author.value().trim().to_string()))
        }
        (Step::PowerUp, Some(Target::Iframe)) => {
            Some(("iframe connector URL", super::text::texts().powerup.iframe_value.clone()))
        }
        (Step::ApiKey, _) => Some(("allowed origin", m.capture_origin())),
        (Step::Token, _) => Some(("authorize URL", m.authorize_url())),
        (Step::Done, _) => Some(("command", env_command(&m.setup.profile))),
        _ => None,
    }
}

/// The line that exports the saved credentials for this profile.
pub fn env_command(profile: &str) -> String {
    if profile == crate::credentials::store::DEFAULT_PROFILE {
        "eval \"$(trello-auth env)\"".to_string()
    } else {
        format!("eval \"$(trello-auth --profile {profile} env)\"")
    }
}

fn open(m: &mut Model) -> Vec<Effect> {
    let Some(url) = url_here(m) else { return Vec::new() };
    if let Some(reason) = &m.setup.no_browser_reason {
        let text = format!("No browser is opened because {reason}: copy the URL from the screen (Ctrl+T).");
        notice(m, NoticeKind::Info, text);
        return Vec::new();
    }
    notice(m, NoticeKind::Info, "Opening your browser…".into());
    vec![Effect::OpenUrl(url)]
}

fn copy(m: &mut Model) -> Vec<Effect> {
    match copy_here(m) {
        Some((what, text)) => vec![Effect::Copy { what, text }],
        None => {
            notice(m, NoticeKind::Info, "Nothing to copy here.".into());
            Vec::new()
        }
    }
}
