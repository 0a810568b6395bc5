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
pub struct CaptureSlot(Option<(Capture, Option<oneshot::Receiver<String>>)>);

impl CaptureSlot {
    /// Starts or drops the listener to match the model; a start's outcome is
    /// the message to feed back.
    pub async fn sync(&mut self, model: &Model) -> Option<Msg> {
        if model.wants_capture() && self.0.is_none() {
            return Some(match Capture::start(model.setup.capture_port).await {
                Ok((listener, tokens)) => {
                    let url = listener.return_url();
                    self.0 = Some((listener, Some(tokens)));
                    Msg::CaptureStarted(Ok(url))
                }
                Err(e) => Msg::CaptureStarted(Err(e)),
            });
        }
        if !model.wants_capture() && self.0.is_some() {
            self.0 = None;
        }
        None
    }

    /// The token from the browser, as a message; pending while none can come.
    pub async fn next(&mut self) -> Msg {
        match captured(&mut self.0).await {
            Some(token) => Msg::TokenCaptured(token),
            None => {
                self.0 = None;
                Msg::CaptureStopped
            }
        }
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

/// Asks once, off the UI thread, whether a system keyring answers: the wizard
/// offers it on step 5 only then.
pub fn probe_keyring(tx: UnboundedSender<Msg>) {
    std::thread::spawn(move || {
        let _ = tx.send(Msg::KeyringReachable(crate::credentials::keyring::reachable(Duration::from_secs(3))));
    });
}

/// Carries out effects and sends their outcomes back as messages. It decides
/// nothing and words nothing: typed results go back to `update`.
pub struct Executor {
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
