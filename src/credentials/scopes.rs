//! What a token may do and how long it lives: scopes and expiration, as Trello names them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
    #[error("unknown expiration {}: use 1hour, 1day, 30days or never", quoted(.0))]
    Expiration(String),
    #[error("unknown scope {}: use read, write and/or account", quoted(.0))]
    Scope(String),
    #[error("choose at least one scope: read, write or account")]
    NoScope,
}

/// A wrong answer quoted back, unless it has a credential's shape (a token
/// pasted at the wrong prompt is never repeated).
fn quoted(answer: &str) -> String {
    if super::secret::holds_credential(answer) {
        "(not repeated: it looks like a credential)".into()
    } else {
        format!("{answer:?}")
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn no_scope_is_refused() {
        assert_eq!("".parse::<Scopes>(), Err(ParseError::NoScope));
    }
}
