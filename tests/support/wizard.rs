//! Helpers to drive the wizard's state machine without a terminal.

use std::path::PathBuf;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use trello_auth::credentials::Secret;
use trello_auth::credentials::store::Saved;
use trello_auth::credentials::vault::{Place, Replaced, SaveOutcome};
use trello_auth::trello::{Endpoints, Member, TokenInfo, Verified};
use trello_auth::wizard::{Effect, Model, Msg, Setup, update};

// From the crate's `values` module (tests/support/values.rs; a bench that
// includes this file alone includes that one beside it). Not every suite uses each.
#[allow(unused_imports)]
pub use super::values::{KEY, SECRET, TOKEN};

pub fn setup() -> Setup {
    Setup {
        endpoints: Endpoints { api_base: "https://api.trello.com/1".into(), web_base: "https://trello.com".into() },
        profile: "default".into(),
        config_path: PathBuf::from("/home/ann/.config/trello-auth/config.toml"),
        no_browser_reason: None,
        color: true,
        started_at: time::OffsetDateTime::parse("2026-11-28T12:00:00Z", &time::format_description::well_known::Rfc3339)
            .unwrap(),
        capture_port: 47130,
        capture_off: None,
        profile_source: trello_auth::commands::ProfileSource::BuiltIn.words().into(),
        other_profiles: Vec::new(),
        plain: false,
        run: "trello-auth".into(),
        named_config: None,
    }
}

/// Where the model-level tests pretend the profile is saved.
pub const CONFIG: &str = "/home/ann/.config/trello-auth/config.toml";

/// What the vault answers after a save of Ann's profile to the file: with the
/// previous file kept as `.bak` when `backup`, and `replaced` the old token a
/// rotation replaced (Ann's, a copy of it in the backup).
pub fn saved(backup: bool, replaced: Option<&str>) -> Box<SaveOutcome> {
    let path = PathBuf::from(CONFIG);
    let backup = backup.then(|| PathBuf::from(format!("{CONFIG}.bak")));
    Box::new(SaveOutcome {
        saved: Saved { path: path.clone(), backup: backup.clone() },
        place: Place::File(path),
        replaced: replaced.map(|token| Replaced {
            token: Secret::new(token),
            member_username: Some("ann".into()),
            copy_in: backup,
            still_held_by: Vec::new(),
        }),
        board_dropped: None,
        unchanged: replaced.is_none(),
        shared_with: None,
        warnings: Vec::new(),
    })
}

pub fn model() -> Model {
    Model::new(setup(), Instant::now())
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// `msg` to the model, then what the runtime's next frame would tell it: how
/// far the body can scroll at the size the model knows.
pub fn send(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = update(m, msg);
    if m.ui.size.is_some() {
        let room = trello_auth::wizard::view::scroll_room(m);
        if room != m.ui.room {
            effects.extend(update(m, Msg::Layout(room)));
        }
    }
    effects
}

pub fn press(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    send(m, key(code))
}

pub fn type_text(m: &mut Model, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| send(m, key(KeyCode::Char(c)))).collect()
}

pub fn paste(m: &mut Model, text: &str) -> Vec<Effect> {
    send(m, Msg::Paste(text.to_string()))
}

/// What a successful verification of Ann's token returns.
pub fn verified(scopes: &str, expires: Option<&str>) -> Box<Verified> {
    let permissions = format!(
        r#"[{{"idModel":"*","modelType":"Board","read":{},"write":{}}}]"#,
        scopes.contains("read"),
        scopes.contains("write")
    );
    Box::new(Verified {
        member: Member {
            id: "5f00a11".into(),
            username: "ann".into(),
            full_name: "Ann Example".into(),
            email: None,
            url: None,
        },
        token: TokenInfo {
            id: "tok1".into(),
            identifier: Some("trello-auth".into()),
            id_member: Some("5f00a11".into()),
            date_created: None,
            date_expires: expires.map(str::to_string),
            permissions: serde_json::from_str(&permissions).unwrap(),
        },
        clock_ahead: None,
    })
}
