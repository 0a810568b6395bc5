//! The entry merged into a client's file in place: JSON (with comments) through a concrete syntax tree, TOML through `toml_edit`, so every comment, number, key order and blank line outside the entry stays as it was.

use std::collections::HashSet;

use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstInputValue, CstNode, CstObject, CstRootNode};

use super::clients::Format;
use super::entry::Server;
use crate::commands::env::every_name;
use crate::credentials::secret::{scrub, scrub_known};

#[derive(Debug, thiserror::Error)]
pub enum EditError {
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
}

/// What the merge did.
pub struct Merged {
    pub text: String,
    /// An entry of that name was there and was replaced.
    pub replaced: bool,
    /// The keys on the way to the servers that were not there and were added.
    pub created: Vec<String>,
    /// The values of Trello variables the replaced entry held in its env
    /// (an earlier `--inline-secrets`, perhaps of a token since rotated).
    pub old_secrets: Vec<String>,
    /// The file as it was, but with the profile's own secrets (and the old
    /// entry's Trello values) redacted wherever they are, and every
    /// credential-shaped piece of the replaced entry (values, names,
    /// comments) too, all as decoded text (an escape hides nothing): what the
    /// backup may keep. `None` when nothing had to go.
    pub backup: Option<String>,
}

// By hand: the text and the old values may hold a token.
impl std::fmt::Debug for Merged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merged")
            .field("text", &format_args!("{} bytes", self.text.len()))
            .field("replaced", &self.replaced)
            .field("created", &self.created)
            .field("old_secrets", &self.old_secrets.len())
            .field("backup", &self.backup.as_ref().map(|b| format!("{} bytes", b.len())))
            .finish()
    }
}

/// Merges `server` as `name` under `keys` into `old` (the file's text, or
/// nothing for a new file); `secrets` are the profile's own key, token and
/// API secret, which the backup keeps nowhere.
pub fn merge(
    format: Format,
    old: Option<&str>,
    keys: &[String],
    name: &str,
    server: &Server,
    typed: bool,
    secrets: &[String],
) -> Result<Merged, EditError> {
    let change = Change { keys, name, server, typed, secrets };
    match format {
        Format::Json => merge_json(old.unwrap_or(""), &change),
        Format::Toml => merge_toml(old.unwrap_or(""), &change),
    }
}

/// What goes where: the entry `server` as `name` under `keys` (`typed`: with
/// a `type`, for VS Code), and the secrets the backup keeps nowhere.
struct Change<'a> {
    keys: &'a [String],
    name: &'a str,
    server: &'a Server,
    typed: bool,
    secrets: &'a [String],
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
        let known: Vec<&str> = self.known.iter().map(String::as_str).collect();
        let clean = if self.entry { scrub(text, &known) } else { scrub_known(text, &known) };
        (clean != text).then_some(clean)
    }
}

/// JSON as VS Code reads it: comments and trailing commas allowed; nothing
/// looser (single quotes, bare words, hex), which no client reads.
fn options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn merge_json(old: &str, change: &Change) -> Result<Merged, EditError> {
    let Change { keys, name, server, typed, secrets } = *change;
    // A byte-order mark (an editor on Windows) is kept, and not parsed.
    let (bom, old) = match old.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", old),
    };
    let blank = old.trim().is_empty();
    // The parser's words name what was expected, never the file's text (which may hold a token).
    let root = CstRootNode::parse(if blank { "" } else { old }, &options()).map_err(|e| EditError::Json {
        what: e.kind().to_string(),
        line: e.line_display(),
        column: e.column_display(),
    })?;
    if let Some(value) = root.value() {
        check_duplicates(&value, &mut Vec::new())?;
        if value.as_object().is_none() {
            return Err(EditError::Shape { place: "the top of the file".into(), wanted: "an object" });
        }
    }
    let mut object = root.object_value_or_set();
    let mut created = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        object = match object.get(key) {
            Some(prop) => prop
                .object_value()
                .ok_or_else(|| EditError::Shape { place: json_path(&keys[..=i]), wanted: "an object" })?,
            None => {
                created.push(key.clone());
                let prop = object.append(key, CstInputValue::Object(Vec::new()));
                prop.object_value()
                    .ok_or_else(|| EditError::Shape { place: json_path(&keys[..=i]), wanted: "an object" })?
            }
        };
    }
    let value = cst_value(&server.to_json(typed));
    let (replaced, old_secrets) = match object.get(name) {
        Some(prop) => {
            let held = prop.object_value().map(|entry| trello_values_json(&entry)).unwrap_or_default();
            prop.set_value(value);
            (true, held)
        }
        None => {
            object.append(name, value);
            (false, Vec::new())
        }
    };
    let known: Vec<String> = secrets.iter().chain(&old_secrets).filter(|s| !s.is_empty()).cloned().collect();
    let backup = if blank { None } else { json_backup(old, keys, name, known).map(|b| format!("{bom}{b}")) };
    let mut text = format!("{bom}{root}");
    if blank && !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(Merged { text, replaced, created, old_secrets, backup })
}

/// The backup's text (see [`Merged::backup`]), parsed afresh from the old
/// file so the merged file's other entries are left exactly as they were.
fn json_backup(old: &str, keys: &[String], name: &str, known: Vec<String>) -> Option<String> {
    let root = CstRootNode::parse(old, &options()).ok()?;
    let everywhere = Redact { known, entry: false };
    for node in root.children() {
        redact_json(&node, &everywhere);
    }
    let mut object = root.object_value()?;
    let mut entry = None;
    for key in keys {
        object = match object.get(key).and_then(|p| p.object_value()) {
            Some(next) => next,
            None => break,
        };
    }
    if let Some(value) = object.get(name).and_then(|p| p.value()) {
        entry = Some(value);
    }
    if let Some(entry) = entry {
        redact_json(&entry, &Redact { entry: true, ..everywhere });
    }
    let text = root.to_string();
    (text != old).then_some(text)
}

/// Redacts what `redact` says in `node` and below: strings (their decoded
/// text, so an escape hides nothing), property names and comments. Numbers
/// stay: a credential is never one, and a redacted number would not parse.
fn redact_json(node: &CstNode, redact: &Redact) {
    if let Some(string) = node.as_string_lit() {
        if let Ok(text) = string.decoded_value()
            && let Some(clean) = redact.clean(&text)
        {
            string.replace_with(CstInputValue::String(clean));
        }
    } else if let Some(comment) = node.as_comment() {
        if let Some(clean) = redact.clean(&comment.raw_value()) {
            comment.set_raw_value(clean);
        }
    } else {
        for child in node.children() {
            redact_json(&child, redact);
        }
    }
}

/// Refuses an object holding the same key twice, anywhere in the file: the
/// JSON standard leaves the meaning open and clients differ.
fn check_duplicates(node: &CstNode, path: &mut Vec<String>) -> Result<(), EditError> {
    if let Some(object) = node.as_object() {
        let mut seen = HashSet::new();
        for prop in object.properties() {
            let key = prop.decoded_name().unwrap_or_default();
            path.push(key.clone());
            if !seen.insert(key) {
                return Err(EditError::Duplicate { key: json_path(path) });
            }
            if let Some(value) = prop.value() {
                check_duplicates(&value, path)?;
            }
            path.pop();
        }
    } else if let Some(array) = node.as_array() {
        for element in array.elements() {
            check_duplicates(&element, path)?;
        }
    }
    Ok(())
}

/// `"mcpServers" → "github"`, for messages.
fn json_path(keys: &[String]) -> String {
    let quoted: Vec<String> =
        keys.iter().map(|k| serde_json::Value::String(crate::untrusted::line(k).into_owned()).to_string()).collect();
    quoted.join(" → ")
}

fn cst_value(value: &serde_json::Value) -> CstInputValue {
    match value {
        serde_json::Value::Null => CstInputValue::Null,
        serde_json::Value::Bool(b) => CstInputValue::Bool(*b),
        serde_json::Value::Number(n) => CstInputValue::Number(n.to_string()),
        serde_json::Value::String(s) => CstInputValue::String(s.clone()),
        serde_json::Value::Array(items) => CstInputValue::Array(items.iter().map(cst_value).collect()),
        serde_json::Value::Object(map) => {
            CstInputValue::Object(map.iter().map(|(k, v)| (k.clone(), cst_value(v))).collect())
        }
    }
}

/// The Trello variables' values in an entry's `env` object.
fn trello_values_json(entry: &CstObject) -> Vec<String> {
    let Some(env) = entry.get("env").and_then(|p| p.object_value()) else { return Vec::new() };
    let names = every_name();
    env.properties()
        .into_iter()
        .filter(|p| p.decoded_name().is_some_and(|n| names.contains(&n.as_str())))
        .filter_map(|p| p.value()?.as_string_lit()?.decoded_value().ok())
        .filter(|v| !v.is_empty())
        .collect()
}

fn merge_toml(old: &str, change: &Change) -> Result<Merged, EditError> {
    let Change { keys, name, server, secrets, .. } = *change;
    // toml_edit refuses a duplicate key (TOML forbids them) with the key's name.
    let mut doc: toml_edit::DocumentMut = old.parse().map_err(|e: toml_edit::TomlError| {
        let (line, column) = e.span().map(|s| crate::files::line_column(old, s.start)).unwrap_or((1, 1));
        let what = crate::untrusted::line(e.message().lines().next().unwrap_or_default()).into_owned();
        EditError::Toml { what, line, column }
    })?;
    let before = doc.clone();
    let mut created = Vec::new();
    let mut item = doc.as_item_mut();
    for (i, key) in keys.iter().enumerate() {
        let table = item
            .as_table_like_mut()
            .ok_or_else(|| EditError::Shape { place: toml_path(&keys[..i]), wanted: "a table" })?;
        if !table.contains_key(key) {
            created.push(key.clone());
            let mut new = toml_edit::Table::new();
            // `[mcp_servers.trello]` alone, without an empty `[mcp_servers]` above it.
            new.set_implicit(true);
            table.insert(key, toml_edit::Item::Table(new));
        }
        item = table
            .get_mut(key)
            .filter(|i| i.is_table_like())
            .ok_or_else(|| EditError::Shape { place: toml_path(&keys[..=i]), wanted: "a table" })?;
    }
    let inline = item.is_inline_table();
    let table =
        item.as_table_like_mut().ok_or_else(|| EditError::Shape { place: toml_path(keys), wanted: "a table" })?;
    let mut new = toml_table(server);
    let (replaced, old_secrets) = match table.get_mut(name) {
        Some(existing) => {
            let secrets = trello_values_toml(existing);
            // The entry keeps its place and the comment above it.
            if let (Some(old), toml_edit::Item::Table(new)) = (existing.as_table(), &mut new) {
                new.set_position(old.position());
                *new.decor_mut() = old.decor().clone();
            }
            *existing = if inline { inline_item(new) } else { new };
            (true, secrets)
        }
        None => {
            table.insert(name, if inline { inline_item(new) } else { new });
            (false, Vec::new())
        }
    };
    let known: Vec<String> = secrets.iter().chain(&old_secrets).filter(|s| !s.is_empty()).cloned().collect();
    let backup = toml_backup(before, keys, name, known).filter(|b| b != old);
    Ok(Merged { text: doc.to_string(), replaced, created, old_secrets, backup })
}

/// The backup's text (see [`Merged::backup`]): the profile's own values
/// anywhere, then everything credential-shaped in the entry `name` under `keys`.
fn toml_backup(mut doc: toml_edit::DocumentMut, keys: &[String], name: &str, known: Vec<String>) -> Option<String> {
    let mut everywhere = RedactToml(Redact { known, entry: false });
    toml_edit::visit_mut::VisitMut::visit_document_mut(&mut everywhere, &mut doc);
    // The comments after the last value belong to the document, not to any
    // table or value the visitor reaches.
    if let Some(clean) = doc.trailing().as_str().and_then(|t| everywhere.0.clean(t)) {
        doc.set_trailing(clean);
    }
    let mut item = Some(doc.as_item_mut());
    for key in keys {
        item = item.and_then(|i| i.get_mut(key.as_str()));
    }
    if let Some(entry) = item.and_then(|i| i.get_mut(name)) {
        let mut in_entry = RedactToml(Redact { entry: true, ..everywhere.0 });
        toml_edit::visit_mut::VisitMut::visit_item_mut(&mut in_entry, entry);
    }
    Some(doc.to_string())
}

/// Redacts what its [`Redact`] says in TOML: string values, key names, and
/// the comments around them (their decor).
struct RedactToml(Redact);

impl RedactToml {
    fn decor(&self, decor: &mut toml_edit::Decor) {
        if let Some(clean) = decor.prefix().and_then(|p| p.as_str()).and_then(|p| self.0.clean(p)) {
            decor.set_prefix(clean);
        }
        if let Some(clean) = decor.suffix().and_then(|s| s.as_str()).and_then(|s| self.0.clean(s)) {
            decor.set_suffix(clean);
        }
    }
}

impl toml_edit::visit_mut::VisitMut for RedactToml {
    fn visit_table_mut(&mut self, node: &mut toml_edit::Table) {
        self.decor(node.decor_mut());
        toml_edit::visit_mut::visit_table_mut(self, node);
    }

    fn visit_inline_table_mut(&mut self, node: &mut toml_edit::InlineTable) {
        self.decor(node.decor_mut());
        toml_edit::visit_mut::visit_inline_table_mut(self, node);
    }

    fn visit_table_like_mut(&mut self, node: &mut dyn toml_edit::TableLike) {
        let renamed: Vec<(String, String)> =
            node.iter().filter_map(|(k, _)| self.0.clean(k).map(|clean| (k.to_string(), clean))).collect();
        for (old, clean) in renamed {
            if let Some(item) = node.remove(&old) {
                node.insert(&clean, item);
            }
        }
        toml_edit::visit_mut::visit_table_like_mut(self, node);
    }

    fn visit_table_like_kv_mut(&mut self, mut key: toml_edit::KeyMut<'_>, node: &mut toml_edit::Item) {
        self.decor(key.leaf_decor_mut());
        self.decor(key.dotted_decor_mut());
        toml_edit::visit_mut::visit_table_like_kv_mut(self, key, node);
    }

    fn visit_value_mut(&mut self, node: &mut toml_edit::Value) {
        self.decor(node.decor_mut());
        toml_edit::visit_mut::visit_value_mut(self, node);
    }

    fn visit_array_mut(&mut self, node: &mut toml_edit::Array) {
        if let Some(clean) = node.trailing().as_str().and_then(|t| self.0.clean(t)) {
            node.set_trailing(clean);
        }
        toml_edit::visit_mut::visit_array_mut(self, node);
    }

    fn visit_string_mut(&mut self, node: &mut toml_edit::Formatted<String>) {
        if let Some(clean) = self.0.clean(node.value()) {
            let decor = node.decor().clone();
            *node = toml_edit::Formatted::new(clean);
            *node.decor_mut() = decor;
        }
    }
}

/// `[mcp_servers.NAME]` with `command`, `args` and an `[mcp_servers.NAME.env]` table, as Codex's docs show.
fn toml_table(server: &Server) -> toml_edit::Item {
    let mut table = toml_edit::Table::new();
    table.insert("command", toml_edit::value(server.command.as_str()));
    let args: toml_edit::Array = server.args.iter().map(String::as_str).collect();
    table.insert("args", toml_edit::value(args));
    if !server.env.is_empty() {
        let mut env = toml_edit::Table::new();
        for (k, v) in &server.env {
            env.insert(k, toml_edit::value(v.as_str()));
        }
        table.insert("env", toml_edit::Item::Table(env));
    }
    toml_edit::Item::Table(table)
}

/// Inside an inline table (`mcp_servers = { … }`) only inline tables fit.
fn inline_item(item: toml_edit::Item) -> toml_edit::Item {
    match item.into_value() {
        Ok(value) => toml_edit::Item::Value(value),
        Err(item) => item,
    }
}

fn trello_values_toml(entry: &toml_edit::Item) -> Vec<String> {
    let Some(env) = entry.get("env").and_then(|e| e.as_table_like()) else { return Vec::new() };
    let names = every_name();
    env.iter()
        .filter(|(k, _)| names.contains(k))
        .filter_map(|(_, v)| v.as_str().map(str::to_string))
        .filter(|v| !v.is_empty())
        .collect()
}

fn toml_path(keys: &[String]) -> String {
    if keys.is_empty() {
        return "the top of the file".into();
    }
    format!("[{}]", crate::untrusted::line(&keys.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> Server {
        Server {
            command: "/usr/local/bin/trello-auth".into(),
            args: vec!["exec".into(), "--".into(), "/opt/node/bin/npx".into()],
            env: vec![("PATH".into(), "/opt/node/bin:/usr/bin".into())],
        }
    }

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn jsonc_keeps_comments_numbers_order_and_trailing_commas() {
        let old = "{\n  // my servers\n  \"servers\": {\n    \"other\": { \"command\": \"x\" }, // keep\n  },\n  \"big\": 18446744073709551616,\n  \"f\": 1.50,\n}\n";
        let merged = merge(Format::Json, Some(old), &keys(&["servers"]), "trello", &server(), true, &[]).unwrap();
        let text = &merged.text;
        assert!(
            text.starts_with("{\n  // my servers\n  \"servers\": {\n    \"other\": { \"command\": \"x\" }, // keep\n"),
            "{text}"
        );
        assert!(text.contains("\"big\": 18446744073709551616,\n  \"f\": 1.50,\n}\n"), "{text}");
        assert!(
            text.contains(
                "\"trello\": {\n      \"type\": \"stdio\",\n      \"command\": \"/usr/local/bin/trello-auth\""
            ),
            "{text}"
        );
        assert!(!merged.replaced && merged.created.is_empty());
        // Replacing changes only the entry.
        let again = merge(Format::Json, Some(text), &keys(&["servers"]), "trello", &server(), true, &[]).unwrap();
        assert!(again.replaced);
        assert_eq!(&again.text, text);
    }

    #[test]
    fn a_byte_order_mark_is_kept() {
        let old = "\u{feff}{\"mcpServers\": {}}\n";
        let merged = merge(Format::Json, Some(old), &keys(&["mcpServers"]), "trello", &server(), false, &[]).unwrap();
        assert!(merged.text.starts_with("\u{feff}{\"mcpServers\": {\n"), "{:?}", merged.text);
    }

    #[test]
    fn duplicates_anywhere_are_refused_with_the_key() {
        let old = "{\"mcpServers\": {\"a\": {}, \"a\": {}}}";
        let err = merge(Format::Json, Some(old), &keys(&["mcpServers"]), "trello", &server(), false, &[]).unwrap_err();
        assert_eq!(err.to_string().split(';').next().unwrap(), "has the key \"mcpServers\" → \"a\" twice");
        let old = "{\"x\": [{\"k\": 1, \"k\": 2}]}";
        let err = merge(Format::Json, Some(old), &keys(&["mcpServers"]), "trello", &server(), false, &[]).unwrap_err();
        assert!(err.to_string().contains("\"x\" → \"k\""), "{err}");
        let err = merge(Format::Toml, Some("a = 1\na = 2\n"), &keys(&["mcp_servers"]), "t", &server(), false, &[])
            .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn nested_keys_are_created_and_bad_shapes_refused() {
        let merged =
            merge(Format::Json, None, &keys(&["projects", "/src/app", "mcpServers"]), "trello", &server(), false, &[])
                .unwrap();
        assert_eq!(merged.created, keys(&["projects", "/src/app", "mcpServers"]));
        let value: serde_json::Value = serde_json::from_str(&merged.text).unwrap();
        assert_eq!(value["projects"]["/src/app"]["mcpServers"]["trello"]["command"], "/usr/local/bin/trello-auth");
        let err = merge(Format::Json, Some("[]"), &keys(&["mcpServers"]), "t", &server(), false, &[]).unwrap_err();
        assert_eq!(err.to_string(), "the top of the file is not an object");
        let err = merge(Format::Json, Some("{\"mcpServers\": 3}"), &keys(&["mcpServers"]), "t", &server(), false, &[])
            .unwrap_err();
        assert_eq!(err.to_string(), "\"mcpServers\" is not an object");
        let err =
            merge(Format::Json, Some("{'a': 1}"), &keys(&["mcpServers"]), "t", &server(), false, &[]).unwrap_err();
        assert!(err.to_string().starts_with("is not valid JSON"), "{err}");
    }

    #[test]
    fn toml_keeps_the_file_and_replaces_in_place() {
        let old = "# Codex settings\nmodel = \"o3\" # mine\n\n[mcp_servers.other]\ncommand = \"x\"\n\n# Trello\n[mcp_servers.trello]\ncommand = \"old\"\n[mcp_servers.trello.env]\nTRELLO_TOKEN = \"ATTAold\"\n\n[tui]\nn = 0x10\n";
        let merged = merge(Format::Toml, Some(old), &keys(&["mcp_servers"]), "trello", &server(), false, &[]).unwrap();
        let text = &merged.text;
        assert!(merged.replaced);
        assert_eq!(merged.old_secrets, ["ATTAold"]);
        assert!(text.starts_with("# Codex settings\nmodel = \"o3\" # mine\n\n[mcp_servers.other]\ncommand = \"x\"\n\n# Trello\n[mcp_servers.trello]\ncommand = \"/usr/local/bin/trello-auth\"\n"), "{text}");
        assert!(text.ends_with("[tui]\nn = 0x10\n"), "{text}");
        assert!(!text.contains("ATTAold"));
        let new = merge(Format::Toml, Some(""), &keys(&["mcp_servers"]), "trello", &server(), false, &[]).unwrap();
        assert!(new.text.starts_with("[mcp_servers.trello]\ncommand = "), "{}", new.text);
        assert!(new.text.contains("[mcp_servers.trello.env]\nPATH = "), "{}", new.text);
        let inline = merge(
            Format::Toml,
            Some("mcp_servers = { a = { command = \"x\" } }\n"),
            &keys(&["mcp_servers"]),
            "trello",
            &server(),
            false,
            &[],
        )
        .unwrap();
        let parsed: toml::Table = toml::from_str(&inline.text).unwrap();
        assert_eq!(parsed["mcp_servers"]["trello"]["command"].as_str(), Some("/usr/local/bin/trello-auth"));
        assert_eq!(parsed["mcp_servers"]["a"]["command"].as_str(), Some("x"));
    }
}
