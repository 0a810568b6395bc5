//! The token's way back on step 4: the loopback listener and its start links, or pasting the token Trello shows.

/// The loopback listener that catches the token after Allow (step 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureState {
    /// Not running; starts whenever step 4 is shown.
    Idle,
    Waiting {
        return_url: String,
        /// The port it listens on (the return URL's).
        port: u16,
    },
    /// Could not start (the port is taken, …): paste instead.
    Failed(String),
    Received,
}

/// How the token comes back, and what the browser was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureFlow {
    pub state: CaptureState,
    /// Step 4 without a listener: the authorize URL has no `return_url`, so
    /// Trello shows the token for pasting. Kept when moving between steps.
    pub pasting: bool,
    /// A browser was opened in this run: a switch to paste mode opens the new URL there too.
    pub browser_opened: bool,
    /// Start URLs armed on the listener so far (each opens once, see `capture`).
    pub start_opened: u32,
    /// The token in the field came through the listener, not from the user's hands.
    pub from_listener: bool,
}

impl Default for CaptureFlow {
    fn default() -> Self {
        CaptureFlow {
            state: CaptureState::Idle,
            pasting: false,
            browser_opened: false,
            start_opened: 0,
            from_listener: false,
        }
    }
}

impl CaptureFlow {
    /// The return URL the listener waits on, when catching.
    pub fn return_url(&self) -> Option<&str> {
        match &self.state {
            CaptureState::Waiting { return_url, .. } if !self.pasting => Some(return_url),
            _ => None,
        }
    }

    /// The port it listens on, when it runs.
    pub fn port(&self) -> Option<u16> {
        match &self.state {
            CaptureState::Waiting { port, .. } => Some(*port),
            _ => None,
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self.state, CaptureState::Failed(_))
    }
}
