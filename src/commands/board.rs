//! `trello-auth board [set BOARD | clear]`: the profile's default board, which scripts and agents get as `TRELLO_BOARD_ID`.

use super::{CommandError, credentials_to_send, online, saved_profile};
use crate::credentials::store::{Saved, Store};
use crate::trello::{Board, Client, Credentials, Endpoints, TrelloError};

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
    if text.len() == 24 && text.chars().all(|c| c.is_ascii_hexdigit()) {
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

fn is_short_link(text: &str) -> bool {
    text.len() == 8 && text.chars().all(|c| c.is_ascii_alphanumeric())
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
        other => other.fix(),
    };
    CommandError::Failed(format!("board {what}: {error}\n  why: {}\n  fix: {fix}", error.cause()))
}

/// Resolves `BOARD` with Trello and saves it as the default board.
pub fn set(
    store: &Store,
    endpoints: &Endpoints,
    profile_name: &str,
    text: &str,
) -> Result<(Board, Saved), CommandError> {
    let profile = saved_profile(store, profile_name)?;
    let creds = credentials_to_send(&profile, profile_name)?;
    let (runtime, client) = online(endpoints)?;
    let board = runtime.block_on(resolve(&client, &creds, &parse(text), text))?;
    if board.closed {
        return Err(CommandError::Failed(format!(
            "board \"{}\" is closed; reopen it in Trello, or choose another board",
            board.name
        )));
    }
    let saved = store.update(&[], |config| {
        if let Some(p) = config.profiles.get_mut(profile_name) {
            p.board_id = Some(board.id.clone());
            p.board_name = Some(board.name.clone());
            p.board_short_link = Some(board.short_link.clone());
        }
    })?;
    Ok((board, saved))
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
                    "no open board named \"{name}\" among this member's boards; give its id, short link or URL"
                ))),
                several => {
                    let listed: Vec<String> =
                        several.iter().map(|b| format!("  {}  {} ({})", b.id, b.name, b.short_link)).collect();
                    Err(CommandError::Usage(format!(
                        "{} boards are named \"{name}\"; choose one by its id:\n{}",
                        several.len(),
                        listed.join("\n")
                    )))
                }
            }
        }
    }
}

/// Forgets the default board.
pub fn clear(store: &Store, profile_name: &str) -> Result<Saved, CommandError> {
    saved_profile(store, profile_name)?;
    Ok(store.update(&[], |config| {
        if let Some(p) = config.profiles.get_mut(profile_name) {
            p.board_id = None;
            p.board_name = None;
            p.board_short_link = None;
        }
    })?)
}

/// The default board in words (offline).
pub fn show(store: &Store, profile_name: &str) -> Result<String, CommandError> {
    let profile = saved_profile(store, profile_name)?;
    Ok(match (&profile.board_id, &profile.board_name) {
        (Some(id), name) => format!(
            "{} ({id}, https://trello.com/b/{})\n",
            name.as_deref().unwrap_or("unnamed board"),
            profile.board_short_link.as_deref().unwrap_or(id)
        ),
        (None, _) => {
            format!("No default board for profile \"{profile_name}\"; choose one with `trello-auth board set BOARD`\n")
        }
    })
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
