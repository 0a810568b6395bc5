//! The wizard's state: which step, what was typed, what Trello said.

use std::path::PathBuf;
use std::time::Instant;

use tui_input::Input;

use crate::credentials::format::{self, Verdict};
use crate::credentials::store::{DEFAULT_APP_NAME, Saved};
use crate::trello::{AuthorizeUrl, Endpoints, Expiration, Scopes, TrelloError, Verified};

/// The five steps, then the done screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
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
            Step::Portal | Step::Verify | Step::Done => &[],
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
    Running { rate_wait: Option<RateWait> },
    Failed(TrelloError),
    Saving(Box<Verified>),
    SaveFailed(Box<Verified>, String),
    Saved(Box<Verified>, Saved),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    ConfirmQuit,
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
    Aborted,
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
}

#[derive(Debug, Clone)]
pub struct Model {
    pub setup: Setup,
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
    pub exit: Option<Exit>,
    /// When the last successful verification happened (RFC 3339).
    pub verified_at: Option<String>,
    /// Last clock reading the runtime passed in (for countdowns).
    pub now: Instant,
    /// Spinner frame, advanced by ticks.
    pub frame: usize,
}

impl Model {
    pub fn new(setup: Setup, now: Instant) -> Self {
        Model {
            setup,
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
            exit: None,
            verified_at: None,
            now,
            frame: 0,
        }
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
            return_url: None,
        };
        request.build(&self.setup.endpoints.web_base).unwrap_or_default()
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
        self.exit.is_none() && matches!(self.verify, VerifyState::Running { .. } | VerifyState::Saving(_))
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
        return EmailVerdict::Invalid("an email has no spaces");
    }
    let Some((local, domain)) = email.split_once('@') else { return EmailVerdict::Invalid("missing @") };
    if local.is_empty() {
        return EmailVerdict::Invalid("nothing before the @");
    }
    if domain.contains('@') {
        return EmailVerdict::Invalid("more than one @");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return EmailVerdict::Invalid("the part after @ needs a domain such as example.com");
    }
    EmailVerdict::Valid
}

/// One line for the normal screen after the wizard closes.
pub fn summary(m: &Model) -> Option<String> {
    let VerifyState::Saved(v, saved) = &m.verify else { return None };
    let who = if v.member.full_name.is_empty() {
        format!("@{}", v.member.username)
    } else {
        format!("{} (@{})", v.member.full_name, v.member.username)
    };
    Some(format!(
        "Saved Trello credentials for {who} to {}.\nNext: {}",
        saved.path.display(),
        crate::wizard::update::env_command(&m.setup.profile)
    ))
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
