//! Command-line arguments (clap definitions).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const ABOUT: &str = "Get, verify, store and rotate Trello API credentials (API key + user token).";

const AFTER_HELP: &str = "\
Run without a command in a terminal: with nothing saved it opens the setup wizard
(portal, Power-Up, API key, token, verify); with credentials saved it shows who you
are logged in as and offers to verify, rotate or set up again.

Where credentials are kept:
  $XDG_CONFIG_HOME/trello-auth/config.toml (mode 0600), or --config / TRELLO_AUTH_CONFIG.

Environment:
  TRELLO_API_BASE      API base URL (default https://api.trello.com/1)
  TRELLO_WEB_BASE      web base URL for the portal and authorize pages (default https://trello.com)
  TRELLO_AUTH_CONFIG   config file path
  TRELLO_AUTH_PROFILE  profile name (default \"default\")
  NO_COLOR             draw without colour

Exit status: 0 done, 1 rejected, failed or quit before saving, 2 usage error or not a
terminal, 3 could not reach Trello (or the keyring), 4 nothing saved.

Examples:
  trello-auth                      set up, or manage what is saved
  eval \"$(trello-auth env)\"        export TRELLO_API_KEY and TRELLO_TOKEN
  trello-auth status               check the saved token with Trello";

#[derive(Debug, Parser)]
#[command(name = "trello-auth", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Which saved profile to use.
    #[arg(long, global = true, env = "TRELLO_AUTH_PROFILE", default_value = trello_auth::credentials::store::DEFAULT_PROFILE, value_name = "NAME")]
    pub profile: String,

    /// Config file to read and write instead of the default location.
    #[arg(long, global = true, env = "TRELLO_AUTH_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// The plain, line-by-line wizard (screen readers, dumb terminals, logs); also
    /// TRELLO_AUTH_PLAIN=1, and on its own when TERM is dumb or unset.
    #[arg(long, global = true)]
    pub plain: bool,

    /// Never try to open a browser; show and copy URLs instead.
    #[arg(long, global = true)]
    pub no_browser: bool,

    /// Do not catch the token from the browser; paste it instead.
    #[arg(long, global = true)]
    pub no_capture: bool,

    /// Port of the 127.0.0.1 listener that catches the token (list http://127.0.0.1:PORT
    /// under the key's Allowed origins).
    #[arg(long, global = true, env = "TRELLO_AUTH_CALLBACK_PORT", value_name = "PORT",
          default_value_t = trello_auth::capture::DEFAULT_PORT)]
    pub callback_port: u16,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Authorize a new token in the wizard, then revoke the old one.
    #[command(after_help = "\
Opens the wizard at the token step with the saved key, app name, scopes and
expiration chosen. The new token must verify (and belong to the same Trello
member, or you are asked) before it is saved; the previous file is kept as
config.toml.bak. Only then are you offered to revoke the old token.

Example:
  trello-auth rotate --profile work")]
    Rotate,

    /// Show what is saved and check it with Trello.
    #[command(after_help = "\
Exit status: 0 valid, 1 rejected or expired, 3 could not reach Trello, 4 nothing saved.
When TRELLO_API_KEY or TRELLO_TOKEN are set and differ from the saved values, it
says so: other tools will use the environment's values.

Examples:
  trello-auth status
  trello-auth status --offline --json
  trello-auth status --all")]
    Status(StatusArgs),

    /// Print the saved credentials as environment variables.
    #[command(after_help = "\
Prints TRELLO_API_KEY and TRELLO_TOKEN (and TRELLO_API_SECRET with --with-secret),
quoted for the chosen format. With nothing saved: a message on stderr, exit 4,
nothing on stdout.

Examples:
  eval \"$(trello-auth env)\"
  trello-auth env --format fish | source
  trello-auth env --format dotenv >> .env        (keep .env out of git)
  trello-auth env --format json                  (an MCP server's \"env\" block)")]
    Env(EnvArgs),

    /// Save credentials without the wizard (for CI and scripts); the token comes from stdin.
    #[command(after_help = "\
The token is read from standard input, never from the command line. The key comes
from --key, else TRELLO_API_KEY, else the saved profile. Both are shape-checked and
verified with Trello before anything is saved.

Exit status: 0 saved, 1 rejected, 2 bad input, 3 could not reach Trello.

Example:
  printf '%s' \"$TRELLO_TOKEN\" | trello-auth login --with-token --key 0123456789abcdef0123456789abcdef")]
    Login(LoginArgs),

    /// Revoke the token at Trello and remove it from the config file.
    #[command(after_help = "\
Revokes the token (DELETE /1/tokens/{token}) unless --keep-remote, then removes it
from the profile; the previous file is kept as config.toml.bak. If revoking fails,
the local token is kept unless --force.

Examples:
  trello-auth logout
  trello-auth logout --keep-remote --profile old")]
    Logout(LogoutArgs),

    /// Print the saved token alone, for $(…) and credential helpers.
    #[command(after_help = "\
Prints the token and a newline, from the config file or the keyring. Refuses to
print to a terminal unless --force: a token on screen stays in the scrollback.

Exit status: 0 printed, 1 keyring entry missing, 2 usage, 3 keyring unreachable,
4 nothing saved.

Example:
  curl -H \"Authorization: OAuth oauth_consumer_key=\\\"$KEY\\\", oauth_token=\\\"$(trello-auth token)\\\"\" …")]
    Token(TokenArgs),

    /// Run a command with the credentials in its environment only.
    #[command(after_help = "\
Runs COMMAND with TRELLO_API_KEY and TRELLO_TOKEN (names per --names; and
TRELLO_API_SECRET with --with-secret) added to its environment. Nothing is
written anywhere. trello-auth replaces itself with COMMAND, so signals, standard
streams and the exit status are COMMAND's. A missing command exits 127.

Examples:
  trello-auth exec -- node sync-board.js
  trello-auth exec --names trello-js -- npx some-trello-tool
  trello-auth exec --profile work -- npx -y @delorenj/mcp-server-trello")]
    Exec(ExecArgs),

    /// Move a profile's token and secret between the config file and the keyring.
    #[command(after_help = "\
The new place is written and read back before the old one is emptied; moving
into the keyring also strips the secrets from config.toml.bak.

Examples:
  trello-auth storage keyring
  trello-auth storage file --profile work")]
    Storage {
        /// Where the token and secret should live.
        #[arg(value_enum)]
        to: trello_auth::credentials::store::Storage,
    },

    /// Show, set or clear the profile's default board (exported as TRELLO_BOARD_ID).
    #[command(after_help = "\
BOARD is the board's id (24 hex), its short link (8 characters), its URL
(https://trello.com/b/<shortLink>/<slug>), or its exact name, looked up among
your open boards. It is checked with Trello before it is saved.

Examples:
  trello-auth board
  trello-auth board set https://trello.com/b/AbCd1234/roadmap
  trello-auth board set \"Team Roadmap\"
  trello-auth board clear")]
    Board {
        #[command(subcommand)]
        action: Option<BoardAction>,
    },

    /// An AI agent's MCP server entry that runs the server through `trello-auth exec`.
    #[command(after_help = "\
Prints (or, with --write, merges into the client's config file) a server entry
whose command is `trello-auth exec --profile P -- SERVER`, so no key or token is
written into the client's config. SERVER defaults to the npx line of
delorenj/mcp-server-trello (it reads TRELLO_API_KEY, TRELLO_TOKEN, TRELLO_BOARD_ID).

Files: claude-code .mcp.json, vscode .vscode/mcp.json, cursor .cursor/mcp.json
(in the current folder), claude-desktop claude_desktop_config.json in Claude's
config folder. --write keeps other servers and settings, keeps the old file as
.bak, writes atomically, and refuses a file it cannot parse.

Examples:
  trello-auth mcp claude-code --write
  trello-auth mcp vscode --server 'node ./trello-server.js' --name trello-dev
  trello-auth mcp claude-desktop --write")]
    Mcp(McpArgs),

    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  trello-auth completions bash > ~/.local/share/bash-completion/completions/trello-auth
  trello-auth completions zsh > \"${fpath[1]}/_trello-auth\"
  trello-auth completions fish > ~/.config/fish/completions/trello-auth.fish")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct McpArgs {
    /// Which client's config.
    #[arg(value_enum)]
    pub client: trello_auth::commands::mcp::Client,
    /// The server command, words separated by spaces (default: delorenj/mcp-server-trello via npx).
    #[arg(long, value_name = "COMMAND ARGS")]
    pub server: Option<String>,
    /// The server's name in the config.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Merge into the client's file (its usual place, or PATH).
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "")]
    pub write: Option<PathBuf>,
    /// Write the key and token into the entry's env block (for clients that cannot run a wrapper).
    #[arg(long)]
    pub inline_secrets: bool,
}

#[derive(Debug, Subcommand)]
pub enum BoardAction {
    /// Check BOARD with Trello and save it as the default board.
    Set {
        /// Id, short link, URL or name.
        board: String,
    },
    /// Forget the default board.
    Clear,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
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

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// How to print the variables.
    #[arg(long, value_enum, default_value = "sh")]
    pub format: trello_auth::commands::env::Format,
    /// Also print TRELLO_API_SECRET (only needed for OAuth 1.0 signing).
    #[arg(long)]
    pub with_secret: bool,
    /// Variable names for the consumer: default (TRELLO_API_KEY, TRELLO_TOKEN), trello-js
    /// (TRELLO_KEY), api-token (TRELLO_API_TOKEN), ruby-trello (TRELLO_DEVELOPER_PUBLIC_KEY,
    /// TRELLO_MEMBER_TOKEN).
    #[arg(long, value_enum, default_value = "default", value_name = "PRESET")]
    pub names: trello_auth::commands::env::Names,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Print even to a terminal.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Variable names for the command (see `env --help`).
    #[arg(long, value_enum, default_value = "default", value_name = "PRESET")]
    pub names: trello_auth::commands::env::Names,
    /// Also pass TRELLO_API_SECRET.
    #[arg(long)]
    pub with_secret: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Read the token from standard input (required: tokens never go on the command line).
    #[arg(long, required = true)]
    pub with_token: bool,
    /// The API key (32 hex characters); defaults to TRELLO_API_KEY, then the saved profile.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// App name to record with the profile (defaults to the saved one).
    #[arg(long, value_name = "NAME")]
    pub app_name: Option<String>,
    /// Where to keep the token: the config file (default) or the system keyring
    /// (defaults to the profile's current choice).
    #[arg(long, value_enum, value_name = "WHERE")]
    pub storage: Option<trello_auth::credentials::store::Storage>,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Remove the token locally but leave it valid at Trello.
    #[arg(long)]
    pub keep_remote: bool,
    /// Remove the local token even if revoking it at Trello fails.
    #[arg(long)]
    pub force: bool,
}
