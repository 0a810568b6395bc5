//! `trello-auth env`: the saved credentials as environment variables, quoted per format.

use clap::ValueEnum;

use super::{CommandError, saved_credentials, saved_profile};
use crate::credentials::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// POSIX shells: `export NAME='value'` (for `eval "$(trello-auth env)"`).
    Sh,
    /// fish: `set -gx NAME 'value'`.
    Fish,
    /// PowerShell: `$env:NAME = 'value'`.
    Powershell,
    /// A `.env` file: `NAME="value"`.
    Dotenv,
    /// A JSON object, e.g. the "env" block of an MCP server config.
    Json,
}

/// Which environment variable names the consumer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Names {
    /// `TRELLO_API_KEY`, `TRELLO_TOKEN`: trello-cli, most MCP servers, py-trello, Steampipe.
    #[default]
    Default,
    /// `TRELLO_KEY`, `TRELLO_TOKEN`: trello.js.
    TrelloJs,
    /// `TRELLO_API_KEY`, `TRELLO_API_TOKEN`: some MCP servers (Klavis).
    ApiToken,
    /// `TRELLO_DEVELOPER_PUBLIC_KEY`, `TRELLO_MEMBER_TOKEN`: ruby-trello's convention.
    RubyTrello,
}

impl Names {
    /// The key's and the token's variable names.
    pub fn key_and_token(self) -> (&'static str, &'static str) {
        match self {
            Names::Default => ("TRELLO_API_KEY", "TRELLO_TOKEN"),
            Names::TrelloJs => ("TRELLO_KEY", "TRELLO_TOKEN"),
            Names::ApiToken => ("TRELLO_API_KEY", "TRELLO_API_TOKEN"),
            Names::RubyTrello => ("TRELLO_DEVELOPER_PUBLIC_KEY", "TRELLO_MEMBER_TOKEN"),
        }
    }
}

/// The secret's variable name, the same for every preset.
pub const SECRET_VAR: &str = "TRELLO_API_SECRET";
/// The default board's id, when the profile has one (delorenj/mcp-server-trello reads it).
pub const BOARD_VAR: &str = "TRELLO_BOARD_ID";

/// The variables a profile hands to other programs, and anything to warn about.
pub struct Vars {
    pub vars: Vec<(&'static str, String)>,
    pub warnings: Vec<String>,
}

/// The saved key and token (and secret with `with_secret`) under `names`,
/// wherever they are stored. Shared by `env` and `exec`.
pub fn vars(store: &Store, profile_name: &str, names: Names, with_secret: bool) -> Result<Vars, CommandError> {
    let profile = saved_profile(store, profile_name)?;
    let creds = saved_credentials(&profile, profile_name)?;
    let (key_var, token_var) = names.key_and_token();
    let mut vars = vec![(key_var, creds.key.clone()), (token_var, creds.token.expose().to_string())];
    let mut warnings = Vec::new();
    if with_secret {
        let secret = crate::credentials::profiles::api_secret(&profile, profile_name, &super::keyring_waiting())
            .map_err(|error| CommandError::Keyring { profile: profile_name.to_string(), error })?;
        match secret {
            Some(secret) => vars.push((SECRET_VAR, secret.expose().to_string())),
            None => warnings.push(format!("no API secret is saved for this profile; {SECRET_VAR} was left out")),
        }
    }
    if let Some(board) = &profile.board_id {
        vars.push((BOARD_VAR, board.clone()));
    }
    if let Some(expired) = crate::credentials::expiry::expired_words(&profile, time::OffsetDateTime::now_utc()) {
        warnings.push(format!("the token {expired}; run `trello-auth rotate`"));
    }
    Ok(Vars { vars, warnings })
}

/// What `env` prints, and anything to warn about on stderr.
pub struct EnvOutput {
    pub stdout: String,
    pub warnings: Vec<String>,
}

pub fn run(
    store: &Store,
    profile_name: &str,
    format: Format,
    names: Names,
    with_secret: bool,
) -> Result<EnvOutput, CommandError> {
    let Vars { vars, warnings } = vars(store, profile_name, names, with_secret)?;
    Ok(EnvOutput { stdout: render(format, &vars), warnings })
}

/// The variables in `format`, one per line (or one JSON object).
pub fn render(format: Format, vars: &[(&str, String)]) -> String {
    if format == Format::Json {
        let map: serde_json::Map<String, serde_json::Value> =
            vars.iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone()))).collect();
        let mut text = serde_json::to_string_pretty(&map).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let mut out = String::new();
    for (name, value) in vars {
        let line = match format {
            Format::Sh => format!("export {name}={}", quote_sh(value)),
            Format::Fish => format!("set -gx {name} {}", quote_fish(value)),
            Format::Powershell => format!("$env:{name} = {}", quote_powershell(value)),
            Format::Dotenv => format!("{name}={}", quote_dotenv(value)),
            Format::Json => unreachable!("handled above"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// POSIX single quotes: nothing is special inside but `'` itself.
pub fn quote_sh(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// fish single quotes: `\` and `'` are escaped with a backslash.
pub fn quote_fish(value: &str) -> String {
    format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'"))
}

/// PowerShell single quotes: a quote is doubled; typographic single quotes count as quotes too.
pub fn quote_powershell(value: &str) -> String {
    let mut out = String::from("'");
    for c in value.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// dotenv double quotes, escaping what dotenv parsers (and Compose's `$`) interpret.
pub fn quote_dotenv(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str(r"\$"),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(v: &str) -> Vec<(&'static str, String)> {
        vec![("TRELLO_TOKEN", v.to_string())]
    }

    #[test]
    fn each_format() {
        let v = vars("ATTAabc");
        assert_eq!(render(Format::Sh, &v), "export TRELLO_TOKEN='ATTAabc'\n");
        assert_eq!(render(Format::Fish, &v), "set -gx TRELLO_TOKEN 'ATTAabc'\n");
        assert_eq!(render(Format::Powershell, &v), "$env:TRELLO_TOKEN = 'ATTAabc'\n");
        assert_eq!(render(Format::Dotenv, &v), "TRELLO_TOKEN=\"ATTAabc\"\n");
        assert_eq!(render(Format::Json, &v), "{\n  \"TRELLO_TOKEN\": \"ATTAabc\"\n}\n");
    }

    #[test]
    fn awkward_values_are_quoted() {
        let odd = "a'b\"c$d\\e\nf g";
        assert_eq!(quote_sh(odd), "'a'\\''b\"c$d\\e\nf g'");
        assert_eq!(quote_fish(odd), "'a\\'b\"c$d\\\\e\nf g'");
        assert_eq!(quote_powershell("it's ‘x’"), "'it''s ‘‘x’’'");
        assert_eq!(quote_dotenv(odd), "\"a'b\\\"c\\$d\\\\e\\nf g\"");
    }
}
