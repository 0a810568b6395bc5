//! The MCP clients' files: any text as a JSON-with-comments or a TOML
//! (Codex) file that the entry is merged into, under each place clients keep
//! their servers, with a token to keep out of the backup.
#![no_main]

use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "ATTA3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f1B2C3D4E";

fuzz_target!(|data: &[u8]| {
    let Some((&choice, text)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(text) else { return };
    let toml = choice & 1 == 1;
    let keys: &[&str] = match (toml, choice >> 1 & 3) {
        (true, _) => &["mcp_servers"],
        (false, 0) => &["mcpServers"],
        (false, 1) => &["servers"],
        (false, _) => &["projects", "/home/ann/src/app", "mcpServers"],
    };
    let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    let name = if choice & 0x80 == 0 { "trello" } else { "mcp_servers" };
    if let Ok((_, backup)) = trello_auth::commands::mcp::merge_any(toml, text, &keys, name, &[TOKEN.to_string()]) {
        assert!(!backup.unwrap_or_default().contains(TOKEN), "the backup kept the token");
    }
});
