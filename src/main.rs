//! The `trello-auth` binary: parses arguments, runs the chosen command, sets the exit status.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser};
use trello_auth::commands::{self, CommandError, exit};
use trello_auth::credentials::store::{Profile, Store};
use trello_auth::desktop::{Desktop, browser};
use trello_auth::trello::Endpoints;
use trello_auth::untrusted;
use trello_auth::wizard::{self, Exit, Model, Setup};

mod cli;

use cli::{Cli, Command};

fn main() -> ExitCode {
    // Before anything can read a secret into memory.
    trello_auth::hardening::disable_core_dumps();
    let args = Cli::parse();
    let store = match Store::locate(args.config.as_deref()) {
        Ok(store) => store,
        Err(e) => return fail(&CommandError::from(e)),
    };
    let code = match &args.command {
        None => interactive(&args, &store, false),
        Some(Command::Rotate) => interactive(&args, &store, true),
        Some(Command::Status(s)) => status(&args, &store, s),
        Some(Command::Env(e)) => env(&args, &store, e),
        Some(Command::Login(l)) => login(&args, &store, l),
        Some(Command::Logout(l)) => logout(&args, &store, l),
        Some(Command::Token(t)) => token(&args, &store, t),
        Some(Command::Exec(e)) => exec(&args, &store, e),
        Some(Command::Storage { to }) => storage(&args, &store, *to),
        Some(Command::Board { action }) => board(&args, &store, action.as_ref()),
        Some(Command::Mcp(m)) => mcp(&args, &store, m),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(*shell, &mut Cli::command(), "trello-auth", &mut std::io::stdout());
            exit::OK
        }
    };
    ExitCode::from(code)
}

fn fail(error: &CommandError) -> ExitCode {
    ExitCode::from(report(error))
}

fn report(error: &CommandError) -> u8 {
    eprint_clean(&format!("trello-auth: {error}\n"));
    error.exit_code()
}

fn warn(lines: &[String]) {
    for line in lines {
        eprint_clean(&format!("trello-auth: warning: {line}\n"));
    }
}

/// Every line for stderr passes here: messages quote names and text from
/// Trello and the config file, which must not drive the terminal.
fn eprint_clean(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(untrusted::for_terminal(text).as_bytes());
    let _ = err.flush();
}

/// Prints to stdout, control characters stripped; a closed pipe (`| head`)
/// is not an error worth a panic.
fn print(text: &str) {
    write_stdout(&untrusted::for_terminal(text));
}

/// JSON for stdout: unsafe characters escaped, so the value stays exact.
fn print_json(text: &str) {
    write_stdout(&untrusted::json_safe(text));
}

fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The API and web bases for a command that uses them, with a notice on
/// stderr for each one that is not Trello's own, every run.
fn endpoints() -> Result<Endpoints, CommandError> {
    let endpoints = Endpoints::from_env()?;
    for line in endpoints.notices() {
        eprint_clean(&format!("trello-auth: note: {line}\n"));
    }
    Ok(endpoints)
}

fn status(args: &Cli, store: &Store, s: &cli::StatusArgs) -> u8 {
    // Offline, nothing is sent anywhere: no base to check or announce.
    let endpoints = if s.offline { Ok(Endpoints::default()) } else { endpoints() };
    match endpoints.and_then(|e| commands::status::run(store, &e, &args.profile, s.all, s.offline)) {
        Ok(report) => {
            let now = time::OffsetDateTime::now_utc();
            warn(&commands::status::notes(&report));
            if s.json {
                print_json(&commands::status::render_json(&report, s.all, now));
            } else {
                print(&commands::status::render_text(&report, now));
            }
            report.exit_code()
        }
        Err(e) => report(&e),
    }
}

fn env(args: &Cli, store: &Store, e: &cli::EnvArgs) -> u8 {
    match commands::env::run(store, &args.profile, e.format, e.names, e.with_secret) {
        Ok(output) => {
            warn(&output.warnings);
            print(&output.stdout);
            exit::OK
        }
        Err(e) => report(&e),
    }
}

/// The token, from a pipe, or typed without echo at a terminal.
fn read_token() -> Result<String, CommandError> {
    if std::io::stdin().is_terminal() {
        eprint!("Paste the token (it will not be shown), then press Enter: ");
        return rpassword::read_password().map_err(|e| CommandError::Usage(format!("could not read the token: {e}")));
    }
    // A token is under 100 bytes; a cap keeps a wrong pipe from filling memory.
    let mut text = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| CommandError::Usage(format!("could not read the token from standard input: {e}")))?;
    Ok(text)
}

fn login(args: &Cli, store: &Store, l: &cli::LoginArgs) -> u8 {
    let result = endpoints().and_then(|endpoints| {
        let token = read_token()?;
        commands::login::run(store, &endpoints, &args.profile, l.key.clone(), l.app_name.clone(), l.storage, &token)
    });
    match result {
        Ok(outcome) => {
            warn(&outcome.warnings);
            print(&format!(
                "Logged in as {}; saved profile \"{}\" to {}.\n",
                outcome.verified.member.who(),
                args.profile,
                outcome.saved.path.display()
            ));
            exit::OK
        }
        Err(e) => report(&e),
    }
}

fn logout(args: &Cli, store: &Store, l: &cli::LogoutArgs) -> u8 {
    match endpoints().and_then(|e| commands::logout::run(store, &e, &args.profile, l.keep_remote, l.force)) {
        Ok(outcome) => {
            warn(&outcome.warnings);
            print(&format!(
                "Logged out of profile \"{}\": the token was {} and removed from {} and its backup.\n",
                args.profile,
                outcome.remote,
                outcome.saved.path.display()
            ));
            exit::OK
        }
        Err(e) => report(&e),
    }
}

fn token(args: &Cli, store: &Store, t: &cli::TokenArgs) -> u8 {
    match commands::token::run(store, &args.profile, std::io::stdout().is_terminal(), t.force) {
        // The token itself: printed as it is (it passed the shape check when saved).
        Ok(text) => {
            write_stdout(&text);
            exit::OK
        }
        Err(e) => report(&e),
    }
}

fn exec(args: &Cli, store: &Store, e: &cli::ExecArgs) -> u8 {
    match commands::exec::prepare(store, &args.profile, e.names, e.with_secret, &e.command) {
        Ok((command, warnings)) => {
            warn(&warnings);
            let (code, message) = commands::exec::replace_with(command);
            if !message.is_empty() {
                eprint_clean(&format!("trello-auth: {message}\n"));
            }
            code
        }
        Err(e) => report(&e),
    }
}

fn mcp(args: &Cli, store: &Store, m: &cli::McpArgs) -> u8 {
    use trello_auth::commands::mcp;
    let entry =
        match mcp::entry(store, &args.profile, m.client, m.server.as_deref(), m.name.as_deref(), m.inline_secrets) {
            Ok(entry) => entry,
            Err(e) => return report(&e),
        };
    warn(&entry.warnings);
    let Some(path) = &m.write else {
        // The snippet holds no secret unless --inline-secrets asked for it.
        write_stdout(&untrusted::json_safe(&mcp::snippet(&entry)));
        return exit::OK;
    };
    let path = if path.as_os_str().is_empty() { m.client.default_path() } else { Some(path.clone()) };
    let Some(path) = path else {
        return report(&CommandError::Usage("no config folder is known here: give the file, --write PATH".into()));
    };
    match mcp::write(&entry, &path) {
        Ok(written) => {
            let backup =
                written.backup.map(|b| format!(" (previous file kept as {})", b.display())).unwrap_or_default();
            let verb = if written.replaced { "Replaced" } else { "Added" };
            print(&format!(
                "{verb} the MCP server \"{}\" in {}{backup}; other servers and settings are unchanged, the file is \
                 re-indented.\n",
                entry.name,
                written.path.display()
            ));
            exit::OK
        }
        Err(e) => report(&e),
    }
}

fn board(args: &Cli, store: &Store, action: Option<&cli::BoardAction>) -> u8 {
    let result = match action {
        None => commands::board::show(store, &args.profile),
        Some(cli::BoardAction::Clear) => commands::board::clear(store, &args.profile)
            .map(|_| format!("Profile \"{}\" has no default board now.\n", args.profile)),
        Some(cli::BoardAction::Set { board }) => endpoints().and_then(|e| {
            commands::board::set(store, &e, &args.profile, board).map(|(board, _)| {
                format!(
                    "Default board of profile \"{}\": {} ({}); exported as TRELLO_BOARD_ID.\n",
                    args.profile, board.name, board.id
                )
            })
        }),
    };
    match result {
        Ok(text) => {
            print(&text);
            exit::OK
        }
        Err(e) => report(&e),
    }
}

fn storage(args: &Cli, store: &Store, to: trello_auth::credentials::store::Storage) -> u8 {
    match commands::storage::run(store, &args.profile, to) {
        Ok(saved) => {
            let place = match to {
                trello_auth::credentials::store::Storage::Keyring => {
                    "the system keyring (service trello-auth); the config file and its backup no longer hold it"
                        .to_string()
                }
                trello_auth::credentials::store::Storage::File => format!("{}", saved.path.display()),
            };
            print(&format!("Moved the token of profile \"{}\" to {place}.\n", args.profile));
            exit::OK
        }
        Err(e) => report(&e),
    }
}

/// A keyring profile with its token and secret read into memory, so the
/// start screen can verify and rotate can revoke. A missing entry leaves the
/// token empty (rotate is the fix); a keyring that cannot be read stops here.
fn with_keyring_secrets(mut profile: Profile, name: &str) -> Result<Profile, CommandError> {
    use trello_auth::credentials::keyring::KeyringError;
    use trello_auth::credentials::profiles;
    let waiting = commands::keyring_waiting();
    let failed = |error| CommandError::Keyring { profile: name.to_string(), error };
    profile.token = match profiles::token(&profile, name, &waiting) {
        Ok(token) => token,
        Err(KeyringError::Missing { .. }) => None,
        Err(e) => return Err(failed(e)),
    };
    profile.api_secret = profiles::api_secret(&profile, name, &waiting).map_err(failed)?;
    Ok(profile)
}

/// Why the plain, line-by-line wizard runs, if it does: asked for, or a
/// terminal that cannot draw (`TERM` dumb or unset: Emacs shell buffers, logs).
fn plain_reason(flag: bool) -> Option<String> {
    if flag {
        return Some("--plain was given".into());
    }
    if std::env::var("TRELLO_AUTH_PLAIN").is_ok_and(|v| !v.is_empty() && v != "0") {
        return Some("TRELLO_AUTH_PLAIN is set".into());
    }
    match std::env::var("TERM") {
        Ok(term) if term == "dumb" => Some("TERM is dumb".into()),
        Ok(term) if !term.is_empty() => None,
        _ => Some("TERM is not set".into()),
    }
}

/// Why the token will be pasted rather than caught from the browser, if so.
fn capture_off_reason(desktop: Desktop, disabled_by_flag: bool) -> Option<String> {
    if disabled_by_flag {
        Some("--no-capture was given".into())
    } else if desktop.ssh && !desktop.display {
        Some(
            "this is an SSH session without a display: a browser elsewhere cannot reach this machine's 127.0.0.1"
                .into(),
        )
    } else {
        None
    }
}

/// The wizard: the start screen when something is saved, the setup otherwise,
/// or straight to the token step for `rotate`.
fn interactive(args: &Cli, store: &Store, rotate: bool) -> u8 {
    let plain = plain_reason(args.plain);
    // Plain mode prints lines, so its output may go to a log; it still asks questions.
    let stdout_ok = plain.is_some() || std::io::stdout().is_terminal();
    if !std::io::stdin().is_terminal() || !stdout_ok {
        eprintln!(
            "trello-auth: the wizard needs an interactive terminal (stdin and stdout must both be a terminal).\n\
             For scripts and CI: printf '%s' \"$TOKEN\" | trello-auth login --with-token --key KEY\n\
             To read what is saved: trello-auth status, trello-auth env"
        );
        return exit::USAGE;
    }
    let saved: Option<Profile> = match store.profile(&args.profile) {
        Ok(p) => p,
        Err(e) => return report(&e.into()),
    };
    let saved = match saved.map(|p| with_keyring_secrets(p, &args.profile)).transpose() {
        Ok(saved) => saved,
        Err(e) => return report(&e),
    };
    let endpoints = match endpoints() {
        Ok(endpoints) => endpoints,
        Err(e) => return report(&e),
    };
    let desktop = Desktop::detect();
    let setup = Setup {
        endpoints,
        profile: args.profile.clone(),
        config_path: store.path().to_path_buf(),
        no_browser_reason: browser::unavailable_reason(desktop, args.no_browser),
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        started_at: time::OffsetDateTime::now_utc(),
        capture_port: args.callback_port,
        capture_off: capture_off_reason(desktop, args.no_capture),
    };
    let now = Instant::now();
    let model = match (rotate, saved) {
        (true, Some(profile)) => Model::rotate(setup, now, profile),
        (true, None) => {
            return report(&CommandError::NothingSaved { profile: args.profile.clone(), path: store.path().into() });
        }
        (false, Some(profile)) => Model::start_screen(setup, now, profile),
        (false, None) => Model::new(setup, now),
    };
    let ran = match &plain {
        Some(why) => wizard::plain::run(model, store.clone(), desktop, why),
        None => wizard::runtime::run(model, store.clone(), desktop),
    };
    match ran {
        Ok(model) => match model.exit {
            Some(Exit::Saved) => {
                if let Some(line) = wizard::model::summary(&model) {
                    print(&format!("{line}\n"));
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
