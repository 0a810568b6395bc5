//! The config file: any bytes as `config.toml`, read as every command reads
//! it; what loads is shown as `status` shows it, and saved again.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trello_auth::credentials::expiry::{expiry_words, format_rfc3339};
use trello_auth::credentials::store::Store;

#[path = "common.rs"]
mod common;

/// One folder for the whole run, in memory where there is /dev/shm: the
/// store reads a file, and a save writes, renames and syncs.
fn folder() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()).expect("a temporary folder"))
}

fuzz_target!(|data: &[u8]| {
    let (head, text) = data.split_at(data.len().min(12));
    let now = common::instant(head);
    let path = folder().path().join("config.toml");
    let _ = std::fs::remove_file(folder().path().join("config.toml.bak"));
    if std::fs::write(&path, text).is_err() {
        return;
    }
    let store = Store::at(&path);
    match store.load() {
        Ok(Some(loaded)) => {
            for profile in loaded.config.profiles.values() {
                let _ = profile.who();
                let _ = profile.board();
                let _ = profile.scopes().names();
                let _ = expiry_words(profile.token_expires.as_ref(), now);
                let _ = profile.expired_words(now);
                let _ = trello_auth::commands::env::expiry_warning(profile, now);
                if let Some(at) = &profile.verified_at {
                    let _ = format_rfc3339(at);
                }
            }
            let _ = store.update(&[], |_| {}).map_err(|e| e.to_string());
        }
        Ok(None) => {}
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
