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

/// What `env` prints, and anything to warn about on stderr.
pub struct EnvOutput {
    pub stdout: String,
    pub warnings: Vec<String>,
}

pub fn run(store: &Store, profile_name: &str, format: Format, with_secret: bool) -> Result<EnvOutput, CommandError> {
    let profile = saved_profile(store, profile_name)?;
    let creds = saved_credentials(&profile, profile_name)?;
    let mut vars = vec![("TRELLO_API_KEY", creds.key.clone()), ("TRELLO_TOKEN", creds.token.expose().to_string())];
    let mut warnings = Vec::new();
    if with_secret {
        match &profile.api_secret {
            Some(secret) => vars.push(("TRELLO_API_SECRET", secret.expose().to_string())),
            None => warnings.push("no API secret is saved for this profile; TRELLO_API_SECRET was left out".into()),
        }
    }
    if let Some(expired) = crate::credentials::expiry::expired_words(&profile, time::OffsetDateTime::now_utc()) {
        warnings.push(format!("the token {expired}; run `trello-auth rotate`"));
    }
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
