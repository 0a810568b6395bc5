//! Token capture end to end: real headless Chromium follows the fake Trello's
//! authorize redirect to the real binary's listener, which hands the token to
//! the wizard. Also the fallbacks to paste.

use crate::support;

use std::process::{Child, Command, Stdio};

use support::fake_trello::{FakeTrello, KEY};
use support::pty::{CTRL_C, ENTER, Pty, base_command};
use support::raw_server::closed_port;
use trello_auth::credentials::store::Store;

const CTRL_T: &str = "\x14";
const CTRL_O: &str = "\x0f";
const CTRL_P: &str = "\x10";

fn wizard(fake: &FakeTrello, home: &std::path::Path, extra: &[(&str, &str)], args: &[&str]) -> Pty {
    let mut cmd = base_command(home);
    cmd.args(args);
    cmd.env("TRELLO_API_BASE", fake.api_base());
    cmd.env("TRELLO_WEB_BASE", fake.web_base());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    Pty::spawn(cmd, 100, 30)
}

fn to_token_step(pty: &mut Pty) {
    pty.expect("Open the app admin portal");
    pty.send(ENTER);
    pty.send(ENTER);
    pty.expect("Generate the API key");
    pty.paste(KEY);
    pty.expect("Trello knows this key");
    pty.send(ENTER);
    pty.expect("Authorize a token");
}

/// Debian's chromium. CI installs it (.ci/run); without CI a missing browser is
/// reported loudly rather than failing a developer's `cargo test`.
fn chromium() -> Option<&'static str> {
    for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if std::path::Path::new(path).exists() {
            return Some(path);
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium is not installed; .ci/run installs Debian's chromium package");
    }
    eprintln!("NOT RUN: the headless-Chromium capture test needs /usr/bin/chromium (apt-get install chromium)");
    None
}

/// A headless Chromium with its own throw-away profile directory.
struct Browser(Child, #[allow(dead_code)] tempfile::TempDir);

impl Browser {
    fn open(binary: &str, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--virtual-time-budget=10000",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        Browser(child, profile)
    }

    fn page(mut self) -> String {
        let child = std::mem::replace(&mut self.0, Command::new("true").spawn().unwrap());
        let out = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn chromium_hands_the_token_to_the_wizard_which_verifies_and_saves_it() {
    let Some(binary) = chromium() else { return };
    let port = closed_port();
    let fake = FakeTrello::with_ann();
    fake.allow_origin(&format!("http://127.0.0.1:{port}"));
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path(), &[("TRELLO_AUTH_CALLBACK_PORT", &port.to_string())], &[]);
    to_token_step(&mut pty);
    pty.expect(&format!("Waiting on http://127.0.0.1:{port}"));
    pty.send(CTRL_T);
    let url = pty.expect_copy(None);
    assert!(url.contains("&callback_method=fragment"), "{url}");
    assert!(url.contains(&format!("&return_url=http%3A%2F%2F127.0.0.1%3A{port}%2Fcallback%2F")), "{url}");

    let browser = Browser::open(binary, &url);
    // Any local program can reach the listener: the account is shown and confirmed before saving.
    pty.expect("Is Ann Example (@ann) your account?");
    assert!(!home.path().join("trello-auth/config.toml").exists(), "saved before the question");
    pty.send("y");
    pty.expect("Credentials verified and saved");
    let page = browser.page();
    assert!(page.contains("Token received"), "the browser was told to close the tab:\n{page}");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    pty.assert_terminal_restored();

    let issued = fake.state().authorized.last().cloned().expect("the fake authorized a token");
    let profile = Store::at(home.path().join("trello-auth/config.toml")).profile("default").unwrap().unwrap();
    assert_eq!(profile.token.unwrap().expose(), issued);
    // The listener is gone once the token was taken.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn an_unlisted_origin_gets_trellos_refusal_and_paste_still_works() {
    let Some(binary) = chromium() else { return };
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path(), &[], &[]);
    to_token_step(&mut pty);
    pty.expect("Waiting on http://127.0.0.1:");
    pty.send(CTRL_T);
    let url = pty.expect_copy(None);
    let page = Browser::open(binary, &url).page();
    assert!(
        page.contains("Invalid return_url. The return URL should match the application's allowed origins."),
        "{page}"
    );
    let screen = pty.screen();
    assert!(screen.contains("Invalid return_url") && screen.contains("under Allowed origins"), "{screen}");
    // Pasting works while waiting.
    let token = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", None);
    pty.paste(&token);
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}

#[test]
fn capture_falls_back_to_paste_and_says_why() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", None);

    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path(), &[], &["--no-capture"]);
    to_token_step(&mut pty);
    pty.expect("Token capture is off: --no-capture was given");
    pty.send(CTRL_T);
    assert!(!pty.expect_copy(None).contains("return_url"), "no return_url without a listener");
    pty.send(CTRL_C);
    pty.wait();

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let mut pty = wizard(&fake, home.path(), &[("TRELLO_AUTH_CALLBACK_PORT", &port)], &[]);
    to_token_step(&mut pty);
    pty.expect(&format!("port {port} on 127.0.0.1 is already in use"));
    pty.paste(&token);
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    drop(busy);

    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path(), &[("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")], &[]);
    to_token_step(&mut pty);
    pty.expect("this is an SSH session without a display");
    pty.send(CTRL_C);
    pty.wait();
}

#[test]
fn the_fake_trello_authorize_page_behaves_like_trello() {
    let fake = FakeTrello::with_ann();
    fake.allow_origin("http://127.0.0.1:47130");
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Show redirects instead of following them.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let base =
        format!("{}/1/authorize?expiration=never&scope=read&response_type=token&name=x&key={KEY}", fake.web_base());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let listed = client
            .get(format!("{base}&return_url=http%3A%2F%2F127.0.0.1%3A47130%2Fcallback%2Fabc&callback_method=fragment"))
            .send()
            .await
            .unwrap();
        assert_eq!(listed.status(), 302);
        let location = listed.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("http://127.0.0.1:47130/callback/abc#token=ATTA"), "{location}");
        let unlisted = client
            .get(format!("{base}&return_url=http%3A%2F%2F127.0.0.1%3A9999%2Fcb&callback_method=fragment"))
            .send()
            .await
            .unwrap();
        assert!(unlisted.text().await.unwrap().contains("Invalid return_url."));
        let plain = client.get(&base).send().await.unwrap().text().await.unwrap();
        assert!(plain.contains("Your token is"), "{plain}");
    });
}

/// A "browser" script: records each URL it is asked to open in `opened.txt`,
/// then runs `then` with the URL as `$1`.
fn browser_script(home: &std::path::Path, then: &str) -> (String, std::path::PathBuf) {
    let opened = home.join("opened.txt");
    let script = home.join("browser.sh");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n{then}\n", opened.display())).unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    (script.to_str().unwrap().to_string(), opened)
}

/// The wizard with `browser` as its launcher, on step 4, after Ctrl+O opened the start URL.
fn open_on_step_4(fake: &FakeTrello, home: &std::path::Path, port: u16, browser: String) -> Pty {
    let env = [("TRELLO_AUTH_CALLBACK_PORT", port.to_string()), ("DISPLAY", ":99".into()), ("BROWSER", browser)];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut pty = wizard(fake, home, &env, &[]);
    to_token_step(&mut pty);
    pty.expect(&format!("Waiting on http://127.0.0.1:{port}"));
    pty.send("\x0f");
    pty
}

/// The real flow through the browser launcher: `o` opens the one-shot start
/// URL (no nonce on any command line), which Chromium follows to Trello's
/// authorize page and back to the listener.
#[test]
fn the_browser_opens_a_one_shot_start_url_that_leads_to_trello() {
    let Some(binary) = chromium() else { return };
    let port = closed_port();
    let fake = FakeTrello::with_ann();
    fake.allow_origin(&format!("http://127.0.0.1:{port}"));
    let home = tempfile::tempdir().unwrap();
    let chromium = format!(
        "{binary} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
         --disable-background-networking --disable-component-update --disable-sync --virtual-time-budget=10000 \
         --user-data-dir='{}' --dump-dom \"$1\" > /dev/null 2>&1 &",
        home.path().join("chromium").display()
    );
    let (browser, opened) = browser_script(home.path(), &chromium);
    let mut pty = open_on_step_4(&fake, home.path(), port, browser);
    pty.expect("Is Ann Example (@ann) your account?");
    let launched = std::fs::read_to_string(&opened).unwrap();
    assert_eq!(launched.trim(), format!("http://127.0.0.1:{port}/start/1"), "the launcher saw no nonce");
    // Enter is no answer to "is this yours?": only a deliberate `y` saves a caught token.
    pty.send(ENTER);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!home.path().join("trello-auth/config.toml").exists(), "Enter saved a caught token");
    pty.send("y");
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}

/// Another local user reads the start URL from the launcher's command line
/// and gets there first, planting Bob's token: the wizard shows whose token
/// arrived and saves nothing unless told; when the real browser then opens
/// the same start URL, the takeover is named and the wizard falls back to pasting.
#[test]
fn a_token_planted_through_the_start_url_is_shown_and_a_second_open_is_a_takeover() {
    let port = closed_port();
    let fake = FakeTrello::with_ann();
    fake.add_member("5f0000000000000000000b0b", "bob", "Bob Other", "bob@example.com");
    let bob = fake.issue_token(KEY, "5f0000000000000000000b0b", "read,write", None);
    let home = tempfile::tempdir().unwrap();
    // The attacker: fetch the start URL without following it, take the return URL, post Bob's token.
    let attacker = home.path().join("attacker.py");
    std::fs::write(
        &attacker,
        format!(
            r#"import http.client, json, sys, urllib.parse
c = http.client.HTTPConnection("127.0.0.1", {port})
c.request("GET", urllib.parse.urlparse(sys.argv[1]).path)
loc = c.getresponse().getheader("Location")
ret = urllib.parse.parse_qs(urllib.parse.urlparse(loc).query)["return_url"][0]
u = urllib.parse.urlparse(ret)
c = http.client.HTTPConnection("127.0.0.1", {port})
c.request("POST", u.path, body=json.dumps({{"token": "{bob}"}}),
          headers={{"Content-Type": "application/json", "Origin": "http://127.0.0.1:{port}"}})
print(c.getresponse().status)
"#
        ),
    )
    .unwrap();
    let (browser, opened) = browser_script(home.path(), &format!("python3 '{}' \"$1\"", attacker.display()));
    let mut pty = open_on_step_4(&fake, home.path(), port, browser);
    // Visible: whose token arrived, before anything is saved.
    let screen = pty.expect("Is Bob Other (@bob) your account?");
    assert!(screen.contains("any program on this computer"), "{screen}");
    assert!(!home.path().join("trello-auth/config.toml").exists());
    pty.send(ENTER);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!home.path().join("trello-auth/config.toml").exists(), "Enter saved a planted token");
    pty.send("n");
    let screen = pty.expect("catching is off");
    assert!(screen.contains("Authorize a token"), "{screen}");
    assert!(!home.path().join("trello-auth/config.toml").exists(), "nothing was saved");
    assert!(opened.exists());
    pty.send(CTRL_C);
    pty.wait();

    // The attacker got there first and planted Bob's token; then the real
    // browser opens the start URL: while the wizard asks whose token it is,
    // that second open is still seen, and the caught token is dropped.
    let late = home.path().join("late.py");
    std::fs::write(
        &late,
        format!(
            r#"import http.client, subprocess, sys, time, urllib.parse
subprocess.run(["python3", "{attacker}", sys.argv[1]])
time.sleep(1.5)
c = http.client.HTTPConnection("127.0.0.1", {port})
c.request("GET", urllib.parse.urlparse(sys.argv[1]).path, headers={{"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"}})
print(c.getresponse().status)
"#,
            attacker = attacker.display()
        ),
    )
    .unwrap();
    std::fs::remove_file(&opened).unwrap();
    let (browser, _) = browser_script(
        home.path(),
        &format!("python3 '{}' \"$1\" > '{}' 2>&1 &", late.display(), home.path().join("late.out").display()),
    );
    let mut pty = open_on_step_4(&fake, home.path(), port, browser);
    pty.expect("Is Bob Other (@bob) your account?");
    let screen = pty.expect("Someone else opened the start link too");
    assert!(screen.contains("Authorize a token"), "back on step 4: {screen}");
    assert!(!screen.contains("Bob Other"), "{screen}");
    pty.send(CTRL_C);
    pty.wait();
    assert!(!home.path().join("trello-auth/config.toml").exists(), "nothing was saved");
    let statuses = std::fs::read_to_string(home.path().join("late.out")).unwrap();
    assert!(statuses.trim_end().ends_with("410"), "the late browser is told the link was used: {statuses}");

    // Someone opens the start URL, then the real browser opens it too: a takeover.
    let twice = home.path().join("twice.py");
    std::fs::write(
        &twice,
        format!(
            r#"import http.client, sys, urllib.parse
for _ in range(2):
    c = http.client.HTTPConnection("127.0.0.1", {port})
    c.request("GET", urllib.parse.urlparse(sys.argv[1]).path)
    print(c.getresponse().status)
"#
        ),
    )
    .unwrap();
    std::fs::remove_file(&opened).unwrap();
    let (browser, _) = browser_script(home.path(), &format!("python3 '{}' \"$1\"", twice.display()));
    let mut pty = open_on_step_4(&fake, home.path(), port, browser);
    let screen = pty.expect("Someone else opened the start link too");
    assert!(screen.contains("Paste") || screen.contains("paste"), "{screen}");
    // Pasting still works, and nothing of the listener's is kept.
    let ann = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", None);
    pty.paste(&ann);
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}

/// Step 4's way out of "Invalid return_url": Ctrl+P drops `return_url` (Trello
/// then shows the token to paste) from the URL on screen, copies it, and opens
/// it where a browser was opened before; Ctrl+P again brings catching back.
#[test]
fn ctrl_p_switches_the_authorize_url_between_catching_and_pasting() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    // A "browser" that records what it was asked to open.
    let (browser, opened) = browser_script(home.path(), "");
    let mut pty = wizard(&fake, home.path(), &[("DISPLAY", ":99"), ("BROWSER", &browser)], &[]);
    to_token_step(&mut pty);
    pty.expect("Waiting on http://127.0.0.1:");
    let on_screen = |pty: &Pty| pty.screen().replace(['│', '\n', ' '], "");
    let opened_urls = || std::fs::read_to_string(&opened).unwrap_or_default();
    let wait_opened = |count: usize| {
        let start = std::time::Instant::now();
        while opened_urls().lines().count() < count {
            assert!(start.elapsed() < support::pty::PATIENCE, "the browser was not opened");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        opened_urls().lines().last().unwrap().to_string()
    };
    assert!(on_screen(&pty).contains("&return_url="), "{}", pty.screen());
    pty.send(CTRL_O);
    // The browser gets the one-shot start URL, which leads to the URL on screen.
    assert!(wait_opened(1).ends_with("/start/1"), "{}", opened_urls());

    pty.send(CTRL_P);
    pty.expect("Paste mode");
    assert!(!on_screen(&pty).contains("return_url="), "{}", pty.screen());
    // Copied and opened where the browser was opened before, without a key.
    let copied = pty.expect_copy(None);
    assert!(!copied.contains("return_url") && copied.contains("/1/authorize?"), "{copied}");
    let url = wait_opened(2);
    assert!(!url.contains("return_url") && url.contains("/1/authorize?"), "{url}");
    assert!(on_screen(&pty).contains("copiedandopened"), "{}", pty.screen());
    // Trello (here the fake) then shows the token on its own page.
    let token = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", None);
    pty.paste(&token);
    pty.send(CTRL_P);
    pty.expect("Catch mode");
    pty.expect("Waiting on http://127.0.0.1:");
    assert!(on_screen(&pty).contains("&return_url="), "{}", pty.screen());
    pty.send(CTRL_O);
    assert!(wait_opened(3).ends_with("/start/2"), "{}", opened_urls());
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}

/// 64 local clients that connect, send half a request and reconnect, again
/// and again: the real callback still gets through (they are evicted, oldest
/// first, not queued), and pasting works throughout.
#[test]
fn reconnecting_half_open_clients_cannot_starve_the_callback() {
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let port = closed_port();
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    let mut pty = wizard(&fake, home.path(), &[("TRELLO_AUTH_CALLBACK_PORT", &port.to_string())], &[]);
    to_token_step(&mut pty);
    pty.expect(&format!("Waiting on http://127.0.0.1:{port}"));
    pty.send(CTRL_T);
    let url = pty.expect_copy(None);
    let return_url =
        url::Url::parse(&url).unwrap().query_pairs().find(|(k, _)| k == "return_url").unwrap().1.to_string();
    let path = url::Url::parse(&return_url).unwrap().path().to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let attackers: Vec<_> = (0..64)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                        let _ = s.write_all(
                            format!("POST /callback/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCont").as_bytes(),
                        );
                        // Hold the slot until the listener lets go, then come straight back.
                        s.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
                        let _ = std::io::Read::read(&mut s, &mut [0u8; 16]);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    // Pasting works while the listener is under attack.
    pty.paste("ATTA3f3f");
    pty.expect("8 of 76 characters");
    // The real callback: its own page's POST, with the right nonce, gets through.
    let token = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", None);
    let body = format!("{{\"token\": \"{token}\"}}");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Type: \
         application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let started = std::time::Instant::now();
    let mut answer = String::new();
    while started.elapsed() < std::time::Duration::from_secs(10) {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(std::time::Duration::from_secs(3))).unwrap();
            let _ = s.write_all(request.as_bytes());
            let mut buf = [0u8; 64];
            let n = std::io::Read::read(&mut s, &mut buf).unwrap_or(0);
            answer = String::from_utf8_lossy(&buf[..n]).into_owned();
            if !answer.is_empty() {
                break;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    for a in attackers {
        let _ = a.join();
    }
    assert!(answer.starts_with("HTTP/1.1 200"), "the callback did not get through: {answer:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "it took {:?}", started.elapsed());
    pty.expect("Is Ann Example (@ann) your account?");
    pty.send("y");
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}
