//! Network faults through the real binary (`login --with-token`): each gives the
//! right message within the documented timeouts, retries are bounded, and
//! nothing is saved.

use crate::support;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::fake_trello::{CONTENT_TEXT, FakeTrello, Fault, KEY, TOKEN};
use support::raw_server::{self, Behaviour, closed_port, http_response};

struct Run {
    out: Output,
    took: Duration,
    saved: bool,
}

fn login(api_base: &str, extra_env: &[(&str, &str)], token: &str) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trello-auth"));
    cmd.args(["login", "--with-token", "--key", KEY])
        .env_clear()
        .env("XDG_CONFIG_HOME", home.path())
        .env("TRELLO_API_BASE", api_base)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(token.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let took = start.elapsed();
    let saved = home.path().join("trello-auth").join("config.toml").exists();
    Run { out, took, saved }
}

fn assert_failed(run: &Run, code: i32, words: &[&str], within: Duration) {
    let stderr = String::from_utf8_lossy(&run.out.stderr);
    assert_eq!(run.out.status.code(), Some(code), "{stderr}");
    assert!(run.out.stdout.is_empty(), "stdout on error");
    for w in words {
        assert!(stderr.contains(w), "missing {w:?} in: {stderr}");
    }
    assert!(stderr.contains("fix:"), "no fix in: {stderr}");
    assert!(run.took < within, "took {:?}, more than {within:?}", run.took);
    assert!(!run.saved, "saved after a failure");
    assert!(!stderr.contains(TOKEN), "the token leaked into the message");
}

const FAST: [(&str, &str); 1] = [("TRELLO_AUTH_TIMEOUT_MS", "1500")];

#[test]
fn dns_failure() {
    let run = login("https://no-such-host.invalid/1", &FAST, TOKEN);
    assert_failed(&run, 3, &["could not look up the address of no-such-host.invalid"], Duration::from_secs(10));
}

#[test]
fn connection_refused() {
    let run = login(&format!("http://127.0.0.1:{}/1", closed_port()), &FAST, TOKEN);
    assert_failed(&run, 3, &["connection was refused"], Duration::from_secs(5));
}

#[test]
fn tls_against_a_plain_http_port() {
    let fake = FakeTrello::with_ann();
    let run = login(&format!("https://{}/1", fake.addr), &FAST, TOKEN);
    assert_failed(&run, 3, &["secure (TLS) connection"], Duration::from_secs(5));
}

#[test]
fn a_server_that_accepts_and_never_answers_hits_the_default_15_s_timeout() {
    let silent = raw_server::serve(Behaviour::Silent);
    let run = login(&format!("http://{silent}/1"), &[], TOKEN);
    assert_failed(&run, 3, &["did not answer within 15 seconds"], Duration::from_secs(20));
    assert!(run.took >= Duration::from_secs(14), "gave up early: {:?}", run.took);
}

#[test]
fn a_slow_answer_past_the_timeout() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{".to_vec();
    let slow = raw_server::serve(Behaviour::Slow { first: head, pause: Duration::from_secs(10), rest: b"}".to_vec() });
    let run = login(&format!("http://{slow}/1"), &FAST, TOKEN);
    assert_failed(&run, 3, &["did not answer within"], Duration::from_secs(5));
}

#[test]
fn server_errors() {
    let fake = FakeTrello::with_ann();
    for _ in 0..2 {
        fake.push_fault(Fault::Status { status: 503, content_type: CONTENT_TEXT, body: "unavailable".into() });
    }
    let run = login(&fake.api_base(), &FAST, TOKEN);
    assert_failed(&run, 3, &["server error (HTTP 503)"], Duration::from_secs(5));
}

#[test]
fn a_429_storm_is_retried_a_bounded_number_of_times() {
    let fake = FakeTrello::with_ann();
    for _ in 0..50 {
        fake.push_fault(Fault::RateLimit { retry_after: Some("1".into()), code: "API_TOKEN_LIMIT_EXCEEDED" });
    }
    let run = login(&fake.api_base(), &FAST, TOKEN);
    assert_failed(&run, 3, &["rate limit", "API_TOKEN_LIMIT_EXCEEDED"], Duration::from_secs(10));
    // verify makes two calls; each tries once and retries at most three times.
    let requests = fake.requests().len();
    assert!(requests <= 8, "{requests} requests: retries are not bounded");
    assert!(run.took >= Duration::from_secs(3), "Retry-After was not honoured: {:?}", run.took);
}

#[test]
fn malformed_truncated_huge_and_plain_text_answers() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (http_response("200 OK", "application/json", br#"{"id": "5f0", "username": "#, None), "not the JSON expected"),
        (
            http_response("200 OK", "application/json", br#"{"id":"5f0"}"#, Some(400)),
            "closed before the answer was complete",
        ),
        (http_response("200 OK", "text/plain", b"invalid token", None), "not the JSON expected"),
        (http_response("200 OK", "application/json", &vec![b' '; 2 * 1024 * 1024], None), "larger than 1048576 bytes"),
        (
            http_response("302 Found", "text/html", b"<html>captive portal</html>", None),
            "answered HTTP 302, a redirect to nowhere",
        ),
    ];
    for (bytes, words) in cases {
        let addr = raw_server::serve(Behaviour::Reply(bytes));
        let run = login(&format!("http://{addr}/1"), &FAST, TOKEN);
        assert_failed(&run, 3, &[words], Duration::from_secs(5));
    }
}

#[test]
fn each_rejection_is_exit_1_with_its_row_of_the_table() {
    let fake = FakeTrello::with_ann();
    for (body, words) in [
        ("invalid key", "does not recognise this API key"),
        ("invalid app key", "does not recognise this API key"),
        ("invalid token", "rejected the token"),
        ("expired token", "has expired"),
        ("unauthorized permission requested", "permission"),
        ("missing scopes", "permission"),
    ] {
        // verify's two calls each take one; a call cut short leaves its fault
        // behind, and one still in flight from the run before may take one of
        // these after the clear: two to spare, so both calls always get theirs.
        fake.state().faults.clear();
        for _ in 0..4 {
            fake.push_fault(Fault::Status { status: 401, content_type: CONTENT_TEXT, body: body.into() });
        }
        let run = login(&fake.api_base(), &FAST, TOKEN);
        assert_failed(&run, 1, &[words], Duration::from_secs(5));
    }
}
