//! The plain commands, one module each holding its arguments, its run and its output: for scripts and return visits.
//!
//! A command gets a [`Context`] (the vault, the chosen profile and why, where
//! to say notes) and returns an [`Output`]; the CLI prints it. Nothing here
//! prints to stdout, and nothing here knows the wizard. `env`, `token` and
//! `status --offline` touch only the config file: no async runtime, no TLS,
//! no clipboard, so they finish in a few milliseconds.

pub mod board;
pub mod env;
pub mod exec;
pub mod exit;
pub mod login;
pub mod logout;
pub mod mcp;
pub mod mcp_server;
pub mod profile;
pub mod reveal;
pub mod status;
pub mod storage;
pub mod token;

use std::path::PathBuf;
use std::sync::Arc;

use crate::advice;
use crate::credentials::keyring::KeyringError;
use crate::credentials::store::{DEFAULT_PROFILE, Store, StoreError};
use crate::credentials::vault::{Stored, Vault, VaultError};
use crate::credentials::{Credentials, Secret};
use crate::trello::{Client, ClientConfig, EndpointError, Endpoints, TrelloError};

/// What went wrong in a command. Its words name the commands that fix it,
/// written to run as the profile's invocation: [`CommandError::words`]; the
/// `Display` form runs them as a bare `trello-auth`.
#[derive(Debug)]
pub(crate) enum CommandError {
    /// `setup`: the command that sets it up (`None`: the wizard, run as the
    /// profile's invocation). `others`: the other profiles to use instead
    /// ([`Context::other_profiles`]).
    NothingSaved {
        profile: String,
        path: PathBuf,
        setup: Option<String>,
        others: Option<String>,
    },
    NoToken {
        profile: String,
        others: Option<String>,
    },
    Store(StoreError),
    Usage(String),
    Endpoint(EndpointError),
    /// `saved`: the profile has credentials to rotate (see [`trello_fix`]).
    Trello {
        error: TrelloError,
        saved: bool,
    },
    Keyring {
        profile: String,
        error: KeyringError,
    },
    KeyringSave {
        profile: String,
        error: KeyringError,
    },
    /// A save that had to keep the API secret could not read it from the keyring:
    /// only the keyring's own cure helps (the file would need the secret too).
    SecretUnreadable {
        profile: String,
        error: KeyringError,
    },
    Failed(String),
    /// A Trello error told in the command's own words (`text`): the exit
    /// status is still the error's, so "unreachable" stays 3 (exit.rs).
    TrelloSaid {
        text: String,
        error: TrelloError,
    },
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words("trello-auth"))
    }
}

impl std::error::Error for CommandError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CommandError::Store(e) => Some(e),
            CommandError::Endpoint(e) => Some(e),
            CommandError::Trello { error, .. } | CommandError::TrelloSaid { error, .. } => Some(error),
            CommandError::Keyring { error, .. }
            | CommandError::KeyringSave { error, .. }
            | CommandError::SecretUnreadable { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        CommandError::Store(error)
    }
}

impl From<EndpointError> for CommandError {
    fn from(error: EndpointError) -> Self {
        CommandError::Endpoint(error)
    }
}

impl CommandError {
    /// The message, each command it suggests written to run as `run` (the
    /// profile's invocation, [`invocation`]).
    pub fn words(&self, run: &str) -> String {
        let profile_said = |profile: &str| format!("profile \"{profile}\"");
        match self {
            CommandError::NothingSaved { profile, path, setup, others } => {
                let setup = setup.as_deref().map_or_else(|| advice::command(run, ""), |s| format!("`{s}`"));
                format!(
                    "nothing is saved for profile \"{profile}\" in {}; run {setup} to set it up{}",
                    path.display(),
                    hint(others)
                )
            }
            CommandError::NoToken { profile, others } => format!(
                "{} has no token (it was logged out); run {} or {}{}",
                profile_said(profile),
                advice::command(run, ""),
                advice::command(run, "login --with-token"),
                hint(others)
            ),
            CommandError::Store(e) => e.to_string(),
            CommandError::Usage(text) | CommandError::Failed(text) | CommandError::TrelloSaid { text, .. } => {
                text.clone()
            }
            CommandError::Endpoint(e) => format!("{e}; unset it, or point it at an https address"),
            CommandError::Trello { error, saved } => {
                format!("{error}{}", advice::why_fix(Some(error.cause()), &trello_fix(error, *saved, run)))
            }
            CommandError::Keyring { profile, error } => {
                format!("{}: {error}{}", profile_said(profile), advice::why_fix(None, &error.fix(run)))
            }
            CommandError::KeyringSave { profile, error } => format!(
                "{}: {error}; nothing was saved{}",
                profile_said(profile),
                advice::why_fix(None, &error.save_fix(run))
            ),
            CommandError::SecretUnreadable { profile, error } => format!(
                "{}: the API secret kept in the keyring could not be read ({error}); nothing was saved, so it stays \
                 there{}",
                profile_said(profile),
                advice::why_fix(None, error.cure())
            ),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::NothingSaved { .. } | CommandError::NoToken { .. } => exit::NOTHING_SAVED,
            CommandError::Usage(_) | CommandError::Endpoint(_) => exit::USAGE,
            CommandError::Trello { error, .. } if !error.is_rejection() => exit::UNREACHABLE,
            CommandError::TrelloSaid { error, .. } if error.is_unreachable() => exit::UNREACHABLE,
            CommandError::Keyring { error, .. }
            | CommandError::KeyringSave { error, .. }
            | CommandError::SecretUnreadable { error, .. } => keyring_exit(error),
            CommandError::Store(_)
            | CommandError::Trello { .. }
            | CommandError::TrelloSaid { .. }
            | CommandError::Failed(_) => exit::REJECTED,
        }
    }
}

/// A hint as the line after an error.
fn hint(line: &Option<String>) -> String {
    line.as_ref().map(|line| format!("\n  {line}")).unwrap_or_default()
}

/// The fix for a Trello error as the commands say it: the guide's words,
/// then the command that does it (`saved`: there is a token to rotate; else,
/// at `login`, a new one comes from the wizard).
pub(crate) fn trello_fix(error: &TrelloError, saved: bool, run: &str) -> String {
    match error.remedy() {
        crate::trello::Remedy::NewToken if saved => format!("{} Run {}.", error.fix(), advice::command(run, "rotate")),
        crate::trello::Remedy::NewToken => {
            format!("{} Run {} to authorize one in the browser.", error.fix(), advice::command(run, ""))
        }
        _ => error.fix().to_string(),
    }
}

/// A keyring that cannot be reached is like Trello not answering (3); a
/// missing or refused entry is a problem with what is saved (1).
pub(crate) fn keyring_exit(error: &KeyringError) -> u8 {
    match error {
        KeyringError::Unavailable { .. } | KeyringError::Locked { .. } | KeyringError::Timeout { .. } => {
            exit::UNREACHABLE
        }
        KeyringError::Missing { .. } | KeyringError::Refused { .. } | KeyringError::Mismatch { .. } => exit::REJECTED,
    }
}

impl From<TrelloError> for CommandError {
    fn from(error: TrelloError) -> Self {
        CommandError::Trello { error, saved: true }
    }
}

/// Why this profile is the one used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileSource {
    Flag,
    Environment,
    /// The config file's `default_profile` (`trello-auth profile use`).
    Chosen,
    /// Nothing named one: `default`.
    BuiltIn,
}

impl ProfileSource {
    /// Its word in `status --json` and `profile list --json` (`chosen_by`).
    pub fn key(self) -> &'static str {
        match self {
            ProfileSource::Flag => "flag",
            ProfileSource::Environment => "environment",
            ProfileSource::Chosen => "default_profile",
            ProfileSource::BuiltIn => "built_in",
        }
    }

    /// "--profile", "TRELLO_AUTH_PROFILE", …: for `status` and the start screen.
    pub fn words(self) -> &'static str {
        match self {
            ProfileSource::Flag => "from --profile",
            ProfileSource::Environment => "from TRELLO_AUTH_PROFILE",
            ProfileSource::Chosen => "the default set with `trello-auth profile use`",
            ProfileSource::BuiltIn => "no other was chosen",
        }
    }
}

/// The profile a command works on, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProfileChoice {
    pub name: String,
    pub source: ProfileSource,
}

/// How to run trello-auth on a config file and profile: `trello-auth`, with
/// `--config PATH` (absolute) and `--profile NAME` where a bare command run
/// elsewhere would pick another file or profile.
pub(crate) fn invocation(config: Option<&std::path::Path>, profile: Option<&str>) -> String {
    let mut line = "trello-auth".to_string();
    if let Some(path) = config {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        line.push_str(&format!(" --config {}", crate::shell::sh_word(&path.to_string_lossy())));
    }
    if let Some(name) = profile {
        line.push_str(&format!(" --profile {}", crate::shell::sh_word(name)));
    }
    line
}

impl ProfileChoice {
    /// The name, when it came from the flag or the variable: in another
    /// shell a bare command would pick another, so suggestions name it.
    pub fn named(&self) -> Option<&str> {
        matches!(self.source, ProfileSource::Flag | ProfileSource::Environment).then_some(self.name.as_str())
    }

    /// `--profile` wins, then `TRELLO_AUTH_PROFILE`, then the file's chosen
    /// default, then `default`.
    pub(crate) fn resolve(
        flag: Option<&str>,
        env: Option<String>,
        chosen: impl FnOnce() -> Option<String>,
    ) -> ProfileChoice {
        let pick = |name: String, source| ProfileChoice { name, source };
        if let Some(name) = flag.filter(|n| !n.is_empty()) {
            return pick(name.to_string(), ProfileSource::Flag);
        }
        if let Some(name) = env {
            return pick(name, ProfileSource::Environment);
        }
        match chosen() {
            Some(name) => pick(name, ProfileSource::Chosen),
            None => pick(DEFAULT_PROFILE.to_string(), ProfileSource::BuiltIn),
        }
    }
}

/// Where a command writes a line for stderr (notes, warnings, "waiting for the keyring").
pub(crate) type Say = Arc<dyn Fn(&str) + Send + Sync>;

/// Asks the person at the terminal a yes/no question before a change that
/// cannot be taken back: `None` when there is no one to ask (stdin or stderr
/// not a terminal), so a script is never stopped by a question. The CLI
/// supplies it; no command reads the terminal itself.
pub(crate) type Ask<'a> = &'a dyn Fn(&str) -> Option<bool>;

/// What every command gets.
pub(crate) struct Context {
    pub vault: Vault,
    pub profile: ProfileChoice,
    say: Say,
}

impl Context {
    /// The vault of `store`, and the profile chosen by the flag, the
    /// environment or the file. `say` receives lines for stderr.
    pub fn new(store: Store, flag: Option<&str>, say: Say) -> Context {
        let chosen = || store.load().ok().flatten().and_then(|l| l.config.default_profile);
        let profile = ProfileChoice::resolve(flag, crate::environment::PROFILE.get(), chosen);
        let waiting_say = say.clone();
        let said = std::sync::atomic::AtomicBool::new(false);
        let waiting = Arc::new(move || {
            if !said.swap(true, std::sync::atomic::Ordering::Relaxed) {
                waiting_say("waiting for the keyring (unlock it if it asks)…");
            }
        });
        let lock_say = say.clone();
        let lock_notice = Arc::new(move |wait: &crate::files::LockWait| lock_say(&wait.to_string()));
        Context { vault: Vault::new(store, waiting).saying_lock_waits(lock_notice), profile, say }
    }

    pub fn name(&self) -> &str {
        &self.profile.name
    }

    /// The same file and words, for profile `name` (as if `--profile name` were given).
    pub(crate) fn for_profile(&self, name: &str) -> Context {
        let profile = ProfileChoice { name: name.to_string(), source: ProfileSource::Flag };
        Context { vault: self.vault.clone(), profile, say: self.say.clone() }
    }

    /// The config file, when it is not the one found by default: suggested commands name it.
    pub(crate) fn named_config(&self) -> Option<&std::path::Path> {
        (!self.vault.store().is_default_place()).then(|| self.vault.path())
    }

    /// How to run trello-auth on this file and profile, for suggested commands.
    pub(crate) fn invocation(&self) -> String {
        invocation(self.named_config(), self.profile.named())
    }

    /// A line for stderr, at once.
    pub fn say(&self, line: &str) {
        (self.say)(line)
    }

    /// The API and web bases, with a note on stderr for each one that is not
    /// Trello's own, every run.
    pub fn endpoints(&self) -> Result<Endpoints, CommandError> {
        let endpoints = Endpoints::from_env()?;
        for line in endpoints.notices() {
            self.say(&format!("note: {line}"));
        }
        Ok(endpoints)
    }

    /// The chosen profile as stored, or why there is none.
    pub fn stored(&self) -> Result<Stored, CommandError> {
        self.vault.stored(self.name())?.ok_or_else(|| self.nothing_saved())
    }

    pub(crate) fn nothing_saved(&self) -> CommandError {
        CommandError::NothingSaved {
            profile: self.name().to_string(),
            path: self.vault.path().to_path_buf(),
            setup: None,
            others: self.other_profiles(self.name()),
        }
    }

    /// The profiles other than `except` that hold a token, and how to use
    /// one, for when `except` has nothing to hand out (after `profile use
    /// work` and `logout`, `default` is still there); `None` when there are none.
    pub fn other_profiles(&self, except: &str) -> Option<String> {
        const NAMED: usize = 5;
        let loaded = self.vault.load().ok().flatten()?;
        let others: Vec<(&String, &crate::credentials::Profile)> =
            loaded.config.profiles.iter().filter(|(name, p)| *name != except && !profile::logged_out(p)).collect();
        let (first, _) = others.first()?;
        let mut named: Vec<String> = others
            .iter()
            .take(NAMED)
            .map(|(name, p)| match p.who() {
                Some(who) => format!("\"{}\" ({})", crate::untrusted::line(name), crate::untrusted::line(&who)),
                None => format!("\"{}\"", crate::untrusted::line(name)),
            })
            .collect();
        if others.len() > NAMED {
            let list = advice::command(&invocation(self.named_config(), None), "profile list");
            named.push(format!("{} more ({list})", others.len() - NAMED));
        }
        let with = invocation(self.named_config(), Some(first));
        let mut line = format!("other profiles with a token: {}; use one with `{with} status`", named.join(", "));
        // --profile and TRELLO_AUTH_PROFILE win over the default: naming another default would change nothing here.
        if matches!(self.profile.source, ProfileSource::Chosen | ProfileSource::BuiltIn) {
            let run = invocation(self.named_config(), None);
            line.push_str(&format!(
                ", or make it the default with `{run} profile use {}`",
                crate::shell::sh_word(first)
            ));
        }
        Some(line)
    }

    /// The saved token of `stored`, wherever it is kept.
    pub fn token(&self, stored: &Stored) -> Result<Secret, CommandError> {
        stored.token(self.vault.waiting()).map_err(|error| self.keyring_error(error))?.ok_or_else(|| {
            CommandError::NoToken { profile: stored.name.clone(), others: self.other_profiles(&stored.name) }
        })
    }

    /// The saved API secret of `stored`, if any.
    pub fn api_secret(&self, stored: &Stored) -> Result<Option<Secret>, CommandError> {
        stored.api_secret(self.vault.waiting()).map_err(|error| self.keyring_error(error))
    }

    /// The saved key and token, for sending to Trello: a token edited by hand
    /// into something that cannot be a token is refused before any request.
    pub(crate) fn credentials_to_send(&self, stored: &Stored) -> Result<Credentials, CommandError> {
        let token = self.token(stored)?;
        Credentials::sendable(&stored.profile.api_key, &token).map_err(|why| {
            let rotate = advice::command(&self.invocation(), "rotate");
            CommandError::Failed(format!("{}: run {rotate}", unusable(stored, &why)))
        })
    }

    pub(crate) fn keyring_error(&self, error: KeyringError) -> CommandError {
        CommandError::Keyring { profile: self.name().to_string(), error }
    }

    /// A vault failure in the words of the commands.
    pub(crate) fn vault_error(&self, error: VaultError) -> CommandError {
        let profile = self.name().to_string();
        match error {
            VaultError::Store(e) => e.into(),
            VaultError::Keyring(error) => CommandError::KeyringSave { profile, error },
            VaultError::Read(error) => CommandError::Keyring { profile, error },
            VaultError::SecretUnreadable(error) => CommandError::SecretUnreadable { profile, error },
            VaultError::NothingSaved => self.nothing_saved(),
            VaultError::NoToken => CommandError::NoToken { others: self.other_profiles(&profile), profile },
            error @ VaultError::BadName { .. } => CommandError::Usage(error.to_string()),
            // An agent is named as people know it ("Claude Code"), not by its flag.
            VaultError::Shared { other, for_whom } => {
                let for_whom = <mcp::Client as clap::ValueEnum>::from_str(&for_whom, false)
                    .map_or(for_whom, |client| client.words().to_string());
                CommandError::Failed(VaultError::Shared { other, for_whom }.to_string())
            }
            VaultError::Already(storage) => CommandError::Usage(format!(
                "{}; nothing to move",
                storage::already(&profile, &format!("the {}", storage.as_str()))
            )),
        }
    }
}

/// Why a saved token cannot be used (sent, printed or exported), in words
/// that name where it is kept; the command that replaces it is the caller's
/// to add, run as the profile's invocation.
pub fn unusable(stored: &Stored, why: &str) -> String {
    format!(
        "the token saved in profile \"{}\" is not usable ({why}); nothing was sent or printed. It is kept in {}",
        stored.name,
        stored.place()
    )
}

/// What a command prints to stdout, and how it must be made safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stdout {
    /// Words: control characters are stripped at the boundary.
    Text(String),
    /// JSON: unsafe characters escaped, so the values stay exact.
    Json(String),
    /// A value another program reads as it is (the token), already checked.
    Raw(String),
}

/// What a command produced: stdout, warnings for stderr, the exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: Stdout,
    pub warnings: Vec<String>,
    pub code: u8,
}

impl Output {
    pub fn text(text: impl Into<String>) -> Output {
        Output { stdout: Stdout::Text(text.into()), warnings: Vec::new(), code: exit::OK }
    }

    pub fn json(text: impl Into<String>) -> Output {
        Output { stdout: Stdout::Json(text.into()), warnings: Vec::new(), code: exit::OK }
    }

    pub fn raw(text: impl Into<String>) -> Output {
        Output { stdout: Stdout::Raw(text.into()), warnings: Vec::new(), code: exit::OK }
    }

    pub(crate) fn warn(mut self, warnings: impl IntoIterator<Item = String>) -> Output {
        self.warnings.extend(warnings);
        self
    }

    pub fn code(mut self, code: u8) -> Output {
        self.code = code;
        self
    }
}

/// A one-thread runtime and a client, made only by the commands that talk to Trello.
pub(crate) fn online(endpoints: &Endpoints) -> Result<(tokio::runtime::Runtime, Client), CommandError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::Failed(format!("could not start: {e}")))?;
    let client = Client::new(&endpoints.api_base, ClientConfig::from_env())?;
    Ok((runtime, client))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_commands_name_a_profile_that_was_named() {
        let named = |name: &str, source| invocation(None, ProfileChoice { name: name.into(), source }.named());
        assert_eq!(named("work", ProfileSource::Flag), "trello-auth --profile work");
        assert_eq!(named("my work", ProfileSource::Environment), "trello-auth --profile 'my work'");
        // A bare command picks these by itself.
        assert_eq!(named("work", ProfileSource::Chosen), "trello-auth");
        assert_eq!(named("default", ProfileSource::BuiltIn), "trello-auth");
        let file = std::path::Path::new("/tmp/my dir/config.toml");
        assert_eq!(invocation(Some(file), Some("w")), "trello-auth --config '/tmp/my dir/config.toml' --profile w");
        // Errors write their commands with the invocation they are given.
        let run = "trello-auth --profile work";
        let no_token = CommandError::NoToken { profile: "work".into(), others: None };
        assert_eq!(
            no_token.words(run),
            "profile \"work\" has no token (it was logged out); run `trello-auth --profile work` or \
             `trello-auth --profile work login --with-token`"
        );
        let rejected = CommandError::Trello { error: TrelloError::InvalidToken, saved: true };
        assert!(rejected.words(run).ends_with("Run `trello-auth --profile work rotate`."), "{}", rejected.words(run));
        assert!(rejected.to_string().ends_with("Run `trello-auth rotate`."), "{rejected}");
    }

    #[test]
    fn the_flag_wins_then_the_environment_then_the_file() {
        let file = || Some("work".to_string());
        let r = ProfileChoice::resolve(Some("a"), Some("b".into()), file);
        assert_eq!((r.name.as_str(), r.source), ("a", ProfileSource::Flag));
        let r = ProfileChoice::resolve(None, Some("b".into()), file);
        assert_eq!((r.name.as_str(), r.source), ("b", ProfileSource::Environment));
        let r = ProfileChoice::resolve(None, None, file);
        assert_eq!((r.name.as_str(), r.source), ("work", ProfileSource::Chosen));
        let r = ProfileChoice::resolve(None, None, || None);
        assert_eq!((r.name.as_str(), r.source), ("default", ProfileSource::BuiltIn));
    }
}

#[cfg(test)]
mod save_fix_tests {
    use super::*;

    #[test]
    fn a_keyring_that_would_not_save_says_what_to_do_for_its_own_failure() {
        let said = |error| CommandError::KeyringSave { profile: "work".into(), error }.to_string();
        let unavailable = said(KeyringError::Unavailable { detail: "no bus".into() });
        assert!(unavailable.contains("fix: no keyring answers here: start one"), "{unavailable}");
        let locked = said(KeyringError::Locked { detail: "dismissed".into() });
        assert!(locked.contains("fix: unlock the keyring"), "{locked}");
        let refused = said(KeyringError::Refused { what: "token", detail: "x".into() });
        assert!(!refused.contains("run the command again"), "{refused}");
        for text in [unavailable, locked, refused] {
            assert!(text.contains("`trello-auth login --with-token --storage file`"), "{text}");
            assert!(text.starts_with("profile \"work\": ") && text.contains("; nothing was saved\n  fix: "), "{text}");
        }
    }
}
