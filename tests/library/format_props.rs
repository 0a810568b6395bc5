//! Property tests for the shape checks and paste extraction.

use proptest::prelude::*;
use trello_auth::credentials::format::{
    Kind, Level, Shape, check_key, check_secret, check_token, extract_key, extract_secret, extract_token,
};

fn key() -> impl Strategy<Value = String> {
    "[0-9a-f]{32}"
}

fn secret() -> impl Strategy<Value = String> {
    "[0-9a-f]{64}"
}

fn token() -> impl Strategy<Value = String> {
    "ATTA[0-9a-f]{64}[0-9A-F]{8}"
}

fn wrapping() -> impl Strategy<Value = (String, String)> {
    // Plain pastes: whitespace, quotes and prose around the value.
    let plain = (
        prop::sample::select(vec!["", " ", "\n", "\t \r\n", "\"", "'", "`", "Your token:\n\n"]),
        prop::sample::select(vec!["", " ", "\n", "\r\n", "\"", "'", "\"\n", "\n\nDone."]),
    );
    // A value inside a URL, a fragment, or an assignment.
    let named = (
        prop::sample::select(vec![
            "token=",
            "#token=",
            "export TRELLO_TOKEN=\"",
            "https://example.com/cb#token=",
            "http://127.0.0.1:8765/callback/nonce?x=1&token=",
        ]),
        prop::sample::select(vec!["", "\n", "\"", "&x=1", "&x=1#y", "\"\n"]),
    );
    prop_oneof![plain, named].prop_map(|(b, a)| (b.to_string(), a.to_string()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn checks_never_panic_and_always_explain(input in any::<String>(), other in any::<String>()) {
        for verdict in [
            check_key(&input),
            check_secret(&input),
            check_token(&input, Some(&other), Some(&other)),
            check_token(&input, None, None),
        ] {
            prop_assert!(!verdict.message().is_empty());
            if verdict.level == Level::Error {
                prop_assert!(!verdict.is_savable());
            }
        }
    }

    #[test]
    fn printable_unicode_never_panics(input in "\\PC{0,120}") {
        let _ = check_token(&input, Some("x"), Some("y")).message();
        let _ = check_key(&input).message();
        let _ = extract_token(&input);
    }

    #[test]
    fn extraction_is_idempotent(input in any::<String>()) {
        let once = extract_token(&input);
        prop_assert_eq!(extract_token(&once), once.clone());
        let key = extract_key(&input);
        prop_assert_eq!(extract_key(&key), key.clone());
        let secret = extract_secret(&input);
        prop_assert_eq!(extract_secret(&secret), secret.clone());
    }

    #[test]
    fn extraction_is_idempotent_on_paste_like_text(input in "[ \"'#&?=a-zA-Z0-9:/.\n]{0,80}") {
        let once = extract_token(&input);
        prop_assert_eq!(extract_token(&once), once);
    }

    #[test]
    fn every_valid_key_secret_and_token_is_accepted(k in key(), s in secret(), t in token(), legacy in secret()) {
        prop_assert_eq!(check_key(&k).shape, Shape::Valid);
        prop_assert_eq!(check_secret(&s).shape, Shape::Valid);
        prop_assert_eq!(check_token(&t, Some(&s), Some(&k)).shape, Shape::Valid);
        prop_assume!(legacy != s);
        prop_assert_eq!(check_token(&legacy, Some(&s), Some(&k)).shape, Shape::ValidLegacy);
    }

    #[test]
    fn tokens_are_found_in_pasted_text(t in token(), (before, after) in wrapping()) {
        let pasted = format!("{before}{t}{after}");
        prop_assert_eq!(extract_token(&pasted), t);
    }

    #[test]
    fn keys_are_found_in_pasted_text(k in key(), (before, after) in wrapping()) {
        let before = before.replace("token=", "key=").replace("TOKEN", "KEY");
        let pasted = format!("{before}{k}{after}");
        prop_assert_eq!(extract_key(&pasted), k);
    }

    #[test]
    fn the_secret_pasted_as_token_is_named(s in secret(), k in key()) {
        prop_assert_eq!(check_token(&s, Some(&s), Some(&k)).shape, Shape::LooksLike(Kind::ApiSecret));
        prop_assert_eq!(check_token(&k, Some(&s), None).shape, Shape::LooksLike(Kind::ApiKey));
    }

    #[test]
    fn prefixes_of_a_token_are_incomplete(t in token(), cut in 1usize..76) {
        let shape = check_token(&t[..cut], None, None).shape;
        prop_assert_eq!(shape, Shape::Incomplete { have: cut, need: 76 });
    }

    #[test]
    fn atlassian_tokens_are_never_savable(rest in "[A-Za-z0-9_=-]{0,200}") {
        let v = check_token(&format!("ATATT{rest}"), None, None);
        prop_assert_eq!(&v.shape, &Shape::LooksLike(Kind::AtlassianToken));
        prop_assert!(!v.is_savable());
    }
}
