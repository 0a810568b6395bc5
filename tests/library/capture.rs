//! The token-capture listener's rules, over real HTTP on 127.0.0.1.

use std::time::Duration;

use reqwest::StatusCode;
use trello_auth::capture::{BODY_LIMIT, Capture};

use crate::support::fake_trello::TOKEN;

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap()
}

async fn post(client: &reqwest::Client, url: &str, body: String) -> StatusCode {
    client
        .post(url)
        .header("content-type", "application/json")
        .header("origin", url.split("/callback").next().unwrap())
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

fn json_token(token: &str) -> String {
    serde_json::json!({ "token": token }).to_string()
}

#[tokio::test]
async fn one_well_shaped_token_with_the_right_nonce_is_taken_and_no_other() {
    let (capture, mut tokens) = Capture::start(0).await.unwrap();
    let url = capture.return_url();
    assert!(url.starts_with(&format!("http://127.0.0.1:{}/callback/", capture.port)));
    let client = http();

    let page = client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("connect-src 'self'"));
    assert!(page.text().await.unwrap().contains("location.hash"));

    assert_eq!(post(&client, &url, json_token(TOKEN)).await, StatusCode::OK);
    assert_eq!(tokens.try_recv().unwrap(), TOKEN);
    // The one token is taken; the listener keeps answering (a late start
    // URL must still be seen) but takes no second token.
    assert_eq!(post(&client, &url, json_token(TOKEN)).await, StatusCode::CONFLICT);
    let port = capture.port;
    drop(capture);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let closed = client.get(format!("http://127.0.0.1:{port}/")).send().await;
    assert!(closed.is_err(), "still listening after it was dropped: {closed:?}");
}

/// A web page can make the browser load the start URL (an `<img>`, a
/// `fetch`), but the browser labels such requests: they are refused and do
/// not use up the one-shot link, which still leads to Trello when the user's
/// browser opens it.
#[tokio::test]
async fn a_web_page_cannot_use_up_the_start_url() {
    let (capture, _tokens) = Capture::start(0).await.unwrap();
    // As the wizard does: armed with nothing handed out when it starts, then link 1.
    capture.arm(0, "https://trello.example/1/authorize?x=1");
    capture.arm(1, "https://trello.example/1/authorize?x=1");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let start = trello_auth::capture::start_url(capture.port, 1);
    for (site, mode) in
        [("cross-site", "no-cors"), ("same-site", "navigate"), ("cross-site", "navigate"), ("none", "cors")]
    {
        let answer =
            client.get(&start).header("sec-fetch-site", site).header("sec-fetch-mode", mode).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{site}/{mode}");
    }
    let user =
        client.get(&start).header("sec-fetch-site", "none").header("sec-fetch-mode", "navigate").send().await.unwrap();
    assert_eq!(user.status(), StatusCode::FOUND);
    assert_eq!(user.headers()["location"], "https://trello.example/1/authorize?x=1");
    // Opened twice: the second is refused as used.
    let again = client.get(&start).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::GONE);
}

/// Only the link the browser was handed leads to Trello: an earlier number of
/// this listener, or any number from before it started (a new nonce after
/// "not mine", or step 4 shown again), is someone else's open: a takeover,
/// never a redirect that would give away the new nonce.
#[tokio::test]
async fn only_the_link_handed_out_leads_anywhere_and_stale_ones_are_takeovers() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let authorize = "https://trello.example/1/authorize?return_url=new";
    // Two links were handed out for an earlier listener; this one starts now.
    let (mut capture, _tokens) = Capture::start(0).await.unwrap();
    capture.arm(2, authorize);
    for n in [1, 2] {
        let stale = client.get(trello_auth::capture::start_url(capture.port, n)).send().await.unwrap();
        assert_eq!(stale.status(), StatusCode::GONE, "link {n} from before this listener");
        assert!(stale.headers().get("location").is_none());
    }
    tokio::time::timeout(Duration::from_secs(2), capture.takeover()).await.expect("a takeover is reported");
    // Links 3 and 4 handed out by this one: 3 is no longer the one the browser has.
    let (mut capture, _tokens) = Capture::start(0).await.unwrap();
    capture.arm(2, authorize);
    capture.arm(3, authorize);
    capture.arm(4, authorize);
    let old = client.get(trello_auth::capture::start_url(capture.port, 3)).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::GONE);
    tokio::time::timeout(Duration::from_secs(2), capture.takeover()).await.expect("a takeover is reported");
    let unknown = client.get(trello_auth::capture::start_url(capture.port, 5)).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wrong_nonce_wrong_shape_other_paths_and_oversized_bodies_are_refused() {
    let (capture, mut tokens) = Capture::start(0).await.unwrap();
    let url = capture.return_url();
    let base = format!("http://127.0.0.1:{}", capture.port);
    let client = http();
    let wrong_nonce = format!("{base}/callback/{}", "0".repeat(32));

    assert_eq!(client.get(&wrong_nonce).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(post(&client, &wrong_nonce, json_token(TOKEN)).await, StatusCode::NOT_FOUND);
    for path in ["/", "/callback", "/callback/", "/favicon.ico", "/1/members/me"] {
        let status = client.get(format!("{base}{path}")).send().await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let secret = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100".to_string();
    for body in [
        json_token("ATATT3xFfGF0abc"),
        json_token("0123456789abcdef0123456789abcdef"),
        json_token(&TOKEN[..40]),
        json_token(""),
        "not json".into(),
        "{\"tok\": 1}".into(),
    ] {
        assert_eq!(post(&client, &url, body.clone()).await, StatusCode::BAD_REQUEST, "{body}");
    }
    let huge = json_token(&"a".repeat(BODY_LIMIT * 4));
    assert_eq!(post(&client, &url, huge).await, StatusCode::PAYLOAD_TOO_LARGE);
    let put = client.put(&url).body(json_token(TOKEN)).send().await.unwrap().status();
    assert_eq!(put, StatusCode::METHOD_NOT_ALLOWED);
    assert!(tokens.try_recv().is_err(), "nothing was handed over");

    // A legacy 64-hex token is well-shaped too, and the first good one wins.
    assert_eq!(post(&client, &url, json_token(&secret)).await, StatusCode::OK);
    assert_eq!(tokens.try_recv().unwrap(), secret);
    drop(capture);
}

#[tokio::test]
async fn other_hosts_and_other_origins_are_refused() {
    let (capture, mut tokens) = Capture::start(0).await.unwrap();
    let url = capture.return_url();
    let client = http();
    let rebound = client.get(&url).header("host", format!("evil.example:{}", capture.port)).send().await.unwrap();
    assert_eq!(rebound.status(), StatusCode::MISDIRECTED_REQUEST);
    let cross_site = client
        .post(&url)
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body(json_token(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert!(tokens.try_recv().is_err());
    drop(capture);
}

#[tokio::test]
async fn a_taken_port_is_reported_and_dropping_stops_the_listener() {
    let (capture, _tokens) = Capture::start(0).await.unwrap();
    let port = capture.port;
    let err = match Capture::start(port).await {
        Err(e) => e,
        Ok(_) => panic!("the port was free twice"),
    };
    assert!(err.to_string().contains(&format!("port {port} on 127.0.0.1 is already in use")), "{err}");
    drop(capture);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (again, _) = Capture::start(port).await.expect("the port is free after drop");
    drop(again);
}

/// A raw request to the listener; returns the status line, or "" when it was closed unanswered.
fn raw(port: u16, request: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return String::new() };
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_string()
}

/// Sends `request` again and again until it is answered or `within` has passed;
/// the answer's status line (empty when none came).
fn post_until_answered(port: u16, request: &str, within: Duration) -> String {
    let deadline = std::time::Instant::now() + within;
    loop {
        let answer = raw(port, request);
        if !answer.is_empty() || std::time::Instant::now() > deadline {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn post_request(port: u16, path: &str, host: &str, origin: Option<&str>, content_type: &str) -> String {
    let body = json_token(TOKEN);
    let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\n{origin}Content-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .replace("{port}", &port.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_page_itself_may_post_no_origin_no_json_or_another_name_is_refused() {
    let (capture, mut tokens) = Capture::start(0).await.unwrap();
    let port = capture.port;
    let url = capture.return_url();
    let path = url.strip_prefix(&format!("http://127.0.0.1:{port}")).unwrap().to_string();
    let own = format!("http://127.0.0.1:{port}");
    let host = format!("127.0.0.1:{port}");
    let cases = [
        // Login CSRF: a client that sends no Origin is not the page's fetch.
        (post_request(port, &path, &host, None, "application/json"), "403"),
        (post_request(port, &path, &host, Some("null"), "application/json"), "403"),
        (post_request(port, &path, &host, Some(&format!("http://localhost:{port}")), "application/json"), "403"),
        // A cross-site form can send text/plain without a preflight.
        (post_request(port, &path, &host, Some(&own), "text/plain"), "415"),
        (post_request(port, &path, &host, Some(&own), "application/x-www-form-urlencoded"), "415"),
        // Only the name the return URL uses.
        (post_request(port, &path, &format!("localhost:{port}"), Some(&own), "application/json"), "421"),
    ];
    for (request, status) in cases {
        let answer = tokio::task::spawn_blocking(move || raw(port, &request)).await.unwrap();
        assert!(answer.contains(status), "expected {status}, got {answer:?}");
    }
    assert!(tokens.try_recv().is_err(), "nothing was handed over");
    let good = post_request(port, &path, &host, Some(&own), "application/json; charset=utf-8");
    let answer = tokio::task::spawn_blocking(move || raw(port, &good)).await.unwrap();
    assert_eq!(answer, "HTTP/1.1 200 OK");
    assert_eq!(tokens.try_recv().unwrap(), TOKEN);
    drop(capture);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_half_sent_requests_cannot_keep_it_busy() {
    use std::io::{Read, Write};
    use trello_auth::capture::{HEADER_READ_TIMEOUT, MAX_CONNECTIONS};
    // Both ends of a thousand sockets live in this process.
    let (_, hard) = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE).unwrap();
    let _ = nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE, hard.min(8192), hard);

    let (capture, mut tokens) = Capture::start(0).await.unwrap();
    let port = capture.port;
    let url = capture.return_url();
    let path = url.strip_prefix(&format!("http://127.0.0.1:{port}")).unwrap().to_string();
    let (half, idle) = tokio::task::spawn_blocking(move || {
        let mut half = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        half.write_all(format!("POST /callback/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-").as_bytes()).unwrap();
        let idle: Vec<_> = (0..1000).filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok()).collect();
        (half, idle)
    })
    .await
    .unwrap();
    assert!(idle.len() > MAX_CONNECTIONS * 10, "only {} sockets opened", idle.len());

    // The half-sent request is cut off (evicted, or at the header timeout), not kept:
    // counted from when the thousand sockets are open, however long opening them took.
    let started = std::time::Instant::now();
    let closed_after = tokio::task::spawn_blocking(move || {
        let mut half = half;
        half.set_read_timeout(Some(HEADER_READ_TIMEOUT * 4)).unwrap();
        let mut buf = [0u8; 512];
        let _ = half.read(&mut buf);
        started.elapsed()
    })
    .await
    .unwrap();
    assert!(closed_after < HEADER_READ_TIMEOUT * 3, "the half request was held {closed_after:?}");

    // The real page still gets through, within a few header timeouts, while the
    // thousand idle sockets are still open.
    let host = format!("127.0.0.1:{port}");
    let own = format!("http://127.0.0.1:{port}");
    let good = post_request(port, &path, &host, Some(&own), "application/json");
    let answer =
        tokio::task::spawn_blocking(move || post_until_answered(port, &good, HEADER_READ_TIMEOUT * 4)).await.unwrap();
    assert_eq!(answer, "HTTP/1.1 200 OK");
    assert_eq!(tokens.try_recv().unwrap(), TOKEN);
    drop(idle);
    drop(capture);
}

/// Clients that send a whole POST's headers (with the nonce) and then trickle
/// its body, and keep reconnecting, hold no slot against the browser: a body
/// has a short deadline, and at the cap the oldest request still arriving is
/// evicted, so the real callback (headers and body at once) is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickling_bodies_cannot_keep_the_callback_out() {
    use std::io::Write;
    use trello_auth::capture::MAX_CONNECTIONS;
    let (capture, mut tokens) = Capture::start(0).await.unwrap();
    let port = capture.port;
    let path = capture.return_url().strip_prefix(&format!("http://127.0.0.1:{port}")).unwrap().to_string();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hogs: Vec<_> = (0..MAX_CONNECTIONS * 4)
        .map(|_| {
            let (stop, path) = (stop.clone(), path.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else { continue };
                    let head = format!(
                        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
                         Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
                    );
                    if s.write_all(head.as_bytes()).is_err() {
                        continue;
                    }
                    for _ in 0..100 {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) || s.write_all(b" ").is_err() {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let good = post_request(
        port,
        &path,
        &format!("127.0.0.1:{port}"),
        Some(&format!("http://127.0.0.1:{port}")),
        "application/json",
    );
    let answer =
        tokio::task::spawn_blocking(move || post_until_answered(port, &good, Duration::from_secs(8))).await.unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for hog in hogs {
        hog.join().unwrap();
    }
    assert_eq!(answer, "HTTP/1.1 200 OK");
    assert_eq!(tokens.try_recv().unwrap(), TOKEN);
}

/// The start URL, opened by the browser, answers the start page: Trello's
/// authorize URL in the popup flow (`callback_method=postMessage`, the return
/// URL cut to the listener's origin) for the button, the fragment flow for the
/// fallback link, the page's own callback path to post to, under the same
/// headers as the callback page (no cache, no referrer, the script's hash).
#[tokio::test]
async fn the_start_page_opens_trello_s_popup_flow_and_posts_to_its_own_callback() {
    let (capture, mut tokens) = Capture::start(0).await.unwrap();
    let port = capture.port;
    let return_url = capture.return_url();
    let encoded = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let authorize = format!(
        "https://trello.example/1/authorize?expiration=never&scope=read&response_type=token&name=x&key=k\
         &return_url={}&callback_method=fragment",
        encoded(&return_url)
    );
    capture.arm(0, &authorize);
    capture.arm(1, &authorize);
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let start = trello_auth::capture::start_url(port, 1);
    let page = client.get(&start).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert_eq!(csp, trello_auth::capture::content_security_policy());
    let body = page.text().await.unwrap();
    let popup = format!(
        "https://trello.example/1/authorize?expiration=never&amp;scope=read&amp;response_type=token&amp;name=x\
         &amp;key=k&amp;return_url=http%3A%2F%2F127.0.0.1%3A{port}&amp;callback_method=postMessage"
    );
    assert!(body.contains(&format!("data-popup=\"{popup}\"")), "{body}");
    assert!(body.contains(&format!("href=\"{}\"", authorize.replace('&', "&amp;"))), "{body}");
    let callback = return_url.strip_prefix(&trello_auth::capture::origin(port)).unwrap();
    assert!(body.contains(&format!("data-callback=\"{callback}\"")), "{body}");
    // The page posts the token Trello's window hands it, as the callback page does.
    assert_eq!(post(&http(), &return_url, json_token(TOKEN)).await, StatusCode::OK);
    assert_eq!(tokens.try_recv().unwrap(), TOKEN);
    // Still one-shot: a second open is a takeover.
    assert_eq!(client.get(&start).send().await.unwrap().status(), StatusCode::GONE);
}
