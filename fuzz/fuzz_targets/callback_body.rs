//! The callback's body: any bytes as the POST the listener decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = trello_auth::capture::token_from_body(data) {
        assert!(token.len() == 76 || token.len() == 64, "not a token's shape: {token:?}");
    }
});
