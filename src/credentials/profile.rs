//! One saved set of credentials and what was learned about them; the one place a profile is shaped from a verification.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Secret;
use super::expiry::{Expiry, WARNING_WINDOW, ago};
use super::scopes::{Expiration, Scopes};

pub(crate) const DEFAULT_PROFILE: &str = "default";
pub(crate) const DEFAULT_APP_NAME: &str = "trello-auth";

/// Why `name` cannot name a profile, if it cannot. The one rule for profile
/// names, for the file's tables and for a profile about to be made: a name
/// becomes part of a keyring entry's name (`name@<file id>`, so an `@` would
/// let one file's profile name another file's entry) and of messages.
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("a profile name cannot be empty")
    } else if name.starts_with('-') {
        Some("a profile name cannot start with '-', which the command line would read as an option")
    } else if name.contains('@') {
        Some("a profile name cannot hold '@', which keyring entry names use to join a profile and its config file")
    } else if !crate::untrusted::is_plain(name) {
        Some("a profile name cannot hold control characters or line breaks")
    } else if super::secret::holds_credential(name) {
        // A name is printed, written into agent configs and keyring entry names.
        Some("a profile name cannot look like a token, key or secret: a name is shown and written in many places")
    } else {
        None
    }
}

/// A profile name as `--profile`, `TRELLO_AUTH_PROFILE` and `profile use`
/// take it (a clap value parser): the rule above, checked before anything runs.
pub(crate) fn parse_name(name: &str) -> Result<String, String> {
    if name.trim().is_empty() {
        return Err(
            "a profile name cannot be empty; name one (e.g. work), or leave it out for the default profile".into()
        );
    }
    match name_problem(name) {
        Some(why) => Err(why.to_string()),
        None => Ok(name.to_string()),
    }
}

/// Where a profile's token and API secret live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// In the config file (mode 0600): what the product has always done.
    #[default]
    File,
    /// In the system keyring; the file keeps everything else.
    Keyring,
}

impl Storage {
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::File => "file",
            Storage::Keyring => "keyring",
        }
    }
}

/// An API key and a user token, as sent to Trello. `Debug` masks both.
/// Built only through [`Credentials::sendable`], so no token that cannot be
/// sent reaches a request: the fields are private.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    key: String,
    token: Secret,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("key", &super::secret::mask(&self.key)).field("token", &self.token).finish()
    }
}

impl Credentials {
    /// The saved pair, when the token can be sent: a value edited by hand into
    /// something that cannot be a token (a space, a control character, a
    /// password) never is. `Err` holds the shape check's words. The one home
    /// of this rule, for the commands and the wizard alike.
    pub fn sendable(key: &str, token: &Secret) -> Result<Credentials, String> {
        let verdict = super::format::check_token(token.expose(), None, None);
        if verdict.is_savable() {
            Ok(Credentials { key: key.to_string(), token: token.clone() })
        } else {
            Err(verdict.message())
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// For the client's own tests of how odd values are encoded: no check.
    #[cfg(test)]
    pub(crate) fn unchecked(key: &str, token: &str) -> Credentials {
        Credentials { key: key.to_string(), token: Secret::new(token) }
    }
}

/// An agent's own token: made from profile `parent` (its key, its member)
/// for the MCP client `client`, saved as a profile of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub parent: String,
    pub client: String,
}

impl Agent {
    /// The app name its token is authorized under, which Trello's
    /// Applications page lists: `trello-auth (claude-code)`.
    pub fn app_name(&self) -> String {
        format!("{DEFAULT_APP_NAME} ({})", self.client)
    }
}

impl Profile {
    /// The agent this profile's token was made for, if it is an agent's own.
    pub fn agent(&self) -> Option<Agent> {
        Some(Agent { parent: self.parent.clone()?, client: self.client.clone()? })
    }
}

/// What the user chose for a profile, which Trello does not report back.
/// `Debug` masks the key and token.
#[derive(Clone, PartialEq, Eq)]
pub struct Chosen {
    pub key: String,
    pub token: Secret,
    pub app_name: String,
    pub requested_scope: Scopes,
    pub expiration: Expiration,
}

impl std::fmt::Debug for Chosen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Chosen { key, token, app_name, requested_scope, expiration } = self;
        let key = super::secret::mask(key);
        write!(
            f,
            "Chosen {{ key: {key}, token: {token:?}, app_name: {app_name:?}, scopes: {requested_scope}, {expiration} }}"
        )
    }
}

/// What Trello said when the token was verified: who owns it, what it may do, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub member_id: String,
    pub username: String,
    pub full_name: String,
    pub granted: Scopes,
    pub expires: Expiry,
    /// RFC 3339 time of the verification.
    pub at: String,
}

/// The default board scripts and agents get as `TRELLO_BOARD_ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardChoice {
    pub id: String,
    pub name: String,
    pub short_link: String,
}

/// One set of credentials and what was learned when they were verified.
/// `Debug` masks the key; the token and secret mask themselves. Fields that
/// are `None` are left out of the file.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    #[serde(deserialize_with = "shaped::api_key")]
    pub api_key: String,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "shaped::api_secret")]
    pub api_secret: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    /// `keyring`: the token and secret are in the system keyring, not above.
    #[serde(skip_serializing_if = "is_file")]
    pub storage: Storage,
    pub app_name: String,
    /// The scopes asked for when the token was authorized (files before
    /// `requested_scope` existed called it `scope`).
    #[serde(rename = "requested_scope", alias = "scope")]
    pub requested_scope: Scopes,
    /// The scopes Trello reported for the token when it was last verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted_scope: Option<Scopes>,
    pub expiration: Expiration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_full_name: Option<String>,
    /// When the token stops working (`never`, or RFC 3339); absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_expires: Option<Expiry>,
    /// RFC 3339 time of the last successful verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
    /// The default board scripts and agents get as `TRELLO_BOARD_ID`.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "shaped::board_id")]
    pub board_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub board_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "shaped::board_short_link")]
    pub board_short_link: Option<String>,
    /// The token was forgotten on purpose (`logout`): a keyring profile then
    /// has no token entry, and that is not an error.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub logged_out: bool,
    /// An agent's own token (`mcp CLIENT --own-token`): the profile it was made from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// An agent's own token: the MCP client it was made for (`claude-code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Keys this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// The saved values trello-auth only ever writes in one shape, checked as
/// the file is read: a hand edit that breaks one (a board id holding a line
/// break, a key with a control character) is refused there, with its line,
/// so no command hands out what another would refuse. The token is not
/// among them: it may come from the keyring too, and `Credentials::sendable`
/// is its one rule, wherever it came from.
mod shaped {
    use serde::{Deserialize, Deserializer, de::Error};

    use crate::credentials::Secret;
    use crate::credentials::format::{check_key, check_secret, is_short_link, is_trello_id};

    fn checked<'de, D: Deserializer<'de>, T>(
        deserializer: D,
        ok: impl Fn(&str) -> bool,
        words: &str,
        wrap: impl Fn(String) -> T,
    ) -> Result<T, D::Error> {
        let value = String::deserialize(deserializer)?;
        if ok(&value) { Ok(wrap(value)) } else { Err(D::Error::custom(words)) }
    }

    pub fn api_key<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let ok = |v: &str| v.is_empty() || check_key(v).is_valid();
        checked(d, ok, "api_key must be an API key: 32 hex characters (0-9, a-f)", |v| v)
    }

    pub fn api_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        let ok = |v: &str| check_secret(v).is_valid();
        checked(d, ok, "api_secret must be an API secret: 64 hex characters (0-9, a-f)", |v| Some(Secret::new(v)))
    }

    pub fn board_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        checked(d, is_trello_id, "board_id must be a Trello board id: 24 hex characters (0-9, a-f)", Some)
    }

    pub fn board_short_link<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        checked(d, is_short_link, "board_short_link must be a board's short link: 8 letters and digits", Some)
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            api_key: String::new(),
            api_secret: None,
            token: None,
            storage: Storage::File,
            app_name: DEFAULT_APP_NAME.to_string(),
            requested_scope: Scopes::READ_WRITE,
            granted_scope: None,
            expiration: Expiration::default(),
            member_id: None,
            member_username: None,
            member_full_name: None,
            token_expires: None,
            verified_at: None,
            board_id: None,
            board_name: None,
            board_short_link: None,
            logged_out: false,
            parent: None,
            client: None,
            extra: toml::Table::new(),
        }
    }
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("api_key", &super::secret::mask(&self.api_key))
            .field("api_secret", &self.api_secret)
            .field("token", &self.token)
            .field("storage", &self.storage)
            .field("app_name", &self.app_name)
            .field("requested_scope", &self.requested_scope)
            .field("granted_scope", &self.granted_scope)
            .field("expiration", &self.expiration)
            .field("member_id", &self.member_id)
            .field("member_username", &self.member_username)
            .field("member_full_name", &self.member_full_name)
            .field("token_expires", &self.token_expires)
            .field("verified_at", &self.verified_at)
            .field("board_id", &self.board_id)
            .field("logged_out", &self.logged_out)
            .field("parent", &self.parent)
            .field("client", &self.client)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn is_file(storage: &Storage) -> bool {
    *storage == Storage::File
}

impl Profile {
    /// What the token may do: what Trello granted when known, else what was asked for.
    pub fn scopes(&self) -> Scopes {
        self.granted_scope.unwrap_or(self.requested_scope)
    }

    /// Who the saved token belongs to, as "Ann Example (@ann)", when known.
    pub fn who(&self) -> Option<String> {
        let username = self.member_username.as_deref()?;
        Some(super::who(self.member_full_name.as_deref().unwrap_or(""), username))
    }

    /// The default board, when one is chosen.
    pub fn board(&self) -> Option<BoardChoice> {
        Some(BoardChoice {
            id: self.board_id.clone()?,
            name: self.board_name.clone().unwrap_or_default(),
            short_link: self.board_short_link.clone().unwrap_or_default(),
        })
    }

    /// The saved expiry moment: `None` for never or unknown.
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.token_expires.as_ref().and_then(Expiry::at)
    }

    /// "expired 2 days ago" when the saved expiry is past.
    pub fn expired_words(&self, now: OffsetDateTime) -> Option<String> {
        let at = self.expires_at()?;
        (at <= now).then(|| format!("expired {}", ago(now - at)))
    }

    /// True when the token expires within the warning window (or already has).
    pub fn expires_soon(&self, now: OffsetDateTime) -> bool {
        self.expires_at().is_some_and(|at| at - now <= WARNING_WINDOW)
    }

    /// True when the token is still good but expires within the warning
    /// window: the moment to say so on every command that hands it out.
    pub fn expires_within_window(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        self.expires_at().filter(|at| *at > now && *at - now <= WARNING_WINDOW)
    }

    /// The profile after a verification: the key, token and choices the user
    /// made, and what Trello said, over `self` (which keeps the API secret,
    /// the storage choice, unknown keys, and the default board when the token
    /// is still the same member's).
    pub(crate) fn verified(self, chosen: Chosen, verification: Verification) -> Profile {
        let same_member = self.member_id.as_deref() == Some(verification.member_id.as_str());
        let (board_id, board_name, board_short_link) = if same_member {
            (self.board_id, self.board_name, self.board_short_link)
        } else {
            // Another account's board is probably not visible to this one.
            (None, None, None)
        };
        Profile {
            api_key: chosen.key,
            token: Some(chosen.token),
            app_name: chosen.app_name,
            requested_scope: chosen.requested_scope,
            granted_scope: Some(verification.granted),
            expiration: chosen.expiration,
            member_id: Some(verification.member_id),
            member_username: Some(crate::untrusted::capped(&verification.username)),
            member_full_name: Some(crate::untrusted::capped(&verification.full_name)),
            token_expires: Some(verification.expires),
            verified_at: Some(verification.at),
            board_id,
            board_name,
            board_short_link,
            logged_out: false,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn profile_names_follow_one_rule() {
        for bad in ["", "-p", "--profile", "a@b", "x\ny", "x\u{1b}[2J"] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["default", "work", "my work", "a-b", "caf\u{e9}"] {
            assert_eq!(name_problem(good), None, "{good:?}");
        }
    }

    use super::*;

    use crate::credentials::expiry::test_now as now;

    #[test]
    fn expired_profiles_are_known_offline() {
        let p = Profile { token_expires: Some("2026-11-01T00:00:00Z".into()), ..Profile::default() };
        assert_eq!(p.expired_words(now()).unwrap(), "expired 28 days ago");
        assert!(p.expires_soon(now()));
        assert_eq!(p.expires_within_window(now()), None);
        let p = Profile { token_expires: Some("never".into()), ..Profile::default() };
        assert_eq!(p.expired_words(now()), None);
        assert!(!p.expires_soon(now()));
        let p = Profile { token_expires: Some("2026-12-01T12:00:00Z".into()), ..Profile::default() };
        assert!(p.expires_within_window(now()).is_some());
    }

    #[test]
    fn a_verification_keeps_the_board_only_for_the_same_member() {
        let chosen = |token: &str| Chosen {
            key: "k".into(),
            token: Secret::new(token),
            app_name: "app".into(),
            requested_scope: Scopes::READ_WRITE,
            expiration: Expiration::Never,
        };
        let verification = |member: &str| Verification {
            member_id: member.into(),
            username: "u".into(),
            full_name: String::new(),
            granted: Scopes::READ_WRITE,
            expires: Expiry::Never,
            at: "2026-11-28T12:00:00Z".into(),
        };
        let saved = Profile {
            member_id: Some("ann".into()),
            board_id: Some("b".into()),
            api_secret: Some(Secret::new("s")),
            ..Profile::default()
        };
        let same = saved.clone().verified(chosen("t1"), verification("ann"));
        assert_eq!(same.board_id.as_deref(), Some("b"));
        assert_eq!(same.api_secret, Some(Secret::new("s")));
        let other = saved.verified(chosen("t2"), verification("grace"));
        assert_eq!(other.board_id, None);
    }
}
