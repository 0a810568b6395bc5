//! Dates: any text as a saved or answered expiry and as `verified_at`, its
//! words at any "now", and every question the commands ask of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trello_auth::credentials::Profile;
use trello_auth::credentials::expiry::{Expiry, expiry_words, format_rfc3339, format_time};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (head, text) = data.split_at(data.len().min(12));
    let Ok(text) = std::str::from_utf8(text) else { return };
    let now = common::instant(head);
    let _ = format_rfc3339(text);
    for expiry in [Expiry::from(text), Expiry::from_trello(Some(text))] {
        let _ = expiry.shown();
        let _ = expiry_words(Some(&expiry), now);
        // What a save writes reads back the same.
        assert_eq!(Expiry::from(expiry.to_string().as_str()), expiry);
        if let Some(at) = expiry.at() {
            let _ = format_time(at);
        }
        let profile = Profile { token_expires: Some(expiry), ..Profile::default() };
        let _ = profile.expired_words(now);
        let _ = profile.expires_soon(now);
        let _ = profile.expires_within_window(now);
        let _ = trello_auth::commands::env::expiry_warning(&profile, now);
    }
});
