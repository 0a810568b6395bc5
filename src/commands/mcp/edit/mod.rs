//! The entry merged into a client's file in place, so every comment, number, key order and blank line outside the entry stays as it was: JSON (with comments) spliced in bounded memory (`json`), TOML through `toml_edit` (`toml`).

mod json;
mod toml;

use std::borrow::Cow;

use super::clients::Format;
use crate::commands::env::every_name;
use crate::credentials::secret::{scrub, scrub_known};

/// The largest piece of a JSON file parsed into a concrete syntax tree at
/// once: such a tree costs about 285 bytes per byte of text, so this keeps
/// an edit of any file within tens of megabytes. A file up to this size is
/// parsed whole; a larger one only around the place that changes.
pub(crate) const TREE_LIMIT: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub(crate) enum EditError {
    #[error("is not valid JSON: {what} (line {line}, column {column}); fix it, or move it away")]
    Json { what: String, line: usize, column: usize },
    #[error("is not valid TOML: {what} (line {line}, column {column}); fix it, or move it away")]
    Toml { what: String, line: usize, column: usize },
    #[error(
        "has the key {key} twice; clients read only one of them, so which one counts is unclear: remove one, then \
         run this again"
    )]
    Duplicate { key: String },
    #[error("{place} is not {wanted}")]
    Shape { place: String, wanted: &'static str },
    #[error("{what} is {size} bytes, more than the {limit} bytes trello-auth edits in place; {fix}")]
    TooLarge { what: String, size: usize, limit: usize, fix: &'static str },
    #[error("the entry could not be placed without changing the file around it; nothing was written")]
    Splice,
    #[error(
        "holds an object with more than {limit} keys, which trello-auth does not edit (a client's own file has far \
         fewer): edit it by hand, or give --write=PATH another file"
    )]
    TooManyKeys { limit: usize },
}

/// What the merge did. The new file and its backup are pieces written one
/// after another, most of them borrowed from the old text: a large file is
/// never copied whole.
pub(crate) struct Merged<'a> {
    pub pieces: Vec<Cow<'a, str>>,
    /// An entry of that name was there and was replaced.
    pub replaced: bool,
    /// The file already held exactly this entry.
    pub unchanged: bool,
    /// The keys on the way to the servers that were not there and were added.
    pub created: Vec<String>,
    /// The values of Trello variables the replaced entry held (an earlier
    /// `--inline-secrets`, perhaps of a token since rotated).
    pub old_secrets: Vec<String>,
    /// The file as it was, but with the profile's own secrets (and the old
    /// entry's Trello values) redacted wherever they are, and every
    /// credential-shaped piece of the replaced entry (values, names,
    /// comments) too, all as decoded text (an escape hides nothing): what the
    /// backup may keep. `None` when nothing had to go.
    pub backup: Option<Vec<Cow<'a, str>>>,
}

impl Merged<'_> {
    /// The new file as one text (a printed entry, tests).
    pub fn text(&self) -> String {
        self.pieces.concat()
    }
}

// By hand: the text and the old values may hold a token.
impl std::fmt::Debug for Merged<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size = |pieces: &[Cow<str>]| pieces.iter().map(|p| p.len()).sum::<usize>();
        f.debug_struct("Merged")
            .field("text", &format_args!("{} bytes", size(&self.pieces)))
            .field("replaced", &self.replaced)
            .field("unchanged", &self.unchanged)
            .field("created", &self.created)
            .field("old_secrets", &self.old_secrets.len())
            .field("backup", &self.backup.as_ref().map(|b| format!("{} bytes", size(b))))
            .finish()
    }
}

/// What goes where: the entry `entry` (already in the client's shape) as
/// `name` under `keys`, and the profile's own key, token and API secret,
/// which the backup keeps nowhere.
pub(crate) struct Change<'a> {
    pub keys: &'a [String],
    pub name: &'a str,
    pub entry: &'a serde_json::Value,
    pub secrets: &'a [String],
}

/// Merges the change into `old` (the file's text, or nothing for a new file).
pub(crate) fn merge<'a>(format: Format, old: Option<&'a str>, change: &Change) -> Result<Merged<'a>, EditError> {
    match format {
        Format::Json => json::merge(old.unwrap_or(""), change),
        Format::Toml => toml::merge(old.unwrap_or(""), change),
    }
}

/// What a backup may not keep: the profile's own values anywhere (`known`),
/// and in the replaced entry anything shaped like a credential (`entry`).
#[derive(Clone)]
struct Redact {
    known: Vec<String>,
    entry: bool,
}

impl Redact {
    /// `text` cleaned, when anything had to go.
    fn clean(&self, text: &str) -> Option<String> {
        // Most text holds none of the known values: found so without a copy
        // of it (a string may be as long as the file).
        if !self.entry && !self.known.iter().any(|k| mentions(text, k)) {
            return None;
        }
        let known: Vec<&str> = self.known.iter().map(String::as_str).collect();
        let clean = if self.entry { scrub(text, &known) } else { scrub_known(text, &known) };
        (clean != text).then_some(clean)
    }
}

/// Whether `value` occurs in `text` in any ASCII case: where it does not, no
/// redaction of it can change the text.
fn mentions(text: &str, value: &str) -> bool {
    let value = value.as_bytes();
    !value.is_empty() && text.as_bytes().windows(value.len()).any(|w| w.eq_ignore_ascii_case(value))
}

/// The secrets the backup leaves out: the profile's and the replaced entry's.
fn known(secrets: &[String], old_secrets: &[String]) -> Vec<String> {
    secrets.iter().chain(old_secrets).filter(|s| !s.is_empty()).cloned().collect()
}

/// The values of Trello variables anywhere in an entry (its `env`, OpenCode's
/// `environment`), as JSON.
fn trello_values(entry: &serde_json::Value) -> Vec<String> {
    let names = every_name();
    let mut found = Vec::new();
    let mut todo = vec![entry];
    while let Some(value) = todo.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match v.as_str() {
                        Some(s) if names.contains(&k.as_str()) && !s.is_empty() => found.push(s.to_string()),
                        _ => todo.push(v),
                    }
                }
            }
            serde_json::Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    found
}

/// `"mcpServers" → "github"`, for messages.
fn json_path(keys: &[String]) -> String {
    // A key is the file's text: a token written as a key is never quoted back,
    // and a project's 200 kB key is not one 200 kB line.
    let shown = |k: &String| {
        let k = crate::untrusted::cut(&crate::credentials::secret::scrub(k, &[]), KEY_SHOWN);
        serde_json::Value::String(crate::untrusted::line(&k).into_owned()).to_string()
    };
    keys.iter().map(shown).collect::<Vec<_>>().join(" → ")
}

/// The most characters of a key a message quotes.
const KEY_SHOWN: usize = 64;
