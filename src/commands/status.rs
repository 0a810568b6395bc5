//! `trello-auth status`: what is saved, which profile and why, whether Trello still accepts it, when it expires.

use std::fmt::Write as _;

use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{CommandError, Context, Output, ProfileSource, exit, online};
use crate::advice;
use crate::credentials::expiry::expiry_words;
use crate::credentials::keyring::KeyringError;
use crate::credentials::secret::mask;
use crate::credentials::store::Profile;
use crate::credentials::{Credentials, vault::Place};
use crate::trello::{Board, Client, Endpoints, TrelloError, Verified};
use crate::untrusted::line;

/// `status`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Do not contact Trello; report only what is saved.
    #[arg(long)]
    pub offline: bool,
    /// Every profile in the file, not just the chosen one.
    #[arg(long)]
    pub all: bool,
}

pub(crate) const AFTER_HELP: &str = "\
Says which profile it used and why (--profile, TRELLO_AUTH_PROFILE, the default
chosen with `trello-auth profile use`, or the built-in `default`). Exit status 0
means valid; with --all, the worst profile's status counts (a logged-out one
gives 4, a rejected one 1). When TRELLO_API_KEY or TRELLO_TOKEN are set and differ from the saved
values, it says so: other tools will use the environment's values.

Examples:
  trello-auth status
  trello-auth status --offline --json
  trello-auth status --all";

/// What the live check found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Check {
    /// `--offline`: not asked.
    Skipped,
    Valid(Box<Verified>),
    /// Trello refused the key or token.
    Rejected(TrelloError),
    /// The saved expiry date is past (known without asking Trello).
    Expired,
    /// No usable answer came (unreachable, or an answer not of Trello's shape), so nothing is known.
    Unreachable(TrelloError),
    /// The profile holds no token.
    NoToken,
    /// The saved token is not shaped like a token (edited by hand?): never sent.
    Unusable(String),
    /// The keyring holding the token failed or has no entry.
    Keyring(KeyringError),
}

impl Check {
    pub fn exit_code(&self) -> u8 {
        match self {
            Check::Skipped | Check::Valid(_) => exit::OK,
            Check::Rejected(_) | Check::Expired | Check::Unusable(_) => exit::REJECTED,
            Check::Unreachable(_) => exit::UNREACHABLE,
            Check::NoToken => exit::NOTHING_SAVED,
            Check::Keyring(e) => super::keyring_exit(e),
        }
    }

    /// Its word in `status --json` and `profile list --json` (`status`).
    pub fn name(&self) -> &'static str {
        match self {
            Check::Skipped => "unchecked",
            Check::Valid(_) => "valid",
            Check::Rejected(_) => "rejected",
            Check::Expired => "expired",
            Check::Unreachable(_) => "unreachable",
            Check::NoToken => "no_token",
            Check::Unusable(_) => "unusable",
            Check::Keyring(KeyringError::Missing { .. }) => "missing_from_keyring",
            Check::Keyring(_) => "keyring_unavailable",
        }
    }
}

/// One profile's report.
pub(crate) struct ProfileStatus {
    pub name: String,
    pub profile: Profile,
    /// Why this profile was used, for the one the command was run for.
    pub chosen_by: Option<ProfileSource>,
    /// Where the saved token is kept.
    pub place: Place,
    /// The token works, but belongs to another member than the saved one.
    pub member_differs: Option<String>,
    pub check: Check,
    /// Environment variables set to values other than the saved ones.
    pub environment_differs: Vec<&'static str>,
    /// Where the token other tools get comes from: `file`, `keyring`, or
    /// `environment` when `TRELLO_TOKEN` overrides the saved one.
    pub source: &'static str,
    /// The saved key and token, when they could be read and may be sent.
    credentials: Option<Credentials>,
    /// The default board as Trello sees it now: `None` when there is none or
    /// it was not checked; `Err` says why it is not usable.
    pub board: Option<Result<Board, String>>,
}

impl ProfileStatus {
    /// The check's exit code, or 1 when the token is fine but the default board is not.
    pub fn exit_code(&self) -> u8 {
        match (self.check.exit_code(), &self.board) {
            (exit::OK, _) if self.member_differs.is_some() => exit::REJECTED,
            (exit::OK, Some(Err(_))) => exit::REJECTED,
            (code, _) => code,
        }
    }
}

pub(crate) struct Report {
    pub file: String,
    /// The config file when it is not the default one: suggested commands name it.
    pub config: Option<std::path::PathBuf>,
    /// The profile chosen with `profile use`, if any.
    pub default_profile: Option<String>,
    pub profiles: Vec<ProfileStatus>,
    pub warnings: Vec<String>,
}

impl Report {
    /// The worst of the profiles' exit codes.
    pub fn exit_code(&self) -> u8 {
        let rank = |code: u8| match code {
            exit::OK => 0,
            exit::NOTHING_SAVED => 1,
            exit::UNREACHABLE => 2,
            _ => 3,
        };
        self.profiles.iter().map(ProfileStatus::exit_code).max_by_key(|c| rank(*c)).unwrap_or(exit::NOTHING_SAVED)
    }
}

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    // Offline, nothing is sent anywhere: no base to check or announce.
    let endpoints = if args.offline { Endpoints::default() } else { ctx.endpoints()? };
    let report = check(ctx, &endpoints, args.all, args.offline)?;
    let now = OffsetDateTime::now_utc();
    let output = if args.json {
        Output::json(render_json(&report, args.all, now))
    } else {
        Output::text(render_text(&report, now))
    };
    // One profile with nothing to hand out: the others that have, as `env` and `token` say.
    let others = match report.profiles.as_slice() {
        [only] if !args.all && only.check == Check::NoToken => ctx.other_profiles(&only.name),
        _ => None,
    };
    Ok(output.warn(notes(&report)).warn(others).code(report.exit_code()))
}

/// Reads the profiles and, unless `offline`, checks them with Trello at once.
pub(crate) fn check(ctx: &Context, endpoints: &Endpoints, all: bool, offline: bool) -> Result<Report, CommandError> {
    let file = ctx.vault.path().display().to_string();
    let Some(loaded) = ctx.vault.load()? else { return Err(ctx.nothing_saved()) };
    let names: Vec<String> = if all {
        loaded.config.profiles.keys().cloned().collect()
    } else {
        loaded.config.profiles.keys().filter(|n| *n == ctx.name()).cloned().collect()
    };
    if names.is_empty() {
        return Err(ctx.nothing_saved());
    }
    let now = OffsetDateTime::now_utc();
    let env_key = crate::environment::API_KEY.get();
    let env_token = crate::environment::TOKEN.get();
    let waiting = ctx.vault.waiting();
    let mut profiles: Vec<ProfileStatus> = names
        .into_iter()
        .filter_map(|name| ctx.vault.stored_in(&loaded.config, &name))
        .map(|stored| {
            let token = stored.token(waiting);
            let profile = stored.profile.clone();
            let mut environment_differs = Vec::new();
            if env_key.as_deref().is_some_and(|k| k != profile.api_key) {
                environment_differs.push(crate::environment::API_KEY.name);
            }
            let saved_token = token.as_ref().ok().and_then(|t| t.as_ref()).map(|t| t.expose());
            if env_token.as_deref().is_some_and(|t| Some(t) != saved_token) {
                environment_differs.push(crate::environment::TOKEN.name);
            }
            let source = if env_token.is_some() { "environment" } else { profile.storage.as_str() };
            let mut credentials = None;
            let check = match token {
                Err(e) => Check::Keyring(e),
                Ok(None) => Check::NoToken,
                Ok(Some(token)) => match Credentials::sendable(&profile.api_key, &token) {
                    Err(why) => Check::Unusable(super::unusable(&stored, &why)),
                    Ok(_) if profile.expired_words(now).is_some() => Check::Expired,
                    Ok(sendable) => {
                        credentials = Some(sendable);
                        Check::Skipped
                    }
                },
            };
            let chosen_by = (stored.name == ctx.name()).then_some(ctx.profile.source);
            ProfileStatus {
                place: stored.place(),
                name: stored.name,
                profile,
                chosen_by,
                member_differs: None,
                check,
                environment_differs,
                source,
                credentials,
                board: None,
            }
        })
        .collect();
    if !offline && profiles.iter().any(|p| p.check == Check::Skipped) {
        check_online(endpoints, &mut profiles)?;
    }
    Ok(Report {
        file,
        config: ctx.named_config().map(Into::into),
        default_profile: loaded.config.default_profile,
        profiles,
        warnings: loaded.warnings,
    })
}

fn check_online(endpoints: &Endpoints, profiles: &mut [ProfileStatus]) -> Result<(), CommandError> {
    let (runtime, client) = online(endpoints)?;
    let client: &Client = &client;
    runtime.block_on(async {
        let checks = profiles.iter().map(|p| async move {
            if p.check != Check::Skipped {
                return None;
            }
            let creds = p.credentials.as_ref()?;
            // The token and the default board at once: one round trip.
            let board = async {
                let id = p.profile.board_id.as_deref()?;
                Some(match client.board(creds, id).await {
                    Ok(b) if b.closed => Err(format!("the board \"{}\" is closed", b.name)),
                    Ok(b) => Ok(b),
                    Err(e) => Err(e.to_string()),
                })
            };
            let (verified, board) = futures_util::future::join(client.verify(creds), board).await;
            let check = match verified {
                Ok(v) => Check::Valid(Box::new(v)),
                Err(e) if e.is_rejection() => Check::Rejected(e),
                Err(e) => Check::Unreachable(e),
            };
            // What the board check says counts only when the token itself is fine.
            let board = board.filter(|_| matches!(check, Check::Valid(_)));
            Some((check, board))
        });
        let results = futures_util::future::join_all(checks).await;
        for (p, result) in profiles.iter_mut().zip(results) {
            if let Some((check, board)) = result {
                if let Check::Valid(v) = &check
                    && p.profile.member_id.as_deref().is_some_and(|saved| saved != v.member.id)
                {
                    let saved = p.profile.who().unwrap_or_else(|| "another member".into());
                    p.member_differs = Some(format!(
                        "the token belongs to {}, not to {saved} as the profile says (a token of another account, \
                         or another config file's)",
                        v.member.who()
                    ));
                }
                p.check = check;
                p.board = board;
            }
        }
    });
    Ok(())
}

/// The human-readable report.
pub(crate) fn render_text(report: &Report, now: OffsetDateTime) -> String {
    let mut all = String::new();
    for (index, p) in report.profiles.iter().enumerate() {
        if index > 0 {
            all.push('\n');
        }
        let mut out = String::new();
        let run = run_for(report, p);
        let command = |args: &str| advice::command(&run, args);
        let row = |out: &mut String, label: &str, value: &str| {
            let _ = writeln!(out, "{label:<10} {value}");
        };
        let profile = &p.profile;
        let why = p.chosen_by.map(|source| format!(" ({})", source.words())).unwrap_or_default();
        row(&mut out, "Profile", &format!("{}{why}, in {}", line(&p.name), report.file));
        let who = match &p.check {
            Check::Valid(v) => v.member.who(),
            _ => profile.who().unwrap_or_else(|| "unknown".into()),
        };
        row(&mut out, "Member", &who);
        if let Some(agent) = profile.agent() {
            row(&mut out, "Agent", &agent_words(&agent));
        }
        row(&mut out, "API key", &mask(&profile.api_key));
        let token = match (&p.credentials, &p.check) {
            (Some(creds), _) => creds.token().masked(),
            (None, Check::NoToken) => "none (logged out)".into(),
            (None, _) => profile.token.as_ref().map(|t| t.masked()).unwrap_or_else(|| "none".into()),
        };
        row(&mut out, "Token", &token);
        // What is checked here is the saved token; the variable only changes what other tools use.
        let stored_in = match (p.source, &p.check) {
            (_, Check::NoToken) => format!("no token (logged out); the key and the rest are in {}", p.place),
            ("environment", _) => format!("{}; other tools use TRELLO_TOKEN from the environment instead", p.place),
            _ => p.place.to_string(),
        };
        row(&mut out, "Stored in", &stored_in);
        row(&mut out, "App name", &line(&profile.app_name));
        let scopes = match &p.check {
            Check::Valid(v) => v.token.scopes(),
            _ => profile.scopes(),
        };
        row(&mut out, "Scopes", &scopes.names().join(", "));
        let expires = match &p.check {
            Check::Valid(v) => Some(v.token.expiry()),
            _ => profile.token_expires.clone(),
        };
        row(&mut out, "Expires", &expiry_words(expires.as_ref(), now));
        let status = match &p.check {
            Check::Skipped => "not checked (--offline)".to_string(),
            Check::Valid(_) => "valid: Trello accepts the key and token".to_string(),
            Check::Rejected(e) => format!("rejected: {e}{}", advice::fix_under(10, &super::trello_fix(e, true, &run))),
            Check::Expired => format!("expired: run {} to authorize a new token", command("rotate")),
            Check::Unreachable(e) => format!(
                "unknown, no usable answer from Trello: {e}{}",
                advice::fix_under(10, &super::trello_fix(e, true, &run))
            ),
            Check::NoToken => format!("no token saved (logged out): run {} to authorize one", command("")),
            Check::Unusable(why) => format!("unusable: {why}: run {}", command("rotate")),
            Check::Keyring(e) => format!("{e}{}", advice::fix_under(10, &e.fix(&run))),
        };
        let status = match &p.member_differs {
            Some(why) => format!(
                "{status}\n{:<10} but {why}: run {} or {}",
                "",
                command("rotate"),
                command("login --with-token")
            ),
            None => status,
        };
        row(&mut out, "Status", &status);
        if let Some(id) = &profile.board_id {
            let name = line(profile.board_name.as_deref().unwrap_or("unnamed")).into_owned();
            let id = line(id);
            let board = match &p.board {
                None => format!("{name} ({id}), exported as TRELLO_BOARD_ID"),
                Some(Ok(b)) => format!("{} ({id}): open and visible; exported as TRELLO_BOARD_ID", line(&b.name)),
                Some(Err(why)) => format!(
                    "{name} ({id}): not usable: {why}{}",
                    advice::fix_under(
                        10,
                        &format!("choose another with {}, or {}", command("board set BOARD"), command("board clear"))
                    )
                ),
            };
            row(&mut out, "Board", &board);
        } else {
            row(&mut out, "Board", &format!("none ({} chooses one)", command("board set BOARD")));
        }
        all.push_str(&out);
    }
    all
}

/// How to run trello-auth on this profile, for its advice: each profile's
/// runs on that profile (`status --all` shows several).
fn run_for(report: &Report, p: &ProfileStatus) -> String {
    let named = !matches!(p.chosen_by, Some(ProfileSource::Chosen | ProfileSource::BuiltIn));
    super::invocation(report.config.as_deref(), named.then_some(p.name.as_str()))
}

/// An agent's own token in words: `claude-code's own token, made from profile "default"`.
pub(crate) fn agent_words(agent: &crate::credentials::Agent) -> String {
    format!("{}'s own token, made from profile \"{}\"", line(&agent.client), line(&agent.parent))
}

/// An agent's own token in `status --json` and `profile list --json` (`null` for any other profile).
pub(crate) fn agent_json(profile: &Profile) -> serde_json::Value {
    match profile.agent() {
        Some(agent) => json!({"client": agent.client, "parent": agent.parent}),
        None => serde_json::Value::Null,
    }
}

/// The member a profile was saved for, as the JSON of `status` and
/// `profile list` both give it (`null` before any verification).
pub(crate) fn saved_member_json(profile: &Profile) -> serde_json::Value {
    match &profile.member_username {
        Some(username) => json!({
            "id": profile.member_id, "username": username, "full_name": profile.member_full_name,
        }),
        None => serde_json::Value::Null,
    }
}

/// The JSON report: one object, or an array with `--all`.
pub(crate) fn render_json(report: &Report, all: bool, now: OffsetDateTime) -> String {
    let objects: Vec<serde_json::Value> = report
        .profiles
        .iter()
        .map(|p| {
            let profile = &p.profile;
            let (member, scopes, expires) = match &p.check {
                Check::Valid(v) => (
                    json!({"id": v.member.id, "username": v.member.username, "full_name": v.member.full_name}),
                    v.token.scopes(),
                    // Written as everywhere else (RFC 3339 as the expiry type prints it), not as Trello sent it.
                    Some(v.token.expiry().to_string()),
                ),
                _ => (saved_member_json(profile), profile.scopes(), profile.token_expires.as_ref().map(|e| e.to_string())),
            };
            let run = run_for(report, p);
            let (error, fix) = match &p.check {
                Check::Rejected(e) | Check::Unreachable(e) => {
                    (Some(e.to_string()), Some(super::trello_fix(e, true, &run)))
                }
                Check::Keyring(e) => (Some(e.to_string()), Some(e.fix(&run))),
                _ => (None, None),
            };
            let expired =
                expires.as_deref().and_then(|e| OffsetDateTime::parse(e, &Rfc3339).ok()).is_some_and(|at| at <= now);
            json!({
                "profile": p.name,
                "chosen_by": p.chosen_by.map(ProfileSource::key),
                "default_profile": report.default_profile.as_deref() == Some(p.name.as_str()),
                "file": report.file,
                "kept_in": p.place.to_string(),
                "member_differs": p.member_differs,
                "member": member,
                "api_key": mask(&profile.api_key),
                "token": p.credentials.as_ref().map(|c| c.token().masked()).or_else(|| profile.token.as_ref().map(|t| t.masked())),
                "token_source": p.source,
                "storage": profile.storage.as_str(),
                "app_name": profile.app_name,
                "agent": agent_json(profile),
                "scopes": scopes.names(),
                "requested_scopes": profile.requested_scope.names(),
                "expiration": profile.expiration.as_str(),
                "expires": expires,
                "expired": expired,
                "verified_at": profile.verified_at,
                "status": p.check.name(),
                "error": error,
                "fix": fix,
                "environment_differs": p.environment_differs,
                "board": profile.board_id.as_ref().map(|id| json!({
                    "id": id,
                    "name": profile.board_name,
                    "short_link": profile.board_short_link,
                    "status": match &p.board { None => "unchecked", Some(Ok(_)) => "ok", Some(Err(_)) => "not_usable" },
                    "error": p.board.as_ref().and_then(|b| b.as_ref().err()),
                })),
            })
        })
        .collect();
    let value = if all { serde_json::Value::Array(objects) } else { objects.into_iter().next().unwrap_or_default() };
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Notes for stderr: loose file modes, and environment variables that win over the file.
pub(crate) fn notes(report: &Report) -> Vec<String> {
    let mut notes = report.warnings.clone();
    for p in &report.profiles {
        if !p.environment_differs.is_empty() {
            notes.push(format!(
                "{} set in the environment and different from profile \"{}\": tools that read the environment \
                 will use those values, not the saved ones",
                p.environment_differs.join(" and ") + if p.environment_differs.len() == 1 { " is" } else { " are" },
                p.name
            ));
        }
    }
    notes
}
