//! `trello-auth login --with-token`: check, verify and save without the wizard.

use std::io::{IsTerminal, Read};

use super::storage::Where;
use super::{CommandError, Context, Output, online};
use crate::credentials::format::{check_key, check_token, extract_key, extract_token};
use crate::credentials::vault::{NewToken, SecretChange};
use crate::credentials::{Chosen, Expiration, Secret};
use crate::trello::Credentials;

/// `login`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Read the token from standard input (required: tokens never go on the command line).
    #[arg(long, required = true)]
    pub with_token: bool,
    /// The API key (32 hex characters); defaults to TRELLO_API_KEY, then the saved profile.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// App name to record with the profile (defaults to the saved one).
    #[arg(long, value_name = "NAME")]
    pub app_name: Option<String>,
    /// Where to keep the token: the config file or the system keyring (defaults
    /// to the profile's current choice, else the file).
    #[arg(long, value_enum, value_name = "WHERE")]
    pub storage: Option<Where>,
}

pub(crate) const AFTER_HELP: &str = "\
The token is read from standard input, never from the command line. The key comes
from --key, else TRELLO_API_KEY, else the saved profile. Both are shape-checked and
verified with Trello before anything is saved. The profile's default board stays
when the token is the same member's, and is cleared when it is another's.

Example:
  printf '%s' \"$TRELLO_TOKEN\" | trello-auth login --with-token --key 0123456789abcdef0123456789abcdef";

/// How to hand the token over to `run ARGS` (the command that was run, so
/// the advice repeats it and not another), for the messages that find none.
pub(crate) fn pipe_it_in(run: &str, args: &str) -> String {
    let command = crate::advice::command(run, args);
    format!("pipe it in: printf '%s' \"$TRELLO_TOKEN\" | {}", command.trim_matches('`'))
}

/// The token, from a pipe, or typed without echo at a terminal; nothing at
/// all is said as such (an unset variable in `printf '%s' "$TOKEN" |` is the
/// usual cause), not as a token of the wrong shape. `how` says how to hand
/// it over ([`pipe_it_in`], and whatever else the command offers).
pub(crate) fn read_token(how: &str) -> Result<String, CommandError> {
    if std::io::stdin().is_terminal() {
        eprint!("Paste the token (it will not be shown), then press Enter (Ctrl+C to quit): ");
        let read = crate::terminal::read_hidden_line();
        // The Enter typed was not echoed: the next line starts on a line of its own.
        eprintln!();
        let text = match read.map_err(|e| CommandError::Usage(format!("could not read the token: {e}")))? {
            crate::terminal::Line::Text(text) => text,
            crate::terminal::Line::Interrupted | crate::terminal::Line::End => {
                return Err(CommandError::Failed("quit at the token prompt; nothing was saved".into()));
            }
        };
        if text.trim().is_empty() {
            return Err(CommandError::Usage(format!(
                "no token was typed: paste it at the prompt and press Enter, or {how}"
            )));
        }
        return Ok(text);
    }
    // A token is under 100 bytes; a cap keeps a wrong pipe from filling memory.
    let mut text = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| CommandError::Usage(format!("could not read the token from standard input: {e}")))?;
    if text.trim().is_empty() {
        return Err(CommandError::Usage(format!(
            "nothing arrived on standard input, where the token is read from; {how} (if the variable is \
             empty or unset, nothing arrives either)"
        )));
    }
    Ok(text)
}

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    // Said before the token is read and sent: the save would refuse the name.
    ctx.vault.check_name(ctx.name()).map_err(|e| ctx.vault_error(e))?;
    let endpoints = ctx.endpoints()?;
    let token_text = read_token(&pipe_it_in(&ctx.invocation(), "login --with-token"))?;
    let config = ctx.vault.load()?.map(|l| l.config).unwrap_or_default();
    let existing = config.profiles.get(ctx.name()).cloned();
    // Any secret saved under any profile in the file: pasting one as a token is a classic slip.
    let saved_secrets: Vec<&str> =
        config.profiles.values().filter_map(|p| p.api_secret.as_ref()).map(|s| s.expose()).collect();
    let key_source = args
        .key
        .clone()
        .or_else(|| crate::environment::API_KEY.get())
        .or_else(|| existing.as_ref().map(|p| p.api_key.clone()).filter(|k| !k.is_empty()))
        .ok_or_else(|| {
            CommandError::Usage("no API key: pass --key, set TRELLO_API_KEY, or save a profile with the wizard".into())
        })?;
    let mut key = extract_key(&key_source);
    let mut warnings = Vec::new();
    if let Some(lower) = crate::credentials::format::lowercase_hex(&key) {
        // Trello's keys are lowercase hex; it refuses one in capitals.
        key = lower;
        warnings.push("API key: lowercased, as Trello's keys are".to_string());
    }
    let key_verdict = check_key(&key);
    if !key_verdict.is_savable() {
        return Err(CommandError::Usage(format!("API key: {}", key_verdict.message())));
    }
    let token = extract_token(&token_text);
    let secret = saved_secrets.iter().copied().find(|s| *s == token);
    let token_verdict = check_token(&token, secret, Some(&key));
    if !token_verdict.is_savable() {
        return Err(CommandError::Usage(format!("token: {}", token_verdict.message())));
    }
    if !token_verdict.is_valid() {
        warnings.push(format!("token: {}", token_verdict.message()));
    }

    // The token was shape-checked just above: this only builds what it allowed.
    let credentials =
        Credentials::sendable(&key, &Secret::new(token)).map_err(|why| CommandError::Usage(format!("token: {why}")))?;
    let (runtime, client) = online(&endpoints)?;
    let verified = runtime
        .block_on(client.verify(&credentials))
        .map_err(|error| CommandError::Trello { error, saved: existing.as_ref().is_some_and(|p| !p.logged_out) })?;

    // A token made elsewhere: what was asked for is unknown, so the saved
    // profile's choices stand, or what Trello granted.
    let base = existing.unwrap_or_default();
    // The key the replaced token was saved with, to ask Trello about that token afterwards.
    let old_key = base.api_key.clone();
    let granted = verified.token.scopes();
    let chosen = Chosen {
        key,
        token: credentials.token().clone(),
        app_name: args.app_name.clone().unwrap_or(base.app_name.clone()),
        requested_scope: if base.api_key.is_empty() && !granted.is_empty() { granted } else { base.requested_scope },
        expiration: if verified.token.date_expires.is_none() { Expiration::Never } else { base.expiration },
    };
    let new = NewToken {
        chosen,
        verification: verified.verification(crate::credentials::expiry::now_rfc3339()),
        api_secret: SecretChange::Keep,
        storage: args.storage.map(Into::into),
        agent: None,
    };
    let outcome = ctx.vault.save(ctx.name(), new).map_err(|e| ctx.vault_error(e))?;
    warnings.extend(outcome.warnings.clone());
    // As a rotation says it: the token replaced still works, and where a copy
    // of it is; unless Trello already refuses it (revoked elsewhere), asked
    // once with the key it was saved with, since "still works" would be untrue.
    if let Some(replaced) = &outcome.replaced {
        let username = replaced.member_username.as_deref().unwrap_or(&verified.member.username);
        let refused = Credentials::sendable(&old_key, &replaced.token).is_ok_and(|old| {
            matches!(
                runtime.block_on(client.member_me(&old)),
                Err(crate::trello::TrelloError::InvalidToken | crate::trello::TrelloError::ExpiredToken)
            )
        });
        let mut note = if refused {
            "the token this replaced is already refused by Trello (401): there is nothing left to revoke".to_string()
        } else {
            format!(
                "the token this replaced still works until it expires or is revoked at {}, under Applications",
                endpoints.account_url(username)
            )
        };
        if let Some(other) = replaced.still_held_by.first().filter(|_| !refused) {
            note.push_str(&format!(
                " (profile \"{}\" still uses it: revoking it logs that profile out too)",
                crate::untrusted::line(other)
            ));
        }
        if let Some(copy) = &replaced.copy_in {
            note.push_str(&format!("; a copy of it is in {} until the next save", copy.display()));
        }
        warnings.push(note);
    }
    // A token that is already past (or near) its expiry is saved, as Trello accepted it, but said.
    if let Ok(Some(stored)) = ctx.vault.stored(ctx.name()) {
        warnings.extend(super::env::expiry_warning(
            &stored.profile,
            time::OffsetDateTime::now_utc(),
            &ctx.invocation(),
        ));
    }
    let kept = match &outcome.place {
        crate::credentials::vault::Place::File(_) => String::new(),
        place => format!("; the token is in {place}"),
    };
    Ok(Output::text(format!(
        "Logged in as {}; saved profile \"{}\" to {}{kept}.\n",
        verified.member.who(),
        ctx.name(),
        outcome.saved.path.display()
    ))
    .warn(warnings))
}
