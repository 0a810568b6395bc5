//! When a token stops working, and that in words: dates, "in 3 days", "expired 2 days ago".

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Duration, OffsetDateTime, UtcOffset};

/// Most characters of an unreadable expiry that are shown: a date is 30.
const UNREADABLE_SHOWN: usize = 64;

/// Tokens expiring sooner than this get a warning.
pub(crate) const WARNING_WINDOW: Duration = Duration::days(7);

/// When a token expires. Saved as `never` or an RFC 3339 time; Trello's
/// `dateExpires` is `null` for a token made with `expiration=never`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    Never,
    At(OffsetDateTime),
    /// Text that is neither (a hand-edited file): shown as it is, never guessed at.
    Unreadable(String),
}

impl Expiry {
    /// Trello's `dateExpires`: `None` (JSON `null`) means never.
    pub fn from_trello(date_expires: Option<&str>) -> Expiry {
        date_expires.map_or(Expiry::Never, Expiry::from)
    }

    /// The moment it expires, when there is one.
    pub fn at(&self) -> Option<OffsetDateTime> {
        match self {
            Expiry::At(at) => Some(*at),
            Expiry::Never | Expiry::Unreadable(_) => None,
        }
    }

    /// `2026-12-28 12:00 UTC`, `never`, or the unreadable text (without
    /// anything shaped like a credential: a token pasted on the wrong line),
    /// on one line and cut short: a hand-edited file's line break must not
    /// start a forged line of `status`.
    pub fn shown(&self) -> String {
        match self {
            Expiry::Never => "never".into(),
            Expiry::At(at) => format_time(*at),
            Expiry::Unreadable(text) => {
                // Scrubbed whole, then cut: a cut token might no longer look like one.
                let text = crate::untrusted::cut(&super::secret::scrub(text, &[]), UNREADABLE_SHOWN);
                let shown = crate::untrusted::line(&text);
                // An empty value (`token_expires = ""`) would leave a blank after "Expires:".
                if shown.trim().is_empty() { "unknown".into() } else { shown.into_owned() }
            }
        }
    }
}

impl From<&str> for Expiry {
    fn from(text: &str) -> Expiry {
        match text.trim() {
            "never" => Expiry::Never,
            text => OffsetDateTime::parse(text, &Rfc3339).map_or_else(|_| Expiry::Unreadable(text.into()), Expiry::At),
        }
    }
}

impl std::fmt::Display for Expiry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expiry::Never => f.write_str("never"),
            // A parsed time always formats back (RFC 3339 in, RFC 3339 out); an
            // error here would make `to_string`, and so every save, panic, so
            // the crate's own form stands in rather than `fmt::Error`.
            Expiry::At(at) => match at.format(&Rfc3339) {
                Ok(text) => f.write_str(&text),
                Err(_) => write!(f, "{at}"),
            },
            Expiry::Unreadable(text) => f.write_str(text),
        }
    }
}

impl Serialize for Expiry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Expiry::from(text.as_str()))
    }
}

/// `2026-12-28 12:00 UTC`; a time that has no UTC form is shown at its own
/// offset, `9999-12-31 23:59 UTC-23:59`.
pub fn format_time(at: OffsetDateTime) -> String {
    // `9999-12-31T23:59:59-23:59` is valid RFC 3339, yet in UTC it is the year
    // 10000, past what `time` holds: `to_offset` would panic on it, and every
    // listing of that profile with it.
    let text = match at.checked_to_offset(UtcOffset::UTC) {
        Some(utc) => utc.format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC")),
        None => at.format(format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC[offset_hour sign:mandatory]:[offset_minute]"
        )),
    };
    // A fixed description of a date `time` holds has nothing that can fail.
    text.unwrap_or_default()
}

/// An RFC 3339 time (such as `verified_at`) as `2026-12-28 12:00 UTC`, or
/// the text shown as any unreadable expiry is (a hand-edited file's).
pub fn format_rfc3339(text: &str) -> String {
    OffsetDateTime::parse(text, &Rfc3339).map_or_else(|_| Expiry::Unreadable(text.into()).shown(), format_time)
}

/// Now, to the second, as RFC 3339 (what `verified_at` holds).
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now).format(&Rfc3339).unwrap_or_default()
}

/// "2 days ago", "1 hour ago", "less than an hour ago".
pub(crate) fn ago(d: Duration) -> String {
    format!("{} ago", span(d))
}

/// "in 3 days", "in 1 hour", "in less than an hour".
pub(crate) fn within(d: Duration) -> String {
    format!("in {}", span(d))
}

/// A length of time to the nearest day, or hour under a day: 47 hours is
/// "2 days", which is what a person counting would say, not "1 day".
fn span(d: Duration) -> String {
    const HOUR: i64 = 3600;
    let seconds = d.whole_seconds();
    let hours = seconds.saturating_add(HOUR / 2) / HOUR;
    let days = seconds.saturating_add(12 * HOUR) / (24 * HOUR);
    match (days, hours) {
        (_, hours) if hours < 1 => "less than an hour".into(),
        (0, 1) => "1 hour".into(),
        (0, hours) => format!("{hours} hours"),
        (1, _) => "1 day".into(),
        (days, _) => format!("{days} days"),
    }
}

/// `2026-12-28 12:00 UTC (in 29 days)`, with a warning when close or past;
/// `unknown` when nothing is known.
pub fn expiry_words(expires: Option<&Expiry>, now: OffsetDateTime) -> String {
    match expires {
        None => "unknown".into(),
        Some(Expiry::At(at)) => {
            let shown = format_time(*at);
            if *at <= now {
                format!("{shown} (EXPIRED {})", ago(now - *at))
            } else if *at - now <= WARNING_WINDOW {
                format!("{shown} ({}: rotate soon)", within(*at - now))
            } else {
                format!("{shown} ({})", within(*at - now))
            }
        }
        Some(other) => other.shown(),
    }
}

/// The fixed "now" of the unit tests that count days.
#[cfg(test)]
pub(crate) fn test_now() -> OffsetDateTime {
    OffsetDateTime::parse("2026-11-28T12:00:00Z", &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> OffsetDateTime {
        test_now()
    }

    #[test]
    fn dates() {
        assert_eq!(Expiry::from_trello(None).shown(), "never");
        assert_eq!(Expiry::from("2026-12-28T12:00:00.000Z").shown(), "2026-12-28 12:00 UTC");
        assert_eq!(Expiry::from("soon").shown(), "soon");
        assert_eq!(Expiry::from(format!("ATTA{}", "0".repeat(64)).as_str()).shown(), "[redacted]");
        // A hand-edited line break cannot start a line of its own; a long text is cut.
        assert_eq!(Expiry::from("soon\nStatus     revoked").shown(), "soon\\nStatus     revoked");
        assert_eq!(Expiry::from("x".repeat(900).as_str()).shown(), format!("{}…", "x".repeat(64)));
        assert_eq!(format_rfc3339("2026-01-02T03:04:05Z"), "2026-01-02 03:04 UTC");
        // An empty hand-edited value is said as unknown, never as a blank (found by the property test).
        assert_eq!(Expiry::from("").shown(), "unknown");
        assert_eq!(Expiry::from("\u{1b}").shown(), "unknown", "nothing but a control character is nothing to show");
        assert_eq!(expiry_words(Some(&Expiry::from(" ")), now()), "unknown");
    }

    #[test]
    fn spans_in_words_agree_in_number() {
        assert_eq!(within(Duration::minutes(20)), "in less than an hour");
        assert_eq!(within(Duration::minutes(80)), "in 1 hour");
        assert_eq!(ago(Duration::hours(5)), "5 hours ago");
        assert_eq!(ago(Duration::hours(30)), "1 day ago");
        assert_eq!(within(Duration::days(29)), "in 29 days");
        // To the nearest unit: about two days is two days, not one.
        assert_eq!(within(Duration::hours(47)), "in 2 days");
        assert_eq!(within(Duration::hours(23) + Duration::minutes(40)), "in 1 day");
        assert_eq!(within(Duration::minutes(100)), "in 2 hours");
    }

    #[test]
    fn saved_form_round_trips() {
        for text in ["never", "2026-12-28T12:00:00Z", "someday"] {
            assert_eq!(Expiry::from(text).to_string(), text);
        }
        assert_eq!(Expiry::from("2026-12-28T12:00:00.000Z"), Expiry::from("2026-12-28T12:00:00Z"));
    }

    #[test]
    fn wording() {
        let words = |text: &str| expiry_words(Some(&Expiry::from(text)), now());
        assert_eq!(words("never"), "never");
        assert_eq!(expiry_words(None, now()), "unknown");
        assert_eq!(words("2026-12-28T12:00:00.000Z"), "2026-12-28 12:00 UTC (in 30 days)");
        assert_eq!(words("2026-12-01T12:00:00.000Z"), "2026-12-01 12:00 UTC (in 3 days: rotate soon)");
        assert_eq!(words("2026-11-26T12:00:00.000Z"), "2026-11-26 12:00 UTC (EXPIRED 2 days ago)");
    }

    /// Issue 27 (3): valid RFC 3339 whose UTC form is the year 10000 (or
    /// before the year 0) made `format_time` panic, and so `status`, `profile
    /// list` and the wizards, on every run.
    #[test]
    fn dates_at_the_edge_of_the_range_are_shown_not_a_panic() {
        let last = Expiry::from("9999-12-31T23:59:59-23:59");
        assert_eq!(last.shown(), "9999-12-31 23:59 UTC-23:59");
        assert_eq!(last.to_string(), "9999-12-31T23:59:59-23:59");
        assert!(expiry_words(Some(&last), now()).starts_with("9999-12-31 23:59 UTC-23:59 (in "));
        let first = Expiry::from("0000-01-01T00:00:00+23:59");
        assert_eq!(first.shown(), "-0001-12-31 00:01 UTC");
        assert!(expiry_words(Some(&first), now()).ends_with(" days ago)"), "{}", expiry_words(Some(&first), now()));
        assert_eq!(format_rfc3339("9999-12-31T23:59:59-23:59"), "9999-12-31 23:59 UTC-23:59");
        assert_eq!(format_rfc3339("soon\u{1b}[2J"), "soon[2J");
    }

    /// Any length of time has words, the longest the type holds included.
    #[test]
    fn spans_of_any_length_are_worded() {
        let edges = [Duration::MIN, Duration::MAX, Duration::ZERO, Duration::nanoseconds(-1), Duration::nanoseconds(1)];
        for d in edges.into_iter().chain((0..64).map(|shift| Duration::seconds(1i64 << shift))) {
            assert!(within(d).starts_with("in ") && ago(d).ends_with(" ago"));
        }
    }
}
