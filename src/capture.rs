//! Token capture: a one-shot HTTP listener on 127.0.0.1 for Trello's `return_url#token=…` redirect.
//!
//! Trello puts the token in the URL fragment, which never reaches a server, so
//! the listener serves a page (`assets/callback.html`) whose script reads
//! `location.hash` and posts the token back with the one-time nonce in the path.
//! The listener takes exactly one well-shaped token, then shuts down.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use tokio::sync::oneshot;

use crate::credentials::format::check_token;

/// The port listed once in the key's Allowed origins; `--callback-port` changes it.
pub const DEFAULT_PORT: u16 = 47130;

const PAGE: &str = include_str!("../assets/callback.html");
/// A token is under 100 bytes; anything much larger is not one.
pub const BODY_LIMIT: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("port {port} on 127.0.0.1 is already in use (choose another with --callback-port)")]
    PortTaken { port: u16 },
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("no secure random numbers for the one-time nonce: {0}")]
    Random(String),
}

/// `http://127.0.0.1:PORT`: what goes in the key's Allowed origins.
pub fn origin(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// A running listener. Dropping it shuts it down.
pub struct Capture {
    pub port: u16,
    nonce: String,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Capture {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and starts serving. The
    /// receiver yields the one accepted token.
    pub async fn start(port: u16) -> Result<(Capture, oneshot::Receiver<String>), CaptureError> {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await.map_err(|source| {
                match source.kind() {
                    std::io::ErrorKind::AddrInUse => CaptureError::PortTaken { port },
                    _ => CaptureError::Bind { port, source },
                }
            })?;
        let port = listener.local_addr().map_err(|source| CaptureError::Bind { port, source })?.port();
        let nonce = new_nonce()?;
        let (token_tx, token_rx) = oneshot::channel();
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let (done_tx, done_rx) = oneshot::channel::<()>();
        let shared = Arc::new(Shared {
            port,
            nonce: nonce.clone(),
            token_tx: Mutex::new(Some(token_tx)),
            done_tx: Mutex::new(Some(done_tx)),
        });
        let app = Router::new().fallback(move |req: Request<Body>| handle(shared.clone(), req));
        tokio::spawn(async move {
            let stop = async {
                // Stop when the owner drops the Capture, or once a token was taken.
                tokio::select! {
                    _ = shutdown_rx => {}
                    _ = done_rx => {}
                }
            };
            let _ = axum::serve(listener, app).with_graceful_shutdown(stop).await;
        });
        Ok((Capture { port, nonce, shutdown: Some(shutdown_tx) }, token_rx))
    }

    /// The `return_url` for the authorize URL.
    pub fn return_url(&self) -> String {
        format!("{}/callback/{}", origin(self.port), self.nonce)
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

struct Shared {
    port: u16,
    nonce: String,
    token_tx: Mutex<Option<oneshot::Sender<String>>>,
    done_tx: Mutex<Option<oneshot::Sender<()>>>,
}

/// 128 random bits as hex.
fn new_nonce() -> Result<String, CaptureError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| CaptureError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares without stopping at the first difference, so timing says nothing about the nonce.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn text(status: StatusCode, body: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn page() -> Response<Body> {
    let mut response = Response::new(Body::from(PAGE));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    response
}

/// Only requests addressed to this listener by name (no DNS-rebinding tricks).
fn host_is_ours(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
}

/// A POST must come from our own page (or from a client that sends no Origin).
fn origin_is_ours(headers: &HeaderMap, port: u16) -> bool {
    match headers.get(header::ORIGIN).and_then(|h| h.to_str().ok()) {
        None => true,
        Some(o) => o == origin(port) || o == format!("http://localhost:{port}"),
    }
}

#[derive(serde::Deserialize)]
struct Posted {
    token: String,
}

async fn handle(shared: Arc<Shared>, req: Request<Body>) -> Response<Body> {
    if !host_is_ours(req.headers(), shared.port) {
        return text(StatusCode::MISDIRECTED_REQUEST, "This listener only answers http://127.0.0.1.");
    }
    let nonce = req.uri().path().strip_prefix("/callback/").map(|n| n.trim_end_matches('/'));
    if !nonce.is_some_and(|n| same(n, &shared.nonce)) {
        // Wrong nonce and other paths look the same: nothing to learn here.
        return text(StatusCode::NOT_FOUND, "Not found.");
    }
    match *req.method() {
        Method::GET | Method::HEAD => page(),
        Method::POST => {
            if !origin_is_ours(req.headers(), shared.port) {
                return text(StatusCode::FORBIDDEN, "Only the trello-auth page may send the token.");
            }
            let Ok(body) = to_bytes(req.into_body(), BODY_LIMIT).await else {
                return text(StatusCode::PAYLOAD_TOO_LARGE, "That is far too large to be a token.");
            };
            let Ok(posted) = serde_json::from_slice::<Posted>(&body) else {
                return text(StatusCode::BAD_REQUEST, "Expected {\"token\": \"…\"}.");
            };
            if !check_token(&posted.token, None, None).is_valid() {
                return text(StatusCode::BAD_REQUEST, "That does not look like a Trello token.");
            }
            let sender = shared.token_tx.lock().ok().and_then(|mut slot| slot.take());
            let Some(sender) = sender else {
                return text(StatusCode::CONFLICT, "A token was already received.");
            };
            if sender.send(posted.token).is_err() {
                return text(StatusCode::GONE, "trello-auth is no longer waiting for a token.");
            }
            if let Some(done) = shared.done_tx.lock().ok().and_then(|mut slot| slot.take()) {
                let _ = done.send(());
            }
            text(StatusCode::OK, "Token received.")
        }
        _ => text(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_random_hex() {
        let a = new_nonce().unwrap();
        let b = new_nonce().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn comparison() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
