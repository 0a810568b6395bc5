//! What the person entered: the Power-Up form, the key and secret, the token and its choices, and the live checks of each.

use tui_input::Input;

use super::step::Target;
use crate::credentials::format::{self, Verdict};
use crate::credentials::store::DEFAULT_APP_NAME;
use crate::trello::{Expiration, Scopes};
use crate::wizard::text::texts;

/// What Trello said about the key on its own (step 3's background check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStatus {
    NotChecked,
    Checking(String),
    Known(String),
    Rejected(String),
    Unchecked(String, String),
}

impl KeyStatus {
    /// The same status with the key masked, for `Debug`.
    pub fn masked(&self) -> KeyStatus {
        use crate::credentials::secret::mask;
        match self {
            KeyStatus::NotChecked => KeyStatus::NotChecked,
            KeyStatus::Checking(k) => KeyStatus::Checking(mask(k)),
            KeyStatus::Known(k) => KeyStatus::Known(mask(k)),
            KeyStatus::Rejected(k) => KeyStatus::Rejected(mask(k)),
            KeyStatus::Unchecked(k, why) => KeyStatus::Unchecked(mask(k), why.clone()),
        }
    }

    /// The key this status is about, when there is one.
    fn key(&self) -> Option<&str> {
        match self {
            KeyStatus::Checking(k) | KeyStatus::Known(k) | KeyStatus::Rejected(k) | KeyStatus::Unchecked(k, _) => {
                Some(k)
            }
            KeyStatus::NotChecked => None,
        }
    }
}

/// The fields and choices of steps 2 to 4. `Debug` masks the credentials.
#[derive(Clone)]
pub struct Form {
    pub app_name: Input,
    pub email: Input,
    pub author: Input,
    pub key: Input,
    pub secret: Input,
    pub token: Input,
    pub expiration: Expiration,
    pub scopes: Scopes,
    /// The key, secret and token shown in full.
    pub reveal: bool,
    pub key_status: KeyStatus,
    /// The token Trello just refused, so step 4 says so instead of "looks valid".
    pub rejected_token: Option<String>,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            app_name: Input::new(DEFAULT_APP_NAME.to_string()),
            email: Input::default(),
            author: Input::default(),
            key: Input::default(),
            secret: Input::default(),
            token: Input::default(),
            expiration: Expiration::default(),
            scopes: Scopes::READ_WRITE,
            reveal: false,
            key_status: KeyStatus::NotChecked,
            rejected_token: None,
        }
    }
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::credentials::secret::mask;
        f.debug_struct("Form")
            .field("app_name", &self.app_name.value())
            .field("email", &self.email.value())
            .field("author", &self.author.value())
            .field("key", &mask(self.key.value()))
            .field("secret", &mask(self.secret.value()))
            .field("token", &mask(self.token.value()))
            .field("expiration", &self.expiration)
            .field("scopes", &self.scopes)
            .field("reveal", &self.reveal)
            .field("key_status", &self.key_status.masked())
            .finish_non_exhaustive()
    }
}

impl Form {
    pub fn input(&self, target: Target) -> Option<&Input> {
        Some(match target {
            Target::AppName => &self.app_name,
            Target::Email => &self.email,
            Target::Author => &self.author,
            Target::Key => &self.key,
            Target::Secret => &self.secret,
            Target::Token => &self.token,
            _ => return None,
        })
    }

    pub(crate) fn input_mut(&mut self, target: Target) -> Option<&mut Input> {
        Some(match target {
            Target::AppName => &mut self.app_name,
            Target::Email => &mut self.email,
            Target::Author => &mut self.author,
            Target::Key => &mut self.key,
            Target::Secret => &mut self.secret,
            Target::Token => &mut self.token,
            _ => return None,
        })
    }

    pub fn app_name(&self) -> &str {
        self.app_name.value().trim()
    }

    pub fn key(&self) -> &str {
        self.key.value()
    }

    pub fn secret(&self) -> &str {
        self.secret.value()
    }

    pub fn token(&self) -> &str {
        self.token.value()
    }

    pub fn key_verdict(&self) -> Verdict {
        format::check_key(self.key())
    }

    pub(crate) fn secret_verdict(&self) -> Verdict {
        format::check_secret(self.secret())
    }

    pub fn token_verdict(&self) -> Verdict {
        format::check_token(self.token(), Some(self.secret()), Some(self.key()))
    }

    pub(crate) fn email_verdict(&self) -> EmailVerdict {
        check_email(self.email.value())
    }

    /// Whether the background check already is, or was, about the key in the field.
    pub(crate) fn key_checked(&self) -> bool {
        self.key_status.key() == Some(self.key())
    }

    /// Whether anything worth asking about before quitting was typed.
    pub(crate) fn has_input(&self) -> bool {
        self.app_name() != DEFAULT_APP_NAME
            || !self.email.value().is_empty()
            || !self.author.value().is_empty()
            || !self.key().is_empty()
            || !self.secret().is_empty()
            || !self.token().is_empty()
    }
}

/// The live check of the email typed in step 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EmailVerdict {
    Empty,
    Valid,
    Invalid(&'static str),
}

/// A plain sanity check: enough to catch typos, not RFC 5322.
pub(crate) fn check_email(email: &str) -> EmailVerdict {
    let email = email.trim();
    if email.is_empty() {
        return EmailVerdict::Empty;
    }
    if email.chars().any(char::is_whitespace) {
        return EmailVerdict::Invalid(&texts().email.no_spaces);
    }
    let Some((local, domain)) = email.split_once('@') else { return EmailVerdict::Invalid(&texts().email.missing_at) };
    if local.is_empty() {
        return EmailVerdict::Invalid(&texts().email.nothing_before);
    }
    if domain.contains('@') {
        return EmailVerdict::Invalid(&texts().email.more_than_one);
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return EmailVerdict::Invalid(&texts().email.domain);
    }
    EmailVerdict::Valid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(check_email(""), EmailVerdict::Empty);
        assert_eq!(check_email("ann@example.com"), EmailVerdict::Valid);
        assert_eq!(check_email("ann"), EmailVerdict::Invalid("missing @"));
        assert_eq!(
            check_email("ann@example"),
            EmailVerdict::Invalid("the part after @ needs a domain such as example.com")
        );
        assert_eq!(check_email("a b@c.d"), EmailVerdict::Invalid("an email has no spaces"));
    }
}
