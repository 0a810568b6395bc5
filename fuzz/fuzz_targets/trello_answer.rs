//! Trello's answers: any bytes as every answer the client decodes, as an
//! error body with any status, and as a `Retry-After` header at any "now".
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::{Duration, SystemTime};
use trello_auth::credentials::expiry::expiry_words;
use trello_auth::trello::client::{Board, Member, TokenInfo, Workspace};
use trello_auth::trello::errors::{classify, decode_error, parse_retry_after, snippet};

#[path = "common.rs"]
mod common;

const KNOWN: [&str; 2] = [
    "0123456789abcdef0123456789abcdef",
    "ATTA3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f1B2C3D4E",
];

fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_at(data.len().min(14));
    let now = common::instant(head);
    // One answer a run: formatting errors is most of the work, so asking
    // every decoder about every input would only divide the runs by six.
    match head.last().copied().unwrap_or(0) % 6 {
        0 => {
            if let Ok(member) = Member::from_answer(body, &KNOWN) {
                let _ = member.who();
            }
        }
        1 => match TokenInfo::from_answer(body, &KNOWN) {
            Ok(info) => {
                let _ = info.scopes().names();
                let expiry = info.expiry();
                let _ = expiry_words(Some(&expiry), now);
                let _ = expiry.shown();
                let _ = expiry.to_string();
            }
            Err(e) => {
                let _ = (e.to_string(), e.cause(), e.cli_fix());
            }
        },
        2 => drop(Board::list_from_answer(body, &KNOWN).map_err(|e| e.to_string())),
        3 => drop(Board::from_answer(body, &KNOWN).map_err(|e| e.to_string())),
        4 => drop(Workspace::list_from_answer(body, &KNOWN).map_err(|e| e.to_string())),
        _ => {
            // An error answer: any status, any body, any `Retry-After` at any clock.
            let text = String::from_utf8_lossy(body);
            let status = u16::from_le_bytes([head.first().copied().unwrap_or(0), head.get(1).copied().unwrap_or(0)]);
            let unix = u64::from_le_bytes(head.get(2..10).and_then(|b| b.try_into().ok()).unwrap_or_default());
            let clock = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(unix)).unwrap_or(SystemTime::UNIX_EPOCH);
            let wait = parse_retry_after(&text, clock);
            let e = classify(status, &text, wait, &KNOWN);
            let _ = (e.to_string(), e.fix(), e.remedy());
            let _ = snippet(&text, &KNOWN);
            let _ = decode_error(&text, &KNOWN);
        }
    }
});
