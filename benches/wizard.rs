//! Keystroke-to-frame and full-render costs of every wizard screen, at 80×24 and 200×60.
//!
//! Run: `cargo bench --bench wizard`. A frame is `view` into a ratatui
//! `TestBackend` through `Terminal::draw` (diff and all), the same path the
//! real terminal takes minus the write to the tty.

use std::hint::black_box;
use std::time::Instant;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use trello_auth::credentials::Secret;
use trello_auth::credentials::store::Profile;
use trello_auth::trello::{KeyCheck, TrelloError};
use trello_auth::wizard::{Model, Msg, update, view};

#[allow(dead_code)]
#[path = "../tests/support/values.rs"]
mod values;
#[allow(dead_code)]
#[path = "../tests/support/wizard.rs"]
mod wizard;

use wizard::{KEY, TOKEN, key, model, paste, press, send, verified};

/// One model per screen, each with its focus where typing goes.
fn screens() -> Vec<(&'static str, Model, KeyCode)> {
    let portal = model();
    let mut powerup = model();
    press(&mut powerup, KeyCode::Enter);
    let mut apikey = powerup.clone();
    press(&mut apikey, KeyCode::Enter);
    paste(&mut apikey, &KEY[..20]);
    let mut token = apikey.clone();
    paste(&mut token, KEY);
    send(&mut token, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Known });
    press(&mut token, KeyCode::Enter);
    send(&mut token, Msg::CaptureStarted(Ok(("http://127.0.0.1:47130/callback/0123456789abcdef".into(), 47130))));
    paste(&mut token, &TOKEN[..40]);
    let mut verify = token.clone();
    paste(&mut verify, TOKEN);
    press(&mut verify, KeyCode::Enter);
    let generation = verify.verify_generation;
    send(&mut verify, Msg::Verified { generation, result: Err(TrelloError::InvalidToken), at: String::new() });
    let mut done = token.clone();
    paste(&mut done, TOKEN);
    press(&mut done, KeyCode::Enter);
    let generation = done.verify_generation;
    send(&mut done, Msg::Verified { generation, result: Ok(verified("read,write", None)), at: String::new() });
    send(&mut done, Msg::Saved(Ok(wizard::saved(false, None))));
    let profile = Profile {
        api_key: KEY.into(),
        token: Some(Secret::new(TOKEN)),
        member_username: Some("ann".into()),
        member_full_name: Some("Ann Example".into()),
        token_expires: Some("2026-12-28T12:00:00.000Z".into()),
        ..Profile::default()
    };
    let start = Model::start_screen(wizard::setup(), Instant::now(), profile);
    vec![
        ("1-portal", portal, KeyCode::Tab),
        ("2-powerup", powerup, KeyCode::Char('a')),
        ("3-apikey", apikey, KeyCode::Char('a')),
        ("4-token", token, KeyCode::Char('a')),
        ("5-verify-failed", verify, KeyCode::Tab),
        ("done", done, KeyCode::Tab),
        ("start", start, KeyCode::Down),
    ]
}

fn benches(c: &mut Criterion) {
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        for (name, mut m, code) in screens() {
            // As the runtime does: the model knows the terminal's size (the
            // keymap then measures the body for PgUp/PgDn, which costs).
            let _ = update(&mut m, Msg::Resize(w, h));
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            c.bench_function(&format!("render/{name}/{w}x{h}"), |b| {
                b.iter(|| {
                    // A full redraw: clear forces every cell to be written again.
                    terminal.clear().unwrap();
                    terminal.draw(|frame| view(black_box(&m), frame)).unwrap();
                })
            });
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|frame| view(&m, frame)).unwrap();
            c.bench_function(&format!("keystroke/{name}/{w}x{h}"), |b| {
                b.iter_batched(
                    || m.clone(),
                    |mut m| {
                        let effects = update(&mut m, key(code));
                        terminal.draw(|frame| view(&m, frame)).unwrap();
                        (m, effects)
                    },
                    BatchSize::SmallInput,
                )
            });
        }
    }
}

criterion_group!(wizard_benches, benches);
criterion_main!(wizard_benches);
