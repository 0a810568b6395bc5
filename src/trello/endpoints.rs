//! Where the API and the web pages live, and the rules an override must meet.
//!
//! `TRELLO_API_BASE` / `TRELLO_WEB_BASE` exist for tests and proxies, but they
//! decide where the token is sent: so an override must be https (or plain http
//! to this machine only), and every run that uses one says so.

use percent_encoding::utf8_percent_encode;

use super::authorize::QUERY_VALUE;

pub(crate) const DEFAULT_API_BASE: &str = "https://api.trello.com/1";
pub(crate) const DEFAULT_WEB_BASE: &str = "https://trello.com";

/// Where the API and the web pages live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub api_base: String,
    pub web_base: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var} is {value:?}, which is refused: {why}")]
pub(crate) struct EndpointError {
    pub var: &'static str,
    pub value: String,
    pub why: &'static str,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints { api_base: DEFAULT_API_BASE.into(), web_base: DEFAULT_WEB_BASE.into() }
    }
}

impl Endpoints {
    /// `TRELLO_API_BASE` and `TRELLO_WEB_BASE`, checked, or Trello's own addresses.
    pub(crate) fn from_env() -> Result<Self, EndpointError> {
        use crate::environment::{API_BASE, Var, WEB_BASE};
        let read = |var: Var, default: &str| -> Result<String, EndpointError> {
            match var.get().map(|v| v.trim().trim_end_matches('/').to_string()) {
                Some(value) if !value.is_empty() => check(var.name, value),
                _ => Ok(default.to_string()),
            }
        };
        Ok(Endpoints { api_base: read(API_BASE, DEFAULT_API_BASE)?, web_base: read(WEB_BASE, DEFAULT_WEB_BASE)? })
    }

    /// One line per base that is not Trello's own, for stderr or a title bar.
    pub(crate) fn notices(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.api_base != DEFAULT_API_BASE {
            lines.push(format!("using the API at {} (TRELLO_API_BASE), not Trello's", self.api_base));
        }
        if self.web_base != DEFAULT_WEB_BASE {
            lines.push(format!("using web pages at {} (TRELLO_WEB_BASE), not Trello's", self.web_base));
        }
        lines
    }

    /// `host:port` of each base that is not Trello's own, each once: short
    /// enough for a title bar.
    pub(crate) fn overridden_hosts(&self) -> Vec<String> {
        let mut hosts = Vec::new();
        for (base, default) in [(&self.api_base, DEFAULT_API_BASE), (&self.web_base, DEFAULT_WEB_BASE)] {
            if base == default {
                continue;
            }
            let host = reqwest::Url::parse(base)
                .ok()
                .and_then(|u| u.host_str().map(|h| u.port().map_or(h.to_string(), |p| format!("{h}:{p}"))))
                .unwrap_or_else(|| base.clone());
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        hosts
    }

    /// The app admin portal, where keys are made (Atlassian's *Managing apps*,
    /// updated January 2026; older guides call it the Power-Ups admin page at
    /// `/power-ups/admin`).
    pub(crate) fn portal_url(&self) -> String {
        format!("{}/apps/admin", self.web_base)
    }

    /// Where older guides send people for a key; Trello redirects it to the portal.
    pub(crate) fn old_portal_url(&self) -> String {
        format!("{}/app-key", self.web_base)
    }

    /// The page where a member sees and revokes their tokens.
    pub(crate) fn account_url(&self, username: &str) -> String {
        format!("{}/u/{}/account", self.web_base, utf8_percent_encode(username, QUERY_VALUE))
    }

    /// A board's page, from its short link (or id).
    pub(crate) fn board_url(&self, short_link: &str) -> String {
        format!("{}/b/{}", self.web_base, utf8_percent_encode(short_link, QUERY_VALUE))
    }
}

/// An override must be an absolute https URL, or http to a loopback address;
/// no user name or password, query or fragment (they would ride along on every call).
fn check(var: &'static str, value: String) -> Result<String, EndpointError> {
    let refuse = |why| Err(EndpointError { var, value: crate::untrusted::line(&value).into_owned(), why });
    let Ok(url) = reqwest::Url::parse(&value) else {
        return refuse("it is not an absolute URL such as https://api.trello.com/1");
    };
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("it holds a user name or password");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return refuse("it holds a query or fragment");
    }
    match url.scheme() {
        "https" => Ok(value),
        "http" if is_loopback(&url) => Ok(value),
        "http" => refuse("plain http is allowed only to this machine (127.0.0.1, ::1, localhost); use https"),
        _ => refuse("only https (or http to this machine) is allowed"),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// True when `base` names this machine: plain http is then allowed.
pub(crate) fn is_loopback_url(base: &str) -> bool {
    reqwest::Url::parse(base).is_ok_and(|u| is_loopback(&u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls() {
        let e = Endpoints::default();
        assert_eq!(e.portal_url(), "https://trello.com/apps/admin");
        assert_eq!(e.account_url("ann_b"), "https://trello.com/u/ann_b/account");
        assert!(e.notices().is_empty());
        assert!(e.overridden_hosts().is_empty());
        let local = Endpoints { api_base: "http://127.0.0.1:9/1".into(), web_base: "http://127.0.0.1:9".into() };
        assert_eq!(local.overridden_hosts(), vec!["127.0.0.1:9"]);
    }

    #[test]
    fn overrides_must_be_https_or_loopback() {
        let ok = |v: &str| check("TRELLO_API_BASE", v.to_string()).is_ok();
        assert!(ok("https://proxy.example/1"));
        assert!(ok("http://127.0.0.1:8080/1"));
        assert!(ok("http://127.9.9.9/1"));
        assert!(ok("http://[::1]:9/1"));
        assert!(ok("http://localhost:9/1"));
        assert!(!ok("http://example.com/1"));
        assert!(!ok("http://127.0.0.1.evil.example/1"));
        assert!(!ok("http://10.0.0.1/1"));
        assert!(!ok("ftp://127.0.0.1/1"));
        assert!(!ok("https://user:pw@proxy.example/1"));
        assert!(!ok("https://proxy.example/1?x=1"));
        assert!(!ok("api.trello.com"));
        let e = check("TRELLO_API_BASE", "http://evil.example/\u{1b}[2J".into()).unwrap_err();
        assert!(!e.to_string().contains('\u{1b}'));
    }
}
