//! The full-screen runtime: terminal setup and restore, and the event loop; effects are carried out by `effects`.
//!
//! It waits on terminal events, effect results and signals; a timer exists only
//! while something animates, so an idle wizard sleeps in `epoll` and uses no CPU.
//! It redraws only after something happened.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::unbounded_channel;

use super::effects::{CaptureSlot, Executor, apply, probe_keyring};
use super::model::Model;
use super::update::Msg;
use super::view::{scroll_room, view};
use crate::credentials::vault::Vault;
use crate::desktop::Desktop;
use crate::desktop::clipboard::Clipboard;

/// Spinner speed while verifying.
const TICK: Duration = Duration::from_millis(100);

/// Runs the wizard from `model` to its end and returns the final model.
pub(crate) fn run(model: Model, vault: Vault, desktop: Desktop) -> io::Result<Model> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run_async(model, vault, desktop))
}

async fn run_async(mut model: Model, vault: Vault, desktop: Desktop) -> io::Result<Model> {
    let api_base = model.setup.endpoints.api_base.clone();
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let mut events = EventStream::new();
    let (tx, mut rx) = unbounded_channel();
    let mut endings = crate::terminal::Endings::catch()?;
    let mut executor = Executor::new(tx, vault, api_base, Clipboard::new(desktop));
    let mut ticker: Option<tokio::time::Interval> = None;
    probe_keyring(executor.tx.clone());
    let mut capture = CaptureSlot::default();
    let mut dirty = true;
    loop {
        if let Some(msg) = capture.sync(&model).await {
            apply(&mut model, msg, &mut executor, &capture, terminal.backend_mut());
            dirty = true;
        }
        // The model learns the size once at start; later through resize events.
        if model.ui.size.is_none() {
            let size = terminal.size()?;
            apply(&mut model, Msg::Resize(size.width, size.height), &mut executor, &capture, terminal.backend_mut());
        }
        if dirty {
            terminal.draw(|frame| view(&model, frame))?;
            dirty = false;
            // What the frame left out of view is a fact of layout: told to
            // `update` (PgUp and PgDn act on it), and drawn again if it changed.
            let room = scroll_room(&model);
            if room != model.ui.room {
                apply(&mut model, Msg::Layout(room), &mut executor, &capture, terminal.backend_mut());
                dirty = true;
                continue;
            }
        }
        if model.exit.is_some() {
            return Ok(model);
        }
        match (model.is_animating(), ticker.is_some()) {
            (true, false) => ticker = Some(tokio::time::interval(TICK)),
            (false, true) => ticker = None,
            _ => {}
        }
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => {
                    test_panic_trigger(&key);
                    Some(Msg::Key(key))
                }
                Some(Ok(Event::Paste(text))) => Some(Msg::Paste(text)),
                Some(Ok(Event::Resize(width, height))) => Some(Msg::Resize(width, height)),
                Some(Ok(_)) => None,
                Some(Err(e)) => return Err(e),
                // The terminal went away.
                None => Some(Msg::Terminate),
            },
            Some(msg) = rx.recv() => Some(msg),
            _ = tick(&mut ticker) => Some(Msg::Tick(Instant::now())),
            msg = capture.next() => Some(msg),
            () = endings.recv() => Some(Msg::Terminate),
        };
        let Some(msg) = msg else { continue };
        apply(&mut model, msg, &mut executor, &capture, terminal.backend_mut());
        dirty = true;
    }
}

/// Debug builds only (what `cargo test` runs): F12 panics when
/// `TRELLO_AUTH_TEST_PANIC` is set, so tests can prove a panic restores the
/// terminal. Release builds contain no trigger.
#[cfg(debug_assertions)]
fn test_panic_trigger(key: &crossterm::event::KeyEvent) {
    if key.code == crossterm::event::KeyCode::F(12) && std::env::var_os("TRELLO_AUTH_TEST_PANIC").is_some() {
        panic!("test-only panic (TRELLO_AUTH_TEST_PANIC)");
    }
}

#[cfg(not(debug_assertions))]
fn test_panic_trigger(_key: &crossterm::event::KeyEvent) {}

async fn tick(ticker: &mut Option<tokio::time::Interval>) {
    match ticker {
        Some(interval) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Raw mode, the alternate screen and bracketed paste, undone on drop and on panic.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let guard = TerminalGuard;
        crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Puts the terminal back as it was: every mode the wizard turned on, off.
pub(crate) fn restore_terminal() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen, crossterm::cursor::Show);
    let _ = disable_raw_mode();
    let _ = io::stdout().flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}
