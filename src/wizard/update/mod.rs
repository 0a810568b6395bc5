//! `update(model, msg) -> effects`: the one entry point of change to the wizard's state. No I/O.
//!
//! A key becomes an action through the keymap and acts here (`input`); what
//! Enter and Esc do, and what open and copy take, is the screen's own
//! (`screen::Page`), asked here.

mod input;

use input::{on_answer, on_key, on_paste};

use tui_input::Input;

use super::model::{
    BoardList, CaptureState, Exit, KeyStatus, Mode, Model, NoticeKind, Overlay, RateWait, RevokeState, StartCheck,
    Step, Target, VerifyState,
};
pub use super::msg::{Effect, Msg};
use super::screen;
use super::text::{fill, texts};
use crate::credentials::vault::VaultError;
use crate::desktop::clipboard::CopyOutcome;
use crate::trello::{KeyCheck, TrelloError};

/// The effects must be carried out: dropping them would silently lose a save or a verify.
#[must_use]
pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let (step, notice_before) = (m.step, m.ui.notice.clone());
    let effects = step_update(m, msg);
    // A notice belongs to the screen it was said on ("Opened in your browser."
    // must not linger on the done screen); one said by this very change stays.
    if m.step != step && m.ui.notice == notice_before {
        m.ui.notice = None;
    }
    effects
}

fn step_update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(m, key),
        Msg::Paste(text) => on_paste(m, &text),
        Msg::Resize(width, height) => {
            m.ui.size = Some((width, height));
            // The body follows the focus again: rows moved, an offset would mean something else now.
            m.ui.scroll = 0;
            Vec::new()
        }
        Msg::Layout(room) => {
            m.ui.room = room;
            Vec::new()
        }
        Msg::Tick(now) => {
            m.ui.now = now;
            m.ui.frame = m.ui.frame.wrapping_add(1);
            Vec::new()
        }
        Msg::KeyChecked { key, result } => {
            if m.form.key_status == KeyStatus::Checking(key.clone()) {
                m.form.key_status = match result {
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
                m.ui.now = at;
            }
            Vec::new()
        }
        Msg::Verified { generation, result, at } => screen::on_verified(m, generation, result, at),
        Msg::Saved(result) => {
            let verify = std::mem::replace(&mut m.verify, VerifyState::Idle);
            m.verify = match (verify, result) {
                (VerifyState::Saving(v), Ok(saved)) => {
                    m.step = Step::Done;
                    m.focus = 0;
                    if m.mode == Mode::Rotate && saved.replaced.is_some() {
                        // Known refused by the start screen's check: no offer, and no "still works".
                        let refused = matches!(
                            &m.start_check,
                            StartCheck::Failed(TrelloError::InvalidToken | TrelloError::ExpiredToken)
                        );
                        m.rotation.revoke = if refused { RevokeState::AlreadyRefused } else { RevokeState::Offered };
                    }
                    // An agent's token is one step of `mcp --write`, which goes on to write the entry.
                    if m.mode == Mode::Agent {
                        m.exit = Some(Exit::Saved);
                    }
                    VerifyState::Saved(v, saved)
                }
                (VerifyState::Saving(v), Err(e)) => {
                    let cure = e.keyring().map(|k| k.cure());
                    match e {
                        // Saving again cannot help: a refusal, whose way on is a new token (step 4).
                        // An agent is named as this screen names it ("Claude Code"), not by its flag.
                        VaultError::Shared { other, for_whom } => {
                            let for_whom = m.agent.as_ref().map_or(for_whom, |flow| flow.client.clone());
                            let words = VaultError::Shared { other, for_whom }.to_string();
                            VerifyState::Refused(v, crate::wizard::model::Refusal::Shared(words))
                        }
                        e => VerifyState::SaveFailed(v, e.to_string(), cure),
                    }
                }
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
            m.notice(kind, text);
            Vec::new()
        }
        Msg::Reopened(result) => {
            if let Err(e) = result {
                m.notice(NoticeKind::Warning, fill(&texts().notices.open_failed, &[("reason", &e)]));
            }
            Vec::new()
        }
        Msg::Opened(result) => {
            let n = &texts().notices;
            match result {
                Ok(()) => {
                    m.capture.browser_opened = true;
                    m.notice(NoticeKind::Success, n.opened.clone())
                }
                Err(e) => m.notice(NoticeKind::Warning, fill(&n.open_failed, &[("reason", &e)])),
            }
            Vec::new()
        }
        Msg::Revoked(result) => match result {
            Ok(()) => {
                m.rotation.revoke = RevokeState::Confirming;
                m.saved_credentials().map(Effect::ConfirmRevoked).into_iter().collect()
            }
            // Trello already refuses it: nothing was left to revoke.
            Err(TrelloError::InvalidToken | TrelloError::ExpiredToken) => {
                m.rotation.revoke = RevokeState::Confirmed;
                Vec::new()
            }
            Err(e) => {
                m.rotation.revoke = RevokeState::Failed(e);
                Vec::new()
            }
        },
        Msg::RevokeChecked(result) => {
            let r = &texts().rotate;
            m.rotation.revoke = match result {
                // Refused as unknown: the revocation took.
                Err(TrelloError::InvalidToken) => RevokeState::Confirmed,
                Ok(_) => RevokeState::Unconfirmed(r.still_accepted.clone()),
                Err(e) => RevokeState::Unconfirmed(fill(&r.check_failed, &[("error", &e.to_string())])),
            };
            Vec::new()
        }
        Msg::CaptureStarted(result) => {
            if m.wants_capture() {
                m.capture.state = match result {
                    Ok((return_url, port)) => CaptureState::Waiting { return_url, port },
                    Err(e) => CaptureState::Failed(e.to_string()),
                };
            }
            Vec::new()
        }
        Msg::CaptureStopped => {
            if m.wants_capture() {
                m.capture.state = CaptureState::Failed(texts().capture.stopped.clone());
            }
            Vec::new()
        }
        Msg::TokenCaptured(token) => on_captured(m, token),
        Msg::CaptureTakeover => {
            on_takeover(m);
            Vec::new()
        }
        Msg::Answer { target, text } => on_answer(m, target, &text),
        Msg::Focus(target) => {
            if let Some(index) = screen::targets(m).iter().position(|t| *t == target) {
                m.focus = index;
            }
            Vec::new()
        }
        Msg::BoardsLoaded(result) => {
            m.boards.list = match result {
                Ok((boards, workspaces)) => BoardList::Loaded { boards, workspaces },
                Err(e) => BoardList::Failed(e),
            };
            // The picker opens on the board chosen now: Enter keeps it.
            m.boards.choice = m.current_board_row();
            Vec::new()
        }
        Msg::BoardSaved(result) => {
            let b = &texts().boards;
            match result {
                Ok(Some(board)) => {
                    let name = crate::untrusted::line(&board.name).into_owned();
                    m.notice(NoticeKind::Success, fill(&b.chosen, &[("name", &name)]));
                    m.boards.saved = Some(Some(board));
                }
                Ok(None) => {
                    m.notice(NoticeKind::Success, b.cleared.clone());
                    m.boards.saved = Some(None);
                }
                Err(e) => m.notice(NoticeKind::Warning, e),
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
                    // Suggested commands name the profile chosen here: a bare one would pick another.
                    setup.run = crate::commands::invocation(setup.named_config.as_deref(), Some(&setup.profile));
                    *m = Model::start_screen(setup, m.ui.now, *profile);
                }
                Err(e) => m.notice(NoticeKind::Warning, e),
            }
            Vec::new()
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
    m.ui.overlay = Overlay::None;
    m.ui.help = false;
    m.capture.state = CaptureState::Received;
    if screen::is_old_token(m, &token) {
        // The token being replaced came back: whoever sent it, it is not saved,
        // and the listener (which takes one token) is not trusted further.
        m.capture.pasting = true;
        m.capture.state = CaptureState::Failed(texts().capture.old_token.clone());
        m.notice(NoticeKind::Warning, texts().notices.old_token.clone());
        return Vec::new();
    }
    m.form.token = Input::new(token);
    m.capture.from_listener = true;
    if let Some(index) = screen::targets(m).iter().position(|t| *t == Target::Token) {
        m.focus = index;
    }
    if m.form.scopes.is_empty() || !m.form.token_verdict().is_savable() {
        let verdict = m.form.token_verdict().message();
        m.notice(NoticeKind::Warning, fill(&texts().notices.token, &[("verdict", &verdict)]));
        return Vec::new();
    }
    screen::start_verify(m)
}

/// Someone else opened the start URL: whatever the listener caught is not
/// trusted (dropped, unsaved), catching stops, and the user pastes instead.
fn on_takeover(m: &mut Model) {
    if m.capture.from_listener {
        m.form.token = Input::default();
        m.capture.from_listener = false;
        if m.step == Step::Verify && !matches!(m.verify, VerifyState::Saving(_) | VerifyState::Saved(..)) {
            m.verify_generation += 1;
            m.verify = VerifyState::Idle;
            screen::goto(m, Step::Token, Some(Target::Token));
        }
    }
    m.capture.pasting = true;
    m.capture.state = CaptureState::Failed(texts().capture.takeover.clone());
    m.notice(NoticeKind::Warning, texts().notices.takeover.clone());
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
