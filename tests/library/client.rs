//! The Trello client against the fake Trello and misbehaving servers on 127.0.0.1.

use crate::support;

use std::time::{Duration, Instant};

use support::fake_trello::{ANN, CONTENT_JSON, CONTENT_TEXT, FakeTrello, Fault, KEY, OTHER_KEY};
use support::raw_server::{self, Behaviour, closed_port, http_response};
use trello_auth::credentials::Secret;
use trello_auth::trello::{Client, ClientConfig, Credentials, KeyCheck, RetryNotice, RetryPolicy, Scopes, TrelloError};

fn fast_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(800),
        body_limit: 64 * 1024,
        retry: RetryPolicy {
            max_retries: 3,
            max_total_wait: Duration::from_secs(5),
            first_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(200),
        },
    }
}

fn client(base: &str) -> Client {
    Client::new(base, fast_config()).unwrap()
}

fn creds(token: &str) -> Credentials {
    Credentials::sendable(KEY, &Secret::new(token)).unwrap()
}

#[tokio::test]
async fn verify_returns_member_scopes_and_expiry() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", Some("2026-12-28T12:00:00.000Z"));
    let verified = client(&fake.api_base()).verify(&creds(&token)).await.unwrap();
    assert_eq!(verified.member.username, "ann");
    assert_eq!(verified.member.full_name, "Ann Example");
    assert_eq!(verified.member.email, None, "email needs the account scope");
    assert_eq!(verified.token.scopes(), Scopes::READ_WRITE);
    assert_eq!(verified.token.date_expires.as_deref(), Some("2026-12-28T12:00:00.000Z"));
    assert!(verified.token.expires_at().is_some());
}

#[tokio::test]
async fn account_scope_brings_the_email_and_never_expiring_tokens_have_no_date() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,account", None);
    let verified = client(&fake.api_base()).verify(&creds(&token)).await.unwrap();
    assert_eq!(verified.member.email.as_deref(), Some("ann@example.com"));
    assert_eq!(verified.token.scopes(), Scopes { read: true, write: false, account: true });
    assert_eq!(verified.token.date_expires, None);
    assert_eq!(verified.token.expires_at(), None);
}

#[tokio::test]
async fn credentials_travel_only_in_the_authorization_header() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let c = client(&fake.api_base());
    c.verify(&creds(&token)).await.unwrap();
    c.check_key(KEY).await;
    let requests = fake.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        let auth = r.headers.iter().find(|(n, _)| n == "authorization").map(|(_, v)| v.clone());
        let auth = auth.expect("every request carries Authorization");
        assert!(auth.starts_with(&format!("OAuth oauth_consumer_key=\"{KEY}\"")), "{auth}");
        let query = r.uri.split_once('?').map(|(_, q)| q).unwrap_or("");
        assert!(!query.contains(&token) && !query.contains(KEY), "credentials in a query string: {}", r.uri);
        // Trello's API names the token in the path of /1/tokens/{token} only.
        if r.uri.contains(&token) {
            assert!(r.uri.starts_with("/1/tokens/"), "token in an unexpected URL: {}", r.uri);
        }
    }
    let with_token = requests.iter().filter(|r| r.headers.iter().any(|(_, v)| v.contains(&token))).count();
    assert_eq!(with_token, 2, "the key-only check must not send the token");
}

#[tokio::test]
async fn verify_issues_both_calls_at_once() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    fake.set_latency(Duration::from_millis(300));
    let start = Instant::now();
    client(&fake.api_base()).verify(&creds(&token)).await.unwrap();
    let elapsed = start.elapsed();
    let r = fake.requests();
    assert_eq!(r.len(), 2);
    let overlap = r[0].started < r[1].finished && r[1].started < r[0].finished;
    assert!(overlap, "the two calls did not overlap");
    assert!(elapsed < Duration::from_millis(580), "took {elapsed:?}: two round trips, not one");
}

#[tokio::test]
async fn each_401_row_of_the_error_table() {
    let fake = FakeTrello::with_ann();
    fake.add_key(OTHER_KEY);
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    let c = client(&fake.api_base());

    let wrong_key = Credentials::sendable("00000000000000000000000000000000", &Secret::new(good.clone())).unwrap();
    assert_eq!(c.member_me(&wrong_key).await, Err(TrelloError::InvalidKey));

    let unknown = format!("ATTA{}0000AAAA", "0".repeat(64));
    assert_eq!(c.member_me(&creds(&unknown)).await, Err(TrelloError::InvalidToken));

    let other_keys_token = fake.issue_token(OTHER_KEY, ANN, "read", None);
    assert_eq!(c.member_me(&creds(&other_keys_token)).await, Err(TrelloError::InvalidToken));

    let expired = fake.issue_token(KEY, ANN, "read", Some("2020-01-01T00:00:00.000Z"));
    fake.state().tokens.get_mut(&expired).unwrap().expired = true;
    assert_eq!(c.member_me(&creds(&expired)).await, Err(TrelloError::ExpiredToken));

    let write_only = fake.issue_token(KEY, ANN, "write", None);
    let e = c.member_me(&creds(&write_only)).await.unwrap_err();
    assert!(
        matches!(e, TrelloError::MissingScope { ref body } if body == "unauthorized permission requested"),
        "{e:?}"
    );

    for (body, expected) in [
        ("invalid app key", TrelloError::InvalidKey),
        ("missing scopes", TrelloError::MissingScope { body: "missing scopes".into() }),
    ] {
        fake.push_fault(Fault::Status { status: 401, content_type: CONTENT_TEXT, body: body.into() });
        assert_eq!(c.member_me(&creds(&good)).await, Err(expected));
    }
}

#[tokio::test]
async fn the_other_rows_and_server_errors() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    let c = client(&fake.api_base());
    let cases = [
        (400, CONTENT_TEXT, "invalid id", TrelloError::InvalidId),
        (404, CONTENT_TEXT, "The requested resource was not found.", TrelloError::NotFound),
        (502, "text/html", "<html>Bad gateway</html>", TrelloError::Server { status: 502 }),
        (503, CONTENT_TEXT, "", TrelloError::Server { status: 503 }),
        (418, CONTENT_TEXT, "I'm a teapot", TrelloError::UnexpectedStatus { status: 418, body: "I'm a teapot".into() }),
    ];
    for (status, content_type, body, expected) in cases {
        fake.push_fault(Fault::Status { status, content_type, body: body.into() });
        let got = c.member_me(&creds(&good)).await.unwrap_err();
        assert_eq!(got, expected);
    }
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_honoured_and_reported() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    fake.push_fault(Fault::RateLimit { retry_after: Some("1".into()), code: "API_TOKEN_LIMIT_EXCEEDED" });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let c = client(&fake.api_base()).with_notices(tx);
    let start = Instant::now();
    let member = c.member_me(&creds(&good)).await.unwrap();
    assert_eq!(member.username, "ann");
    assert!(start.elapsed() >= Duration::from_secs(1), "did not wait for Retry-After");
    assert_eq!(
        rx.try_recv().unwrap(),
        RetryNotice { attempt: 1, wait: Duration::from_secs(1), code: "API_TOKEN_LIMIT_EXCEEDED".into() }
    );
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn rate_limit_without_retry_after_backs_off_and_gives_up_bounded() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    for _ in 0..10 {
        fake.push_fault(Fault::RateLimit { retry_after: None, code: "API_KEY_LIMIT_EXCEEDED" });
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let c = client(&fake.api_base()).with_notices(tx);
    let e = c.member_me(&creds(&good)).await.unwrap_err();
    assert_eq!(e, TrelloError::RateLimited { code: "API_KEY_LIMIT_EXCEEDED".into(), retry_after: None });
    assert_eq!(fake.requests().len(), 4, "one call and three retries");
    let waits: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok()).map(|n| n.wait.as_millis()).collect();
    assert_eq!(waits, vec![50, 100, 200]);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_budget_is_returned_not_slept() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read,write", None);
    fake.push_fault(Fault::RateLimit { retry_after: Some("120".into()), code: "API_TOKEN_DB_LIMIT_EXCEEDED" });
    let start = Instant::now();
    let e = client(&fake.api_base()).member_me(&creds(&good)).await.unwrap_err();
    assert_eq!(
        e,
        TrelloError::RateLimited {
            code: "API_TOKEN_DB_LIMIT_EXCEEDED".into(),
            retry_after: Some(Duration::from_secs(120))
        }
    );
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn revoke_then_the_token_is_invalid() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    let c = client(&fake.api_base());
    c.revoke_token(&creds(&token)).await.unwrap();
    assert!(fake.is_revoked(&token));
    assert_eq!(c.member_me(&creds(&token)).await, Err(TrelloError::InvalidToken));
    let delete = fake.requests().into_iter().find(|r| r.method == "DELETE").unwrap();
    assert_eq!(delete.uri, format!("/1/tokens/{token}"));
}

#[tokio::test]
async fn revoking_needs_write() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read", None);
    let e = client(&fake.api_base()).revoke_token(&creds(&token)).await.unwrap_err();
    assert!(matches!(e, TrelloError::MissingScope { .. }));
    assert!(!fake.is_revoked(&token));
}

#[tokio::test]
async fn check_key_is_best_effort() {
    let fake = FakeTrello::with_ann();
    let c = client(&fake.api_base());
    assert_eq!(c.check_key(KEY).await, KeyCheck::Known);
    assert_eq!(c.check_key(OTHER_KEY).await, KeyCheck::Rejected);
    let dead = client(&format!("http://127.0.0.1:{}/1", closed_port()));
    assert!(matches!(dead.check_key(KEY).await, KeyCheck::Unchecked(TrelloError::ConnectionRefused { .. })));
}

#[tokio::test]
async fn connection_refused() {
    let c = client(&format!("http://127.0.0.1:{}/1", closed_port()));
    let e = c.member_me(&creds("ATTAx")).await.unwrap_err();
    assert!(matches!(e, TrelloError::ConnectionRefused { ref host } if host.starts_with("127.0.0.1:")), "{e:?}");
}

#[tokio::test]
async fn dns_failure() {
    let c = client("https://no-such-host.invalid/1");
    let e = c.member_me(&creds("ATTAx")).await.unwrap_err();
    assert!(matches!(e, TrelloError::Dns { ref host } if host == "no-such-host.invalid"), "{e:?}");
}

#[tokio::test]
async fn tls_against_a_plain_http_port() {
    let fake = FakeTrello::with_ann();
    let c = client(&format!("https://{}/1", fake.addr));
    let e = c.member_me(&creds("ATTAx")).await.unwrap_err();
    assert!(matches!(e, TrelloError::Tls { .. }), "{e:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let addr = raw_server::serve(Behaviour::Silent);
    let start = Instant::now();
    let e = client(&format!("http://{addr}/1")).member_me(&creds("ATTAx")).await.unwrap_err();
    assert!(matches!(e, TrelloError::Timeout { .. }), "{e:?}");
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(700) && took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn a_slow_body_past_the_timeout_times_out() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n{\"id\":".to_vec();
    let addr = raw_server::serve(Behaviour::Slow {
        first: head,
        pause: Duration::from_secs(5),
        rest: b"\"x\",\"u\":1}".to_vec(),
    });
    let e = client(&format!("http://{addr}/1")).member_me(&creds("ATTAx")).await.unwrap_err();
    assert!(matches!(e, TrelloError::Timeout { .. }), "{e:?}");
}

#[tokio::test]
async fn a_connection_closed_mid_answer() {
    let body = br#"{"id":"5f0","username":"ann""#;
    let addr = raw_server::serve(Behaviour::Reply(http_response("200 OK", CONTENT_JSON, body, Some(500))));
    let e = client(&format!("http://{addr}/1")).member_me(&creds("ATTAx")).await.unwrap_err();
    assert!(matches!(e, TrelloError::Network { ref detail } if detail.contains("closed")), "{e:?}");
}

#[tokio::test]
async fn truncated_and_wrong_json_and_plain_text() {
    for body in [&br#"{"id":"5f0","username":"an"#[..], b"[1,2,3]", b"invalid key but 200", b""] {
        let addr = raw_server::serve(Behaviour::Reply(http_response("200 OK", CONTENT_JSON, body, None)));
        let e = client(&format!("http://{addr}/1")).member_me(&creds("ATTAx")).await.unwrap_err();
        assert!(matches!(e, TrelloError::MalformedResponse { .. }), "{e:?} for {body:?}");
    }
}

#[tokio::test]
async fn huge_bodies_are_not_read() {
    let big = vec![b'x'; 200 * 1024];
    let declared = raw_server::serve(Behaviour::Reply(http_response("200 OK", CONTENT_JSON, &big, None)));
    let e = client(&format!("http://{declared}/1")).member_me(&creds("ATTAx")).await.unwrap_err();
    assert_eq!(e, TrelloError::BodyTooLarge { limit: 64 * 1024 });

    // Without a Content-Length the cap still applies while streaming.
    let mut chunked = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_vec();
    chunked.extend_from_slice(&big);
    let streamed = raw_server::serve(Behaviour::Reply(chunked));
    let e = client(&format!("http://{streamed}/1")).member_me(&creds("ATTAx")).await.unwrap_err();
    assert_eq!(e, TrelloError::BodyTooLarge { limit: 64 * 1024 });
}

#[tokio::test]
async fn errors_never_carry_the_token() {
    let token = format!("ATTA{}1B2C3D4E", "ab".repeat(32));
    let port = closed_port();
    for base in [format!("http://127.0.0.1:{port}/1"), "http://no-such-host.invalid/1".to_string()] {
        let e = client(&base).token_info(&creds(&token)).await.unwrap_err();
        let shown = format!("{e} {e:?} {}", e.fix());
        assert!(!shown.contains(&token), "{shown}");
    }
    // A server that echoes the token back in an error body.
    let fake = FakeTrello::with_ann();
    fake.push_fault(Fault::Status { status: 401, content_type: CONTENT_TEXT, body: format!("bad {token}") });
    let e = client(&fake.api_base()).member_me(&creds(&token)).await.unwrap_err();
    assert!(!format!("{e} {e:?}").contains(&token), "{e:?}");
}

/// An answer of the wrong JSON type that echoes the request: serde's own
/// message quotes the value whole, so it is scrubbed like the body excerpt.
#[tokio::test]
async fn a_json_answer_of_the_wrong_type_never_quotes_the_credentials() {
    use support::fake_trello::Echo;
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    for echo in [Echo::AsString, Echo::InPermissions] {
        fake.state().echo = Some(echo);
        let client = client(&fake.api_base());
        let errors = [
            client.member_me(&creds(&token)).await.unwrap_err(),
            client.token_info(&creds(&token)).await.unwrap_err(),
            client.verify(&creds(&token)).await.unwrap_err(),
        ];
        for e in errors {
            let shown = format!("{e} {e:?}");
            assert!(matches!(e, TrelloError::MalformedResponse { .. }), "{echo:?}: {shown}");
            assert!(!shown.contains(&token[..12]) && !shown.contains(&token[64..]), "{echo:?}: the token: {shown}");
            assert!(!shown.contains(&KEY[..12]), "{echo:?}: the key: {shown}");
        }
    }
    let e = client(&fake.api_base()).token_info(&creds(&token)).await.unwrap_err().to_string();
    assert!(e.contains("expected a boolean") && e.contains("[redacted]"), "the parser's words stay: {e}");
}
