//! The error table: every way a Trello call fails, what it means, and the fix.
//!
//! Trello answers authentication failures in plain text (`invalid key`), not
//! JSON, so bodies are matched as text first. The rows and their fixes follow
//! the guide's error table, made exact from Trello's REST API docs
//! (<https://developer.atlassian.com/cloud/trello/rest/>).

use std::time::{Duration, SystemTime};

use crate::credentials::secret::scrub;

/// What the user (or the wizard) should do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Remedy {
    /// Recopy the API key.
    FixKey,
    /// Authorize a new token.
    NewToken,
    /// Check the id in the request.
    CheckId,
    /// Wait, then try again.
    Wait,
    /// A network or server problem: try again later.
    Retry,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TrelloError {
    #[error("Trello does not recognise this API key (401 invalid key)")]
    InvalidKey,
    #[error("Trello rejected the token (401 invalid token)")]
    InvalidToken,
    #[error("the token has expired (401 expired token)")]
    ExpiredToken,
    #[error("the token does not have the permission this needs (401 {body})")]
    MissingScope { body: String },
    #[error("Trello refused the credentials (401 {body})")]
    Unauthorized { body: String },
    #[error("a board, list or card id is malformed (400 invalid id)")]
    InvalidId,
    #[error("Trello could not find that resource, or the token cannot see it (404)")]
    NotFound,
    #[error("Trello's rate limit was hit (429 {code}){}", wait_words(*.retry_after))]
    RateLimited { code: String, retry_after: Option<Duration> },
    #[error("could not look up the address of {host} (DNS failure)")]
    Dns { host: String },
    #[error("nothing is listening at {host}: the connection was refused")]
    ConnectionRefused { host: String },
    #[error("a secure (TLS) connection to {host} could not be set up")]
    Tls { host: String },
    #[error("Trello did not answer within {} seconds", .seconds)]
    Timeout { seconds: u64 },
    #[error("Trello had a server error (HTTP {status})")]
    Server { status: u16 },
    #[error("Trello answered HTTP {status} unexpectedly: {body}")]
    UnexpectedStatus { status: u16, body: String },
    /// A 3xx: redirects are never followed, since the credentials would travel with them.
    #[error("the API answered HTTP {status}, a redirect to {location}, which was not followed")]
    Redirected { status: u16, location: String },
    #[error("Trello's answer was not the JSON expected: {detail}")]
    MalformedResponse { detail: String },
    #[error("Trello's answer was larger than {limit} bytes and was not read")]
    BodyTooLarge { limit: usize },
    #[error("the network failed: {detail}")]
    Network { detail: String },
}

fn wait_words(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!("; Trello asks to wait {} s", wait.as_secs().max(1)),
        None => String::new(),
    }
}

impl TrelloError {
    /// Why it happens: the "likely cause" column of the guide's table.
    pub fn cause(&self) -> &'static str {
        self.row().0
    }

    /// What to do next, in the guide's words and without naming a command:
    /// the wizard names its step and key, the commands add theirs (`commands::trello_fix`).
    pub fn fix(&self) -> &'static str {
        self.row().1
    }

    /// The error table's row: the cause and the fix, side by side, one row a line.
    #[rustfmt::skip]
    fn row(&self) -> (&'static str, &'static str) {
        use TrelloError::*;
        const CHANGED: &str = "The answer is not what Trello sends: something in between (a proxy or captive portal) may have changed it.";
        const CHECK_BASE: &str = "Check TRELLO_API_BASE and your network (proxy, captive portal), then try again.";
        const NEW_TOKEN: &str = "Authorize a new token with this API key.";
        const CONNECTION: &str = "Check your connection and try again.";
        match self {
            InvalidKey => ("The API key is mistyped, incomplete, or not an API key.", "Recopy the key from the API Key tab of your app in the app admin portal (https://trello.com/apps/admin): 32 characters, 0-9 and a-f."),
            InvalidToken => ("The token is mistyped, was revoked, or was made for a different API key.", NEW_TOKEN),
            Unauthorized { .. } => ("Trello refused this key and token.", NEW_TOKEN),
            ExpiredToken => ("The token is past its expiration.", "Authorize a new token, with a longer expiration if you need one."),
            MissingScope { .. } => ("The token lacks a scope this needs (or no token was sent).", "Authorize again with the scopes you need: read, write or account."),
            InvalidId => ("A board, list or card id is wrong.", "Check the board, list or card id in the request."),
            NotFound => ("It does not exist, or the token's account cannot see it.", "Check the id, and the token's permissions."),
            RateLimited { .. } => ("Too many requests: Trello allows 100 per 10 s per token and 300 per key.", "Wait a few seconds and try again."),
            Dns { .. } => ("The name of Trello's server could not be looked up.", "Check your internet connection and DNS, or TRELLO_API_BASE if you set it."),
            ConnectionRefused { .. } => ("Nothing answered at that address.", "Check your connection and proxy, or TRELLO_API_BASE if you set it."),
            Tls { .. } => ("The secure connection failed: an HTTPS-intercepting proxy, a wrong clock, or a server without TLS.", "Check the system clock and any proxy; TRELLO_API_BASE must point at an HTTPS server."),
            Timeout { .. } => ("No answer came in time.", CONNECTION),
            Network { .. } => ("The network failed during the request.", CONNECTION),
            Server { .. } => ("Trello had an internal problem.", "Try again in a minute (status: https://trello.status.atlassian.com)."),
            UnexpectedStatus { .. } | MalformedResponse { .. } | BodyTooLarge { .. } => (CHANGED, CHECK_BASE),
            Redirected { .. } => ("Trello's API does not redirect: a proxy, captive portal or wrong TRELLO_API_BASE sent the request elsewhere.", CHECK_BASE),
        }
    }

    pub(crate) fn remedy(&self) -> Remedy {
        use TrelloError::*;
        match self {
            InvalidKey => Remedy::FixKey,
            InvalidToken | ExpiredToken | MissingScope { .. } | Unauthorized { .. } => Remedy::NewToken,
            InvalidId | NotFound => Remedy::CheckId,
            RateLimited { .. } => Remedy::Wait,
            Dns { .. }
            | ConnectionRefused { .. }
            | Tls { .. }
            | Timeout { .. }
            | Server { .. }
            | UnexpectedStatus { .. }
            | MalformedResponse { .. }
            | BodyTooLarge { .. }
            | Redirected { .. }
            | Network { .. } => Remedy::Retry,
        }
    }

    /// True when the credentials themselves were refused (as opposed to the
    /// network or Trello failing): `status` exits 1 for these, 3 for the rest.
    pub(crate) fn is_rejection(&self) -> bool {
        matches!(self.remedy(), Remedy::FixKey | Remedy::NewToken)
    }

    /// True when nothing is known because Trello could not be reached or asked
    /// to wait (exit 3); a board that is not there is an answer (exit 1).
    pub(crate) fn is_unreachable(&self) -> bool {
        matches!(self.remedy(), Remedy::Retry | Remedy::Wait)
    }
}

/// Longest body text kept in an error message.
const SNIPPET_CHARS: usize = 120;
/// Longest parser message kept: it quotes the value it did not expect, which
/// may be the whole body.
const DECODE_CHARS: usize = 200;

/// A short, printable excerpt of a response body for an error message: the one
/// place answer text becomes error text. `known` are the key, token and secret
/// the request carried; they, and anything shaped like a credential, are
/// removed *before* the excerpt is cut, so no prefix of one survives a cut.
pub fn snippet(body: &str, known: &[&str]) -> String {
    excerpt(body, known, SNIPPET_CHARS)
}

/// A JSON parser's message about an answer, as [`snippet`] makes a body safe:
/// serde quotes the value of the wrong type whole (`invalid type: string
/// "… oauth_token=\"ATTA…\""`), so it is answer text like any other.
pub fn decode_error(message: &str, known: &[&str]) -> String {
    excerpt(message, known, DECODE_CHARS)
}

fn excerpt(text: &str, known: &[&str], limit: usize) -> String {
    let scrubbed = scrub(text, known);
    let cleaned: String = scrubbed
        .chars()
        .map(|c| if c.is_control() || crate::untrusted::is_unsafe(c) { ' ' } else { c })
        .take(limit)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if scrubbed.chars().count() > limit { format!("{cleaned}…") } else { cleaned }
}

/// Maps a non-success answer to its row of the error table. Pure, so it can be
/// tested and fuzzed without a server. `known` is passed to [`snippet`].
pub fn classify(status: u16, body: &str, retry_after: Option<Duration>, known: &[&str]) -> TrelloError {
    let snippet = |body: &str| snippet(body, known);
    let text = body.trim().trim_end_matches('.').to_ascii_lowercase();
    match status {
        401 => match text.as_str() {
            "invalid key" | "invalid app key" => TrelloError::InvalidKey,
            "invalid token" => TrelloError::InvalidToken,
            "expired token" => TrelloError::ExpiredToken,
            "unauthorized permission requested" | "missing scopes" => TrelloError::MissingScope { body: snippet(body) },
            t if t.starts_with("unauthorized") && t.contains("permission") => {
                TrelloError::MissingScope { body: snippet(body) }
            }
            _ => TrelloError::Unauthorized { body: snippet(body) },
        },
        400 if text == "invalid id" => TrelloError::InvalidId,
        404 => TrelloError::NotFound,
        429 => TrelloError::RateLimited { code: rate_limit_code(body, known), retry_after },
        500..=599 => TrelloError::Server { status },
        _ => TrelloError::UnexpectedStatus { status, body: snippet(body) },
    }
}

/// The `error` field of a 429's JSON body, or a generic name when it has none.
fn rate_limit_code(body: &str, known: &[&str]) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(|code| snippet(code, known)))
        .filter(|code| !code.is_empty())
        .unwrap_or_else(|| "RATE_LIMIT_EXCEEDED".to_string())
}

/// Parses `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More seconds than a u64 holds is still a number: an absurd one, which
        // the retry policy answers by giving up, not by guessing a backoff.
        return Some(value.parse::<u64>().map_or(Duration::MAX, Duration::from_secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_401_bodies() {
        assert_eq!(classify(401, "invalid key", None, &[]), TrelloError::InvalidKey);
        assert_eq!(classify(401, "invalid app key", None, &[]), TrelloError::InvalidKey);
        assert_eq!(classify(401, "invalid token", None, &[]), TrelloError::InvalidToken);
        assert_eq!(classify(401, "expired token\n", None, &[]), TrelloError::ExpiredToken);
        assert!(matches!(
            classify(401, "unauthorized permission requested", None, &[]),
            TrelloError::MissingScope { .. }
        ));
        assert!(matches!(classify(401, "missing scopes", None, &[]), TrelloError::MissingScope { .. }));
        assert!(matches!(
            classify(401, "unauthorized card permission requested", None, &[]),
            TrelloError::MissingScope { .. }
        ));
        assert!(matches!(classify(401, "something new", None, &[]), TrelloError::Unauthorized { .. }));
    }

    #[test]
    fn other_rows() {
        assert_eq!(classify(400, "invalid id", None, &[]), TrelloError::InvalidId);
        assert_eq!(classify(404, "The requested resource was not found.", None, &[]), TrelloError::NotFound);
        assert_eq!(classify(503, "<html>", None, &[]), TrelloError::Server { status: 503 });
        let limited = classify(
            429,
            r#"{"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}"#,
            Some(Duration::from_secs(3)),
            &[],
        );
        assert_eq!(
            limited,
            TrelloError::RateLimited {
                code: "API_TOKEN_LIMIT_EXCEEDED".into(),
                retry_after: Some(Duration::from_secs(3))
            }
        );
        assert_eq!(limited.remedy(), Remedy::Wait);
        assert!(
            matches!(classify(429, "not json", None, &[]), TrelloError::RateLimited { ref code, .. } if code == "RATE_LIMIT_EXCEEDED")
        );
    }

    /// One error of each kind, and the answer that gives it where one does.
    /// The match makes a new kind fail to compile here until it is added.
    fn one_of_each() -> Vec<(TrelloError, Option<(u16, &'static str)>)> {
        use TrelloError::*;
        let all = vec![
            (InvalidKey, Some((401, "invalid key"))),
            (InvalidToken, Some((401, "invalid token"))),
            (ExpiredToken, Some((401, "expired token"))),
            (MissingScope { body: "missing scopes".into() }, Some((401, "missing scopes"))),
            (Unauthorized { body: "unauthorized".into() }, Some((401, "unauthorized"))),
            (InvalidId, Some((400, "invalid id"))),
            (NotFound, Some((404, "The requested resource was not found."))),
            (RateLimited { code: "RATE_LIMIT_EXCEEDED".into(), retry_after: None }, Some((429, "{}"))),
            (Server { status: 503 }, Some((503, ""))),
            (UnexpectedStatus { status: 418, body: "I'm a teapot".into() }, Some((418, "I'm a teapot"))),
            (Dns { host: "api.trello.com".into() }, None),
            (ConnectionRefused { host: "127.0.0.1:9".into() }, None),
            (Tls { host: "api.trello.com".into() }, None),
            (Timeout { seconds: 15 }, None),
            (Redirected { status: 302, location: "elsewhere.example".into() }, None),
            (MalformedResponse { detail: "expected value".into() }, None),
            (BodyTooLarge { limit: 1 << 20 }, None),
            (Network { detail: "reset".into() }, None),
        ];
        for (e, _) in &all {
            match e {
                InvalidKey
                | InvalidToken
                | ExpiredToken
                | MissingScope { .. }
                | Unauthorized { .. }
                | InvalidId
                | NotFound
                | RateLimited { .. }
                | Dns { .. }
                | ConnectionRefused { .. }
                | Tls { .. }
                | Timeout { .. }
                | Server { .. }
                | UnexpectedStatus { .. }
                | Redirected { .. }
                | MalformedResponse { .. }
                | BodyTooLarge { .. }
                | Network { .. } => {}
            }
        }
        all
    }

    /// Each row of the table is reached by the answer that gives it, is written
    /// as the guide's sentences (one line each), and its fix says what its
    /// remedy is: the words a user reads and the path the front ends take agree.
    #[test]
    fn each_row_is_reached_by_its_answer_and_its_fix_says_its_remedy() {
        for (e, answer) in one_of_each() {
            if let Some((status, body)) = answer {
                let got = classify(status, body, None, &[]);
                assert_eq!(std::mem::discriminant(&got), std::mem::discriminant(&e), "{status} {body:?} gave {got:?}");
            }
            let (cause, fix, message) = (e.cause(), e.fix(), e.to_string());
            for text in [cause, fix] {
                assert!(text.starts_with(char::is_uppercase) && text.ends_with('.'), "{e:?}: {text:?}");
                assert!(!text.contains('\n'), "{e:?}: {text:?}");
            }
            assert!(!message.contains('\n'), "{e:?}: {message:?}");
            assert_ne!(cause, fix, "{e:?}");
            let says = match e.remedy() {
                Remedy::FixKey => fix.starts_with("Recopy the key"),
                Remedy::NewToken => fix.starts_with("Authorize"),
                Remedy::CheckId => fix.starts_with("Check the"),
                Remedy::Wait => fix.starts_with("Wait"),
                Remedy::Retry => {
                    (fix.contains("try again") || fix.starts_with("Try again") || fix.starts_with("Check"))
                        && !fix.contains("Authorize")
                        && !fix.contains("Recopy")
                }
            };
            assert!(says, "{e:?}: the fix does not say {:?}: {fix}", e.remedy());
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::MAX));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
    }

    #[test]
    fn snippets_are_short_and_printable() {
        let long = "x\u{1b}[2J".repeat(100);
        let s = snippet(&long, &[]);
        assert!(s.chars().count() <= SNIPPET_CHARS + 1);
        assert!(!s.contains('\u{1b}'));
    }

    #[test]
    fn snippets_never_hold_a_credential() {
        let token = format!("ATTA{}1B2C3D4E", "ab".repeat(32));
        let key = "0123456789abcdef0123456789abcdef";
        let echo = format!("<html>blocked: GET /1/tokens/{token} key={key} odd=s3cr3t-v4lue-xyz</html>");
        let s = snippet(&echo, &[key, &token, "s3cr3t-v4lue-xyz"]);
        assert!(!s.contains(&token[..20]) && !s.contains(&key[..20]) && !s.contains("s3cr3t"), "{s}");
        assert!(s.contains(crate::credentials::secret::REDACTED));
        // A cut never leaves a prefix: the token sits right at the limit.
        let at_edge = format!("{}{token}", "x".repeat(SNIPPET_CHARS - 10));
        assert!(!snippet(&at_edge, &[]).contains("ATTAabab"));
        let e = classify(418, &echo, None, &[&token]);
        assert!(!e.to_string().contains(&token[..20]), "{e}");
        // Lowercased (a host name), or the key as a host: still found; a word that only starts like a token is kept.
        let host = format!("{}.portal.example and {key}.example", token.to_ascii_lowercase());
        let s = decode_error(&host, &[]);
        assert!(!s.contains(&token.to_ascii_lowercase()[..20]) && !s.contains(&key[..20]), "{s}");
        assert_eq!(decode_error("attachmentsmanagers.example", &[]), "attachmentsmanagers.example");
        let s = decode_error(&format!("x{}y", token.to_ascii_lowercase()), &[&token]);
        assert!(!s.contains("abababab"), "{s}");
    }

    #[test]
    fn decode_errors_never_hold_a_credential() {
        #[derive(Debug, serde::Deserialize)]
        struct Member {
            #[allow(dead_code)]
            id: String,
        }
        let token = format!("ATTA{}1B2C3D4E", "ab".repeat(32));
        let key = "0123456789abcdef0123456789abcdef";
        let body = serde_json::json!(format!("echo: OAuth oauth_consumer_key=\"{key}\", oauth_token=\"{token}\""));
        let message = serde_json::from_str::<Member>(&body.to_string()).unwrap_err().to_string();
        assert!(message.contains(&token), "serde quotes the value whole: {message}");
        for known in [&[key, token.as_str()][..], &[]] {
            let shown = decode_error(&message, known);
            assert!(!shown.contains(&token[..12]) && !shown.contains(&key[..12]), "{shown}");
            assert!(shown.contains("invalid type: string") && shown.contains(crate::credentials::secret::REDACTED));
        }
        assert!(decode_error(&"x".repeat(10_000), &[]).chars().count() <= DECODE_CHARS + 1);
    }
}
