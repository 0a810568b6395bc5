//! Token capture: a one-shot HTTP listener on 127.0.0.1 that takes the token Trello hands back after Allow.
//!
//! The listener serves one page (`assets/callback.html`) in two roles, and
//! takes the token only as that page's own POST, with the one-time nonce in
//! the path:
//!
//! - The start page, `/start/N`, is what the browser opens. On the person's
//!   click it opens Trello's authorize page in a window of its own, in the
//!   popup flow of Trello's client.js (`callback_method=postMessage`): Trello's
//!   page posts the token to the window that opened it, and the start page
//!   takes it only from Trello's web origin and that window. The token is
//!   never in a URL, so the browser's history never holds it. A browser opens
//!   a window only from a click, so the page waits for one.
//! - The callback page, `/callback/NONCE`, is where Trello redirects with
//!   `callback_method=fragment` (`return_url#token=…`): the fallback when no
//!   window can be opened, and the URL shown on screen for copying. Its script
//!   reads `location.hash`; the browser has by then recorded that URL, token
//!   included, in its history, as the start page says where it offers this way.
//!
//! The listener takes exactly one well-shaped token; it keeps answering until
//! the wizard drops it, so a start URL opened after a token arrived is still
//! seen (the token came from whoever opened it first).
//!
//! Any web page in the user's browser and any local process can reach it, so
//! it answers only its own page (`Host`, `Origin` and `Content-Type` checked),
//! and bounds what a slow or idle client may hold: a header-read timeout, a
//! body-read timeout, a whole-request timeout, and a cap on open connections
//! where a new connection evicts the oldest one still sending its request,
//! headers or body (reconnecting half-open or trickling clients cannot starve
//! the real callback, which a browser sends at once).
//!
//! The browser is never handed the return URL on its command line (every local
//! user can read `/proc/PID/cmdline`): it opens a one-shot start URL,
//! `/start/N`, armed by the wizard with the authorize URL. A start URL opened
//! twice means someone else opened it too: the listener reports a takeover,
//! and the wizard drops what it caught and falls back to pasting.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::oneshot;
use tokio::task::AbortHandle;

use crate::credentials::format::{Shape, check_token};

/// The port listed once in the key's Allowed origins; `--callback-port` changes it.
pub(crate) const DEFAULT_PORT: u16 = 47130;

const PAGE: &str = include_str!("../assets/callback.html");
/// A token is under 100 bytes; anything much larger is not one.
pub const BODY_LIMIT: usize = 4096;
/// A browser sends its request line and headers at once; a client that
/// trickles them is holding a slot, not asking for a page.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a connection may take to deliver its request before a newer one
/// may evict it: far longer than a browser needs, far shorter than a hog holds.
pub(crate) const EVICT_AFTER: Duration = Duration::from_millis(250);
/// The most a POST's body may take to arrive after its headers.
pub(crate) const BODY_READ_TIMEOUT: Duration = Duration::from_secs(2);
/// The most one connection may last, body included.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at once; a browser needs two (page, then the POST).
/// Past this, a new connection evicts the oldest one still sending its headers.
pub const MAX_CONNECTIONS: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error(
        "port {port} on 127.0.0.1 is already in use: choose another with --callback-port, and list \
         http://127.0.0.1:PORT with that port under Allowed origins on the API Key tab too"
    )]
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
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    /// Fires once when a start URL is opened a second time.
    takeover: Option<oneshot::Receiver<()>>,
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
        let (takeover_tx, takeover_rx) = oneshot::channel::<()>();
        let shared = Arc::new(Shared {
            port,
            nonce: nonce.clone(),
            token_tx: Mutex::new(Some(token_tx)),
            starts: Mutex::new(Starts::default()),
            takeover_tx: Mutex::new(Some(takeover_tx)),
        });
        tokio::spawn(serve(listener, shared.clone(), shutdown_rx));
        let capture = Capture { port, nonce, shared, shutdown: Some(shutdown_tx), takeover: Some(takeover_rx) };
        Ok((capture, token_rx))
    }

    /// The `return_url` for the authorize URL.
    pub fn return_url(&self) -> String {
        format!("{}/callback/{}", origin(self.port), self.nonce)
    }

    /// Arms start URL `armed`, the one the browser was (or is about to be)
    /// handed, to redirect once to `authorize`. Called before the browser is
    /// told to open it, so it is armed when the browser arrives. The numbers
    /// handed out before this listener started (the first call's `armed`)
    /// never lead here, and neither does an earlier number of this one: any
    /// of those opened is someone else's doing, a takeover.
    pub fn arm(&self, armed: u32, authorize: &str) {
        if let Ok(mut starts) = self.shared.starts.lock() {
            if starts.floor.is_none() {
                starts.floor = Some(armed);
            }
            starts.armed = armed;
            if starts.authorize != authorize {
                starts.authorize = authorize.to_string();
            }
        }
    }

    /// Resolves when a start URL was opened twice (someone else opened it
    /// too); pending forever otherwise, and after it fired once.
    pub async fn takeover(&mut self) {
        match self.takeover.as_mut() {
            Some(rx) => {
                let fired = rx.await.is_ok();
                self.takeover = None;
                if !fired {
                    std::future::pending::<()>().await;
                }
            }
            None => std::future::pending().await,
        }
    }
}

/// `http://127.0.0.1:PORT/start/N`: what the browser is told to open.
pub fn start_url(port: u16, n: u32) -> String {
    format!("{}/start/{n}", origin(port))
}

impl Drop for Capture {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Accepts until the owner drops the [`Capture`]. Each
/// connection runs under the header and request timeouts; past
/// [`MAX_CONNECTIONS`] a new one is closed at once.
async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>, mut shutdown: oneshot::Receiver<()>) {
    let mut open: Vec<Connection> = Vec::new();
    loop {
        let stream = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A transient accept failure (out of descriptors): keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        open.retain(|c| !c.task.is_finished());
        if open.len() >= MAX_CONNECTIONS {
            // The oldest connection still sending its request goes, once it
            // had time to send it: a browser sends headers and body at once,
            // so that one is holding a slot, not asking. A younger one may be
            // the browser's, still being read: then the new one is closed (the
            // page tries again).
            let oldest = open
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.read.load(Ordering::Relaxed) && c.started.elapsed() >= EVICT_AFTER)
                .min_by_key(|(_, c)| c.started)
                .map(|(index, _)| index);
            match oldest {
                Some(index) => open.swap_remove(index).task.abort(),
                None => {
                    drop(stream);
                    continue;
                }
            }
        }
        let shared = shared.clone();
        let read = Arc::new(AtomicBool::new(false));
        let done = read.clone();
        let task = tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let (shared, done) = (shared.clone(), done.clone());
                // hyper calls the service once the request line and headers
                // are in; `handle` marks the request read (a POST once its body is).
                async move { Ok::<_, Infallible>(handle(&shared, req, &done).await) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .keep_alive(false)
                .max_buf_size(16 * 1024)
                .serve_connection(TokioIo::new(stream), service);
            // Past the deadline the connection is dropped, socket and all.
            let _ = tokio::time::timeout(REQUEST_TIMEOUT, connection).await;
        });
        open.push(Connection { started: Instant::now(), read, task: task.abort_handle() });
    }
}

/// An open connection, for the cap and its eviction.
struct Connection {
    started: Instant,
    /// The whole request is in: from then on it is being answered, not held open.
    read: Arc<AtomicBool>,
    task: AbortHandle,
}

/// The start URLs: the one armed, the ones before this listener, which were used, where they lead.
#[derive(Default)]
struct Starts {
    armed: u32,
    /// The last number handed out before this listener started.
    floor: Option<u32>,
    used: Vec<u32>,
    authorize: String,
}

struct Shared {
    port: u16,
    nonce: String,
    token_tx: Mutex<Option<oneshot::Sender<String>>>,
    starts: Mutex<Starts>,
    takeover_tx: Mutex<Option<oneshot::Sender<()>>>,
}

/// 128 random bits as hex.
fn new_nonce() -> Result<String, CaptureError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| CaptureError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares in constant time, so timing says nothing about the nonce.
fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

type Answer = Response<Full<Bytes>>;

fn text(status: StatusCode, body: &'static str) -> Answer {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page's Content-Security-Policy: its one script and one style block are
/// allowed by their SHA-256 hashes, so nothing injected could run. What the
/// start page is filled with stands in attributes, outside both blocks.
pub fn content_security_policy() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        format!(
            "default-src 'none'; script-src '{}'; style-src '{}'; connect-src 'self'; base-uri 'none'; \
             form-action 'none'; frame-ancestors 'none'",
            inline_hash(PAGE, "<script>", "</script>"),
            inline_hash(PAGE, "<style>", "</style>"),
        )
    })
}

/// `sha256-…` of the text between `open` and `close` (CSP Level 2 §4.2.5).
/// The page is part of the binary and has both blocks; a unit test holds that.
fn inline_hash(page: &str, open: &str, close: &str) -> String {
    use base64::Engine;
    let body = page.split_once(open).and_then(|(_, rest)| rest.split_once(close)).map_or("", |(body, _)| body);
    let digest = ring::digest::digest(&ring::digest::SHA256, body.as_bytes());
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(digest.as_ref()))
}

/// What fills the page's `{{…}}` slots: empty for the callback page; for the
/// start page, Trello's authorize URL in the popup flow, the same in the
/// fragment flow (the fallback link), and where to post the token.
#[derive(Default)]
struct Fill<'a> {
    popup: &'a str,
    fallback: &'a str,
    callback: &'a str,
}

fn page(fill: &Fill) -> Answer {
    let body = PAGE
        .replace("{{popup}}", &attribute(fill.popup))
        .replace("{{fallback}}", &attribute(fill.fallback))
        .replace("{{callback}}", &attribute(fill.callback));
    let mut response = Response::new(Full::new(Bytes::from(body)));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(content_security_policy()));
    response
}

/// `value` as the text of a double-quoted HTML attribute: it can end neither
/// the attribute nor the element, nor look like a slot to fill after it.
fn attribute(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '{' => escaped.push_str("&#123;"),
            '}' => escaped.push_str("&#125;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Only requests addressed to this listener as `127.0.0.1:PORT`, the one name
/// the return URL uses: any other name (DNS rebinding, `localhost`) is refused.
fn host_is_ours(headers: &HeaderMap, port: u16) -> bool {
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).is_some_and(|host| host == format!("127.0.0.1:{port}"))
}

/// A POST must come from our own page: browsers always send `Origin` with a
/// `fetch` POST, so a request without one is not from that page.
fn origin_is_ours(headers: &HeaderMap, port: u16) -> bool {
    headers.get(header::ORIGIN).and_then(|h| h.to_str().ok()).is_some_and(|o| o == origin(port))
}

/// A start URL is opened by the browser as a top-level page the user asked
/// for: `Sec-Fetch-Site: none`, `Sec-Fetch-Mode: navigate`. A web page that
/// loads it (an `<img>`, a `fetch`, a link) says `cross-site` or `same-site`
/// and is refused, so it cannot use up the one-shot link. Clients that send no
/// fetch metadata (older browsers, local programs) are let through: a local
/// program is answered by the takeover check instead.
fn opened_by_user(headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).and_then(|h| h.to_str().ok()).map(str::to_ascii_lowercase);
    let site_ok = value("sec-fetch-site").is_none_or(|site| site == "none");
    let mode_ok = value("sec-fetch-mode").is_none_or(|mode| mode == "navigate");
    site_ok && mode_ok
}

/// `application/json` (parameters such as `charset` allowed). A cross-site
/// form cannot send it without a CORS preflight, which this listener never grants.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

#[derive(serde::Deserialize)]
struct Posted {
    token: String,
}

/// The token in a callback POST's body, `{"token": "…"}`, when it has a
/// shape Trello hands out (today's, or the older 64 hex), nothing merely
/// plausible; else the words the listener answers with.
pub fn token_from_body(body: &[u8]) -> Result<String, &'static str> {
    let posted: Posted = serde_json::from_slice(body).map_err(|_| "Expected {\"token\": \"…\"}.")?;
    match check_token(&posted.token, None, None).shape {
        Shape::Valid | Shape::ValidLegacy => Ok(posted.token),
        _ => Err("That does not look like a Trello token."),
    }
}

/// `GET /start/N`: the link the browser was handed, the first time: the
/// start page, which opens Trello's page on the person's click (a redirect to
/// the authorize URL where it names no return URL, as in paste mode). Opened a
/// second time, or a link that was not the one handed out (an earlier one,
/// one from before this listener): a takeover, someone else opened it.
fn start(shared: &Shared, n: &str) -> Answer {
    let Some(n) = n.parse::<u32>().ok().filter(|n| *n > 0) else { return text(StatusCode::NOT_FOUND, "Not found.") };
    let Ok(mut starts) = shared.starts.lock() else { return text(StatusCode::NOT_FOUND, "Not found.") };
    if n > starts.armed || starts.authorize.is_empty() {
        return text(StatusCode::NOT_FOUND, "Not found.");
    }
    let stale = n < starts.armed || starts.floor.is_some_and(|floor| n <= floor);
    if stale || starts.used.contains(&n) {
        if let Some(tx) = shared.takeover_tx.lock().ok().and_then(|mut slot| slot.take()) {
            let _ = tx.send(());
        }
        return text(
            StatusCode::GONE,
            "This link was already opened, perhaps by another program on this computer. Go back to the terminal: \
             trello-auth has stopped catching the token there; paste it instead.",
        );
    }
    starts.used.push(n);
    if let Some(popup) = crate::trello::authorize::popup(&starts.authorize) {
        let callback = format!("/callback/{}", shared.nonce);
        return page(&Fill { popup: &popup, fallback: &starts.authorize, callback: &callback });
    }
    let mut response = text(StatusCode::FOUND, "Redirecting to Trello.");
    if let Ok(location) = HeaderValue::from_str(&starts.authorize) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

async fn handle(shared: &Shared, req: Request<Incoming>, read: &AtomicBool) -> Answer {
    if req.method() != Method::POST {
        read.store(true, Ordering::Relaxed);
    }
    if !host_is_ours(req.headers(), shared.port) {
        return text(StatusCode::MISDIRECTED_REQUEST, "This listener only answers http://127.0.0.1.");
    }
    if let Some(n) = req.uri().path().strip_prefix("/start/") {
        return match *req.method() {
            Method::GET if !opened_by_user(req.headers()) => {
                text(StatusCode::FORBIDDEN, "Open this link from trello-auth, not from a web page.")
            }
            Method::GET => start(shared, n),
            _ => text(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed."),
        };
    }
    let nonce = req.uri().path().strip_prefix("/callback/").map(|n| n.trim_end_matches('/'));
    if !nonce.is_some_and(|n| same(n, &shared.nonce)) {
        // Wrong nonce and other paths look the same: nothing to learn here.
        return text(StatusCode::NOT_FOUND, "Not found.");
    }
    match *req.method() {
        Method::GET | Method::HEAD => page(&Fill::default()),
        Method::POST => {
            if !origin_is_ours(req.headers(), shared.port) {
                return text(StatusCode::FORBIDDEN, "Only the trello-auth page may send the token.");
            }
            if !is_json(req.headers()) {
                return text(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Expected application/json.");
            }
            // A browser sends the token with the headers; a body that trickles is holding a slot.
            let body =
                tokio::time::timeout(BODY_READ_TIMEOUT, Limited::new(req.into_body(), BODY_LIMIT).collect()).await;
            read.store(true, Ordering::Relaxed);
            let Ok(body) = body else { return text(StatusCode::REQUEST_TIMEOUT, "The token came too slowly.") };
            let Ok(body) = body else {
                return text(StatusCode::PAYLOAD_TOO_LARGE, "That is far too large to be a token.");
            };
            let token = match token_from_body(&body.to_bytes()) {
                Ok(token) => token,
                Err(why) => return text(StatusCode::BAD_REQUEST, why),
            };
            let sender = shared.token_tx.lock().ok().and_then(|mut slot| slot.take());
            let Some(sender) = sender else {
                return text(StatusCode::CONFLICT, "A token was already received.");
            };
            if sender.send(token).is_err() {
                return text(StatusCode::GONE, "trello-auth is no longer waiting for a token.");
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

    #[test]
    fn the_policy_allows_exactly_the_page_s_own_script_and_style() {
        let csp = content_security_policy();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let script = inline_hash(PAGE, "<script>", "</script>");
        let style = inline_hash(PAGE, "<style>", "</style>");
        // A hash of an empty block would mean the page lost its script.
        assert_ne!(script, inline_hash("", "<script>", "</script>"));
        assert_ne!(style, inline_hash("", "<style>", "</style>"));
        assert!(csp.contains(&format!("script-src '{script}'")), "{csp}");
        assert!(csp.contains(&format!("style-src '{style}'")), "{csp}");
    }

    #[test]
    fn what_fills_the_page_stays_in_its_attribute() {
        assert_eq!(attribute("https://t.example/1/authorize?a=1&b=2"), "https://t.example/1/authorize?a=1&amp;b=2");
        assert_eq!(attribute("\"><script>x</script>'"), "&quot;&gt;&lt;script&gt;x&lt;/script&gt;&#39;");
        assert_eq!(attribute("{{callback}}"), "&#123;&#123;callback&#125;&#125;");
        // Every slot of the page is inside a double-quoted attribute, outside the script and style.
        for slot in ["{{popup}}", "{{fallback}}", "{{callback}}"] {
            assert_eq!(PAGE.matches(slot).count(), 1, "{slot}");
            assert!(PAGE.contains(&format!("\"{slot}\"")), "{slot}");
        }
        let script = PAGE.split_once("<script>").and_then(|(_, rest)| rest.split_once("</script>")).unwrap().0;
        assert!(!script.contains("{{"), "a slot in the script would change its hash");
    }
}
