//! The Trello HTTP client: key and token in the Authorization header, typed errors,
//! bounded timeouts, body size cap and rate-limit retries.

use std::time::{Duration, SystemTime};

use percent_encoding::utf8_percent_encode;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use serde::Deserialize;
use time::OffsetDateTime;
use tokio::sync::mpsc::UnboundedSender;

use super::authorize::{QUERY_VALUE, Scopes};
pub use super::endpoints::Endpoints;
use super::errors::{TrelloError, classify, decode_error, parse_retry_after, snippet};
pub use crate::credentials::Credentials;
use crate::credentials::expiry::Expiry;
use crate::credentials::format::{is_short_link, is_trello_id};
use crate::credentials::{Secret, Verification};

/// How 429 answers are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    /// Never sleep more than this in total for one call.
    pub max_total_wait: Duration,
    /// First wait when the 429 has no `Retry-After`; doubles each time.
    pub first_backoff: Duration,
    /// Cap on one wait without `Retry-After`: Trello's window is 10 s, so waiting
    /// that long always lets the window roll over.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_total_wait: Duration::from_secs(30),
            first_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// How long to wait before retry number `attempt` (0-based).
    pub fn wait_for(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(wait) => wait,
            None => self.first_backoff.saturating_mul(1 << attempt.min(16)).min(self.max_backoff),
        }
    }
}

/// Sent to whoever listens each time the client sleeps before a retry, so a UI
/// can show a countdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    /// 1 for the first retry.
    pub attempt: u32,
    pub wait: Duration,
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub body_limit: usize,
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// The defaults, with `TRELLO_AUTH_TIMEOUT_MS` shortening the per-request
    /// timeout (tests of the real binary use it to stay fast).
    pub(crate) fn from_env() -> Self {
        let mut config = ClientConfig::default();
        if let Some(ms) = crate::environment::TIMEOUT_MS.get().and_then(|v| v.parse::<u64>().ok()) {
            config.request_timeout = Duration::from_millis(ms.clamp(1, 15_000));
        }
        config
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            body_limit: 1024 * 1024,
            retry: RetryPolicy::default(),
        }
    }
}

/// `GET /1/members/me`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Member {
    pub id: String,
    pub username: String,
    pub full_name: String,
    /// Only filled when the token has the `account` scope.
    pub email: Option<String>,
    pub url: Option<String>,
}

impl Member {
    /// "Ann Example (@ann)".
    pub fn who(&self) -> String {
        crate::credentials::who(&self.full_name, &self.username)
    }

    /// The body of `GET /1/members/me`, checked: what [`Client::member_me`]
    /// keeps. `known` are the credentials an error must not quote.
    pub fn from_answer(body: &[u8], known: &[&str]) -> Result<Member, TrelloError> {
        let member: Member = parse_json(body, known)?;
        if !is_trello_id(&member.id) {
            return Err(unexpected("the member's id is not 24 hex characters"));
        }
        Ok(member)
    }
}

/// One entry of a token's `permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Permission {
    pub id_model: String,
    pub model_type: String,
    pub read: bool,
    pub write: bool,
}

/// `GET /1/tokens/{token}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TokenInfo {
    pub id: String,
    /// The app name the token was authorized for.
    pub identifier: Option<String>,
    pub id_member: Option<String>,
    pub date_created: Option<String>,
    /// `null` for tokens made with `expiration=never`.
    pub date_expires: Option<String>,
    pub permissions: Vec<Permission>,
}

impl TokenInfo {
    /// The scopes Trello actually granted. ⚠ Trello documents no mapping: board
    /// and workspace permissions give read/write, a `Member` permission means `account`.
    pub fn scopes(&self) -> Scopes {
        let mut scopes = Scopes::default();
        for p in &self.permissions {
            if p.model_type.eq_ignore_ascii_case("member") {
                scopes.account |= p.read || p.write;
            } else {
                scopes.read |= p.read;
                scopes.write |= p.write;
            }
        }
        scopes
    }

    /// When the token stops working.
    pub fn expiry(&self) -> Expiry {
        Expiry::from_trello(self.date_expires.as_deref())
    }

    /// The moment the token stops working; `None` means never (or unparsable).
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expiry().at()
    }

    /// The body of `GET /1/tokens/{token}`, checked: what
    /// [`Client::token_info`] keeps. `known` as for [`Member::from_answer`].
    pub fn from_answer(body: &[u8], known: &[&str]) -> Result<TokenInfo, TrelloError> {
        let info: TokenInfo = parse_json(body, known)?;
        // Trello never issues a token that may do nothing: such an answer is
        // not Trello's, and its empty scope must not be saved.
        if info.scopes().is_empty() {
            return Err(unexpected(
                "the token's permissions grant no scope at all (no read, write or account), which Trello never \
                 answers for a working token",
            ));
        }
        // The expiry is saved and printed: `null` or an RFC 3339 time, as
        // Trello gives it, never free text (a line break there would forge a
        // line of `status`, a megabyte would fill the config).
        if matches!(info.expiry(), Expiry::Unreadable(_)) {
            return Err(unexpected("the token's dateExpires is neither null nor an RFC 3339 time"));
        }
        Ok(info)
    }
}

/// The result of [`Client::verify`]: who the token belongs to and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub member: Member,
    pub token: TokenInfo,
    /// How far Trello's clock was ahead of this machine's when it answered
    /// (from its `Date` header): a token's `dateCreated` is Trello's time.
    pub clock_ahead: Option<time::Duration>,
}

/// A successful answer: its body, and Trello's `Date` with this machine's
/// time when it arrived.
struct Answer {
    body: Vec<u8>,
    date: Option<(SystemTime, SystemTime)>,
}

/// A board, as `GET /1/boards/{id}` and `/1/members/me/boards` give it (only the fields asked for).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Board {
    pub id: String,
    pub name: String,
    pub short_link: String,
    pub closed: bool,
    pub id_organization: Option<String>,
}

impl Board {
    /// The body of `GET /1/boards/{id}`, checked. `known` as for [`Member::from_answer`].
    pub fn from_answer(body: &[u8], known: &[&str]) -> Result<Board, TrelloError> {
        checked_board(parse_json(body, known)?)
    }

    /// The body of `GET /1/members/me/boards`, every board checked.
    pub fn list_from_answer(body: &[u8], known: &[&str]) -> Result<Vec<Board>, TrelloError> {
        let boards: Vec<Board> = parse_json(body, known)?;
        boards.into_iter().map(checked_board).collect()
    }
}

/// A workspace, from `GET /1/members/me/organizations`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workspace {
    pub id: String,
    pub display_name: String,
}

impl Workspace {
    /// The body of `GET /1/members/me/organizations`. `known` as for [`Member::from_answer`].
    pub fn list_from_answer(body: &[u8], known: &[&str]) -> Result<Vec<Workspace>, TrelloError> {
        parse_json(body, known)
    }
}

/// The fields a board is asked for: what is shown and saved, nothing more.
const BOARD_FIELDS: &str = "fields=name,shortLink,closed,idOrganization";

impl Verified {
    /// Which of Trello's expirations the token was made with, from its dates
    /// (`null` is never); `None` when its span matches none of them.
    pub(crate) fn expiration(&self) -> Option<super::Expiration> {
        use super::Expiration;
        use time::format_description::well_known::Rfc3339;
        let Some(expires) = self.token.expires_at() else { return Some(Expiration::Never) };
        let created = OffsetDateTime::parse(self.token.date_created.as_deref()?, &Rfc3339).ok()?;
        let span = expires - created;
        let near = |hours: i64| (span - time::Duration::hours(hours)).abs() <= time::Duration::minutes(10);
        [(1, Expiration::OneHour), (24, Expiration::OneDay), (24 * 30, Expiration::ThirtyDays)]
            .into_iter()
            .find_map(|(hours, expiration)| near(hours).then_some(expiration))
    }

    /// What the verification says about the token, for the vault to save
    /// (the profile is shaped in `credentials`, not here).
    pub(crate) fn verification(&self, at: String) -> Verification {
        Verification {
            member_id: self.member.id.clone(),
            username: self.member.username.clone(),
            full_name: self.member.full_name.clone(),
            granted: self.token.scopes(),
            expires: self.token.expiry(),
            at,
        }
    }
}

/// What Trello said about a key on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// Trello answered with something other than `invalid key`.
    Known,
    /// Trello answered `invalid key`.
    Rejected,
    /// No answer: the network or Trello failed, so nothing is known.
    Unchecked(TrelloError),
}

enum Auth<'a> {
    KeyOnly(&'a str),
    Full(&'a Credentials),
    /// Sent as `creds`, about another token of the same member (named in the path).
    About(&'a Credentials, &'a Secret),
}

impl Auth<'_> {
    /// The values an error built from this request's answer must not contain.
    fn known(&self) -> Vec<&str> {
        match self {
            Auth::KeyOnly(key) => vec![key],
            Auth::Full(creds) => vec![creds.key(), creds.token().expose()],
            Auth::About(creds, other) => vec![creds.key(), creds.token().expose(), other.expose()],
        }
    }
}

pub struct Client {
    http: reqwest::Client,
    api_base: String,
    host: String,
    config: ClientConfig,
    notices: Option<UnboundedSender<RetryNotice>>,
}

impl Client {
    pub fn new(api_base: &str, config: ClientConfig) -> Result<Self, TrelloError> {
        // reqwest is built without a bundled crypto provider (see Cargo.toml);
        // installing fails only when one is already installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let loopback = super::endpoints::is_loopback_url(api_base);
        let mut builder = reqwest::Client::builder();
        if loopback {
            // Plain HTTP is allowed because it stays on this machine: a proxy
            // variable (`http_proxy`, `ALL_PROXY`) would carry it, token and
            // all, in clear text to the proxy's host.
            builder = builder.no_proxy();
        }
        let http = builder
            // A redirect would carry the Authorization header to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            // Only a server on this machine may be spoken to in plain HTTP.
            .https_only(!loopback)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("trello-auth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TrelloError::Network { detail: format!("could not set up HTTP: {}", e.without_url()) })?;
        let api_base = api_base.trim_end_matches('/').to_string();
        let host = reqwest::Url::parse(&api_base)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(port) => format!("{h}:{port}"),
                    None => h.to_string(),
                })
            })
            .unwrap_or_else(|| api_base.clone());
        Ok(Client { http, api_base, host, config, notices: None })
    }

    /// A client sharing this one's connections that reports its waits on `tx`.
    pub fn with_notices(&self, tx: UnboundedSender<RetryNotice>) -> Client {
        Client {
            http: self.http.clone(),
            api_base: self.api_base.clone(),
            host: self.host.clone(),
            config: self.config.clone(),
            notices: Some(tx),
        }
    }

    /// `GET /1/members/me`: who the token belongs to.
    pub async fn member_me(&self, creds: &Credentials) -> Result<Member, TrelloError> {
        let auth = Auth::Full(creds);
        let body = self.call(Method::GET, "/members/me", &auth).await?.body;
        Member::from_answer(&body, &auth.known())
    }

    /// `GET /1/tokens/{token}`: the token's scopes and expiry. Trello's API
    /// names the token in the path; it is never put in the query string.
    pub async fn token_info(&self, creds: &Credentials) -> Result<TokenInfo, TrelloError> {
        self.token_info_dated(creds).await.map(|(info, _)| info)
    }

    /// [`Client::token_info`], and how far Trello's clock was ahead of this
    /// machine's when it answered (its `Date` header; `None` without one).
    async fn token_info_dated(&self, creds: &Credentials) -> Result<(TokenInfo, Option<time::Duration>), TrelloError> {
        let path = format!("/tokens/{}", path_segment(creds.token().expose()));
        let auth = Auth::Full(creds);
        let answer = self.call(Method::GET, &path, &auth).await?;
        let info = TokenInfo::from_answer(&answer.body, &auth.known())?;
        let ahead = answer.date.map(|(trello, here)| {
            let signed = |t: SystemTime| OffsetDateTime::from(t);
            signed(trello) - signed(here)
        });
        Ok((info, ahead))
    }

    /// `DELETE /1/tokens/{token}` for `creds.token`. The body is undocumented, so
    /// only the status counts.
    pub async fn revoke_token(&self, creds: &Credentials) -> Result<(), TrelloError> {
        let path = format!("/tokens/{}", path_segment(creds.token().expose()));
        self.call(Method::DELETE, &path, &Auth::Full(creds)).await.map(drop)
    }

    /// `DELETE /1/tokens/{token}` sent as `creds`, another token of the same
    /// member that may write: a read-only token cannot revoke itself.
    pub(crate) async fn revoke_token_as(&self, creds: &Credentials, token: &Secret) -> Result<(), TrelloError> {
        let path = format!("/tokens/{}", path_segment(token.expose()));
        self.call(Method::DELETE, &path, &Auth::About(creds, token)).await.map(drop)
    }

    /// `GET /1/members/me/boards`: the member's open boards. Trello limits
    /// `/1/members/` calls separately (100 per 900 s per token): call once, keep the list.
    pub async fn boards(&self, creds: &Credentials) -> Result<Vec<Board>, TrelloError> {
        let auth = Auth::Full(creds);
        let path = format!("/members/me/boards?filter=open&{BOARD_FIELDS}");
        let body = self.call(Method::GET, &path, &auth).await?.body;
        Board::list_from_answer(&body, &auth.known())
    }

    /// `GET /1/members/me/organizations`: the workspaces boards belong to.
    pub async fn workspaces(&self, creds: &Credentials) -> Result<Vec<Workspace>, TrelloError> {
        let auth = Auth::Full(creds);
        let body = self.call(Method::GET, "/members/me/organizations?fields=displayName", &auth).await?.body;
        Workspace::list_from_answer(&body, &auth.known())
    }

    /// `GET /1/boards/{id}`: one board by its 24-hex id or 8-character short link.
    pub async fn board(&self, creds: &Credentials, id: &str) -> Result<Board, TrelloError> {
        let auth = Auth::Full(creds);
        let path = format!("/boards/{}?{BOARD_FIELDS}", path_segment(id));
        let body = self.call(Method::GET, &path, &auth).await?.body;
        Board::from_answer(&body, &auth.known())
    }

    /// Best effort: does Trello know this key? Sends the key alone, no retries.
    pub async fn check_key(&self, key: &str) -> KeyCheck {
        match self.call_once(Method::GET, "/members/me", &Auth::KeyOnly(key)).await {
            Ok(_) => KeyCheck::Known,
            Err(TrelloError::InvalidKey) => KeyCheck::Rejected,
            Err(e) if answered_about_something_else(&e) => KeyCheck::Known,
            Err(e) => KeyCheck::Unchecked(e),
        }
    }

    /// `member_me` and `token_info` at once: one round trip, not two.
    pub async fn verify(&self, creds: &Credentials) -> Result<Verified, TrelloError> {
        let (member, (token, clock_ahead)) = tokio::try_join!(self.member_me(creds), self.token_info_dated(creds))?;
        Ok(Verified { member, token, clock_ahead })
    }

    /// One call with 429 retries under the policy's bounds.
    async fn call(&self, method: Method, path: &str, auth: &Auth<'_>) -> Result<Answer, TrelloError> {
        let policy = self.config.retry;
        let mut waited = Duration::ZERO;
        let mut attempt = 0;
        loop {
            match self.call_once(method.clone(), path, auth).await {
                Err(TrelloError::RateLimited { code, retry_after }) if attempt < policy.max_retries => {
                    let wait = policy.wait_for(attempt, retry_after);
                    // Saturating: a `Retry-After` of 2^64 seconds must not overflow,
                    // and a wait past the policy's total means "give up now".
                    if waited.saturating_add(wait) > policy.max_total_wait {
                        return Err(TrelloError::RateLimited {
                            code,
                            retry_after: retry_after.filter(|w| *w <= MAX_SHOWN_WAIT),
                        });
                    }
                    attempt += 1;
                    if let Some(tx) = &self.notices {
                        // A listener that has gone away only loses the countdown.
                        let _ = tx.send(RetryNotice { attempt, wait, code });
                    }
                    tokio::time::sleep(wait).await;
                    waited = waited.saturating_add(wait);
                }
                other => return other,
            }
        }
    }

    async fn call_once(&self, method: Method, path: &str, auth: &Auth<'_>) -> Result<Answer, TrelloError> {
        let url = format!("{}{}", self.api_base, path);
        let response = self
            .http
            .request(method, &url)
            .header(AUTHORIZATION, auth_header(auth)?)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                // The host is answer text too: a proxy can put the token in it.
                .map(|l| decode_error(&location_host(l), &auth.known()))
                .unwrap_or_else(|| "nowhere (no Location header)".into());
            return Err(TrelloError::Redirected { status: status.as_u16(), location });
        }
        // Trello's own clock, to the second, beside this machine's at the same moment.
        let date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .map(|trello| (trello, SystemTime::now()));
        let body = self.read_body(response).await?;
        if status.is_success() {
            return Ok(Answer { body, date });
        }
        let text = String::from_utf8_lossy(&body);
        Err(classify(status.as_u16(), &text, retry_after, &auth.known()))
    }

    async fn read_body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, TrelloError> {
        let limit = self.config.body_limit;
        if response.content_length().is_some_and(|len| len > limit as u64) {
            return Err(TrelloError::BodyTooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport_error(&e))? {
            if body.len() + chunk.len() > limit {
                return Err(TrelloError::BodyTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Names the transport failure. reqwest's own message includes the URL,
    /// which can hold the token, so it is never shown.
    fn transport_error(&self, err: &reqwest::Error) -> TrelloError {
        let host = self.host.clone();
        if err.is_timeout() {
            let limit = if err.is_connect() { self.config.connect_timeout } else { self.config.request_timeout };
            return TrelloError::Timeout { seconds: limit.as_secs().max(1) };
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = source {
            if e.downcast_ref::<rustls::Error>().is_some() {
                return TrelloError::Tls { host };
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    std::io::ErrorKind::ConnectionRefused => return TrelloError::ConnectionRefused { host },
                    std::io::ErrorKind::TimedOut => {
                        return TrelloError::Timeout { seconds: self.config.connect_timeout.as_secs().max(1) };
                    }
                    _ => {}
                }
            }
            let text = e.to_string();
            if text.contains("dns error") || text.contains("failed to lookup address") {
                return TrelloError::Dns { host };
            }
            // io::Error::source skips the error it wraps, so step into it by hand.
            source = match e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => e.source(),
            };
        }
        if err.is_body() || err.is_decode() || err.is_request() {
            return TrelloError::Network { detail: "the connection closed before the answer was complete".into() };
        }
        if err.is_connect() {
            return TrelloError::Network { detail: format!("could not connect to {host}") };
        }
        // Only the kind of failure is kept: reqwest's own words carry the URL.
        let detail = if err.is_builder() { "could not build the request" } else { "the request failed" };
        TrelloError::Network { detail: detail.into() }
    }
}

/// An error that came from an HTTP answer about something other than the key.
fn answered_about_something_else(e: &TrelloError) -> bool {
    use TrelloError::*;
    matches!(
        e,
        InvalidToken
            | ExpiredToken
            | MissingScope { .. }
            | Unauthorized { .. }
            | InvalidId
            | NotFound
            | RateLimited { .. }
            | UnexpectedStatus { .. }
    )
}

fn path_segment(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// `OAuth oauth_consumer_key="…", oauth_token="…"`, values percent-encoded as
/// OAuth requires (a no-op for well-formed keys and tokens), marked sensitive.
fn auth_header(auth: &Auth<'_>) -> Result<HeaderValue, TrelloError> {
    let enc = |v: &str| utf8_percent_encode(v, QUERY_VALUE).to_string();
    let text = match auth {
        Auth::KeyOnly(key) => format!("OAuth oauth_consumer_key=\"{}\"", enc(key)),
        Auth::Full(creds) | Auth::About(creds, _) => {
            format!(
                "OAuth oauth_consumer_key=\"{}\", oauth_token=\"{}\"",
                enc(creds.key()),
                enc(creds.token().expose())
            )
        }
    };
    // Percent-encoding leaves only visible ASCII, so this cannot fail; mapped anyway.
    let mut value = HeaderValue::from_str(&text)
        .map_err(|_| TrelloError::Network { detail: "could not build the Authorization header".into() })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Where a redirect pointed, as a host only: the rest of the URL may carry anything.
fn location_host(location: &str) -> String {
    match reqwest::Url::parse(location) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{}:{port}", crate::untrusted::line(host)),
            (Some(host), None) => crate::untrusted::line(host).into_owned(),
            (None, _) => "an address with no host".into(),
        },
        Err(_) => "a relative or malformed address".into(),
    }
}

/// Longest `Retry-After` repeated in a message; a longer one is nonsense.
const MAX_SHOWN_WAIT: Duration = Duration::from_secs(24 * 3600);

/// What is kept from an answer must have the shape Trello gives it: a board
/// id is saved and exported to shells and agent configs, so a value such as
/// `` `x`\n `` from whatever answered is refused, never kept.
fn checked_board(board: Board) -> Result<Board, TrelloError> {
    if !is_trello_id(&board.id) {
        return Err(unexpected("a board id is not 24 hex characters"));
    }
    if !is_short_link(&board.short_link) {
        return Err(unexpected("a board's short link is not 8 letters and digits"));
    }
    Ok(board)
}

fn unexpected(what: &str) -> TrelloError {
    TrelloError::MalformedResponse { detail: what.to_string() }
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], known: &[&str]) -> Result<T, TrelloError> {
    serde_json::from_slice(body).map_err(|e| {
        let shown = snippet(&String::from_utf8_lossy(body), known);
        let detail = if shown.is_empty() {
            "the body was empty".to_string()
        } else {
            format!("{} (the body began: {shown})", decode_error(&e.to_string(), known))
        };
        TrelloError::MalformedResponse { detail }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_without_retry_after_stays_in_the_window() {
        let p = RetryPolicy::default();
        let waits: Vec<_> = (0..5).map(|a| p.wait_for(a, None).as_secs()).collect();
        assert_eq!(waits, vec![2, 4, 8, 10, 10]);
        assert_eq!(p.wait_for(0, Some(Duration::from_secs(7))), Duration::from_secs(7));
    }

    #[test]
    fn auth_header_shape_and_sensitivity() {
        let creds = Credentials::unchecked(&"k".repeat(32), "ATTAtok");
        let h = auth_header(&Auth::Full(&creds)).unwrap();
        assert!(h.is_sensitive());
        assert_eq!(
            h.to_str().unwrap(),
            format!("OAuth oauth_consumer_key=\"{}\", oauth_token=\"ATTAtok\"", "k".repeat(32))
        );
        let odd = Credentials::unchecked("k", "a\"b c");
        assert_eq!(
            auth_header(&Auth::Full(&odd)).unwrap().to_str().unwrap(),
            "OAuth oauth_consumer_key=\"k\", oauth_token=\"a%22b%20c\""
        );
    }

    #[test]
    fn scopes_from_permissions() {
        let info: TokenInfo = serde_json::from_str(
            r#"{"id":"t","identifier":"app","idMember":"m","dateCreated":"2026-01-01T00:00:00.000Z","dateExpires":null,
               "permissions":[{"idModel":"*","modelType":"Board","read":true,"write":false},
                              {"idModel":"m","modelType":"Member","read":true,"write":true}]}"#,
        )
        .unwrap();
        assert_eq!(info.scopes(), Scopes { read: true, write: false, account: true });
        assert_eq!(info.expires_at(), None);
    }
}
