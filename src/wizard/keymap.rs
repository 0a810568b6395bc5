//! The keys in force now: help's, an overlay's, or the screen's own (its file lists them), with Ctrl+C always first and PgUp/PgDn where the body is taller than the terminal.
//!
//! `update` matches key events against [`bindings`]; the hint bar, the help
//! overlay and every notice that names a key are built from the same list, so
//! a key is never shown that does something else (television's `Action`,
//! gitui's command list feeding both help and the command bar, are the models).

use crossterm::event::KeyEvent;

use super::keys::{self, Action, Binding, DOWN, ENTER, ESC, Key, PAGE_DOWN, PAGE_UP, UP, ch, ctrl};
use super::model::{Model, Overlay, Step, VerifyState};
use super::screen;
use super::text::texts;

/// The bindings in force now, hint-bar order first: exactly the keys that
/// act on this screen or question, each once. The first one whose key matches
/// an event wins; the help lists them all, the hint bar those marked `hint`.
pub fn bindings(m: &Model) -> Vec<Binding> {
    let k = &texts().keys;
    if m.ui.help {
        // Any key closes help: the binding lists none, `action_for` treats every key so.
        return vec![quit_now(m), Binding::new(&[], Action::CloseHelp, &k.close_help).shown(&k.any_key)];
    }
    under_help(m)
}

/// The bindings of what help is drawn over (the screen or an overlay): what
/// the screen's words name ("Save it? (y/n)"), help open or not.
pub fn under_help(m: &Model) -> Vec<Binding> {
    let k = &texts().keys;
    let quit_now = quit_now(m);
    if m.ui.overlay == Overlay::Url {
        return vec![quit_now, Binding::new(&[], Action::CloseUrl, &k.close_url).shown(&k.any_key)];
    }
    let help = Binding::new(screen::step_keys(m).help, Action::Help, &k.help);
    let mut list = match m.ui.overlay {
        Overlay::ConfirmQuit => vec![
            Binding::new(&[ch('y')], Action::ConfirmQuit, &k.confirm_quit),
            Binding::new(&[ch('n'), ESC], Action::StayHere, &k.stay),
            help.quiet(),
        ],
        Overlay::Boards => {
            // Nothing to choose while the list is empty (still loading, or a filter matching no board).
            let mut list = Vec::new();
            if !m.boards.rows().is_empty() {
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
            let mut list = screen::bindings(m);
            // Every text field clears with Ctrl+U, as a shell's line does; said in help, not in the hint bar.
            if screen::focused_text(m).is_some() {
                list.push(Binding::new(&[ctrl('u')], Action::ClearField, &k.clear_field).quiet());
            }
            // Only where there is more than fits: a short terminal over a long step.
            if m.ui.room.below > 0 {
                list.push(Binding::new(&[PAGE_DOWN], Action::ScrollDown, &k.scroll_down).quiet());
            }
            if m.ui.room.above > 0 {
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

/// Ctrl+C always works, so no screen can take it; what it does depends on what is saved.
fn quit_now(m: &Model) -> Binding {
    let k = &texts().keys;
    let label = if matches!(m.verify, VerifyState::Saved(..)) {
        &k.leave_saved
    } else if m.step == Step::Start {
        &k.quit
    } else {
        &k.quit_now
    };
    Binding::new(&[ctrl('c')], Action::QuitNow, label).quiet()
}

/// The binding a key event triggers now, if any.
pub(crate) fn action_for(m: &Model, event: &KeyEvent) -> Option<Action> {
    let closes = if m.ui.help {
        Some(Action::CloseHelp)
    } else if m.ui.overlay == Overlay::Url {
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

/// How a notice names the key for `action` here (`Ctrl+T`), when one is
/// bound; in the plain wizard, which reads lines, the word to type (`"switch"`).
pub(crate) fn key_name(m: &Model, action: Action) -> Option<String> {
    keys::name(&under_help(m), action, m.setup.plain)
}

/// `y/n`: the keys of a question's two answers here.
pub(crate) fn yes_no(m: &Model, yes: Action, no: Action) -> String {
    keys::yes_no(&under_help(m), yes, no)
}
