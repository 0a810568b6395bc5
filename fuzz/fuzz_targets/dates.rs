//! Dates: any text as a saved or answered expiry and as `verified_at`, its
//! words at any "now", and every question the commands ask of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trello_auth::credentials::Profile;
use trello_auth::credentials::expiry::{Expiry, expiry_words, format_rfc3339, format_time};

#[path = "common.rs"]
mod common;

/// A valid RFC 3339 time from 11 bytes, every field in its range and half the
/// time at its edge: random text seldom is a time, and the edges (the last
/// day at a negative offset, the first at a positive one) are where
/// conversions overflow.
fn rfc3339(b: &[u8]) -> Option<String> {
    let &[y0, y1, mo, d, h, mi, s, sign, oh, om, fraction] = b.get(..11)?.try_into().ok()?;
    // The high bit picks the edge: the first or the last value of the field.
    let field = |b: u8, first: u8, last: u8| match b {
        0x80..=0xbf => first,
        0xc0..=0xff => last,
        _ => first + b % (last - first + 1),
    };
    let year = match y1 {
        0x80..=0xbf => 0,
        0xc0..=0xff => 9999,
        _ => u16::from_le_bytes([y0, y1]) % 10_000,
    };
    let (mo, d, h, mi, s) = (field(mo, 1, 12), field(d, 1, 31), field(h, 0, 23), field(mi, 0, 59), field(s, 0, 59));
    let (oh, om) = (field(oh, 0, 23), field(om, 0, 59));
    let offset = match sign % 3 {
        0 => "Z".to_string(),
        1 => format!("+{oh:02}:{om:02}"),
        _ => format!("-{oh:02}:{om:02}"),
    };
    let fraction = if fraction == 0 { String::new() } else { format!(".{}", u32::from(fraction) * 3_921_569) };
    Some(format!("{year:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{offset}"))
}

fuzz_target!(|data: &[u8]| {
    let (head, rest) = data.split_at(data.len().min(12));
    let now = common::instant(head);
    // The first byte after the clock chooses: any text, or a valid time built from fields.
    let text = match rest.split_first() {
        Some((choice, fields)) if choice & 1 == 1 => match rfc3339(fields) {
            Some(text) => text,
            None => return,
        },
        _ => match std::str::from_utf8(rest) {
            Ok(text) => text.to_string(),
            Err(_) => return,
        },
    };
    let text = text.as_str();
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
