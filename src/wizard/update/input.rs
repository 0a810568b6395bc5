//! Keys and pastes: each key event becomes an [`Action`] through the keymap, then acts here.

use super::*;
use crate::credentials::store::Storage;
use crate::wizard::keymap::{Action, action_for, key_name, start_menu};

pub(super) fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if !matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) {
        return Vec::new();
    }
    if m.overlay == Overlay::None && !m.help {
        m.notice = None;
    }
    match action_for(m, &key) {
        Some(action) => perform(m, action),
        // Typing in the board picker filters it.
        None if m.overlay == Overlay::Boards => {
            m.board_filter.handle_event(&Event::Key(key));
            // The highlight follows the filter to its first match.
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
        Action::Help => m.help = true,
        Action::CloseHelp => m.help = false,
        Action::StayHere | Action::CloseUrl => m.overlay = Overlay::None,
        Action::ShowUrl => m.overlay = Overlay::Url,
        Action::NextProfile => {
            if let Some(next) = m.setup.other_profiles.first().cloned() {
                return vec![Effect::LoadProfile(next)];
            }
        }
        Action::ConfirmQuit => m.exit = Some(Exit::Aborted),
        Action::Next => return advance(m),
        Action::Back => return back(m),
        Action::FocusNext => move_focus(m, 1),
        Action::FocusPrev => move_focus(m, -1),
        Action::Open => return open(m),
        Action::Copy => return copy(m),
        Action::Reveal => m.reveal = !m.reveal,
        Action::ScrollDown => m.scroll += SCROLL_PAGE.min(crate::wizard::view::scroll_room(m).below) as isize,
        Action::ScrollUp => m.scroll -= SCROLL_PAGE.min(crate::wizard::view::scroll_room(m).above) as isize,
        Action::Retry => return retry(m),
        Action::OptionPrev => choose(m, false),
        Action::OptionNext => choose(m, true),
        Action::SwitchCapture => return switch_capture(m),
        Action::StartUp | Action::StartDown => {
            let count = start_menu(m).len().max(1);
            let by = if action == Action::StartUp { count - 1 } else { 1 };
            m.choice = (m.choice + by) % count;
        }
        Action::StartChoose => return choose_selected(m),
        Action::StartVerify | Action::StartRotate | Action::StartSetup | Action::StartLeave => {
            return choose_start(m, action);
        }
        Action::SaveOtherMember => {
            if let VerifyState::OtherMember(v) = &m.verify {
                let verified = v.clone();
                return save(m, verified);
            }
        }
        Action::ConfirmAccount => {
            if let VerifyState::ConfirmCaptured(v) = &m.verify {
                let verified = v.clone();
                return super::flow::store_or_ask(m, verified);
            }
        }
        Action::RefuseOtherMember | Action::RefuseAccount => {
            m.verify = VerifyState::Idle;
            goto(m, Step::Token, Some(Target::Token));
            // The other account's token goes: what is typed next is a new one.
            m.token = Input::default();
            let n = &texts().notices;
            if action == Action::RefuseAccount {
                // Someone else may hold the listener's nonce: no more catching, paste instead.
                m.token_from_listener = false;
                m.pasting = true;
                m.capture = CaptureState::Idle;
                notice(m, NoticeKind::Warning, n.account_refused.clone());
            } else {
                notice(m, NoticeKind::Info, n.other_member_refused.clone());
            }
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
            m.board_choice = m.current_board_row();
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
            let Some(old) = old_credentials(m) else { return Vec::new() };
            // A read-only token cannot revoke itself: the profile's parent (an agent's) may.
            let read_only = m.saved.as_ref().is_some_and(|p| !p.scopes().write);
            let with = m.revoke_with.clone().filter(|_| read_only).unwrap_or_else(|| old.clone());
            return vec![Effect::Revoke { with, token: old.token }];
        }
        Action::KeepOld => m.revoke = RevokeState::Declined,
    }
    Vec::new()
}

/// Acts on the start-screen menu's selected row.
pub(super) fn choose_selected(m: &mut Model) -> Vec<Effect> {
    let menu = start_menu(m);
    match menu.get(m.choice % menu.len().max(1)) {
        Some(binding) => perform(m, binding.action),
        None => Vec::new(),
    }
}

/// Acts on a start-screen choice.
pub(super) fn choose_start(m: &mut Model, choice: Action) -> Vec<Effect> {
    match choice {
        Action::StartVerify => {
            let Some(credentials) = old_credentials(m) else {
                notice(m, NoticeKind::Warning, texts().notices.no_usable_token.clone());
                return Vec::new();
            };
            m.verify_generation += 1;
            m.start_check = StartCheck::Checking;
            vec![Effect::Verify { generation: m.verify_generation, credentials }]
        }
        Action::StartRotate => {
            if let Some(profile) = m.saved.clone() {
                *m = Model::rotate(m.setup.clone(), m.now, profile);
            }
            Vec::new()
        }
        Action::StartSetup => {
            let saved = m.saved.take();
            *m = Model::new(m.setup.clone(), m.now);
            m.saved = saved;
            Vec::new()
        }
        Action::StartLeave => {
            m.exit = Some(Exit::Left);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub(super) fn request_quit(m: &mut Model) {
    if m.step == Step::Done || !m.has_input() {
        m.exit = Some(exit_kind(m));
    } else {
        m.overlay = Overlay::ConfirmQuit;
    }
}

/// Rows PgUp and PgDn move: enough to matter, little enough to keep one's place.
const SCROLL_PAGE: usize = 8;

pub(super) fn move_focus(m: &mut Model, by: isize) {
    // The body follows the focus again (see `view::form::render_rows`).
    m.scroll = 0;
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
pub(super) fn switch_capture(m: &mut Model) -> Vec<Effect> {
    let n = &texts().notices;
    if let Some(reason) = &m.setup.capture_off {
        let text = fill(&n.capture_off, &[("reason", reason)]);
        notice(m, NoticeKind::Info, text);
        return Vec::new();
    }
    m.pasting = !m.pasting;
    // A fresh listener (and nonce) when catching again; none while pasting.
    m.capture = CaptureState::Idle;
    if !m.pasting {
        let open_key = key_name(m, Action::Open).unwrap_or_default();
        notice(m, NoticeKind::Info, fill(&n.catching, &[("key", &open_key)]));
        return Vec::new();
    }
    // The URL without return_url replaces the old one where the user has it:
    // the clipboard, and the browser when one was opened before.
    let url = m.authorize_url();
    let mut effects = vec![Effect::Copy { what: &texts().what.authorize_url, text: url.clone(), quiet: true }];
    let opened = m.browser_opened && m.setup.no_browser_reason.is_none();
    if opened {
        effects.push(Effect::Reopen(url));
    }
    notice(m, NoticeKind::Info, if opened { n.pasting_opened.clone() } else { n.pasting.clone() });
    effects
}

pub(super) fn edit(m: &mut Model, target: Target, key: KeyEvent) -> Vec<Effect> {
    if target == Target::Token {
        m.token_from_listener = false;
    }
    change(m, target, |input| {
        input.handle_event(&Event::Key(key));
    })
}

/// Every change to a text field goes through here: the change, then what
/// depends on it. A key, token or secret typed or pasted into the name, email
/// or author is a slip (those rows are shown, copied into Trello's form, and
/// the name goes into the authorize URL): the change is undone, nothing of it
/// echoed, and the user told.
fn change(m: &mut Model, target: Target, apply: impl FnOnce(&mut Input)) -> Vec<Effect> {
    // Typing shows the field typed in.
    m.scroll = 0;
    let Some(input) = m.input_mut(target) else { return Vec::new() };
    let before = input.clone();
    apply(input);
    let slip = matches!(target, Target::AppName | Target::Email | Target::Author)
        && crate::credentials::secret::holds_credential_start(input.value());
    if slip {
        *input = before;
        let label = crate::wizard::screen::field_label(target);
        notice(m, NoticeKind::Warning, fill(&texts().notices.credential_in_field, &[("field", &label)]));
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
    if m.overlay != Overlay::None || m.help {
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
    if target == Target::Token {
        m.token_from_listener = false;
    }
    if let Some(index) = m.step.targets().iter().position(|t| *t == target) {
        m.focus = index;
    }
    change(m, target, |input| match cleaned {
        // A credential is one value: a paste replaces what was there.
        Some(value) => *input = Input::new(value),
        None => {
            let line = text.replace(['\r', '\n'], " ");
            for c in line.trim().chars() {
                input.handle(InputRequest::InsertChar(c));
            }
        }
    })
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
            return change(m, target, |input| *input = Input::new(text.trim().to_string()));
        }
    }
    Vec::new()
}

pub(super) fn open(m: &mut Model) -> Vec<Effect> {
    let Some(mut url) = url_here(m) else { return Vec::new() };
    let n = &texts().notices;
    if let Some(reason) = &m.setup.no_browser_reason {
        let key = key_name(m, Action::Copy).unwrap_or_default();
        let text = fill(&n.no_browser, &[("reason", reason), ("key", &key)]);
        notice(m, NoticeKind::Info, text);
        return Vec::new();
    }
    if m.step == Step::Token && matches!(m.capture, CaptureState::Waiting { .. }) && !m.pasting {
        // The browser gets a one-shot start URL, never the return URL: a
        // launcher's command line is readable by every local user.
        m.start_opened += 1;
        url = crate::capture::start_url(m.capture_port(), m.start_opened);
    }
    notice(m, NoticeKind::Info, n.opening.clone());
    vec![Effect::OpenUrl(url)]
}

pub(super) fn copy(m: &mut Model) -> Vec<Effect> {
    match copy_here(m) {
        Some((what, text)) => vec![Effect::Copy { what, text, quiet: false }],
        None => {
            notice(m, NoticeKind::Info, texts().notices.nothing_to_copy.clone());
            Vec::new()
        }
    }
}
