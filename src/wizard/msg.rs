//! What can happen to the wizard (`Msg`) and what it asks to be done (`Effect`): the data between `update` and the runtimes.

use std::time::Instant;

use crossterm::event::KeyEvent;

use super::model::{Room, Target};
use crate::capture::CaptureError;
use crate::credentials::vault::{NewToken, SaveOutcome, VaultError};
use crate::credentials::{Profile, Secret};
use crate::desktop::clipboard::CopyOutcome;
use crate::trello::{Board, Credentials, KeyCheck, Member, RetryNotice, TrelloError, Verified, Workspace};

/// Everything that can happen to the wizard. `Debug` masks what may be a
/// credential: pasted text, a captured token, the key being checked.
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal's size now (columns, rows).
    Resize(u16, u16),
    /// What the frame just drawn left out of view: where PgUp and PgDn can go.
    Layout(Room),
    Tick(Instant),
    KeyChecked {
        key: String,
        result: KeyCheck,
    },
    RateLimited {
        generation: u64,
        notice: RetryNotice,
        at: Instant,
    },
    Verified {
        generation: u64,
        result: Result<Box<Verified>, TrelloError>,
        at: String,
    },
    Saved(Result<Box<SaveOutcome>, VaultError>),
    /// Whether a system keyring answered (probed once at start).
    KeyringReachable(bool),
    Copied {
        what: &'static str,
        outcome: CopyOutcome,
        quiet: bool,
    },
    Opened(Result<(), String>),
    /// A [`Effect::Reopen`] finished: only a failure is worth a word.
    Reopened(Result<(), String>),
    /// The old token's revocation (after a rotation) finished.
    Revoked(Result<(), TrelloError>),
    /// What Trello answered for the revoked token (`401 invalid token` is the hoped-for answer).
    RevokeChecked(Result<Member, TrelloError>),
    /// The token listener started (its return URL and port) or could not.
    CaptureStarted(Result<(String, u16), CaptureError>),
    /// The token listener stopped before a token came.
    CaptureStopped,
    /// The browser handed the token to the listener.
    TokenCaptured(String),
    /// A start URL was opened twice: someone else is at the listener.
    CaptureTakeover,
    /// A whole answer for one field, as the plain front end reads it: the
    /// field takes the focus and the text, cleaned like a paste for
    /// credentials, parsed for the expiration and the scopes.
    Answer {
        target: Target,
        text: String,
    },
    /// The plain front end is about to ask this field: what the screen shows
    /// for the focused field is then said before its question.
    Focus(Target),
    /// The member's boards and workspaces (for the default-board picker).
    BoardsLoaded(Result<(Vec<Board>, Vec<Workspace>), TrelloError>),
    /// The default board was saved (`None`: cleared).
    /// The default board was saved (`None`: cleared), or why not.
    BoardSaved(Result<Option<Board>, String>),
    /// SIGTERM or SIGHUP: leave now, writing nothing.
    Terminate,
    /// Another saved profile, with its secrets, for the start screen (or why not).
    ProfileLoaded(Result<(String, Box<Profile>), String>),
}

/// What the runtime should do; each outcome comes back as a [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    OpenUrl(String),
    /// Open again where a browser was opened before; the step that asked says so itself.
    Reopen(String),
    /// Copy `text`; `quiet` leaves the notice to the step that asked (it says "copied" itself).
    Copy {
        what: &'static str,
        text: String,
        quiet: bool,
    },
    CheckKey(String),
    Verify {
        generation: u64,
        credentials: Credentials,
    },
    /// Save the verified token: an edit of the profile as stored now.
    Save {
        profile_name: String,
        new: Box<NewToken>,
    },
    /// Revoke the old token after a rotation, sent as `with` (the old pair,
    /// or another token of the same member that may write).
    Revoke {
        with: Credentials,
        token: Secret,
    },
    /// Ask Trello whether the revoked token is now refused.
    ConfirmRevoked(Credentials),
    /// List the member's boards and workspaces, once.
    LoadBoards(Credentials),
    /// Read another saved profile (the start screen's "next profile").
    LoadProfile(String),
    /// Save (or, with `None`, clear) the profile's default board.
    SaveBoard {
        profile_name: String,
        board: Option<Board>,
    },
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::credentials::secret::mask;
        match self {
            Msg::Key(key) => f.debug_tuple("Key").field(key).finish(),
            Msg::Paste(text) => f.debug_tuple("Paste").field(&mask(text)).finish(),
            Msg::Resize(width, height) => f.debug_tuple("Resize").field(width).field(height).finish(),
            Msg::Layout(room) => f.debug_tuple("Layout").field(room).finish(),
            Msg::Tick(at) => f.debug_tuple("Tick").field(at).finish(),
            Msg::KeyChecked { key, result } => {
                f.debug_struct("KeyChecked").field("key", &mask(key)).field("result", result).finish()
            }
            Msg::RateLimited { generation, notice, at } => f
                .debug_struct("RateLimited")
                .field("generation", generation)
                .field("notice", notice)
                .field("at", at)
                .finish(),
            Msg::Verified { generation, result, at } => f
                .debug_struct("Verified")
                .field("generation", generation)
                .field("result", result)
                .field("at", at)
                .finish(),
            Msg::Saved(result) => f.debug_tuple("Saved").field(result).finish(),
            Msg::KeyringReachable(yes) => f.debug_tuple("KeyringReachable").field(yes).finish(),
            Msg::Copied { what, outcome, quiet } => {
                f.debug_struct("Copied").field("what", what).field("outcome", outcome).field("quiet", quiet).finish()
            }
            Msg::Opened(result) => f.debug_tuple("Opened").field(result).finish(),
            Msg::Reopened(result) => f.debug_tuple("Reopened").field(result).finish(),
            Msg::Revoked(result) => f.debug_tuple("Revoked").field(result).finish(),
            Msg::RevokeChecked(result) => f.debug_tuple("RevokeChecked").field(result).finish(),
            Msg::CaptureStarted(result) => f.debug_tuple("CaptureStarted").field(result).finish(),
            Msg::CaptureStopped => f.write_str("CaptureStopped"),
            Msg::TokenCaptured(token) => f.debug_tuple("TokenCaptured").field(&mask(token)).finish(),
            Msg::CaptureTakeover => f.write_str("CaptureTakeover"),
            Msg::Answer { target, text } => {
                f.debug_struct("Answer").field("target", target).field("text", &mask(text)).finish()
            }
            Msg::Focus(target) => f.debug_tuple("Focus").field(target).finish(),
            Msg::BoardsLoaded(result) => f.debug_tuple("BoardsLoaded").field(result).finish(),
            Msg::BoardSaved(result) => f.debug_tuple("BoardSaved").field(result).finish(),
            Msg::Terminate => f.write_str("Terminate"),
            Msg::ProfileLoaded(result) => {
                f.debug_tuple("ProfileLoaded").field(&result.as_ref().map(|(name, p)| (name, p))).finish()
            }
        }
    }
}
