//! Bad input, generated: the config parser, the error-body parser and the env
//! formatter never panic, and every rejection comes with a message.

use std::process::Command;

use proptest::prelude::*;
use trello_auth::commands::env::{Format, render};
use trello_auth::credentials::store::Store;
use trello_auth::trello::errors::{classify, parse_retry_after, snippet};

fn config_from(bytes: &[u8]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, bytes).unwrap();
    let store = Store::at(&path);
    (dir, store)
}

/// Loading either works or fails with a message naming the file, and a failed
/// file is never touched by a save.
fn check_config(bytes: &[u8]) -> Result<(), TestCaseError> {
    let (_dir, store) = config_from(bytes);
    match store.load() {
        Ok(_) => {}
        Err(e) => {
            let message = e.to_string();
            prop_assert!(message.contains(store.path().to_str().unwrap()), "{message}");
            let profile = trello_auth::credentials::store::Profile::default();
            prop_assert!(store.save_profile("default", profile).is_err());
            prop_assert_eq!(std::fs::read(store.path()).unwrap(), bytes.to_vec());
        }
    }
    Ok(())
}

fn tomlish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("version = 1".to_string()),
        Just("[profiles.default]".to_string()),
        Just("[profiles.\"x y\"]".to_string()),
        Just("[[profiles]]".to_string()),
        "[a-z_]{1,12} = \"[^\"\\\\\n]{0,20}\"",
        "[a-z_]{1,12} = [0-9]{1,30}",
        "[a-z_]{1,12} = (true|false|\\[1, 2\\]|\\{a = 1\\})",
        "(api_key|token|scope|expiration|app_name|version) = [\"0-9a-z,\\[\\]{}=]{0,40}",
        "\\PC{0,40}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_as_a_config(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_config(&bytes)?;
    }

    #[test]
    fn random_toml_as_a_config(text in tomlish()) {
        check_config(text.as_bytes())?;
    }

    #[test]
    fn any_error_body_is_classified_with_words_and_a_fix(status in 100u16..600, body in "\\PC{0,300}", raw in any::<String>()) {
        for b in [&body, &raw] {
            let e = classify(status, b, None, &[]);
            // Its cause and fix are its row of the table (trello::errors's tests);
            // the body's part of its words stays on one line.
            prop_assert!(!e.to_string().contains(['\n', '\r']), "{e}");
            prop_assert!(snippet(b, &[]).chars().count() <= 121);
        }
        let _ = parse_retry_after(&raw, std::time::SystemTime::now());
    }

    #[test]
    fn every_env_format_renders_anything(value in any::<String>(), printable in "\\PC{0,40}") {
        for value in [value, printable] {
            let vars = vec![("TRELLO_TOKEN", value.clone()), ("TRELLO_API_KEY", "k".to_string())];
            let plain = trello_auth::untrusted::is_plain(&value);
            for format in [Format::Sh, Format::Fish, Format::Powershell] {
                // Exact and on one line each, or refused: never altered on the way out.
                match render(format, &vars) {
                    Ok(text) => prop_assert!(plain && text.lines().count() == 2 && text.ends_with('\n'), "{text:?}"),
                    Err(_) => prop_assert!(!plain),
                }
            }
            let json: serde_json::Value = serde_json::from_str(&render(Format::Json, &vars).unwrap()).unwrap();
            prop_assert_eq!(json["TRELLO_TOKEN"].as_str().unwrap(), value.as_str());
            // dotenv has no escape inside single quotes: a value with one is refused, never half-quoted.
            let dotenv = render(Format::Dotenv, &vars);
            prop_assert_eq!(dotenv.is_ok(), plain && !value.contains('\''));
            if let Ok(text) = dotenv {
                prop_assert_eq!(text.lines().count(), 2, "one line per variable: {:?}", text);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// The sh output, evaluated by a real sh, gives back the exact value (or
    /// is refused, for a value with a control character or a line break).
    #[test]
    fn sh_quoting_round_trips_through_a_real_shell(value in "[^\u{0}]{0,60}", printable in "\\PC{0,60}") {
        for value in [value, printable] {
            let Ok(text) = render(Format::Sh, &[("TRELLO_TOKEN", value.clone())]) else {
                prop_assert!(!trello_auth::untrusted::is_plain(&value));
                continue;
            };
            let script = format!("{text}printf '%s' \"$TRELLO_TOKEN\"");
            let out = Command::new("sh").arg("-c").arg(&script).env_clear().output().unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&out.stdout).into_owned(), value);
        }
    }
}

#[test]
fn deep_nesting_and_huge_values() {
    let deep_arrays = format!("version = 1\na = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_tables = format!("version = 1\nb = {}1{}\n", "{x = ".repeat(50_000), "}".repeat(50_000));
    for text in [deep_arrays, deep_tables] {
        let (_dir, store) = config_from(text.as_bytes());
        let e = store.load().unwrap_err();
        assert!(e.to_string().contains("cannot be read (line"), "{e}");
    }
    let huge_value = format!("version = 1\n[profiles.default]\napp_name = \"{}\"\n", "a".repeat(900_000));
    let (_dir, store) = config_from(huge_value.as_bytes());
    let loaded = store.load().unwrap().unwrap();
    assert_eq!(loaded.config.profiles["default"].app_name.len(), 900_000);
    let too_big = format!("version = 1\nx = \"{}\"\n", "a".repeat(1_100_000));
    let (_dir, store) = config_from(too_big.as_bytes());
    assert!(store.load().unwrap_err().to_string().contains("too large"));
}
