//! `trello-auth logout`: revoke the token at Trello, then forget it locally.

use super::{CommandError, Context, Output, online};
use crate::credentials::vault::Stored;
use crate::trello::{Endpoints, TrelloError};
use crate::untrusted::line;

/// `logout`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Remove the token locally but leave it valid at Trello.
    #[arg(long)]
    pub keep_remote: bool,
    /// Remove the local token even if revoking it at Trello fails.
    #[arg(long)]
    pub force: bool,
    /// Do not ask first (in a terminal it asks; without one it never does).
    #[arg(long)]
    pub yes: bool,
}

pub(crate) const AFTER_HELP: &str = "\
Revokes the token (DELETE /1/tokens/{token}) unless --keep-remote, then removes it
from the profile and from the backup of the config file; the API secret stays
where it is. If revoking fails, the local token is kept unless --force. A token another
profile holds too is not revoked (that would log it out as well): --keep-remote
forgets it here only. In a
terminal it asks first, unless --yes; without one (a script, CI) it never asks.
The profile itself stays: `trello-auth profile remove NAME` removes it.

Examples:
  trello-auth logout
  trello-auth logout --keep-remote --profile old";

pub(crate) fn run(ctx: &Context, args: &Args, ask: super::Ask) -> Result<Output, CommandError> {
    // A refused override is said first, whatever is saved.
    let endpoints = if args.keep_remote { None } else { Some(ctx.endpoints()?) };
    let stored = ctx.stored()?;
    // Checked before asking: a profile with nothing to log out is told so, not asked about.
    let credentials = if args.keep_remote {
        // Nothing is sent, so even a mangled token can be forgotten.
        ctx.token(&stored)?;
        None
    } else {
        Some(ctx.credentials_to_send(&stored)?)
    };
    // Revoking a token another profile holds would log that one out too,
    // unasked: it is refused, and the way to forget it here alone is said.
    if credentials.is_some()
        && let Some(other) = ctx.vault.sharing(ctx.name()).map_err(|e| ctx.vault_error(e))?.first()
    {
        let other_run = super::invocation(ctx.named_config(), Some(other));
        let fix = format!(
            "Run {} to forget it here only (profile \"{}\" keeps using it); then {} revokes it.",
            crate::advice::command(&ctx.invocation(), "logout --keep-remote"),
            line(other),
            crate::advice::command(&other_run, "logout")
        );
        return Err(CommandError::Failed(format!(
            "profile \"{}\" holds the same token as profile \"{}\": revoking it would log that profile out too, so \
             nothing was revoked or removed{}",
            line(ctx.name()),
            line(other),
            crate::advice::why_fix(None, &fix)
        )));
    }
    if !args.yes && ask(&question(&stored, args.keep_remote)) == Some(false) {
        return Err(CommandError::Failed(format!(
            "profile \"{}\" keeps its token: nothing was revoked or removed",
            line(ctx.name())
        )));
    }
    let mut warnings = Vec::new();
    let remote = match credentials {
        None => "left valid at Trello (--keep-remote)".to_string(),
        Some(credentials) => {
            let endpoints = endpoints.unwrap_or_default();
            let (runtime, client) = online(&endpoints)?;
            let username = stored.profile.member_username.as_deref();
            // A read-only agent's token cannot revoke itself: its parent's token (the same member's) can.
            let parent = parent_credentials(ctx, &stored);
            let revoked = match &parent {
                Some(parent) if !stored.profile.scopes().write => {
                    runtime.block_on(client.revoke_token_as(parent, credentials.token()))
                }
                _ => match runtime.block_on(client.revoke_token(&credentials)) {
                    Err(TrelloError::MissingScope { .. }) if let Some(parent) = &parent => {
                        runtime.block_on(client.revoke_token_as(parent, credentials.token()))
                    }
                    other => other,
                },
            };
            match revoked {
                Ok(()) => "revoked at Trello".to_string(),
                // Already dead at Trello: nothing left to revoke.
                Err(TrelloError::InvalidToken | TrelloError::ExpiredToken) => "already invalid at Trello".to_string(),
                Err(error) if args.force => {
                    let account = revoke_page(&endpoints, username);
                    warnings.push(format!(
                        "could not revoke the token at Trello ({error}); revoke it by hand at {account}"
                    ));
                    "NOT revoked at Trello (--force)".to_string()
                }
                Err(error) => {
                    let account = revoke_page(&endpoints, username);
                    let run = ctx.invocation();
                    let text = format!(
                        "could not revoke the token at Trello: {error}{}\n  The local token was kept. Revoke it by \
                         hand at {account}, then run {}, or pass --force.",
                        crate::advice::why_fix(None, &super::trello_fix(&error, true, &run)),
                        crate::advice::command(&run, "logout --keep-remote")
                    );
                    return Err(CommandError::TrelloSaid { text, error });
                }
            }
        }
    };
    let changed = ctx.vault.forget_token(ctx.name()).map_err(|e| ctx.vault_error(e))?;
    warnings.extend(changed.warnings);
    Ok(Output::text(format!(
        "Logged out of profile \"{}\": the token was {remote} and removed from {} and its backup.\n",
        ctx.name(),
        changed.saved.path.display()
    ))
    .warn(warnings))
}

/// What is asked in a terminal before the token goes.
fn question(stored: &Stored, keep_remote: bool) -> String {
    let who = stored.profile.who().map(|who| format!(" ({})", line(&who))).unwrap_or_default();
    let profile = format!("profile \"{}\"{who}", line(&stored.name));
    if keep_remote {
        format!("Remove the token of {profile} from this machine, leaving it valid at Trello? [y/N] ")
    } else {
        format!("Revoke the token of {profile} at Trello and remove it? [y/N] ")
    }
}

/// An agent's parent profile's key and token, when the agent's token may be
/// revoked with them: the same member's, and sendable.
fn parent_credentials(ctx: &Context, stored: &Stored) -> Option<crate::credentials::Credentials> {
    let parent = ctx.vault.stored(&stored.profile.agent()?.parent).ok().flatten()?;
    let same_member = parent.profile.member_id.is_some() && parent.profile.member_id == stored.profile.member_id;
    same_member.then(|| ctx.credentials_to_send(&parent).ok()).flatten()
}

/// Where the member sees and revokes tokens.
pub(crate) fn revoke_page(endpoints: &Endpoints, username: Option<&str>) -> String {
    match username {
        Some(u) => format!("{} → Applications", endpoints.account_url(u)),
        None => format!("{}/my/account → Applications", endpoints.web_base),
    }
}
