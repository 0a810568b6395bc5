//! Starting the wizard: which front end, what this machine allows (browser, capture, keyring), and what is saved.
//!
//! The decisions are plain functions of their inputs, so they are unit-tested
//! here; `run` only gathers the inputs and hands over.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

use super::output::{eprint_clean, report_for, write};
use crate::commands::{CommandError, Context, Output, ProfileChoice, exit, mcp};
use crate::credentials::Profile;
use crate::credentials::vault::Vault;
use crate::desktop::Desktop;
use crate::environment::{NO_COLOR, PLAIN, TERM};
use crate::trello::Endpoints;
use crate::wizard::model::AgentFlow;
use crate::wizard::{self, Exit, Model, Setup};

pub(crate) const ROTATE_HELP: &str = "\
Opens the wizard at the token step with the saved key, app name, scopes and
expiration chosen. The new token must verify (and belong to the same Trello
member, or you are asked) before it is saved. The profile's default board stays,
unless the token is another member's: then it is cleared.
Only then are you offered to revoke the old token.

Example:
  trello-auth rotate --profile work";

/// The wizard's own flags: `trello-auth` and `trello-auth rotate` take them,
/// and no other command, since no other command starts a wizard.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct WizardFlags {
    /// The plain, line-by-line wizard (screen readers, dumb terminals, logs, answers from a
    /// pipe); also TRELLO_AUTH_PLAIN=1, and on its own when TERM is dumb or unset.
    #[arg(long)]
    pub plain: bool,

    /// Never try to open a browser; show and copy URLs instead.
    #[arg(long)]
    pub no_browser: bool,

    /// Do not catch the token from the browser; paste it instead.
    #[arg(long)]
    pub no_capture: bool,

    /// Port of the 127.0.0.1 listener that catches the token (list http://127.0.0.1:PORT
    /// under the key's Allowed origins).
    #[arg(long, env = crate::environment::CALLBACK_PORT.name, hide_env_values = true, value_name = "PORT",
          default_value_t = crate::capture::DEFAULT_PORT)]
    pub callback_port: u16,
}

impl WizardFlags {
    /// These flags given after `rotate`, with those given before it: either
    /// place turns a switch on, and a port given after `rotate` wins.
    pub fn or(&self, before: &WizardFlags) -> WizardFlags {
        WizardFlags {
            plain: self.plain || before.plain,
            no_browser: self.no_browser || before.no_browser,
            no_capture: self.no_capture || before.no_capture,
            callback_port: if self.callback_port == crate::capture::DEFAULT_PORT {
                before.callback_port
            } else {
                self.callback_port
            },
        }
    }
}

/// Why the wizard cannot start here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LaunchError {
    /// `args`: the command that was run (`rotate`, or nothing for the setup),
    /// so the plain form suggested is the same command.
    NotATerminal { args: &'static str },
}

impl LaunchError {
    /// The message, each command it suggests run as `run`.
    pub fn words(&self, run: &str) -> String {
        let command = |args: &str| crate::advice::command(run, args);
        match self {
            LaunchError::NotATerminal { args } => format!(
                "the wizard needs an interactive terminal (stdin and stdout must both be a terminal).\n\
                 For scripts and CI: `printf '%s' \"$TOKEN\" | {run} login --with-token --key KEY`\n\
                 For answers from a pipe or a file: {}\n\
                 To read what is saved: {}, {}",
                command(format!("{args} --plain < answers.txt").trim_start()),
                command("status"),
                command("env")
            ),
        }
    }
}

impl std::fmt::Display for LaunchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words("trello-auth"))
    }
}

/// The plain, line-by-line wizard, and why it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    /// For its first line: "--plain was given", "TERM is dumb".
    pub why: String,
    /// Asked for (`--plain`, `TRELLO_AUTH_PLAIN`), not chosen because the
    /// terminal cannot draw: only then may its answers come from a pipe.
    pub asked: bool,
}

/// Why the plain, line-by-line wizard runs, if it does: asked for, or a
/// terminal that cannot draw (`TERM` dumb or unset: Emacs shell buffers, logs).
pub(crate) fn plain_reason(flag: bool, env_plain: bool, term: Option<&str>) -> Option<Plain> {
    let plain = |why: String, asked| Some(Plain { why, asked });
    if flag {
        return plain("--plain was given".into(), true);
    }
    if env_plain {
        return plain(format!("{} is set", PLAIN.name), true);
    }
    match term {
        Some("dumb") => plain("TERM is dumb".into(), false),
        Some(_) => None,
        None => plain("TERM is not set".into(), false),
    }
}

/// Whether a wizard can run: both ends a terminal; in plain mode (which
/// prints lines, so its output may go to a log) stdin; and in plain mode
/// asked for, anything (answers from a pipe: a script, a test, a screen
/// reader's helper). Plain mode that only came on by itself still wants a
/// terminal: a job that runs `trello-auth` with TERM unset and stdin closed
/// is told so, not walked through a wizard no one reads.
pub(crate) fn check_terminal(
    plain: Option<&Plain>,
    stdin: bool,
    stdout: bool,
    args: &'static str,
) -> Result<(), LaunchError> {
    match plain {
        Some(Plain { asked: true, .. }) => Ok(()),
        Some(_) if stdin => Ok(()),
        None if stdin && stdout => Ok(()),
        _ => Err(LaunchError::NotATerminal { args }),
    }
}

/// The fixed facts of a run, from the command line and this machine.
pub fn setup(flags: &WizardFlags, ctx: &Context, endpoints: Endpoints, desktop: Desktop, color: bool) -> Setup {
    let others = ctx.vault.load().ok().flatten().map(|l| l.config.profiles.into_keys().collect()).unwrap_or_default();
    let mut setup = setup_with(flags, &ctx.profile, others, ctx.vault.path(), endpoints, desktop, color);
    setup.run = ctx.invocation();
    setup.named_config = ctx.named_config().map(std::path::Path::to_path_buf);
    setup
}

/// [`setup`] with its inputs passed in.
pub(crate) fn setup_with(
    flags: &WizardFlags,
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
        plain: false,
        run: crate::commands::invocation(None, profile.named()),
        named_config: None,
        config_path: config_path.to_path_buf(),
        no_browser_reason: desktop.browser_unavailable(flags.no_browser),
        color,
        started_at: time::OffsetDateTime::now_utc(),
        capture_port: flags.callback_port,
        capture_off: desktop.capture_unavailable(flags.no_capture),
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
pub fn run(flags: &WizardFlags, ctx: &Context, rotate: bool) -> u8 {
    let plain = match front_end(flags, ctx, if rotate { "rotate" } else { "" }) {
        Ok(plain) => plain,
        Err(code) => return code,
    };
    let saved = match saved_with_secrets(ctx) {
        Ok(saved) => saved,
        Err(e) => return report_for(&ctx.invocation(), &e),
    };
    let endpoints = match ctx.endpoints() {
        Ok(endpoints) => endpoints,
        Err(e) => return report_for(&ctx.invocation(), &e),
    };
    // The wizard draws on the terminal: a keyring that is slow says so on its screen, not on stderr.
    let vault = Vault::new(ctx.vault.store().clone(), Arc::new(|| {}));
    let setup = setup(flags, ctx, endpoints, Desktop::detect(), !NO_COLOR.is_set());
    let now = Instant::now();
    let model = match (rotate, saved) {
        (true, Some(profile)) => {
            let parent = profile.agent().and_then(|agent| ctx.vault.stored(&agent.parent).ok().flatten());
            let revoke_with = parent.and_then(|parent| ctx.credentials_to_send(&parent).ok());
            let mut model = Model::rotate(setup, now, profile);
            model.rotation.revoke_with = revoke_with;
            model
        }
        (true, None) => return report_for(&ctx.invocation(), &ctx.nothing_saved()),
        (false, Some(profile)) => Model::start_screen(setup, now, profile),
        // A setup ends in a save, which would refuse the name: said before the steps, not after.
        (false, None) => match ctx.vault.check_name(ctx.name()) {
            Ok(()) => {
                let mut model = Model::new(setup, now);
                // A second profile of the same file is offered the key the others use.
                if let Some(key) = key_of_another(ctx) {
                    model.form.key = tui_input::Input::new(key);
                }
                model
            }
            Err(e) => return report_for(&ctx.invocation(), &ctx.vault_error(e)),
        },
    };
    match drive(model, vault, plain.as_ref()) {
        Ok(model) => match model.exit {
            Some(Exit::Saved) => {
                // The full screen is gone when it ends: what was saved is said
                // on the normal screen. The plain wizard has just said it.
                if plain.is_none()
                    && let Some(line) = wizard::model::summary(&model)
                {
                    write(&Output::text(format!("{line}\n")));
                }
                exit::OK
            }
            Some(Exit::Left) => exit::OK,
            _ => {
                eprint_clean("trello-auth: quit before saving; nothing was written.\n");
                if let Some(parting) = wizard::model::parting(&model) {
                    eprint_clean(&format!("{parting}\n"));
                }
                exit::REJECTED
            }
        },
        Err(e) => {
            eprint_clean(&format!("trello-auth: the terminal failed: {e}\n"));
            exit::REJECTED
        }
    }
}

/// The API key the file's other profiles use (the default one's first), for a new profile.
fn key_of_another(ctx: &Context) -> Option<String> {
    let config = ctx.vault.load().ok().flatten()?.config;
    let default = config.default_profile.clone().unwrap_or_else(|| crate::credentials::store::DEFAULT_PROFILE.into());
    let first = config.profiles.get(&default).into_iter().chain(config.profiles.values());
    first.map(|p| p.api_key.clone()).find(|k| !k.is_empty())
}

/// Which front end runs here (plain, and why), or the exit status after
/// saying why no wizard can run.
fn front_end(flags: &WizardFlags, ctx: &Context, args: &'static str) -> Result<Option<Plain>, u8> {
    let plain = plain_reason(flags.plain, PLAIN.is_on(), TERM.get().as_deref());
    match check_terminal(plain.as_ref(), std::io::stdin().is_terminal(), std::io::stdout().is_terminal(), args) {
        Ok(()) => Ok(plain),
        Err(e) => {
            eprint_clean(&format!("trello-auth: {}\n", e.words(&ctx.invocation())));
            Err(exit::USAGE)
        }
    }
}

/// Runs the wizard in the chosen front end until it ends.
fn drive(model: Model, vault: Vault, plain: Option<&Plain>) -> std::io::Result<Model> {
    let desktop = Desktop::detect();
    match plain {
        // Asked for, it says only how to get help; come on by itself, why it runs.
        Some(plain) => wizard::plain::run(model, vault, desktop, (!plain.asked).then_some(plain.why.as_str())),
        None => wizard::runtime::run(model, vault, desktop),
    }
}

/// `mcp CLIENT`: whose token the agent gets (asked once in a terminal, own
/// token first), the agent's own token authorized when it has none (the
/// token step here, or stdin without a terminal), then the entry, naming the
/// agent's profile or this one.
pub fn mcp(flags: &WizardFlags, ctx: &Context, args: &mcp::Args) -> u8 {
    let run = ctx.invocation();
    let asking = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let offered = args.write.is_some() && !args.inline_secrets && !args.official && !args.token.shared_token;
    let own = args.token.own_token || (offered && asking && ask_own_token(args.client));
    if !own {
        let result = mcp::run(ctx, args).map(|output| {
            // Without a terminal nothing was asked: how to give the agent its own is said.
            let hint = (offered && !asking).then(|| {
                format!(
                    "{} gets profile \"{}\"'s own token, the one you use; to give it a token of its own (its own \
                     scopes and expiry, revocable alone): `{run} mcp {} --write --own-token` in a terminal, or with \
                     that token on stdin",
                    args.client.words(),
                    crate::untrusted::line(ctx.name()),
                    args.client.flag()
                )
            });
            output.warn(hint)
        });
        return finish(&run, result);
    }
    let plan = match mcp::agent::plan(ctx, args.client, &args.token) {
        Ok(plan) => plan,
        Err(e) => return report_for(&run, &e),
    };
    let agent = ctx.for_profile(&plan.name);
    let mut said = Vec::new();
    if plan.existing {
        said.push(format!(
            "{} already has its own token, profile \"{}\": the entry names it (`{} rotate` renews it)",
            args.client.words(),
            crate::untrusted::line(&plan.name),
            agent.invocation()
        ));
    } else if std::io::stdin().is_terminal() {
        let code = authorize(flags, ctx, &agent, &plan, args.client);
        if code != exit::OK {
            return code;
        }
    } else {
        match mcp::agent::from_stdin(ctx, &plan) {
            Ok(lines) => said.extend(lines),
            Err(e) => return report_for(&run, &e),
        }
    }
    let saved = mcp::agent::saved_words(ctx, &plan, args.client);
    let result = mcp::run(&agent, args).map(|output| {
        let stdout = match output.stdout {
            crate::commands::Stdout::Text(text) => crate::commands::Stdout::Text(format!("{saved}{text}")),
            other => other,
        };
        Output { stdout, ..output }.warn(said)
    });
    finish(&agent.invocation(), result)
}

/// The agent's own token through the wizard's token step; the exit status.
fn authorize(flags: &WizardFlags, ctx: &Context, agent: &Context, plan: &mcp::agent::Plan, client: mcp::Client) -> u8 {
    let plain = match front_end(flags, agent, "") {
        Ok(plain) => plain,
        Err(code) => return code,
    };
    let endpoints = match ctx.endpoints() {
        Ok(endpoints) => endpoints,
        Err(e) => return report_for(&agent.invocation(), &e),
    };
    let vault = Vault::new(ctx.vault.store().clone(), Arc::new(|| {}));
    let setup = setup(flags, agent, endpoints, Desktop::detect(), !NO_COLOR.is_set());
    let flow = AgentFlow {
        agent: plan.agent.clone(),
        client: client.words().to_string(),
        member_id: plan.parent.member_id.clone(),
        who: plan.parent.who(),
        storage: plan.parent.storage,
    };
    let model = Model::agent(setup, Instant::now(), &plan.parent, flow, plan.scopes, plan.expiration);
    match drive(model, vault, plain.as_ref()) {
        Ok(model) if model.exit == Some(Exit::Saved) => exit::OK,
        Ok(_) => {
            eprint_clean("trello-auth: quit before the agent's token was saved; nothing was written.\n");
            exit::REJECTED
        }
        Err(e) => {
            eprint_clean(&format!("trello-auth: the terminal failed: {e}\n"));
            exit::REJECTED
        }
    }
}

/// Asks once whether `client` gets a token of its own (the default) or this profile's.
fn ask_own_token(client: mcp::Client) -> bool {
    let question = format!(
        "Give {} a token of its own (its own scopes and expiry, revocable alone; authorized now in your browser), or \
         this profile's own token? [O]wn / [s]hared: ",
        client.words()
    );
    !matches!(answer(&question).trim().to_lowercase().as_str(), "s" | "shared")
}

/// Asks `question` (ending in `[y/N] `) in a terminal: yes only for `y` or
/// `yes`. `None` when stdin or stderr is not a terminal: nothing is asked,
/// and a script or CI goes on as told (see [`crate::commands::Ask`]).
pub fn ask(question: &str) -> Option<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    Some(matches!(answer(question).trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Writes `question` on stderr and reads one line of answer; a closed or
/// failing terminal answers nothing, which each question takes as its default.
fn answer(question: &str) -> String {
    use std::io::{BufRead, Read};
    eprint_clean(question);
    let mut answer = String::new();
    let _ = std::io::stdin().lock().take(256).read_line(&mut answer);
    answer
}

/// Prints a command's result; its exit status.
fn finish(run: &str, result: Result<Output, CommandError>) -> u8 {
    match result {
        Ok(output) => super::output::write_for(run, &output),
        Err(e) => report_for(run, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use crate::commands::ProfileSource;

    #[test]
    fn plain_mode_when_asked_or_when_the_terminal_cannot_draw() {
        let reason = |flag, env, term| plain_reason(flag, env, term).map(|p| (p.why, p.asked));
        assert_eq!(reason(true, false, Some("xterm")).unwrap(), ("--plain was given".into(), true));
        assert_eq!(reason(false, true, Some("xterm")).unwrap(), ("TRELLO_AUTH_PLAIN is set".into(), true));
        assert_eq!(reason(false, false, Some("dumb")).unwrap(), ("TERM is dumb".into(), false));
        assert_eq!(reason(false, false, None).unwrap(), ("TERM is not set".into(), false));
        assert_eq!(plain_reason(false, false, Some("xterm-256color")), None);
    }

    #[test]
    fn a_terminal_is_needed_at_both_ends_except_in_plain_mode() {
        let asked = plain_reason(true, false, Some("xterm"));
        let by_itself = plain_reason(false, false, Some("dumb"));
        assert_eq!(check_terminal(None, true, true, ""), Ok(()));
        assert_eq!(check_terminal(None, true, false, "rotate"), Err(LaunchError::NotATerminal { args: "rotate" }));
        assert_eq!(check_terminal(by_itself.as_ref(), true, false, ""), Ok(()));
        assert_eq!(check_terminal(by_itself.as_ref(), false, true, ""), Err(LaunchError::NotATerminal { args: "" }));
        // Asked for: answers may come from a pipe, and the lines go anywhere.
        assert_eq!(check_terminal(asked.as_ref(), false, true, ""), Ok(()));
        assert_eq!(check_terminal(asked.as_ref(), false, false, ""), Ok(()));
    }

    #[test]
    fn wizard_flags_before_and_after_rotate_add_up() {
        let flags = |args: &[&str]| -> WizardFlags {
            let cli = <Cli as clap::Parser>::parse_from(args);
            match cli.command {
                Some(super::super::Command::Rotate(after)) => after.or(&cli.wizard),
                _ => cli.wizard,
            }
        };
        let both = flags(&["trello-auth", "--plain", "rotate", "--no-browser", "--callback-port", "9"]);
        assert!(both.plain && both.no_browser && !both.no_capture && both.callback_port == 9);
        let before = flags(&["trello-auth", "--callback-port", "8", "--no-capture", "rotate"]);
        assert!(before.no_capture && before.callback_port == 8);
        // Nowhere else: no other command takes them.
        assert!(<Cli as clap::Parser>::try_parse_from(["trello-auth", "status", "--plain"]).is_err());
    }

    #[test]
    fn the_setup_follows_the_flags_and_the_machine() {
        let cli = <Cli as clap::Parser>::parse_from(["trello-auth", "--no-capture", "--callback-port", "9"]).wizard;
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
            &<Cli as clap::Parser>::parse_from(["trello-auth"]).wizard,
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
