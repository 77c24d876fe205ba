//! Time as the app shows it: RFC 3339 on the wire, a short UTC form on pages and in the
//! terminal. The store keeps milliseconds since the Unix epoch.

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// RFC 3339, UTC, milliseconds (`2026-12-04T16:18:10.000Z`): every JSON shape and CSV file.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_default()
}

/// Reads an RFC 3339 date-time back to milliseconds.
pub fn parse_rfc3339(s: &str) -> Result<i64, String> {
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|e| e.to_string())
}

/// A minute-precise UTC time for people (`2026-12-04 16:18 UTC`).
pub fn display(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// A calendar date, UTC (`2026-12-04`).
pub fn date(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// How long before `now` a time was, in words (`just now`, `5 minutes ago`, `3 days ago`);
/// past a month, the date.
pub fn ago(ms: i64, now: i64) -> String {
    let s = (now - ms).max(0) / 1000;
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    match s {
        0..60 => "just now".to_owned(),
        60..3600 => plural(s / 60, "minute"),
        3600..86_400 => plural(s / 3600, "hour"),
        86_400..2_592_000 => plural(s / 86_400, "day"),
        _ => date(ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ago_says_how_long_in_words() {
        let now = 1_796_401_090_123;
        assert_eq!(ago(now - 5_000, now), "just now");
        assert_eq!(ago(now - 60_000, now), "1 minute ago");
        assert_eq!(ago(now - 5 * 3_600_000, now), "5 hours ago");
        assert_eq!(ago(now - 3 * 86_400_000, now), "3 days ago");
        assert_eq!(ago(0, now), "1970-01-01");
        assert_eq!(ago(now + 10, now), "just now");
    }

    #[test]
    fn formats_read_back() {
        let ms = 1_796_401_090_123;
        assert_eq!(parse_rfc3339(&rfc3339(ms)), Ok(ms));
        assert_eq!(display(0), "1970-01-01 00:00 UTC");
        assert_eq!(date(0), "1970-01-01");
        assert!(parse_rfc3339("yesterday").is_err());
    }
}
