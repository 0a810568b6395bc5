//! Builds the URL where the user authorizes a token (`{web}/1/authorize?…`).

use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};

/// Everything but RFC 3986 unreserved characters is encoded, so names with
/// spaces, `&` or `#`, and return URLs, survive as single query values.
pub(crate) const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How long a token lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Expiration {
    #[serde(rename = "1hour")]
    OneHour,
    #[serde(rename = "1day")]
    OneDay,
    #[default]
    #[serde(rename = "30days")]
    ThirtyDays,
    #[serde(rename = "never")]
    Never,
}

impl Expiration {
    pub const ALL: [Expiration; 4] =
        [Expiration::OneHour, Expiration::OneDay, Expiration::ThirtyDays, Expiration::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            Expiration::OneHour => "1hour",
            Expiration::OneDay => "1day",
            Expiration::ThirtyDays => "30days",
            Expiration::Never => "never",
        }
    }
}

impl fmt::Display for Expiration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown expiration {0:?}: use 1hour, 1day, 30days or never")]
    Expiration(String),
    #[error("unknown scope {0:?}: use read, write and/or account")]
    Scope(String),
    #[error("choose at least one scope: read, write or account")]
    NoScope,
}

impl FromStr for Expiration {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Expiration::ALL
            .into_iter()
            .find(|e| e.as_str() == s.trim())
            .ok_or_else(|| ParseError::Expiration(s.to_string()))
    }
}

/// The permissions a token is asked for, or was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Scopes {
    pub read: bool,
    pub write: bool,
    pub account: bool,
}

impl Scopes {
    pub const READ_WRITE: Scopes = Scopes { read: true, write: true, account: false };

    pub fn is_empty(self) -> bool {
        !(self.read || self.write || self.account)
    }

    /// True when `self` grants everything `wanted` asks for.
    pub fn covers(self, wanted: Scopes) -> bool {
        (self.read || !wanted.read) && (self.write || !wanted.write) && (self.account || !wanted.account)
    }

    pub fn names(self) -> Vec<&'static str> {
        [(self.read, "read"), (self.write, "write"), (self.account, "account")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect()
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

impl FromStr for Scopes {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut scopes = Scopes::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "read" => scopes.read = true,
                "write" => scopes.write = true,
                "account" => scopes.account = true,
                other => return Err(ParseError::Scope(other.to_string())),
            }
        }
        if scopes.is_empty() {
            return Err(ParseError::NoScope);
        }
        Ok(scopes)
    }
}

impl Serialize for Scopes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Scopes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The parts of an authorize URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeUrl {
    pub key: String,
    pub app_name: String,
    pub expiration: Expiration,
    pub scopes: Scopes,
    /// Where Trello redirects after Allow, with `#token=…` appended.
    pub return_url: Option<String>,
}

impl AuthorizeUrl {
    /// The full URL under `web_base` (e.g. `https://trello.com`).
    ///
    /// Parameters follow the order Trello's docs use; commas in `scope` stay
    /// literal as in every Trello example.
    pub fn build(&self, web_base: &str) -> Result<String, ParseError> {
        if self.scopes.is_empty() {
            return Err(ParseError::NoScope);
        }
        let enc = |v: &str| utf8_percent_encode(v, QUERY_VALUE).to_string();
        let mut url = format!(
            "{}/1/authorize?expiration={}&scope={}&response_type=token&name={}&key={}",
            web_base.trim_end_matches('/'),
            self.expiration.as_str(),
            self.scopes,
            enc(&self.app_name),
            enc(&self.key),
        );
        if let Some(return_url) = &self.return_url {
            url.push_str("&return_url=");
            url.push_str(&enc(return_url));
            url.push_str("&callback_method=fragment");
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    fn request() -> AuthorizeUrl {
        AuthorizeUrl {
            key: KEY.into(),
            app_name: "My-Trello-App".into(),
            expiration: Expiration::Never,
            scopes: Scopes::READ_WRITE,
            return_url: None,
        }
    }

    #[test]
    fn the_guides_url_exactly() {
        assert_eq!(
            request().build("https://trello.com").unwrap(),
            "https://trello.com/1/authorize?expiration=never&scope=read,write&response_type=token&name=My-Trello-App&key=0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn names_and_return_urls_are_encoded() {
        let mut r = request();
        r.app_name = "Ann's app & co #1/ü".into();
        r.expiration = Expiration::ThirtyDays;
        r.scopes = Scopes { read: true, write: false, account: true };
        r.return_url = Some("http://127.0.0.1:8765/callback/abc123".into());
        assert_eq!(
            r.build("http://127.0.0.1:9/").unwrap(),
            "http://127.0.0.1:9/1/authorize?expiration=30days&scope=read,account&response_type=token\
             &name=Ann%27s%20app%20%26%20co%20%231%2F%C3%BC&key=0123456789abcdef0123456789abcdef\
             &return_url=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback%2Fabc123&callback_method=fragment"
        );
    }

    #[test]
    fn at_least_one_scope() {
        let mut r = request();
        r.scopes = Scopes::default();
        assert_eq!(r.build("https://trello.com"), Err(ParseError::NoScope));
        assert_eq!("".parse::<Scopes>(), Err(ParseError::NoScope));
    }

    #[test]
    fn parse_round_trips() {
        for e in Expiration::ALL {
            assert_eq!(e.as_str().parse::<Expiration>().unwrap(), e);
        }
        let s: Scopes = "write, read".parse().unwrap();
        assert_eq!(s, Scopes::READ_WRITE);
        assert_eq!(s.to_string(), "read,write");
        assert!(matches!("read,admin".parse::<Scopes>(), Err(ParseError::Scope(_))));
        assert!(Scopes::READ_WRITE.covers(Scopes { read: true, write: false, account: false }));
        assert!(!Scopes::READ_WRITE.covers(Scopes { read: true, write: false, account: true }));
    }
}
