//! A stand-in for Trello on 127.0.0.1 that answers as Trello's REST API does
//! (<https://developer.atlassian.com/cloud/trello/rest/>).
//!
//! Plain-text 401 bodies byte for byte, JSON 429s with or without
//! `Retry-After`, `/1/members/me` (email only with the `account` scope),
//! `/1/tokens/{token}` and its DELETE. Every request is recorded so tests can
//! assert where credentials travelled. It runs on its own thread and runtime,
//! so both async and plain tests (driving the real binary) can use it.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, Response, header};

pub const CONTENT_TEXT: &str = "text/plain; charset=utf-8";
pub const CONTENT_JSON: &str = "application/json; charset=utf-8";

#[derive(Debug, Clone)]
pub struct FakeMember {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct FakeToken {
    pub id: String,
    pub key: String,
    pub member_id: String,
    pub app_name: String,
    pub read: bool,
    pub write: bool,
    pub account: bool,
    /// RFC 3339, or `None` for `never`.
    pub expires: Option<String>,
    pub expired: bool,
    pub revoked: bool,
    /// `dateCreated`, RFC 3339: when it was issued, unless a test says otherwise.
    pub created: String,
}

/// A one-off answer that replaces the next normal one.
#[derive(Debug, Clone)]
pub enum Fault {
    RateLimit { retry_after: Option<String>, code: &'static str },
    Status { status: u16, content_type: &'static str, body: String },
}

/// A proxy that answers every API request with 200 and JSON made of the
/// request itself (its path names the token, its header holds both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// `"echo: PATH AUTHORIZATION"`: a JSON string where an object is expected.
    AsString,
    /// `{"permissions":[{"write":"PATH"}]}`: the path where a boolean is expected.
    InPermissions,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as sent.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub started: Instant,
    pub finished: Instant,
}

#[derive(Default)]
pub struct State {
    pub keys: Vec<String>,
    pub members: HashMap<String, FakeMember>,
    pub tokens: HashMap<String, FakeToken>,
    pub faults: VecDeque<Fault>,
    pub requests: Vec<Recorded>,
    /// Added before every answer, to measure overlap and timeouts.
    pub latency: Duration,
    /// Origins listed under the key's Allowed origins (for `return_url`).
    pub allowed_origins: Vec<String>,
    /// Who is "logged in" to the fake web pages, authorizing tokens.
    pub web_member: Option<String>,
    /// Tokens handed out by `/1/authorize`, newest last.
    pub authorized: Vec<String>,
    /// Boards, with the members who belong to them.
    pub boards: Vec<FakeBoard>,
    /// Workspaces: id → display name.
    pub workspaces: HashMap<String, String>,
    /// Every API answer echoes the request (see [`Echo`]).
    pub echo: Option<Echo>,
    /// Replaces the `permissions` of every `/1/tokens/{token}` answer.
    pub token_permissions: Option<serde_json::Value>,
    next_id: u64,
}

/// A board as `GET /1/boards/{id}` and `/1/members/me/boards` describe it.
#[derive(Debug, Clone)]
pub struct FakeBoard {
    pub id: String,
    pub short_link: String,
    pub name: String,
    pub workspace: Option<String>,
    pub closed: bool,
    pub members: Vec<String>,
}

impl FakeBoard {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id, "name": self.name, "shortLink": self.short_link, "closed": self.closed,
            "idOrganization": self.workspace,
            "url": format!("https://trello.com/b/{}/{}", self.short_link, self.name.to_lowercase().replace(' ', "-")),
        })
    }
}

pub struct FakeTrello {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

// From the crate's `values` module (tests/support/values.rs; an example that
// includes this file alone includes that one beside it). Not every suite uses each.
#[allow(unused_imports)]
pub use super::values::{ANN, BOB, KEY, SECRET, TOKEN};
pub const OTHER_KEY: &str = "fedcba9876543210fedcba9876543210";

impl FakeTrello {
    /// Starts an empty server on 127.0.0.1 with a random port.
    pub fn start() -> FakeTrello {
        let state = Arc::new(Mutex::new(State::default()));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let app = Router::new().fallback(move |req: Request<Body>| handle(shared.clone(), req));
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = shutdown_rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        FakeTrello { addr, state, shutdown: Some(shutdown_tx), thread: Some(thread) }
    }

    /// A server that knows [`KEY`] and one member, `ann`.
    pub fn with_ann() -> FakeTrello {
        let fake = FakeTrello::start();
        fake.add_key(KEY);
        fake.add_member(ANN, "ann", "Ann Example", "ann@example.com");
        fake.state().web_member = Some(ANN.into());
        fake
    }

    /// Adds a second member, [`BOB`] (`bob`, "Bob Other").
    pub fn add_bob(&self) {
        self.add_member(BOB, "bob", "Bob Other", "bob@example.com");
    }

    /// Lists an origin under the key's Allowed origins.
    pub fn allow_origin(&self, origin: &str) {
        self.state().allowed_origins.push(origin.to_string());
    }

    pub fn api_base(&self) -> String {
        format!("http://{}/1", self.addr)
    }

    pub fn web_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn add_key(&self, key: &str) {
        self.state().keys.push(key.to_string());
    }

    pub fn add_member(&self, id: &str, username: &str, full_name: &str, email: &str) {
        self.state().members.insert(
            id.to_string(),
            FakeMember { id: id.into(), username: username.into(), full_name: full_name.into(), email: email.into() },
        );
    }

    /// Makes a current-format token (`ATTA` + 64 lowercase hex + 8 uppercase hex).
    pub fn issue_token(&self, key: &str, member_id: &str, scope: &str, expires: Option<&str>) -> String {
        issue(&mut self.state(), key, member_id, scope, expires)
    }

    /// [`FakeTrello::issue_token`], made at `created` (RFC 3339): a token someone held before.
    pub fn issue_token_made(
        &self,
        key: &str,
        member_id: &str,
        scope: &str,
        expires: Option<&str>,
        created: &str,
    ) -> String {
        let mut state = self.state();
        let token = issue(&mut state, key, member_id, scope, expires);
        if let Some(t) = state.tokens.get_mut(&token) {
            t.created = created.to_string();
        }
        token
    }

    /// Adds a board `member` belongs to; returns its 24-hex id.
    pub fn add_board(&self, short_link: &str, name: &str, workspace: Option<(&str, &str)>, member: &str) -> String {
        let mut state = self.state();
        state.next_id += 1;
        let id = format!("5b{:022x}", state.next_id);
        if let Some((ws_id, ws_name)) = workspace {
            state.workspaces.insert(ws_id.to_string(), ws_name.to_string());
        }
        state.boards.push(FakeBoard {
            id: id.clone(),
            short_link: short_link.into(),
            name: name.into(),
            workspace: workspace.map(|(id, _)| id.to_string()),
            closed: false,
            members: vec![member.to_string()],
        });
        id
    }

    pub fn close_board(&self, id: &str) {
        if let Some(b) = self.state().boards.iter_mut().find(|b| b.id == id) {
            b.closed = true;
        }
    }

    pub fn push_fault(&self, fault: Fault) {
        self.state().faults.push_back(fault);
    }

    pub fn set_latency(&self, latency: Duration) {
        self.state().latency = latency;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state().requests.clone()
    }

    pub fn is_revoked(&self, token: &str) -> bool {
        self.state().tokens.get(token).is_some_and(|t| t.revoked)
    }
}

impl Drop for FakeTrello {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn issue(state: &mut State, key: &str, member_id: &str, scope: &str, expires: Option<&str>) -> String {
    state.next_id += 1;
    let n = state.next_id;
    let token = format!("ATTA{:064x}{:08X}", 0xfeed_0000_u64 + n, 0x1B2C_3D00_u32 + n as u32);
    let id = format!("6a{:022x}", n);
    state.tokens.insert(
        token.clone(),
        FakeToken {
            id,
            key: key.to_string(),
            member_id: member_id.to_string(),
            app_name: "trello-auth".into(),
            read: scope.contains("read"),
            write: scope.contains("write"),
            account: scope.contains("account"),
            expires: expires.map(str::to_string),
            expired: false,
            revoked: false,
            created: now_rfc3339(),
        },
    );
    token
}

/// Now, as Trello writes its dates (`2026-11-28T12:00:00.000Z`).
fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    now.format(&format).unwrap()
}

fn text(status: u16, body: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, CONTENT_TEXT)
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn json(status: u16, value: serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, CONTENT_JSON)
        .body(Body::from(value.to_string()))
        .unwrap()
}

fn not_found() -> Response<Body> {
    text(404, "The requested resource was not found.")
}

/// `key` and `token` from `Authorization: OAuth oauth_consumer_key="…", oauth_token="…"`,
/// or from `?key=&token=` as Trello also accepts.
fn credentials(headers: &HeaderMap, query: &str) -> (Option<String>, Option<String>) {
    let mut key = None;
    let mut token = None;
    if let Some(auth) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(params) = auth.strip_prefix("OAuth ")
    {
        for part in params.split(',') {
            if let Some((name, value)) = part.trim().split_once('=') {
                let value = value.trim_matches('"').to_string();
                match name {
                    "oauth_consumer_key" => key = Some(value),
                    "oauth_token" => token = Some(value),
                    _ => {}
                }
            }
        }
    }
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("key", v)) => key = Some(v.to_string()),
            Some(("token", v)) => token = Some(v.to_string()),
            _ => {}
        }
    }
    (key, token)
}

async fn handle(shared: Arc<Mutex<State>>, req: Request<Body>) -> Response<Body> {
    let started = Instant::now();
    let latency = shared.lock().unwrap().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let mut state = shared.lock().unwrap();
    let response = answer(&mut state, &method, &path, &query, req.headers());
    state.requests.push(Recorded {
        method: method.to_string(),
        uri: req.uri().to_string(),
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        started,
        finished: Instant::now(),
    });
    response
}

fn answer(state: &mut State, method: &Method, path: &str, query: &str, headers: &HeaderMap) -> Response<Body> {
    if let Some(fault) = state.faults.pop_front() {
        return match fault {
            Fault::RateLimit { retry_after, code } => {
                let mut r = json(429, serde_json::json!({"error": code, "message": "Rate limit exceeded"}));
                if let Some(wait) = retry_after {
                    r.headers_mut().insert(header::RETRY_AFTER, wait.parse().unwrap());
                }
                r
            }
            Fault::Status { status, content_type, body } => {
                let mut r = text(status, &body);
                r.headers_mut().insert(header::CONTENT_TYPE, content_type.parse().unwrap());
                r
            }
        };
    }
    if *method == Method::GET && path == "/1/authorize" {
        return authorize(state, query);
    }
    if let Some(echo) = state.echo {
        let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        return json(
            200,
            match echo {
                Echo::AsString => serde_json::Value::String(format!("echo: {path} {auth}")),
                Echo::InPermissions => serde_json::json!({"permissions": [{"write": path}]}),
            },
        );
    }
    let Some(rest) = path.strip_prefix("/1/") else { return not_found() };
    let (key, token) = credentials(headers, query);
    let Some(key) = key.filter(|k| state.keys.contains(k)) else { return text(401, "invalid key") };
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return text(401, "unauthorized permission requested");
    };
    let Some(auth) = state.tokens.get(&token).cloned() else { return text(401, "invalid token") };
    if auth.revoked || auth.key != key {
        return text(401, "invalid token");
    }
    if auth.expired {
        return text(401, "expired token");
    }
    let member = state.members.get(&auth.member_id).cloned();
    match (method, rest) {
        (&Method::GET, "members/me") => {
            if !auth.read {
                return text(401, "unauthorized permission requested");
            }
            let Some(m) = member else { return not_found() };
            let email = if auth.account { serde_json::Value::String(m.email.clone()) } else { serde_json::Value::Null };
            json(
                200,
                serde_json::json!({
                    "id": m.id, "username": m.username, "fullName": m.full_name,
                    "url": format!("https://trello.com/{}", m.username),
                    "initials": m.full_name.split_whitespace().filter_map(|w| w.chars().next()).collect::<String>(),
                    "avatarUrl": null, "email": email,
                }),
            )
        }
        (&Method::GET, "members/me/boards") => {
            if !auth.read {
                return text(401, "unauthorized permission requested");
            }
            let open_only = query.contains("filter=open");
            let boards: Vec<_> = state
                .boards
                .iter()
                .filter(|b| b.members.contains(&auth.member_id) && !(open_only && b.closed))
                .map(FakeBoard::json)
                .collect();
            json(200, serde_json::Value::Array(boards))
        }
        (&Method::GET, "members/me/organizations") => {
            if !auth.read {
                return text(401, "unauthorized permission requested");
            }
            let orgs: Vec<_> = state
                .workspaces
                .iter()
                .map(|(id, name)| serde_json::json!({"id": id, "name": name.to_lowercase(), "displayName": name}))
                .collect();
            json(200, serde_json::Value::Array(orgs))
        }
        (&Method::GET, r) if r.starts_with("boards/") => {
            let wanted = &r["boards/".len()..];
            let well_formed = (wanted.len() == 24 && wanted.chars().all(|c| c.is_ascii_hexdigit()))
                || (wanted.len() == 8 && wanted.chars().all(|c| c.is_ascii_alphanumeric()));
            if !well_formed {
                return text(400, "invalid id");
            }
            if !auth.read {
                return text(401, "unauthorized permission requested");
            }
            match state.boards.iter().find(|b| b.id == wanted || b.short_link == wanted) {
                Some(b) if b.members.contains(&auth.member_id) => json(200, b.json()),
                _ => not_found(),
            }
        }
        (_, r) if r.starts_with("tokens/") => {
            let named = percent_encoding::percent_decode_str(&r["tokens/".len()..]).decode_utf8_lossy().to_string();
            let Some(target) = state.tokens.get(&named).cloned() else { return text(401, "invalid token") };
            if target.member_id != auth.member_id || target.revoked {
                return text(401, "invalid token");
            }
            match *method {
                Method::GET => {
                    let mut answer = token_json(&target);
                    if let Some(permissions) = &state.token_permissions {
                        answer["permissions"] = permissions.clone();
                    }
                    json(200, answer)
                }
                Method::DELETE => {
                    if !auth.write {
                        return text(401, "unauthorized permission requested");
                    }
                    if let Some(t) = state.tokens.get_mut(&named) {
                        t.revoked = true;
                    }
                    json(200, serde_json::json!({"_value": null}))
                }
                _ => not_found(),
            }
        }
        _ => not_found(),
    }
}

fn token_json(t: &FakeToken) -> serde_json::Value {
    let mut permissions = Vec::new();
    if t.read || t.write {
        for model in ["Board", "Organization"] {
            permissions.push(serde_json::json!({"idModel": "*", "modelType": model, "read": t.read, "write": t.write}));
        }
    }
    if t.account {
        permissions
            .push(serde_json::json!({"idModel": t.member_id, "modelType": "Member", "read": true, "write": true}));
    }
    serde_json::json!({
        "id": t.id, "identifier": t.app_name, "idMember": t.member_id,
        "dateCreated": t.created, "dateExpires": t.expires, "permissions": permissions,
    })
}

fn query_params(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            let v = v.replace('+', " ");
            (k.to_string(), percent_encoding::percent_decode_str(&v).decode_utf8_lossy().into_owned())
        })
        .collect()
}

fn html(status: u16, body: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(format!("<!doctype html><html><body><p>{body}</p></body></html>")))
        .unwrap()
}

/// `GET /1/authorize`: the logged-in member clicks Allow at once. With a
/// listed `return_url` it redirects to `return_url#token=…` as Trello does with
/// `callback_method=fragment`; with `callback_method=postMessage` (the popup
/// flow of Trello's client.js) it answers a page whose script posts the bare
/// token to `window.opener` for the return URL's origin, as Trello's page does
/// in a window opened by a page of that origin; an unlisted origin gets
/// Trello's refusal page.
fn authorize(state: &mut State, query: &str) -> Response<Body> {
    let params = query_params(query);
    let key = params.get("key").cloned().unwrap_or_default();
    if !state.keys.contains(&key) {
        return html(400, "Invalid key");
    }
    let Some(member) = state.web_member.clone() else { return html(401, "Log in to Trello first.") };
    let scope = params.get("scope").cloned().unwrap_or_else(|| "read".into());
    let expires = match params.get("expiration").map(String::as_str) {
        Some("never") => None,
        Some("1hour") => Some("2026-11-28T13:00:00.000Z"),
        Some("1day") => Some("2026-11-29T12:00:00.000Z"),
        _ => Some("2026-12-28T12:00:00.000Z"),
    };
    let return_url = params.get("return_url").cloned();
    let mut return_origin = String::new();
    if let Some(url) = &return_url {
        return_origin = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        if !state.allowed_origins.contains(&return_origin) {
            return html(
                400,
                "Invalid return_url. The return URL should match the application's allowed origins. Contact the developer.",
            );
        }
    }
    let token = issue(state, &key, &member, &scope, expires);
    if let Some(name) = params.get("name")
        && let Some(t) = state.tokens.get_mut(&token)
    {
        t.app_name = name.clone();
    }
    state.authorized.push(token.clone());
    match (return_url, params.get("callback_method").map(String::as_str)) {
        (Some(url), Some("fragment")) => Response::builder()
            .status(302)
            .header(header::LOCATION, format!("{url}#token={token}"))
            .body(Body::empty())
            .unwrap(),
        (Some(_), Some("postMessage")) => {
            let post = format!(
                "<!doctype html><html><body><p>You have granted access.</p><script>\
                 if (window.opener) {{ window.opener.postMessage({}, {}); }}</script></body></html>",
                serde_json::Value::from(token),
                serde_json::Value::from(return_origin),
            );
            Response::builder()
                .status(200)
                .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                // The page holds the token: the stand-in lets no cache keep it
                // (what Trello's own page sends is not known here).
                .header(header::CACHE_CONTROL, "no-store")
                .body(Body::from(post))
                .unwrap()
        }
        _ => html(200, &format!("You have granted access. Your token is: <pre>{token}</pre>")),
    }
}
