//! The one keymap: which keys do what on each screen, with the words for the hint bar and the help.
//!
//! `update` matches key events against [`bindings`]; the hint bar, the help
//! overlay and every notice that names a key are built from the same table, so
//! a key is never shown that does something else (television's `Action`, gitui's
//! command list feeding both help and the command bar, are the models).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::{Model, Overlay, RevokeState, Step, Target, VerifyState};
use super::text::texts;
use crate::trello::Remedy;

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

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

const ENTER: Key = key(KeyCode::Enter);
const ESC: Key = key(KeyCode::Esc);
const TAB: Key = key(KeyCode::Tab);
const BACKTAB: Key = key(KeyCode::BackTab);
const UP: Key = key(KeyCode::Up);
const DOWN: Key = key(KeyCode::Down);
const LEFT: Key = key(KeyCode::Left);
const RIGHT: Key = key(KeyCode::Right);
const SPACE: Key = ch(' ');
const F1: Key = key(KeyCode::F(1));
const PAGE_UP: Key = key(KeyCode::PageUp);
const PAGE_DOWN: Key = key(KeyCode::PageDown);

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
struct StepKeys {
    copy: &'static [Key],
    open: &'static [Key],
    reveal: &'static [Key],
    help: &'static [Key],
    quit: &'static [Key],
    url: &'static [Key],
}

// Ctrl+U is left to the field (it clears the line), so the URL alone is Ctrl+L.
const TEXT_KEYS: StepKeys = StepKeys {
    copy: &[ctrl('t')],
    open: &[ctrl('o')],
    reveal: &[ctrl('r')],
    help: &[F1],
    quit: &[ctrl('c')],
    url: &[ctrl('l')],
};

// Reveal shows Ctrl+R first everywhere, so the hint does not change with the focus.
const COMMAND_KEYS: StepKeys = StepKeys {
    copy: &[ch('c'), ctrl('t')],
    open: &[ch('o'), ctrl('o')],
    reveal: &[ctrl('r'), ch('r')],
    help: &[ch('?'), F1],
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
    fn new(keys: &[Key], action: Action, label: &'static str) -> Binding {
        Binding { keys: keys.to_vec(), action, label, shown: None, hint: true, hint_label: None }
    }

    /// Works, and is in the help, but not in the hint bar.
    fn quiet(mut self) -> Binding {
        self.hint = false;
        self
    }

    fn shown(mut self, shown: &'static str) -> Binding {
        self.shown = Some(shown);
        self
    }

    fn hinted_as(mut self, label: &'static str) -> Binding {
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

/// The bindings in force now, hint-bar order first: exactly the keys that
/// act on this screen or question, each once. The first one whose key matches
/// an event wins; the help lists them all, the hint bar those marked `hint`.
pub fn bindings(m: &Model) -> Vec<Binding> {
    let k = &texts().keys;
    // Ctrl+C always works, first, so no screen can take it; what it does depends on what is saved.
    let quit_now_label = if matches!(m.verify, VerifyState::Saved(..)) {
        &k.leave_saved
    } else if m.step == Step::Start {
        &k.quit
    } else {
        &k.quit_now
    };
    let quit_now = Binding::new(&[ctrl('c')], Action::QuitNow, quit_now_label).quiet();
    if m.help {
        // Any key closes help: the binding lists none, `action_for` treats every key so.
        return vec![quit_now, Binding::new(&[], Action::CloseHelp, &k.close_help).shown(&k.any_key)];
    }
    if m.overlay == Overlay::Url {
        return vec![quit_now, Binding::new(&[], Action::CloseUrl, &k.close_url).shown(&k.any_key)];
    }
    let in_text = m.focused_text().is_some() && m.overlay == Overlay::None;
    // In a text field (and the picker's filter) letters are typed; elsewhere they are commands too.
    let keys = if in_text || m.overlay == Overlay::Boards { &TEXT_KEYS } else { &COMMAND_KEYS };
    let help = Binding::new(keys.help, Action::Help, &k.help);
    let mut list = match m.overlay {
        Overlay::ConfirmQuit => vec![
            Binding::new(&[ch('y')], Action::ConfirmQuit, &k.confirm_quit),
            Binding::new(&[ch('n'), ESC], Action::StayHere, &k.stay),
            help.quiet(),
        ],
        Overlay::Boards => {
            // Nothing to choose while the list is empty (still loading, or a filter matching no board).
            let rows = !m.board_rows().is_empty();
            let mut list = Vec::new();
            if rows {
                list.push(
                    Binding::new(&[UP], Action::BoardUp, &k.previous_board).shown(&k.up_down).hinted_as(&k.select),
                );
                list.push(Binding::new(&[DOWN], Action::BoardDown, &k.next_board).quiet());
                list.push(Binding::new(&[ENTER], Action::BoardPick, &k.pick));
            }
            list.extend([Binding::new(&[ESC], Action::CloseBoards, &k.back), help]);
            list
        }
        Overlay::None | Overlay::Url => {
            let mut list = screen_bindings(m, keys, in_text);
            // Only where there is more than fits: a short terminal over a long step.
            let room = crate::wizard::view::scroll_room(m);
            if room.below > 0 {
                list.push(Binding::new(&[PAGE_DOWN], Action::ScrollDown, &k.scroll_down).quiet());
            }
            if room.above > 0 {
                list.push(Binding::new(&[PAGE_UP], Action::ScrollUp, &k.scroll_up).quiet());
            }
            list
        }
    };
    // In a text field Ctrl+C is the screen's own quit key, listed (and hinted) last.
    if !list.iter().any(|b| b.action == Action::QuitNow) {
        list.insert(0, quit_now);
    }
    list
}

/// The keys of the screen itself (no overlay open).
fn screen_bindings(m: &Model, keys: &StepKeys, in_text: bool) -> Vec<Binding> {
    let k = &texts().keys;
    let (copy, open, reveal) = (keys.copy, keys.open, keys.reveal);
    let help = Binding::new(keys.help, Action::Help, &k.help);
    // In a field, letters are typed, so quitting is Ctrl+C, which leaves at once: said so in the help.
    let quit = if in_text {
        Binding::new(keys.quit, Action::QuitNow, &k.quit_now).hinted_as(&k.quit)
    } else {
        Binding::new(keys.quit, Action::Quit, &k.quit)
    };
    // The default board, once there are credentials to ask Trello with.
    let board = (matches!(m.step, Step::Start | Step::Done) && m.working_credentials().is_some())
        .then(|| Binding::new(&[ch('b')], Action::ChooseBoard, &k.choose_board));
    // No browser here (over SSH, no DISPLAY): no open key, the screen says why and copy remains.
    let open_here = crate::wizard::update::url_here(m).is_some() && m.setup.no_browser_reason.is_none();
    let copy_here = crate::wizard::update::copy_here(m).is_some();
    let targets = m.step.targets().len();
    let focus_keys = |next: &'static str, previous: &'static str| {
        (targets > 1).then(|| {
            [
                Binding::new(&[TAB, DOWN], Action::FocusNext, next),
                Binding::new(&[BACKTAB, UP], Action::FocusPrev, previous).quiet(),
            ]
        })
    };
    let mut list: Vec<Binding> = match m.step {
        Step::Start => {
            // Nothing to verify once logged out: rotating (or setting up) is what makes a token.
            let has_token = m.saved.as_ref().is_some_and(|p| p.token.is_some());
            let mut list: Vec<Binding> =
                has_token.then(|| Binding::new(&[ch('v')], Action::StartVerify, &k.start_verify)).into_iter().collect();
            list.extend([
                Binding::new(&[ch('r')], Action::StartRotate, &k.start_rotate),
                Binding::new(&[ch('s')], Action::StartSetup, &k.start_setup),
            ]);
            list.extend(board);
            if !m.setup.other_profiles.is_empty() {
                list.push(Binding::new(&[ch('p')], Action::NextProfile, &k.next_profile));
            }
            list.extend([
                Binding::new(&[ENTER], Action::StartChoose, &k.start_choose).shown(&k.up_down_enter),
                Binding::new(&[UP, BACKTAB], Action::StartUp, &k.previous).quiet(),
                Binding::new(&[DOWN, TAB], Action::StartDown, &k.next).quiet(),
                Binding::new(&[ch('q')], Action::StartLeave, &k.quit),
                help.quiet(),
            ]);
            return list;
        }
        Step::Verify if matches!(m.verify, VerifyState::OtherMember(_)) => {
            return vec![
                Binding::new(&[ch('y')], Action::SaveOtherMember, &k.save_anyway),
                Binding::new(&[ch('n'), ESC], Action::RefuseOtherMember, &k.back_to_token),
                help,
            ];
        }
        Step::Verify if matches!(m.verify, VerifyState::ConfirmCaptured(_)) => {
            return vec![
                // No Enter: a token any local program could have sent is saved only by a deliberate `y`.
                Binding::new(&[ch('y')], Action::ConfirmAccount, &k.confirm_account),
                Binding::new(&[ch('n'), ESC], Action::RefuseAccount, &k.refuse_account),
                help,
            ];
        }
        Step::Verify if matches!(m.verify, VerifyState::ChooseStorage(_)) => {
            return vec![
                Binding::new(&[ch('f'), ENTER], Action::SaveToFile, &k.save_file),
                Binding::new(&[ch('k')], Action::SaveToKeyring, &k.save_keyring),
                Binding::new(&[ESC], Action::Back, &k.back_to_token),
                help,
            ];
        }
        Step::Portal => {
            let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.next)];
            list.extend(open_here.then(|| Binding::new(open, Action::Open, &k.open_portal)));
            list.extend(copy_here.then(|| Binding::new(copy, Action::Copy, &k.copy_url)));
            // Set up again from the start screen: Esc goes back to it.
            list.extend(m.saved.is_some().then(|| Binding::new(&[ESC], Action::Back, &k.back)));
            list
        }
        Step::PowerUp => {
            let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.created_next)];
            list.push(Binding::new(&[ESC], Action::Back, &k.back));
            list.extend(focus_keys(&k.next_row, &k.previous_row).into_iter().flatten());
            list.extend(copy_here.then(|| Binding::new(copy, Action::Copy, &k.copy_row)));
            list.extend(open_here.then(|| Binding::new(open, Action::Open, &k.open_portal).quiet()));
            list
        }
        Step::ApiKey => {
            let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.next)];
            list.extend(copy_here.then(|| Binding::new(copy, Action::Copy, &k.copy_origin)));
            list.push(Binding::new(&[ESC], Action::Back, &k.back));
            list.extend(focus_keys(&k.next_field, &k.previous_field).into_iter().flatten());
            list.push(Binding::new(reveal, Action::Reveal, &k.reveal));
            list.extend(open_here.then(|| Binding::new(open, Action::Open, &k.open_portal).quiet()));
            list
        }
        Step::Token => {
            let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.verify)];
            // The focused row's own keys come right after Enter, so the hint bar always shows them.
            match m.focused() {
                Some(Target::Expiration) => {
                    list.push(
                        Binding::new(&[LEFT], Action::OptionPrev, &k.shorter)
                            .shown(&k.left_right_space)
                            .hinted_as(&k.expiration),
                    );
                    list.push(Binding::new(&[RIGHT, SPACE], Action::OptionNext, &k.longer).quiet());
                }
                Some(Target::Read | Target::Write | Target::Account) => {
                    list.push(Binding::new(&[SPACE, RIGHT], Action::OptionNext, &k.toggle).shown(&k.space));
                    list.push(Binding::new(&[LEFT], Action::OptionPrev, &k.toggle).quiet());
                }
                _ => {}
            }
            list.push(Binding::new(copy, Action::Copy, &k.copy_url));
            list.extend(open_here.then(|| Binding::new(open, Action::Open, &k.open_url)));
            // No switch once catching failed (the port is taken, a takeover): there is nothing to catch with.
            if m.setup.capture_off.is_none() && !matches!(m.capture, crate::wizard::model::CaptureState::Failed(_)) {
                let label = if m.pasting { &k.catch_instead } else { &k.paste_instead };
                list.push(Binding::new(&[ctrl('p')], Action::SwitchCapture, label));
            }
            let options = if m.focused() == Some(Target::Token) { &k.options } else { &k.next_field };
            list.extend(focus_keys(options, &k.previous_field).into_iter().flatten());
            // An agent's token starts on this step: there is nothing to go back to.
            if m.mode != crate::wizard::model::Mode::Agent {
                list.push(Binding::new(&[ESC], Action::Back, &k.back));
            }
            list.push(Binding::new(reveal, Action::Reveal, &k.reveal));
            list.push(Binding::new(keys.url, Action::ShowUrl, &k.show_url).quiet());
            list
        }
        Step::Verify => {
            let mut list = match &m.verify {
                VerifyState::Failed(e) => {
                    let label = match remedy_step(e.remedy()) {
                        Some(Step::ApiKey) => &k.fix_key,
                        Some(_) => &k.new_token,
                        None => &k.retry,
                    };
                    vec![Binding::new(&[ENTER, ch('r')], Action::Retry, label)]
                }
                VerifyState::Refused(..) => vec![Binding::new(&[ENTER, ch('r')], Action::Retry, &k.new_token)],
                // The keyring refused: retry, or choose the file. Never a silent switch.
                VerifyState::SaveFailed(..) if m.storage == crate::credentials::store::Storage::Keyring => vec![
                    Binding::new(&[ENTER, ch('r')], Action::Retry, &k.retry_save),
                    Binding::new(&[ch('f')], Action::SaveToFile, &k.save_file_instead),
                ],
                VerifyState::SaveFailed(..) => vec![Binding::new(&[ENTER, ch('r')], Action::Retry, &k.retry_save)],
                _ => Vec::new(),
            };
            if !matches!(m.verify, VerifyState::Saving(_)) {
                list.push(Binding::new(&[ESC], Action::Back, &k.back));
            }
            list
        }
        Step::Done => {
            let offering_revoke = m.revoke == RevokeState::Offered;
            let mut list = Vec::new();
            if offering_revoke {
                list.push(Binding::new(&[ch('y')], Action::RevokeOld, &k.revoke_old));
                list.push(Binding::new(&[ch('n')], Action::KeepOld, &k.keep_old));
            }
            list.push(Binding::new(&[ENTER, ESC], Action::Next, &k.finish));
            let mut rest = Vec::new();
            rest.extend(copy_here.then(|| Binding::new(copy, Action::Copy, &k.copy_command)));
            rest.extend(board);
            rest.extend(open_here.then(|| Binding::new(open, Action::Open, &k.open_account)));
            rest.push(Binding::new(reveal, Action::Reveal, &k.reveal));
            // While the revoke question is open only its own keys are hinted.
            list.extend(rest.into_iter().map(|b| if offering_revoke { b.quiet() } else { b }));
            let hinted = !offering_revoke;
            let mut help = help;
            let mut quit = quit;
            help.hint = hinted;
            quit.hint = hinted;
            list.push(help);
            list.push(quit);
            return list;
        }
    };
    list.push(help);
    list.push(quit);
    list
}

/// The start screen's menu: its choices, in the keymap's order and words, so
/// the menu, the hint bar, the help and plain mode's numbered choices agree.
pub fn start_menu(m: &Model) -> Vec<Binding> {
    const MENU: [Action; 6] = [
        Action::StartVerify,
        Action::StartRotate,
        Action::StartSetup,
        Action::ChooseBoard,
        Action::NextProfile,
        Action::StartLeave,
    ];
    if m.step != Step::Start {
        return Vec::new();
    }
    screen_bindings(m, &COMMAND_KEYS, false).into_iter().filter(|b| MENU.contains(&b.action)).collect()
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

/// The binding a key event triggers now, if any.
pub fn action_for(m: &Model, event: &KeyEvent) -> Option<Action> {
    let closes = if m.help {
        Some(Action::CloseHelp)
    } else if m.overlay == Overlay::Url {
        Some(Action::CloseUrl)
    } else {
        None
    };
    if let Some(close) = closes {
        return Some(if Key::matches(&ctrl('c'), event) { Action::QuitNow } else { close });
    }
    bindings(m).into_iter().find(|b| b.matches(event)).map(|b| b.action)
}

/// `(keys, what they do)` for the hint bar, in order.
pub fn hints(m: &Model) -> Vec<(String, &'static str)> {
    bindings(m).into_iter().filter(|b| b.hint).map(|b| (b.key_label(), b.hint_label.unwrap_or(b.label))).collect()
}

/// How a notice names the key for `action` on this screen (`Ctrl+T`), when one is bound.
/// The plain wizard reads lines, not keys: there it is the word to type (`"switch"`).
pub fn key_name(m: &Model, action: Action) -> Option<String> {
    let binding = screen_binding(m, action)?;
    if m.setup.plain
        && let Some(word) = word(action)
    {
        return Some(format!("\"{word}\""));
    }
    // Prefer the key the hint bar shows.
    binding.keys.first().map(Key::long)
}

/// The screen's binding for `action`, as its words name it. Help is drawn
/// over the screen, whose words still name the screen's own keys ("Save it?
/// (y/n)"), not help's "any key".
fn screen_binding(m: &Model, action: Action) -> Option<Binding> {
    if m.help {
        // A copy only while help is open: never on the hot path of typing.
        let mut under = m.clone();
        under.help = false;
        return screen_binding(&under, action);
    }
    bindings(m).into_iter().find(|b| b.action == action)
}

/// Every word the plain wizard knows, bound on this screen or not.
pub fn all_words() -> Vec<&'static str> {
    let w = &texts().words;
    vec![&w.help, &w.back, &w.open, &w.copy, &w.switch, &w.quit]
}

/// "press {key}", or in the plain wizard "type {key}".
pub fn press(m: &Model) -> &'static str {
    let k = &texts().keys;
    if m.setup.plain { &k.type_word } else { &k.press }
}

/// `y/n`: the keys of a question's two answers on this screen.
pub fn yes_no(m: &Model, yes: Action, no: Action) -> String {
    let short = |action| screen_binding(m, action).and_then(|b| b.keys.first().map(Key::short));
    format!("{}/{}", short(yes).unwrap_or_default(), short(no).unwrap_or_default())
}

/// Where a failure is fixed: the key's step, the token's step, or here (try again).
/// The one place a remedy maps to a step.
pub fn remedy_step(remedy: Remedy) -> Option<Step> {
    match remedy {
        Remedy::FixKey => Some(Step::ApiKey),
        Remedy::NewToken | Remedy::CheckId => Some(Step::Token),
        Remedy::Wait | Remedy::Retry => None,
    }
}
