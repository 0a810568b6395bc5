//! `trello-auth env`: the saved credentials as environment variables, quoted so that evaluating them runs nothing.

use clap::ValueEnum;

use super::{CommandError, Context, Output};

/// `env`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// How to print the variables.
    #[arg(long, value_enum, default_value = "sh")]
    pub format: Format,
    /// Also print TRELLO_API_SECRET (only needed for OAuth 1.0 signing).
    #[arg(long)]
    pub with_secret: bool,
    /// Which variable names the program that reads them expects.
    #[arg(long, value_enum, default_value = "default", value_name = "PRESET")]
    pub names: Names,
    #[command(flatten)]
    pub reveal: super::reveal::Reveal,
}

pub(crate) const AFTER_HELP: &str = "\
Prints TRELLO_API_KEY and TRELLO_TOKEN (and TRELLO_API_SECRET with --with-secret,
TRELLO_BOARD_ID when a default board is chosen), quoted for the chosen format so
that evaluating the output runs nothing, whatever the values hold. On a terminal
the token and secret are masked (on screen they would stay in the scrollback)
unless --reveal; into a pipe or a file they are printed as they are, with a word
on stderr when the file is one others can read. With nothing saved: a message on stderr, exit 4, nothing on stdout. A token that expires within
7 days, or has expired, is said on stderr; it is still printed (exit 0): only
Trello knows for sure, and `trello-auth status` asks it. --format fish piped
into another shell (bash's `source` reads no pipe) says so on stderr, with the
line for that shell, where the system names the shell (Linux). --format cmd
writes set \"NAME=value\" lines for Windows cmd.exe (run each, e.g. in a for /f
loop); a value cmd cannot take literally (%, !, \", ^, a line break, anything
not ASCII) is refused: a message on stderr, exit 1, nothing on stdout.

Examples:
  eval \"$(trello-auth env)\"
  trello-auth env --format fish | source
  trello-auth env --format dotenv > .env
  trello-auth env --format json --names api-token";

// The values' help is also what shell completions show beside them: plain
// words only, no quotes, `$` or backticks, which completion scripts would
// have to escape (clap_complete's fish script expands `$(…)` in them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// POSIX shells: export NAME=value lines, to eval.
    Sh,
    /// fish: set -gx NAME value lines, to source.
    Fish,
    /// PowerShell: env:NAME assignments, to Invoke-Expression.
    Powershell,
    /// Windows cmd.exe: quoted set NAME=value lines, for a for /f loop or a .cmd file.
    Cmd,
    /// A .env file: one NAME=value line each.
    Dotenv,
    /// A JSON object, like the env block of an MCP server config.
    Json,
}

impl Format {
    /// The usual line that takes this format's output as it is meant to be
    /// taken (`run` is how trello-auth is run for this profile, `options`
    /// the other options given, each after a space), named when a terminal
    /// gets it masked or another shell gets fish's.
    pub(crate) fn for_real(self, run: &str, options: &str) -> String {
        match self {
            Format::Sh => format!("eval \"$({run} env{options})\""),
            Format::Fish => format!("{run} env --format fish{options} | source"),
            Format::Powershell => format!("{run} env --format powershell{options} | Out-String | Invoke-Expression"),
            // Each line is a whole `set` command; `%L` is the interactive form (`%%L` in a .cmd file).
            // The idiom docker-machine prints for cmd (`@FOR /f "tokens=*" %i IN ('docker-machine env')
            // DO @%i`). Wine 8's cmd does not run a builtin that comes from a loop variable; a saved
            // file of these lines, `call`ed, works there as on Windows.
            Format::Cmd => format!("for /f \"delims=\" %L in ('{run} env --format cmd{options}') do @%L"),
            // A file made under umask 077 is the owner's alone.
            Format::Dotenv => format!("(umask 077; {run} env --format dotenv{options} > .env)"),
            Format::Json => format!("(umask 077; {run} env --format json{options} > trello.json)"),
        }
    }

    /// The format a shell evaluates, by the shell's program name.
    fn of_shell(program: &str) -> Option<Format> {
        match program {
            "bash" | "zsh" | "sh" | "dash" | "ksh" | "ksh93" | "mksh" | "ash" | "yash" | "posh" | "busybox" => {
                Some(Format::Sh)
            }
            "fish" => Some(Format::Fish),
            "pwsh" | "powershell" => Some(Format::Powershell),
            "cmd" => Some(Format::Cmd),
            _ => None,
        }
    }
}

impl Args {
    /// The options given besides `--format` and `--reveal`, as typed, for a suggested line.
    fn options(&self) -> String {
        let mut options = String::new();
        if self.names != Names::Default {
            options.push_str(&format!(" --names {}", self.names.flag()));
        }
        if self.with_secret {
            options.push_str(" --with-secret");
        }
        options
    }
}

/// A word when fish's lines go into a pipe of another shell (`env --format
/// fish | source` typed in bash, whose `source` reads no pipe and whose
/// syntax this is not): whose syntax it is, and the line for the shell in
/// use. `shell` is the program of the shell that runs the pipe, when known;
/// when it is not (no /proc, or a program that is not a shell), nothing is
/// said, rather than a guess.
pub(crate) fn fish_elsewhere(format: Format, shell: Option<&str>, run: &str, options: &str) -> Option<String> {
    let shell = shell?;
    let theirs = Format::of_shell(shell)?;
    (format == Format::Fish && theirs != Format::Fish).then(|| {
        format!(
            "--format fish writes fish's syntax (`set -gx`) for fish's `source`, but this pipe is {}'s; there: `{}`",
            crate::untrusted::line(shell),
            theirs.for_real(run, options)
        )
    })
}

/// The program of the shell whose pipe standard output is, when that can be
/// known: standard output is a pipe, and this process's parent (the shell
/// that started the pipeline) is named in /proc.
#[cfg(target_os = "linux")]
fn piped_to_shell() -> Option<String> {
    let stdout = rustix::fs::fstat(std::io::stdout()).ok()?;
    if rustix::fs::FileType::from_raw_mode(stdout.st_mode) != rustix::fs::FileType::Fifo {
        return None;
    }
    let comm = std::fs::read_to_string(format!("/proc/{}/comm", std::os::unix::process::parent_id())).ok()?;
    Some(comm.trim().to_string())
}

/// Elsewhere no /proc names the parent: unknown, so nothing is said.
#[cfg(not(target_os = "linux"))]
fn piped_to_shell() -> Option<String> {
    None
}

/// Which environment variable names the consumer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Names {
    /// TRELLO_API_KEY, TRELLO_TOKEN: trello-cli, most MCP servers, py-trello, Steampipe.
    #[default]
    Default,
    /// TRELLO_KEY, TRELLO_TOKEN: trello.js.
    TrelloJs,
    /// TRELLO_API_KEY, TRELLO_API_TOKEN: some MCP servers (Klavis, PyPI mcp-server-trello).
    ApiToken,
    /// TRELLO_DEVELOPER_PUBLIC_KEY, TRELLO_MEMBER_TOKEN: ruby-trello's convention.
    RubyTrello,
}

impl Names {
    pub const ALL: [Names; 4] = [Names::Default, Names::TrelloJs, Names::ApiToken, Names::RubyTrello];

    /// The key's and the token's variable names.
    pub fn key_and_token(self) -> (&'static str, &'static str) {
        match self {
            Names::Default => ("TRELLO_API_KEY", "TRELLO_TOKEN"),
            Names::TrelloJs => ("TRELLO_KEY", "TRELLO_TOKEN"),
            Names::ApiToken => ("TRELLO_API_KEY", "TRELLO_API_TOKEN"),
            Names::RubyTrello => ("TRELLO_DEVELOPER_PUBLIC_KEY", "TRELLO_MEMBER_TOKEN"),
        }
    }

    /// The preset's name on the command line (`trello-js`).
    pub fn flag(self) -> String {
        self.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
    }
}

/// The secret's variable name, the same for every preset.
pub(crate) const SECRET_VAR: &str = "TRELLO_API_SECRET";
/// The default board's id, when the profile has one (delorenj/mcp-server-trello reads it).
pub(crate) const BOARD_VAR: &str = "TRELLO_BOARD_ID";

/// Every name any preset hands out: `exec` removes them all from the child's
/// environment before setting the profile's, so nothing of another profile
/// (an earlier `eval "$(trello-auth env)"`) rides along.
pub(crate) fn every_name() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Names::ALL
        .iter()
        .flat_map(|n| {
            let (k, t) = n.key_and_token();
            [k, t]
        })
        .collect();
    names.extend([SECRET_VAR, BOARD_VAR]);
    names.sort_unstable();
    names.dedup();
    names
}

/// The variables a profile hands to other programs, and anything to warn about.
pub(crate) struct Vars {
    pub vars: Vec<(&'static str, String)>,
    pub warnings: Vec<String>,
}

impl Vars {
    /// The values that are secrets: the token (under any preset's name) and
    /// the API secret. The key and the board id are not: neither acts for
    /// anyone without the token (Trello's own browser apps carry the key).
    pub fn secrets(&self) -> Vec<&str> {
        let tokens: Vec<&str> = Names::ALL.iter().map(|n| n.key_and_token().1).collect();
        self.vars
            .iter()
            .filter(|(name, _)| *name == SECRET_VAR || tokens.contains(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// The saved key and token (and secret with `with_secret`, and the default
/// board) under `names`, wherever they are stored. Shared by `env`, `exec` and `mcp`.
/// The token must pass the rule `token` and every request use (a hand-edited
/// one is refused, not exported); the file's other values were checked as it
/// was read, and a secret from the keyring is checked here.
pub(crate) fn vars(ctx: &Context, names: Names, with_secret: bool) -> Result<Vars, CommandError> {
    let stored = ctx.stored()?;
    let creds = ctx.credentials_to_send(&stored)?;
    let (key_var, token_var) = names.key_and_token();
    let mut vars = vec![(key_var, creds.key().to_string()), (token_var, creds.token().expose().to_string())];
    let mut warnings = Vec::new();
    if with_secret {
        match ctx.api_secret(&stored)? {
            Some(secret) => {
                let verdict = crate::credentials::format::check_secret(secret.expose());
                if !verdict.is_valid() {
                    return Err(CommandError::Failed(format!(
                        "the API secret saved in profile \"{}\" is not an API secret ({}); nothing was printed. It is \
                         kept in {}: save it again with the wizard",
                        stored.name,
                        verdict.message(),
                        stored.place()
                    )));
                }
                vars.push((SECRET_VAR, secret.expose().to_string()));
            }
            None => warnings.push(format!("no API secret is saved for this profile; {SECRET_VAR} was left out")),
        }
    }
    if let Some(board) = &stored.profile.board_id {
        vars.push((BOARD_VAR, board.clone()));
    }
    warnings.extend(expiry_warning(&stored.profile, time::OffsetDateTime::now_utc(), &ctx.invocation()));
    Ok(Vars { vars, warnings })
}

/// One line for stderr when the saved token has expired or expires within 7
/// days: the commands that hand the token out say it, since their users (a
/// backup job, an agent) only notice when it has stopped working. `run`
/// is how trello-auth runs for this profile, for the command it names.
pub fn expiry_warning(profile: &crate::credentials::Profile, now: time::OffsetDateTime, run: &str) -> Option<String> {
    let rotate = crate::advice::command(run, "rotate");
    if let Some(expired) = profile.expired_words(now) {
        return Some(format!("the token {expired}; run {rotate}"));
    }
    let at = profile.expires_within_window(now)?;
    let (when, left) = (crate::credentials::expiry::format_time(at), crate::credentials::expiry::within(at - now));
    Some(format!("the token expires on {when} ({left}); run {rotate} before then"))
}

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    let Vars { vars, warnings } = vars(ctx, args.names, args.with_secret)?;
    let text = render(args.format, &vars).map_err(CommandError::Failed)?;
    // Printed as rendered: `render` refuses any value the terminal filter
    // would change (JSON escapes instead), so what a pipe gets is exact.
    let output = if args.format == Format::Json { Output::json(text) } else { Output::raw(text) };
    let (_, token_var) = args.names.key_and_token();
    let secrets: Vec<&str> =
        vars.iter().filter(|(name, _)| *name == token_var || *name == SECRET_VAR).map(|(_, v)| v.as_str()).collect();
    let to = super::reveal::Destination::stdout();
    let (run, options) = (ctx.invocation(), args.options());
    let elsewhere = fish_elsewhere(args.format, piped_to_shell().as_deref(), &run, &options);
    let for_real = args.format.for_real(&run, &options);
    Ok(super::reveal::credential(output.warn(warnings).warn(elsewhere), &secrets, &for_real, args.reveal.reveal, &to))
}

/// The variables in `format`, one per line (or one JSON object); `Err` when a
/// value cannot be written so that evaluating it is inert and gives it back
/// exactly: outside JSON, a value must be plain (no control character, no
/// line break: a `.env` line reader would split it, a terminal would obey it).
pub fn render(format: Format, vars: &[(&str, String)]) -> Result<String, String> {
    if format == Format::Json {
        let map: serde_json::Map<String, serde_json::Value> =
            vars.iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone()))).collect();
        let mut text = serde_json::to_string_pretty(&map).unwrap_or_default();
        text.push('\n');
        return Ok(text);
    }
    let mut out = String::new();
    for (name, value) in vars {
        if !crate::untrusted::is_plain(value) {
            return Err(format!(
                "the value of {name} holds a control character or a line break, which cannot be printed exactly \
                 on one line; nothing was printed (fix the saved value, or use --format json)"
            ));
        }
        let line =
            match format {
                Format::Sh => format!("export {name}={}", quote_sh(value)),
                Format::Fish => format!("set -gx {name} {}", quote_fish(value)),
                Format::Powershell => format!("$env:{name} = {}", quote_powershell(value)),
                Format::Cmd => crate::shell::cmd_set(name, value).map_err(|why| {
                    format!(
                        "the value of {name} holds {why}, which cmd.exe cannot take literally (it would expand it, \
                         or end the quotes or the line); nothing was printed (use --format powershell or json, or fix \
                         the saved value)"
                    )
                })?,
                Format::Dotenv => format!("{name}={}", quote_dotenv(value).ok_or_else(|| {
                format!(
                    "the value of {name} holds a single quote, which a .env file cannot quote safely; nothing was \
                     printed (use --format sh or json, or fix the saved value)"
                )
            })?),
                Format::Json => unreachable!("handled above"),
            };
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

pub use crate::shell::quote_sh;
pub(crate) use crate::shell::{quote_dotenv, quote_fish, quote_powershell};

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(v: &str) -> Vec<(&'static str, String)> {
        vec![("TRELLO_TOKEN", v.to_string())]
    }

    #[test]
    fn each_format() {
        let v = vars("ATTAabc");
        assert_eq!(render(Format::Sh, &v).unwrap(), "export TRELLO_TOKEN='ATTAabc'\n");
        assert_eq!(render(Format::Fish, &v).unwrap(), "set -gx TRELLO_TOKEN 'ATTAabc'\n");
        assert_eq!(render(Format::Powershell, &v).unwrap(), "$env:TRELLO_TOKEN = 'ATTAabc'\n");
        assert_eq!(render(Format::Cmd, &v).unwrap(), "set \"TRELLO_TOKEN=ATTAabc\"\n");
        assert_eq!(render(Format::Dotenv, &v).unwrap(), "TRELLO_TOKEN='ATTAabc'\n");
        assert_eq!(render(Format::Json, &v).unwrap(), "{\n  \"TRELLO_TOKEN\": \"ATTAabc\"\n}\n");
    }

    #[test]
    fn awkward_values_are_quoted_or_refused() {
        let odd = "a'b\"c$d\\e\nf g`h`";
        assert_eq!(quote_sh(odd), "'a'\\''b\"c$d\\e\nf g`h`'");
        assert_eq!(quote_fish(odd), "'a\\'b\"c$d\\\\e\nf g`h`'");
        assert_eq!(quote_powershell("it's ‘x’"), "'it''s ‘‘x’’'");
        assert_eq!(quote_dotenv("b$c`d`\\e"), Some("'b$c`d`\\e'".into()));
        assert_eq!(quote_dotenv(odd), None);
        assert!(render(Format::Dotenv, &vars("a'b")).unwrap_err().contains("single quote"));
        let refused = render(Format::Cmd, &vars("a%PATH%b")).unwrap_err();
        assert!(refused.contains("TRELLO_TOKEN holds '%'") && refused.contains("nothing was printed"), "{refused}");
    }

    /// Outside JSON a value is printed exactly, on one line, or not at all.
    #[test]
    fn values_that_cannot_be_one_exact_line_are_refused() {
        for value in ["5b\nEVIL=$(touch x)", "a\rb", "a\u{85}b", "a\u{2028}b", "a\0b", "a\u{1b}[2Jb", "a\tb"] {
            for format in [Format::Sh, Format::Fish, Format::Powershell, Format::Cmd, Format::Dotenv] {
                let refused = render(format, &vars(value)).unwrap_err();
                assert!(refused.contains("TRELLO_TOKEN") && refused.contains("nothing was printed"), "{refused}");
            }
            let json = render(Format::Json, &vars(value)).unwrap();
            let back: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(back["TRELLO_TOKEN"], value, "JSON keeps it exact");
        }
    }

    #[test]
    fn fish_s_lines_in_another_shell_s_pipe_say_whose_they_are() {
        let said = fish_elsewhere(Format::Fish, Some("bash"), "trello-auth --profile w", " --names trello-js").unwrap();
        assert!(said.contains("fish's syntax") && said.contains("this pipe is bash's"), "{said}");
        assert!(said.ends_with("`eval \"$(trello-auth --profile w env --names trello-js)\"`"), "{said}");
        let said = fish_elsewhere(Format::Fish, Some("pwsh"), "trello-auth", "").unwrap();
        assert!(said.ends_with("`trello-auth env --format powershell | Out-String | Invoke-Expression`"), "{said}");
        // fish's own pipe, another format, or a parent that is not a shell we know: nothing to say.
        assert_eq!(fish_elsewhere(Format::Fish, Some("fish"), "trello-auth", ""), None);
        assert_eq!(fish_elsewhere(Format::Sh, Some("bash"), "trello-auth", ""), None);
        assert_eq!(fish_elsewhere(Format::Fish, Some("python3"), "trello-auth", ""), None);
        assert_eq!(fish_elsewhere(Format::Fish, None, "trello-auth", ""), None);
    }

    #[test]
    fn every_preset_name_is_known() {
        let names = every_name();
        for n in Names::ALL {
            let (k, t) = n.key_and_token();
            assert!(names.contains(&k) && names.contains(&t));
        }
        assert!(names.contains(&BOARD_VAR) && names.contains(&SECRET_VAR));
    }
}
