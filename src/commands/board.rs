//! `trello-auth board [set BOARD | clear]`: the profile's default board, which scripts and agents get as `TRELLO_BOARD_ID`.

use super::{CommandError, Context, Output, online};
use crate::credentials::format::{is_short_link, is_trello_id};
use crate::credentials::profile::BoardChoice;
use crate::credentials::secret::repeatable;
use crate::trello::{Board, Client, Credentials, TrelloError, Workspace};
use crate::untrusted::line;

/// `board`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
}

pub(crate) const AFTER_HELP: &str = "\
BOARD is the board's id (24 hex), its short link (8 characters), its URL
(https://trello.com/b/<shortLink>/<slug>), its name, or a part of its name, its
workspace's name or its short link in any case, as the wizard's picker filters,
looked up among your open boards. A part that several boards match is refused
with their list. The board is checked with Trello before it is saved.

Examples:
  trello-auth board
  trello-auth board set https://trello.com/b/AbCd1234/roadmap
  trello-auth board set \"Team Roadmap\"
  trello-auth board set roadmap
  trello-auth board clear";

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// Check BOARD with Trello and save it as the default board.
    Set {
        /// Id, short link, URL, name, or a part of the name (or of the workspace's name or short link).
        board: String,
    },
    /// Forget the default board.
    Clear,
}

/// What `BOARD` names, read the way people write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BoardRef {
    /// The 24-hex id.
    Id(String),
    /// The 8-character short link, alone or from a board URL.
    ShortLink(String),
    /// Anything else: looked up among the member's boards, by name or a part of one.
    Name(String),
}

/// `5f…` (24 hex), `AbCd1234`, `https://trello.com/b/AbCd1234/my-board`, or a name.
pub(crate) fn parse(text: &str) -> BoardRef {
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

pub(crate) fn run(ctx: &Context, args: &Args) -> Result<Output, CommandError> {
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

/// Says what a Trello error means for a board, with the guide's fix (its
/// commands run as `run`).
fn board_error(what: &str, error: TrelloError, run: &str) -> CommandError {
    let fix = match &error {
        TrelloError::InvalidId => "Give the board's id (24 hex characters), its short link (8 characters), its URL \
                                   (https://trello.com/b/<shortLink>/…) or its exact name."
            .to_string(),
        TrelloError::NotFound => "The board does not exist or this token's member cannot see it: check the id, and \
                                  that you are a member of the board."
            .to_string(),
        TrelloError::MissingScope { .. } => format!(
            "The token lacks the read scope: authorize a new one with {}.",
            crate::advice::command(run, "rotate")
        ),
        other => super::trello_fix(other, true, run),
    };
    let text = format!("board {}: {error}{}", repeatable(what), crate::advice::why_fix(Some(error.cause()), &fix));
    CommandError::TrelloSaid { text, error }
}

/// Resolves `BOARD` with Trello and saves it as the default board.
fn set(ctx: &Context, text: &str) -> Result<Board, CommandError> {
    let stored = ctx.stored()?;
    let creds = ctx.credentials_to_send(&stored)?;
    let endpoints = ctx.endpoints()?;
    let (runtime, client) = online(&endpoints)?;
    let run = ctx.invocation();
    let board = runtime.block_on(resolve(&client, &creds, &parse(text), text, &run))?;
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

/// The board `wanted` names; `run` is how trello-auth runs for this profile, for the advice.
async fn resolve(
    client: &Client,
    creds: &Credentials,
    wanted: &BoardRef,
    text: &str,
    run: &str,
) -> Result<Board, CommandError> {
    match wanted {
        BoardRef::Id(id) => client.board(creds, id).await.map_err(|e| board_error(text, e, run)),
        BoardRef::ShortLink(link) => match client.board(creds, link).await {
            // Eight letters may be a short link or a name ("Holidays"): try the name too.
            Err(TrelloError::NotFound) if !text.contains('/') => {
                Box::pin(resolve(client, creds, &BoardRef::Name(text.trim().to_string()), text, run)).await
            }
            other => other.map_err(|e| board_error(text, e, run)),
        },
        BoardRef::Name(name) => {
            let (boards, workspaces) = tokio::join!(client.boards(creds), client.workspaces(creds));
            let boards = boards.map_err(|e| board_error(text, e, run))?;
            // As in the picker: without workspace names, names and short links still match.
            pick(&boards, &workspaces.unwrap_or_default(), name).cloned()
        }
    }
}

/// Boards named in an error: enough to recognise one, never a screenful.
const LISTED: usize = 10;

/// Whether `board` is one the picker's filter `filter` shows: a part of its
/// name, of its workspace's name or of its short link, in any case. The rule
/// `board set NAME` and the wizard's picker share.
pub(crate) fn board_matches(board: &Board, workspace: &str, filter: &str) -> bool {
    let filter = filter.trim().to_lowercase();
    [board.name.as_str(), workspace, board.short_link.as_str()]
        .iter()
        .any(|field| field.to_lowercase().contains(&filter))
}

/// The board `name` means among the member's open `boards`: the one of that
/// name (in any case), else the one [`board_matches`] finds. Several are
/// refused with their list; none, with the member's board names.
fn pick<'a>(boards: &'a [Board], workspaces: &[Workspace], name: &str) -> Result<&'a Board, CommandError> {
    let workspace = |b: &Board| -> String {
        let id = b.id_organization.as_deref().unwrap_or_default();
        workspaces.iter().find(|w| !id.is_empty() && w.id == id).map(|w| w.display_name.clone()).unwrap_or_default()
    };
    let open: Vec<&Board> = boards.iter().filter(|b| !b.closed).collect();
    let wanted = name.trim().to_lowercase();
    let named: Vec<&Board> = open.iter().copied().filter(|b| b.name.to_lowercase() == wanted).collect();
    let (found, how) = if named.is_empty() {
        let matching = open.iter().copied().filter(|b| board_matches(b, &workspace(b), name)).collect();
        (matching, "match")
    } else {
        (named, "are named")
    };
    let listed = |boards: &[&Board]| -> String {
        let mut lines: Vec<String> = boards
            .iter()
            .take(LISTED)
            .map(|b| {
                let ws = workspace(b);
                let ws = if ws.is_empty() { "no workspace".to_string() } else { line(&ws).into_owned() };
                format!("  {}  {} ({ws}, {})", line(&b.id), line(&b.name), line(&b.short_link))
            })
            .collect();
        if boards.len() > LISTED {
            lines.push(format!("  … and {} more", boards.len() - LISTED));
        }
        lines.join("\n")
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] if open.is_empty() => Err(CommandError::Usage(format!(
            "no open board matches \"{}\": this member has no open boards",
            repeatable(name)
        ))),
        [] => Err(CommandError::Usage(format!(
            "no open board matches \"{}\" (by name, workspace or short link, in any case); this member's open \
             boards:\n{}",
            repeatable(name),
            listed(&open)
        ))),
        several => Err(CommandError::Usage(format!(
            "{} boards {how} \"{}\"; choose one by its id, short link or a longer part of its name:\n{}",
            several.len(),
            repeatable(name),
            listed(several)
        ))),
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
            "No default board for profile \"{}\"; choose one with {}\n",
            line(ctx.name()),
            crate::advice::command(&ctx.invocation(), "board set BOARD")
        ),
    };
    Ok(Output::text(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(id: u8, name: &str, link: &str, workspace: Option<&str>) -> Board {
        let id = format!("5b{id:022x}");
        Board {
            id,
            name: name.into(),
            short_link: link.into(),
            closed: false,
            id_organization: workspace.map(Into::into),
        }
    }

    #[test]
    fn a_name_or_a_part_of_one_picks_a_board_as_the_picker_filters() {
        let boards = [
            board(1, "Customer Support", "SuPp0rt1", Some("ws1")),
            board(2, "Team Roadmap", "AbCd1234", Some("ws1")),
            board(3, "Chores", "ZzYy9876", None),
            board(4, "Road trip", "RoAd0002", None),
        ];
        let acme = [Workspace { id: "ws1".into(), display_name: "Acme Corp".into() }];
        let picked = |name: &str| pick(&boards, &acme, name).map(|b| b.name.clone()).map_err(|e| e.to_string());
        assert_eq!(picked("support").unwrap(), "Customer Support");
        assert_eq!(picked("CHORES").unwrap(), "Chores", "a name in any case");
        assert_eq!(picked("zzyy").unwrap(), "Chores", "a part of the short link");
        assert_eq!(picked("road trip").unwrap(), "Road trip");
        let several = picked("road").unwrap_err();
        assert!(several.starts_with("2 boards match \"road\"; choose one by its id"), "{several}");
        assert!(
            several.contains("Team Roadmap (Acme Corp, AbCd1234)")
                && several.contains("Road trip (no workspace, RoAd0002)")
        );
        let workspace = picked("acme").unwrap_err();
        assert!(workspace.starts_with("2 boards match \"acme\""), "the workspace's name matches: {workspace}");
        let none = picked("holidays").unwrap_err();
        assert!(none.contains("no open board matches \"holidays\"") && none.contains("Customer Support"), "{none}");
        // Many boards: the list is cut, and says how many more.
        let many: Vec<Board> = (0..25).map(|i| board(i, &format!("Board {i}"), "AaAa0000", None)).collect();
        let none = pick(&many, &[], "holidays").unwrap_err().to_string();
        assert_eq!(none.lines().count(), 1 + LISTED + 1, "{none}");
        assert!(none.ends_with("… and 15 more"), "{none}");
        // A token pasted as the name is not repeated.
        let token = format!("ATTA{}", "ab".repeat(32));
        assert!(!pick(&boards, &acme, &token).unwrap_err().to_string().contains(&token));
    }

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
