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
    pty.expect("Open the Power-Ups admin portal");
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

/// Step 4's way out of "Invalid return_url": Ctrl+P drops `return_url` (Trello
/// then shows the token to paste) from the URL on screen, the one copied and
/// the one opened, and Ctrl+P again brings it back.
#[test]
fn ctrl_p_switches_the_authorize_url_between_catching_and_pasting() {
    let fake = FakeTrello::with_ann();
    let home = tempfile::tempdir().unwrap();
    // A "browser" that records what it was asked to open.
    let opened = home.path().join("opened.txt");
    let script = home.path().join("browser.sh");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let browser = script.to_str().unwrap();
    let mut pty = wizard(&fake, home.path(), &[("DISPLAY", ":99"), ("BROWSER", browser)], &[]);
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
    assert!(wait_opened(1).contains("&return_url="));

    pty.send(CTRL_P);
    pty.expect("Paste mode");
    assert!(!on_screen(&pty).contains("return_url="), "{}", pty.screen());
    pty.send(CTRL_T);
    let copied = pty.expect_copy(None);
    assert!(!copied.contains("return_url") && copied.contains("/1/authorize?"), "{copied}");
    pty.send(CTRL_O);
    let url = wait_opened(2);
    assert!(!url.contains("return_url") && url.contains("/1/authorize?"), "{url}");
    // Trello (here the fake) then shows the token on its own page.
    let token = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", None);
    pty.paste(&token);
    pty.send(CTRL_P);
    pty.expect("Catch mode");
    pty.expect("Waiting on http://127.0.0.1:");
    assert!(on_screen(&pty).contains("&return_url="), "{}", pty.screen());
    pty.send(CTRL_O);
    assert!(wait_opened(3).contains("&return_url="));
    pty.send(ENTER);
    pty.expect("Credentials verified and saved");
    pty.send(ENTER);
    assert_eq!(pty.wait(), 0);
}
