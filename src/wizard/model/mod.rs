//! The wizard's state, in the parts it has (what was entered, the token's way back, the board picker, the rotation, what is shown), and the questions it answers about itself.

mod boards;
mod capture;
mod form;
mod step;
mod ui;

use std::path::PathBuf;
use std::time::Instant;

pub use boards::BoardList;
pub(crate) use boards::Picker;
pub(crate) use capture::CaptureFlow;
pub use capture::CaptureState;
pub use form::KeyStatus;
pub(crate) use form::{EmailVerdict, Form};
pub(crate) use step::STEPS;
pub use step::{Step, Target};
pub use ui::Overlay;
pub(crate) use ui::{Notice, NoticeKind, Room, Ui};

use super::text::{env_command, fill, texts};
use crate::credentials::store::{Profile, Storage};
use crate::credentials::vault::SaveOutcome;
use crate::trello::{AuthorizeUrl, Endpoints, Scopes, TrelloError, Verified};

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
    /// A token that came through the listener: any local program could have
    /// sent one, so the account is shown and confirmed first.
    ConfirmCaptured(Box<Verified>),
    /// Verified, and a keyring is reachable: ask where the token goes.
    ChooseStorage(Box<Verified>),
    Saving(Box<Verified>),
    /// Why, and for a keyring that would not take it, the keyring's own cure
    /// (the screen offers the file as the way around it).
    SaveFailed(Box<Verified>, String, Option<&'static str>),
    Saved(Box<Verified>, Box<SaveOutcome>),
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
    /// A token another profile of the file holds, which an agent's own may
    /// not be (revoking one would log the other out): the vault's words.
    Shared(String),
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
    /// The start screen's check saw Trello refuse the old token (401): there
    /// is nothing left to revoke, and it is not said to still work.
    AlreadyRefused,
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

/// The rotation's end: the old token's revocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Rotation {
    pub revoke: RevokeState,
    /// Rotating an agent's read-only token: its parent's key and token, which
    /// may revoke the old one (a read-only token cannot revoke itself).
    pub revoke_with: Option<crate::credentials::Credentials>,
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation { revoke: RevokeState::NotOffered, revoke_with: None }
    }
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
    /// The config file as the command line named it (`None`: the default
    /// place), so that `run` is written again for a profile chosen here.
    pub named_config: Option<PathBuf>,
}

/// The whole state. `Debug` masks every credential (its parts do).
#[derive(Clone, Debug)]
pub struct Model {
    pub setup: Setup,
    pub mode: Mode,
    /// The profile on disk when the wizard started (start screen and rotation).
    pub saved: Option<Profile>,
    pub step: Step,
    /// Index into the step's focusable rows (`screen::targets`).
    pub focus: usize,
    pub form: Form,
    pub capture: CaptureFlow,
    pub boards: Picker,
    pub rotation: Rotation,
    pub ui: Ui,
    pub start_check: StartCheck,
    pub verify: VerifyState,
    /// Bumped for each verification, so a late answer to an abandoned one is ignored.
    pub verify_generation: u64,
    /// When the last successful verification happened (RFC 3339).
    pub verified_at: Option<String>,
    /// Where the token and secret will be saved: the profile's own choice
    /// when rotating, else asked on step 5 when a keyring is reachable.
    pub storage: Storage,
    /// A system keyring answered (probed in the background at start).
    pub keyring_reachable: bool,
    /// Authorizing an agent's own token (`Mode::Agent`).
    pub agent: Option<AgentFlow>,
    pub exit: Option<Exit>,
}

impl Model {
    pub fn new(setup: Setup, now: Instant) -> Self {
        Model {
            setup,
            mode: Mode::Setup,
            saved: None,
            step: Step::Portal,
            focus: 0,
            form: Form::default(),
            capture: CaptureFlow::default(),
            boards: Picker::default(),
            rotation: Rotation::default(),
            ui: Ui::new(now),
            start_check: StartCheck::Idle,
            verify: VerifyState::Idle,
            verify_generation: 0,
            verified_at: None,
            storage: Storage::File,
            keyring_reachable: false,
            agent: None,
            exit: None,
        }
    }

    /// The start screen for a saved profile.
    pub fn start_screen(setup: Setup, now: Instant, profile: Profile) -> Self {
        let mut m = Model::new(setup, now);
        m.step = Step::Start;
        m.saved = Some(profile);
        m
    }

    pub(in crate::wizard) fn prefill_from(&mut self, profile: &Profile) {
        self.form.key = tui_input::Input::new(profile.api_key.clone());
        if let Some(secret) = &profile.api_secret {
            self.form.secret = tui_input::Input::new(secret.expose().to_string());
        }
        self.form.app_name = tui_input::Input::new(profile.app_name.clone());
        self.form.scopes =
            if profile.requested_scope.is_empty() { Scopes::READ_WRITE } else { profile.requested_scope };
        self.form.expiration = profile.expiration;
        self.storage = profile.storage;
    }

    /// A one-line message under the body.
    pub(crate) fn notice(&mut self, kind: NoticeKind, text: impl Into<String>) {
        self.ui.notice = Some(Notice { kind, text: text.into() });
    }

    /// The saved token, when rotating away from it.
    pub fn old_token(&self) -> Option<&crate::credentials::Secret> {
        self.saved.as_ref().and_then(|p| p.token.as_ref())
    }

    /// The saved key and token, when the token can be sent: a config edited
    /// by hand into something that is not a token never is.
    pub(crate) fn saved_credentials(&self) -> Option<crate::credentials::Credentials> {
        let saved = self.saved.as_ref()?;
        crate::credentials::Credentials::sendable(&saved.api_key, saved.token.as_ref()?).ok()
    }

    /// The authorize URL for the current choices (key may still be incomplete).
    pub fn authorize_url(&self) -> String {
        let request = AuthorizeUrl {
            key: self.form.key().to_string(),
            app_name: self.form.app_name().to_string(),
            expiration: self.form.expiration,
            scopes: self.form.scopes,
            return_url: self.capture.return_url().map(str::to_string),
        };
        request.build(&self.setup.endpoints.web_base).unwrap_or_default()
    }

    /// The token can come back by itself: catching is on, not failed, and
    /// pasting was not chosen.
    pub(crate) fn token_comes_back(&self) -> bool {
        self.setup.capture_off.is_none() && !self.capture.pasting && !self.capture.failed()
    }

    /// The runtime starts a listener when this is true and none runs.
    pub fn wants_capture(&self) -> bool {
        self.exit.is_none()
            && self.step == Step::Token
            && self.token_comes_back()
            && matches!(self.capture.state, CaptureState::Idle | CaptureState::Waiting { .. })
    }

    /// The runtime keeps a running listener while this is true: waiting on
    /// step 4, and after a token arrived until the user has said whose it is,
    /// so a start URL the real browser opens late still reports a takeover.
    pub fn holds_capture(&self) -> bool {
        let confirming = self.capture.from_listener
            && self.capture.state == CaptureState::Received
            && matches!(self.verify, VerifyState::Running { .. } | VerifyState::ConfirmCaptured(_));
        self.wants_capture() || (self.exit.is_none() && confirming)
    }

    /// `http://127.0.0.1:PORT` for the key's Allowed origins.
    pub(crate) fn capture_origin(&self) -> String {
        crate::capture::origin(self.capture_port())
    }

    /// The listener's port: the one it runs on, else the one asked for.
    pub fn capture_port(&self) -> u16 {
        self.capture.port().unwrap_or(self.setup.capture_port)
    }

    /// Whether the user has typed anything worth asking about before quitting.
    pub(crate) fn has_input(&self) -> bool {
        self.form.has_input()
    }

    /// Something moves on screen, so the runtime should send ticks.
    pub fn is_animating(&self) -> bool {
        self.exit.is_none()
            && (matches!(self.verify, VerifyState::Running { .. } | VerifyState::Saving(_))
                || matches!(self.rotation.revoke, RevokeState::Revoking | RevokeState::Confirming)
                || self.start_check == StartCheck::Checking)
    }

    /// Seconds left in a rate-limit wait, for the countdown.
    pub fn rate_wait_seconds(&self) -> Option<u64> {
        match &self.verify {
            VerifyState::Running { rate_wait: Some(wait) } => {
                let left = wait.until.saturating_duration_since(self.ui.now);
                Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
            }
            _ => None,
        }
    }

    /// The key and token that are saved or were just verified, for the board
    /// calls: only ever a pair that passes the one rule for sending a token.
    pub(crate) fn working_credentials(&self) -> Option<crate::credentials::Credentials> {
        match &self.verify {
            VerifyState::Saved(..) => crate::credentials::Credentials::sendable(
                self.form.key(),
                &crate::credentials::Secret::new(self.form.token()),
            )
            .ok(),
            _ => self.saved_credentials(),
        }
    }

    /// The default board as this run knows it: chosen now, else saved.
    pub(crate) fn default_board(&self) -> Option<(String, String)> {
        match &self.boards.saved {
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

    /// The picker's row of the current default board.
    pub(crate) fn current_board_row(&self) -> usize {
        self.boards.row_of(self.default_board().as_ref().map(|(_, id)| id.as_str()))
    }

    /// The URL of the member's account page, where tokens are revoked, once verified.
    pub(crate) fn account_url(&self) -> Option<String> {
        match &self.verify {
            VerifyState::Saved(v, _) => Some(self.setup.endpoints.account_url(&v.member.username)),
            _ => None,
        }
    }
}

/// The username of the member whose token a rotation replaced: the old token
/// is revoked from that member's account page, even after switching accounts.
pub(crate) fn old_member(m: &Model) -> Option<&str> {
    match &m.verify {
        VerifyState::Saved(_, outcome) => outcome.replaced.as_ref()?.member_username.as_deref(),
        _ => None,
    }
}

/// Left on step 4 with a good key: the authorize URL on the normal screen,
/// whole and without a border to select it by, and how to finish with it.
/// It is the paste-mode URL: the listener that a `return_url` names is gone.
pub fn parting(m: &Model) -> Option<String> {
    if m.step != Step::Token || !m.form.key_verdict().is_savable() || matches!(m.exit, Some(Exit::Saved)) {
        return None;
    }
    let mut pasting = m.clone();
    pasting.capture.pasting = true;
    let command = format!("{} login --with-token --key {}", m.setup.run, m.form.key());
    Some(format!("{}\n{}", fill(&texts().quit.parting, &[("command", &command)]), pasting.authorize_url()))
}

/// The lines for the normal screen after the wizard closes.
pub(crate) fn summary(m: &Model) -> Option<String> {
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
    match (&m.mode, &m.rotation.revoke) {
        (Mode::Setup | Mode::Agent, _) => {}
        // Nothing was replaced: the token saved is the one that was there.
        (_, RevokeState::NotOffered) if outcome.unchanged => lines.push(r.summary_same.clone()),
        // Nothing was there before (a logged-out profile): nothing to say of an old token.
        (_, RevokeState::NotOffered) if outcome.replaced.is_none() => {}
        (_, RevokeState::Confirmed) => lines.push(r.summary_revoked.clone()),
        (_, RevokeState::AlreadyRefused) => lines.push(r.already_refused.clone()),
        (_, RevokeState::Unconfirmed(why)) => {
            lines.push(fill(&r.summary_unconfirmed, &[("why", why), ("copy", &copy)]))
        }
        (_, _) => {
            let account = m.setup.endpoints.account_url(old_member(m).unwrap_or(&v.member.username));
            lines.push(fill(&r.summary_still_valid, &[("account", &account), ("copy", &copy)]));
        }
    }
    if let Some(other) = &outcome.shared_with {
        lines.push(fill(&r.shared, &[("other", &crate::untrusted::line(other))]));
    }
    lines.push(fill(&r.summary_next, &[("command", &env_command(&m.setup.run))]));
    Some(lines.join("\n"))
}
