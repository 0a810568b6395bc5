//! The plain, line-by-line wizard through the real binary in a pty with
//! TERM=dumb: all five steps, re-asked answers, a rejected token and the way
//! back, rotate, quitting at each step, Ctrl+D; the transcript holds no escape
//! sequence and no secret, and a golden copy of it is pinned.

use crate::support;

use std::path::Path;

use support::fake_trello::{ANN, BOB, FakeTrello, KEY};
use support::pty::{Pty, base_command};
use trello_auth::credentials::store::Store;

const SECRET: &str = "5ec12e75ec12e75ec12e75ec12e75ec12e75ec12e75ec12e75ec12e75ec12e7a";
const CTRL_D: &str = "\x04";

fn plain(fake: &FakeTrello, home: &Path, args: &[&str]) -> Pty {
    let mut cmd = base_command(home);
    cmd.args(args);
    cmd.env("TERM", "dumb");
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    Pty::spawn(cmd, 200, 60)
}

/// Ann's profile saved under `home`, holding `token`.
fn save_ann(home: &Path, token: &str) -> Store {
    let store = Store::at(home.join("trello-auth/config.toml"));
    let profile = trello_auth::credentials::store::Profile {
        api_key: KEY.into(),
        token: Some(trello_auth::credentials::Secret::new(token)),
        member_id: Some(ANN.into()),
        member_username: Some("ann".into()),
        member_full_name: Some("Ann Example".into()),
        token_expires: Some("never".into()),
        ..Default::default()
    };
    store.save_profile("default", profile).unwrap();
    store
}

/// The Done screen's last question: a default board now, or finish (Enter).
fn finish(pty: &mut Pty) {
    pty.expect("Done: Credentials verified and saved");
    pty.expect("Choose a default board for scripts and agents (TRELLO_BOARD_ID) now?");
    line(pty, "");
}

fn line(pty: &mut Pty, text: &str) {
    pty.send(&format!("{text}\r"));
}

/// The raw bytes as text: what a log or a screen reader gets.
fn transcript(pty: &Pty) -> String {
    String::from_utf8_lossy(&pty.raw_output()).replace("\r\n", "\n")
}

fn assert_plain(pty: &Pty, secrets: &[&str]) {
    let raw = pty.raw_output();
    assert!(!raw.contains(&0x1b), "an escape sequence in plain mode:\n{}", transcript(pty));
    let text = transcript(pty);
    for secret in secrets {
        assert!(!text.contains(secret), "a secret is in the transcript:\n{text}");
    }
}

/// Steps 1 to 3 with a wrong key first: re-asked.
fn to_token_step(pty: &mut Pty) {
    pty.expect("Step 1 of 5: Open the app admin portal");
    line(pty, "");
    pty.expect("Step 2 of 5: Create a Power-Up");
    pty.expect("Power-Up name (Enter keeps trello-auth):");
    line(pty, "");
    line(pty, "ann@example.com");
    line(pty, "");
    pty.expect("Click Create in the portal, then press Enter.");
    line(pty, "");
    pty.expect("Step 3 of 5: Generate the API key");
    line(pty, "0123456789abcdefg");
    pty.expect("Error: 'g' at position 17 is not allowed");
    line(pty, KEY);
    pty.expect("OK: Trello knows this key");
    line(pty, SECRET);
    line(pty, "");
    pty.expect("Step 4 of 5: Authorize a token");
}

#[test]
fn all_five_steps_as_lines_with_nothing_drawn_and_nothing_leaked() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &["--no-capture"]);
    pty.expect("plain mode (TERM is dumb)");
    to_token_step(&mut pty);
    pty.expect("How long should the token live?");
    line(&mut pty, "forever");
    pty.expect("\"forever\" is not one of the choices");
    line(&mut pty, "4");
    pty.expect("Scopes (1 read, 2 write, 3 account;");
    line(&mut pty, "1, 2");
    pty.expect("Paste the token (it is not shown):");
    // The secret pasted as the token is named, before anything is sent.
    line(&mut pty, SECRET);
    pty.expect("this is your API secret, not a token");
    line(&mut pty, &token);
    pty.expect("Step 5 of 5: Verify");
    pty.expect("Done: Credentials verified and saved");
    finish(&mut pty);
    assert_eq!(pty.wait(), 0);
    assert_plain(&pty, &[&token, SECRET]);
    let profile = Store::at(home.path().join("trello-auth/config.toml")).profile("default").unwrap().unwrap();
    assert_eq!(profile.token.unwrap().expose(), token);
    assert_eq!(profile.api_secret.unwrap().expose(), SECRET);
    assert_eq!(profile.expiration.as_str(), "never");
    pty.assert_terminal_restored();
}

#[test]
fn a_rejected_token_leads_back_to_step_4_and_a_good_one_finishes() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    let unknown = format!("ATTA{}0000AAAA", "9".repeat(64));
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &["--no-capture"]);
    to_token_step(&mut pty);
    line(&mut pty, "");
    line(&mut pty, "");
    pty.expect("Paste the token");
    line(&mut pty, &unknown);
    pty.expect("Trello rejected the token (401 invalid token)");
    pty.expect("Why: ");
    pty.expect("Fix: ");
    pty.expect("Press Enter to go back to step 4 and authorize a new token, or type back or quit.");
    line(&mut pty, "");
    // Back on step 4 the expiration and scopes chosen stand: straight to the token.
    let start = std::time::Instant::now();
    while transcript(&pty).matches("Paste the token (it is not shown):").count() < 2 {
        assert!(start.elapsed() < support::pty::PATIENCE, "{}", transcript(&pty));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Trello asks to wait: the countdown is a line, not a redraw.
    fake.push_fault(support::fake_trello::Fault::RateLimit {
        retry_after: Some("1".into()),
        code: "API_TOKEN_LIMIT_EXCEEDED",
    });
    line(&mut pty, &good);
    pty.expect("Trello says slow down (API_TOKEN_LIMIT_EXCEEDED): retrying in 1 s (attempt 1)");
    finish(&mut pty);
    assert_eq!(pty.wait(), 0);
    assert_plain(&pty, &[&good, &unknown, SECRET]);
}

#[test]
fn quitting_at_each_step_saves_nothing() {
    let fake = FakeTrello::with_ann();
    for (step, answers) in
        [(1, vec![]), (2, vec![""]), (3, vec!["", "", "", "", ""]), (4, vec!["", "", "", "", "", KEY, "", ""])]
    {
        let home = tempfile::tempdir().unwrap();
        let mut pty = plain(&fake, home.path(), &["--no-capture"]);
        pty.expect("Step 1 of 5");
        for answer in answers {
            line(&mut pty, answer);
        }
        pty.expect(&format!("Step {step} of 5"));
        line(&mut pty, "quit");
        assert_eq!(pty.wait(), 1, "step {step}");
        assert!(pty.screen().contains("quit before saving; nothing was written"), "{}", pty.screen());
        assert!(!home.path().join("trello-auth/config.toml").exists(), "step {step} saved something");
        assert_plain(&pty, &[]);
    }
}

#[test]
fn ctrl_d_at_a_secret_prompt_quits_and_gives_the_echo_back() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &["--no-capture"]);
    to_token_step(&mut pty);
    line(&mut pty, "");
    line(&mut pty, "");
    pty.expect("Paste the token (it is not shown):");
    pty.send(CTRL_D);
    assert_eq!(pty.wait(), 1);
    assert!(!home.path().join("trello-auth/config.toml").exists());
    pty.assert_terminal_restored();
}

#[test]
fn rotate_in_plain_mode_asks_about_another_member_then_revokes() {
    let fake = FakeTrello::with_ann();
    fake.add_bob();
    let old = fake.issue_token(KEY, ANN, "read,write", None);
    let bobs = fake.issue_token(KEY, BOB, "read,write", None);
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let store = save_ann(home.path(), &old);
    let mut pty = plain(&fake, home.path(), &["rotate", "--no-capture"]);
    pty.expect("Step 4 of 5: Authorize a new token (rotating)");
    line(&mut pty, "");
    line(&mut pty, "");
    line(&mut pty, &bobs);
    pty.expect("This new token belongs to Bob Other (@bob)");
    pty.expect("Save it anyway? (1 save anyway, 2 back to the token; Enter for 2):");
    line(&mut pty, "n");
    pty.expect("Not saved. Authorize the token while logged in to Trello as the saved member.");
    // The expiration and scopes stand: only the token is asked again.
    let start = std::time::Instant::now();
    while transcript(&pty).matches("Paste the token (it is not shown):").count() < 2 {
        assert!(start.elapsed() < support::pty::PATIENCE, "{}", transcript(&pty));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    line(&mut pty, &new);
    pty.expect("Revoke the old token now?");
    line(&mut pty, "y");
    pty.expect("The old token is revoked: Trello now answers 401 invalid token for it.");
    finish(&mut pty);
    assert_eq!(pty.wait(), 0);
    assert!(fake.is_revoked(&old));
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), new);
    assert_plain(&pty, &[&old, &new, &bobs]);
}

/// A whole run's transcript, pinned: a change of words shows in review.
#[test]
fn golden_transcript_of_a_whole_run() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &["--no-capture"]);
    to_token_step(&mut pty);
    line(&mut pty, "");
    pty.expect("Scopes (1 read, 2 write, 3 account;");
    // A misspelt scope is said and asked again.
    line(&mut pty, "read,wirte");
    pty.expect("unknown scope \"wirte\"");
    line(&mut pty, "read");
    pty.expect("Paste the token");
    line(&mut pty, &token);
    finish(&mut pty);
    assert_eq!(pty.wait(), 0);
    let base = fake.web_base();
    let home_text = home.path().display().to_string();
    let text = transcript(&pty).replace(&base, "http://FAKE-TRELLO").replace(&home_text, "/HOME");
    insta::assert_snapshot!("plain_transcript", text);
}

/// A token pasted where it does not belong (a choice, the scopes, "press
/// Enter" after a failure) is never repeated back: the only copies in the
/// transcript are the terminal's own echo of what was typed at echoing prompts.
#[test]
fn a_token_pasted_at_the_wrong_prompt_is_never_repeated() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let unknown = format!("ATTA{}0000AAAA", "9".repeat(64));
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &["--no-capture"]);
    to_token_step(&mut pty);
    pty.expect("How long should the token live?");
    line(&mut pty, &token);
    pty.expect("That is not one of the choices");
    line(&mut pty, "");
    pty.expect("Scopes (1 read, 2 write, 3 account;");
    line(&mut pty, &token.to_lowercase());
    pty.expect("unknown scope (not repeated");
    line(&mut pty, "");
    pty.expect("Paste the token (it is not shown):");
    line(&mut pty, &unknown);
    pty.expect("Trello rejected the token");
    // At "press Enter" (read without echo), the good token is taken as the new one.
    pty.expect("Press Enter to go back to step 4");
    line(&mut pty, &token);
    finish(&mut pty);
    assert_eq!(pty.wait(), 0);
    let text = transcript(&pty);
    // Answers are read without echo, and one shaped like a credential is not said back.
    assert_eq!(text.matches(&token).count(), 0, "{text}");
    assert_eq!(text.matches(&token.to_lowercase()).count(), 0, "{text}");
    assert!(!text.contains(&unknown), "{text}");
    let profile = Store::at(home.path().join("trello-auth/config.toml")).profile("default").unwrap().unwrap();
    assert_eq!(profile.token.unwrap().expose(), token);
}

#[test]
fn the_start_screen_verifies_as_lines() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let store = save_ann(home.path(), &token);
    let mut pty = plain(&fake, home.path(), &[]);
    pty.expect("Logged in as Ann Example (@ann)");
    pty.expect(
        "What next? (1 verify now, 2 rotate the token, 3 set up from scratch, 4 choose the default board, 5 quit; \
         Enter for 1):",
    );
    line(&mut pty, "");
    pty.expect("Trello accepts the key and token (checked just now).");
    // The default board, as lines: the same picker, chosen by a part of its
    // name as the full-screen filter matches.
    let roadmap = fake.add_board("AbCd1234", "Team Roadmap", Some(("5e0000000000000000000001", "Acme")), ANN);
    line(&mut pty, "4");
    pty.expect("2. Team Roadmap — Acme — AbCd1234");
    pty.expect("Default board: type a number or part of a name (Enter for 1):");
    line(&mut pty, "road");
    pty.expect("Default board: Team Roadmap; scripts and agents get it as TRELLO_BOARD_ID.");
    assert_eq!(store.profile("default").unwrap().unwrap().board_id, Some(roadmap));
    line(&mut pty, "quit");
    assert_eq!(pty.wait(), 0);
    assert_plain(&pty, &[&token]);
}

/// What a person types that the wizard cannot use is said so and loses
/// nothing: a command word with nothing to do here, a bad secret cleared with
/// Enter (only that field asked again), a key kept with Enter after going back.
#[test]
fn plain_answers_are_forgiving_and_the_key_is_never_echoed() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &["--no-capture"]);
    pty.expect("Step 1 of 5: Open the app admin portal");
    line(&mut pty, "switch");
    pty.expect("Nothing to switch here; type help for what works at this prompt.");
    // A copy's outcome is said before the next line is read (here: no clipboard).
    line(&mut pty, "copy");
    line(&mut pty, "help");
    let said = pty.expect("Commands here:");
    let copied = said.find("copy the portal URL by hand").expect(&said);
    assert!(copied < said.find("Commands here:").unwrap(), "{said}");
    line(&mut pty, "help");
    let help = pty.expect("Commands here:");
    assert!(!help.contains("quit (quit)") && !help.contains("help (help)"), "{help}");
    line(&mut pty, "");
    pty.expect("Power-Up name (Enter keeps trello-auth):");
    line(&mut pty, "");
    line(&mut pty, "ann@example.com");
    line(&mut pty, "");
    pty.expect("Click Create in the portal, then press Enter.");
    line(&mut pty, "");
    pty.expect("API key (it is not shown as you type):");
    line(&mut pty, KEY);
    pty.expect("OK: Trello knows this key");
    line(&mut pty, "not-a-secret");
    pty.expect("the API secret is 64 hex characters");
    // Only the secret is asked again, at once; Enter clears it.
    let screen = pty.expect("API secret, only for OAuth");
    assert_eq!(screen.matches("API secret, only for OAuth").count(), 2, "{screen}");
    assert_eq!(screen.matches("API key (it is not shown").count(), 1, "the key was asked again:\n{screen}");
    line(&mut pty, "");
    let screen = pty.expect("Press Enter to go on to the token.");
    assert_eq!(screen.matches("Press Enter to go on to the token.").count(), 1, "{screen}");
    line(&mut pty, "");
    pty.expect("Step 4 of 5: Authorize a token");
    line(&mut pty, "back");
    pty.expect("API key (it is not shown as you type; Enter keeps 0123…cdef):");
    line(&mut pty, "");
    pty.expect("API secret, only for OAuth");
    line(&mut pty, "");
    line(&mut pty, "");
    let text = pty.expect("Step 4 of 5: Authorize a token");
    assert!(text.matches("Step 4 of 5").count() >= 2, "{text}");
    line(&mut pty, "quit");
    pty.wait();
    assert_plain(&pty, &[]);
    // The key is never echoed where it was typed; leaving on step 4 prints the
    // authorize URL (which holds it, as on screen) to finish by hand.
    let text = transcript(&pty);
    assert!(!text.lines().any(|l| l.starts_with("API key") && l.contains(KEY)), "{text}");
    let parting = text.split("nothing was written.").nth(1).unwrap_or_default();
    assert!(parting.contains(&format!("trello-auth login --with-token --key {KEY}")), "{text}");
    assert!(parting.contains("/1/authorize?") && !parting.contains("return_url"), "{text}");
}

/// Plain mode asks exactly what each screen says it asks (issue 28): every
/// field question of steps 2 to 4, in the screen's own order, each once; the
/// fields a screen masks (the secret, the token) are never said back, and
/// neither is the key, which plain mode reads as a secret too.
#[test]
fn plain_mode_asks_each_screen_s_fields_in_its_order_with_its_masking() {
    use trello_auth::wizard::screen::{Item, Question, describe, page};
    use trello_auth::wizard::{Model, Step};
    // What the screens ask, from their own descriptions.
    let mut expected: Vec<(String, bool)> = Vec::new();
    for step in [Step::PowerUp, Step::ApiKey, Step::Token] {
        let mut m: Model = support::wizard::model();
        m.setup.plain = true;
        m.step = step;
        let described = describe(&m);
        for question in described.questions {
            if let Question::Field { target, prompt, secret, .. } = question {
                // A field the full screen masks is a secret question here too.
                let masked = described
                    .items
                    .iter()
                    .any(|i| matches!(i, Item::Field { target: t, masked: true, .. } if *t == target));
                assert!(!masked || secret, "{step:?}: {target:?} is masked on screen but said back in plain mode");
                assert!(page(step).targets().contains(&target), "{step:?} asks {target:?}, which it does not show");
                expected.push((prompt, secret));
            }
        }
    }
    let names: Vec<&str> = expected.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.len() >= 7, "{names:?}");

    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &["--no-capture"]);
    pty.expect("Step 1 of 5");
    line(&mut pty, "");
    pty.expect("Power-Up name");
    line(&mut pty, "");
    line(&mut pty, "ann@example.com");
    line(&mut pty, "Ann Example");
    line(&mut pty, "");
    pty.expect("API key (it is not shown");
    line(&mut pty, KEY);
    pty.expect("Trello knows this key");
    line(&mut pty, SECRET);
    line(&mut pty, "");
    pty.expect("How long should the token live?");
    line(&mut pty, "4");
    line(&mut pty, "read, write");
    pty.expect("Paste the token");
    line(&mut pty, &token);
    finish(&mut pty);
    assert_eq!(pty.wait(), 0);
    let text = transcript(&pty);
    // Each question once, in the screens' order.
    let mut from = 0;
    for (prompt, _) in &expected {
        let at = text[from..]
            .find(prompt.as_str())
            .unwrap_or_else(|| panic!("{prompt:?} not asked after byte {from}:\n{text}"));
        assert_eq!(text.matches(prompt.as_str()).count(), 1, "{prompt:?} asked more than once:\n{text}");
        from += at + prompt.len();
    }
    // The answers to secret questions are never said back (the key only in
    // the authorize URL, which holds it on screen too); the others are.
    assert_plain(&pty, &[SECRET, &token]);
    assert!(!text.lines().any(|l| l.starts_with("API key") && l.contains(KEY)), "{text}");
    assert!(text.contains("ann@example.com") && text.contains("Ann Example"), "{text}");
}

/// `rotate --plain` with the token being replaced pasted by mistake: it is
/// refused in the rotation's words and the token is asked again, so a new
/// one goes through and `quit` is heard (it used to wait for good, deaf to
/// every line, since nothing was asked).
#[test]
fn the_token_being_replaced_is_refused_and_asked_again() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let old = fake.issue_token(KEY, ANN, "read,write", None);
    let store = save_ann(home.path(), &old);
    let mut pty = plain(&fake, home.path(), &["rotate"]);
    pty.expect("How long should the token live?");
    line(&mut pty, "");
    pty.expect("Scopes (");
    line(&mut pty, "");
    pty.expect("Paste the token (it is not shown)");
    line(&mut pty, &old);
    pty.expect("That is the token being replaced, not a new one: it is not saved.");
    let after = transcript(&pty).rsplit("That is the token being replaced").next().unwrap_or_default().to_string();
    assert!(after.contains("Paste the token"), "the token is asked again:\n{}", transcript(&pty));
    let new = fake.issue_token(KEY, ANN, "read,write", None);
    line(&mut pty, &new);
    pty.expect("Revoke the old token now?");
    line(&mut pty, "2");
    finish(&mut pty);
    assert_eq!(pty.wait(), 0);
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), new);
    assert_plain(&pty, &[&old, &new]);

    // Refused, then quit: heard at once.
    let mut pty = plain(&fake, home.path(), &["rotate"]);
    pty.expect("How long should the token live?");
    line(&mut pty, "");
    line(&mut pty, "");
    pty.expect("Paste the token (it is not shown)");
    line(&mut pty, &new);
    pty.expect("That is the token being replaced");
    line(&mut pty, "quit");
    pty.expect("quit before saving");
    assert_eq!(pty.wait(), 1);
}

/// `switch` at the token question in plain mode turns catching into pasting
/// and says the new URL; it copies nothing, so it never says a copy failed.
#[test]
fn switch_to_pasting_says_the_new_url_and_no_copy() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = plain(&fake, home.path(), &[]);
    to_token_step(&mut pty);
    pty.expect("How long should the token live?");
    line(&mut pty, "");
    pty.expect("Scopes (");
    line(&mut pty, "");
    pty.expect("it arrives by itself after Allow");
    line(&mut pty, "switch");
    pty.expect("Paste mode");
    pty.expect("Paste the token (it is not shown):");
    let text = transcript(&pty);
    let after = text.rsplit("it arrives by itself after Allow").next().unwrap_or_default();
    assert!(!after.contains("Could not copy") && !after.contains("is copied"), "{text}");
    line(&mut pty, "quit");
    assert_eq!(pty.wait(), 1);
}
