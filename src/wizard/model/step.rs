//! Where the wizard is: the steps and the rows a step can focus, named once for the model, the messages and the screens.

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

/// How many numbered steps there are ("Step 4 of 5").
pub(crate) const STEPS: usize = 5;

impl Step {
    pub(crate) const FIVE: [Step; STEPS] = [Step::Portal, Step::PowerUp, Step::ApiKey, Step::Token, Step::Verify];

    /// Its number among the five; 0 for the start screen, 5 for done (the last one's).
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
    pub(crate) fn is_text(self) -> bool {
        matches!(self, Target::AppName | Target::Email | Target::Author | Target::Key | Target::Secret | Target::Token)
    }
}
