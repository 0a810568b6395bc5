//! Carrying out the wizard's effects, shared by both front ends: HTTP, clipboard, browser, saving, and the token listener.
//!
//! It decides nothing and words nothing: each outcome goes back to `update` as a typed message.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

use super::model::Model;
use super::update::{Effect, Msg};
use crate::capture::Capture;
use crate::credentials::expiry::now_rfc3339;
use crate::credentials::vault::Vault;
use crate::desktop::browser;
use crate::desktop::clipboard::Clipboard;
use crate::trello::{Client, ClientConfig, KeyCheck, TrelloError};

/// The token listener, run exactly while the model wants it (step 4), and its
/// receiver until the one token arrives: a oneshot receiver must never be
/// polled again once it has answered.
#[derive(Default)]
pub(crate) struct CaptureSlot(Option<(Capture, Option<oneshot::Receiver<String>>)>);

/// One message through `update`, with the listener armed before any effect
/// runs: a start URL the browser is about to open must already lead to
/// Trello. Both front ends step the model through here.
pub(crate) fn apply(
    model: &mut Model,
    msg: Msg,
    executor: &mut Executor,
    capture: &CaptureSlot,
    terminal: &mut impl Write,
) {
    let effects = super::update::update(model, msg);
    capture.arm(model);
    for effect in effects {
        executor.run(effect, terminal);
    }
}

impl CaptureSlot {
    /// Starts or drops the listener to match the model; a start's outcome is
    /// the message to feed back.
    pub async fn sync(&mut self, model: &Model) -> Option<Msg> {
        if model.wants_capture() && self.0.is_none() {
            return Some(match Capture::start(model.setup.capture_port).await {
                Ok((listener, tokens)) => {
                    let started = (listener.return_url(), listener.port);
                    self.0 = Some((listener, Some(tokens)));
                    Msg::CaptureStarted(Ok(started))
                }
                Err(e) => Msg::CaptureStarted(Err(e)),
            });
        }
        if !model.holds_capture() && self.0.is_some() {
            self.0 = None;
        }
        None
    }

    /// Keeps the listener's start URLs in step with the model: how many are
    /// armed, and the authorize URL they lead to.
    pub fn arm(&self, model: &Model) {
        if let Some((capture, _)) = &self.0 {
            capture.arm(model.capture.start_opened, &model.authorize_url());
        }
    }

    /// The token from the browser, or a takeover, as a message; pending while none can come.
    pub async fn next(&mut self) -> Msg {
        let Some((capture, slot)) = &mut self.0 else { return std::future::pending().await };
        tokio::select! {
            token = captured(slot) => match token {
                Some(token) => Msg::TokenCaptured(token),
                None => {
                    self.0 = None;
                    Msg::CaptureStopped
                }
            },
            () = capture.takeover() => Msg::CaptureTakeover,
        }
    }
}

/// The token from the listener, when it has not answered yet; otherwise
/// never. The receiver is taken out once it completes, so a model that stays
/// on step 4 (an overlay open, a token refused) never polls it again.
async fn captured(slot: &mut Option<oneshot::Receiver<String>>) -> Option<String> {
    let Some(tokens) = slot.as_mut() else { return std::future::pending().await };
    let token = tokens.await.ok();
    *slot = None;
    token
}

/// Asks once, off the UI thread, whether a system keyring answers: the wizard
/// offers it on step 5 only then.
pub(crate) fn probe_keyring(tx: UnboundedSender<Msg>) {
    std::thread::spawn(move || {
        let _ = tx.send(Msg::KeyringReachable(crate::credentials::keyring::reachable(Duration::from_secs(3))));
    });
}

/// Carries out effects and sends their outcomes back as messages. It decides
/// nothing and words nothing: typed results go back to `update`.
pub(crate) struct Executor {
    pub tx: UnboundedSender<Msg>,
    vault: Vault,
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

    pub fn new(tx: UnboundedSender<Msg>, vault: Vault, api_base: String, clipboard: Clipboard) -> Executor {
        Executor { tx, vault, api_base, client: None, clipboard }
    }

    /// Carries out `effect`; `terminal` is where an OSC 52 copy goes.
    pub fn run(&mut self, effect: Effect, terminal: &mut impl Write) {
        let tx = self.tx.clone();
        match effect {
            Effect::OpenUrl(url) => {
                std::thread::spawn(move || {
                    let _ = tx.send(Msg::Opened(browser::open(&url)));
                });
            }
            Effect::Reopen(url) => {
                std::thread::spawn(move || {
                    let _ = tx.send(Msg::Reopened(browser::open(&url)));
                });
            }
            Effect::Copy { what, text, quiet } => {
                let outcome = self.clipboard.copy(&text, terminal);
                let _ = tx.send(Msg::Copied { what, outcome, quiet });
            }
            Effect::LoadProfile(name) => {
                let vault = self.vault.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::ProfileLoaded(load_profile(&vault, &name).map(|p| (name, Box::new(p)))));
                });
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
            Effect::Revoke { with, token } => self.with_client(
                |client| async move { Msg::Revoked(client.revoke_token_as(&with, &token).await) },
                |e| Msg::Revoked(Err(e)),
            ),
            Effect::ConfirmRevoked(credentials) => self.with_client(
                |client| async move { Msg::RevokeChecked(client.member_me(&credentials).await) },
                |e| Msg::RevokeChecked(Err(e)),
            ),
            Effect::LoadBoards(credentials) => self.with_client(
                |client| async move {
                    let (boards, workspaces) =
                        tokio::join!(client.boards(&credentials), client.workspaces(&credentials));
                    // Workspace names only label the groups: without them the boards still list.
                    Msg::BoardsLoaded(boards.map(|b| (b, workspaces.unwrap_or_default())))
                },
                |e| Msg::BoardsLoaded(Err(e)),
            ),
            Effect::SaveBoard { profile_name, board } => {
                let vault = self.vault.clone();
                tokio::task::spawn_blocking(move || {
                    let choice = board.as_ref().map(|b| crate::credentials::profile::BoardChoice {
                        id: b.id.clone(),
                        name: b.name.clone(),
                        short_link: b.short_link.clone(),
                    });
                    let result = vault.set_board(&profile_name, choice).map(|_| board).map_err(|e| e.to_string());
                    let _ = tx.send(Msg::BoardSaved(result));
                });
            }
            Effect::Save { profile_name, new } => {
                let vault = self.vault.clone();
                tokio::task::spawn_blocking(move || {
                    // A keyring unlock prompt waits for the user; the screen says "Saving…".
                    let saved = vault.save(&profile_name, *new).map(Box::new);
                    let _ = tx.send(Msg::Saved(saved));
                });
            }
        }
    }
}

/// A saved profile with its token and secret in memory, or why not.
fn load_profile(vault: &crate::credentials::vault::Vault, name: &str) -> Result<crate::credentials::Profile, String> {
    let stored =
        vault.stored(name).map_err(|e| e.to_string())?.ok_or_else(|| format!("no profile \"{name}\" is saved"))?;
    stored.with_secrets(vault.waiting()).map_err(|e| e.to_string())
}
