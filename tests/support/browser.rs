//! Browsers for the capture tests: stand-ins for the browser launcher (`BROWSER`), one that follows the start page as a browser does and hands the token back and one that is another local program planting a token it holds, and real Chromium driven through the DevTools protocol.

use std::path::Path;

/// A launcher script in `home` that runs `python` (Python code; the URL is
/// `sys.argv[1]`) in the background, as a browser launcher returns at once.
fn launcher(home: &Path, name: &str, python: &str) -> String {
    let script = home.join(format!("{name}.py"));
    std::fs::write(&script, python).unwrap();
    let launcher = home.join(format!("{name}.sh"));
    let log = home.join(format!("{name}.out"));
    std::fs::write(
        &launcher,
        format!("#!/bin/sh\npython3 '{}' \"$1\" > '{}' 2>&1 &\n", script.display(), log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&launcher, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    launcher.display().to_string()
}

/// What a program sees of the listener's start page without running it, and
/// the page's POST of the token.
const FETCH: &str = r##"import html, http.client, json, re, sys, urllib.parse
def get(url, headers={}):
    u = urllib.parse.urlparse(url)
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("GET", u.path + ("?" + u.query if u.query else ""), headers=headers)
    return c.getresponse().read().decode()
def start_page(url, headers={}):
    page = get(url, headers)
    slot = lambda name: html.unescape(re.search('data-%s="([^"]*)"' % name, page).group(1))
    origin = "http://" + urllib.parse.urlparse(url).netloc
    return slot("popup"), origin + slot("callback")
def post(return_url, token):
    u = urllib.parse.urlparse(return_url)
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("POST", u.path, body=json.dumps({"token": token}),
              headers={"Content-Type": "application/json", "Origin": "http://127.0.0.1:%d" % u.port})
    print(c.getresponse().status)
"##;

/// A browser: it navigates to the start URL, opens Trello's authorize page in
/// the popup flow as the start page does on a click, and posts the token that
/// Trello's page hands to it, as the start page's script does.
pub fn following(home: &Path) -> String {
    let code = format!(
        "{FETCH}popup, callback = start_page(sys.argv[1], {{\"Sec-Fetch-Site\": \"none\", \"Sec-Fetch-Mode\": \"navigate\"}})\n\
         token = json.loads(re.search(r'postMessage\\((\"[^\"]+\")', get(popup)).group(1))\n\
         post(callback, token)\n"
    );
    launcher(home, "browser", &code)
}

/// Another local program that reads the start URL first (from the
/// launcher's command line), takes the return URL from its page without
/// running it, and posts `token`, one it already holds.
pub fn planting(home: &Path, token: &str) -> String {
    let code = format!("{FETCH}popup, callback = start_page(sys.argv[1])\npost(callback, \"{token}\")\n");
    launcher(home, "planter", &code)
}

/// Debian's chromium. CI installs it (.ci/run); without CI a missing browser is
/// reported loudly rather than failing a developer's `cargo test`.
pub fn chromium_binary() -> Option<&'static str> {
    for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(path).exists() {
            return Some(path);
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium is not installed; .ci/run installs Debian's chromium package");
    }
    eprintln!("NOT RUN: the Chromium capture tests need /usr/bin/chromium (apt-get install chromium)");
    None
}

/// The flags every headless Chromium of these tests runs with: nothing reaches
/// out on its own, and the popup blocker stays as it ships (on).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Real headless Chromium driven through the DevTools protocol, spoken over
/// `--remote-debugging-pipe` (fd 3 in, fd 4 out, one JSON message per
/// NUL-terminated record): no port another test could take, no WebSocket.
/// Its profile is a throw-away folder that [`Chromium::close`] hands back
/// once the browser has exited, to search.
pub struct Chromium {
    child: std::process::Child,
    profile: Option<tempfile::TempDir>,
    to_browser: std::io::PipeWriter,
    from_browser: std::sync::mpsc::Receiver<serde_json::Value>,
    /// Events that arrived while waiting for something else, oldest first.
    events: std::collections::VecDeque<serde_json::Value>,
    next_id: u64,
}

/// How long one DevTools answer or awaited event may take.
const DEVTOOLS_PATIENCE: std::time::Duration = std::time::Duration::from_secs(15);

impl Chromium {
    /// Starts Chromium on `about:blank`; `None` where it is not installed (see [`chromium_binary`]).
    pub fn launch() -> Option<Chromium> {
        use std::os::fd::AsRawFd;
        use std::os::unix::process::CommandExt;
        let binary = chromium_binary()?;
        let profile = tempfile::tempdir().unwrap();
        let (commands_read, to_browser) = std::io::pipe().unwrap();
        let (from_browser_read, answers_write) = std::io::pipe().unwrap();
        let (commands, answers) = (commands_read.as_raw_fd(), answers_write.as_raw_fd());
        let mut cmd = std::process::Command::new(binary);
        cmd.args(CHROMIUM_FLAGS)
            .arg("--remote-debugging-pipe")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        // SAFETY: only dup2 and close, which are async-signal-safe, run
        // between fork and exec. The pipes' ends are first moved out of the
        // way of 3 and 4, so neither is overwritten before it is copied.
        unsafe {
            cmd.pre_exec(move || {
                for (from, to) in [(commands, 100), (answers, 101), (100, 3), (101, 4)] {
                    nix::unistd::dup2(from, to).map_err(std::io::Error::from)?;
                }
                let _ = nix::unistd::close(100);
                let _ = nix::unistd::close(101);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start chromium");
        drop((commands_read, answers_write));
        let (tx, from_browser) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            let mut reader = std::io::BufReader::new(from_browser_read);
            let mut record = Vec::new();
            while reader.read_until(0, &mut record).is_ok_and(|n| n > 0) {
                if record.last() == Some(&0) {
                    record.pop();
                }
                if let Ok(message) = serde_json::from_slice(&record)
                    && tx.send(message).is_err()
                {
                    return;
                }
                record.clear();
            }
        });
        Some(Chromium {
            child,
            profile: Some(profile),
            to_browser,
            from_browser,
            events: Default::default(),
            next_id: 0,
        })
    }

    /// Sends `method` without waiting for its answer; its id.
    fn send(&mut self, session: Option<&str>, method: &str, params: serde_json::Value) -> u64 {
        use std::io::Write;
        self.next_id += 1;
        let mut message = serde_json::json!({ "id": self.next_id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = session.into();
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to_browser.write_all(&bytes).expect("write to chromium");
        self.next_id
    }

    /// Calls `method` (in `session`, or on the browser itself) and returns its result.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: serde_json::Value) -> serde_json::Value {
        let id = self.send(session, method, params);
        let deadline = std::time::Instant::now() + DEVTOOLS_PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let message =
                self.from_browser.recv_timeout(left).unwrap_or_else(|_| panic!("chromium did not answer {method}"));
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.events.push_back(message);
        }
    }

    /// The first event `method` for which `matching` holds, seen before or
    /// within `within`; `None` when none came.
    pub fn event(
        &mut self,
        method: &str,
        matching: impl Fn(&serde_json::Value) -> bool,
        within: std::time::Duration,
    ) -> Option<serde_json::Value> {
        let wanted = |m: &serde_json::Value| m["method"] == method && matching(m);
        if let Some(index) = self.events.iter().position(wanted) {
            return self.events.remove(index);
        }
        let deadline = std::time::Instant::now() + within;
        loop {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            let message = self.from_browser.recv_timeout(left).ok()?;
            if wanted(&message) {
                return Some(message);
            }
            self.events.push_back(message);
        }
    }

    /// Attaches to the first tab; returns its session, with page events on.
    pub fn tab(&mut self) -> String {
        let targets = self.call(None, "Target.getTargets", serde_json::json!({}));
        let tab = targets["targetInfos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .map(|t| t["targetId"].clone())
            .expect("a tab");
        let attached =
            self.call(None, "Target.attachToTarget", serde_json::json!({ "targetId": tab, "flatten": true }));
        let session = attached["sessionId"].as_str().unwrap().to_string();
        self.call(Some(&session), "Page.enable", serde_json::json!({}));
        session
    }

    /// Opens `url` in the tab as the browser does with a URL it was handed
    /// (a navigation of its own: `Sec-Fetch-Site: none`), and waits for it to load.
    pub fn open(&mut self, tab: &str, url: &str) {
        // Only this navigation's load counts, not one seen before.
        self.events.retain(|m| !(m["method"] == "Page.loadEventFired" && m["sessionId"] == tab));
        self.call(Some(tab), "Page.navigate", serde_json::json!({ "url": url }));
        let loaded = self.event("Page.loadEventFired", |m| m["sessionId"] == tab, DEVTOOLS_PATIENCE);
        assert!(loaded.is_some(), "{url} did not load");
    }

    /// The value of a JavaScript expression in the tab.
    pub fn eval(&mut self, tab: &str, expression: &str) -> serde_json::Value {
        let result = self.call(
            Some(tab),
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true }),
        );
        result["result"]["value"].clone()
    }

    /// Clicks the middle of the element `selector` finds, with the mouse, as
    /// a person does (a user gesture, which lets the page open a window);
    /// `false` when the tab shows no such element.
    pub fn click(&mut self, tab: &str, selector: &str) -> bool {
        let expression = format!(
            "(function () {{ var e = document.querySelector({}); if (!e || e.hidden) return null; \
             var r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }})()",
            serde_json::Value::from(selector)
        );
        let Some(at) = self.eval(tab, &expression).as_array().cloned() else { return false };
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                Some(tab),
                "Input.dispatchMouseEvent",
                serde_json::json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
        true
    }

    /// Waits until `expression` is true in the tab; the last value when it never was.
    pub fn wait_until(&mut self, tab: &str, expression: &str) -> Result<(), serde_json::Value> {
        let deadline = std::time::Instant::now() + DEVTOOLS_PATIENCE;
        loop {
            let value = self.eval(tab, expression);
            if value == true {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(value);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Closes the browser as a person does (it writes out its history and
    /// session files), waits for it to exit, and hands back its profile folder.
    pub fn close(mut self) -> tempfile::TempDir {
        // It may exit before it answers.
        self.send(None, "Browser.close", serde_json::json!({}));
        let deadline = std::time::Instant::now() + DEVTOOLS_PATIENCE;
        while self.child.try_wait().unwrap().is_none() {
            assert!(std::time::Instant::now() < deadline, "chromium did not exit");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        self.profile.take().unwrap()
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `folder` whose bytes hold `needle`, as UTF-8 (SQLite's
/// history, session files, caches) or as UTF-16 (how Chromium's LevelDB
/// stores some strings).
pub fn files_holding(folder: &Path, needle: &str) -> Vec<std::path::PathBuf> {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let holds = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let mut found = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file()
                && std::fs::read(&path).is_ok_and(|bytes| holds(&bytes, needle.as_bytes()) || holds(&bytes, &utf16))
            {
                found.push(path);
            }
        }
    }
    found
}
