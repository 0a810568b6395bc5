//! What is shown around the screen: the notice, an overlay or help, and the terminal's size and scroll, told by the runtime.

use std::time::Instant;

/// How a notice reads; the view gives each its mark and colour at draw time.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    ConfirmQuit,
    /// Choosing the default board (done and start screens).
    Boards,
    /// The authorize URL alone on the screen, without borders, to select it.
    Url,
}

/// Rows of the body out of view, above and below, as the runtime last drew it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Room {
    pub above: usize,
    pub below: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ui {
    pub notice: Option<Notice>,
    pub overlay: Overlay,
    /// The keys of the screen (and overlay) under it, listed on top.
    pub help: bool,
    /// Last clock reading the runtime passed in (for countdowns).
    pub now: Instant,
    /// Spinner frame, advanced by ticks.
    pub frame: usize,
    /// The terminal's size (columns, rows), told by the runtime; the plain front end has none.
    pub size: Option<(u16, u16)>,
    /// Rows PgDn (+) and PgUp (-) moved the body from where it follows the
    /// focus, when the step is taller than the terminal; 0 again on a
    /// keystroke that edits or moves the focus.
    pub scroll: isize,
    /// What the last frame left out of view (`Msg::Layout`): where PgUp and PgDn can go.
    pub room: Room,
    /// Selected row of the start screen's menu.
    pub choice: usize,
}

impl Ui {
    pub fn new(now: Instant) -> Ui {
        Ui {
            notice: None,
            overlay: Overlay::None,
            help: false,
            now,
            frame: 0,
            size: None,
            scroll: 0,
            room: Room::default(),
            choice: 0,
        }
    }
}
