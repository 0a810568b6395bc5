//! Keys, pastes and answers: each key event becomes an [`Action`] through the keymap, then acts here; Enter and Esc ask the screen.

use crossterm::event::{Event, KeyEvent, KeyEventKind};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use super::exit_kind;
use crate::credentials::format::{extract_key, extract_secret, extract_token};
use crate::credentials::store::Storage;
use crate::trello::Expiration;
use crate::wizard::keymap::{action_for, key_name};
use crate::wizard::keys::Action;
use crate::wizard::model::{
    BoardList, CaptureState, Exit, KeyStatus, Model, NoticeKind, Overlay, RevokeState, StartCheck, Step, Target,
    VerifyState,
};
use crate::wizard::msg::Effect;
use crate::wizard::screen::{self, Go, focused, focused_text, goto, page};
use crate::wizard::text::{fill, texts};

pub(super) fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if !matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) {
        return Vec::new();
    }
    if m.ui.overlay == Overlay::None && !m.ui.help {
        m.ui.notice = None;
    }
    match action_for(m, &key) {
        Some(action) => perform(m, action),
        // Typing in the board picker filters it.
        None if m.ui.overlay == Overlay::Boards => {
            m.boards.filter.handle_event(&Event::Key(key));
            // The highlight follows the filter to its first match.
            m.boards.choice = 0;
            Vec::new()
        }
        // Unbound keys type into the focused field; elsewhere they do nothing.
        None => match focused_text(m).filter(|_| m.ui.overlay == Overlay::None) {
            Some(target) => edit(m, target, key),
            None => Vec::new(),
        },
    }
}

/// Does what an action means on the current screen. The screen (and the
/// keymap) decide which actions are offered; this decides what they do, and
/// the screen what Enter and Esc do there.
pub(super) fn perform(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::QuitNow => m.exit = Some(exit_kind(m)),
        Action::Quit => request_quit(m),
        Action::Help => m.ui.help = true,
        Action::CloseHelp => m.ui.help = false,
        Action::StayHere | Action::CloseUrl => m.ui.overlay = Overlay::None,
        Action::ShowUrl => m.ui.overlay = Overlay::Url,
        Action::NextProfile => {
            if let Some(next) = m.setup.other_profiles.first().cloned() {
                return vec![Effect::LoadProfile(next)];
            }
        }
        Action::ConfirmQuit => m.exit = Some(Exit::Aborted),
        Action::Next | Action::StartChoose | Action::Retry => {
            return match page(m.step).next(m) {
                Go::Effects(effects) => effects,
                Go::Perform(action) => perform(m, action),
            };
        }
        Action::Back => return page(m.step).back(m),
        Action::FocusNext => move_focus(m, 1),
        Action::FocusPrev => move_focus(m, -1),
        Action::Open => return open(m),
        Action::Copy => return copy(m),
        Action::Reveal => m.form.reveal = !m.form.reveal,
        Action::ClearField => {
            if let Some(target) = screen::focused_text(m) {
                return change(m, target, |input| *input = Input::default());
            }
        }
        Action::ScrollDown => m.ui.scroll += SCROLL_PAGE.min(m.ui.room.below) as isize,
        Action::ScrollUp => m.ui.scroll -= SCROLL_PAGE.min(m.ui.room.above) as isize,
        Action::OptionPrev => choose(m, false),
        Action::OptionNext => choose(m, true),
        Action::SwitchCapture => return switch_capture(m),
        Action::StartUp | Action::StartDown => {
            let count = screen::start_menu(m).len().max(1);
            let by = if action == Action::StartUp { count - 1 } else { 1 };
            m.ui.choice = (m.ui.choice + by) % count;
        }
        Action::StartVerify | Action::StartRotate | Action::StartSetup | Action::StartLeave => {
            return choose_start(m, action);
        }
        Action::SaveOtherMember => {
            if let VerifyState::OtherMember(v) = &m.verify {
                let verified = v.clone();
                return screen::save(m, verified);
            }
        }
        Action::ConfirmAccount => {
            if let VerifyState::ConfirmCaptured(v) = &m.verify {
                let verified = v.clone();
                return screen::store_or_ask(m, verified);
            }
        }
        Action::RefuseOtherMember | Action::RefuseAccount => {
            m.verify = VerifyState::Idle;
            goto(m, Step::Token, Some(Target::Token));
            // The other account's token goes: what is typed next is a new one.
            m.form.token = Input::default();
            let n = &texts().notices;
            if action == Action::RefuseAccount {
                // Someone else may hold the listener's nonce: no more catching, paste instead.
                m.capture.from_listener = false;
                m.capture.pasting = true;
                m.capture.state = CaptureState::Idle;
                m.notice(NoticeKind::Warning, n.account_refused.clone());
            } else {
                m.notice(NoticeKind::Info, n.other_member_refused.clone());
            }
        }
        Action::SaveToFile | Action::SaveToKeyring => {
            let verified = match &m.verify {
                VerifyState::ChooseStorage(v) | VerifyState::SaveFailed(v, ..) => v.clone(),
                _ => return Vec::new(),
            };
            m.storage = if action == Action::SaveToKeyring { Storage::Keyring } else { Storage::File };
            return screen::save(m, verified);
        }
        Action::ChooseBoard => {
            m.ui.overlay = Overlay::Boards;
            m.boards.filter = Input::default();
            m.boards.choice = m.current_board_row();
            // Asked once per run; a failure may be retried by opening again.
            if matches!(m.boards.list, BoardList::NotAsked | BoardList::Failed(_))
                && let Some(credentials) = m.working_credentials()
            {
                m.boards.list = BoardList::Loading;
                return vec![Effect::LoadBoards(credentials)];
            }
        }
        Action::BoardUp => m.boards.choice = m.boards.choice.saturating_sub(1),
        Action::BoardDown => m.boards.choice = (m.boards.choice + 1).min(m.boards.rows().len().saturating_sub(1)),
        Action::BoardPick => {
            let Some(row) = m.boards.rows().into_iter().nth(m.boards.choice) else { return Vec::new() };
            m.ui.overlay = Overlay::None;
            return vec![Effect::SaveBoard { profile_name: m.setup.profile.clone(), board: row.board }];
        }
        Action::CloseBoards => m.ui.overlay = Overlay::None,
        Action::RevokeOld => {
            m.rotation.revoke = RevokeState::Revoking;
            let Some(old) = m.saved_credentials() else { return Vec::new() };
            // A read-only token cannot revoke itself: the profile's parent (an agent's) may.
            let read_only = m.saved.as_ref().is_some_and(|p| !p.scopes().write);
            let with = m.rotation.revoke_with.clone().filter(|_| read_only).unwrap_or_else(|| old.clone());
            return vec![Effect::Revoke { with, token: old.token().clone() }];
        }
        Action::KeepOld => m.rotation.revoke = RevokeState::Declined,
        Action::Reauthorize => reauthorize(m),
    }
    Vec::new()
}

/// Done with fewer scopes than asked for: the token just saved is the one a
/// new authorization replaces, as a rotation does (and offers to revoke).
fn reauthorize(m: &mut Model) {
    let VerifyState::Saved(v, _) = &m.verify else { return };
    let new = screen::saved_profile(m, v);
    let scopes = m.form.scopes;
    let mut rotation = Model::rotate(m.setup.clone(), m.ui.now, new);
    rotation.form.scopes = scopes;
    *m = rotation;
}

/// Acts on a start-screen choice.
fn choose_start(m: &mut Model, choice: Action) -> Vec<Effect> {
    match choice {
        Action::StartVerify => {
            let Some(credentials) = m.saved_credentials() else {
                m.notice(NoticeKind::Warning, texts().notices.no_usable_token.clone());
                return Vec::new();
            };
            m.verify_generation += 1;
            m.start_check = StartCheck::Checking;
            vec![Effect::Verify { generation: m.verify_generation, credentials }]
        }
        Action::StartRotate => {
            if let Some(profile) = m.saved.clone() {
                // What the check found about the token being replaced goes along: a refused one is not offered for revoking.
                // A check still running is dropped: its answer is for the start screen alone.
                let checked = match std::mem::replace(&mut m.start_check, StartCheck::Idle) {
                    StartCheck::Checking => StartCheck::Idle,
                    done => done,
                };
                *m = Model::rotate(m.setup.clone(), m.ui.now, profile);
                m.start_check = checked;
            }
            Vec::new()
        }
        Action::StartSetup => {
            let saved = m.saved.take();
            let mut fresh = Model::new(m.setup.clone(), m.ui.now);
            // A second setup of a profile starts from the key it has.
            if let Some(profile) = &saved {
                fresh.form.key = Input::new(profile.api_key.clone());
            }
            fresh.saved = saved;
            *m = fresh;
            Vec::new()
        }
        Action::StartLeave => {
            m.exit = Some(Exit::Left);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn request_quit(m: &mut Model) {
    if m.step == Step::Done || !m.has_input() {
        m.exit = Some(exit_kind(m));
    } else {
        m.ui.overlay = Overlay::ConfirmQuit;
    }
}

/// Rows PgUp and PgDn move: enough to matter, little enough to keep one's place.
const SCROLL_PAGE: usize = 8;

fn move_focus(m: &mut Model, by: isize) {
    // The body follows the focus again (see `view::form::render_rows`).
    m.ui.scroll = 0;
    let count = screen::targets(m).len() as isize;
    if count > 0 {
        m.focus = (m.focus as isize + by).rem_euclid(count) as usize;
    }
}

/// A selector moves: the expiration steps back or forward, a scope toggles.
fn choose(m: &mut Model, forward: bool) {
    match focused(m) {
        Some(Target::Expiration) => {
            let all = Expiration::ALL;
            let at = all.iter().position(|e| *e == m.form.expiration).unwrap_or(0) as isize;
            let by = if forward { 1 } else { -1 };
            m.form.expiration = all[(at + by).rem_euclid(all.len() as isize) as usize];
        }
        Some(Target::Read) => m.form.scopes.read = !m.form.scopes.read,
        Some(Target::Write) => m.form.scopes.write = !m.form.scopes.write,
        Some(Target::Account) => m.form.scopes.account = !m.form.scopes.account,
        _ => {}
    }
}

/// Step 4: between catching the token (the URL carries `return_url` and a
/// listener waits) and pasting it (no `return_url`: Trello shows the token).
/// The way out when Trello answers "Invalid return_url". The screen's line
/// on how the token comes back says which is on; the copy's outcome is said
/// by itself.
fn switch_capture(m: &mut Model) -> Vec<Effect> {
    let n = &texts().notices;
    if let Some(reason) = &m.setup.capture_off {
        let text = fill(&n.capture_off, &[("reason", reason)]);
        m.notice(NoticeKind::Info, text);
        return Vec::new();
    }
    m.capture.pasting = !m.capture.pasting;
    // A fresh listener (and nonce) when catching again; none while pasting.
    m.capture.state = CaptureState::Idle;
    if !m.capture.pasting {
        let open_key = key_name(m, Action::Open).unwrap_or_default();
        m.notice(NoticeKind::Info, fill(&n.catching, &[("key", &open_key)]));
        return Vec::new();
    }
    // The URL without return_url replaces the old one where the user has it:
    // the clipboard, and the browser when one was opened before.
    // Plain mode says the new URL as a line of its own and has no clipboard to fill.
    let url = m.authorize_url();
    let mut effects = Vec::new();
    if !m.setup.plain {
        effects.push(Effect::Copy { what: &texts().what.authorize_url, text: url.clone(), quiet: false });
    }
    if m.capture.browser_opened && m.setup.no_browser_reason.is_none() {
        effects.push(Effect::Reopen(url));
    }
    effects
}

fn edit(m: &mut Model, target: Target, key: KeyEvent) -> Vec<Effect> {
    if target == Target::Token {
        m.capture.from_listener = false;
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
    m.ui.scroll = 0;
    let Some(input) = m.form.input_mut(target) else { return Vec::new() };
    let before = input.clone();
    apply(input);
    let slip = matches!(target, Target::AppName | Target::Email | Target::Author)
        && crate::credentials::secret::holds_credential_start(input.value());
    // Typed as a paste is cleaned: a credential holds no space (one typed
    // after a token would be refused behind its mask), and Trello's keys and
    // secrets are lowercase hex, which it refuses in capitals.
    let mut lowered = false;
    if matches!(target, Target::Key | Target::Secret | Target::Token) {
        let mut value: String = input.value().chars().filter(|c| !c.is_whitespace()).collect();
        if target != Target::Token
            && let Some(lower) = crate::credentials::format::lowercase_hex(&value)
        {
            value = lower;
            lowered = true;
        }
        if value != input.value() {
            *input = Input::new(value);
        }
    }
    if slip {
        *input = before;
        let label = screen::field_label(target);
        m.notice(NoticeKind::Warning, fill(&texts().notices.credential_in_field, &[("field", &label)]));
    }
    if lowered {
        let label = screen::field_label(target);
        m.notice(NoticeKind::Info, fill(&texts().notices.lowercased, &[("field", &label)]));
    }
    after_edit(m, target)
}

/// Keeps what depends on a field in step with it: the background key check.
fn after_edit(m: &mut Model, target: Target) -> Vec<Effect> {
    if target != Target::Key || m.form.key_checked() {
        return Vec::new();
    }
    if m.form.key_verdict().is_valid() {
        let key = m.form.key().to_string();
        m.form.key_status = KeyStatus::Checking(key.clone());
        vec![Effect::CheckKey(key)]
    } else {
        m.form.key_status = KeyStatus::NotChecked;
        Vec::new()
    }
}

pub(super) fn on_paste(m: &mut Model, text: &str) -> Vec<Effect> {
    if m.ui.overlay != Overlay::None || m.ui.help {
        return Vec::new();
    }
    m.ui.notice = None;
    let Some(target) = page(m.step).paste_target(m) else {
        m.notice(NoticeKind::Info, texts().notices.nothing_to_paste.clone());
        return Vec::new();
    };
    put(m, target, text)
}

/// A whole value for `target`, pasted or answered: the focus goes there, and
/// a credential is cleaned up (a URL, quotes, spaces, a key in capitals) and
/// replaces what was there.
fn put(m: &mut Model, target: Target, text: &str) -> Vec<Effect> {
    let cleaned = match target {
        Target::Key => Some(extract_key(text)),
        Target::Secret => Some(extract_secret(text)),
        Target::Token => Some(extract_token(text)),
        _ => None,
    };
    if target == Target::Token {
        m.capture.from_listener = false;
    }
    if let Some(index) = screen::targets(m).iter().position(|t| *t == target) {
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
    let Some(index) = screen::targets(m).iter().position(|t| *t == target) else { return Vec::new() };
    m.focus = index;
    m.ui.notice = None;
    match target {
        Target::Expiration => match text.trim().parse::<Expiration>() {
            Ok(expiration) => m.form.expiration = expiration,
            Err(e) => m.notice(NoticeKind::Warning, e.to_string()),
        },
        Target::Read | Target::Write | Target::Account => match scopes_answer(text).parse::<crate::trello::Scopes>() {
            Ok(scopes) => m.form.scopes = scopes,
            Err(e) => m.notice(NoticeKind::Warning, e.to_string()),
        },
        Target::Workspace | Target::Support | Target::Iframe => {}
        Target::Key | Target::Secret | Target::Token => return put(m, target, text),
        Target::AppName | Target::Email | Target::Author => {
            return change(m, target, |input| *input = Input::new(text.trim().to_string()));
        }
    }
    Vec::new()
}

/// Scopes as words or by their numbers on the screen (1 read, 2 write, 3 account).
fn scopes_answer(text: &str) -> String {
    let names: Vec<&str> = text
        .split(',')
        .map(|w| match w.trim() {
            "1" => "read",
            "2" => "write",
            "3" => "account",
            other => other,
        })
        .collect();
    names.join(",")
}

fn open(m: &mut Model) -> Vec<Effect> {
    let Some(mut url) = page(m.step).url(m) else { return Vec::new() };
    let n = &texts().notices;
    if let Some(reason) = &m.setup.no_browser_reason {
        let key = key_name(m, Action::Copy).unwrap_or_default();
        let text = fill(&n.no_browser, &[("reason", reason), ("key", &key)]);
        m.notice(NoticeKind::Info, text);
        return Vec::new();
    }
    if let Some(port) = m.capture.port().filter(|_| m.step == Step::Token && !m.capture.pasting) {
        // The browser gets a one-shot start URL, never the return URL: a
        // launcher's command line is readable by every local user.
        m.capture.start_opened += 1;
        url = crate::capture::start_url(port, m.capture.start_opened);
    }
    m.notice(NoticeKind::Info, n.opening.clone());
    vec![Effect::OpenUrl(url)]
}

fn copy(m: &mut Model) -> Vec<Effect> {
    match page(m.step).copy(m) {
        Some((what, text)) => vec![Effect::Copy { what, text, quiet: false }],
        None => {
            m.notice(NoticeKind::Info, texts().notices.nothing_to_copy.clone());
            Vec::new()
        }
    }
}
