//! The token-capture listener's rules, over real HTTP on 127.0.0.1.

use std::time::Duration;

use reqwest::StatusCode;
use trello_auth::capture::{BODY_LIMIT, Capture};

const TOKEN: &str = "ATTA3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f1B2C3D4E";

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
async fn one_well_shaped_token_with_the_right_nonce_is_taken_then_it_shuts_down() {
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
    // Answered, then closed: nothing listens any more.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = client.post(&url).body(json_token(TOKEN)).send().await;
    match again {
        Err(e) => assert!(e.is_connect() || e.is_request(), "{e:?}"),
        Ok(r) => assert_eq!(r.status(), StatusCode::CONFLICT),
    }
    drop(capture);
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
