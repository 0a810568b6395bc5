//! Codex's TOML edited through `toml_edit`: the entry's table replaced or added in place, the rest of the document as it was. Codex's file is small; `mcp` caps what it reads of a TOML file so this stays cheap.

use std::borrow::Cow;

use super::{Change, EditError, Merged, Redact, known, trello_values};

pub(super) fn merge<'a>(old: &'a str, change: &Change) -> Result<Merged<'a>, EditError> {
    let Change { keys, name, entry, secrets } = *change;
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
        let table =
            item.as_table_like_mut().ok_or_else(|| EditError::Shape { place: path(&keys[..i]), wanted: "a table" })?;
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
            .ok_or_else(|| EditError::Shape { place: path(&keys[..=i]), wanted: "a table" })?;
    }
    let inline = item.is_inline_table();
    let table = item.as_table_like_mut().ok_or_else(|| EditError::Shape { place: path(keys), wanted: "a table" })?;
    let mut new = table_of(entry);
    let (replaced, old_secrets) = match table.get_mut(name) {
        Some(existing) => {
            let secrets = trello_values(&json_of(existing));
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
    let text = doc.to_string();
    let backup = backup(before, keys, name, known(secrets, &old_secrets)).filter(|b| b != old);
    Ok(Merged {
        unchanged: text == old,
        pieces: vec![Cow::Owned(text)],
        replaced,
        created,
        old_secrets,
        backup: backup.map(|b| vec![Cow::Owned(b)]),
    })
}

/// The backup's text (see [`Merged::backup`]): the profile's own values
/// anywhere, then everything credential-shaped in the entry `name` under `keys`.
fn backup(mut doc: toml_edit::DocumentMut, keys: &[String], name: &str, known: Vec<String>) -> Option<String> {
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

/// The entry as a table, as Codex's docs show it: `[mcp_servers.NAME]` with
/// its values, and an object in it (`env`) as a table of its own
/// (`[mcp_servers.NAME.env]`).
fn table_of(entry: &serde_json::Value) -> toml_edit::Item {
    let mut table = toml_edit::Table::new();
    if let serde_json::Value::Object(fields) = entry {
        for (key, value) in fields {
            let item = match value {
                serde_json::Value::Object(_) => table_of(value),
                other => toml_edit::Item::Value(value_of(other)),
            };
            table.insert(key, item);
        }
    }
    toml_edit::Item::Table(table)
}

/// A JSON value as a TOML value (an entry holds strings, arrays, objects, booleans and numbers).
fn value_of(value: &serde_json::Value) -> toml_edit::Value {
    match value {
        serde_json::Value::Bool(b) => (*b).into(),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into(),
            (None, Some(f)) => f.into(),
            (None, None) => n.to_string().into(),
        },
        serde_json::Value::String(s) => s.as_str().into(),
        serde_json::Value::Array(items) => toml_edit::Value::Array(items.iter().map(value_of).collect()),
        serde_json::Value::Object(map) => {
            toml_edit::Value::InlineTable(map.iter().map(|(k, v)| (k.as_str(), value_of(v))).collect())
        }
        // TOML has no null: an absent key says the same.
        serde_json::Value::Null => "".into(),
    }
}

/// A TOML value as JSON, to read an old entry's values the one way.
fn to_json(value: &toml_edit::Value) -> serde_json::Value {
    match value {
        toml_edit::Value::String(s) => s.value().clone().into(),
        toml_edit::Value::Integer(i) => (*i.value()).into(),
        toml_edit::Value::Float(f) => {
            serde_json::Number::from_f64(*f.value()).map_or(serde_json::Value::Null, Into::into)
        }
        toml_edit::Value::Boolean(b) => (*b.value()).into(),
        toml_edit::Value::Datetime(d) => d.value().to_string().into(),
        toml_edit::Value::Array(items) => items.iter().map(to_json).collect(),
        toml_edit::Value::InlineTable(table) => {
            table.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect::<serde_json::Map<_, _>>().into()
        }
    }
}

/// An old entry (tables such as `[mcp_servers.trello.env]`, or inline), read as JSON.
fn json_of(item: &toml_edit::Item) -> serde_json::Value {
    let table = |t: &toml_edit::Table| -> serde_json::Value {
        t.iter().map(|(k, v)| (k.to_string(), json_of(v))).collect::<serde_json::Map<_, _>>().into()
    };
    match item {
        toml_edit::Item::Value(v) => to_json(v),
        toml_edit::Item::Table(t) => table(t),
        toml_edit::Item::ArrayOfTables(a) => a.iter().map(table).collect(),
        toml_edit::Item::None => serde_json::Value::Null,
    }
}

/// Inside an inline table (`mcp_servers = { … }`) only inline tables fit.
fn inline_item(item: toml_edit::Item) -> toml_edit::Item {
    match item.into_value() {
        Ok(value) => toml_edit::Item::Value(value),
        Err(item) => item,
    }
}

fn path(keys: &[String]) -> String {
    if keys.is_empty() {
        return "the top of the file".into();
    }
    format!("[{}]", crate::untrusted::line(&keys.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> serde_json::Value {
        serde_json::json!({
            "command": "/usr/local/bin/trello-auth",
            "args": ["exec", "--", "/opt/node/bin/npx"],
            "env": {"PATH": "/opt/node/bin:/usr/bin"}
        })
    }

    fn change<'a>(keys: &'a [String], entry: &'a serde_json::Value) -> Change<'a> {
        Change { keys, name: "trello", entry, secrets: &[] }
    }

    #[test]
    fn toml_keeps_the_file_and_replaces_in_place() {
        let keys = vec!["mcp_servers".to_string()];
        let entry = entry();
        let old = "# Codex settings\nmodel = \"o3\" # mine\n\n[mcp_servers.other]\ncommand = \"x\"\n\n# Trello\n[mcp_servers.trello]\ncommand = \"old\"\n[mcp_servers.trello.env]\nTRELLO_TOKEN = \"ATTAold\"\n\n[tui]\nn = 0x10\n";
        let merged = merge(old, &change(&keys, &entry)).unwrap();
        let text = merged.text();
        assert!(merged.replaced);
        assert_eq!(merged.old_secrets, ["ATTAold"]);
        assert!(text.starts_with("# Codex settings\nmodel = \"o3\" # mine\n\n[mcp_servers.other]\ncommand = \"x\"\n\n# Trello\n[mcp_servers.trello]\ncommand = \"/usr/local/bin/trello-auth\"\n"), "{text}");
        assert!(text.ends_with("[tui]\nn = 0x10\n"), "{text}");
        assert!(!text.contains("ATTAold"));
        let new = merge("", &change(&keys, &entry)).unwrap().text();
        assert!(new.starts_with("[mcp_servers.trello]\ncommand = "), "{new}");
        assert!(new.contains("[mcp_servers.trello.env]\nPATH = "), "{new}");
        let inline = merge("mcp_servers = { a = { command = \"x\" } }\n", &change(&keys, &entry)).unwrap().text();
        let parsed: ::toml::Table = ::toml::from_str(&inline).unwrap();
        assert_eq!(parsed["mcp_servers"]["trello"]["command"].as_str(), Some("/usr/local/bin/trello-auth"));
        assert_eq!(parsed["mcp_servers"]["a"]["command"].as_str(), Some("x"));
        // A remote entry: only its url.
        let remote = serde_json::json!({"url": "https://mcp.trello.com/v1"});
        let text = merge("", &change(&keys, &remote)).unwrap().text();
        assert_eq!(text, "[mcp_servers.trello]\nurl = \"https://mcp.trello.com/v1\"\n");
    }

    #[test]
    fn a_duplicate_key_is_refused_with_its_line() {
        let keys = vec!["mcp_servers".to_string()];
        let entry = entry();
        let err = merge("a = 1\na = 2\n", &change(&keys, &entry)).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
