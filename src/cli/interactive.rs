//! Starting the wizard: which front end, what this machine allows (browser, capture, keyring), and what is saved.
//!
//! The decisions are plain functions of their inputs, so they are unit-tested
//! here; `run` only gathers the inputs and hands over.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

use super::Cli;
use super::output::{eprint_clean, report, write};
use crate::commands::{CommandError, Context, Output, ProfileChoice, exit};
use crate::credentials::Profile;
use crate::credentials::vault::Vault;
use crate::desktop::Desktop;
use crate::environment::{NO_COLOR, PLAIN, TERM};
use crate::trello::Endpoints;
use crate::wizard::{self, Exit, Model, Setup};

pub const ROTATE_HELP: &str = "\
Opens the wizard at the token step with the saved key, app name, scopes and
expiration chosen. The new token must verify (and belong to the same Trello
member, or you are asked) before it is saved; the profile's default board stays.
Only then are you offered to revoke the old token.

Example:
  trello-auth rotate --profile work";

/// Why the wizard cannot start here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaunchError {
    #[error(
        "the wizard needs an interactive terminal (stdin and stdout must both be a terminal).\n\
         For scripts and CI: printf '%s' \"$TOKEN\" | trello-auth login --with-token --key KEY\n\
         To read what is saved: trello-auth status, trello-auth env"
    )]
    NotATerminal,
}

/// Why the plain, line-by-line wizard runs, if it does: asked for, or a
/// terminal that cannot draw (`TERM` dumb or unset: Emacs shell buffers, logs).
pub fn plain_reason(flag: bool, env_plain: bool, term: Option<&str>) -> Option<String> {
    if flag {
        return Some("--plain was given".into());
    }
    if env_plain {
        return Some(format!("{} is set", PLAIN.name));
    }
    match term {
        Some("dumb") => Some("TERM is dumb".into()),
        Some(_) => None,
        None => Some("TERM is not set".into()),
    }
}

/// Whether a wizard can run: both ends a terminal, or, in plain mode (which
/// prints lines, so its output may go to a log), stdin.
pub fn check_terminal(plain: bool, stdin: bool, stdout: bool) -> Result<(), LaunchError> {
    if stdin && (plain || stdout) { Ok(()) } else { Err(LaunchError::NotATerminal) }
}

/// The fixed facts of a run, from the command line and this machine.
pub fn setup(cli: &Cli, ctx: &Context, endpoints: Endpoints, desktop: Desktop, color: bool) -> Setup {
    let others = ctx.vault.load().ok().flatten().map(|l| l.config.profiles.into_keys().collect()).unwrap_or_default();
    setup_with(cli, &ctx.profile, others, ctx.vault.path(), endpoints, desktop, color)
}

/// [`setup`] with its inputs passed in.
pub fn setup_with(
    cli: &Cli,
    profile: &ProfileChoice,
    mut others: Vec<String>,
    config_path: &std::path::Path,
    endpoints: Endpoints,
    desktop: Desktop,
    color: bool,
) -> Setup {
    others.retain(|name| *name != profile.name);
    Setup {
        endpoints,
        profile: profile.name.clone(),
        profile_source: profile.source.words().to_string(),
        other_profiles: others,
        config_path: config_path.to_path_buf(),
        no_browser_reason: desktop.browser_unavailable(cli.no_browser),
        color,
        started_at: time::OffsetDateTime::now_utc(),
        capture_port: cli.callback_port,
        capture_off: desktop.capture_unavailable(cli.no_capture),
    }
}

/// The saved profile with its token and secret in memory, so the start
/// screen can verify and rotate can revoke. A missing keyring entry leaves the
/// token empty (rotate is the fix); a keyring that cannot be read stops here.
fn saved_with_secrets(ctx: &Context) -> Result<Option<Profile>, CommandError> {
    let Some(stored) = ctx.vault.stored(ctx.name())? else { return Ok(None) };
    stored.with_secrets(ctx.vault.waiting()).map(Some).map_err(|e| ctx.keyring_error(e))
}

/// The wizard: the start screen when something is saved, the setup otherwise,
/// or straight to the token step for `rotate`.
pub fn run(cli: &Cli, ctx: &Context, rotate: bool) -> u8 {
    let plain = plain_reason(cli.plain, PLAIN.is_on(), TERM.get().as_deref());
    if let Err(e) = check_terminal(plain.is_some(), std::io::stdin().is_terminal(), std::io::stdout().is_terminal()) {
        eprint_clean(&format!("trello-auth: {e}\n"));
        return exit::USAGE;
    }
    let saved = match saved_with_secrets(ctx) {
        Ok(saved) => saved,
        Err(e) => return report(&e),
    };
    let endpoints = match ctx.endpoints() {
        Ok(endpoints) => endpoints,
        Err(e) => return report(&e),
    };
    // The wizard draws on the terminal: a keyring that is slow says so on its screen, not on stderr.
    let vault = Vault::new(ctx.vault.store().clone(), Arc::new(|| {}));
    let setup = setup(cli, ctx, endpoints, Desktop::detect(), !NO_COLOR.is_set());
    let now = Instant::now();
    let model = match (rotate, saved) {
        (true, Some(profile)) => Model::rotate(setup, now, profile),
        (true, None) => return report(&ctx.nothing_saved()),
        (false, Some(profile)) => Model::start_screen(setup, now, profile),
        // A setup ends in a save, which would refuse the name: said before the steps, not after.
        (false, None) => match ctx.vault.check_name(ctx.name()) {
            Ok(()) => Model::new(setup, now),
            Err(e) => return report(&ctx.vault_error(e)),
        },
    };
    let desktop = Desktop::detect();
    let ran = match &plain {
        Some(why) => wizard::plain::run(model, vault, desktop, why),
        None => wizard::runtime::run(model, vault, desktop),
    };
    match ran {
        Ok(model) => match model.exit {
            Some(Exit::Saved) => {
                if let Some(line) = wizard::model::summary(&model) {
                    write(&Output::text(format!("{line}\n")));
                }
                exit::OK
            }
            Some(Exit::Left) => exit::OK,
            _ => {
                eprint_clean("trello-auth: quit before saving; nothing was written.\n");
                exit::REJECTED
            }
        },
        Err(e) => {
            eprint_clean(&format!("trello-auth: the terminal failed: {e}\n"));
            exit::REJECTED
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::ProfileSource;

    #[test]
    fn plain_mode_when_asked_or_when_the_terminal_cannot_draw() {
        assert_eq!(plain_reason(true, false, Some("xterm")).unwrap(), "--plain was given");
        assert_eq!(plain_reason(false, true, Some("xterm")).unwrap(), "TRELLO_AUTH_PLAIN is set");
        assert_eq!(plain_reason(false, false, Some("dumb")).unwrap(), "TERM is dumb");
        assert_eq!(plain_reason(false, false, None).unwrap(), "TERM is not set");
        assert_eq!(plain_reason(false, false, Some("xterm-256color")), None);
    }

    #[test]
    fn a_terminal_is_needed_at_both_ends_except_in_plain_mode() {
        assert_eq!(check_terminal(false, true, true), Ok(()));
        assert_eq!(check_terminal(false, true, false), Err(LaunchError::NotATerminal));
        assert_eq!(check_terminal(true, true, false), Ok(()));
        assert_eq!(check_terminal(true, false, true), Err(LaunchError::NotATerminal));
    }

    #[test]
    fn the_setup_follows_the_flags_and_the_machine() {
        let cli = <Cli as clap::Parser>::parse_from(["trello-auth", "--no-capture", "--callback-port", "9"]);
        let path = std::path::Path::new("/x/config.toml");
        let work = ProfileChoice { name: "work".into(), source: ProfileSource::Flag };
        let desk = Desktop { display: true, ssh: false };
        let others = vec!["default".to_string(), "work".to_string()];
        let s = setup_with(&cli, &work, others, path, Endpoints::default(), desk, true);
        assert_eq!(s.other_profiles, ["default"], "the others, not the one shown");
        assert_eq!(s.profile_source, "from --profile");
        assert_eq!(s.capture_off.as_deref(), Some("--no-capture was given"));
        assert_eq!(s.no_browser_reason, None);
        assert_eq!((s.capture_port, s.profile.as_str()), (9, "work"));
        let ssh = Desktop { display: false, ssh: true };
        let s = setup_with(
            &<Cli as clap::Parser>::parse_from(["trello-auth"]),
            &work,
            Vec::new(),
            path,
            Endpoints::default(),
            ssh,
            false,
        );
        assert!(s.capture_off.unwrap().contains("SSH session"));
        assert!(s.no_browser_reason.unwrap().contains("SSH session"));
    }
}
