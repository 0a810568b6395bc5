//! `trello-auth board [set BOARD | clear]`: the profile's default board, which scripts and agents get as `TRELLO_BOARD_ID`.

use super::{CommandError, Context, Output, online};
use crate::credentials::format::{is_short_link, is_trello_id};
use crate::credentials::profile::BoardChoice;
use crate::credentials::secret::repeatable;
use crate::trello::{Board, Client, Credentials, TrelloError};
use crate::untrusted::line;

/// `board`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
}

pub const AFTER_HELP: &str = "\
BOARD is the board's id (24 hex), its short link (8 characters), its URL
(https://trello.com/b/<shortLink>/<slug>), or its exact name, looked up among
your open boards. It is checked with Trello before it is saved.

Examples:
  trello-auth board
  trello-auth board set https://trello.com/b/AbCd1234/roadmap
  trello-auth board set \"Team Roadmap\"
  trello-auth board clear";

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// Check BOARD with Trello and save it as the default board.
    Set {
        /// Id, short link, URL or name.
        board: String,
    },
    /// Forget the default board.
    Clear,
}

/// What `BOARD` names, read the way people write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoardRef {
    /// The 24-hex id.
    Id(String),
    /// The 8-character short link, alone or from a board URL.
    ShortLink(String),
    /// Anything else: looked up by name among the member's boards.
    Name(String),
}

/// `5f…` (24 hex), `AbCd1234`, `https://trello.com/b/AbCd1234/my-board`, or a name.
pub fn parse(text: &str) -> BoardRef {
    let text = text.trim();
    if is_trello_id(text) {
        return BoardRef::Id(text.to_ascii_lowercase());
    }
    if let Ok(url) = url::Url::parse(text)
        && let Some(mut segments) = url.path_segments()
        && segments.next() == Some("b")
        && let Some(link) = segments.next().filter(|l| is_short_link(l))
    {
        return BoardRef::ShortLink(link.to_string());
    }
    if is_short_link(text) {
        return BoardRef::ShortLink(text.to_string());
    }
    BoardRef::Name(text.to_string())
}

pub fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
    match &args.action {
        None => show(ctx),
        Some(Action::Clear) => {
            ctx.vault.set_board(ctx.name(), None).map_err(|e| ctx.vault_error(e))?;
            Ok(Output::text(format!("Profile \"{}\" has no default board now.\n", line(ctx.name()))))
        }
        Some(Action::Set { board }) => {
            let board = set(ctx, board)?;
            Ok(Output::text(format!(
                "Default board of profile \"{}\": {} ({}); exported as TRELLO_BOARD_ID.\n",
                line(ctx.name()),
                line(&board.name),
                board.id
            )))
        }
    }
}

/// Says what a Trello error means for a board, with the guide's fix.
fn board_error(what: &str, error: TrelloError) -> CommandError {
    let fix = match &error {
        TrelloError::InvalidId => {
            "Give the board's id (24 hex characters), its short link (8 characters), its URL \
             (https://trello.com/b/<shortLink>/…) or its exact name."
        }
        TrelloError::NotFound => {
            "The board does not exist or this token's member cannot see it: check the id, and that you are a member \
             of the board."
        }
        TrelloError::MissingScope { .. } => {
            "The token lacks the read scope: authorize a new one with `trello-auth rotate`."
        }
        other => {
            return CommandError::Failed(format!(
                "board {}: {error}\n  why: {}\n  fix: {}",
                repeatable(what),
                error.cause(),
                other.cli_fix()
            ));
        }
    };
    CommandError::Failed(format!("board {}: {error}\n  why: {}\n  fix: {fix}", repeatable(what), error.cause()))
}

/// Resolves `BOARD` with Trello and saves it as the default board.
fn set(ctx: &Context, text: &str) -> Result<Board, CommandError> {
    let stored = ctx.stored()?;
    let creds = ctx.credentials_to_send(&stored)?;
    let endpoints = ctx.endpoints()?;
    let (runtime, client) = online(&endpoints)?;
    let board = runtime.block_on(resolve(&client, &creds, &parse(text), text))?;
    if board.closed {
        return Err(CommandError::Failed(format!(
            "board \"{}\" is closed; reopen it in Trello, or choose another board",
            line(&board.name)
        )));
    }
    let choice = BoardChoice { id: board.id.clone(), name: board.name.clone(), short_link: board.short_link.clone() };
    ctx.vault.set_board(ctx.name(), Some(choice)).map_err(|e| ctx.vault_error(e))?;
    Ok(board)
}

async fn resolve(client: &Client, creds: &Credentials, wanted: &BoardRef, text: &str) -> Result<Board, CommandError> {
    match wanted {
        BoardRef::Id(id) => client.board(creds, id).await.map_err(|e| board_error(text, e)),
        BoardRef::ShortLink(link) => match client.board(creds, link).await {
            // Eight letters may be a short link or a name ("Holidays"): try the name too.
            Err(TrelloError::NotFound) if !text.contains('/') => {
                Box::pin(resolve(client, creds, &BoardRef::Name(text.trim().to_string()), text)).await
            }
            other => other.map_err(|e| board_error(text, e)),
        },
        BoardRef::Name(name) => {
            let boards = client.boards(creds).await.map_err(|e| board_error(text, e))?;
            let matches: Vec<Board> = boards.into_iter().filter(|b| b.name.eq_ignore_ascii_case(name)).collect();
            match matches.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(CommandError::Usage(format!(
                    "no open board named \"{}\" among this member's boards; give its id, short link or URL",
                    repeatable(name)
                ))),
                several => {
                    let listed: Vec<String> =
                        several.iter().map(|b| format!("  {}  {} ({})", b.id, line(&b.name), b.short_link)).collect();
                    Err(CommandError::Usage(format!(
                        "{} boards are named \"{}\"; choose one by its id:\n{}",
                        several.len(),
                        line(name),
                        listed.join("\n")
                    )))
                }
            }
        }
    }
}

/// The default board in words (offline).
fn show(ctx: &Context) -> Result<Output, CommandError> {
    let stored = ctx.stored()?;
    let text = match stored.profile.board() {
        Some(board) => {
            let link = if board.short_link.is_empty() { board.id.clone() } else { board.short_link.clone() };
            let name = if board.name.is_empty() { "unnamed board".to_string() } else { line(&board.name).into_owned() };
            format!("{name} ({}, {})\n", line(&board.id), line(&ctx.endpoints()?.board_url(&link)))
        }
        None => format!(
            "No default board for profile \"{}\"; choose one with `trello-auth board set BOARD`\n",
            line(ctx.name())
        ),
    };
    // The hint is run on this file and profile.
    Ok(Output::text(super::naming_profile(&text, &ctx.invocation())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn how_people_name_a_board() {
        assert_eq!(parse("5b0000000000000000000001"), BoardRef::Id("5b0000000000000000000001".into()));
        assert_eq!(parse("AbCd1234"), BoardRef::ShortLink("AbCd1234".into()));
        assert_eq!(parse("https://trello.com/b/AbCd1234/my-board"), BoardRef::ShortLink("AbCd1234".into()));
        assert_eq!(parse("https://trello.com/b/AbCd1234"), BoardRef::ShortLink("AbCd1234".into()));
        assert_eq!(parse("Team Roadmap"), BoardRef::Name("Team Roadmap".into()));
        assert_eq!(
            parse("https://trello.com/c/AbCd1234/1-card"),
            BoardRef::Name("https://trello.com/c/AbCd1234/1-card".into())
        );
    }
}
