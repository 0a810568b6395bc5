//! Generated outside data of a valid shape holding extreme values: dates at the edges of the range, huge and odd numbers, long, blank and odd Unicode text, deep nesting.

use proptest::prelude::*;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Valid RFC 3339 times: the edges (the last moment at the widest negative
/// offset is the year 10000 in UTC), and any date, time, fraction and offset.
pub fn rfc3339() -> impl Strategy<Value = String> {
    let edges = prop::sample::select(vec![
        "9999-12-31T23:59:59-23:59",
        "9999-12-31T23:59:59.999999999-00:01",
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00+23:59",
        "0000-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999999Z",
        "2038-01-19T03:14:08Z",
        "2026-11-28T12:00:00.000Z",
    ])
    .prop_map(str::to_string);
    let offset = prop_oneof![
        Just("Z".to_string()),
        (prop::bool::ANY, 0u8..=23, 0u8..=59)
            .prop_map(|(minus, h, m)| format!("{}{h:02}:{m:02}", if minus { '-' } else { '+' })),
    ];
    let any = (0u16..=9999, 1u8..=12, 1u8..=28, 0u8..=23, 0u8..=59, 0u8..=59, prop::option::of("[0-9]{1,9}"), offset)
        .prop_map(|(y, mo, d, h, mi, s, fraction, offset)| {
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{offset}")
        });
    prop_oneof![1 => edges, 2 => any]
}

/// Any instant a clock or a parser can give, the extremes included: the
/// first and last dates the date library holds, at every offset.
pub fn instant() -> impl Strategy<Value = OffsetDateTime> {
    let edge = (prop::sample::select(vec![PrimitiveDateTime::MIN, PrimitiveDateTime::MAX]), -86_399i32..=86_399)
        .prop_map(|(at, seconds)| at.assume_offset(UtcOffset::from_whole_seconds(seconds).unwrap_or(UtcOffset::UTC)));
    let parsed = rfc3339().prop_map(|text| {
        OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    });
    prop_oneof![edge, parsed, Just(OffsetDateTime::now_utc())]
}

/// A TOML string holding `text`, escaped as TOML escapes it.
pub fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Text from outside at its oddest: controls, bidi overrides, combining
/// marks, wide characters, long runs of spaces.
pub fn odd_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,80}",
        prop::sample::select(vec![
            String::new(),
            " ".repeat(5000),
            "\u{3000}\u{2800}\u{3164}\u{200b}".repeat(200),
            "山田 ".repeat(300),
            "e\u{301}".repeat(900),
            "\u{0}\u{1b}[2J\u{202e}\u{2028}\r\n".into(),
            "\u{10ffff}\u{fffd}\u{feff}".into(),
        ]),
    ]
}

/// A value of the config file's own shape at its extremes: dates, huge and
/// negative numbers, odd text, wrong types.
pub fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        rfc3339().prop_map(|d| toml_string(&d)),
        prop::sample::select(vec![
            "\"never\"",
            "\"\"",
            "18446744073709551615",
            "-9223372036854775808",
            "9223372036854775807",
            "1e308",
            "-0.0",
            "nan",
            "-inf",
            "true",
            "[]",
            "[[[[[[[[[[]]]]]]]]]]",
            "{}",
            "1979-05-27T07:32:00-08:00",
            "9999-12-31T23:59:59-23:59",
        ])
        .prop_map(str::to_string),
        "[0-9T:+-Z.]{0,40}".prop_map(|t| toml_string(&t)),
        odd_text().prop_map(|t| toml_string(&t)),
    ]
}

/// Every field a profile has.
pub const PROFILE_FIELDS: [&str; 17] = [
    "api_key",
    "token",
    "api_secret",
    "app_name",
    "requested_scope",
    "granted_scope",
    "expiration",
    "storage",
    "member_id",
    "member_username",
    "member_full_name",
    "token_expires",
    "verified_at",
    "board_id",
    "board_name",
    "board_short_link",
    "logged_out",
];

/// A whole config file of valid TOML and the right shape: a working profile
/// with some fields replaced by [`toml_value`]s, the dates most often with
/// [`rfc3339`] edges; the top-level keys at their extremes too. `key` and
/// `token` are the profile's working pair.
pub fn config(key: &'static str, token: &'static str) -> impl Strategy<Value = String> {
    let version = prop::sample::select(vec!["1", "0", "-1", "4294967296", "18446744073709551615", "\"1\"", "1.5"]);
    let dates = (rfc3339(), rfc3339());
    let fields = prop::collection::vec((prop::sample::select(PROFILE_FIELDS.to_vec()), toml_value()), 0..5);
    let top =
        prop::option::of((prop::sample::select(vec!["default_profile", "keyring_id", "keyring_path"]), toml_value()));
    (version, dates, fields, top).prop_map(move |(version, (expires, verified), fields, top)| {
        let mut profile: Vec<(&str, String)> = vec![
            ("api_key", toml_string(key)),
            ("token", toml_string(token)),
            ("member_username", toml_string("ann")),
            ("token_expires", toml_string(&expires)),
            ("verified_at", toml_string(&verified)),
        ];
        for (field, value) in fields {
            // A key given twice is a parse error: the last value wins here.
            profile.retain(|(f, _)| *f != field);
            profile.push((field, value));
        }
        let mut text = format!("version = {version}\n");
        if let Some((key, value)) = top {
            text.push_str(&format!("{key} = {value}\n"));
        }
        text.push_str("[profiles.default]\n");
        for (field, value) in profile {
            text.push_str(&format!("{field} = {value}\n"));
        }
        text
    })
}

/// JSON of any shape, with the values outside data brings: huge and
/// precise numbers, odd text, deep nesting.
pub fn json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| n.into()),
        any::<u64>().prop_map(|n| n.into()),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)),
        odd_text().prop_map(serde_json::Value::String),
        rfc3339().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-zA-Z]{1,12}|\\PC{0,8}", inner), 0..6)
                .prop_map(|fields| serde_json::Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// `n` levels of arrays around `inner`: past any parser's depth limit.
pub fn nested(n: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(n), "]".repeat(n))
}
