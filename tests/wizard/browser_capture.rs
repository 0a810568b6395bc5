//! Token capture end to end: real headless Chromium, driven through the DevTools protocol with a real click, opens the real binary's start page, Trello's (the fake's) window, and hands the token to the wizard by `postMessage`; the redirect flow it falls back to; and the fallbacks to paste.

use crate::support;

use std::process::{Child, Command, Stdio};

use support::browser::{CHROMIUM_FLAGS, Chromium, chromium_binary, files_holding};
use support::fake_trello::{ANN, BOB, FakeTrello, KEY};
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

/// A headless Chromium with its own throw-away profile directory, printing the page it ends on.
struct Browser(Child, #[allow(dead_code)] tempfile::TempDir);

impl Browser {
    fn open(binary: &str, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(binary)
            .args(CHROMIUM_FLAGS)
            .args(["--virtual-time-budget=10000", "--dump-dom"])
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
    let Some(binary) = chromium_binary() else { return };
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
    let Some(binary) = chromium_binary() else { return };
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
    let token = fake.issue_token(KEY, ANN, "read,write", None);
    pty.paste(&token);
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}

#[test]
fn capture_falls_back_to_paste_and_says_why() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", None);

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
        // Trello's popup flow: a page that posts the bare token to the window that opened it, for the return
        // URL's origin (client.js takes `event.data` as the token once `event.origin` is Trello's).
        let popup = client
            .get(format!("{base}&return_url=http%3A%2F%2F127.0.0.1%3A47130&callback_method=postMessage"))
            .send()
            .await
            .unwrap();
        assert_eq!(popup.status(), 200);
        assert_eq!(popup.headers()["cache-control"], "no-store");
        let page = popup.text().await.unwrap();
        let issued = fake.state().authorized.last().cloned().unwrap();
        assert!(
            page.contains(&format!("window.opener.postMessage(\"{issued}\", \"http://127.0.0.1:47130\")")),
            "{page}"
        );
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
/// URL (no nonce on any command line); Chromium shows the start page, which
/// waits for the person's click, opens Trello's authorize page in a window and
/// hands the token it posts back to the listener.
#[test]
fn the_browser_opens_a_one_shot_start_url_that_leads_to_trello() {
    let Some(Live { mut chromium, fake, home, mut pty, port, start, .. }) = live() else { return };
    assert_eq!(start, format!("http://127.0.0.1:{port}/start/1"), "the launcher saw no nonce");
    let screen = pty.screen();
    let said = screen.replace(['│', '\n', ' '], "");
    assert!(said.contains("clickOpenTrello"), "the wizard says what to click in the browser: {screen}");
    let tab = chromium.tab();
    chromium.open(&tab, &start);
    let said = chromium.eval(&tab, "document.body.innerText");
    assert!(said.as_str().unwrap().contains("Click Open Trello"), "{said}");
    // Nothing opens and nothing is authorized until the person clicks.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(fake.state().authorized.is_empty());
    assert!(chromium.click(&tab, "#open"), "no button on the start page");
    pty.expect("Is Ann Example (@ann) your account?");
    chromium.wait_until(&tab, "document.body.innerText.includes('Token received')").unwrap();
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
    fake.add_bob();
    let bob = fake.issue_token(KEY, BOB, "read,write", None);
    let home = tempfile::tempdir().unwrap();
    // The attacker: fetch the start page without running it, take the return URL, post Bob's token.
    let attacker = home.path().join("attacker.py");
    std::fs::write(
        &attacker,
        format!(
            r#"import http.client, json, re, sys, urllib.parse
c = http.client.HTTPConnection("127.0.0.1", {port})
c.request("GET", urllib.parse.urlparse(sys.argv[1]).path)
path = re.search('data-callback="([^"]*)"', c.getresponse().read().decode()).group(1)
c = http.client.HTTPConnection("127.0.0.1", {port})
c.request("POST", path, body=json.dumps({{"token": "{bob}"}}),
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
    let ann = fake.issue_token(KEY, ANN, "read,write", None);
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
    // The copy says its outcome; the body says which way the token comes back.
    assert!(on_screen(&pty).contains("Copiedtheauthorize"), "{}", pty.screen());
    assert!(on_screen(&pty).contains("Pastemode:"), "{}", pty.screen());
    // Trello (here the fake) then shows the token on its own page.
    let token = fake.issue_token(KEY, ANN, "read,write", None);
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
    let token = fake.issue_token(KEY, ANN, "read,write", None);
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

/// Line `n` (from 0) of `file` once something wrote it.
fn line(file: &std::path::Path, n: usize) -> String {
    let start = std::time::Instant::now();
    loop {
        if let Some(line) = std::fs::read_to_string(file).ok().and_then(|t| t.lines().nth(n).map(str::to_string)) {
            return line;
        }
        assert!(start.elapsed() < support::pty::PATIENCE, "nothing was opened");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A capture through real Chromium, under way: the wizard on step 4 has
/// handed the launcher the start URL (which the launcher only records), and
/// the fake Trello lists the listener's origin.
struct Live {
    chromium: Chromium,
    fake: FakeTrello,
    home: tempfile::TempDir,
    pty: Pty,
    port: u16,
    /// What the launcher was handed, for Chromium to open.
    start: String,
    /// The launcher, and the file where it records what it is handed.
    browser: String,
    opened: std::path::PathBuf,
}

/// [`Live`], or `None` where Chromium is not installed.
fn live() -> Option<Live> {
    let chromium = Chromium::launch()?;
    let port = closed_port();
    let fake = FakeTrello::with_ann();
    fake.allow_origin(&format!("http://127.0.0.1:{port}"));
    let home = tempfile::tempdir().unwrap();
    let (browser, opened) = browser_script(home.path(), "");
    let pty = open_on_step_4(&fake, home.path(), port, browser.clone());
    let start = line(&opened, 0);
    Some(Live { chromium, fake, home, pty, port, start, browser, opened })
}

/// Issue 27 (7): with `callback_method=fragment` Trello puts the token in a
/// URL, and Chromium's History database kept `…/callback/NONCE#token=ATTA…`
/// (the page's `history.replaceState` runs after the visit is recorded). The
/// start page instead opens Trello's page in a window on the person's click
/// (popups stay blocked as they ship, so without the click nothing opens),
/// and takes the token from it by `postMessage`. Setup, then `rotate`, in
/// one browser: after Chromium has exited, no file of its profile holds
/// either token.
#[test]
fn a_click_opens_trello_the_token_comes_by_postmessage_and_no_file_of_the_browser_keeps_it() {
    let Some(Live { mut chromium, fake, home, mut pty, port, start, browser, opened }) = live() else { return };
    assert_eq!(start, format!("http://127.0.0.1:{port}/start/1"));
    let tab = chromium.tab();
    chromium.open(&tab, &start);
    // As in any browser: a page opening a window without the person's click is blocked.
    assert_eq!(chromium.eval(&tab, "window.open('about:blank') === null"), true, "popups are not blocked");
    let clicked = chromium.click(&tab, "#open");
    let to_trello = |m: &serde_json::Value| m["params"]["url"].as_str().is_some_and(|u| u.contains("/1/authorize?"));
    let popup = chromium.event("Page.windowOpen", to_trello, std::time::Duration::from_secs(5));
    pty.expect("Is Ann Example (@ann) your account?");
    pty.send("y");
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let first = fake.state().authorized.last().cloned().expect("the fake authorized a token");
    let store = Store::at(home.path().join("trello-auth/config.toml"));
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), first);

    // `rotate`, in the same browser.
    let mut cmd = base_command(home.path());
    cmd.arg("rotate");
    for (k, v) in [
        ("TRELLO_API_BASE", fake.api_base()),
        ("TRELLO_WEB_BASE", fake.web_base()),
        ("TRELLO_AUTH_CALLBACK_PORT", port.to_string()),
        ("DISPLAY", ":99".into()),
        ("BROWSER", browser),
    ] {
        cmd.env(k, v);
    }
    let mut pty = Pty::spawn(cmd, 100, 30);
    pty.expect("^C quit");
    pty.send(CTRL_O);
    chromium.open(&tab, &line(&opened, 1));
    let clicked_again = chromium.click(&tab, "#open");
    pty.expect("Is Ann Example (@ann) your account?");
    pty.send("y");
    pty.expect("Revoke the old one");
    pty.send("y");
    pty.expect("The old token is revoked");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let second = fake.state().authorized.last().cloned().unwrap();
    assert_ne!(second, first);
    assert_eq!(store.profile("default").unwrap().unwrap().token.unwrap().expose(), second);

    let folder = chromium.close();
    for token in [&first, &second] {
        let holding = files_holding(folder.path(), token);
        assert!(holding.is_empty(), "after Chromium exited, its profile holds a token in {holding:#?}");
    }
    assert!(clicked && clicked_again, "the start page has no button to click");
    let popup = popup.expect("the click opened no window");
    assert_eq!(popup["params"]["userGesture"], true, "{popup}");
    let url = popup["params"]["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/1/authorize?", fake.web_base())), "{url}");
    // Trello's popup flow: the return URL is the listener's origin only, so no nonce is in history either.
    assert!(
        url.ends_with(&format!("&return_url=http%3A%2F%2F127.0.0.1%3A{port}&callback_method=postMessage")),
        "{url}"
    );
}

/// The start page takes a token only from Trello's web origin: Trello's
/// window is sent first to a page of another origin (here `localhost`, the
/// same machine under another name), which posts Bob's real token to the
/// start page, then on to Trello's page. Bob's token is ignored, never reaches
/// the listener or Trello, and Ann's, posted by Trello's page, is the one asked about.
#[test]
fn a_token_posted_from_another_origin_is_ignored() {
    use serde_json::json;
    let Some(Live { mut chromium, fake, home, mut pty, start, .. }) = live() else { return };
    fake.add_bob();
    let bob = fake.issue_token(KEY, BOB, "read,write", None);

    // Requests to Trello's authorize page and to the other origin wait for the test.
    let elsewhere = format!("http://localhost:{}/elsewhere", fake.addr.port());
    let patterns = json!([{ "urlPattern": "*/1/authorize*" }, { "urlPattern": format!("{elsewhere}*") }]);
    chromium.call(None, "Fetch.enable", json!({ "patterns": patterns }));
    let tab = chromium.tab();
    chromium.open(&tab, &start);
    assert!(chromium.click(&tab, "#open"), "no button on the start page");
    let wait = std::time::Duration::from_secs(10);
    let paused = |url: &str| {
        let url = url.to_string();
        move |m: &serde_json::Value| m["params"]["request"]["url"].as_str().is_some_and(|u| u.starts_with(&url))
    };
    let first = chromium.event("Fetch.requestPaused", paused(&fake.web_base()), wait).expect("Trello's window");
    let authorize = first["params"]["request"]["url"].as_str().unwrap().to_string();
    let redirect = json!([{ "name": "Location", "value": elsewhere }]);
    let id = &first["params"]["requestId"];
    chromium.call(
        None,
        "Fetch.fulfillRequest",
        json!({ "requestId": id, "responseCode": 302, "responseHeaders": redirect }),
    );
    let other = chromium.event("Fetch.requestPaused", paused(&elsewhere), wait).expect("the other origin");
    let page = format!(
        "<!doctype html><script>window.opener.postMessage({bob:?}, '*'); \
         setTimeout(function () {{ location.replace({authorize:?}); }}, 500);</script>"
    );
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(page);
    let html = json!([{ "name": "Content-Type", "value": "text/html" }]);
    let id = &other["params"]["requestId"];
    chromium.call(
        None,
        "Fetch.fulfillRequest",
        json!({ "requestId": id, "responseCode": 200, "responseHeaders": html, "body": body }),
    );
    let Some(again) = chromium.event("Fetch.requestPaused", paused(&fake.web_base()), wait) else {
        panic!("Trello's window never came back: the other origin's message was taken?\n{}", pty.screen());
    };
    chromium.call(None, "Fetch.continueRequest", json!({ "requestId": again["params"]["requestId"] }));

    let screen = pty.expect("Is Ann Example (@ann) your account?");
    assert!(!screen.contains("Bob"), "{screen}");
    assert!(fake.requests().iter().all(|r| !r.uri.contains(&bob)), "Bob's token was checked with Trello");
    pty.send("y");
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let ann = fake.state().authorized.last().cloned().unwrap();
    let profile = Store::at(home.path().join("trello-auth/config.toml")).profile("default").unwrap().unwrap();
    assert_eq!(profile.token.unwrap().expose(), ann);
}

/// The fallback: when Trello's window closes without handing over a token
/// (here the test closes it; a popup blocker, or a login page that cuts the
/// window's link to its opener, ends the same way), the start page says so
/// and offers Trello's redirect flow in the same tab, which still brings the
/// token back. What it costs, as the page says: Chromium's History keeps
/// `…/callback/NONCE#token=…` until it is cleared.
#[test]
fn without_trellos_window_the_same_tab_fallback_works_and_history_keeps_the_token() {
    use serde_json::json;
    let Some(Live { mut chromium, fake, home: _home, mut pty, start, .. }) = live() else { return };
    chromium.call(None, "Fetch.enable", json!({ "patterns": [{ "urlPattern": "*callback_method=postMessage*" }] }));
    let tab = chromium.tab();
    chromium.open(&tab, &start);
    assert_eq!(chromium.eval(&tab, "document.getElementById('fallback').hidden"), true, "the fallback waits");
    assert!(chromium.click(&tab, "#open"));
    let paused =
        chromium.event("Fetch.requestPaused", |_| true, std::time::Duration::from_secs(10)).expect("Trello's window");
    let targets = chromium.call(None, "Target.getTargets", json!({}));
    let window = targets["targetInfos"].as_array().unwrap().iter().find(|t| t["openerId"].is_string()).unwrap().clone();
    chromium.call(
        None,
        "Fetch.failRequest",
        json!({ "requestId": paused["params"]["requestId"], "errorReason": "Aborted" }),
    );
    chromium.call(None, "Target.closeTarget", json!({ "targetId": window["targetId"] }));
    chromium.wait_until(&tab, "!document.getElementById('fallback').hidden").unwrap();
    let said = chromium.eval(&tab, "document.body.innerText").as_str().unwrap().to_string();
    assert!(said.contains("closed without handing over a token"), "{said}");
    assert!(said.contains("keeps that address, token included, in its history"), "{said}");
    assert!(chromium.click(&tab, "#here"));
    pty.expect("Is Ann Example (@ann) your account?");
    pty.send("y");
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
    let token = fake.state().authorized.last().cloned().unwrap();
    let folder = chromium.close();
    let holding = files_holding(folder.path(), &token);
    assert!(holding.contains(&folder.path().join("Default/History")), "{holding:#?}");
}
