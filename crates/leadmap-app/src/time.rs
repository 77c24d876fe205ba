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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_back() {
        let ms = 1_796_401_090_123;
        assert_eq!(parse_rfc3339(&rfc3339(ms)), Ok(ms));
        assert_eq!(display(0), "1970-01-01 00:00 UTC");
        assert_eq!(date(0), "1970-01-01");
        assert!(parse_rfc3339("yesterday").is_err());
    }
}
