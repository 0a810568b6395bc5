//! Builds the URL where the user authorizes a token (`{web}/1/authorize?…`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

pub(crate) use crate::credentials::scopes::ParseError;
pub use crate::credentials::scopes::{Expiration, Scopes};

/// Everything but RFC 3986 unreserved characters is encoded, so names with
/// spaces, `&` or `#`, and return URLs, survive as single query values.
pub(crate) const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The parts of an authorize URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthorizeUrl {
    pub key: String,
    pub app_name: String,
    pub expiration: Expiration,
    pub scopes: Scopes,
    /// Where Trello redirects after Allow, with `#token=…` appended.
    pub return_url: Option<String>,
}

/// Trello's redirect flow: back to `return_url#token=…`, a URL the browser keeps in its history.
const FRAGMENT: &str = "&callback_method=fragment";
/// Trello's popup flow: the token is posted to the page that opened Trello's window.
const POST_MESSAGE: &str = "&callback_method=postMessage";

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
            url.push_str(FRAGMENT);
        }
        Ok(url)
    }
}

/// The popup flow of Trello's own client.js (`Trello.authorize({type: "popup"})`)
/// for `url`, an authorize URL [`AuthorizeUrl::build`] made with a return URL:
/// the same request with `return_url` cut to its origin, as client.js sends it,
/// and `callback_method=postMessage`. Trello's page, opened with `window.open`
/// by a page of that origin, then posts the token to `window.opener` for that
/// origin, and the token is never in a URL. `None` for any other URL.
pub fn popup(url: &str) -> Option<String> {
    let (head, tail) = url.split_once("&return_url=")?;
    let return_url = percent_decode_str(tail.strip_suffix(FRAGMENT)?).decode_utf8().ok()?;
    let origin = url::Url::parse(&return_url).ok()?.origin();
    if !origin.is_tuple() {
        return None;
    }
    let origin = utf8_percent_encode(&origin.ascii_serialization(), QUERY_VALUE).to_string();
    Some(format!("{head}&return_url={origin}{POST_MESSAGE}"))
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
    fn the_popup_flow_sends_the_origin_only_and_asks_for_postmessage() {
        let mut r = request();
        r.return_url = Some("http://127.0.0.1:8765/callback/abc123".into());
        let fragment = r.build("https://trello.com").unwrap();
        assert_eq!(
            popup(&fragment).unwrap(),
            "https://trello.com/1/authorize?expiration=never&scope=read,write&response_type=token&name=My-Trello-App\
             &key=0123456789abcdef0123456789abcdef&return_url=http%3A%2F%2F127.0.0.1%3A8765&callback_method=postMessage"
        );
        // Paste mode's URL has no return URL, so no popup flow.
        assert_eq!(popup(&request().build("https://trello.com").unwrap()), None);
    }

    #[test]
    fn at_least_one_scope() {
        let mut r = request();
        r.scopes = Scopes::default();
        assert_eq!(r.build("https://trello.com"), Err(ParseError::NoScope));
    }
}
