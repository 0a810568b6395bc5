//! The wizard's words, loaded from `assets/wizard.toml` (embedded at compile time).

use std::sync::OnceLock;

use serde::Deserialize;

const SOURCE: &str = include_str!("../../assets/wizard.toml");

#[derive(Debug, Deserialize)]
pub struct Texts {
    pub steps: StepNames,
    pub portal: Portal,
    pub powerup: PowerUp,
    pub key: Key,
    pub token: Token,
    pub verify: Verify,
    pub done: Done,
    pub help: Help,
    pub small: Small,
    pub quit: Quit,
    pub start: Start,
    pub rotate: Rotate,
    pub capture: Capture,
}

#[derive(Debug, Deserialize)]
pub struct Capture {
    pub origin_label: String,
    pub origin_help: String,
    pub off: String,
    pub starting: String,
    pub waiting: String,
    pub failed: String,
    pub received: String,
}

#[derive(Debug, Deserialize)]
pub struct Start {
    pub title: String,
    pub who: String,
    pub unknown_who: String,
    pub no_token: String,
    pub expires_soon: String,
    pub expired: String,
    pub check_running: String,
    pub check_valid: String,
}

#[derive(Debug, Deserialize)]
pub struct Rotate {
    pub title_bar: String,
    pub other_member: String,
    pub other_member_question: String,
    pub revoke_offer: String,
    pub revoking: String,
    pub confirming: String,
    pub confirmed: String,
    pub unconfirmed: String,
    pub failed: String,
    pub declined: String,
}

#[derive(Debug, Deserialize)]
pub struct StepNames {
    pub portal: String,
    pub powerup: String,
    pub key: String,
    pub token: String,
    pub verify: String,
}

#[derive(Debug, Deserialize)]
pub struct Portal {
    pub title: String,
    pub body: String,
    pub note: String,
    #[serde(rename = "continue")]
    pub next: String,
}

#[derive(Debug, Deserialize)]
pub struct PowerUp {
    pub title: String,
    pub body: String,
    pub name_label: String,
    pub name_help: String,
    pub workspace_label: String,
    pub workspace_value: String,
    pub email_label: String,
    pub support_label: String,
    pub author_label: String,
    pub author_placeholder: String,
    pub iframe_label: String,
    pub iframe_value: String,
    pub iframe_help: String,
    #[serde(rename = "continue")]
    pub next: String,
}

#[derive(Debug, Deserialize)]
pub struct Key {
    pub title: String,
    pub body: String,
    pub key_label: String,
    pub secret_label: String,
    pub secret_help: String,
    pub check_running: String,
    pub check_known: String,
    pub check_rejected: String,
    pub check_unchecked: String,
}

#[derive(Debug, Deserialize)]
pub struct Token {
    pub title: String,
    pub body: String,
    pub expiration_label: String,
    #[serde(rename = "expiration_1hour")]
    pub expiration_one_hour: String,
    #[serde(rename = "expiration_1day")]
    pub expiration_one_day: String,
    #[serde(rename = "expiration_30days")]
    pub expiration_thirty_days: String,
    pub expiration_never: String,
    pub scopes_label: String,
    pub scope_read: String,
    pub scope_write: String,
    pub scope_account: String,
    pub scope_none: String,
    pub url_label: String,
    pub token_label: String,
}

#[derive(Debug, Deserialize)]
pub struct Verify {
    pub title: String,
    pub running: String,
    pub rate_limited: String,
    pub success: String,
    pub saving: String,
    pub fewer_scopes: String,
    pub failed: String,
    pub save_failed: String,
    pub nothing_saved: String,
}

#[derive(Debug, Deserialize)]
pub struct Done {
    pub title: String,
    pub next: String,
    pub revoke: String,
    pub secrets: String,
}

#[derive(Debug, Deserialize)]
pub struct Help {
    pub title: String,
    pub general: String,
    pub close: String,
}

#[derive(Debug, Deserialize)]
pub struct Small {
    pub message: String,
}

#[derive(Debug, Deserialize)]
pub struct Quit {
    pub question: String,
}

/// The parsed texts, read once.
pub fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    // The file is compiled in and `tests::assets_parse` proves it parses, so
    // this cannot fail in a built binary.
    TEXTS.get_or_init(|| toml::from_str(SOURCE).expect("assets/wizard.toml is checked by a unit test"))
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_parse() {
        let t: Texts = toml::from_str(SOURCE).unwrap();
        assert!(t.portal.title.contains("Step 1"));
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill("a {x} b {y} {x}", &[("x", "1"), ("y", "2")]), "a 1 b 2 1");
    }
}
