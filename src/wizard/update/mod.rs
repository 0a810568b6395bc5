//! `update(model, msg) -> effects`: the only place the wizard's state changes. No I/O.

mod flow;
mod input;

use flow::{advance, back, goto, on_verified, retry, save, start_verify};
pub use flow::{copy_here, new_token, url_here};
use input::{on_answer, on_key, on_paste};

use std::time::Instant;

use crossterm::event::{Event, KeyEvent, KeyEventKind};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use super::model::{
    BoardList, CaptureState, Exit, KeyStatus, Mode, Model, Notice, NoticeKind, Overlay, RateWait, Refusal, RevokeState,
    StartCheck, Step, Target, VerifyState,
};
use super::text::{fill, texts};
use crate::capture::CaptureError;
use crate::credentials::Secret;
use crate::credentials::format::{extract_key, extract_secret, extract_token};
use crate::credentials::vault::{NewToken, SaveOutcome, SecretChange, VaultError};
use crate::credentials::{Chosen, Profile};
use crate::desktop::clipboard::CopyOutcome;
use crate::trello::{Board, Credentials, Expiration, KeyCheck, Member, RetryNotice, TrelloError, Verified, Workspace};

/// Everything that can happen to the wizard. `Debug` masks what may be a
/// credential: pasted text, a captured token, the key being checked.
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal's size now (columns, rows).
    Resize(u16, u16),
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
    Saved(Result<Box<SaveOutcome>, VaultError>),
    /// Whether a system keyring answered (probed once at start).
    KeyringReachable(bool),
    Copied {
        what: &'static str,
        outcome: CopyOutcome,
        quiet: bool,
    },
    Opened(Result<(), String>),
    /// A [`Effect::Reopen`] finished: only a failure is worth a word.
    Reopened(Result<(), String>),
    /// The old token's revocation (after a rotation) finished.
    Revoked(Result<(), TrelloError>),
    /// What Trello answered for the revoked token (`401 invalid token` is the hoped-for answer).
    RevokeChecked(Result<Member, TrelloError>),
    /// The token listener started (its return URL) or could not.
    CaptureStarted(Result<String, CaptureError>),
    /// The token listener stopped before a token came.
    CaptureStopped,
    /// The browser handed the token to the listener.
    TokenCaptured(String),
    /// A start URL was opened twice: someone else is at the listener.
    CaptureTakeover,
    /// A whole answer for one field, as the plain front end reads it: the
    /// field takes the focus and the text, cleaned like a paste for
    /// credentials, parsed for the expiration and the scopes.
    Answer {
        target: Target,
        text: String,
    },
    /// The member's boards and workspaces (for the default-board picker).
    BoardsLoaded(Result<(Vec<Board>, Vec<Workspace>), TrelloError>),
    /// The default board was saved (`None`: cleared).
    /// The default board was saved (`None`: cleared), or why not.
    BoardSaved(Result<Option<Board>, String>),
    /// SIGTERM or SIGHUP: leave now, writing nothing.
    Terminate,
    /// Another saved profile, with its secrets, for the start screen (or why not).
    ProfileLoaded(Result<(String, Box<Profile>), String>),
}

/// What the runtime should do; each outcome comes back as a [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    OpenUrl(String),
    /// Open again where a browser was opened before; the step that asked says so itself.
    Reopen(String),
    /// Copy `text`; `quiet` leaves the notice to the step that asked (it says "copied" itself).
    Copy {
        what: &'static str,
        text: String,
        quiet: bool,
    },
    CheckKey(String),
    Verify {
        generation: u64,
        credentials: Credentials,
    },
    /// Save the verified token: an edit of the profile as stored now.
    Save {
        profile_name: String,
        new: Box<NewToken>,
    },
    /// Revoke the old token after a rotation, sent as `with` (the old pair,
    /// or another token of the same member that may write).
    Revoke {
        with: Credentials,
        token: Secret,
    },
    /// Ask Trello whether the revoked token is now refused.
    ConfirmRevoked(Credentials),
    /// List the member's boards and workspaces, once.
    LoadBoards(Credentials),
    /// Read another saved profile (the start screen's "next profile").
    LoadProfile(String),
    /// Save (or, with `None`, clear) the profile's default board.
    SaveBoard {
        profile_name: String,
        board: Option<Board>,
    },
}

/// The effects must be carried out: dropping them would silently lose a save or a verify.
#[must_use]
pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let (step, notice_before) = (m.step, m.notice.clone());
    let effects = step_update(m, msg);
    // A notice belongs to the screen it was said on ("Opened in your browser."
    // must not linger on the done screen); one said by this very change stays.
    if m.step != step && m.notice == notice_before {
        m.notice = None;
    }
    effects
}

fn step_update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(m, key),
        Msg::Paste(text) => on_paste(m, &text),
        Msg::Resize(width, height) => {
            m.size = Some((width, height));
            // The body follows the focus again: rows moved, an offset would mean something else now.
            m.scroll = 0;
            Vec::new()
        }
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
                    if m.mode == Mode::Rotate && saved.replaced.is_some() {
                        m.revoke = RevokeState::Offered;
                    }
                    // An agent's token is one step of `mcp --write`, which goes on to write the entry.
                    if m.mode == Mode::Agent {
                        m.exit = Some(Exit::Saved);
                    }
                    VerifyState::Saved(v, saved)
                }
                (VerifyState::Saving(v), Err(e)) => VerifyState::SaveFailed(v, e.to_string()),
                (other, _) => other,
            };
            Vec::new()
        }
        Msg::KeyringReachable(yes) => {
            m.keyring_reachable = yes;
            Vec::new()
        }
        Msg::Copied { quiet: true, outcome: CopyOutcome::Clipboard | CopyOutcome::Terminal, .. } => Vec::new(),
        Msg::Copied { what, outcome, .. } => {
            let kind = match outcome {
                CopyOutcome::Clipboard | CopyOutcome::Terminal => NoticeKind::Success,
                CopyOutcome::Manual(_) => NoticeKind::Warning,
            };
            let n = &texts().notices;
            // The command is named: "copied" alone does not say which of the lines on screen.
            let command = crate::wizard::text::env_command(&m.setup.run);
            let what = if what == texts().what.command { format!("command {command}") } else { what.to_string() };
            let what = what.as_str();
            let text = match &outcome {
                CopyOutcome::Clipboard => fill(&n.copied, &[("what", what)]),
                CopyOutcome::Terminal => fill(&n.copied_terminal, &[("what", what)]),
                CopyOutcome::Manual(reason) => fill(&n.copy_by_hand, &[("what", what), ("reason", reason)]),
            };
            notice(m, kind, text);
            Vec::new()
        }
        Msg::Reopened(result) => {
            if let Err(e) = result {
                notice(m, NoticeKind::Warning, fill(&texts().notices.open_failed, &[("reason", &e)]));
            }
            Vec::new()
        }
        Msg::Opened(result) => {
            let n = &texts().notices;
            match result {
                Ok(()) => {
                    m.browser_opened = true;
                    notice(m, NoticeKind::Success, n.opened.clone())
                }
                Err(e) => notice(m, NoticeKind::Warning, fill(&n.open_failed, &[("reason", &e)])),
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
            let r = &texts().rotate;
            m.revoke = match result {
                // Refused as unknown: the revocation took.
                Err(TrelloError::InvalidToken) => RevokeState::Confirmed,
                Ok(_) => RevokeState::Unconfirmed(r.still_accepted.clone()),
                Err(e) => RevokeState::Unconfirmed(fill(&r.check_failed, &[("error", &e.to_string())])),
            };
            Vec::new()
        }
        Msg::CaptureStarted(result) => {
            if m.wants_capture() {
                m.capture = match result {
                    Ok(return_url) => CaptureState::Waiting { return_url },
                    Err(e) => CaptureState::Failed(e.to_string()),
                };
            }
            Vec::new()
        }
        Msg::CaptureStopped => {
            if m.wants_capture() {
                m.capture = CaptureState::Failed(texts().capture.stopped.clone());
            }
            Vec::new()
        }
        Msg::TokenCaptured(token) => on_captured(m, token),
        Msg::CaptureTakeover => {
            on_takeover(m);
            Vec::new()
        }
        Msg::Answer { target, text } => on_answer(m, target, &text),
        Msg::BoardsLoaded(result) => {
            m.boards = match result {
                Ok((boards, workspaces)) => BoardList::Loaded { boards, workspaces },
                Err(e) => BoardList::Failed(e),
            };
            // The picker opens on the board chosen now: Enter keeps it.
            m.board_choice = m.current_board_row();
            Vec::new()
        }
        Msg::BoardSaved(result) => {
            let b = &texts().boards;
            match result {
                Ok(Some(board)) => {
                    let name = crate::untrusted::line(&board.name).into_owned();
                    notice(m, NoticeKind::Success, fill(&b.chosen, &[("name", &name)]));
                    m.board_saved = Some(Some(board));
                }
                Ok(None) => {
                    notice(m, NoticeKind::Success, b.cleared.clone());
                    m.board_saved = Some(None);
                }
                Err(e) => notice(m, NoticeKind::Warning, e),
            }
            Vec::new()
        }
        Msg::Terminate => {
            m.exit = Some(exit_kind(m));
            Vec::new()
        }
        Msg::ProfileLoaded(result) => {
            match result {
                Ok((name, profile)) => {
                    let mut setup = m.setup.clone();
                    // The one shown now goes to the back of the line: `p` cycles through them all.
                    setup.other_profiles.retain(|p| *p != name);
                    setup.other_profiles.push(std::mem::replace(&mut setup.profile, name));
                    setup.profile_source = texts().start.switched.clone();
                    *m = Model::start_screen(setup, m.now, *profile);
                }
                Err(e) => notice(m, NoticeKind::Warning, e),
            }
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
            Msg::Resize(width, height) => f.debug_tuple("Resize").field(width).field(height).finish(),
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
            Msg::KeyringReachable(yes) => f.debug_tuple("KeyringReachable").field(yes).finish(),
            Msg::Copied { what, outcome, quiet } => {
                f.debug_struct("Copied").field("what", what).field("outcome", outcome).field("quiet", quiet).finish()
            }
            Msg::Opened(result) => f.debug_tuple("Opened").field(result).finish(),
            Msg::Reopened(result) => f.debug_tuple("Reopened").field(result).finish(),
            Msg::Revoked(result) => f.debug_tuple("Revoked").field(result).finish(),
            Msg::RevokeChecked(result) => f.debug_tuple("RevokeChecked").field(result).finish(),
            Msg::CaptureStarted(result) => f.debug_tuple("CaptureStarted").field(result).finish(),
            Msg::CaptureStopped => f.write_str("CaptureStopped"),
            Msg::TokenCaptured(token) => f.debug_tuple("TokenCaptured").field(&mask(token)).finish(),
            Msg::CaptureTakeover => f.write_str("CaptureTakeover"),
            Msg::Answer { target, text } => {
                f.debug_struct("Answer").field("target", target).field("text", &mask(text)).finish()
            }
            Msg::BoardsLoaded(result) => f.debug_tuple("BoardsLoaded").field(result).finish(),
            Msg::BoardSaved(result) => f.debug_tuple("BoardSaved").field(result).finish(),
            Msg::Terminate => f.write_str("Terminate"),
            Msg::ProfileLoaded(result) => {
                f.debug_tuple("ProfileLoaded").field(&result.as_ref().map(|(name, p)| (name, p))).finish()
            }
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
    m.help = false;
    m.capture = CaptureState::Received;
    if flow::is_old_token(m, &token) {
        // The token being replaced came back: whoever sent it, it is not saved,
        // and the listener (which takes one token) is not trusted further.
        m.pasting = true;
        m.capture = CaptureState::Failed(texts().capture.old_token.clone());
        notice(m, NoticeKind::Warning, texts().notices.old_token.clone());
        return Vec::new();
    }
    m.token = Input::new(token);
    m.token_from_listener = true;
    if let Some(index) = m.step.targets().iter().position(|t| *t == Target::Token) {
        m.focus = index;
    }
    if m.scopes.is_empty() || !m.token_verdict().is_savable() {
        notice(m, NoticeKind::Warning, format!("Token: {}", m.token_verdict().message()));
        return Vec::new();
    }
    start_verify(m)
}

/// Someone else opened the start URL: whatever the listener caught is not
/// trusted (dropped, unsaved), catching stops, and the user pastes instead.
fn on_takeover(m: &mut Model) {
    if m.token_from_listener {
        m.token = Input::default();
        m.token_from_listener = false;
        if m.step == Step::Verify && !matches!(m.verify, VerifyState::Saving(_) | VerifyState::Saved(..)) {
            m.verify_generation += 1;
            m.verify = VerifyState::Idle;
            goto(m, Step::Token, Some(Target::Token));
        }
    }
    m.pasting = true;
    m.capture = CaptureState::Failed(texts().capture.takeover.clone());
    notice(m, NoticeKind::Warning, texts().notices.takeover.clone());
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
