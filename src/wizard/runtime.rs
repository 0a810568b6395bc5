//! The thin runtime: terminal setup and restore, the event loop, and effect execution.
//!
//! It waits on terminal events, effect results and signals; a timer exists only
//! while something animates, so an idle wizard sleeps in `epoll` and uses no CPU.
//! It redraws only after something happened.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

use super::model::Model;
use super::update::{Effect, Msg, update};
use super::view::view;
use crate::capture::Capture;
use crate::credentials::expiry::now_rfc3339;
use crate::credentials::store::Store;
use crate::desktop::clipboard::Clipboard;
use crate::desktop::{Desktop, browser};
use crate::trello::{Client, ClientConfig, KeyCheck, TrelloError};

/// Spinner speed while verifying.
const TICK: Duration = Duration::from_millis(100);

/// Runs the wizard from `model` to its end and returns the final model.
pub fn run(model: Model, store: Store, desktop: Desktop) -> io::Result<Model> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run_async(model, store, desktop))
}

async fn run_async(mut model: Model, store: Store, desktop: Desktop) -> io::Result<Model> {
    let api_base = model.setup.endpoints.api_base.clone();
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let mut events = EventStream::new();
    let (tx, mut rx) = unbounded_channel();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut executor = Executor { tx, store, api_base, client: None, clipboard: Clipboard::new(desktop) };
    let mut ticker: Option<tokio::time::Interval> = None;
    // Whether to offer the keyring on step 5: asked once, off the UI thread.
    let probe = executor.tx.clone();
    std::thread::spawn(move || {
        let _ = probe.send(Msg::KeyringReachable(crate::credentials::keyring::reachable(Duration::from_secs(3))));
    });
    // The listener, and its receiver until the one token arrives: a oneshot
    // receiver must never be polled again once it has answered.
    let mut capture: Option<(Capture, Option<oneshot::Receiver<String>>)> = None;
    let mut dirty = true;
    loop {
        // The listener runs exactly while the model wants it (step 4).
        if model.wants_capture() && capture.is_none() {
            let msg = match Capture::start(model.setup.capture_port).await {
                Ok((listener, tokens)) => {
                    let url = listener.return_url();
                    capture = Some((listener, Some(tokens)));
                    Msg::CaptureStarted(Ok(url))
                }
                Err(e) => Msg::CaptureStarted(Err(e)),
            };
            for effect in update(&mut model, msg) {
                executor.run(effect, terminal.backend_mut());
            }
            dirty = true;
        } else if !model.wants_capture() && capture.is_some() {
            capture = None;
        }
        if dirty {
            terminal.draw(|frame| view(&model, frame))?;
            dirty = false;
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
                Some(Ok(Event::Resize(..))) => Some(Msg::Resize),
                Some(Ok(_)) => None,
                Some(Err(e)) => return Err(e),
                // The terminal went away.
                None => Some(Msg::Terminate),
            },
            Some(msg) = rx.recv() => Some(msg),
            _ = tick(&mut ticker) => Some(Msg::Tick(Instant::now())),
            token = captured(&mut capture) => match token {
                Some(token) => Some(Msg::TokenCaptured(token)),
                None => {
                    capture = None;
                    Some(Msg::CaptureStopped)
                }
            },
            _ = terminate.recv() => Some(Msg::Terminate),
            _ = hangup.recv() => Some(Msg::Terminate),
        };
        let Some(msg) = msg else { continue };
        for effect in update(&mut model, msg) {
            executor.run(effect, terminal.backend_mut());
        }
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

/// The token from the listener, when one is running and has not answered yet;
/// otherwise never. The receiver is taken out once it completes, so a model
/// that stays on step 4 (an overlay open, a token refused) never polls it again.
async fn captured(capture: &mut Option<(Capture, Option<oneshot::Receiver<String>>)>) -> Option<String> {
    let Some((_, slot)) = capture else { return std::future::pending().await };
    let Some(tokens) = slot.as_mut() else { return std::future::pending().await };
    let token = tokens.await.ok();
    *slot = None;
    token
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
pub fn restore_terminal() {
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

/// Carries out effects and sends their outcomes back as messages. It decides
/// nothing and words nothing: typed results go back to `update`.
struct Executor {
    tx: UnboundedSender<Msg>,
    store: Store,
    api_base: String,
    client: Option<Arc<Client>>,
    clipboard: Clipboard,
}

impl Executor {
    /// The HTTP client, made on first use so start-up pays nothing for TLS.
    fn client(&mut self) -> Result<Arc<Client>, TrelloError> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        let client = Arc::new(Client::new(&self.api_base, ClientConfig::from_env())?);
        self.client = Some(client.clone());
        Ok(client)
    }

    /// Runs `call` with the client on the runtime and sends its message; when
    /// no client can be made, sends `failed(error)` instead.
    fn with_client<F, Fut>(&mut self, call: F, failed: impl FnOnce(TrelloError) -> Msg)
    where
        F: FnOnce(Arc<Client>) -> Fut,
        Fut: std::future::Future<Output = Msg> + Send + 'static,
    {
        match self.client() {
            Ok(client) => {
                let tx = self.tx.clone();
                let call = call(client);
                tokio::spawn(async move {
                    let _ = tx.send(call.await);
                });
            }
            Err(e) => {
                let _ = self.tx.send(failed(e));
            }
        }
    }

    fn run(&mut self, effect: Effect, terminal: &mut impl Write) {
        let tx = self.tx.clone();
        match effect {
            Effect::OpenUrl(url) => {
                std::thread::spawn(move || {
                    let _ = tx.send(Msg::Opened(browser::open(&url)));
                });
            }
            Effect::Copy { what, text } => {
                let outcome = self.clipboard.copy(&text, terminal);
                let _ = tx.send(Msg::Copied { what, outcome });
            }
            Effect::CheckKey(key) => {
                let failed_key = key.clone();
                self.with_client(
                    |client| async move {
                        let result = client.check_key(&key).await;
                        Msg::KeyChecked { key, result }
                    },
                    |e| Msg::KeyChecked { key: failed_key, result: KeyCheck::Unchecked(e) },
                );
            }
            Effect::Verify { generation, credentials } => {
                let (notice_tx, mut notices) = unbounded_channel();
                let forward = tx.clone();
                tokio::spawn(async move {
                    while let Some(notice) = notices.recv().await {
                        let _ = forward.send(Msg::RateLimited { generation, notice, at: Instant::now() });
                    }
                });
                self.with_client(
                    move |client| async move {
                        let client = client.with_notices(notice_tx);
                        let result = client.verify(&credentials).await.map(Box::new);
                        Msg::Verified { generation, result, at: now_rfc3339() }
                    },
                    move |e| Msg::Verified { generation, result: Err(e), at: now_rfc3339() },
                );
            }
            Effect::Revoke(credentials) => self.with_client(
                |client| async move { Msg::Revoked(client.revoke_token(&credentials).await) },
                |e| Msg::Revoked(Err(e)),
            ),
            Effect::ConfirmRevoked(credentials) => self.with_client(
                |client| async move { Msg::RevokeChecked(client.member_me(&credentials).await) },
                |e| Msg::RevokeChecked(Err(e)),
            ),
            Effect::Save { profile_name, profile } => {
                let store = self.store.clone();
                tokio::task::spawn_blocking(move || {
                    // A keyring unlock prompt waits for the user; the screen says "Saving…".
                    let saved = crate::credentials::profiles::save(&store, &profile_name, *profile, &|| {});
                    let _ = tx.send(Msg::Saved(saved));
                });
            }
        }
    }
}
