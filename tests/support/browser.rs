//! Stand-ins for the browser launcher (`BROWSER`) in the capture tests: one that follows the start URL as a browser does and hands the token back, and one that is another local program planting a token it holds.

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

/// The start URL's redirect, as seen without following it.
const FETCH: &str = r##"import http.client, json, sys, urllib.parse
def get(url, headers={}):
    u = urllib.parse.urlparse(url)
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("GET", u.path + ("?" + u.query if u.query else ""), headers=headers)
    r = c.getresponse()
    r.read()
    return r.getheader("Location")
def post(return_url, token):
    u = urllib.parse.urlparse(return_url)
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("POST", u.path, body=json.dumps({"token": token}),
              headers={"Content-Type": "application/json", "Origin": "http://127.0.0.1:%d" % u.port})
    print(c.getresponse().status)
"##;

/// A browser: it navigates to the start URL, follows Trello's authorize
/// redirect back to the callback and posts the token from the fragment, as
/// the callback page's script does.
pub fn following(home: &Path) -> String {
    let code = format!(
        "{FETCH}authorize = get(sys.argv[1], {{\"Sec-Fetch-Site\": \"none\", \"Sec-Fetch-Mode\": \"navigate\"}})\n\
         url, fragment = get(authorize).split(\"#\", 1)\n\
         post(url, urllib.parse.parse_qs(fragment)[\"token\"][0])\n"
    );
    launcher(home, "browser", &code)
}

/// Another local program that reads the start URL first (from the
/// launcher's command line), takes the return URL from its redirect without
/// following it, and posts `token`, one it already holds.
pub fn planting(home: &Path, token: &str) -> String {
    let code = format!(
        "{FETCH}authorize = get(sys.argv[1])\n\
         ret = urllib.parse.parse_qs(urllib.parse.urlparse(authorize).query)[\"return_url\"][0]\n\
         post(ret, \"{token}\")\n"
    );
    launcher(home, "planter", &code)
}
