//! A member's name from Trello as an attacker would choose it (issue 27, 8): a
//! long or padded full name must not push the real `@username` out of view on
//! the question that confirms a caught token, in either wizard.

use crate::support;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::wizard::{KEY, TOKEN, model, paste, press, send, verified};
use trello_auth::trello::KeyCheck;
use trello_auth::wizard::model::VerifyState;
use trello_auth::wizard::{Model, Msg, view};

const RETURN_URL: &str = "http://127.0.0.1:47130/callback/0123456789abcdef0123456789abcdef";

/// Full names that pretend to be the victim, then hide who the token really
/// belongs to: long runs of spaces (ASCII and Unicode), blanks that are not
/// whitespace to Unicode (Braille, Hangul fillers), zero-width ones, line
/// breaks, and sheer length.
fn hostile_names() -> Vec<(&'static str, String)> {
    let pose = "Ann Example (@ann)";
    vec![
        ("ascii spaces", format!("{pose}{}.", " ".repeat(480))),
        ("unicode spaces", format!("{pose}{}.", "\u{3000}\u{2003}\u{a0}".repeat(160))),
        ("braille blanks", format!("{pose}{}.", "\u{2800}".repeat(480))),
        ("hangul fillers", format!("{pose}{}.", "\u{3164}\u{ffa0}\u{115f}".repeat(160))),
        ("zero-width", format!("{pose}{}.", "\u{200b}\u{2060}\u{feff} ".repeat(120))),
        ("line breaks", format!("{pose}{}.", "\n\u{2028}".repeat(200))),
        ("length", format!("{pose} {}", "x".repeat(2000))),
        ("words", format!("{pose}{}", " and more".repeat(200))),
    ]
}

/// Step 5 of the wizard asking about a token caught from the browser that belongs to `full_name` (@mallory).
fn confirming(full_name: &str) -> Model {
    let mut m = model();
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Enter);
    paste(&mut m, KEY);
    send(&mut m, Msg::KeyChecked { key: KEY.into(), result: KeyCheck::Known });
    press(&mut m, KeyCode::Enter);
    send(&mut m, Msg::CaptureStarted(Ok((RETURN_URL.into(), 47130))));
    paste(&mut m, TOKEN);
    press(&mut m, KeyCode::Enter);
    let mut v = verified("read,write", None);
    v.member.username = "mallory".into();
    v.member.full_name = full_name.into();
    m.verify = VerifyState::ConfirmCaptured(v);
    m
}

fn render(m: &Model, width: u16, height: u16) -> String {
    let mut m = m.clone();
    send(&mut m, Msg::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view(&m, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_padded_full_name_never_hides_the_username_on_the_capture_question() {
    for (what, name) in hostile_names() {
        let m = confirming(&name);
        // The smallest terminal the wizard draws in, and a common one.
        for (width, height) in [(60, 20), (80, 24)] {
            let screen = render(&m, width, height);
            let lines: Vec<&str> = screen.lines().collect();
            let start = lines.iter().position(|l| l.contains("│ Is "));
            let Some(start) = start else { panic!("{what} at {width}x{height}: no question in view:\n{screen}") };
            let end = (start..lines.len()).find(|&i| lines[i].contains("(y/n)"));
            let Some(end) = end else {
                panic!("{what} at {width}x{height}: the question's end is out of view:\n{screen}")
            };
            // The question, from "Is" to "(y/n)", is at most three lines and names @mallory.
            let question: String = lines[start..=end].concat();
            assert!(end - start <= 2 && question.contains("(@mallory)"), "{what} at {width}x{height}:\n{screen}");
        }
    }
}
