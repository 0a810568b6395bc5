//! The wizard's words, loaded from `assets/wizard.toml` (embedded at compile time): the one home for them.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const SOURCE: &str = include_str!("../../assets/wizard.toml");

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Texts {
    pub title: Title,
    pub keys: Keys,
    pub labels: Labels,
    pub notices: Notices,
    pub what: What,
    pub email: Email,
    pub plain: Plain,
    pub words: Words,
    pub boards: Boards,
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
    pub agent: Agent,
    pub capture: Capture,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Title {
    pub step: String,
    pub setup: String,
    pub start: String,
    pub not_trello: String,
    pub not_trello_short: String,
    pub profile: String,
}

/// What each key does: labels for the hint bar and the help (see `keymap`).
#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Keys {
    pub any_key: String,
    pub up_down_enter: String,
    pub left_right: String,
    pub quit_now: String,
    pub quit: String,
    pub help: String,
    pub close_help: String,
    pub confirm_quit: String,
    pub stay: String,
    pub next: String,
    pub created_next: String,
    pub back: String,
    pub next_row: String,
    pub next_field: String,
    pub previous: String,
    pub previous_field: String,
    pub open_portal: String,
    pub open_url: String,
    pub open_account: String,
    pub copy_url: String,
    pub copy_row: String,
    pub copy_origin: String,
    pub copy_command: String,
    pub reveal: String,
    pub clear_field: String,
    pub verify: String,
    pub options: String,
    pub option: String,
    pub expiration: String,
    pub shorter: String,
    pub longer: String,
    pub toggle: String,
    pub paste_instead: String,
    pub catch_instead: String,
    pub fix_key: String,
    pub new_token: String,
    pub retry: String,
    pub retry_save: String,
    pub finish: String,
    pub reauthorize: String,
    pub start_verify: String,
    pub start_rotate: String,
    pub start_setup: String,
    pub start_choose: String,
    pub save_anyway: String,
    pub confirm_account: String,
    pub refuse_account: String,
    pub back_to_token: String,
    pub revoke_old: String,
    pub keep_old: String,
    pub save_file: String,
    pub save_keyring: String,
    pub save_file_instead: String,
    pub press: String,
    pub type_word: String,
    pub choose_board: String,
    pub pick: String,
    pub previous_board: String,
    pub next_board: String,
    pub leave_saved: String,
    pub close_url: String,
    pub show_url: String,
    pub next_profile: String,
    pub space: String,
    pub left_right_space: String,
    pub previous_row: String,
    pub up_down: String,
    pub select: String,
    pub scroll_down: String,
    pub scroll_up: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Labels {
    pub profile: String,
    pub api_key: String,
    pub token: String,
    pub app_name: String,
    pub scopes: String,
    pub expires: String,
    pub last_verified: String,
    pub saved_to: String,
    pub previous_file: String,
    pub none: String,
    pub requested: String,
    pub fewer: String,
    pub email_same: String,
    pub email_empty: String,
    pub start_check_valid: String,
    pub start_check_fix: String,
    pub stored_in: String,
    pub other_profiles: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Notices {
    pub name_first: String,
    pub api_key: String,
    pub secret: String,
    pub key_unknown: String,
    pub no_scope: String,
    pub token: String,
    pub other_member_refused: String,
    pub account_refused: String,
    pub credential_in_field: String,
    pub lowercased: String,
    pub no_usable_token: String,
    pub nothing_to_paste: String,
    pub no_browser: String,
    pub opening: String,
    pub opened: String,
    pub open_failed: String,
    pub nothing_to_copy: String,
    pub pasting: String,
    pub pasting_opened: String,
    pub catching: String,
    pub capture_off: String,
    pub takeover: String,
    pub old_token: String,
    pub copied: String,
    pub copied_terminal: String,
    pub copy_by_hand: String,
}

/// The board picker's words.
#[derive(Debug, Deserialize, Serialize)]
pub struct Boards {
    pub title: String,
    pub filter: String,
    pub loading: String,
    pub none: String,
    pub no_workspace: String,
    pub empty: String,
    pub chosen: String,
    pub cleared: String,
    pub failed: String,
    pub label: String,
    pub dropped: String,
}

/// The plain front end's prompts (`wizard/plain.rs`).
#[derive(Debug, Deserialize, Serialize)]
pub struct Plain {
    pub mode: String,
    pub asked: String,
    pub board_offer: String,
    pub choose: String,
    pub what_next: String,
    pub portal_ready: String,
    pub app_name: String,
    pub email: String,
    pub author: String,
    pub powerup_ready: String,
    pub api_key: String,
    pub api_key_keep: String,
    pub nothing_here: String,
    pub api_secret: String,
    pub key_ready: String,
    pub expiration: String,
    pub scopes: String,
    pub token_or_wait: String,
    pub token: String,
    pub retry: String,
    pub storage: String,
    pub revoke: String,
    pub yes: String,
    pub no: String,
    pub help: String,
    pub not_a_choice: String,
    pub ok: String,
    pub warning: String,
    pub error: String,
    pub board: String,
    pub boards_failed: String,
    pub pick_one: String,
    pub not_a_choice_secret: String,
    pub other_member: String,
    pub confirm_account: String,
}

/// What a person types in plain mode for an action (see `keymap::word`).
#[derive(Debug, Deserialize, Serialize)]
pub struct Words {
    pub help: String,
    pub back: String,
    pub open: String,
    pub copy: String,
    pub switch: String,
    pub quit: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Email {
    pub no_spaces: String,
    pub missing_at: String,
    pub nothing_before: String,
    pub more_than_one: String,
    pub domain: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct What {
    pub portal_url: String,
    pub app_name: String,
    pub email: String,
    pub author: String,
    pub iframe: String,
    pub origin: String,
    pub authorize_url: String,
    pub command: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Capture {
    pub origin_label: String,
    pub origin_help: String,
    pub off: String,
    pub starting: String,
    pub waiting: String,
    pub waiting_by_hand: String,
    pub failed: String,
    pub received: String,
    pub takeover: String,
    pub old_token: String,
    pub confirm: String,
    pub confirm_question: String,
    pub pasting: String,
    pub stopped: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Start {
    pub title: String,
    pub who: String,
    pub who_logged_out: String,
    pub who_rejected: String,
    pub unknown_who: String,
    pub no_token: String,
    pub expires_soon: String,
    pub expired: String,
    pub check_running: String,
    pub check_valid: String,
    pub profile_value: String,
    pub others: String,
    pub switched: String,
    pub choice_verify: String,
    pub choice_rotate: String,
    pub choice_setup: String,
    pub choice_quit: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Agent {
    pub title_bar: String,
    pub intro: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Rotate {
    pub title_bar: String,
    pub other_member: String,
    pub other_member_question: String,
    pub revoke_offer: String,
    pub still_used: String,
    pub already_refused: String,
    pub shared: String,
    pub revoking: String,
    pub confirming: String,
    pub confirmed: String,
    pub unconfirmed: String,
    pub failed: String,
    pub declined: String,
    pub still_accepted: String,
    pub check_failed: String,
    pub summary_saved: String,
    pub summary_saved_keyring: String,
    pub summary_revoked: String,
    pub summary_same: String,
    pub summary_unconfirmed: String,
    pub summary_still_valid: String,
    pub summary_copy: String,
    pub summary_next: String,
    pub another_member: String,
    pub copy_in: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct StepNames {
    pub portal: String,
    pub powerup: String,
    pub key: String,
    pub token: String,
    pub verify: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Portal {
    pub title: String,
    pub body: String,
    pub note: String,
    #[serde(rename = "continue")]
    pub next: String,
    pub no_browser: String,
}

#[derive(Debug, Deserialize, Serialize)]
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
    #[serde(rename = "continue")]
    pub next: String,
    pub name_placeholder: String,
    pub email_placeholder: String,
    pub email_valid: String,
}

#[derive(Debug, Deserialize, Serialize)]
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
    pub key_placeholder: String,
    pub secret_placeholder: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Token {
    pub title: String,
    pub title_rotate: String,
    pub title_agent: String,
    pub body: String,
    /// The body when the token cannot come back by itself (capture off, failed, or paste chosen).
    pub body_paste: String,
    pub body_plain: String,
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
    pub token_placeholder: String,
    pub rejected: String,
}

#[derive(Debug, Deserialize, Serialize)]
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
    pub saved_on_yes: String,
    pub refused: String,
    pub refused_other_member: String,
    pub refused_made_before: String,
    pub refused_next: String,
    pub why: String,
    pub fix: String,
    pub maybe_secret: String,
    pub next_fix_key: String,
    pub next_new_token: String,
    pub next_retry: String,
    pub retry_save: String,
    pub choose_storage: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Done {
    pub title: String,
    pub next: String,
    pub env: String,
    pub status: String,
    pub rotate: String,
    pub revoke: String,
    pub secrets: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Help {
    pub title: String,
    pub here: String,
    pub paste: String,
    pub filter: String,
    pub plain: String,
    pub token: String,
    pub close: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Small {
    pub message: String,
    pub more_above: String,
    pub more_below: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct Quit {
    pub question: String,
    pub parting: String,
}

/// The parsed texts, read once.
pub(crate) fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    // The file is compiled in and `tests::assets_parse` proves it parses, so
    // this cannot fail in a built binary.
    TEXTS.get_or_init(|| toml::from_str(SOURCE).expect("assets/wizard.toml is checked by a unit test"))
}

/// Every placeholder the program fills. A template may use only these; a
/// test fills every template with all of them and finds no `{…}` left.
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "account",
    "answer",
    "account_url",
    "app",
    "attempt",
    "backup",
    "cause",
    "client",
    "code",
    "created",
    "command",
    "old_url",
    "copy",
    "copy_key",
    "default",
    "run",
    "error",
    "expired",
    "expires",
    "field",
    "file_key",
    "fix",
    "granted",
    "hosts",
    "key",
    "name",
    "next",
    "number",
    "keyring_key",
    "min",
    "new",
    "now",
    "of",
    "old",
    "options",
    "origin",
    "other",
    "others",
    "parent",
    "path",
    "profile",
    "reason",
    "requested",
    "rotate_key",
    "scopes",
    "seconds",
    "setup_key",
    "switch_key",
    "value",
    "verdict",
    "what",
    "word",
    "who",
    "why",
    "yes_no",
];

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    debug_assert!(values.iter().all(|(name, _)| PLACEHOLDERS.contains(name)), "unknown placeholder in {values:?}");
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The line that exports the saved credentials for this profile, `run`
/// being how trello-auth is run for it (`Setup::run`).
pub(crate) fn env_command(run: &str) -> String {
    format!("eval \"$({run} env)\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_parse() {
        let t: Texts = toml::from_str(SOURCE).unwrap();
        // Titles are names; the step's number is the one template's.
        assert_eq!(
            fill(&t.title.step, &[("number", "1"), ("of", "5"), ("name", &t.portal.title)]),
            "Step 1 of 5 · Open the app admin portal"
        );
    }

    /// Marks (✓, ✗, !, ◉) are drawn from an item's level or tone, and a
    /// screen reader says words: none is written into the words.
    #[test]
    fn no_mark_is_written_into_the_words() {
        for (path, template) in all_templates() {
            let start = template.trim_start();
            for mark in ["✓", "✗", "◉", "! ", "›"] {
                assert!(!start.starts_with(mark), "{path}: {template:?} starts with a mark");
            }
            assert!(!template.contains(" → "), "{path}: {template:?} points with an arrow a screen reader reads out");
        }
    }

    /// Every string of every section, with its path.
    fn all_templates() -> Vec<(String, String)> {
        fn walk(prefix: &str, value: &toml::Value, out: &mut Vec<(String, String)>) {
            match value {
                toml::Value::String(s) => out.push((prefix.to_string(), s.clone())),
                toml::Value::Table(t) => t.iter().for_each(|(k, v)| walk(&format!("{prefix}.{k}"), v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk("", &toml::Value::try_from(texts()).unwrap(), &mut out);
        out
    }

    #[test]
    fn every_placeholder_is_one_the_program_fills() {
        let values: Vec<(&str, &str)> = PLACEHOLDERS.iter().map(|p| (*p, "x")).collect();
        let templates = all_templates();
        assert!(templates.len() > 150, "only {} templates", templates.len());
        for (path, template) in templates {
            let filled = fill(&template, &values);
            let left = filled.find('{').map(|at| &filled[at..]);
            assert!(left.is_none(), "{path}: {left:?} is not a placeholder the program fills");
        }
    }

    #[test]
    fn no_key_is_written_by_hand() {
        // The plain wizard reads lines: Ctrl+C and Ctrl+D there are the terminal's, not the keymap's.
        for (path, template) in all_templates().into_iter().filter(|(path, _)| !path.starts_with(".plain.")) {
            for named in ["Ctrl+", "(r)", "(s)", "(q)", "^T", "^O", "y/n"] {
                assert!(!template.contains(named), "{path} names a key by hand ({named}): use a {{…_key}} placeholder");
            }
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill("a {who} b {why} {who}", &[("who", "1"), ("why", "2")]), "a 1 b 2 1");
    }
}
