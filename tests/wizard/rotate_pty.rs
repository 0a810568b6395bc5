//! `trello-auth rotate` and the start screen, in a real pseudo-terminal against the fake Trello.

use crate::support;

use support::fake_trello::{ANN, BOB, FakeTrello, KEY};
use support::pty::{CTRL_C, ENTER, Pty, base_command};
use trello_auth::credentials::Secret;
use trello_auth::credentials::store::{Profile, Store};
use trello_auth::trello::{Client, ClientConfig, Credentials, Expiration, Scopes, TrelloError};

fn saved_profile(store: &Store, token: &str) {
    let profile = Profile {
        api_key: KEY.into(),
        token: Some(Secret::new(token)),
        app_name: "Team scripts".into(),
        requested_scope: Scopes { read: true, write: true, account: true },
        expiration: Expiration::Never,
        member_id: Some(ANN.into()),
        member_username: Some("ann".into()),
        member_full_name: Some("Ann Example".into()),
        token_expires: Some("never".into()),
        ..Profile::default()
    };
    store.save_profile("default", profile).unwrap();
}

fn spawn(fake: &FakeTrello, home: &std::path::Path, args: &[&str]) -> Pty {
    let mut cmd = base_command(home);
    cmd.args(args);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    Pty::spawn(cmd, 100, 30)
}

fn old_token_is_refused(fake: &FakeTrello, token: &str) -> bool {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = Client::new(&fake.api_base(), ClientConfig::default()).unwrap();
    let creds = Credentials::sendable(KEY, &Secret::new(token)).unwrap();
    rt.block_on(client.member_me(&creds)) == Err(TrelloError::InvalidToken)
}

#[test]
fn rotate_saves_the_new_token_then_revokes_the_old_one() {
    let fake = FakeTrello::with_ann();
    let old = fake.issue_token(KEY, ANN, "read,write,account", None);
    let new = fake.issue_token(KEY, ANN, "read,write,account", None);
    let home = tempfile::tempdir().unwrap();
    let store = Store::at(home.path().join("trello-auth/config.toml"));
    saved_profile(&store, &old);
    let before = std::fs::read_to_string(store.path()).unwrap();

    let mut pty = spawn(&fake, home.path(), &["rotate"]);
    let screen = pty.expect("Authorize a new token");
    assert!(screen.contains("rotate the token"), "{screen}");
    let url_text = screen.replace(['│', '\n', ' '], "");
    assert!(
        url_text.contains("expiration=never&scope=read,write,account&response_type=token&name=Team%20scripts"),
        "{screen}"
    );
    pty.paste(&new);
    pty.send(ENTER);
    pty.expect("Revoke the old one");
    assert!(!fake.is_revoked(&old), "nothing is revoked before the user says so");
    let saved = store.profile("default").unwrap().unwrap();
    assert_eq!(saved.token.unwrap().expose(), new, "the new token is saved before any revocation");
    assert_eq!(std::fs::read_to_string(store.backup_path()).unwrap(), before, "the old file is the backup");
    pty.send("y");
    pty.expect("The old token is revoked");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    pty.assert_terminal_restored();
    assert!(fake.is_revoked(&old));
    assert!(old_token_is_refused(&fake, &old), "the old token now gets 401 invalid token");
    let saved = store.profile("default").unwrap().unwrap();
    assert_eq!(saved.app_name, "Team scripts");
    assert_eq!(saved.expiration, Expiration::Never);
    assert_eq!(saved.member_username.as_deref(), Some("ann"));
}

#[test]
fn rotating_to_another_members_token_asks_and_declining_changes_nothing() {
    let fake = FakeTrello::with_ann();
    fake.add_bob();
    let old = fake.issue_token(KEY, ANN, "read,write", None);
    let bobs = fake.issue_token(KEY, BOB, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let store = Store::at(home.path().join("trello-auth/config.toml"));
    saved_profile(&store, &old);
    let before = std::fs::read(store.path()).unwrap();

    let mut pty = spawn(&fake, home.path(), &["rotate"]);
    pty.expect("Authorize a new token");
    pty.paste(&bobs);
    pty.send(ENTER);
    let screen = pty.expect("Save it anyway?");
    assert!(screen.contains("Bob Other (@bob)") && screen.contains("Ann Example (@ann)"), "{screen}");
    pty.send("n");
    pty.expect("Not saved");
    pty.send(CTRL_C);
    assert_eq!(pty.wait(), 1);
    pty.assert_terminal_restored();
    assert_eq!(std::fs::read(store.path()).unwrap(), before, "the file is unchanged");
    assert!(!store.backup_path().exists(), "no save happened, so no backup either");
    assert!(!fake.is_revoked(&old));
}

#[test]
fn a_failed_revoke_says_so_and_names_the_applications_page() {
    let fake = FakeTrello::with_ann();
    // A read-only old token cannot revoke itself.
    let old = fake.issue_token(KEY, ANN, "read", None);
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let store = Store::at(home.path().join("trello-auth/config.toml"));
    saved_profile(&store, &old);
    let mut pty = spawn(&fake, home.path(), &["rotate"]);
    pty.expect("Authorize a new token");
    pty.paste(&new);
    pty.send(ENTER);
    pty.expect("Revoke the old one");
    pty.send("y");
    let screen = pty.expect("Could not revoke the old token");
    assert!(screen.replace(['│', '\n'], "").contains("/u/ann/account"), "{screen}");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0, "the new token was saved");
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), new);
}

#[test]
fn the_start_screen_shows_the_profile_and_verifies_on_demand() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let store = Store::at(home.path().join("trello-auth/config.toml"));
    saved_profile(&store, &token);
    let mut pty = spawn(&fake, home.path(), &[]);
    let screen = pty.expect("Logged in as Ann Example (@ann)");
    assert!(screen.contains("verify now") && screen.contains("rotate the token"), "{screen}");
    assert!(!screen.contains(&token));
    pty.send("v");
    pty.expect("Trello accepts the key and token");
    pty.send("r");
    pty.expect("Authorize a new token");
    pty.send(CTRL_C);
    assert_eq!(pty.wait(), 1);
    let mut pty = spawn(&fake, home.path(), &[]);
    pty.expect("Logged in as");
    pty.send("q");
    assert_eq!(pty.wait(), 0, "leaving the start screen is not a failure");
    pty.assert_terminal_restored();
}

/// The start screen's verify against a proxy that echoes the request as JSON
/// of the wrong type: the error shown quotes neither the key nor the token.
#[test]
fn the_start_screen_never_shows_a_credential_from_a_wrong_typed_answer() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    saved_profile(&Store::at(home.path().join("trello-auth/config.toml")), &token);
    fake.state().echo = Some(support::fake_trello::Echo::AsString);
    let mut pty = spawn(&fake, home.path(), &[]);
    pty.expect("Logged in as Ann Example (@ann)");
    pty.send("v");
    pty.expect("not the JSON");
    pty.send("q");
    pty.wait();
    let shown = String::from_utf8_lossy(&pty.raw_output()).into_owned();
    assert!(!shown.contains(&token[..12]) && !shown.contains(&token[64..]), "the token was on screen");
    assert!(!shown.contains(&KEY[..12]), "the key was on screen");
}

/// Another local program holds a token of this very member (the leaked one
/// that made the user rotate, or an older one) and posts it to the listener
/// before the browser gets there: neither is saved. The token being replaced
/// is named as such; one made before this run began is refused on Trello's
/// own dates; in both cases the next token is pasted, and the saved one stays.
#[test]
fn a_token_planted_in_a_rotation_is_never_saved() {
    let port = support::raw_server::closed_port();
    let fake = FakeTrello::with_ann();
    fake.allow_origin(&format!("http://127.0.0.1:{port}"));
    let old = fake.issue_token(KEY, ANN, "read,write,account", None);
    let older = fake.issue_token_made(KEY, ANN, "read,write", None, "2026-10-01T09:00:00.000Z");
    let home = tempfile::tempdir().unwrap();
    let store = Store::at(home.path().join("trello-auth/config.toml"));
    saved_profile(&store, &old);
    for (planted, said, plain) in [
        (&old, "That is the token being replaced", false),
        (&older, "before this run began", false),
        (&older, "before this run began", true),
    ] {
        let mut cmd = base_command(home.path());
        cmd.args(if plain { &["rotate", "--plain"][..] } else { &["rotate"][..] });
        cmd.env("TRELLO_API_BASE", fake.api_base());
        cmd.env("TRELLO_WEB_BASE", fake.web_base());
        cmd.env("TRELLO_AUTH_CALLBACK_PORT", port.to_string());
        cmd.env("DISPLAY", ":99");
        cmd.env("BROWSER", support::browser::planting(home.path(), planted));
        let mut pty = Pty::spawn(cmd, 110, 34);
        if plain {
            pty.expect("How long should the token live?");
            pty.send(ENTER);
            pty.expect("Scopes (");
            pty.send(ENTER);
            pty.expect("Paste the token");
            pty.send("open\r");
        } else {
            pty.expect("^C quit");
            pty.send("\x0f");
        }
        let screen = pty.expect(said);
        assert!(!screen.contains("your account? Save it?"), "{screen}");
        if !plain && planted == &older {
            // The way on is step 4, pasting this time.
            pty.send(ENTER);
            pty.expect("Paste mode");
        }
        pty.send(CTRL_C);
        pty.wait();
        assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), old, "nothing was saved");
        assert!(!fake.is_revoked(&old));
    }
}

/// A token the start screen's check saw refused (revoked elsewhere): after the
/// rotation nothing is offered to revoke, and it is not said to still work.
#[test]
fn a_rotation_after_the_start_check_saw_the_old_token_refused_does_not_say_it_still_works() {
    let fake = FakeTrello::with_ann();
    let old = fake.issue_token(KEY, ANN, "read,write", None);
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let store = Store::at(home.path().join("trello-auth/config.toml"));
    saved_profile(&store, &old);
    fake.state().tokens.get_mut(&old).unwrap().revoked = true;
    let mut pty = spawn(&fake, home.path(), &[]);
    pty.expect("Logged in as Ann Example (@ann)");
    pty.send("v");
    pty.expect("invalid token");
    pty.send("r");
    pty.expect("Authorize a new token");
    pty.paste(&new);
    pty.send(ENTER);
    let screen = pty.expect("already refused by Trello");
    assert!(!screen.contains("Revoke the old one"), "{screen}");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0, "{}", pty.screen());
    let normal = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(!normal.contains("still valid") && !normal.contains("stays valid"), "{normal}");
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), new);
}
