//! Opens URLs in the user's browser, off the UI thread and with its output silenced.

use super::Desktop;

/// Why no browser will be tried, or `None` when one may be.
pub fn unavailable_reason(desktop: Desktop, disabled_by_flag: bool) -> Option<String> {
    if disabled_by_flag {
        return Some("--no-browser was given".into());
    }
    if !desktop.display {
        return Some(
            if desktop.ssh { "this is an SSH session without a display" } else { "there is no display" }.into(),
        );
    }
    None
}

/// Opens `url`, blocking until the launcher returns. Call it from a thread of
/// its own: text-mode browsers and slow launchers must not freeze the wizard.
pub fn open(url: &str) -> Result<(), String> {
    let mut options = webbrowser::BrowserOptions::new();
    options.with_suppress_output(true);
    webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &options).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        let headless_ssh = Desktop { display: false, ssh: true };
        assert_eq!(unavailable_reason(headless_ssh, false).unwrap(), "this is an SSH session without a display");
        let desk = Desktop { display: true, ssh: false };
        assert_eq!(unavailable_reason(desk, false), None);
        assert_eq!(unavailable_reason(desk, true).unwrap(), "--no-browser was given");
    }
}
