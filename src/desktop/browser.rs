//! Opens URLs in the user's browser, off the UI thread and with its output silenced.

/// Opens `url`, blocking until the launcher returns. Call it from a thread of
/// its own: text-mode browsers and slow launchers must not freeze the wizard.
pub fn open(url: &str) -> Result<(), String> {
    let mut options = webbrowser::BrowserOptions::new();
    options.with_suppress_output(true);
    webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &options).map_err(|e| e.to_string())
}
