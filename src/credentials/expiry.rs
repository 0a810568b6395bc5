//! Token expiry in words: dates, "in 3 days", "expired 2 days ago", and the warning window.

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::store::Profile;

/// Now, to the second, as RFC 3339 (what `verified_at` holds).
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now).format(&Rfc3339).unwrap_or_default()
}

/// Tokens expiring sooner than this get a warning.
pub const WARNING_WINDOW: Duration = Duration::days(7);

/// `2026-12-28 12:00 UTC`; `never` for `None`; the text itself when it is not RFC 3339.
pub fn format_expiry(date: Option<&str>) -> String {
    match date {
        None | Some("never") => "never".to_string(),
        Some(text) => match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(at) => {
                let at = at.to_offset(UtcOffset::UTC);
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                    at.year(),
                    u8::from(at.month()),
                    at.day(),
                    at.hour(),
                    at.minute()
                )
            }
            Err(_) => text.to_string(),
        },
    }
}

/// The saved expiry, parsed: `None` for never or unknown.
pub fn expires_at(profile: &Profile) -> Option<OffsetDateTime> {
    profile.token_expires.as_deref().filter(|e| *e != "never").and_then(|e| OffsetDateTime::parse(e, &Rfc3339).ok())
}

/// "expired 2 days ago" when the saved expiry is past.
pub fn expired_words(profile: &Profile, now: OffsetDateTime) -> Option<String> {
    let at = expires_at(profile)?;
    (at <= now).then(|| format!("expired {}", ago(now - at)))
}

/// True when the token expires within [`WARNING_WINDOW`] (or already has).
pub fn expires_soon(profile: &Profile, now: OffsetDateTime) -> bool {
    expires_at(profile).is_some_and(|at| at - now <= WARNING_WINDOW)
}

fn ago(d: Duration) -> String {
    match d.whole_days() {
        0 => format!("{} hours ago", d.whole_hours().max(0)),
        1 => "1 day ago".into(),
        n => format!("{n} days ago"),
    }
}

fn within(d: Duration) -> String {
    match d.whole_days() {
        0 => format!("in {} hours", d.whole_hours().max(1)),
        1 => "in 1 day".into(),
        n => format!("in {n} days"),
    }
}

/// `2026-12-28 12:00 UTC (in 29 days)`, with a warning when close or past.
pub fn expiry_words(expires: Option<&str>, now: OffsetDateTime) -> String {
    match expires {
        None => "unknown".into(),
        Some("never") => "never".into(),
        Some(text) => match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(at) => {
                let shown = format_expiry(Some(text));
                if at <= now {
                    format!("{shown} (EXPIRED {})", ago(now - at))
                } else if at - now <= WARNING_WINDOW {
                    format!("{shown} ({}: rotate soon)", within(at - now))
                } else {
                    format!("{shown} ({})", within(at - now))
                }
            }
            Err(_) => text.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-11-28T12:00:00Z", &Rfc3339).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(format_expiry(None), "never");
        assert_eq!(format_expiry(Some("2026-12-28T12:00:00.000Z")), "2026-12-28 12:00 UTC");
        assert_eq!(format_expiry(Some("soon")), "soon");
    }

    #[test]
    fn wording() {
        assert_eq!(expiry_words(Some("never"), now()), "never");
        assert_eq!(expiry_words(None, now()), "unknown");
        assert_eq!(expiry_words(Some("2026-12-28T12:00:00.000Z"), now()), "2026-12-28 12:00 UTC (in 30 days)");
        assert_eq!(
            expiry_words(Some("2026-12-01T12:00:00.000Z"), now()),
            "2026-12-01 12:00 UTC (in 3 days: rotate soon)"
        );
        assert_eq!(expiry_words(Some("2026-11-26T12:00:00.000Z"), now()), "2026-11-26 12:00 UTC (EXPIRED 2 days ago)");
    }

    #[test]
    fn expired_profiles_are_known_offline() {
        let p = Profile { token_expires: Some("2026-11-01T00:00:00Z".into()), ..Profile::default() };
        assert_eq!(expired_words(&p, now()).unwrap(), "expired 27 days ago");
        assert!(expires_soon(&p, now()));
        let p = Profile { token_expires: Some("never".into()), ..Profile::default() };
        assert_eq!(expired_words(&p, now()), None);
        assert!(!expires_soon(&p, now()));
    }
}
