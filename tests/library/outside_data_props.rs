//! No panic from outside data: every parser of what comes from outside (Trello's
//! answers and headers, dates, the config file, the MCP clients' files, the
//! callback's body) is fed arbitrary bytes and valid shapes holding extreme
//! values. Each returns a value or an error with words; none panics, and
//! what it returns can be shown.
//!
//! The `fuzz/` crate runs the same entry points for longer (docs/RELIABILITY.md).

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use time::OffsetDateTime;
use trello_auth::capture::token_from_body;
use trello_auth::credentials::Profile;
use trello_auth::credentials::expiry::{Expiry, expiry_words, format_rfc3339, format_time};
use trello_auth::credentials::store::Store;
use trello_auth::trello::client::{Board, Member, TokenInfo, Workspace};
use trello_auth::trello::errors::{TrelloError, classify, decode_error, parse_retry_after, snippet};

use crate::support::extreme;
use crate::support::fake_trello::{ANN, KEY, TOKEN};

/// No credential in an error's words (its cause and fix are its row of the
/// table, checked in trello::errors's tests).
fn assert_explained(e: &TrelloError) -> Result<(), TestCaseError> {
    let words = e.to_string();
    prop_assert!(!words.contains(TOKEN) && !words.contains(KEY), "{words}");
    Ok(())
}

/// Everything the commands and the wizard show of a decoded answer, at any "now".
fn show_answer(body: &[u8], now: OffsetDateTime) -> Result<(), TestCaseError> {
    let known = [KEY, TOKEN];
    match Member::from_answer(body, &known) {
        Ok(member) => prop_assert!(member.who().contains('@')),
        Err(e) => assert_explained(&e)?,
    }
    match TokenInfo::from_answer(body, &known) {
        Ok(info) => {
            prop_assert!(!info.scopes().is_empty());
            let expiry = info.expiry();
            prop_assert!(!matches!(expiry, Expiry::Unreadable(_)));
            prop_assert!(!expiry_words(Some(&expiry), now).is_empty());
            prop_assert_eq!(Expiry::from(expiry.to_string().as_str()), expiry.clone());
        }
        Err(e) => assert_explained(&e)?,
    }
    match Board::list_from_answer(body, &known) {
        Ok(boards) => prop_assert!(boards.iter().all(|b| b.id.len() == 24 && b.short_link.len() == 8)),
        Err(e) => assert_explained(&e)?,
    }
    if let Err(e) = Board::from_answer(body, &known) {
        assert_explained(&e)?;
    }
    if let Err(e) = Workspace::list_from_answer(body, &known) {
        assert_explained(&e)?;
    }
    Ok(())
}

/// An answer of Trello's own shape: its fields, each filled with an extreme value.
fn trello_shaped() -> impl Strategy<Value = serde_json::Value> {
    let value = prop_oneof![
        3 => extreme::json(),
        1 => extreme::rfc3339().prop_map(serde_json::Value::String),
        1 => Just(serde_json::json!(ANN)),
    ];
    let permission = (value.clone(), any::<bool>(), any::<bool>()).prop_map(|(model, read, write)| {
        serde_json::json!({"idModel": model, "modelType": if read { "Member" } else { "Board" }, "read": read, "write": write})
    });
    let object = (
        value.clone(),
        value.clone(),
        value.clone(),
        extreme::rfc3339(),
        prop::collection::vec(permission, 0..4),
        extreme::odd_text(),
    )
        .prop_map(|(id, name, other, date, permissions, text)| {
            serde_json::json!({
                "id": id, "username": text, "fullName": name, "email": other,
                "idMember": ANN, "dateCreated": date, "dateExpires": date,
                "permissions": permissions, "name": text, "shortLink": "abcdEFGH", "closed": false,
                "idOrganization": other, "displayName": name, "url": text,
            })
        })
        .boxed();
    prop_oneof![object.clone(), prop::collection::vec(object, 0..4).prop_map(serde_json::Value::Array), extreme::json(),]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    // ---- Trello's answers ----

    #[test]
    fn any_bytes_as_any_trello_answer(body in prop::collection::vec(any::<u8>(), 0..1024), now in extreme::instant()) {
        show_answer(&body, now)?;
    }

    #[test]
    fn any_error_answer_and_header_is_classified(
        status in any::<u16>(),
        body in prop::collection::vec(any::<u8>(), 0..512),
        retry_after in prop_oneof![
            any::<String>(),
            "[0-9]{0,40}",
            Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
            Just("Thu, 01 Jan 1970 00:00:00 GMT".to_string()),
            Just("Mon, 01 Jan 0001 00:00:00 GMT".to_string()),
            Just("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
        ],
        now_secs in prop_oneof![Just(0u64), Just(253_402_300_799), any::<u32>().prop_map(u64::from), Just(u64::MAX / 2)],
    ) {
        let body = String::from_utf8_lossy(&body);
        let now = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(now_secs)).unwrap_or(SystemTime::UNIX_EPOCH);
        let wait = parse_retry_after(&retry_after, now);
        let e = classify(status, &body, wait, &[KEY, TOKEN]);
        assert_explained(&e)?;
        prop_assert!(snippet(&body, &[]).chars().count() <= 121);
        prop_assert!(decode_error(&body, &[]).chars().count() <= 201);
    }

    #[test]
    fn any_member_name_is_one_short_line_ending_in_its_username(full in extreme::odd_text(), user in extreme::odd_text()) {
        let who = trello_auth::credentials::who(&full, &user);
        prop_assert!(trello_auth::untrusted::is_plain(&who), "{who:?}");
        // Two names of at most 48 columns, an ellipsis each, " (@" and ")".
        prop_assert!(unicode_width::UnicodeWidthStr::width(who.as_str()) <= 2 * 49 + 4, "{who:?}");
        prop_assert!(who.starts_with('@') || who.ends_with(')'), "{who:?}");
    }

    // ---- Dates ----

    #[test]
    fn any_text_as_an_expiry_is_shown_on_one_line(text in extreme::odd_text(), now in extreme::instant()) {
        for expiry in [Expiry::from(text.as_str()), Expiry::from_trello(Some(&text)), Expiry::from_trello(None)] {
            let shown = expiry.shown();
            prop_assert!(trello_auth::untrusted::is_plain(&shown), "{shown:?}");
            let words = expiry_words(Some(&expiry), now);
            prop_assert!(trello_auth::untrusted::is_plain(&words), "{words:?}");
        }
        prop_assert!(trello_auth::untrusted::is_plain(&format_rfc3339(&text)));
    }

    #[test]
    fn every_valid_date_is_shown_worded_and_saved_back(date in extreme::rfc3339(), now in extreme::instant()) {
        let expiry = Expiry::from(date.as_str());
        let Expiry::At(at) = expiry else { return Err(TestCaseError::fail(format!("{date} did not parse"))) };
        let shown = format_time(at);
        prop_assert!(shown.contains(" UTC"), "{shown}");
        prop_assert_eq!(format_rfc3339(&date), shown.clone());
        let words = expiry_words(Some(&expiry), now);
        prop_assert!(words.starts_with(&shown), "{words}");
        prop_assert!(words.contains(" ago)") || words.contains("(in "), "{words}");
        // What a save writes reads back as the same moment.
        prop_assert_eq!(Expiry::from(expiry.to_string().as_str()), expiry.clone());
        // Every question the commands ask of a saved expiry, at any "now".
        let profile = Profile { token_expires: Some(expiry), ..Profile::default() };
        let _ = profile.expired_words(now);
        let _ = profile.expires_soon(now);
        let _ = profile.expires_within_window(now);
        let _ = trello_auth::commands::env::expiry_warning(&profile, now, "trello-auth");
    }

    // ---- The config file ----

    #[test]
    fn configs_of_valid_shape_with_extreme_values_load_or_name_the_line(text in extreme::config(KEY, TOKEN), now in extreme::instant()) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("config.toml"));
        std::fs::write(store.path(), &text).unwrap();
        match store.load() {
            Ok(loaded) => {
                let loaded = loaded.unwrap();
                for profile in loaded.config.profiles.values() {
                    let _ = profile.who();
                    let _ = profile.board();
                    let _ = profile.scopes().names();
                    prop_assert!(!expiry_words(profile.token_expires.as_ref(), now).is_empty());
                    let _ = profile.expired_words(now);
                    let _ = trello_auth::commands::env::expiry_warning(profile, now, "trello-auth");
                    if let Some(at) = &profile.verified_at {
                        let _ = format_rfc3339(at);
                    }
                }
                // A file that loaded saves, or says why not: it never panics.
                let _ = store.update(&[], |_| {});
            }
            Err(e) => {
                let words = e.to_string();
                prop_assert!(words.contains("config.toml") && !words.contains(TOKEN), "{words}");
            }
        }
    }

    // ---- The MCP clients' files ----

    #[test]
    fn any_text_as_a_client_file(
        text in prop_oneof![any::<String>(), "[{}\\[\\]\":,/*a-z0-9 \\n=.#'-]{0,200}"],
        toml in any::<bool>(),
        name in prop_oneof![Just("trello".to_string()), extreme::odd_text()],
    ) {
        merge_any_way(toml, &text, &name)?;
    }

    // ---- The callback's body ----

    #[test]
    fn any_bytes_as_a_callback_body(body in prop::collection::vec(any::<u8>(), 0..512), value in extreme::json()) {
        let wrapped = serde_json::json!({"token": value}).to_string();
        for body in [body, wrapped.into_bytes()] {
            match token_from_body(&body) {
                Ok(token) => prop_assert!(token.len() == 76 || token.len() == 64, "{token:?}"),
                Err(why) => prop_assert!(!why.is_empty()),
            }
        }
    }
}

proptest! {
    // Documents of up to 48 nodes with long values: fewer cases keep the
    // suite within its time in a debug build.
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn trello_shaped_answers_with_extreme_values(answer in trello_shaped(), now in extreme::instant()) {
        show_answer(answer.to_string().as_bytes(), now)?;
    }

    #[test]
    fn client_files_of_valid_shape_with_extreme_values(json in extreme::json(), name in extreme::odd_text()) {
        let servers = serde_json::json!({"mcpServers": {"other": json.clone(), "trello": json.clone()}, "x": json.clone()});
        for text in [json.to_string(), servers.to_string(), serde_json::to_string_pretty(&servers).unwrap()] {
            merge_any_way(false, &text, "trello")?;
            merge_any_way(false, &text, &name)?;
        }
        // The same values as TOML, where TOML can hold them (no null).
        if let Ok(toml) = toml::to_string(&serde_json::json!({"mcp_servers": {"trello": json.clone()}, "x": json})) {
            merge_any_way(true, &toml, "trello")?;
        }
    }
}

/// Merges into `text` under every place a client keeps its servers.
fn merge_any_way(toml: bool, text: &str, name: &str) -> Result<(), TestCaseError> {
    let places: &[&[&str]] = if toml {
        &[&["mcp_servers"]]
    } else {
        &[&["mcpServers"], &["servers"], &["projects", "/home/ann/src/app", "mcpServers"]]
    };
    for keys in places {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        match trello_auth::commands::mcp::merge_any(toml, text, &keys, name, &[TOKEN.to_string()]) {
            Ok((merged, backup)) => {
                // The backup never keeps the profile's token, however the file spelt it.
                prop_assert!(!backup.unwrap_or_default().contains(TOKEN));
                prop_assert!(merged.contains("trello-auth"));
            }
            Err(why) => prop_assert!(!why.is_empty()),
        }
    }
    Ok(())
}

/// Deeper than any parser's limit, and numbers no float holds: refused or kept, never a crash.
#[test]
fn deep_nesting_and_huge_numbers_in_every_parser() {
    let deep = extreme::nested(100_000, "1");
    let huge = format!("{{\"mcpServers\": {{\"n\": {}1e99999999999}}}}", "9".repeat(5000));
    for text in [&deep, &huge, &format!("{{\"id\": {deep}}}")] {
        assert!(Member::from_answer(text.as_bytes(), &[]).is_err());
        assert!(TokenInfo::from_answer(text.as_bytes(), &[]).is_err());
        assert!(token_from_body(text.as_bytes()).is_err());
        for toml in [false, true] {
            let _ = trello_auth::commands::mcp::merge_any(toml, text, &["mcpServers".into()], "trello", &[]);
        }
    }
    let deep_toml = format!("a = {}\n", extreme::nested(100_000, "1"));
    assert!(trello_auth::commands::mcp::merge_any(true, &deep_toml, &["mcp_servers".into()], "trello", &[]).is_err());
    let deep_inline = format!("a = {}1{}\n", "{x = ".repeat(50_000), "}".repeat(50_000));
    assert!(trello_auth::commands::mcp::merge_any(true, &deep_inline, &["mcp_servers".into()], "trello", &[]).is_err());
}
