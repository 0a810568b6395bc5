//! `trello-auth status`: what is saved, whether Trello still accepts it, when it expires.

use std::fmt::Write as _;

use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{CommandError, exit, online};
use crate::credentials::expiry::{expired_words, expiry_words};
use crate::credentials::keyring::KeyringError;
use crate::credentials::profiles;
use crate::credentials::secret::mask;
use crate::credentials::store::{Profile, Store};
use crate::trello::{Board, Client, Credentials, Endpoints, TrelloError, Verified};

/// What the live check found.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `--offline`: not asked.
    Skipped,
    Valid(Box<Verified>),
    /// Trello refused the key or token.
    Rejected(TrelloError),
    /// The saved expiry date is past (known without asking Trello).
    Expired,
    /// Trello could not be reached, so nothing is known.
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

    fn name(&self) -> &'static str {
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
pub struct ProfileStatus {
    pub name: String,
    pub profile: Profile,
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
            (exit::OK, Some(Err(_))) => exit::REJECTED,
            (code, _) => code,
        }
    }
}

pub struct Report {
    pub file: String,
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

/// Reads the profiles and, unless `offline`, checks them with Trello at once.
pub fn run(
    store: &Store,
    endpoints: &Endpoints,
    profile_name: &str,
    all: bool,
    offline: bool,
) -> Result<Report, CommandError> {
    let loaded = store.load()?;
    let file = store.path().display().to_string();
    let Some(loaded) = loaded else {
        return Err(CommandError::NothingSaved { profile: profile_name.to_string(), path: store.path().to_path_buf() });
    };
    let chosen: Vec<(String, Profile)> = if all {
        loaded.config.profiles.into_iter().collect()
    } else {
        match loaded.config.profiles.get(profile_name) {
            Some(p) => vec![(profile_name.to_string(), p.clone())],
            None => Vec::new(),
        }
    };
    if chosen.is_empty() {
        return Err(CommandError::NothingSaved { profile: profile_name.to_string(), path: store.path().to_path_buf() });
    }
    let now = OffsetDateTime::now_utc();
    let env_key = std::env::var("TRELLO_API_KEY").ok();
    let env_token = std::env::var("TRELLO_TOKEN").ok();
    let waiting = super::keyring_waiting();
    let mut profiles: Vec<ProfileStatus> = chosen
        .into_iter()
        .map(|(name, profile)| {
            let token = profiles::token(&profile, &name, &waiting);
            let mut environment_differs = Vec::new();
            if env_key.as_deref().is_some_and(|k| !k.is_empty() && k != profile.api_key) {
                environment_differs.push("TRELLO_API_KEY");
            }
            let saved_token = token.as_ref().ok().and_then(|t| t.as_ref()).map(|t| t.expose());
            if env_token.as_deref().is_some_and(|t| !t.is_empty() && Some(t) != saved_token) {
                environment_differs.push("TRELLO_TOKEN");
            }
            let source = if env_token.as_deref().is_some_and(|t| !t.is_empty()) {
                "environment"
            } else {
                profile.storage.as_str()
            };
            let mut credentials = None;
            let check = match token {
                Err(e) => Check::Keyring(e),
                Ok(None) => Check::NoToken,
                Ok(Some(token)) => {
                    if let Some(why) = super::unusable(&token, &name) {
                        Check::Unusable(why)
                    } else if expired_words(&profile, now).is_some() {
                        Check::Expired
                    } else {
                        credentials = Some(Credentials { key: profile.api_key.clone(), token });
                        Check::Skipped
                    }
                }
            };
            ProfileStatus { name, profile, check, environment_differs, source, credentials, board: None }
        })
        .collect();
    if !offline && profiles.iter().any(|p| p.check == Check::Skipped) {
        check_online(endpoints, &mut profiles)?;
    }
    Ok(Report { file, profiles, warnings: loaded.warnings })
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
                p.check = check;
                p.board = board;
            }
        }
    });
    Ok(())
}

/// The human-readable report.
pub fn render_text(report: &Report, now: OffsetDateTime) -> String {
    let mut out = String::new();
    for (index, p) in report.profiles.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let row = |out: &mut String, label: &str, value: &str| {
            let _ = writeln!(out, "{label:<10} {value}");
        };
        let profile = &p.profile;
        row(&mut out, "Profile", &format!("{} ({})", p.name, report.file));
        let who = match &p.check {
            Check::Valid(v) => v.member.who(),
            _ => profile.who().unwrap_or_else(|| "unknown".into()),
        };
        row(&mut out, "Member", &who);
        row(&mut out, "API key", &mask(&profile.api_key));
        let token = match (&p.credentials, profile.storage) {
            (Some(creds), _) => creds.token.masked(),
            (None, _) => profile.token.as_ref().map(|t| t.masked()).unwrap_or_else(|| "none".into()),
        };
        row(&mut out, "Token", &token);
        row(&mut out, "Stored in", &stored_in(p.source, profile.storage, report));
        row(&mut out, "App name", &profile.app_name);
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
            Check::Rejected(e) => format!("rejected: {e}\n{:<10} fix: {}", "", e.fix()),
            Check::Expired => "expired: run `trello-auth rotate` to authorize a new token".to_string(),
            Check::Unreachable(e) => format!("unknown, Trello could not be reached: {e}\n{:<10} fix: {}", "", e.fix()),
            Check::NoToken => "no token saved (logged out): run `trello-auth` to authorize one".to_string(),
            Check::Unusable(why) => format!("unusable: {why}"),
            Check::Keyring(e) => format!("{e}\n{:<10} fix: {}", "", e.fix()),
        };
        row(&mut out, "Status", &status);
        if let Some(id) = &profile.board_id {
            let name = profile.board_name.as_deref().unwrap_or("unnamed");
            let board = match &p.board {
                None => format!("{name} ({id}), exported as TRELLO_BOARD_ID"),
                Some(Ok(b)) => format!("{} ({id}): open and visible; exported as TRELLO_BOARD_ID", b.name),
                Some(Err(why)) => format!(
                    "{name} ({id}): not usable: {why}\n{:<10} fix: choose another with `trello-auth board set BOARD`, or \
                     `trello-auth board clear`",
                    ""
                ),
            };
            row(&mut out, "Board", &board);
        }
    }
    out
}

/// The JSON report: one object, or an array with `--all`.
pub fn render_json(report: &Report, all: bool, now: OffsetDateTime) -> String {
    let objects: Vec<serde_json::Value> = report
        .profiles
        .iter()
        .map(|p| {
            let profile = &p.profile;
            let (member, scopes, expires) = match &p.check {
                Check::Valid(v) => (
                    json!({"id": v.member.id, "username": v.member.username, "full_name": v.member.full_name}),
                    v.token.scopes(),
                    Some(v.token.date_expires.clone().unwrap_or_else(|| "never".into())),
                ),
                _ => (
                    match &profile.member_username {
                        Some(username) => json!({
                            "id": profile.member_id, "username": username, "full_name": profile.member_full_name,
                        }),
                        None => serde_json::Value::Null,
                    },
                    profile.scopes(),
                    profile.token_expires.as_ref().map(|e| e.to_string()),
                ),
            };
            let (error, fix) = match &p.check {
                Check::Rejected(e) | Check::Unreachable(e) => (Some(e.to_string()), Some(e.fix())),
                Check::Keyring(e) => (Some(e.to_string()), Some(e.fix())),
                _ => (None, None),
            };
            let expired =
                expires.as_deref().and_then(|e| OffsetDateTime::parse(e, &Rfc3339).ok()).is_some_and(|at| at <= now);
            json!({
                "profile": p.name,
                "file": report.file,
                "member": member,
                "api_key": mask(&profile.api_key),
                "token": p.credentials.as_ref().map(|c| c.token.masked()).or_else(|| profile.token.as_ref().map(|t| t.masked())),
                "token_source": p.source,
                "storage": profile.storage.as_str(),
                "app_name": profile.app_name,
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

/// "the config file (…)", "the system keyring", or "the environment (TRELLO_TOKEN)".
fn stored_in(source: &str, storage: crate::credentials::store::Storage, report: &Report) -> String {
    match source {
        "environment" => format!("the environment (TRELLO_TOKEN), over the {} copy", storage.as_str()),
        "keyring" => "the system keyring (service trello-auth)".to_string(),
        _ => format!("the config file ({})", report.file),
    }
}

/// Notes for stderr: loose file modes, and environment variables that win over the file.
pub fn notes(report: &Report) -> Vec<String> {
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
