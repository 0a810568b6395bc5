//! The wizard's state: which step, what was typed, what Trello said.

use std::path::PathBuf;
use std::time::Instant;

use tui_input::Input;

use super::text::{env_command, fill, texts};
use crate::credentials::format::{self, Verdict};
use crate::credentials::store::{DEFAULT_APP_NAME, Profile, Storage};
use crate::credentials::vault::SaveOutcome;
use crate::trello::{AuthorizeUrl, Board, Endpoints, Expiration, Scopes, TrelloError, Verified, Workspace};

/// The start screen (credentials already saved), the five steps, then the done screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Start,
    Portal,
    PowerUp,
    ApiKey,
    Token,
    Verify,
    Done,
}

impl Step {
    pub const FIVE: [Step; 5] = [Step::Portal, Step::PowerUp, Step::ApiKey, Step::Token, Step::Verify];

    pub fn number(self) -> usize {
        match self {
            Step::Start => 0,
            Step::Portal => 1,
            Step::PowerUp => 2,
            Step::ApiKey => 3,
            Step::Token => 4,
            Step::Verify | Step::Done => 5,
        }
    }

    /// What can take the focus on this step, in Tab order.
    pub fn targets(self) -> &'static [Target] {
        use Target::*;
        match self {
            Step::PowerUp => &[AppName, Workspace, Email, Support, Author, Iframe],
            Step::ApiKey => &[Key, Secret],
            Step::Token => &[Expiration, Read, Write, Account, Token],
            Step::Start | Step::Portal | Step::Verify | Step::Done => &[],
        }
    }
}

/// A focusable row or field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    AppName,
    Workspace,
    Email,
    Support,
    Author,
    Iframe,
    Key,
    Secret,
    Expiration,
    Read,
    Write,
    Account,
    Token,
}

impl Target {
    /// Text fields take typed letters; other targets treat letters as commands.
    pub fn is_text(self) -> bool {
        matches!(self, Target::AppName | Target::Email | Target::Author | Target::Key | Target::Secret | Target::Token)
    }
}

/// What Trello said about the key on its own (step 3's background check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStatus {
    NotChecked,
    Checking(String),
    Known(String),
    Rejected(String),
    Unchecked(String, String),
}

impl KeyStatus {
    /// The same status with the key masked, for `Debug`.
    fn masked(&self) -> KeyStatus {
        use crate::credentials::secret::mask;
        match self {
            KeyStatus::NotChecked => KeyStatus::NotChecked,
            KeyStatus::Checking(k) => KeyStatus::Checking(mask(k)),
            KeyStatus::Known(k) => KeyStatus::Known(mask(k)),
            KeyStatus::Rejected(k) => KeyStatus::Rejected(mask(k)),
            KeyStatus::Unchecked(k, why) => KeyStatus::Unchecked(mask(k), why.clone()),
        }
    }
}

/// A rate-limit wait the client reported, for the countdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateWait {
    pub until: Instant,
    pub attempt: u32,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VerifyState {
    Idle,
    Running {
        rate_wait: Option<RateWait>,
    },
    Failed(TrelloError),
    /// Rotating, and the new token belongs to someone else: ask before saving.
    OtherMember(Box<Verified>),
    /// Trello accepts the token, but it is not saved: why.
    Refused(Box<Verified>, Refusal),
    /// Setting up with a token that came through the listener: any local
    /// program could have sent one, so the account is shown and confirmed first.
    ConfirmCaptured(Box<Verified>),
    /// Verified, and a keyring is reachable: ask where the token goes.
    ChooseStorage(Box<Verified>),
    Saving(Box<Verified>),
    SaveFailed(Box<Verified>, String),
    Saved(Box<Verified>, Box<SaveOutcome>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    ConfirmQuit,
    /// Choosing the default board (done and start screens).
    Boards,
    /// The authorize URL alone on the screen, without borders, to select it.
    Url,
}

/// The member's boards, asked for once per run: Trello limits `/1/members/`
/// calls to 100 per 900 s per token.
#[derive(Debug, Clone, PartialEq)]
pub enum BoardList {
    NotAsked,
    Loading,
    Loaded { boards: Vec<Board>, workspaces: Vec<Workspace> },
    Failed(TrelloError),
}

/// One row of the board picker: a board, or "no default board".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    pub board: Option<Board>,
    /// `name — workspace — short link`, or the words for no board.
    pub text: String,
    /// The workspace it is grouped under ("" for none).
    pub workspace: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Success,
    Warning,
}

/// A one-line message under the body ("copied", "copy it by hand", …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// How the wizard ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Saved,
    /// Quit before saving what was being set up.
    Aborted,
    /// Left the start screen: there was nothing to save.
    Left,
}

/// Setting up from nothing, replacing the token of a saved profile, or
/// authorizing an agent's own token from a saved profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Setup,
    Rotate,
    Agent,
}

/// An agent's own token being authorized: for whom, and from which profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentFlow {
    pub agent: crate::credentials::Agent,
    /// The client in words ("Claude Code").
    pub client: String,
    /// The parent profile's member: the agent's token must be the same member's.
    pub member_id: Option<String>,
    /// "Ann Example (@ann)", for the words.
    pub who: Option<String>,
    /// Where the parent keeps its token: the agent's goes there too.
    pub storage: Storage,
}

/// Why a verified token is not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// An agent's token of another member than its parent profile's (who it is).
    OtherMember(String),
    /// A token that came through the listener but was made before this run
    /// began (Trello's `dateCreated`, on Trello's clock): not the one just
    /// authorized, so someone else sent it.
    MadeBefore { created: String },
}

/// The start screen's "verify now".
#[derive(Debug, Clone, PartialEq)]
pub enum StartCheck {
    Idle,
    Checking,
    Valid(Box<Verified>),
    Failed(TrelloError),
}

/// After a rotation: revoking the old token.
#[derive(Debug, Clone, PartialEq)]
pub enum RevokeState {
    /// Not a rotation, or nothing to revoke.
    NotOffered,
    Offered,
    Revoking,
    /// Revoked; asking Trello whether the old token is now refused.
    Confirming,
    /// Trello now answers `401 invalid token` for the old token.
    Confirmed,
    /// Revoked, but the check did not show it refused.
    Unconfirmed(String),
    Failed(TrelloError),
    Declined,
}

/// The loopback listener that catches the token after Allow (step 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureState {
    /// Not running; starts whenever step 4 is shown.
    Idle,
    Waiting {
        return_url: String,
    },
    /// Could not start (the port is taken, …): paste instead.
    Failed(String),
    Received,
}

/// Fixed facts about this run, decided before the wizard starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub endpoints: Endpoints,
    pub profile: String,
    pub config_path: PathBuf,
    /// Why a browser cannot be opened here, if it cannot.
    pub no_browser_reason: Option<String>,
    pub color: bool,
    /// Wall-clock time at start, for expiry warnings.
    pub started_at: time::OffsetDateTime,
    /// Port of the token-capture listener (0: any free port).
    pub capture_port: u16,
    /// Why the token will not be captured, when it will not be.
    pub capture_off: Option<String>,
    /// Why this profile is the one shown ("--profile", "TRELLO_AUTH_PROFILE", …).
    pub profile_source: String,
    /// The config file's other profiles, for the start screen to offer.
    pub other_profiles: Vec<String>,
    /// The plain, line-by-line front end: keys are named by the words typed there.
    pub plain: bool,
    /// How to run trello-auth for this profile in a suggested command
    /// (`trello-auth --profile work` when it was named; see `commands::invocation`).
    pub run: String,
}

#[derive(Clone)]
pub struct Model {
    pub setup: Setup,
    pub mode: Mode,
    /// The profile on disk when the wizard started (start screen and rotation).
    pub saved: Option<Profile>,
    pub start_check: StartCheck,
    /// Selected row of the start screen.
    pub choice: usize,
    pub revoke: RevokeState,
    pub capture: CaptureState,
    /// Step 4 without a listener: the authorize URL has no `return_url`, so
    /// Trello shows the token for pasting. Kept when moving between steps.
    pub pasting: bool,
    /// Where the token and secret will be saved: the profile's own choice
    /// when rotating, else asked on step 5 when a keyring is reachable.
    pub storage: Storage,
    /// A system keyring answered (probed in the background at start).
    pub keyring_reachable: bool,
    pub boards: BoardList,
    /// The picker's filter, typed as the user goes.
    pub board_filter: Input,
    /// Selected row among the filtered rows.
    pub board_choice: usize,
    /// The default board saved in this run (`Some(None)`: cleared).
    pub board_saved: Option<Option<Board>>,
    pub step: Step,
    /// Index into `step.targets()`.
    pub focus: usize,
    pub app_name: Input,
    pub email: Input,
    pub author: Input,
    pub key: Input,
    pub secret: Input,
    pub token: Input,
    pub expiration: Expiration,
    pub scopes: Scopes,
    pub reveal: bool,
    pub key_status: KeyStatus,
    pub verify: VerifyState,
    /// Bumped for each verification, so a late answer to an abandoned one is ignored.
    pub verify_generation: u64,
    pub notice: Option<Notice>,
    pub overlay: Overlay,
    /// The keys of the screen (and overlay) under it, listed on top.
    pub help: bool,
    /// The token Trello just refused, so step 4 says so instead of "looks valid".
    pub rejected_token: Option<String>,
    /// A browser was opened in this run: a switch to paste mode opens the new URL there too.
    pub browser_opened: bool,
    /// Start URLs armed on the listener so far (each opens once, see `capture`).
    pub start_opened: u32,
    /// The token in the field came through the listener, not from the user's hands.
    pub token_from_listener: bool,
    pub exit: Option<Exit>,
    /// When the last successful verification happened (RFC 3339).
    pub verified_at: Option<String>,
    /// Last clock reading the runtime passed in (for countdowns).
    pub now: Instant,
    /// Spinner frame, advanced by ticks.
    pub frame: usize,
    /// Authorizing an agent's own token (`Mode::Agent`).
    pub agent: Option<AgentFlow>,
    /// Rotating an agent's read-only token: its parent's key and token, which
    /// may revoke the old one (a read-only token cannot revoke itself).
    pub revoke_with: Option<crate::trello::Credentials>,
    /// The terminal's size (columns, rows), told by the runtime; the plain front end has none.
    pub size: Option<(u16, u16)>,
    /// Rows PgDn (+) and PgUp (-) moved the body from where it follows the
    /// focus, when the step is taller than the terminal; 0 again on a
    /// keystroke that edits or moves the focus.
    pub scroll: isize,
}

/// Masks the key, secret and token fields: a `{:?}` in a log or a panic
/// message must never print a credential.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::credentials::secret::mask;
        f.debug_struct("Model")
            .field("mode", &self.mode)
            .field("step", &self.step)
            .field("focus", &self.focus)
            .field("app_name", &self.app_name.value())
            .field("email", &self.email.value())
            .field("author", &self.author.value())
            .field("key", &mask(self.key.value()))
            .field("secret", &mask(self.secret.value()))
            .field("token", &mask(self.token.value()))
            .field("expiration", &self.expiration)
            .field("scopes", &self.scopes)
            .field("reveal", &self.reveal)
            .field("key_status", &self.key_status.masked())
            .field("verify", &self.verify)
            .field("capture", &self.capture)
            .field("pasting", &self.pasting)
            .field("storage", &self.storage)
            .field("saved", &self.saved)
            .field("start_check", &self.start_check)
            .field("revoke", &self.revoke)
            .field("notice", &self.notice)
            .field("overlay", &self.overlay)
            .field("exit", &self.exit)
            .finish_non_exhaustive()
    }
}

impl Model {
    pub fn new(setup: Setup, now: Instant) -> Self {
        Model {
            setup,
            mode: Mode::Setup,
            saved: None,
            start_check: StartCheck::Idle,
            choice: 0,
            revoke: RevokeState::NotOffered,
            capture: CaptureState::Idle,
            pasting: false,
            storage: Storage::File,
            keyring_reachable: false,
            boards: BoardList::NotAsked,
            board_filter: Input::default(),
            board_choice: 0,
            board_saved: None,
            step: Step::Portal,
            focus: 0,
            app_name: Input::new(DEFAULT_APP_NAME.to_string()),
            email: Input::default(),
            author: Input::default(),
            key: Input::default(),
            secret: Input::default(),
            token: Input::default(),
            expiration: Expiration::default(),
            scopes: Scopes::READ_WRITE,
            reveal: false,
            key_status: KeyStatus::NotChecked,
            verify: VerifyState::Idle,
            verify_generation: 0,
            notice: None,
            overlay: Overlay::None,
            help: false,
            rejected_token: None,
            browser_opened: false,
            start_opened: 0,
            token_from_listener: false,
            exit: None,
            verified_at: None,
            now,
            frame: 0,
            agent: None,
            revoke_with: None,
            size: None,
            scroll: 0,
        }
    }

    /// The start screen for a saved profile.
    pub fn start_screen(setup: Setup, now: Instant, profile: Profile) -> Self {
        let mut m = Model::new(setup, now);
        m.step = Step::Start;
        m.saved = Some(profile);
        m
    }

    /// Step 4 with the saved key, secret, app name, scopes and expiration chosen.
    pub fn rotate(setup: Setup, now: Instant, profile: Profile) -> Self {
        let mut m = Model::new(setup, now);
        m.prefill_from(&profile);
        m.saved = Some(profile);
        m.mode = Mode::Rotate;
        m.step = Step::Token;
        m.focus = Step::Token.targets().iter().position(|t| *t == Target::Token).unwrap_or(0);
        m
    }

    /// Step 4 for an agent's own token: the parent profile's key, the app
    /// name `trello-auth (CLIENT)`, and the scopes and expiration asked for.
    pub fn agent(
        setup: Setup,
        now: Instant,
        parent: &Profile,
        flow: AgentFlow,
        scopes: Scopes,
        expiration: Expiration,
    ) -> Self {
        let mut m = Model::new(setup, now);
        m.key = Input::new(parent.api_key.clone());
        m.app_name = Input::new(flow.agent.app_name());
        m.scopes = scopes;
        m.expiration = expiration;
        m.storage = flow.storage;
        let app = flow.agent.app_name();
        let who = flow.who.clone().unwrap_or_default();
        let intro = fill(&texts().agent.intro, &[("client", &flow.client), ("app", &app), ("who", &who)]);
        m.notice = Some(Notice { kind: NoticeKind::Info, text: intro });
        m.agent = Some(flow);
        m.mode = Mode::Agent;
        m.step = Step::Token;
        m.focus = Step::Token.targets().iter().position(|t| *t == Target::Token).unwrap_or(0);
        m
    }

    fn prefill_from(&mut self, profile: &Profile) {
        self.key = Input::new(profile.api_key.clone());
        if let Some(secret) = &profile.api_secret {
            self.secret = Input::new(secret.expose().to_string());
        }
        self.app_name = Input::new(profile.app_name.clone());
        self.scopes = if profile.requested_scope.is_empty() { Scopes::READ_WRITE } else { profile.requested_scope };
        self.expiration = profile.expiration;
        self.storage = profile.storage;
    }

    /// The saved token, when rotating away from it.
    pub fn old_token(&self) -> Option<&crate::credentials::Secret> {
        self.saved.as_ref().and_then(|p| p.token.as_ref())
    }

    pub fn focused(&self) -> Option<Target> {
        self.step.targets().get(self.focus).copied()
    }

    /// The text field that has the focus, if any.
    pub fn focused_text(&self) -> Option<Target> {
        self.focused().filter(|t| t.is_text())
    }

    pub fn input(&self, target: Target) -> Option<&Input> {
        Some(match target {
            Target::AppName => &self.app_name,
            Target::Email => &self.email,
            Target::Author => &self.author,
            Target::Key => &self.key,
            Target::Secret => &self.secret,
            Target::Token => &self.token,
            _ => return None,
        })
    }

    pub fn input_mut(&mut self, target: Target) -> Option<&mut Input> {
        Some(match target {
            Target::AppName => &mut self.app_name,
            Target::Email => &mut self.email,
            Target::Author => &mut self.author,
            Target::Key => &mut self.key,
            Target::Secret => &mut self.secret,
            Target::Token => &mut self.token,
            _ => return None,
        })
    }

    pub fn app_name(&self) -> &str {
        self.app_name.value().trim()
    }

    pub fn key_value(&self) -> &str {
        self.key.value()
    }

    pub fn secret_value(&self) -> &str {
        self.secret.value()
    }

    pub fn token_value(&self) -> &str {
        self.token.value()
    }

    pub fn key_verdict(&self) -> Verdict {
        format::check_key(self.key_value())
    }

    pub fn secret_verdict(&self) -> Verdict {
        format::check_secret(self.secret_value())
    }

    pub fn token_verdict(&self) -> Verdict {
        format::check_token(self.token_value(), Some(self.secret_value()), Some(self.key_value()))
    }

    pub fn email_verdict(&self) -> EmailVerdict {
        check_email(self.email.value())
    }

    /// The authorize URL for the current choices (key may still be incomplete).
    pub fn authorize_url(&self) -> String {
        let request = AuthorizeUrl {
            key: self.key_value().to_string(),
            app_name: self.app_name().to_string(),
            expiration: self.expiration,
            scopes: self.scopes,
            return_url: match &self.capture {
                CaptureState::Waiting { return_url } if !self.pasting => Some(return_url.clone()),
                _ => None,
            },
        };
        request.build(&self.setup.endpoints.web_base).unwrap_or_default()
    }

    /// The token can come back by itself: catching is on, not failed, and
    /// pasting was not chosen.
    pub fn token_comes_back(&self) -> bool {
        self.setup.capture_off.is_none() && !self.pasting && !matches!(self.capture, CaptureState::Failed(_))
    }

    /// The runtime starts a listener when this is true and none runs.
    pub fn wants_capture(&self) -> bool {
        self.exit.is_none()
            && self.step == Step::Token
            && self.token_comes_back()
            && matches!(self.capture, CaptureState::Idle | CaptureState::Waiting { .. })
    }

    /// The runtime keeps a running listener while this is true: waiting on
    /// step 4, and after a token arrived until the user has said whose it is,
    /// so a start URL the real browser opens late still reports a takeover.
    pub fn holds_capture(&self) -> bool {
        let confirming = self.token_from_listener
            && self.capture == CaptureState::Received
            && matches!(self.verify, VerifyState::Running { .. } | VerifyState::ConfirmCaptured(_));
        self.wants_capture() || (self.exit.is_none() && confirming)
    }

    /// `http://127.0.0.1:PORT` for the key's Allowed origins.
    pub fn capture_origin(&self) -> String {
        crate::capture::origin(self.capture_port())
    }

    /// The listener's port: the one it runs on, else the one asked for.
    pub fn capture_port(&self) -> u16 {
        match &self.capture {
            CaptureState::Waiting { return_url } => return_url
                .strip_prefix("http://127.0.0.1:")
                .and_then(|rest| rest.split('/').next())
                .and_then(|p| p.parse().ok())
                .unwrap_or(self.setup.capture_port),
            _ => self.setup.capture_port,
        }
    }

    /// Whether the user has typed anything worth asking about before quitting.
    pub fn has_input(&self) -> bool {
        self.app_name() != DEFAULT_APP_NAME
            || !self.email.value().is_empty()
            || !self.author.value().is_empty()
            || !self.key_value().is_empty()
            || !self.secret_value().is_empty()
            || !self.token_value().is_empty()
    }

    /// Something moves on screen, so the runtime should send ticks.
    pub fn is_animating(&self) -> bool {
        self.exit.is_none()
            && (matches!(self.verify, VerifyState::Running { .. } | VerifyState::Saving(_))
                || matches!(self.revoke, RevokeState::Revoking | RevokeState::Confirming)
                || self.start_check == StartCheck::Checking)
    }

    /// Seconds left in a rate-limit wait, for the countdown.
    pub fn rate_wait_seconds(&self) -> Option<u64> {
        match &self.verify {
            VerifyState::Running { rate_wait: Some(wait) } => {
                let left = wait.until.saturating_duration_since(self.now);
                Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
            }
            _ => None,
        }
    }
}

impl Model {
    /// The picker's rows for the current filter: "no default board" first,
    /// then boards grouped by workspace (no workspace last), each group by name.
    /// The picker's row of the current default board ("no default board" when none is listed).
    pub fn current_board_row(&self) -> usize {
        let Some((_, id)) = self.default_board() else { return 0 };
        self.board_rows().iter().position(|row| row.board.as_ref().is_some_and(|b| b.id == id)).unwrap_or(0)
    }

    pub fn board_rows(&self) -> Vec<BoardRow> {
        let BoardList::Loaded { boards, workspaces } = &self.boards else { return Vec::new() };
        let filter = self.board_filter.value().trim().to_lowercase();
        let workspace_name = |b: &Board| {
            b.id_organization
                .as_ref()
                .and_then(|id| workspaces.iter().find(|w| &w.id == id))
                .map(|w| crate::untrusted::line(&w.display_name).into_owned())
                .unwrap_or_default()
        };
        let mut rows: Vec<BoardRow> = boards
            .iter()
            .filter(|b| !b.closed)
            .map(|b| {
                let workspace = workspace_name(b);
                let name = crate::untrusted::line(&b.name).into_owned();
                let shown_ws =
                    if workspace.is_empty() { texts().boards.no_workspace.clone() } else { workspace.clone() };
                BoardRow {
                    board: Some(b.clone()), text: format!("{name} — {shown_ws} — {}", b.short_link), workspace
                }
            })
            .filter(|r| filter.is_empty() || r.text.to_lowercase().contains(&filter))
            .collect();
        rows.sort_by(|a, b| {
            (a.workspace.is_empty(), &a.workspace, &a.text).cmp(&(b.workspace.is_empty(), &b.workspace, &b.text))
        });
        // "No default board" is a row only while nothing is typed: a filter
        // that matches no board must not leave Enter on "clear the board".
        let mut all = Vec::new();
        if filter.is_empty() {
            all.push(BoardRow { board: None, text: texts().boards.none.clone(), workspace: String::new() });
        }
        all.extend(rows);
        all
    }

    /// The key and token that are saved or were just verified, for the board calls.
    pub fn working_credentials(&self) -> Option<crate::trello::Credentials> {
        match (&self.verify, &self.saved) {
            (VerifyState::Saved(..), _) => Some(crate::trello::Credentials {
                key: self.key_value().to_string(),
                token: crate::credentials::Secret::new(self.token_value()),
            }),
            (_, Some(p)) => Some(crate::trello::Credentials { key: p.api_key.clone(), token: p.token.clone()? }),
            _ => None,
        }
    }

    /// The default board as this run knows it: chosen now, else saved.
    pub fn default_board(&self) -> Option<(String, String)> {
        match &self.board_saved {
            Some(Some(b)) => Some((b.name.clone(), b.id.clone())),
            Some(None) => None,
            None => {
                if let VerifyState::Saved(_, outcome) = &self.verify
                    && outcome.board_dropped.is_some()
                {
                    return None;
                }
                let p = self.saved.as_ref()?;
                Some((p.board_name.clone().unwrap_or_default(), p.board_id.clone()?))
            }
        }
    }
}

/// The live check of the email typed in step 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailVerdict {
    Empty,
    Valid,
    Invalid(&'static str),
}

/// A plain sanity check: enough to catch typos, not RFC 5322.
pub fn check_email(email: &str) -> EmailVerdict {
    let email = email.trim();
    if email.is_empty() {
        return EmailVerdict::Empty;
    }
    if email.chars().any(char::is_whitespace) {
        return EmailVerdict::Invalid(&texts().email.no_spaces);
    }
    let Some((local, domain)) = email.split_once('@') else { return EmailVerdict::Invalid(&texts().email.missing_at) };
    if local.is_empty() {
        return EmailVerdict::Invalid(&texts().email.nothing_before);
    }
    if domain.contains('@') {
        return EmailVerdict::Invalid(&texts().email.more_than_one);
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return EmailVerdict::Invalid(&texts().email.domain);
    }
    EmailVerdict::Valid
}

/// The username of the member whose token a rotation replaced: the old token
/// is revoked from that member's account page, even after switching accounts.
pub fn old_member(m: &Model) -> Option<&str> {
    match &m.verify {
        VerifyState::Saved(_, outcome) => outcome.replaced.as_ref()?.member_username.as_deref(),
        _ => None,
    }
}

/// Left on step 4 with a good key: the authorize URL on the normal screen,
/// whole and without a border to select it by, and how to finish with it.
/// It is the paste-mode URL: the listener that a `return_url` names is gone.
pub fn parting(m: &Model) -> Option<String> {
    if m.step != Step::Token || !m.key_verdict().is_savable() || matches!(m.exit, Some(Exit::Saved)) {
        return None;
    }
    let pasting = Model { pasting: true, ..m.clone() };
    let command = format!("{} login --with-token --key {}", m.setup.run, m.key_value());
    Some(format!("{}\n{}", fill(&texts().quit.parting, &[("command", &command)]), pasting.authorize_url()))
}

/// The lines for the normal screen after the wizard closes.
pub fn summary(m: &Model) -> Option<String> {
    let VerifyState::Saved(v, outcome) = &m.verify else { return None };
    let r = &texts().rotate;
    let path = outcome.saved.path.display().to_string();
    let mut lines = vec![match &outcome.place {
        crate::credentials::vault::Place::File(_) => {
            fill(&r.summary_saved, &[("who", &v.member.who()), ("path", &path)])
        }
        place => {
            fill(&r.summary_saved_keyring, &[("who", &v.member.who()), ("path", &path), ("reason", &place.to_string())])
        }
    }];
    // Where the old token stays valid, say so, and where a copy of it is (a
    // keyring profile's file never held it: then no copy is left anywhere).
    let copy = match outcome.replaced.as_ref().and_then(|r| r.copy_in.as_ref()) {
        Some(backup) => fill(&r.summary_copy, &[("backup", &backup.display().to_string())]),
        None => String::new(),
    };
    match (&m.mode, &m.revoke) {
        (Mode::Setup, _) => {}
        // Nothing was replaced: the token saved is the one that was there.
        (_, RevokeState::NotOffered) if outcome.replaced.is_none() => lines.push(r.summary_same.clone()),
        (_, RevokeState::Confirmed) => lines.push(r.summary_revoked.clone()),
        (_, RevokeState::Unconfirmed(why)) => {
            lines.push(fill(&r.summary_unconfirmed, &[("why", why), ("copy", &copy)]))
        }
        (_, _) => {
            let account = m.setup.endpoints.account_url(old_member(m).unwrap_or(&v.member.username));
            lines.push(fill(&r.summary_still_valid, &[("account", &account), ("copy", &copy)]));
        }
    }
    lines.push(fill(&r.summary_next, &[("command", &env_command(&m.setup.run))]));
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(check_email(""), EmailVerdict::Empty);
        assert_eq!(check_email("ann@example.com"), EmailVerdict::Valid);
        assert_eq!(check_email("ann"), EmailVerdict::Invalid("missing @"));
        assert_eq!(
            check_email("ann@example"),
            EmailVerdict::Invalid("the part after @ needs a domain such as example.com")
        );
        assert_eq!(check_email("a b@c.d"), EmailVerdict::Invalid("an email has no spaces"));
    }
}
