//! Command-line arguments (clap definitions).

use std::path::PathBuf;

use clap::Parser;

const ABOUT: &str = "Get, verify, store and rotate Trello API credentials (API key + user token).";

const AFTER_HELP: &str = "\
Run without arguments in a terminal to open the setup wizard: it walks the five
steps (portal, Power-Up, API key, token, verify), checks every value as you paste
it, verifies the pair with Trello and saves it.

Where credentials are kept:
  $XDG_CONFIG_HOME/trello-auth/config.toml (mode 0600), or --config / TRELLO_AUTH_CONFIG.

Environment:
  TRELLO_API_BASE      API base URL (default https://api.trello.com/1)
  TRELLO_WEB_BASE      web base URL for the portal and authorize pages (default https://trello.com)
  TRELLO_AUTH_CONFIG   config file path
  TRELLO_AUTH_PROFILE  profile name (default \"default\")
  NO_COLOR             draw without colour

Exit status: 0 saved, 1 quit before saving, 2 usage error or not a terminal.

Example:
  trello-auth --profile work";

#[derive(Debug, Parser)]
#[command(name = "trello-auth", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// Which saved profile to use.
    #[arg(long, global = true, env = "TRELLO_AUTH_PROFILE", default_value = "default", value_name = "NAME")]
    pub profile: String,

    /// Config file to read and write instead of the default location.
    #[arg(long, global = true, env = "TRELLO_AUTH_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Never try to open a browser; show and copy URLs instead.
    #[arg(long, global = true)]
    pub no_browser: bool,
}
