//! The wizard's state machine, step by step, with no terminal.

use crate::support;

use trello_auth::credentials::store::StoreError;

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use support::wizard::{KEY, SECRET, TOKEN, ctrl, model, paste, press, send, type_text, verified};

use trello_auth::trello::{KeyCheck, RetryNotice, Scopes, TrelloError};
use trello_auth::wizard::model::{KeyStatus, Overlay, Target, VerifyState};
use trello_auth::wizard::{Effect, Exit, Model, Msg, Step};

/// Steps 1–3 done with a valid key: the wizard is on step 4.
fn at_token_step() -> Model {
    let mut m = model();
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, KEY);
    press(&mut m, KeyCode::Enter);
    m
}

/// Walks steps 1–4 with valid input and presses Enter on step 4.
fn to_verify(m: &mut Model) -> u64 {
    press(m, KeyCode::Enter);
    press(m, KeyCode::Enter);
    paste(m, KEY);
    press(m, KeyCode::Enter);
    paste(m, TOKEN);
    let effects = press(m, KeyCode::Enter);
    match effects.as_slice() {
        [Effect::Verify { generation, .. }] => *generation,
        other => panic!("expected one Verify effect, got {other:?}"),
    }
}

#[test]
fn all_five_steps_to_a_saved_profile() {
    let mut m = model();
    assert_eq!(m.step, Step::Portal);
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::PowerUp);
    assert_eq!(trello_auth::wizard::screen::focused(&m), Some(Target::Email), "the email is what needs typing");
    type_text(&mut m, "ann@example.com");
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::ApiKey);

    let effects = paste(&mut m, &format!("  \"{KEY}\"\n"));
    assert_eq!(m.form.key(), KEY, "pasted quotes and newline are cleaned");
    assert_eq!(effects, vec![Effect::CheckKey(KEY.into())]);
    assert_eq!(m.form.key_status, KeyStatus::Checking(KEY.into()));
    send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Known });
    assert_eq!(m.form.key_status, KeyStatus::Known(KEY.into()));

    press(&mut m, KeyCode::Tab);
    paste(&mut m, SECRET);
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::Token);
    assert_eq!(trello_auth::wizard::screen::focused(&m), Some(Target::Token));

    paste(&mut m, &format!("https://example.com/cb#token={TOKEN}"));
    assert_eq!(m.form.token(), TOKEN);
    let effects = press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::Verify);
    let [Effect::Verify { generation, credentials }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(credentials.key(), KEY);
    assert_eq!(credentials.token().expose(), TOKEN);
    assert!(m.is_animating(), "the spinner runs while verifying");

    let effects = send(
        &mut m,
        Msg::Verified {
            generation: *generation,
            result: Ok(verified("read,write", Some("2026-12-28T12:00:00.000Z"))),
            at: "2026-11-28T21:00:00Z".into(),
        },
    );
    let [Effect::Save { profile_name, new }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(profile_name, "default");
    assert_eq!(new.chosen.key, KEY);
    assert_eq!(
        new.api_secret,
        trello_auth::credentials::vault::SecretChange::Set(trello_auth::credentials::Secret::new(SECRET))
    );
    assert_eq!(new.chosen.token.expose(), TOKEN);
    assert_eq!(new.chosen.app_name, "trello-auth");
    assert_eq!(new.chosen.requested_scope, Scopes::READ_WRITE);
    assert_eq!(new.verification.username, "ann");
    assert_eq!(new.verification.expires, "2026-12-28T12:00:00.000Z".into());
    assert_eq!(new.verification.at, "2026-11-28T21:00:00Z");
    assert_eq!(new.storage, Some(trello_auth::credentials::Storage::File), "a setup saves where step 5 chose");

    send(&mut m, Msg::Saved(Ok(support::wizard::saved(false, None))));
    assert_eq!(m.step, Step::Done);
    assert!(!m.is_animating());
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.exit, Some(Exit::Saved));
}

#[test]
fn escape_goes_back_one_step_at_a_time() {
    let mut m = model();
    to_verify(&mut m);
    for expected in [Step::Token, Step::ApiKey, Step::PowerUp, Step::Portal, Step::Portal] {
        press(&mut m, KeyCode::Esc);
        assert_eq!(m.step, expected);
    }
    assert_eq!(m.form.key(), KEY, "going back keeps what was entered");
    assert_eq!(m.form.token(), TOKEN);
    assert_eq!(m.exit, None);
}

#[test]
fn enter_waits_for_a_complete_step() {
    let mut m = model();
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, &KEY[..20]);
    assert!(press(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(m.step, Step::ApiKey);
    assert!(m.ui.notice.as_ref().unwrap().text.contains("20 of 32 characters"));

    paste(&mut m, KEY);
    press(&mut m, KeyCode::Tab);
    paste(&mut m, "abc");
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::ApiKey, "a half-typed secret blocks until fixed or cleared");
    assert_eq!(trello_auth::wizard::screen::focused(&m), Some(Target::Secret));
    paste(&mut m, SECRET);
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::Token);

    paste(&mut m, SECRET);
    assert!(press(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(m.step, Step::Token);
    assert!(m.ui.notice.as_ref().unwrap().text.contains("this is your API secret, not a token"));
}

#[test]
fn a_key_trello_rejects_blocks_step_three() {
    let mut m = model();
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, KEY);
    send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Rejected });
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::ApiKey);
    // A late answer about an older key changes nothing.
    paste(&mut m, "fedcba9876543210fedcba9876543210");
    send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Known });
    assert_eq!(m.form.key_status, KeyStatus::Checking("fedcba9876543210fedcba9876543210".into()));
}

#[test]
fn each_failure_leads_to_the_step_that_fixes_it() {
    let cases = [
        (TrelloError::InvalidKey, Step::ApiKey, Target::Key),
        (TrelloError::InvalidToken, Step::Token, Target::Token),
        (TrelloError::ExpiredToken, Step::Token, Target::Token),
        (TrelloError::MissingScope { body: "missing scopes".into() }, Step::Token, Target::Token),
    ];
    for (error, step, target) in cases {
        let mut m = model();
        let generation = to_verify(&mut m);
        let effects = send(&mut m, Msg::Verified { generation, result: Err(error.clone()), at: String::new() });
        assert!(effects.is_empty(), "nothing is saved after {error:?}");
        assert_eq!(m.verify, VerifyState::Failed(error.clone()));
        assert!(press(&mut m, KeyCode::Enter).is_empty());
        assert_eq!((m.step, trello_auth::wizard::screen::focused(&m)), (step, Some(target)), "after {error:?}");
    }
}

#[test]
fn network_failures_offer_a_retry() {
    for error in [
        TrelloError::ConnectionRefused { host: "api.trello.com".into() },
        TrelloError::Timeout { seconds: 15 },
        TrelloError::RateLimited { code: "API_TOKEN_LIMIT_EXCEEDED".into(), retry_after: None },
    ] {
        let mut m = model();
        let generation = to_verify(&mut m);
        send(&mut m, Msg::Verified { generation, result: Err(error), at: String::new() });
        let effects = press(&mut m, KeyCode::Char('r'));
        let [Effect::Verify { generation: again, .. }] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(*again, generation + 1);
        assert_eq!(m.verify, VerifyState::Running { rate_wait: None });
    }
}

#[test]
fn rate_limit_countdown() {
    let mut m = model();
    let generation = to_verify(&mut m);
    let t0 = Instant::now();
    let notice = RetryNotice { attempt: 1, wait: Duration::from_secs(5), code: "API_TOKEN_LIMIT_EXCEEDED".into() };
    send(&mut m, Msg::RateLimited { generation, notice, at: t0 });
    assert_eq!(m.rate_wait_seconds(), Some(5));
    send(&mut m, Msg::Tick(t0 + Duration::from_millis(2200)));
    assert_eq!(m.rate_wait_seconds(), Some(3));
    send(&mut m, Msg::Tick(t0 + Duration::from_secs(6)));
    assert_eq!(m.rate_wait_seconds(), Some(0));
    assert!(m.is_animating());
}

#[test]
fn answers_to_abandoned_verifications_are_ignored() {
    let mut m = model();
    let generation = to_verify(&mut m);
    press(&mut m, KeyCode::Esc);
    assert_eq!(m.step, Step::Token);
    let effects = send(
        &mut m,
        Msg::Verified {
            generation,
            result: Ok(verified("read,write", Some("2026-12-28T12:00:00.000Z"))),
            at: String::new(),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(m.step, Step::Token);
    assert_eq!(m.verify, VerifyState::Idle);
}

#[test]
fn a_failed_save_keeps_everything_and_retries() {
    let mut m = model();
    let generation = to_verify(&mut m);
    send(
        &mut m,
        Msg::Verified {
            generation,
            result: Ok(verified("read,write", Some("2026-12-28T12:00:00.000Z"))),
            at: "2026-11-28T21:00:00Z".into(),
        },
    );
    let full = std::io::Error::from_raw_os_error(28);
    let failed = StoreError::Write { path: "/x/config.toml".into(), action: "writing", source: full };
    send(&mut m, Msg::Saved(Err(failed.into())));
    assert!(matches!(m.verify, VerifyState::SaveFailed(..)));
    assert_eq!(m.step, Step::Verify);
    let effects = press(&mut m, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::Save { .. }]));
    assert_eq!(m.form.token(), TOKEN);
}

#[test]
fn ctrl_c_quits_at_once_and_writes_nothing() {
    let mut m = model();
    to_verify(&mut m);
    assert!(send(&mut m, ctrl('c')).is_empty());
    assert_eq!(m.exit, Some(Exit::Aborted));
}

#[test]
fn q_asks_first_when_something_was_entered() {
    let mut m = model();
    press(&mut m, KeyCode::Char('q'));
    assert_eq!(m.exit, Some(Exit::Aborted), "nothing entered: quit at once");

    let mut m = model();
    press(&mut m, KeyCode::Enter);
    type_text(&mut m, "ann@example.com");
    assert_eq!(m.form.email.value(), "ann@example.com", "q inside a text field is a letter");
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Char('q'));
    assert_eq!(m.ui.overlay, Overlay::ConfirmQuit);
    press(&mut m, KeyCode::Char('n'));
    assert_eq!((m.ui.overlay, m.exit), (Overlay::None, None));
    press(&mut m, KeyCode::Char('q'));
    press(&mut m, KeyCode::Char('y'));
    assert_eq!(m.exit, Some(Exit::Aborted));
}

#[test]
fn pasting_on_the_token_step_always_fills_the_token() {
    let mut m = at_token_step();
    press(&mut m, KeyCode::Tab);
    assert_eq!(trello_auth::wizard::screen::focused(&m), Some(Target::Expiration));
    paste(&mut m, TOKEN);
    assert_eq!(m.form.token(), TOKEN);
    assert_eq!(trello_auth::wizard::screen::focused(&m), Some(Target::Token));
}

#[test]
fn expiration_and_scopes_change_the_url_live() {
    let mut m = at_token_step();
    assert!(m.authorize_url().contains("expiration=30days&scope=read,write&"));
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Right);
    assert!(m.authorize_url().contains("expiration=never&"));
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Char(' '));
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Char(' '));
    assert!(m.authorize_url().contains("&scope=write,account&"), "{}", m.authorize_url());
    assert!(m.authorize_url().ends_with(&format!("&name=trello-auth&key={KEY}")));
    let effects = send(&mut m, ctrl('t'));
    assert_eq!(effects, vec![Effect::Copy { what: "authorize URL", text: m.authorize_url(), quiet: false }]);
}

#[test]
fn no_browser_means_no_open_key_and_the_screen_says_why() {
    let mut m = model();
    m.setup.no_browser_reason = Some("this is an SSH session without a display".into());
    let keys = trello_auth::wizard::keymap::bindings(&m);
    assert!(!keys.iter().any(|b| b.action == trello_auth::wizard::keys::Action::Open), "{keys:?}");
    assert!(keys.iter().any(|b| b.action == trello_auth::wizard::keys::Action::Copy));
    assert!(press(&mut m, KeyCode::Char('o')).is_empty());
    let screen = trello_auth::wizard::screen::describe(&m);
    assert!(format!("{screen:?}").contains("SSH session without a display"), "{screen:?}");
    let mut m = model();
    assert_eq!(press(&mut m, KeyCode::Char('o')), vec![Effect::OpenUrl("https://trello.com/apps/admin".into())]);
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut m = model();
    press(&mut m, KeyCode::Char('?'));
    assert!(m.ui.help);
    press(&mut m, KeyCode::Enter);
    assert_eq!((m.ui.overlay, m.step), (Overlay::None, Step::Portal));
    press(&mut m, KeyCode::F(1));
    assert!(m.ui.help);
}

#[test]
fn a_captured_token_fills_the_field_and_verifies() {
    let mut m = at_token_step();
    assert!(m.wants_capture(), "step 4 wants a listener");
    assert!(!m.authorize_url().contains("return_url"));
    send(&mut m, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/abc".into(), 47130))));
    assert!(
        m.authorize_url()
            .ends_with("&return_url=http%3A%2F%2F127.0.0.1%3A47130%2Fcallback%2Fabc&callback_method=fragment")
    );
    let effects = send(&mut m, Msg::TokenCaptured(TOKEN.into()));
    assert_eq!(m.form.token(), TOKEN);
    assert_eq!(m.step, Step::Verify);
    assert!(matches!(effects.as_slice(), [Effect::Verify { .. }]));
    assert!(!m.wants_capture(), "no new listener once the step is left");
    assert!(m.holds_capture(), "the one that caught it runs on while it is verified");
    let [Effect::Verify { generation, .. }] = effects.as_slice() else { unreachable!() };
    send(
        &mut m,
        Msg::Verified {
            generation: *generation,
            result: Ok(verified("read,write", None)),
            at: "2026-11-28T21:00:00Z".into(),
        },
    );
    assert!(matches!(m.verify, VerifyState::ConfirmCaptured(_)));
    assert!(m.holds_capture(), "a late start-URL open must still be seen while the user decides");
    // Enter is no answer: any local program could have sent this token; nor is Alt+y.
    assert!(press(&mut m, KeyCode::Enter).is_empty());
    let alt_y = crossterm::event::KeyEvent::new(KeyCode::Char('y'), crossterm::event::KeyModifiers::ALT);
    assert!(send(&mut m, Msg::Key(alt_y)).is_empty());
    assert!(matches!(m.verify, VerifyState::ConfirmCaptured(_)));
    // Refused: back to step 4, pasting, the listener gone and the token too.
    press(&mut m, KeyCode::Char('n'));
    assert_eq!((m.step, m.form.token()), (Step::Token, ""));
    assert!(m.capture.pasting && !m.holds_capture() && !m.wants_capture());
    assert!(m.ui.notice.as_ref().unwrap().text.contains("catching is off"), "{:?}", m.ui.notice);
}

#[test]
fn a_credential_typed_or_pasted_into_the_power_up_form_is_not_kept() {
    let mut m = model();
    press(&mut m, KeyCode::Enter);
    assert_eq!(trello_auth::wizard::screen::focused(&m), Some(Target::Email));
    paste(&mut m, TOKEN);
    assert_eq!(m.form.email.value(), "");
    let said = &m.ui.notice.as_ref().unwrap().text;
    assert!(said.contains("does not belong in Email") && !said.contains(&TOKEN[4..20]), "{said}");
    type_text(&mut m, "ann@example.com");
    paste(&mut m, KEY);
    assert_eq!(m.form.email.value(), "ann@example.com", "what was there is kept");
    while trello_auth::wizard::screen::focused(&m) != Some(Target::AppName) {
        press(&mut m, KeyCode::BackTab);
    }
    let before = m.form.app_name().to_string();
    type_text(&mut m, SECRET);
    // Typed key by key, not even its first dozen characters stay.
    assert!(!m.form.app_name().contains(&SECRET[..12]), "the secret reached the name: {}", m.form.app_name());
    assert!(!m.authorize_url().contains(&SECRET[..12]));
    assert!(m.form.app_name().starts_with(&before));
    // An ordinary name is kept as typed.
    type_text(&mut m, " bot");
    assert!(m.form.app_name().ends_with(" bot"));
}

#[test]
fn the_listener_lives_only_on_step_four() {
    let mut m = model();
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, KEY);
    assert!(!m.wants_capture());
    press(&mut m, KeyCode::Enter);
    send(&mut m, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/abc".into(), 47130))));
    press(&mut m, KeyCode::Esc);
    assert!(!m.wants_capture());
    assert_eq!(m.capture.state, trello_auth::wizard::model::CaptureState::Idle, "a new nonce next time");
    press(&mut m, KeyCode::Enter);
    assert!(m.wants_capture());
    // A token arriving for an abandoned step is ignored.
    press(&mut m, KeyCode::Esc);
    assert!(send(&mut m, Msg::TokenCaptured(TOKEN.into())).is_empty());
    assert_eq!(m.form.token(), "");
    // Turned off: never wanted.
    let mut m = model();
    m.setup.capture_off = Some("--no-capture was given".into());
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, KEY);
    press(&mut m, KeyCode::Enter);
    assert!(!m.wants_capture());
}

/// Every token that came through the listener is shown and confirmed before
/// it is saved, in a rotation too: another local program may hold a token of
/// this very member (the leaked one a rotation replaces) and post it.
#[test]
fn a_caught_token_in_a_rotation_is_always_confirmed() {
    use trello_auth::credentials::store::Profile;
    for member in [Some("5f00a11"), None] {
        let saved = Profile {
            api_key: KEY.into(),
            token: Some(trello_auth::credentials::Secret::new(TOKEN)),
            member_id: member.map(Into::into),
            ..Profile::default()
        };
        let mut m = Model::rotate(support::wizard::setup(), Instant::now(), saved);
        send(&mut m, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/abc".into(), 47130))));
        let effects = send(&mut m, Msg::TokenCaptured(TOKEN.replace("3f3f", "4e4e")));
        let [Effect::Verify { generation, .. }] = effects.as_slice() else { panic!("{effects:?}") };
        let at = "2026-11-28T21:00:00Z".into();
        let effects =
            send(&mut m, Msg::Verified { generation: *generation, result: Ok(verified("read,write", None)), at });
        assert!(matches!(m.verify, VerifyState::ConfirmCaptured(_)), "{:?}", m.verify);
        assert!(effects.is_empty(), "{effects:?}");
        assert!(m.holds_capture(), "the start URL stays armed as a tripwire until the answer");
    }
}

/// The token a rotation replaces, given back (caught or pasted), is never
/// saved and never sent: the words say it is the token being replaced.
#[test]
fn the_token_being_replaced_is_refused_caught_or_pasted() {
    use trello_auth::credentials::store::Profile;
    let saved = Profile {
        api_key: KEY.into(),
        token: Some(trello_auth::credentials::Secret::new(TOKEN)),
        member_id: Some("5f00a11".into()),
        ..Profile::default()
    };
    let mut m = Model::rotate(support::wizard::setup(), Instant::now(), saved.clone());
    send(&mut m, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/abc".into(), 47130))));
    let effects = send(&mut m, Msg::TokenCaptured(TOKEN.into()));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(m.step, Step::Token);
    assert!(m.ui.notice.as_ref().unwrap().text.starts_with("That is the token being replaced"), "{:?}", m.ui.notice);
    assert!(m.capture.pasting && m.form.token().is_empty());
    let mut m = Model::rotate(support::wizard::setup(), Instant::now(), saved);
    paste(&mut m, TOKEN);
    let effects = press(&mut m, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(m.ui.notice.as_ref().unwrap().text.starts_with("That is the token being replaced"), "{:?}", m.ui.notice);
}

/// A caught token made before this run began (Trello's `dateCreated`, on
/// Trello's clock as its `Date` header tells it) is not the one just
/// authorized: refused, and the next one is pasted. A pasted one is the
/// user's own choice; a caught one made within the clock skew is kept.
#[test]
fn a_caught_token_made_before_the_run_began_is_refused() {
    let setup = support::wizard::setup();
    let began = setup.started_at;
    let at = |minutes: i64| {
        let when = began + time::Duration::minutes(minutes);
        when.format(&time::format_description::well_known::Rfc3339).unwrap()
    };
    for (created, ahead, caught, refused) in [
        (at(-60 * 24 * 30), None, true, true),
        (at(-60 * 24 * 30), None, false, false),
        (at(1), None, true, false),
        (at(-1), None, true, false),
        // Trello's clock is an hour ahead: made 30 minutes before the run began, as Trello counts.
        (at(30), Some(time::Duration::hours(1)), true, true),
    ] {
        let mut m = Model { setup: setup.clone(), ..at_token_step() };
        let effects = if caught {
            send(&mut m, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/abc".into(), 47130))));
            send(&mut m, Msg::TokenCaptured(TOKEN.into()))
        } else {
            paste(&mut m, TOKEN);
            press(&mut m, KeyCode::Enter)
        };
        let [Effect::Verify { generation, .. }] = effects.as_slice() else { panic!("{effects:?}") };
        let mut v = verified("read,write", None);
        v.token.date_created = Some(created.clone());
        v.clock_ahead = ahead;
        send(&mut m, Msg::Verified { generation: *generation, result: Ok(v), at: "x".into() });
        assert_eq!(
            matches!(m.verify, VerifyState::Refused(..)),
            refused,
            "{created} {ahead:?} {caught}: {:?}",
            m.verify
        );
        if refused {
            let effects = press(&mut m, KeyCode::Enter);
            assert!(effects.is_empty() && m.step == Step::Token && m.capture.pasting && m.form.token().is_empty());
        }
    }
}

/// What a newcomer types is cleaned as a paste is (issue 28): a key in
/// capitals is lowercased and said so, a space typed after a token is
/// dropped rather than refused behind the mask, a web address pasted as the
/// key is named as one, and Ctrl+U empties the field.
#[test]
fn typed_credentials_are_cleaned_as_pasted_ones_are() {
    let mut m = model();
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.step, Step::ApiKey);
    let effects = type_text(&mut m, &KEY.to_uppercase());
    assert_eq!(m.form.key(), KEY);
    assert!(matches!(effects.as_slice(), [Effect::CheckKey(key)] if key == KEY), "{effects:?}");
    let notice = m.ui.notice.clone().expect("the change of case is said").text;
    assert!(notice.contains("lowercased"), "{notice}");

    send(&mut m, support::wizard::ctrl('u'));
    assert_eq!(m.form.key(), "", "Ctrl+U clears the field");
    paste(&mut m, "https://trello.com/power-ups/68a0/edit/api-key");
    let verdict = m.form.key_verdict().message();
    assert!(verdict.contains("web address"), "{verdict}");

    let mut m = at_token_step();
    type_text(&mut m, TOKEN);
    type_text(&mut m, " ");
    assert_eq!(m.form.token(), TOKEN);
    assert!(m.form.token_verdict().is_valid());
    assert!(matches!(press(&mut m, KeyCode::Enter).as_slice(), [Effect::Verify { .. }]));
}

/// The help names Ctrl+U where a text field has the focus, and only there.
#[test]
fn help_names_the_key_that_clears_a_field() {
    let mut m = at_token_step();
    send(&mut m, Msg::Resize(100, 40));
    let listed = |m: &Model| {
        trello_auth::wizard::keymap::under_help(m)
            .iter()
            .any(|b| b.action == trello_auth::wizard::keys::Action::ClearField)
    };
    assert!(listed(&m), "the token field has the focus");
    m.focus = 0;
    assert!(!listed(&m), "the expiration is no text field");
}

/// 64 hex characters on step 4 may be the API secret; when Trello refuses
/// them, step 5's "why" still asks (issue 28), and a token made today does not.
#[test]
fn a_refused_64_hex_token_keeps_the_secret_question() {
    let says = |token: &str| {
        let mut m = at_token_step();
        paste(&mut m, token);
        let generation = match press(&mut m, KeyCode::Enter).as_slice() {
            [Effect::Verify { generation, .. }] => *generation,
            other => panic!("expected a verification, got {other:?}"),
        };
        send(&mut m, Msg::Verified { generation, result: Err(TrelloError::InvalidToken), at: String::new() });
        trello_auth::wizard::screen::describe(&m).items.iter().any(|item| {
            matches!(item, trello_auth::wizard::screen::Item::Text { text, .. } if text.contains("or the API secret?"))
        })
    };
    assert!(says(&"ab".repeat(32)));
    assert!(!says(TOKEN));
}
