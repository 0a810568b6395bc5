//! `trello-auth profile list|use|remove`: every saved account at a glance, the one used when none is named, and removing one.

use std::fmt::Write as _;

use serde_json::json;
use time::OffsetDateTime;

use super::status::{Check, agent_json, agent_words, saved_member_json};
use super::{CommandError, Context, Output, ProfileSource};
use crate::credentials::expiry::expiry_words;
use crate::credentials::vault::VaultError;
use crate::untrusted::line;

/// `profile`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

pub(crate) const AFTER_HELP: &str = "\
`profile use NAME` keeps NAME as the default in the config file, the way `gh auth
switch` does; --profile and TRELLO_AUTH_PROFILE still win over it. `status` says
which profile it used and why. `profile remove NAME` removes the profile, its API
key and secret from the file, its backup and the keyring; a profile that still
holds a token is refused (`logout` revokes it first), unless --keep-remote leaves
that token valid at Trello. In a terminal it asks first, unless --yes. Nothing
here contacts Trello.

Examples:
  trello-auth profile list
  trello-auth profile list --json
  trello-auth profile use work
  trello-auth --profile old logout
  trello-auth profile remove old";

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// Each profile: member, where the token is kept, expiry, default board.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Use NAME when no --profile or TRELLO_AUTH_PROFILE names one.
    Use {
        /// A saved profile.
        #[arg(value_parser = crate::credentials::profile::parse_name)]
        name: String,
    },
    /// Remove the saved profile NAME (log it out first: its token is not revoked here).
    Remove {
        /// A saved profile.
        #[arg(value_parser = crate::credentials::profile::parse_name)]
        name: String,
        /// Remove it although it still holds a token, leaving that token valid at Trello.
        #[arg(long)]
        keep_remote: bool,
        /// Do not ask first (in a terminal it asks; without one it never does).
        #[arg(long)]
        yes: bool,
    },
}

pub(crate) fn run(ctx: &Context, args: &Args, ask: super::Ask) -> Result<Output, CommandError> {
    match &args.action {
        Action::List { json } => list(ctx, *json),
        Action::Remove { name, keep_remote, yes } => remove(ctx, name, *keep_remote, *yes, ask),
        Action::Use { name } => {
            ctx.vault.set_default_profile(name).map_err(|e| match e {
                VaultError::NothingSaved => not_saved(ctx, name),
                other => ctx.vault_error(other),
            })?;
            let note = match ctx.profile.source {
                ProfileSource::Flag | ProfileSource::Environment if ctx.name() != name => format!(
                    "; note that here \"{}\" is used instead ({}), which wins while it is given",
                    line(ctx.name()),
                    ctx.profile.source.words()
                ),
                _ => String::new(),
            };
            Ok(Output::text(format!("Profile \"{}\" is the default now{note}.\n", line(name))))
        }
    }
}

/// NAME, given to a `profile` command, is not saved. Its suggested commands
/// name it: the error is said for the profile in use, which may be another.
fn not_saved(ctx: &Context, name: &str) -> CommandError {
    CommandError::NothingSaved {
        profile: name.to_string(),
        path: ctx.vault.path().to_path_buf(),
        // Set up under its own name: a bare `trello-auth` would set up another.
        setup: Some(super::invocation(ctx.named_config(), Some(name))),
        others: ctx.other_profiles(name),
    }
}

/// `profile remove NAME`. A profile that still holds a token is refused
/// unless `keep_remote`: removed here, the token would stay valid at Trello
/// with nothing left to revoke it; `logout` revokes it first.
fn remove(ctx: &Context, name: &str, keep_remote: bool, yes: bool, ask: super::Ask) -> Result<Output, CommandError> {
    let stored = ctx.vault.stored(name)?.ok_or_else(|| not_saved(ctx, name))?;
    let run = super::invocation(ctx.named_config(), Some(name));
    let shown = line(name).into_owned();
    let holds_token = !logged_out(&stored.profile);
    if holds_token && !keep_remote {
        return Err(CommandError::Usage(format!(
            "profile \"{shown}\" still holds a token, which removing the profile would leave valid at Trello with \
             nothing here to revoke it: run `{run} logout` first (it revokes the token), then remove the profile; or \
             give --keep-remote to leave the token valid"
        )));
    }
    let who = stored.profile.who().map(|who| format!(" ({})", line(&who))).unwrap_or_default();
    let valid = if holds_token { ", leaving its token valid at Trello" } else { "" };
    let question = format!(
        "Remove profile \"{shown}\"{who}, its API key and secret, from {}{valid}? [y/N] ",
        ctx.vault.path().display()
    );
    if !yes && ask(&question) == Some(false) {
        return Err(CommandError::Failed(format!("profile \"{shown}\" was not removed; nothing was changed")));
    }
    let removed = ctx.vault.remove_profile(name).map_err(|e| match e {
        VaultError::NothingSaved => not_saved(ctx, name),
        other => ctx.for_profile(name).vault_error(other),
    })?;
    let mut text = format!("Removed profile \"{shown}\" from {} and its backup.\n", removed.saved.path.display());
    if removed.was_default {
        text.push_str("It was the default profile: where none is named, \"default\" is used now.\n");
    }
    let mut warnings = removed.warnings;
    if holds_token {
        let endpoints = crate::trello::Endpoints::from_env().unwrap_or_default();
        let page = super::logout::revoke_page(&endpoints, stored.profile.member_username.as_deref());
        warnings
            .push(format!("its token was not revoked (--keep-remote) and works until it expires; revoke it at {page}"));
    }
    Ok(Output::text(text).warn(warnings))
}

/// Logged out, or a file profile with no token: nothing to hand out.
pub(crate) fn logged_out(p: &crate::credentials::Profile) -> bool {
    p.logged_out || (p.storage == crate::credentials::Storage::File && p.token.is_none())
}

fn list(ctx: &Context, json: bool) -> Result<Output, CommandError> {
    let Some(loaded) = ctx.vault.load()? else {
        return Err(ctx.nothing_saved());
    };
    let now = OffsetDateTime::now_utc();
    let default = loaded.config.default_profile.clone();
    let rows: Vec<_> =
        loaded.config.profiles.keys().filter_map(|name| ctx.vault.stored_in(&loaded.config, name)).collect();
    if json {
        let objects: Vec<serde_json::Value> = rows
            .iter()
            .map(|s| {
                let p = &s.profile;
                // `status --json`'s words for the same facts, as `status --offline` would say them
                // (without reading the keyring: a list is a glance).
                let check = if logged_out(p) {
                    Check::NoToken
                } else if p.expired_words(now).is_some() {
                    Check::Expired
                } else {
                    Check::Skipped
                };
                json!({
                    "profile": s.name,
                    "chosen_by": (s.name == ctx.name()).then_some(ctx.profile.source.key()),
                    "default_profile": default.as_deref() == Some(s.name.as_str()),
                    "member": saved_member_json(p),
                    "storage": p.storage.as_str(),
                    "kept_in": s.place().to_string(),
                    "status": check.name(),
                    "scopes": p.scopes().names(),
                    "agent": agent_json(p),
                    "expires": p.token_expires.as_ref().map(|e| e.to_string()),
                    "expired": p.expired_words(now).is_some(),
                    "board": p.board().map(|b| json!({"id": b.id, "name": b.name, "short_link": b.short_link})),
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&objects).unwrap_or_default();
        text.push('\n');
        return Ok(Output::json(text).warn(loaded.warnings));
    }
    let mut out = String::new();
    for (index, s) in rows.iter().enumerate() {
        let p = &s.profile;
        if index > 0 {
            out.push('\n');
        }
        let mut marks = Vec::new();
        if s.name == ctx.name() {
            marks.push(format!("in use: {}", ctx.profile.source.words()));
        } else if default.as_deref() == Some(s.name.as_str()) {
            marks.push("the default".to_string());
        }
        let marks = if marks.is_empty() { String::new() } else { format!(" ({})", marks.join("; ")) };
        let _ = writeln!(out, "{}{marks}", line(&s.name));
        let row = |out: &mut String, label: &str, value: &str| {
            let _ = writeln!(out, "  {label:<10} {value}");
        };
        row(&mut out, "Member", &p.who().unwrap_or_else(|| "unknown (not verified yet)".into()));
        if let Some(agent) = p.agent() {
            row(&mut out, "Agent", &agent_words(&agent));
        }
        row(&mut out, "Scopes", &p.scopes().names().join(", "));
        let kept = if logged_out(p) { "no token (logged out)".to_string() } else { s.place().to_string() };
        row(&mut out, "Token in", &kept);
        row(&mut out, "Expires", &expiry_words(p.token_expires.as_ref(), now));
        let board = match p.board() {
            Some(b) if b.name.is_empty() => line(&b.id).into_owned(),
            Some(b) => format!("{} ({})", line(&b.name), line(&b.id)),
            None => "none".to_string(),
        };
        row(&mut out, "Board", &board);
    }
    if rows.is_empty() {
        out.push_str("No profiles are saved; run `trello-auth` to set one up.\n");
    }
    Ok(Output::text(out).warn(loaded.warnings))
}
