//! The one keymap: on every screen, each key the hint bar shows really does
//! what the hint says, and the step-4 switch between catching and pasting.

use crate::support;

use std::time::Instant;

use support::wizard::{KEY, TOKEN, model, setup, verified};
use trello_auth::credentials::Secret;
use trello_auth::credentials::store::{Profile, Storage};
use trello_auth::trello::TrelloError;
use trello_auth::wizard::keymap::{bindings, hints};
use trello_auth::wizard::keys::Action;
use trello_auth::wizard::model::{CaptureState, Exit, Overlay, RevokeState, Step, Target, VerifyState};
use trello_auth::wizard::{Effect, Model, Msg, update};

fn saved_profile() -> Profile {
    Profile {
        api_key: KEY.into(),
        token: Some(Secret::new(TOKEN)),
        member_id: Some("5f00a11".into()),
        member_username: Some("ann".into()),
        ..Profile::default()
    }
}

fn at(step: Step, focus: usize) -> Model {
    let mut m = model();
    m.form.key = tui_input::Input::new(KEY.into());
    // A retry sends what was verified before: a token is there.
    if step == Step::Verify {
        m.form.token = tui_input::Input::new(TOKEN.into());
    }
    m.step = step;
    m.focus = focus;
    m
}

/// Every screen the wizard can show, with each focus.
fn screens() -> Vec<(String, Model)> {
    let mut all = Vec::new();
    for step in [Step::Portal, Step::PowerUp, Step::ApiKey, Step::Token] {
        for focus in 0..trello_auth::wizard::screen::page(step).targets().len().max(1) {
            all.push((format!("{step:?} focus {focus}"), at(step, focus)));
        }
    }
    let mut pasting = at(Step::Token, 4);
    pasting.capture.pasting = true;
    all.push(("token, pasting".into(), pasting));
    for error in [
        TrelloError::InvalidKey,
        TrelloError::InvalidToken,
        TrelloError::Timeout { seconds: 15 },
        TrelloError::RateLimited { code: "API_TOKEN_LIMIT_EXCEEDED".into(), retry_after: None },
    ] {
        let mut m = at(Step::Verify, 0);
        m.verify = VerifyState::Failed(error.clone());
        all.push((format!("verify failed {error:?}"), m));
    }
    let mut m = at(Step::Verify, 0);
    m.verify = VerifyState::SaveFailed(verified("read,write", None), "disk full".into(), None);
    all.push(("save failed".into(), m));
    let mut m = at(Step::Verify, 0);
    m.verify = VerifyState::OtherMember(verified("read,write", None));
    all.push(("other member".into(), m));
    let mut m = at(Step::Verify, 0);
    m.verify = VerifyState::ChooseStorage(verified("read,write", None));
    all.push(("where to keep it".into(), m));
    let mut m = at(Step::Verify, 0);
    m.storage = Storage::Keyring;
    m.verify = VerifyState::SaveFailed(verified("read,write", None), "the keyring refused".into(), None);
    all.push(("keyring save failed".into(), m));
    let mut m = at(Step::Done, 0);
    m.verify = VerifyState::Saved(verified("read,write", None), support::wizard::saved(true, None));
    all.push(("done".into(), m.clone()));
    m.saved = Some(saved_profile());
    m.rotation.revoke = RevokeState::Offered;
    all.push(("done, revoke offered".into(), m));
    for choice in 0..4 {
        let mut m = Model::start_screen(setup(), Instant::now(), saved_profile());
        m.ui.choice = choice;
        all.push((format!("start, choice {choice}"), m));
    }
    let mut m = at(Step::PowerUp, 2);
    m.ui.help = true;
    all.push(("help".into(), m));
    let mut m = at(Step::ApiKey, 0);
    m.ui.overlay = Overlay::ConfirmQuit;
    all.push(("quit question".into(), m));
    let mut m = at(Step::Verify, 0);
    m.verify = VerifyState::ConfirmCaptured(verified("read,write", None));
    all.push(("whose token, after capture".into(), m));
    let mut m = at(Step::Verify, 0);
    m.verify = VerifyState::Running { rate_wait: None };
    all.push(("verifying".into(), m));
    let mut m = at(Step::Token, 4);
    m.ui.overlay = Overlay::Url;
    all.push(("the URL alone".into(), m));
    let mut m = Model::start_screen(setup(), Instant::now(), saved_profile());
    m.setup.other_profiles = vec!["work".into()];
    all.push(("start, another profile".into(), m.clone()));
    let _ = update(&mut m, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('s'))));
    all.push(("step 1, from the start screen".into(), m));
    let mut m = Model::start_screen(setup(), Instant::now(), saved_profile());
    m.ui.overlay = Overlay::Boards;
    m.boards.list = trello_auth::wizard::model::BoardList::Loaded { boards: Vec::new(), workspaces: Vec::new() };
    all.push(("board picker".into(), m));
    let mut m = Model::rotate(setup(), Instant::now(), saved_profile());
    m.step = Step::Done;
    m.verify = VerifyState::Saved(verified("read,write", None), support::wizard::saved(true, Some(TOKEN)));
    all.push(("done after a rotation".into(), m.clone()));
    // A terminal shorter than the step: PgDn scrolls, and once down PgUp scrolls back.
    let _ = update(&mut m, Msg::Resize(60, 20));
    // What the runtime tells after drawing a frame: what is out of view.
    let room = trello_auth::wizard::view::scroll_room(&m);
    let _ = update(&mut m, Msg::Layout(room));
    all.push(("done, short terminal".into(), m.clone()));
    let _ = update(&mut m, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::PageDown)));
    assert!(m.ui.scroll > 0, "PgDn did not scroll the done screen at 60x20");
    all.push(("done, short terminal, scrolled".into(), m));
    all
}

/// Whether what happened is what `action` promises.
fn did(action: Action, before: &Model, after: &Model, effects: &[Effect]) -> bool {
    let any_effect = |f: fn(&Effect) -> bool| effects.iter().any(f);
    match action {
        Action::QuitNow => after.exit.is_some(),
        Action::Quit => after.exit.is_some() || after.ui.overlay == Overlay::ConfirmQuit,
        Action::Help => after.ui.help,
        Action::CloseHelp => before.ui.help && !after.ui.help,
        Action::StayHere | Action::CloseUrl => after.ui.overlay == Overlay::None && before.ui.overlay != Overlay::None,
        Action::ShowUrl => after.ui.overlay == Overlay::Url,
        Action::NextProfile => any_effect(|e| matches!(e, Effect::LoadProfile(name) if name == "work")),
        Action::ConfirmAccount => {
            any_effect(|e| matches!(e, Effect::Save { .. })) || matches!(after.verify, VerifyState::ChooseStorage(_))
        }
        Action::RefuseAccount => after.step == Step::Token && after.form.token.value().is_empty(),
        Action::ConfirmQuit => after.exit == Some(Exit::Aborted),
        Action::Next => {
            after.step != before.step || !effects.is_empty() || after.ui.notice.is_some() || after.exit.is_some()
        }
        Action::Back => after.step < before.step || after.step == Step::Start && before.step != Step::Start,
        Action::FocusNext | Action::FocusPrev => after.focus != before.focus,
        Action::Open => any_effect(|e| matches!(e, Effect::OpenUrl(_))) || after.ui.notice.is_some(),
        Action::Copy => any_effect(|e| matches!(e, Effect::Copy { .. })) || after.ui.notice.is_some(),
        Action::Reveal => after.form.reveal != before.form.reveal,
        Action::ClearField => trello_auth::wizard::screen::focused_text(after)
            .and_then(|t| after.form.input(t))
            .is_some_and(|input| input.value().is_empty()),
        Action::Retry => after.step != before.step || !effects.is_empty(),
        Action::OptionPrev | Action::OptionNext => {
            after.form.expiration != before.form.expiration || after.form.scopes != before.form.scopes
        }
        Action::SwitchCapture => after.capture.pasting != before.capture.pasting,
        Action::StartVerify => any_effect(|e| matches!(e, Effect::Verify { .. })),
        Action::StartRotate => after.step == Step::Token,
        Action::StartSetup => after.step == Step::Portal,
        Action::StartLeave => after.exit == Some(Exit::Left),
        Action::StartChoose => after.step != before.step || !effects.is_empty() || after.exit.is_some(),
        Action::StartUp | Action::StartDown => after.ui.choice != before.ui.choice,
        Action::SaveOtherMember => any_effect(|e| matches!(e, Effect::Save { .. })),
        Action::RefuseOtherMember => after.step == Step::Token && after.form.token.value().is_empty(),
        Action::RevokeOld => any_effect(|e| matches!(e, Effect::Revoke { .. })),
        Action::KeepOld => after.rotation.revoke == RevokeState::Declined,
        Action::SaveToFile => {
            any_effect(|e| matches!(e, Effect::Save { new, .. } if new.storage == Some(Storage::File)))
        }
        Action::ChooseBoard => after.ui.overlay == Overlay::Boards,
        Action::BoardUp | Action::BoardDown => true,
        Action::BoardPick => any_effect(|e| matches!(e, Effect::SaveBoard { .. })),
        Action::CloseBoards => after.ui.overlay == Overlay::None,
        Action::SaveToKeyring => {
            any_effect(|e| matches!(e, Effect::Save { new, .. } if new.storage == Some(Storage::Keyring)))
        }
        Action::ScrollDown => after.ui.scroll > before.ui.scroll,
        Action::ScrollUp => after.ui.scroll < before.ui.scroll,
        Action::Reauthorize => after.step == Step::Token && after.mode == trello_auth::wizard::model::Mode::Rotate,
    }
}

/// Every key the help lists (the hint bar shows a part of them) does what
/// the help says, on every screen and every question; and no action is listed twice.
#[test]
fn every_listed_key_does_what_the_help_says() {
    let mut checked = 0;
    for (name, m) in screens() {
        let listed = bindings(&m);
        let hinted: Vec<_> = listed.iter().filter(|b| b.hint).collect();
        assert!(!hinted.is_empty(), "{name}: no hints");
        assert_eq!(hints(&m).len(), hinted.len(), "{name}");
        let mut actions: Vec<Action> = listed.iter().map(|b| b.action).collect();
        actions.sort_by_key(|a| format!("{a:?}"));
        let count = actions.len();
        actions.dedup();
        assert_eq!(actions.len(), count, "{name}: an action is listed twice: {listed:?}");
        for binding in listed {
            // The hint shows a key that is bound.
            let shown = binding.key_label();
            if let Some(first) = binding.keys.first() {
                assert!(shown.contains(&first.short()), "{name}: hint {shown:?} does not show {first:?}");
            }
            let keys = if binding.keys.is_empty() {
                vec![trello_auth::wizard::keys::Key { code: crossterm::event::KeyCode::Char('x'), ctrl: false }]
            } else {
                binding.keys.clone()
            };
            for key in keys {
                let mut after = m.clone();
                let effects = update(&mut after, Msg::Key(key.event()));
                assert!(
                    did(binding.action, &m, &after, &effects),
                    "{name}: {} ({shown}) should {:?}, but: step {:?}→{:?}, effects {effects:?}, notice {:?}",
                    key.long(),
                    binding.action,
                    m.step,
                    after.step,
                    after.ui.notice
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} keys checked");
}

#[test]
fn typing_in_a_field_never_triggers_a_command() {
    for (name, m) in screens().into_iter().filter(|(_, m)| {
        trello_auth::wizard::screen::focused_text(m).is_some() && m.ui.overlay == Overlay::None && !m.ui.help
    }) {
        for c in ['q', 'c', 'o', 'r', '?', ' ', 'y', 'n', 'v', 's'] {
            let mut after = m.clone();
            let target = trello_auth::wizard::screen::focused_text(&after).unwrap();
            let before = after.form.input(target).unwrap().value().to_string();
            let _ = update(&mut after, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c))));
            assert_eq!(after.exit, None, "{name}: {c:?} quit");
            assert_eq!(after.ui.overlay, Overlay::None, "{name}: {c:?} opened an overlay");
            let now = after.form.input(target).unwrap().value().to_string();
            // A credential holds no space: one typed there is dropped, as from a paste.
            let credential = matches!(target, Target::Key | Target::Secret | Target::Token);
            let typed = if c == ' ' && credential { 0 } else { 1 };
            assert_eq!(now.chars().count(), before.chars().count() + typed, "{name}: {c:?} was not typed");
        }
    }
}

/// The step-4 dead end: "Invalid return_url" shows no token, so there must be
/// a way to a URL without `return_url` (Trello then shows the token), and back.
#[test]
fn step_4_switches_between_catching_and_pasting_and_keeps_the_choice() {
    let mut m = at(Step::Token, 4);
    assert!(m.wants_capture());
    let _ = update(&mut m, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/abc".into(), 47130))));
    assert!(m.authorize_url().contains("&return_url="), "{}", m.authorize_url());

    let ctrl_p = Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('p'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    let effects = update(&mut m, ctrl_p);
    assert!(m.capture.pasting);
    assert!(!m.wants_capture(), "no listener while pasting");
    assert!(!m.authorize_url().contains("return_url"), "{}", m.authorize_url());
    // The screen says it is pasting now; the new URL's copy says its own outcome ("copied", or why not).
    let said = format!("{:?}", trello_auth::wizard::screen::describe(&m).items);
    assert!(said.contains("Paste mode"), "{said}");
    assert!(effects.iter().any(|e| matches!(e, Effect::Copy { quiet: false, .. })), "{effects:?}");
    assert_eq!(m.ui.notice, None, "Paste mode is said once, by the screen");
    assert!(hints(&m).iter().any(|(k, what)| k == "^P" && *what == "catch it instead"));

    // The choice survives going back to step 3 and forward again.
    let _ = update(&mut m, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Esc)));
    assert_eq!(m.step, Step::ApiKey);
    let _ = update(&mut m, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter)));
    assert_eq!(m.step, Step::Token);
    assert!(m.capture.pasting && !m.wants_capture());
    assert!(!m.authorize_url().contains("return_url"));

    // And back: a fresh listener, and the URL regains return_url once it runs.
    let ctrl_p = Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('p'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    let _ = update(&mut m, ctrl_p);
    assert!(!m.capture.pasting && m.wants_capture());
    assert_eq!(m.capture.state, CaptureState::Idle);
    let _ = update(&mut m, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/def".into(), 47130))));
    assert!(m.authorize_url().contains("return_url=http%3A%2F%2F127.0.0.1%3A47130%2Fcallback%2Fdef"));
}

#[test]
fn with_capture_off_the_switch_says_why_and_changes_nothing() {
    let mut m = at(Step::Token, 4);
    m.setup.capture_off = Some("--no-capture was given".into());
    assert!(!bindings(&m).iter().any(|b| b.action == Action::SwitchCapture), "no hint for a switch that cannot work");
    assert!(!m.authorize_url().contains("return_url"));
}

/// `p` on the start screen loads the next profile; from then on every
/// suggested command names it (a bare one would pick the default), with the
/// config file the command line named.
#[test]
fn the_next_profile_is_named_in_every_suggested_command() {
    let mut s = setup();
    s.named_config = Some("/tmp/elsewhere.toml".into());
    s.run = "trello-auth --config /tmp/elsewhere.toml".into();
    let mut m = Model::start_screen(s, Instant::now(), saved_profile());
    m.setup.other_profiles = vec!["work".into()];
    let effects = update(&mut m, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('p'))));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadProfile(name) if name == "work")), "{effects:?}");
    let _ = update(&mut m, Msg::ProfileLoaded(Ok(("work".into(), Box::new(saved_profile())))));
    assert_eq!(m.setup.profile, "work");
    assert_eq!(m.setup.run, "trello-auth --config /tmp/elsewhere.toml --profile work");
}
