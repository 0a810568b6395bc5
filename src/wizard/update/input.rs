//! Keys and pastes: focus, text editing, selectors, and the question screens.

use super::*;

pub(super) fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
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
pub(super) fn on_screen_key(m: &mut Model, code: KeyCode) -> Option<Vec<Effect>> {
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
pub(super) fn choose_start(m: &mut Model, choice: char) -> Vec<Effect> {
    match choice {
        'v' => {
            let Some(credentials) = old_credentials(m) else {
                notice(m, NoticeKind::Warning, "No usable token is saved: set up again or rotate.".into());
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

/// ←/→/Space on a selector: change the expiration or toggle a scope.
pub(super) fn choose(m: &mut Model, code: KeyCode) {
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

pub(super) fn open(m: &mut Model) -> Vec<Effect> {
    let Some(url) = url_here(m) else { return Vec::new() };
    if let Some(reason) = &m.setup.no_browser_reason {
        let text = format!("No browser is opened because {reason}: copy the URL from the screen (Ctrl+T).");
        notice(m, NoticeKind::Info, text);
        return Vec::new();
    }
    notice(m, NoticeKind::Info, "Opening your browser…".into());
    vec![Effect::OpenUrl(url)]
}

pub(super) fn copy(m: &mut Model) -> Vec<Effect> {
    match copy_here(m) {
        Some((what, text)) => vec![Effect::Copy { what, text }],
        None => {
            notice(m, NoticeKind::Info, "Nothing to copy here.".into());
            Vec::new()
        }
    }
}
