//! Policy written once, above the backends: both call these instead of keeping literals of
//! their own, so SQLite and PostgreSQL cannot drift apart.

use crate::{Millis, Result, StoreError};

/// A session's `last_seen` and a token's `last_used` move only when the stored time is older
/// than this: a page load is not a write.
pub const LAST_SEEN_RESOLUTION_MS: Millis = 60_000;

/// Sign-in failures older than this are deleted (they count for nothing: every window the
/// server uses is shorter).
pub const SIGN_IN_FAILURE_RETENTION_MS: Millis = 24 * 3_600_000;

/// A status change that follows the same person's change of the same topic within this time
/// folds into that change's history row (a click on the wrong status and its correction are
/// one change; a change back to where the row started, an undo, removes the row). Rows older
/// than this are never changed. It bounds the history to one row per topic per five minutes.
pub const HISTORY_COALESCE_MS: Millis = 5 * 60_000;

/// The most changes one [`crate::HistoryStore::history`] call returns.
pub const HISTORY_PAGE_MAX: u32 = 1_000;

/// A UTC day, the unit of the history's day table.
pub const DAY_MS: Millis = 86_400_000;

/// Whether a status counts as finished (done or skipped) in percent done.
pub fn finished(s: Option<crate::Status>) -> bool {
    matches!(s, Some(crate::Status::Done | crate::Status::Skipped))
}

/// Whether a use at `now` moves the stored `last` (a session's `last_seen`, a token's
/// `last_used`, unset when the token was never used).
pub fn bumps_last_seen(last: Option<Millis>, now: Millis) -> bool {
    last.is_none_or(|t| now - t > LAST_SEEN_RESOLUTION_MS)
}

/// Failures recorded before this moment are deleted at `now`.
pub fn sign_in_failure_cutoff(now: Millis) -> Millis {
    now.saturating_sub(SIGN_IN_FAILURE_RETENTION_MS)
}

/// Text every backend can keep: PostgreSQL cannot store a NUL character (U+0000) in `text`,
/// so no backend does. Called by both backends on every text argument before any SQL runs.
pub fn check_text(s: &str) -> Result<()> {
    if s.contains('\0') {
        Err(StoreError::Invalid(
            "text must not contain a NUL character (U+0000)".into(),
        ))
    } else {
        Ok(())
    }
}

/// [`check_text`] on each of several texts.
pub fn check_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<()> {
    texts.into_iter().try_for_each(check_text)
}

/// The bigint a PostgreSQL advisory lock on a sign-in key takes: the key's first 8 bytes.
pub(crate) fn lock_id(key: &[u8; 32]) -> i64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&key[..8]);
    i64::from_be_bytes(b)
}

/// When a full key (`in_window`: its failure times in the window, oldest first, at least
/// `limit` of them) has room again: the first millisecond at which the failure at position
/// `len - limit` (the oldest, when the key holds exactly its limit) is out of a window of
/// length `window` (a window counts failures at or after `now - window`).
pub(crate) fn retry_at(in_window: &[Millis], limit: i64, window: Millis) -> Millis {
    let i = (in_window.len() as i64 - limit).max(0) as usize;
    in_window
        .get(i)
        .or(in_window.last())
        .map_or(0, |at| at + window + 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn last_seen_moves_only_after_the_resolution() {
        assert!(bumps_last_seen(None, 0));
        assert!(!bumps_last_seen(Some(0), LAST_SEEN_RESOLUTION_MS));
        assert!(bumps_last_seen(Some(0), LAST_SEEN_RESOLUTION_MS + 1));
    }

    #[test]
    fn text_with_a_nul_is_refused() {
        assert!(check_text("fine ünïcode").is_ok());
        let err = check_texts(["ok", "a\0b"]).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        assert_eq!(
            err.to_string(),
            "text must not contain a NUL character (U+0000)"
        );
    }

    #[test]
    fn a_full_key_has_room_when_its_oldest_failure_leaves() {
        assert_eq!(retry_at(&[10, 20, 30], 3, 100), 111);
        assert_eq!(retry_at(&[10, 20, 30, 40], 3, 100), 121);
        assert_eq!(lock_id(&[0xff; 32]), -1);
    }
}
