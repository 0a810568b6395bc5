//! `update(model, msg) -> effects`: the only place the wizard's state changes. No I/O.

mod flow;
mod input;

use flow::{advance, back, goto, on_verified, retry, save, start_verify};
pub use flow::{copy_here, env_command, env_invocation, profile_from, url_here};
use input::{choose_start, on_key, on_paste};

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

/// Everything that can happen to the wizard. `Debug` masks what may be a
/// credential: pasted text, a captured token, the key being checked.
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
                // The client caps waits, but an `Instant` sum must never be able to panic.
                let until = at.checked_add(notice.wait).unwrap_or(at);
                *rate_wait = Some(RateWait { until, attempt: notice.attempt, code: notice.code });
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

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::credentials::secret::mask;
        match self {
            Msg::Key(key) => f.debug_tuple("Key").field(key).finish(),
            Msg::Paste(text) => f.debug_tuple("Paste").field(&mask(text)).finish(),
            Msg::Resize => f.write_str("Resize"),
            Msg::Tick(at) => f.debug_tuple("Tick").field(at).finish(),
            Msg::KeyChecked { key, result } => {
                f.debug_struct("KeyChecked").field("key", &mask(key)).field("result", result).finish()
            }
            Msg::RateLimited { generation, notice, at } => f
                .debug_struct("RateLimited")
                .field("generation", generation)
                .field("notice", notice)
                .field("at", at)
                .finish(),
            Msg::Verified { generation, result, at } => f
                .debug_struct("Verified")
                .field("generation", generation)
                .field("result", result)
                .field("at", at)
                .finish(),
            Msg::Saved(result) => f.debug_tuple("Saved").field(result).finish(),
            Msg::Copied { what, outcome } => {
                f.debug_struct("Copied").field("what", what).field("outcome", outcome).finish()
            }
            Msg::Opened(result) => f.debug_tuple("Opened").field(result).finish(),
            Msg::Revoked(result) => f.debug_tuple("Revoked").field(result).finish(),
            Msg::RevokeChecked(result) => f.debug_tuple("RevokeChecked").field(result).finish(),
            Msg::CaptureStarted(result) => f.debug_tuple("CaptureStarted").field(result).finish(),
            Msg::TokenCaptured(token) => f.debug_tuple("TokenCaptured").field(&mask(token)).finish(),
            Msg::Terminate => f.write_str("Terminate"),
        }
    }
}

/// A token from the browser: fill the field and verify at once. An open help
/// or quit question is closed first: the token is what the user was waiting
/// for, and dropping it would lose it (the listener takes only one).
fn on_captured(m: &mut Model, token: String) -> Vec<Effect> {
    if m.step != Step::Token {
        return Vec::new();
    }
    m.overlay = Overlay::None;
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

/// The saved key and token a rotation replaces, when the token can be sent:
/// a config edited by hand into something that is not a token never is.
fn old_credentials(m: &Model) -> Option<Credentials> {
    let saved = m.saved.as_ref()?;
    let token = saved.token.clone()?;
    crate::credentials::format::check_token(token.expose(), None, None)
        .is_savable()
        .then(|| Credentials { key: saved.api_key.clone(), token })
}

fn notice(m: &mut Model, kind: NoticeKind, text: String) {
    m.notice = Some(Notice { kind, text });
}
