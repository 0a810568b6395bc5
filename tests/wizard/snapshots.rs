//! Every screen and error state, drawn into a TestBackend and pinned with insta.

use crate::support;

use trello_auth::capture::CaptureError;
use trello_auth::credentials::store::StoreError;

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::wizard::{KEY, SECRET, TOKEN, ctrl, model, paste, press, send, type_text, verified};

use trello_auth::trello::{KeyCheck, RetryNotice, TrelloError};
use trello_auth::wizard::{Model, Msg, Step, view};

const RETURN_URL: &str = "http://127.0.0.1:47130/callback/0123456789abcdef0123456789abcdef";

fn render(m: &Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    // As the runtime does: the model knows the terminal's size.
    let mut m = m.clone();
    if m.ui.size != Some((width, height)) {
        send(&mut m, Msg::Resize(width, height));
    }
    terminal.draw(|frame| view(&m, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            // A wide character covers the next cell too: skip it, as a terminal does.
            x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol)).unwrap_or(1).max(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn snap(name: &str, m: &Model) {
    for (w, h) in [(60, 20), (80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}@{w}x{h}"), render(m, w, h));
    }
}

fn at_step(n: usize) -> Model {
    let mut m = model();
    if n >= 2 {
        press(&mut m, KeyCode::Enter);
    }
    if n >= 3 {
        type_text(&mut m, "ann@example.com");
        press(&mut m, KeyCode::Enter);
    }
    if n >= 4 {
        paste(&mut m, KEY);
        send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Known });
        press(&mut m, KeyCode::Enter);
        send(&mut m, Msg::CaptureStarted(Ok((RETURN_URL.into(), 47130))));
    }
    if n >= 5 {
        paste(&mut m, TOKEN);
        press(&mut m, KeyCode::Enter);
    }
    m
}

fn failed(error: TrelloError) -> Model {
    let mut m = at_step(5);
    let generation = m.verify_generation;
    send(&mut m, Msg::Verified { generation, result: Err(error), at: String::new() });
    m
}

fn done(scopes: &str) -> Model {
    let mut m = at_step(5);
    let generation = m.verify_generation;
    let v = verified(scopes, Some("2026-12-28T12:00:00.000Z"));
    send(&mut m, Msg::Verified { generation, result: Ok(v), at: "2026-11-28T21:00:00Z".into() });
    send(&mut m, Msg::Saved(Ok(support::wizard::saved(true, None))));
    m
}

#[test]
fn step_1_portal() {
    snap("portal", &at_step(1));
    let mut m = at_step(1);
    m.setup.no_browser_reason = Some("this is an SSH session without a display".into());
    snap("portal_no_browser", &m);
    let mut m = at_step(1);
    press(&mut m, KeyCode::Char('c'));
    send(
        &mut m,
        Msg::Copied {
            what: "portal URL",
            outcome: trello_auth::desktop::clipboard::CopyOutcome::Terminal,
            quiet: false,
        },
    );
    snap("portal_copied", &m);
}

#[test]
fn step_2_powerup() {
    snap("powerup_empty", &at_step(2));
    let mut m = at_step(2);
    type_text(&mut m, "ann@example");
    snap("powerup_bad_email", &m);
    let mut m = at_step(2);
    type_text(&mut m, "ann@example.com");
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Down);
    type_text(&mut m, "Ann Example");
    snap("powerup_filled", &m);
}

#[test]
fn step_3_api_key() {
    snap("apikey_empty", &at_step(3));
    let mut m = at_step(3);
    paste(&mut m, &KEY[..21]);
    snap("apikey_incomplete", &m);
    let mut m = at_step(3);
    paste(&mut m, "0123456789abcdefg");
    snap("apikey_bad_char", &m);
    let mut m = at_step(3);
    paste(&mut m, KEY);
    snap("apikey_checking", &m);
    send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Known });
    snap("apikey_known", &m);
    let mut m = at_step(3);
    paste(&mut m, KEY);
    send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Rejected });
    snap("apikey_rejected", &m);
    let mut m = at_step(3);
    paste(&mut m, KEY);
    let e = TrelloError::Dns { host: "api.trello.com".into() };
    send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Unchecked(e) });
    snap("apikey_unchecked", &m);
    let mut m = at_step(3);
    paste(&mut m, SECRET);
    press(&mut m, KeyCode::Tab);
    paste(&mut m, TOKEN);
    snap("apikey_secret_fields_wrong", &m);
    let mut m = at_step(3);
    paste(&mut m, KEY);
    press(&mut m, KeyCode::Tab);
    paste(&mut m, SECRET);
    snap("apikey_secret_masked", &m);
    send(&mut m, ctrl('r'));
    snap("apikey_secret_revealed", &m);
}

#[test]
fn step_4_token() {
    snap("token_empty", &at_step(4));
    let mut m = at_step(4);
    paste(&mut m, KEY);
    snap("token_is_the_key", &m);
    let mut m = at_step(3);
    paste(&mut m, KEY);
    press(&mut m, KeyCode::Tab);
    paste(&mut m, SECRET);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, SECRET);
    snap("token_is_the_secret", &m);
    let mut m = at_step(4);
    paste(&mut m, "ATATT3xFfGF0T4B6XcG9_aBcD=1234567890");
    snap("token_is_atlassian", &m);
    let mut m = at_step(4);
    paste(&mut m, &TOKEN[..40]);
    snap("token_incomplete", &m);
    let mut m = at_step(4);
    paste(&mut m, TOKEN);
    snap("token_valid", &m);
    send(&mut m, ctrl('r'));
    snap("token_valid_revealed", &m);
    let mut m = at_step(4);
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Left);
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Char(' '));
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Char(' '));
    snap("token_no_scope_1day", &m);
}

#[test]
fn step_5_verify() {
    snap("verify_running", &at_step(5));
    let mut m = at_step(5);
    let t0 = Instant::now();
    let notice = RetryNotice { attempt: 2, wait: Duration::from_secs(7), code: "API_TOKEN_LIMIT_EXCEEDED".into() };
    let generation = m.verify_generation;
    send(&mut m, Msg::RateLimited { generation, notice, at: t0 });
    send(&mut m, Msg::Tick(t0 + Duration::from_millis(1500)));
    snap("verify_rate_limited", &m);
}

#[test]
fn step_5_failures() {
    snap("failed_invalid_key", &failed(TrelloError::InvalidKey));
    snap("failed_invalid_token", &failed(TrelloError::InvalidToken));
    snap("failed_expired_token", &failed(TrelloError::ExpiredToken));
    snap(
        "failed_missing_scope",
        &failed(TrelloError::MissingScope { body: "unauthorized permission requested".into() }),
    );
    snap("failed_refused", &failed(TrelloError::ConnectionRefused { host: "api.trello.com".into() }));
    snap("failed_dns", &failed(TrelloError::Dns { host: "api.trello.com".into() }));
    snap("failed_timeout", &failed(TrelloError::Timeout { seconds: 15 }));
    snap("failed_server", &failed(TrelloError::Server { status: 503 }));
    snap(
        "failed_rate_limited",
        &failed(TrelloError::RateLimited {
            code: "API_KEY_LIMIT_EXCEEDED".into(),
            retry_after: Some(Duration::from_secs(40)),
        }),
    );
    snap(
        "failed_malformed",
        &failed(TrelloError::MalformedResponse { detail: "expected value at line 1 column 1".into() }),
    );
}

#[test]
fn saving_and_done() {
    let mut m = at_step(5);
    let generation = m.verify_generation;
    send(
        &mut m,
        Msg::Verified { generation, result: Ok(verified("read,write", None)), at: "2026-11-28T21:00:00Z".into() },
    );
    snap("saving", &m);
    let full = std::io::Error::from_raw_os_error(28);
    let path = "/home/ann/.config/trello-auth/config.toml".into();
    send(&mut m, Msg::Saved(Err(StoreError::Write { path, action: "writing", source: full }.into())));
    snap("save_failed", &m);
    snap("done", &done("read,write"));
    snap("done_fewer_scopes", &done("read"));
    let mut m = done("read,write");
    send(&mut m, ctrl('r'));
    snap("done_revealed", &m);
}

#[test]
fn overlays_and_small_terminals() {
    let mut m = at_step(2);
    send(&mut m, support::wizard::key(KeyCode::F(1)));
    snap("help", &m);
    let mut m = at_step(3);
    paste(&mut m, KEY);
    press(&mut m, KeyCode::Esc);
    press(&mut m, KeyCode::Up);
    press(&mut m, KeyCode::Char('q'));
    snap("confirm_quit", &m);
    insta::assert_snapshot!("too_small@50x15", render(&at_step(4), 50, 15));
}

#[test]
fn no_size_panics() {
    let screens =
        [at_step(1), at_step(2), at_step(3), at_step(4), at_step(5), failed(TrelloError::InvalidToken), done("read")];
    for m in &screens {
        for w in (1..=130).step_by(7).chain([59, 60, 61, 79, 80, 81, 200]) {
            for h in (1..=45).step_by(4).chain([19, 20, 21, 23, 24, 60]) {
                render(m, w, h);
            }
        }
    }
}

#[test]
fn secrets_are_not_on_screen_unless_revealed() {
    let mut m = at_step(3);
    paste(&mut m, KEY);
    press(&mut m, KeyCode::Tab);
    paste(&mut m, SECRET);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, TOKEN);
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let screen = render(&m, w, h);
        assert!(!screen.contains(TOKEN) && !screen.contains(&TOKEN[8..40]), "{screen}");
        assert!(!screen.contains(SECRET) && !screen.contains(&SECRET[8..40]), "{screen}");
    }
    let screen = render(&done("read,write"), 120, 40);
    assert!(!screen.contains(&TOKEN[8..40]), "{screen}");
}

#[test]
fn no_color_means_no_colours() {
    let mut m = failed(TrelloError::InvalidToken);
    m.setup.color = false;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| view(&m, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "a coloured cell under NO_COLOR: {cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    m.setup.color = true;
    terminal.draw(|frame| view(&m, frame)).unwrap();
    assert!(terminal.backend().buffer().content().iter().any(|c| c.fg != ratatui::style::Color::Reset));
}

fn saved_profile(expires: &str, token: Option<&str>) -> trello_auth::credentials::store::Profile {
    trello_auth::credentials::store::Profile {
        api_key: KEY.into(),
        token: token.map(trello_auth::credentials::Secret::new),
        app_name: "Team scripts".into(),
        member_id: Some("5f00a11".into()),
        member_username: Some("ann".into()),
        member_full_name: Some("Ann Example".into()),
        token_expires: Some(expires.into()),
        verified_at: Some("2026-11-20T09:30:00Z".into()),
        ..Default::default()
    }
}

fn start(expires: &str, token: Option<&str>) -> Model {
    Model::start_screen(support::wizard::setup(), Instant::now(), saved_profile(expires, token))
}

#[test]
fn start_screen() {
    snap("start", &start("2026-12-28T12:00:00.000Z", Some(TOKEN)));
    snap("start_expires_soon", &start("2026-12-01T12:00:00.000Z", Some(TOKEN)));
    snap("start_expired", &start("2026-11-01T12:00:00.000Z", Some(TOKEN)));
    snap("start_never_expires", &start("never", Some(TOKEN)));
    snap("start_logged_out", &start("never", None));
    let mut m = start("never", Some(TOKEN));
    press(&mut m, KeyCode::Char('v'));
    snap("start_checking", &m);
    let generation = m.verify_generation;
    send(
        &mut m,
        Msg::Verified { generation, result: Ok(verified("read,write", None)), at: "2026-11-28T21:49:00Z".into() },
    );
    snap("start_valid", &m);
    let mut m = start("never", Some(TOKEN));
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Char('v'));
    let generation = m.verify_generation;
    send(&mut m, Msg::Verified { generation, result: Err(TrelloError::InvalidToken), at: String::new() });
    snap("start_rejected", &m);
}

fn rotating() -> Model {
    Model::rotate(support::wizard::setup(), Instant::now(), saved_profile("never", Some(TOKEN)))
}

#[test]
fn rotation_screens() {
    snap("rotate_token_step", &rotating());
    let new_token = format!("ATTA{}0000AAAA", "1".repeat(64));
    let mut m = rotating();
    paste(&mut m, &new_token);
    press(&mut m, KeyCode::Enter);
    let generation = m.verify_generation;
    let mut bob = verified("read,write", None);
    bob.member.id = "5f00b0b".into();
    bob.member.username = "bob".into();
    bob.member.full_name = "Bob Other".into();
    send(&mut m, Msg::Verified { generation, result: Ok(bob.clone()), at: String::new() });
    snap("rotate_other_member", &m);
    // Saved anyway: the board Ann had is not Bob's, and the done screen says it went.
    let mut m = rotating();
    m.saved.as_mut().unwrap().board_id = Some("5b0000000000000000000001".into());
    m.saved.as_mut().unwrap().board_name = Some("Team Roadmap".into());
    paste(&mut m, &new_token);
    press(&mut m, KeyCode::Enter);
    let generation = m.verify_generation;
    send(&mut m, Msg::Verified { generation, result: Ok(bob), at: String::new() });
    press(&mut m, KeyCode::Char('y'));
    let mut outcome = support::wizard::saved(true, Some(TOKEN));
    outcome.board_dropped = m.saved.as_ref().unwrap().board();
    send(&mut m, Msg::Saved(Ok(outcome)));
    let screen = render(&m, 120, 40);
    assert!(screen.contains("none now: Team Roadmap was the previous account's (b chooses one)"), "{screen}");
    assert!(!screen.contains("(5b0000000000000000000001)"), "{screen}");

    // Esc on the token step of a rotation is the start screen, not step 3.
    let mut m = rotating();
    press(&mut m, KeyCode::Esc);
    assert_eq!(m.step, Step::Start);

    let mut m = rotating();
    paste(&mut m, &new_token);
    press(&mut m, KeyCode::Enter);
    let generation = m.verify_generation;
    send(&mut m, Msg::Verified { generation, result: Ok(verified("read,write", None)), at: String::new() });
    send(&mut m, Msg::Saved(Ok(support::wizard::saved(true, Some(TOKEN)))));
    snap("rotate_revoke_offered", &m);
    let mut declined = m.clone();
    press(&mut declined, KeyCode::Char('n'));
    snap("rotate_revoke_declined", &declined);
    let mut failed = m.clone();
    press(&mut failed, KeyCode::Char('y'));
    send(
        &mut failed,
        Msg::Revoked(Err(TrelloError::MissingScope { body: "unauthorized permission requested".into() })),
    );
    snap("rotate_revoke_failed", &failed);
    press(&mut m, KeyCode::Char('y'));
    snap("rotate_revoking", &m);
    send(&mut m, Msg::Revoked(Ok(())));
    send(&mut m, Msg::RevokeChecked(Err(TrelloError::InvalidToken)));
    snap("rotate_revoke_confirmed", &m);
}

/// A step taller than the terminal says so on its border, and PgDn / PgUp
/// move through it until its end and back.
#[test]
fn a_short_terminal_scrolls_with_page_keys() {
    let mut m = done("read,write");
    send(&mut m, Msg::Resize(60, 20));
    let top = render(&m, 60, 20);
    assert!(top.contains("↓ more below: PgDn") && !top.contains("more above"), "{top}");
    let last = "Never commit the token or the secret to source control.";
    assert!(!top.contains(last), "{top}");
    for _ in 0..10 {
        press(&mut m, KeyCode::PageDown);
    }
    let bottom = render(&m, 60, 20);
    assert!(bottom.contains("↑ more above: PgUp") && !bottom.contains("more below"), "{bottom}");
    assert!(bottom.contains(last), "{bottom}");
    for _ in 0..10 {
        press(&mut m, KeyCode::PageUp);
    }
    assert_eq!(m.ui.scroll, 0);
    assert_eq!(render(&m, 60, 20), top);
    // A bigger terminal needs no scrolling: no marker, no key.
    send(&mut m, Msg::Resize(120, 40));
    assert!(!render(&m, 120, 40).contains("more below"));
    assert!(press(&mut m, KeyCode::PageDown).is_empty() && m.ui.scroll == 0);
}

/// On a short terminal the help leaves a note out whole rather than cut it
/// mid-sentence, and always shows how to close it.
#[test]
fn help_on_a_short_terminal_cuts_no_note() {
    let mut m = at_step(4);
    press(&mut m, KeyCode::F(1));
    let screen = render(&m, 60, 20);
    assert!(screen.contains("Press any key to close."), "{screen}");
    let enterprise = screen.contains("Contact your administrator");
    assert_eq!(enterprise, screen.contains("paste it here."), "a note cut mid-sentence:\n{screen}");
}

#[test]
fn capture_states() {
    let mut m = at_step(4);
    m.setup.capture_off = Some("--no-capture was given".into());
    snap("token_capture_off", &m);
    let mut m = at_step(3);
    m.setup.capture_off = Some("this is an SSH session without a display".into());
    snap("apikey_capture_off", &m);
    let mut m = at_step(3);
    paste(&mut m, KEY);
    press(&mut m, KeyCode::Enter);
    send(&mut m, Msg::CaptureStarted(Err(CaptureError::PortTaken { port: 47130 })));
    snap("token_capture_port_taken", &m);
}

/// The cells of a rendered screen, one string per row (a wide character's
/// second cell is empty, so each row's text is what a person reads).
fn rows(m: &Model, width: u16, height: u16) -> Vec<Vec<String>> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view(m, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect()).collect()
}

/// Names with wide (CJK) characters wrap by display width: the box keeps its
/// right edge on every row and no character of the name is cut off.
#[test]
fn wide_names_stay_inside_the_box() {
    let short = "山田 太郎".to_string();
    let long = format!("山田 太郎 {}", "山田太郎".repeat(10));
    for (label, full_name) in [("short", short), ("long", long)] {
        let mut v = verified("read,write", Some("2026-12-28T12:00:00.000Z"));
        v.member.full_name = full_name.clone();
        let mut done = at_step(5);
        let generation = done.verify_generation;
        send(&mut done, Msg::Verified { generation, result: Ok(v.clone()), at: "2026-11-28T21:00:00Z".into() });
        send(&mut done, Msg::Saved(Ok(support::wizard::saved(false, None))));
        let mut profile = saved_profile("never", Some(TOKEN));
        profile.member_full_name = Some(full_name.clone());
        let start = Model::start_screen(support::wizard::setup(), Instant::now(), profile);
        let mut checked = start.clone();
        press(&mut checked, KeyCode::Char('v'));
        let generation = checked.verify_generation;
        send(&mut checked, Msg::Verified { generation, result: Ok(v), at: "2026-11-28T21:49:00Z".into() });
        for (screen, m) in [("done", &done), ("start", &start), ("start_valid", &checked)] {
            let cells = rows(m, 80, 24);
            // Rows 3 to 20 are inside the body box: its edges stay in place.
            for (y, row) in cells.iter().enumerate().take(21).skip(3) {
                assert_eq!(row[0], "│", "{label} {screen}: row {y} lost its left edge: {}", row.concat());
                assert_eq!(row[79], "│", "{label} {screen}: row {y} lost its right edge: {}", row.concat());
            }
            let text: String = cells.iter().map(|r| r.concat()).collect::<Vec<_>>().join("");
            // As `who` shows it: whole up to its cap (issue 27, 8), then `…`.
            let who = trello_auth::credentials::who(&full_name, "ann");
            let name_chars: String = who.chars().filter(|c| "山田太郎".contains(*c)).collect();
            let shown: String = text.chars().filter(|c| "山田太郎".contains(*c)).collect();
            assert!(
                shown.contains(&name_chars),
                "{label} {screen}: the name was cut:\n{}",
                cells.iter().map(|r| r.concat()).collect::<Vec<_>>().join("\n")
            );
        }
        if label == "short" {
            insta::assert_snapshot!("done_wide_name@80x24", render(&done, 80, 24));
            insta::assert_snapshot!("start_wide_name@80x24", render(&start, 80, 24));
        }
    }
}

#[test]
fn hints_name_the_profile_the_wizard_runs_for() {
    // Run as `trello-auth --profile work`, a bare `trello-auth rotate` would
    // act on another profile: every command a screen suggests names this one.
    let run = "trello-auth --profile work";
    let named = |mut m: Model| {
        m.setup.profile = "work".into();
        m.setup.run = run.into();
        m
    };
    // Wrapped lines joined: a command may break across two.
    let words = |m: &Model| {
        render(m, 120, 40).lines().map(|l| l.trim_matches(|c| c == '│' || c == ' ')).collect::<Vec<_>>().join(" ")
    };
    let mut m = named(at_step(4));
    let screen = words(&m);
    assert!(screen.contains(&format!("renew with {run} rotate")), "{screen}");
    send(&mut m, support::wizard::key(KeyCode::F(1)));
    let screen = words(&m);
    assert!(screen.contains(&format!("{run} --plain")), "{screen}");
    let mut m = named(at_step(5));
    m.verify = trello_auth::wizard::model::VerifyState::ChooseStorage(verified("read,write", None));
    let screen = words(&m);
    assert!(screen.contains(&format!("{run} storage")), "{screen}");
}

#[test]
fn help_over_a_question_leaves_the_question_s_keys_named() {
    // Help draws over the screen; the question under it still names y and n.
    let mut m = at_step(5);
    m.verify = trello_auth::wizard::model::VerifyState::ConfirmCaptured(verified("read,write", None));
    let before = render(&m, 120, 40);
    assert!(before.contains("(y/n)"), "{before}");
    send(&mut m, support::wizard::key(KeyCode::F(1)));
    assert!(m.ui.help, "F1 opens help on the question");
    let screen = render(&m, 120, 40);
    assert!(screen.contains("(y/n)") && !screen.contains("(/)"), "{screen}");
}

/// A long `--profile` run keeps the Done screen's commands readable: each
/// "what" beside its command where the column fits, else under it (issue 28).
#[test]
fn done_for_another_profile() {
    let mut m = done("read,write");
    m.setup.profile = "work".into();
    m.setup.run = "trello-auth --profile work".into();
    snap("done_profile_work", &m);
}

/// On a wide terminal no line of text runs past 100 columns (issue 28).
#[test]
fn a_wide_terminal_keeps_lines_short() {
    for m in [at_step(1), at_step(3), done("read,write")] {
        let screen = render(&m, 200, 50);
        // The body's lines, between the box's top and bottom borders.
        for line in screen.lines().skip(3).filter(|l| l.starts_with('│')) {
            let text = line.trim_start_matches('│').trim_end_matches('│').trim_end();
            assert!(text.chars().count() <= 102, "{} columns: {text}\n{screen}", text.chars().count());
        }
    }
}

/// A keyring that would not take the token: the screen gives its cure in this
/// system's words (the one advice table), and the file as the way around it.
#[test]
fn a_keyring_that_would_not_save_shows_its_cure() {
    use trello_auth::credentials::keyring::{KeyringError, WORDS};
    use trello_auth::credentials::vault::VaultError;
    let mut m = at_step(5);
    let generation = m.verify_generation;
    send(
        &mut m,
        Msg::Verified { generation, result: Ok(verified("read,write", None)), at: "2026-11-28T21:00:00Z".into() },
    );
    let locked = KeyringError::Locked { detail: "the prompt was dismissed".into() };
    send(&mut m, Msg::Saved(Err(VaultError::Keyring(locked))));
    let screen = render(&m, 120, 40);
    let start: String = WORDS.unlock.chars().take(20).collect();
    let mut first = start.chars();
    let capitalized: String = first.next().map(|c| c.to_uppercase().chain(first).collect()).unwrap_or_default();
    assert!(screen.contains(&format!("Fix: {capitalized}")), "{screen}");
    assert!(screen.contains("the keyring is locked and was not unlocked"), "{screen}");
}
