//! The command line: one clap definition drives parsing, `--help`, the man page and completions; each command's arguments live with the command.

mod interactive;
mod man;
mod output;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand};

pub use interactive::Plain;
pub(crate) use interactive::WizardFlags;
use output::{eprint_clean, report, write};

use crate::commands::{self, CommandError, Context, exit};
// An empty or odd profile name is refused as `--profile` and TRELLO_AUTH_PROFILE are read.
use crate::credentials::profile::parse_name as profile_name;
use crate::credentials::store::Store;

const ABOUT: &str = "Get, verify, store and rotate Trello API credentials (API key + user token).";

/// What running the program does, beyond [`ABOUT`]: the help's first
/// paragraph and the man page's DESCRIPTION.
const DESCRIPTION: &str = "\
Run without a command in a terminal: with nothing saved it opens the setup wizard
(portal, Power-Up, API key, token, verify); with credentials saved it shows who you
are logged in as and offers to verify, rotate, choose a default board or set up again.";

/// The files and places credentials are kept, and what each holds: the
/// help's table and the man page's FILES.
const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/trello-auth/config.toml",
        "the profiles (mode 0600; ~/.config without XDG_CONFIG_HOME), or the file --config or TRELLO_AUTH_CONFIG \
         names",
    ),
    ("config.toml.bak", "beside it: the file before the last change, without a secret that change removed"),
    ("the system keyring", "a profile's token and API secret, when kept there (`trello-auth storage keyring`)"),
];

/// The top level's examples: the help's and the man page's EXAMPLES.
// No `\` after the opening quote: it would eat the first line's indent.
const EXAMPLES: &str = "  trello-auth                set up, or manage what is saved
  eval \"$(trello-auth env)\"  export TRELLO_API_KEY and TRELLO_TOKEN
  trello-auth status         check the saved token with Trello";

/// [`FILES`] as the help shows it: one place a line.
fn files_table() -> String {
    let width = FILES.iter().map(|(place, _)| place.len()).max().unwrap_or(0);
    FILES.iter().map(|(place, what)| format!("  {place:<width$}  {what}")).collect::<Vec<_>>().join("\n")
}

/// The short help after the options.
fn after_help() -> String {
    format!("{DESCRIPTION}\n\nFiles:\n{}\n\nExamples:\n{EXAMPLES}", files_table())
}

/// The long help: the short one, then every environment variable read and
/// every exit status, from their one tables.
fn after_long_help() -> String {
    format!(
        "{}\n\nEnvironment:\n{}\n\nExit status, the same for every command:\n{}",
        after_help(),
        crate::environment::help_table(),
        exit::help_table()
    )
}

#[derive(Debug, Parser)]
// term_width 0: the help keeps its source lines, so an example is never
// broken in two (a copied half would not run) and the tables stay tables.
#[command(name = "trello-auth", version, about = ABOUT, after_help = after_help(), after_long_help = after_long_help(),
          term_width = 0, disable_help_subcommand = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Which saved profile to use (also TRELLO_AUTH_PROFILE; else the one chosen
    /// with `profile use`, else "default").
    #[arg(long, global = true, value_name = "NAME", value_parser = profile_name, value_hint = clap::ValueHint::Other)]
    pub profile: Option<String>,

    /// Config file to read and write instead of the default location.
    #[arg(long, global = true, env = crate::environment::CONFIG.name, hide_env_values = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub wizard: WizardFlags,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Authorize a new token in the wizard, then revoke the old one.
    #[command(after_help = interactive::ROTATE_HELP)]
    Rotate(WizardFlags),
    /// Show what is saved, which profile and why, and check it with Trello.
    Status(commands::status::Args),
    /// Print the saved credentials as environment variables.
    Env(commands::env::Args),
    /// Save credentials without the wizard (for CI and scripts); the token comes from stdin.
    Login(commands::login::Args),
    /// Revoke the token at Trello and remove it from the config file.
    Logout(commands::logout::Args),
    /// Print the saved token alone, for $(…) and credential helpers.
    Token(commands::token::Args),
    /// Run a command with the credentials in its environment only.
    Exec(commands::exec::Args),
    /// Move a profile's token and secret between the config file and the keyring.
    Storage(commands::storage::Args),
    /// Show, set or clear the profile's default board (exported as TRELLO_BOARD_ID).
    Board(commands::board::Args),
    /// List the saved profiles, or choose the one used by default.
    Profile(commands::profile::Args),
    /// An AI agent's MCP server entry that runs the server through `trello-auth exec`.
    Mcp(McpArgs),
    /// Install, check or update the pinned MCP server the entries run.
    McpServer(commands::mcp_server::Args),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), built from this same definition.
    #[command(after_help = MAN_HELP)]
    Man,
    /// Print this help, or a command's.
    #[command(after_help = HELP_HELP)]
    Help {
        /// The command (and subcommand) whose help to print.
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },
}

const HELP_HELP: &str = "\
Examples:
  trello-auth help
  trello-auth help mcp
  trello-auth help profile use";

/// `mcp`'s arguments, and the wizard's flags for authorizing an agent's own token (`--own-token` in a terminal).
#[derive(Debug, Clone, clap::Args)]
pub struct McpArgs {
    #[command(flatten)]
    pub mcp: commands::mcp::Args,
    #[command(flatten, next_help_heading = "Authorizing the agent's own token in a terminal")]
    pub wizard: WizardFlags,
}

const COMPLETIONS_HELP: &str = "\
Examples:
  mkdir -p ~/.local/share/bash-completion/completions
  trello-auth completions bash > ~/.local/share/bash-completion/completions/trello-auth
  mkdir -p ~/.config/fish/completions
  trello-auth completions fish > ~/.config/fish/completions/trello-auth.fish
  mkdir -p ~/.zfunc
  trello-auth completions zsh > ~/.zfunc/_trello-auth
  echo 'fpath+=~/.zfunc; autoload -Uz compinit; compinit' >> ~/.zshrc
  mkdir -p ~/.config/elvish/lib
  trello-auth completions elvish > ~/.config/elvish/lib/trello-auth.elv
  echo 'use trello-auth' >> ~/.config/elvish/rc.elv";

const MAN_HELP: &str = "\
`man` looks for pages beside each folder on PATH (for ~/.cargo/bin, in
~/.cargo/share/man and ~/.cargo/man), so the page is installed beside the
trello-auth that PATH finds; a prefix you cannot write to (/usr/local) needs
sudo. A MANPATH you set replaces that search unless it starts or ends with `:`.

Examples:
  trello-auth man | man -l -
  p=$(command -v trello-auth) && mkdir -p \"${p%/*/*}/share/man/man1\" && trello-auth man > \"${p%/*/*}/share/man/man1/trello-auth.1\"
  man trello-auth";

/// Commands on which `--profile` and `--config` mean nothing: they print
/// text that is the same whichever profile or file is in use.
const WITHOUT_PROFILE: [&str; 3] = ["completions", "man", "help"];

/// The one definition of the command line, which parsing, `--help`, the
/// completions and the man page all read: the derive's, with the global
/// options (`--profile`, `--config`) given to every command but
/// [`WITHOUT_PROFILE`]. clap has no per-command way to leave a global out
/// (a hidden copy is still completed), so they are global within each
/// command that takes them, and clap carries a value given there up to
/// [`Cli`], as it does for a global.
pub fn definition() -> clap::Command {
    let cli = Cli::command();
    let globals: Vec<clap::Arg> = cli.get_arguments().filter(|arg| arg.is_global_set()).cloned().collect();
    // In place (mut_args, mut_subcommands), so the order of options and commands stays the derive's.
    cli.mut_args(|arg| if arg.is_global_set() { arg.global(false) } else { arg })
        .mut_subcommands(|sub| if WITHOUT_PROFILE.contains(&sub.get_name()) { sub } else { sub.args(globals.clone()) })
}

/// The command line parsed by [`definition`].
fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let mut matches = definition().try_get_matches_from(args)?;
    <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut definition()))
}

/// Parses the command line and runs it; the exit status. A parse error
/// quotes what was typed (`invalid value 'x…' for '--profile'`), which may
/// hold control characters or a pasted credential: it goes out scrubbed,
/// through the same filter as every other line on stderr.
pub fn main() -> u8 {
    let args: Vec<OsString> = std::env::args_os().collect();
    match parse(&args) {
        Ok(cli) => run(cli),
        Err(e) if !e.use_stderr() => {
            // --help and --version: our own text, to stdout.
            let _ = e.print();
            exit::OK
        }
        Err(mut e) => {
            if let Some(tip) = tip(&e, &args) {
                let mut tips = match e.get(ContextKind::Suggested) {
                    Some(ContextValue::StyledStrs(tips)) => tips.clone(),
                    _ => Vec::new(),
                };
                tips.push(tip.into());
                e.insert(ContextKind::Suggested, ContextValue::StyledStrs(tips));
            }
            // A token given where a name goes (`--profile ATTA…`) is not repeated.
            eprint_clean(&crate::credentials::secret::scrub(&e.to_string(), &[]));
            exit::USAGE
        }
    }
}

/// The form that works, for the parse errors people make with a form that
/// looks right: a file after `--write ` (it takes `--write=PATH`, so that
/// `mcp --write cursor` reads `cursor` as the client), and a command after
/// `exec` without `--` (so that the command's own options are never read as
/// trello-auth's).
fn tip(error: &clap::Error, args: &[OsString]) -> Option<String> {
    let command = subcommand_at(args)?;
    let name = args[command].to_str()?;
    let after = &args[command + 1..];
    if name == "mcp" {
        // `--write FILE`: FILE is read as the client, or as one argument too many.
        let clients = definition()
            .find_subcommand("mcp")?
            .get_positionals()
            .flat_map(|a| a.get_possible_values())
            .collect::<Vec<_>>();
        let file = after.windows(2).find_map(|pair| {
            let word = pair[1].to_str()?;
            let client = clients.iter().any(|c| c.matches(word, false));
            (pair[0] == "--write" && !word.starts_with('-') && !client).then_some(word)
        })?;
        return Some(format!("--write takes its file after an equals sign: `--write={}`", crate::shell::sh_word(file)));
    }
    let given = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(given)) => given.as_str(),
        _ => return None,
    };
    let at = command + 1 + after.iter().position(|arg| arg.to_str() == Some(given))?;
    // An unknown option before the command, or a command already after `--`, is another mistake.
    if name != "exec"
        || error.kind() != ErrorKind::UnknownArgument
        || given.starts_with('-')
        || after.iter().any(|a| a == "--")
    {
        return None;
    }
    let mut words: Vec<String> = args.iter().map(|arg| crate::shell::sh_word(&arg.to_string_lossy())).collect();
    words[0] = "trello-auth".into();
    words.insert(at, "--".into());
    Some(format!("the command to run goes after `--`, so that its options are its own: `{}`", words.join(" ")))
}

/// Where the command's name is in `args`: the first word that is not a
/// top-level option or an option's value.
fn subcommand_at(args: &[OsString]) -> Option<usize> {
    let cli = definition();
    let mut at = 1;
    while let Some(word) = args.get(at) {
        let word = word.to_str()?;
        match word.strip_prefix("--") {
            Some(long) if !long.contains('=') => {
                let takes_value =
                    cli.get_arguments().any(|arg| arg.get_long() == Some(long) && arg.get_action().takes_values());
                at += if takes_value { 2 } else { 1 };
            }
            _ if word.starts_with('-') => at += 1,
            _ => return Some(at),
        }
    }
    None
}

/// Runs the parsed command line and returns the exit status.
pub fn run(cli: Cli) -> u8 {
    // Checked here with the flag's rule, not by clap, so that `status` can
    // still say the name came from the variable; --profile wins over it.
    let from_env = crate::environment::PROFILE.raw().filter(|_| cli.profile.is_none());
    if let Some(Err(why)) = from_env.map(|v| profile_name(&v.to_string_lossy())) {
        return report(&CommandError::Usage(format!("{} is set, but {why}", crate::environment::PROFILE.name)));
    }
    let store = match Store::locate(cli.config.as_deref()) {
        Ok(store) => store,
        Err(e) => return report(&CommandError::from(e)),
    };
    let say = Arc::new(|line: &str| eprint_clean(&format!("trello-auth: {line}\n")));
    let ctx = Context::new(store, cli.profile.as_deref(), say);
    let result = match &cli.command {
        None => return interactive::run(&cli.wizard, &ctx, false),
        Some(Command::Rotate(flags)) => return interactive::run(&flags.or(&cli.wizard), &ctx, true),
        Some(Command::Exec(args)) => return exec(&ctx, args),
        Some(Command::Completions { shell }) => return write(&commands::Output::raw(completions(*shell))),
        Some(Command::Man) => return man(),
        Some(Command::Help { command }) => return help(command),
        Some(Command::Status(args)) => commands::status::run(&ctx, args),
        Some(Command::Env(args)) => commands::env::run(&ctx, args),
        Some(Command::Login(args)) => commands::login::run(&ctx, args),
        Some(Command::Logout(args)) => commands::logout::run(&ctx, args, &interactive::ask),
        Some(Command::Token(args)) => commands::token::run(&ctx, args),
        Some(Command::Storage(args)) => commands::storage::run(&ctx, args),
        Some(Command::Board(args)) => commands::board::run(&ctx, args),
        Some(Command::Profile(args)) => commands::profile::run(&ctx, args, &interactive::ask),
        Some(Command::Mcp(args)) => return interactive::mcp(&args.wizard, &ctx, &args.mcp),
        Some(Command::McpServer(args)) => commands::mcp_server::run(&ctx, args),
    };
    let run = ctx.invocation();
    match result {
        Ok(output) => output::write_for(&run, &output),
        Err(e) => output::report_for(&run, &e),
    }
}

/// The completion script for `shell`. Bash's is generated for the name
/// `trello_auth` and then registered for `trello-auth`: clap_complete names
/// bash's per-command cases with a hyphen in the program's name turned one
/// way and looks them up with it turned another, so with `trello-auth` no
/// subcommand ever completed.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    let name = if shell == clap_complete::Shell::Bash { "trello_auth" } else { "trello-auth" };
    clap_complete::generate(shell, &mut definition(), name, &mut out);
    let mut script = String::from_utf8_lossy(&out).into_owned();
    if shell == clap_complete::Shell::Fish {
        script.push_str(&fish_positional_values(&definition()));
    }
    if shell != clap_complete::Shell::Bash {
        return script;
    }
    script
        .lines()
        .map(|line| match line.strip_suffix(" trello_auth") {
            Some(head) if line.trim_start().starts_with("complete ") => format!("{head} trello-auth\n"),
            _ => format!("{line}\n"),
        })
        .collect()
}

/// clap_complete's fish script offers no values for positional arguments
/// (`mcp CLIENT`, `storage WHERE`, `completions SHELL`): the same lines it
/// writes for an option's values, for each subcommand's positionals, from the
/// same definition. Descriptions are quoted as clap quotes them.
fn fish_positional_values(cli: &clap::Command) -> String {
    // fish's single quotes, inside the double quotes of `-a "…"`.
    let quote = |text: &str| commands::env::quote_fish(text).replace('"', "\\\"").replace('$', "\\$");
    let mut lines = String::new();
    for sub in cli.get_subcommands() {
        for arg in sub.get_positionals() {
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| match v.get_help() {
                    Some(help) => format!("{}\\t{}", v.get_name(), quote(&help.to_string())),
                    None => v.get_name().to_string(),
                })
                .collect();
            if !values.is_empty() {
                lines.push_str(&format!(
                    "complete -c trello-auth -n \"__fish_trello_auth_using_subcommand {}\" -f -a \"{}\"\n",
                    sub.get_name(),
                    values.join("\n")
                ));
            }
        }
    }
    lines
}

/// `exec`: the command's exit status. Where nothing is masked this process
/// becomes the command and returns here only if that failed; a command
/// killed by a signal ends this process by the same signal.
fn exec(ctx: &Context, args: &commands::exec::Args) -> u8 {
    match commands::exec::prepare(ctx, args) {
        Ok(prepared) => {
            output::warn_for(&ctx.invocation(), &prepared.warnings);
            let masked = commands::exec::Masked::choose(
                args.no_mask,
                std::io::stdout().is_terminal(),
                std::io::stderr().is_terminal(),
            );
            commands::exec::run(prepared, masked).unwrap_or_else(|e| {
                eprint_clean(&format!("trello-auth: {e}\n"));
                e.exit_code()
            })
        }
        Err(e) => output::report_for(&ctx.invocation(), &e),
    }
}

/// `help [COMMAND…]`: the long help of the top level or of that command,
/// as `--help` prints it (clap's own `help` cannot take `--help` itself).
fn help(path: &[String]) -> u8 {
    let mut command = definition();
    command.build();
    let mut current = &mut command;
    for word in path {
        let known = current.get_subcommands().any(|c| c.get_name() == word);
        match current.find_subcommand_mut(word) {
            Some(sub) if known => current = sub,
            _ => {
                return report(&CommandError::Usage(format!(
                    "there is no command \"{}\" here; `trello-auth --help` lists them",
                    crate::untrusted::line(&path.join(" "))
                )));
            }
        }
    }
    let mut text = current.render_long_help().to_string();
    // As `--help` ends: on a line of its own, so a prompt or the next output starts on the next.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    write(&commands::Output::raw(text))
}

/// The man page: the top level, then a section for each command with its
/// options and examples, from the same clap definition as `--help`.
fn man() -> u8 {
    let mut out = Vec::new();
    if let Err(e) = man::render(&mut out) {
        return report(&CommandError::Failed(format!("could not write the man page: {e}")));
    }
    write(&commands::Output::raw(String::from_utf8_lossy(&out).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency checks over the whole definition (conflicts,
    /// requirements, ids, value names), which it otherwise runs only when a
    /// command line happens to reach the broken part.
    #[test]
    fn the_definition_is_consistent() {
        definition().debug_assert();
    }

    #[test]
    fn help_takes_a_command_path_and_its_own_help() {
        let parsed = |args: &[&str]| parse(&args.iter().map(OsString::from).collect::<Vec<_>>()).map(|c| c.command);
        assert!(
            matches!(parsed(&["trello-auth", "help", "profile", "use"]), Ok(Some(Command::Help { command })) if command == ["profile", "use"])
        );
        let help = parsed(&["trello-auth", "help", "--help"]).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
    }
}
