//! Keys and pastes: each key event becomes an [`Action`] through the keymap, then acts here.

use super::*;
use crate::credentials::store::Storage;
use crate::wizard::keymap::{Action, action_for, key_name};

pub(super) fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if !matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) {
        return Vec::new();
    }
    if m.overlay == Overlay::None {
        m.notice = None;
    }
    match action_for(m, &key) {
        Some(action) => perform(m, action),
        // Typing in the board picker filters it.
        None if m.overlay == Overlay::Boards => {
            m.board_filter.handle_event(&Event::Key(key));
            m.board_choice = 0;
            Vec::new()
        }
        // Unbound keys type into the focused field; elsewhere they do nothing.
        None => match m.focused_text().filter(|_| m.overlay == Overlay::None) {
            Some(target) => edit(m, target, key),
            None => Vec::new(),
        },
    }
}

/// Does what an action means on the current screen. The keymap decides which
/// actions a screen offers; this decides what they do.
pub(super) fn perform(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::QuitNow => m.exit = Some(exit_kind(m)),
        Action::Quit => request_quit(m),
        Action::Help => m.overlay = Overlay::Help,
        Action::CloseHelp | Action::StayHere => m.overlay = Overlay::None,
        Action::ConfirmQuit => m.exit = Some(Exit::Aborted),
        Action::Next => return advance(m),
        Action::Back => return back(m),
        Action::FocusNext => move_focus(m, 1),
        Action::FocusPrev => move_focus(m, -1),
        Action::Open => return open(m),
        Action::Copy => return copy(m),
        Action::Reveal => m.reveal = !m.reveal,
        Action::Retry => return retry(m),
        Action::OptionPrev => choose(m, false),
        Action::OptionNext => choose(m, true),
        Action::SwitchCapture => switch_capture(m),
        Action::StartUp => m.choice = (m.choice + START_CHOICES.len() - 1) % START_CHOICES.len(),
        Action::StartDown => m.choice = (m.choice + 1) % START_CHOICES.len(),
        Action::StartChoose => return choose_start(m, START_CHOICES[m.choice % START_CHOICES.len()]),
        Action::StartVerify => return choose_start(m, StartChoice::Verify),
        Action::StartRotate => return choose_start(m, StartChoice::Rotate),
        Action::StartSetup => return choose_start(m, StartChoice::Setup),
        Action::StartLeave => return choose_start(m, StartChoice::Leave),
        Action::SaveOtherMember => {
            if let VerifyState::OtherMember(v) = &m.verify {
                let verified = v.clone();
                return save(m, verified);
            }
        }
        Action::RefuseOtherMember => {
            m.verify = VerifyState::Idle;
            goto(m, Step::Token, Some(Target::Token));
            notice(m, NoticeKind::Info, texts().notices.other_member_refused.clone());
        }
        Action::SaveToFile | Action::SaveToKeyring => {
            let verified = match &m.verify {
                VerifyState::ChooseStorage(v) | VerifyState::SaveFailed(v, _) => v.clone(),
                _ => return Vec::new(),
            };
            m.storage = if action == Action::SaveToKeyring { Storage::Keyring } else { Storage::File };
            return save(m, verified);
        }
        Action::ChooseBoard => {
            m.overlay = Overlay::Boards;
            m.board_filter = Input::default();
            m.board_choice = 0;
            // Asked once per run; a failure may be retried by opening again.
            if matches!(m.boards, BoardList::NotAsked | BoardList::Failed(_))
                && let Some(credentials) = m.working_credentials()
            {
                m.boards = BoardList::Loading;
                return vec![Effect::LoadBoards(credentials)];
            }
        }
        Action::BoardUp => m.board_choice = m.board_choice.saturating_sub(1),
        Action::BoardDown => m.board_choice = (m.board_choice + 1).min(m.board_rows().len().saturating_sub(1)),
        Action::BoardPick => {
            let Some(row) = m.board_rows().into_iter().nth(m.board_choice) else { return Vec::new() };
            m.overlay = Overlay::None;
            return vec![Effect::SaveBoard { profile_name: m.setup.profile.clone(), board: row.board }];
        }
        Action::CloseBoards => m.overlay = Overlay::None,
        Action::RevokeOld => {
            m.revoke = RevokeState::Revoking;
            return old_credentials(m).map(Effect::Revoke).into_iter().collect();
        }
        Action::KeepOld => m.revoke = RevokeState::Declined,
    }
    Vec::new()
}

/// Acts on a start-screen choice.
pub(super) fn choose_start(m: &mut Model, choice: StartChoice) -> Vec<Effect> {
    match choice {
        StartChoice::Verify => {
            let Some(credentials) = old_credentials(m) else {
                notice(m, NoticeKind::Warning, texts().notices.no_usable_token.clone());
                return Vec::new();
            };
            m.verify_generation += 1;
            m.start_check = StartCheck::Checking;
            vec![Effect::Verify { generation: m.verify_generation, credentials }]
        }
        StartChoice::Rotate => {
            if let Some(profile) = m.saved.clone() {
                *m = Model::rotate(m.setup.clone(), m.now, profile);
            }
            Vec::new()
        }
        StartChoice::Setup => {
            let saved = m.saved.take();
            *m = Model::new(m.setup.clone(), m.now);
            m.saved = saved;
            Vec::new()
        }
        StartChoice::Leave => {
            m.exit = Some(Exit::Left);
            Vec::new()
        }
    }
}

pub(super) fn request_quit(m: &mut Model) {
    if m.step == Step::Done || !m.has_input() {
        m.exit = Some(exit_kind(m));
    } else {
        m.overlay = Overlay::ConfirmQuit;
    }
}

pub(super) fn move_focus(m: &mut Model, by: isize) {
    let count = m.step.targets().len() as isize;
    if count > 0 {
        m.focus = (m.focus as isize + by).rem_euclid(count) as usize;
    }
}

/// A selector moves: the expiration steps back or forward, a scope toggles.
pub(super) fn choose(m: &mut Model, forward: bool) {
    match m.focused() {
        Some(Target::Expiration) => {
            let all = Expiration::ALL;
            let at = all.iter().position(|e| *e == m.expiration).unwrap_or(0) as isize;
            let by = if forward { 1 } else { -1 };
            m.expiration = all[(at + by).rem_euclid(all.len() as isize) as usize];
        }
        Some(Target::Read) => m.scopes.read = !m.scopes.read,
        Some(Target::Write) => m.scopes.write = !m.scopes.write,
        Some(Target::Account) => m.scopes.account = !m.scopes.account,
        _ => {}
    }
}

/// Step 4: between catching the token (the URL carries `return_url` and a
/// listener waits) and pasting it (no `return_url`: Trello shows the token).
/// The way out when Trello answers "Invalid return_url".
pub(super) fn switch_capture(m: &mut Model) {
    let n = &texts().notices;
    if let Some(reason) = &m.setup.capture_off {
        let text = fill(&n.capture_off, &[("reason", reason)]);
        notice(m, NoticeKind::Info, text);
        return;
    }
    m.pasting = !m.pasting;
    // A fresh listener (and nonce) when catching again; none while pasting.
    m.capture = CaptureState::Idle;
    let text = if m.pasting { n.pasting.clone() } else { n.catching.clone() };
    notice(m, NoticeKind::Info, text);
}

pub(super) fn edit(m: &mut Model, target: Target, key: KeyEvent) -> Vec<Effect> {
    if let Some(input) = m.input_mut(target) {
        input.handle_event(&Event::Key(key));
    }
    after_edit(m, target)
}

/// Keeps what depends on a field in step with it: the background key check.
pub(super) fn after_edit(m: &mut Model, target: Target) -> Vec<Effect> {
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

pub(super) fn on_paste(m: &mut Model, text: &str) -> Vec<Effect> {
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
        notice(m, NoticeKind::Info, texts().notices.nothing_to_paste.clone());
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

/// A whole answer for `target` (the plain front end's line).
pub(super) fn on_answer(m: &mut Model, target: Target, text: &str) -> Vec<Effect> {
    let Some(index) = m.step.targets().iter().position(|t| *t == target) else { return Vec::new() };
    m.focus = index;
    m.notice = None;
    match target {
        Target::Expiration => match text.trim().parse::<Expiration>() {
            Ok(expiration) => m.expiration = expiration,
            Err(e) => notice(m, NoticeKind::Warning, e.to_string()),
        },
        Target::Read | Target::Write | Target::Account => match text.parse::<crate::trello::Scopes>() {
            Ok(scopes) => m.scopes = scopes,
            Err(e) => notice(m, NoticeKind::Warning, e.to_string()),
        },
        Target::Workspace | Target::Support | Target::Iframe => {}
        Target::Key | Target::Secret | Target::Token => return on_paste(m, text),
        Target::AppName | Target::Email | Target::Author => {
            if let Some(input) = m.input_mut(target) {
                *input = Input::new(text.trim().to_string());
            }
        }
    }
    Vec::new()
}

pub(super) fn open(m: &mut Model) -> Vec<Effect> {
    let Some(url) = url_here(m) else { return Vec::new() };
    let n = &texts().notices;
    if let Some(reason) = &m.setup.no_browser_reason {
        let key = key_name(m, Action::Copy).unwrap_or_default();
        let text = fill(&n.no_browser, &[("reason", reason), ("key", &key)]);
        notice(m, NoticeKind::Info, text);
        return Vec::new();
    }
    notice(m, NoticeKind::Info, n.opening.clone());
    vec![Effect::OpenUrl(url)]
}

pub(super) fn copy(m: &mut Model) -> Vec<Effect> {
    match copy_here(m) {
        Some((what, text)) => vec![Effect::Copy { what, text }],
        None => {
            notice(m, NoticeKind::Info, texts().notices.nothing_to_copy.clone());
            Vec::new()
        }
    }
}
