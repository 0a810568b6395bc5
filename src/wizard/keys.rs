//! What a key can do: the actions, the keys, and a binding of keys to an action with its words; what every screen's keymap is made of.
//!
//! A screen lists its own bindings (`screen`); the keymap adds the overlays
//! and the keys every screen shares. Words that name a key ("press Ctrl+T")
//! are read off a screen's bindings here, so a key is never named that does
//! something else.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::text::texts;

/// Everything a key can ask the wizard to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Ctrl+C: leave at once, writing nothing.
    QuitNow,
    /// `q`: leave, asking first when something was typed.
    Quit,
    Help,
    CloseHelp,
    /// Yes in the quit question.
    ConfirmQuit,
    /// No in the quit question.
    StayHere,
    Next,
    Back,
    FocusNext,
    FocusPrev,
    Open,
    Copy,
    Reveal,
    /// Empties the focused text field.
    ClearField,
    /// Step 5: go where the failure is fixed, or try again.
    Retry,
    /// Left on a selector: the previous expiration, or toggle a scope.
    OptionPrev,
    /// Right or Space on a selector: the next expiration, or toggle a scope.
    OptionNext,
    /// Step 4: catch the token from the browser, or paste the one Trello shows.
    SwitchCapture,
    StartUp,
    StartDown,
    StartChoose,
    StartVerify,
    StartRotate,
    StartSetup,
    StartLeave,
    /// Start screen: show the next saved profile.
    NextProfile,
    /// Step 4: show the authorize URL alone, without borders, to select it.
    ShowUrl,
    CloseUrl,
    /// A token caught by the listener: it is my account, save it.
    ConfirmAccount,
    /// A token caught by the listener: not my account.
    RefuseAccount,
    /// Rotating to another member's token: save it anyway.
    SaveOtherMember,
    RefuseOtherMember,
    RevokeOld,
    KeepOld,
    /// Done, with fewer scopes than asked for: a new token on step 4.
    Reauthorize,
    /// Step 5: save the token and secret in the config file.
    SaveToFile,
    /// Step 5: save them in the system keyring.
    SaveToKeyring,
    /// Done and start screens: open the default-board picker.
    ChooseBoard,
    BoardUp,
    BoardDown,
    /// Save the selected row (a board, or none) as the default board.
    BoardPick,
    CloseBoards,
    /// PgUp / PgDn: the body is taller than the terminal.
    ScrollUp,
    ScrollDown,
}

/// One key: a code and whether Ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

pub const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

pub(crate) const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

pub const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

pub const ENTER: Key = key(KeyCode::Enter);
pub const ESC: Key = key(KeyCode::Esc);
pub const TAB: Key = key(KeyCode::Tab);
pub(crate) const BACKTAB: Key = key(KeyCode::BackTab);
pub(crate) const UP: Key = key(KeyCode::Up);
pub(crate) const DOWN: Key = key(KeyCode::Down);
pub(crate) const LEFT: Key = key(KeyCode::Left);
pub(crate) const RIGHT: Key = key(KeyCode::Right);
pub(crate) const SPACE: Key = ch(' ');
pub const F1: Key = key(KeyCode::F(1));
pub(crate) const PAGE_UP: Key = key(KeyCode::PageUp);
pub(crate) const PAGE_DOWN: Key = key(KeyCode::PageDown);

impl Key {
    pub fn matches(&self, event: &KeyEvent) -> bool {
        // Alt+y is not y: no binding here is on Alt, and an answer must be the key itself.
        if event.modifiers.intersects(KeyModifiers::ALT | KeyModifiers::META | KeyModifiers::SUPER) {
            return false;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match (self.code, event.code) {
            // Letters: either case, so Caps Lock does not break `y`/`n`; Ctrl
            // letters arrive lower-case from crossterm.
            (KeyCode::Char(a), KeyCode::Char(b)) => ctrl == self.ctrl && a.eq_ignore_ascii_case(&b),
            (a, b) => a == b && ctrl == self.ctrl,
        }
    }

    /// The event this key sends, for tests and for replaying a hint.
    pub fn event(&self) -> KeyEvent {
        let modifiers = if self.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
        KeyEvent::new(self.code, modifiers)
    }

    /// `^T`, `Enter`, `q`: short, for the hint bar.
    pub fn short(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift+Tab".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("^{base}") } else { base }
    }

    /// `Ctrl+T`, `Enter`, `q`: for sentences.
    pub fn long(&self) -> String {
        match self.short().strip_prefix('^') {
            Some(rest) => format!("Ctrl+{rest}"),
            None => self.short(),
        }
    }
}

/// The keys of the actions every step has, which differ in a text field.
pub struct StepKeys {
    pub copy: &'static [Key],
    pub open: &'static [Key],
    pub reveal: &'static [Key],
    pub help: &'static [Key],
    pub quit: &'static [Key],
    pub url: &'static [Key],
}

// Ctrl+U is left to the field (it clears the line), so the URL alone is Ctrl+L.
// Help is Ctrl+G everywhere (nano's "Get Help"): it works in a text field, where
// `?` is typed, and on a keyboard without F keys (F1 needs fn on many Macs).
pub(crate) const TEXT_KEYS: StepKeys = StepKeys {
    copy: &[ctrl('t')],
    open: &[ctrl('o')],
    reveal: &[ctrl('r')],
    help: &[ctrl('g'), F1],
    quit: &[ctrl('c')],
    url: &[ctrl('l')],
};

// Reveal shows Ctrl+R first everywhere, so the hint does not change with the focus.
pub(crate) const COMMAND_KEYS: StepKeys = StepKeys {
    copy: &[ch('c'), ctrl('t')],
    open: &[ch('o'), ctrl('o')],
    reveal: &[ctrl('r'), ch('r')],
    help: &[ctrl('g'), ch('?'), F1],
    quit: &[ch('q')],
    url: &[ch('u'), ctrl('l')],
};

/// A key (or several) bound to an action on the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    /// What it does here, in the help and (when `hint`) the hint bar.
    pub label: &'static str,
    /// How the keys are shown when not simply the first key (`←/→`, `↑/↓ Enter`).
    pub shown: Option<&'static str>,
    /// Shown in the hint bar, in this order.
    pub hint: bool,
    /// Shorter words for the hint bar, when it stands for a pair of keys (`←/→/Space expiration`).
    pub hint_label: Option<&'static str>,
}

impl Binding {
    pub fn new(keys: &[Key], action: Action, label: &'static str) -> Binding {
        Binding { keys: keys.to_vec(), action, label, shown: None, hint: true, hint_label: None }
    }

    /// Works, and is in the help, but not in the hint bar.
    pub fn quiet(mut self) -> Binding {
        self.hint = false;
        self
    }

    pub fn shown(mut self, shown: &'static str) -> Binding {
        self.shown = Some(shown);
        self
    }

    pub(crate) fn hinted_as(mut self, label: &'static str) -> Binding {
        self.hint_label = Some(label);
        self
    }

    pub fn matches(&self, event: &KeyEvent) -> bool {
        self.keys.iter().any(|k| k.matches(event))
    }

    /// The keys as the hint bar shows them.
    pub fn key_label(&self) -> String {
        match self.shown {
            Some(shown) => shown.to_string(),
            None => self.keys.first().map(Key::short).unwrap_or_default(),
        }
    }
}

/// The keys `bindings` give `action`, as a sentence names them (`Ctrl+T`),
/// or in the plain wizard the word typed for it (`"switch"`).
pub(crate) fn name(bindings: &[Binding], action: Action, plain: bool) -> Option<String> {
    let binding = bindings.iter().find(|b| b.action == action)?;
    if plain && let Some(word) = word(action) {
        return Some(format!("\"{word}\""));
    }
    // The key the hint bar shows.
    binding.keys.first().map(Key::long)
}

/// `y/n`: the keys of a question's two answers in `bindings`.
pub(crate) fn yes_no(bindings: &[Binding], yes: Action, no: Action) -> String {
    let short = |action| bindings.iter().find(|b| b.action == action).and_then(|b| b.keys.first().map(Key::short));
    format!("{}/{}", short(yes).unwrap_or_default(), short(no).unwrap_or_default())
}

/// The word a person types in plain mode for `action`, where it has one:
/// the plain front end's commands are this table's actions, not a list of its own.
pub fn word(action: Action) -> Option<&'static str> {
    let w = &texts().words;
    Some(match action {
        Action::Help => &w.help,
        Action::Back | Action::CloseBoards => &w.back,
        Action::Open => &w.open,
        Action::Copy => &w.copy,
        Action::SwitchCapture => &w.switch,
        Action::Quit | Action::QuitNow | Action::StartLeave => &w.quit,
        _ => return None,
    })
}

/// Every word the plain wizard knows, bound on this screen or not.
pub(crate) fn all_words() -> Vec<&'static str> {
    let w = &texts().words;
    vec![&w.help, &w.back, &w.open, &w.copy, &w.switch, &w.quit]
}

/// "press {key}", or in the plain wizard "type {key}".
pub fn press(plain: bool) -> &'static str {
    let k = &texts().keys;
    if plain { &k.type_word } else { &k.press }
}
