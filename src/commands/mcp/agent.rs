//! An agent's own token (`mcp CLIENT --write --own-token`): authorized for that agent alone (its own app name, scopes and expiry, revocable alone), saved as a profile of its own that records its parent and client, and named by the entry.
//!
//! In a terminal the token is authorized through the wizard's token step
//! (the CLI layer runs it, from the [`Plan`] made here); without one it is
//! read from stdin as `login --with-token` reads it, and what Trello says of
//! it (`GET /1/tokens/{token}`: its name, scopes and expiry) is what is
//! recorded, with every difference from the flags said.

use super::Client;
use crate::commands::{CommandError, Context, online};
use crate::credentials::format::{check_token, extract_token};
use crate::credentials::vault::{NewToken, SecretChange};
use crate::credentials::{Agent, Chosen, Expiration, Profile, Scopes, Secret, Storage};
use crate::trello::{Credentials, Verified};

/// Whose token the agent gets, and the own token's choices.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct TokenArgs {
    /// Give the agent a token of its own (authorized now: through the token step in a terminal, else read from
    /// stdin), saved as a profile of its own and revocable alone.
    #[arg(long, requires = "write", conflicts_with_all = ["shared_token", "inline_secrets"])]
    pub own_token: bool,
    /// Give the agent this profile's own token, without asking.
    #[arg(long)]
    pub shared_token: bool,
    /// The own token's scopes (default: the profile's), e.g. read or read,write.
    #[arg(long, value_name = "SCOPES", requires = "own_token", conflicts_with = "read_only")]
    pub token_scopes: Option<Scopes>,
    /// Short for --token-scopes read.
    #[arg(long, requires = "own_token")]
    pub read_only: bool,
    /// How long the own token lives: 1hour, 1day, 30days (the default) or never.
    #[arg(long, value_name = "WHEN", requires = "own_token")]
    pub expiration: Option<Expiration>,
    /// The own token's profile name (default: the client's, e.g. claude-code).
    #[arg(long = "as", value_name = "NAME", requires = "own_token", value_parser = crate::credentials::profile::parse_name)]
    pub as_name: Option<String>,
}

/// What an own token is to be: its profile, the parent's key and member, the choices.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub name: String,
    pub agent: Agent,
    /// The parent profile as saved (its key, member and storage).
    pub parent: Profile,
    pub scopes: Scopes,
    pub expiration: Expiration,
    /// The agent already has its own token of this parent, saved under this
    /// name: it is used as it is (`rotate --profile NAME` renews it).
    pub existing: bool,
    /// The `mcp` command that asked for it, as advice repeats it (`mcp cursor --write --own-token --read-only`).
    pub command: String,
}

impl Plan {
    /// The parent's member, as "Ann Example (@ann)".
    pub fn who(&self) -> String {
        self.parent.who().unwrap_or_else(|| "the profile's member".into())
    }
}

/// The plan for `client`'s own token from the chosen profile, checked before anything is asked or sent.
pub(crate) fn plan(ctx: &Context, client: Client, args: &TokenArgs) -> Result<Plan, CommandError> {
    let stored = ctx.stored()?;
    let parent = stored.profile;
    if let Some(agent) = parent.agent() {
        return Err(CommandError::Usage(format!(
            "profile \"{}\" is itself {}'s own token; make an agent's token from the profile it came from: {}",
            crate::untrusted::line(ctx.name()),
            crate::untrusted::line(&agent.client),
            crate::advice::command(
                &super::super::invocation(ctx.named_config(), Some(&agent.parent)),
                &format!("mcp {} --write --own-token", client.flag())
            )
        )));
    }
    if parent.api_key.is_empty() || parent.member_id.is_none() || parent.logged_out {
        return Err(CommandError::Failed(format!(
            "profile \"{}\" has no verified token to make an agent's token from (its member is what the new token is \
             checked against); run `trello-auth` first",
            crate::untrusted::line(ctx.name())
        )));
    }
    let name = args.as_name.clone().unwrap_or_else(|| client.flag());
    ctx.vault.check_name(&name).map_err(|e| ctx.vault_error(e))?;
    if name == ctx.name() {
        return Err(CommandError::Usage(format!(
            "--as names the profile the token is made from, \"{}\": give the agent's token another name",
            crate::untrusted::line(&name)
        )));
    }
    let agent = Agent { parent: ctx.name().to_string(), client: client.flag() };
    let config = ctx.vault.load()?.map(|l| l.config).unwrap_or_default();
    let existing = match config.profiles.get(&name) {
        None => false,
        Some(p) if p.agent().as_ref() == Some(&agent) => !p.logged_out,
        Some(_) => {
            return Err(CommandError::Usage(format!(
                "a profile named \"{}\" is already saved and is not {}'s own token from profile \"{}\": it is never \
                 overwritten; name the agent's token with --as NAME",
                crate::untrusted::line(&name),
                client.flag(),
                crate::untrusted::line(ctx.name())
            )));
        }
    };
    let scopes = match (args.read_only, args.token_scopes) {
        (true, _) => Scopes { read: true, ..Scopes::default() },
        (false, Some(scopes)) => scopes,
        (false, None) if parent.requested_scope.is_empty() => Scopes::READ_WRITE,
        (false, None) => parent.requested_scope,
    };
    let expiration = args.expiration.unwrap_or(Expiration::ThirtyDays);
    let mut command = format!("mcp {} --write --own-token", client.flag());
    if args.read_only {
        command.push_str(" --read-only");
    }
    if let Some(scopes) = args.token_scopes {
        command.push_str(&format!(" --token-scopes {}", scopes.names().join(",")));
    }
    if let Some(expiration) = args.expiration {
        command.push_str(&format!(" --expiration {expiration}"));
    }
    if let Some(name) = &args.as_name {
        command.push_str(&format!(" --as {}", crate::shell::sh_word(name)));
    }
    Ok(Plan { name, agent, parent, scopes, expiration, existing, command })
}

/// The agent's token read from stdin (as `login --with-token` reads it),
/// verified, checked to be the parent's member's, and saved with what Trello
/// says of it. Returns what to say: the differences from the flags.
pub(crate) fn from_stdin(ctx: &Context, plan: &Plan) -> Result<Vec<String>, CommandError> {
    let endpoints = ctx.endpoints()?;
    // Nothing piped in: the same command, in a terminal, authorizes one in the browser.
    let run = ctx.invocation();
    let how = format!(
        "{}, or run {} in a terminal to authorize one in the browser",
        crate::commands::login::pipe_it_in(&run, &plan.command),
        crate::advice::command(&run, &plan.command)
    );
    let text = crate::commands::login::read_token(&how)?;
    let key = plan.parent.api_key.clone();
    let token = extract_token(&text);
    let verdict = check_token(&token, None, Some(&key));
    if !verdict.is_savable() {
        return Err(CommandError::Usage(format!("token: {}", verdict.message())));
    }
    // The token was shape-checked just above: this only builds what it allowed.
    let credentials =
        Credentials::sendable(&key, &Secret::new(token)).map_err(|why| CommandError::Usage(format!("token: {why}")))?;
    let (runtime, client) = online(&endpoints)?;
    let verified =
        runtime.block_on(client.verify(&credentials)).map_err(|error| CommandError::Trello { error, saved: false })?;
    if plan.parent.member_id.as_deref() != Some(verified.member.id.as_str()) {
        return Err(CommandError::Failed(format!(
            "this token belongs to {}, not to {} (profile \"{}\"): an agent's token must be the same member's; nothing \
             was saved. Authorize it while logged in to Trello as that member",
            verified.member.who(),
            plan.who(),
            crate::untrusted::line(&plan.agent.parent)
        )));
    }
    let (chosen, said) = as_trello_says(plan, credentials, &verified);
    let new = NewToken {
        chosen,
        verification: verified.verification(crate::credentials::expiry::now_rfc3339()),
        api_secret: SecretChange::Clear,
        storage: Some(plan.parent.storage),
        agent: Some(plan.agent.clone()),
    };
    ctx.vault.save(&plan.name, new).map_err(|e| ctx.vault_error(e))?;
    Ok(said)
}

/// What is recorded of a token made elsewhere: its own name, scopes and
/// expiry as Trello reports them, and a line for each that differs from what
/// the flags asked for.
fn as_trello_says(plan: &Plan, credentials: Credentials, verified: &Verified) -> (Chosen, Vec<String>) {
    let mut said = Vec::new();
    let wanted_name = plan.agent.app_name();
    let name = verified.token.identifier.clone().filter(|n| !n.trim().is_empty()).unwrap_or(wanted_name.clone());
    let name = crate::untrusted::capped(&name);
    if name != wanted_name {
        said.push(format!(
            "the token was authorized as \"{}\", not \"{wanted_name}\": Trello's Applications page lists it under that \
             name",
            crate::untrusted::line(&name)
        ));
    }
    let granted = verified.token.scopes();
    if granted != plan.scopes {
        said.push(format!(
            "the token may do {}, where {} was asked for (--token-scopes, --read-only, or the profile's)",
            granted.names().join(", "),
            plan.scopes.names().join(", ")
        ));
    }
    let expiration = verified.expiration();
    if expiration != Some(plan.expiration) {
        let lives = match expiration {
            Some(Expiration::Never) => "never expires".to_string(),
            Some(other) => format!("was made for {other} (it expires {})", verified.token.expiry().shown()),
            None => format!("expires {}", verified.token.expiry().shown()),
        };
        said.push(format!("the token {lives}, where --expiration {} was asked for", plan.expiration));
    }
    let chosen = Chosen {
        key: credentials.key().to_string(),
        token: credentials.token().clone(),
        app_name: name,
        requested_scope: granted,
        expiration: expiration.unwrap_or(plan.expiration),
    };
    (chosen, said)
}

/// What the agent's profile holds, in one line: whose token, what it may do, until when.
pub(crate) fn saved_words(ctx: &Context, plan: &Plan, client: Client) -> String {
    let saved = ctx.vault.stored(&plan.name).ok().flatten().map(|s| s.profile);
    let (scopes, expires) = match &saved {
        Some(p) => (p.scopes().names().join(", "), p.token_expires.as_ref().map_or("unknown".into(), |e| e.shown())),
        None => (plan.scopes.names().join(", "), "unknown".into()),
    };
    let place = match plan.parent.storage {
        Storage::Keyring => "the system keyring",
        Storage::File => "the config file",
    };
    let run = crate::commands::invocation(ctx.named_config(), Some(&plan.name));
    format!(
        "{}'s own token for {}: profile \"{}\" ({scopes}; expires {expires}; the token in {place}). Revoke it alone \
         with `{run} logout`, renew it with `{run} rotate`.\n",
        client.words(),
        plan.who(),
        crate::untrusted::line(&plan.name),
    )
}
