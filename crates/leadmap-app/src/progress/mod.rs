//! A person's progress: statuses and notes as the app accepts them, marking a topic, and the
//! progress files it writes and reads back (JSON and CSV). The web page, the API and the CLI
//! all go through these functions, so they check the same limits and say the same words.

use leadmap_core::progress::Status;
use leadmap_store::{Evidence, Plan, Progress, Store, UserId};

mod files;
pub mod plan;
mod wire;

pub use files::{
    CSV_HEADER, Format, Incoming, ProgressFile, ReadError, check, read, statuses_for, to_csv,
};
pub use wire::{Record, RoadmapListItem, RoadmapProgress, StoredRecord};

use crate::Error;
use crate::catalog::Entry;

/// Input the app refuses, with the words every interface uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("unknown status {0:?}: use pending, learning, done or skipped")]
    Status(String),
    #[error("a note has at most {max} characters (this one has {len})")]
    NoteTooLong { max: usize, len: usize },
    #[error("{0} must not contain a NUL character (U+0000)")]
    Nul(&'static str),
    #[error("{what} has at most {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("{0} needs at least one visible character")]
    Empty(&'static str),
    #[error("not a date: {0:?}: use YYYY-MM-DD, a year from 2000 to 2999")]
    Date(String),
    #[error("no roadmap {0:?}")]
    Roadmap(String),
    #[error("not a page cursor: use the `next` value of the page before")]
    Cursor,
    #[error("{0}")]
    EvidenceUrl(String),
    /// Anything else, in its own words.
    #[error("{0}")]
    Other(String),
}

/// A status word as the API documents it: `pending`, `learning`, `done` or `skipped`, exactly.
pub fn parse_status(s: &str) -> Result<Status, Invalid> {
    Status::ALL
        .into_iter()
        .find(|st| st.as_str() == s)
        .ok_or_else(|| Invalid::Status(s.to_owned()))
}

/// A note: at most [`Note::MAX`] characters, no NUL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    /// The longest note kept, in characters.
    pub const MAX: usize = 10_000;

    pub fn parse(s: &str) -> Result<Note, Invalid> {
        let len = s.chars().count();
        if len > Self::MAX {
            return Err(Invalid::NoteTooLong {
                max: Self::MAX,
                len,
            });
        }
        if s.contains('\0') {
            return Err(Invalid::Nul("a note"));
        }
        Ok(Note(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short piece of text a person names something with (a token's name, say): trimmed,
/// 1 to `max` characters, no control characters.
pub fn short_text(s: &str, what: &'static str, max: usize) -> Result<String, Invalid> {
    let s = s.trim();
    if s.chars().count() > max {
        return Err(Invalid::TooLong { what, max });
    }
    if s.contains('\0') {
        return Err(Invalid::Nul(what));
    }
    // Control characters are dropped; what is left must still be a word, not nothing (a
    // label of one U+0001 was kept as an empty one).
    let kept: String = s.chars().filter(|c| !c.is_control()).collect();
    if kept.trim().is_empty() {
        return Err(Invalid::Empty(what));
    }
    Ok(kept.trim().to_owned())
}

/// Sets a person's status on a topic of `entry`. With no `status`, the stored one is kept (a
/// form that saves only the note); with no `note`, the stored note is kept.
pub async fn mark(
    store: &dyn Store,
    user: UserId,
    entry: &Entry,
    topic: &str,
    status: Option<Status>,
    note: Option<&Note>,
    now: i64,
) -> Result<Progress, Error> {
    if !entry.has_topic(topic) {
        return Err(Error::UnknownTopic {
            roadmap: entry.id.clone(),
            topic: topic.to_owned(),
        });
    }
    let status = match status {
        Some(s) => s,
        None => store
            .progress(user, &entry.id)
            .await?
            .into_iter()
            .find(|p| p.topic == topic)
            .map(|p| p.status)
            .unwrap_or_default(),
    };
    Ok(store
        .set_progress(user, &entry.id, topic, status, note.map(Note::as_str), now)
        .await?)
}

/// A progress write as the API makes it: the plan's changes first when given (the target day:
/// `Some(None)` clears it; the evidence links, replacing them all), then the status and, when
/// given, the note; answers the record with the topic's plan. On PostgreSQL the record's write
/// and the plan's read are one round trip.
#[allow(clippy::too_many_arguments)]
pub async fn mark_with_plan(
    store: &dyn Store,
    user: UserId,
    entry: &Entry,
    topic: &str,
    status: Status,
    note: Option<&Note>,
    due: Option<Option<i64>>,
    links: Option<&[Evidence]>,
    now: i64,
) -> Result<(Progress, Plan), Error> {
    if !entry.has_topic(topic) {
        return Err(Error::UnknownTopic {
            roadmap: entry.id.clone(),
            topic: topic.to_owned(),
        });
    }
    if let Some(d) = due {
        store.set_due(user, &entry.id, topic, d).await?;
    }
    if let Some(l) = links {
        store.set_evidence(user, &entry.id, topic, l).await?;
    }
    Ok(store
        .set_progress_with_plan(user, &entry.id, topic, status, note.map(Note::as_str), now)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn statuses_are_the_documented_words_exactly() {
        assert_eq!(parse_status("done"), Ok(Status::Done));
        for bad in [" DONE ", "Done", "finished", ""] {
            assert_eq!(
                parse_status(bad).unwrap_err().to_string(),
                format!("unknown status {bad:?}: use pending, learning, done or skipped")
            );
        }
    }

    #[test]
    fn notes_are_bounded_and_refuse_nul() {
        assert!(Note::parse(&"x".repeat(Note::MAX)).is_ok());
        assert_eq!(
            Note::parse(&"x".repeat(Note::MAX + 1))
                .unwrap_err()
                .to_string(),
            "a note has at most 10000 characters (this one has 10001)"
        );
        assert_eq!(Note::parse("a\0b").unwrap_err(), Invalid::Nul("a note"));
    }

    #[test]
    fn a_short_text_is_a_visible_word() {
        assert_eq!(
            short_text("  Q1 goals ", "a label", 100),
            Ok("Q1 goals".into())
        );
        assert_eq!(short_text("a\u{7}b", "a label", 100), Ok("ab".into()));
        // Found by the fuzzer: control characters alone were kept as an empty text.
        for nothing in ["", "   ", "\u{1}", "\u{1} \u{1f}", " \u{85} "] {
            assert_eq!(
                short_text(nothing, "a label", 100).unwrap_err().to_string(),
                "a label needs at least one visible character",
                "{nothing:?}"
            );
        }
        assert_eq!(
            short_text(&"x".repeat(101), "a label", 100)
                .unwrap_err()
                .to_string(),
            "a label has at most 100 characters"
        );
    }

    #[test]
    fn what_is_exported_reads_back() {
        let recs = vec![Progress {
            roadmap: "engineering-leadership".into(),
            topic: "define-core-values".into(),
            status: Status::Done,
            note: "values \"workshop\", held".into(),
            updated_at: 1_796_401_090_000,
        }];
        let catalog = Catalog::bundled();
        let json = ProgressFile::new("engineering-leadership", Some("ana"), &recs).to_json();
        let back = read("me.json", json.as_bytes(), Format::Json, None).unwrap();
        assert_eq!(check(back, &catalog, 0).unwrap(), recs);
        let csv = to_csv(&recs).unwrap();
        let back = read("me.csv", &csv, Format::sniff(&csv), None).unwrap();
        assert_eq!(check(back, &catalog, 0).unwrap(), recs);
        // The account page's export, every roadmap of it.
        let account = serde_json::json!({
            "format": "leadmap-export/1",
            "progress": ProgressFile::per_roadmap(&recs),
        });
        let bytes = account.to_string();
        let back = read("all.json", bytes.as_bytes(), Format::Json, None).unwrap();
        assert_eq!(check(back, &catalog, 0).unwrap(), recs);
    }

    #[test]
    fn a_progress_file_colours_its_roadmap() {
        let flat = br#"{"define-core-values": "done", "x": "finished"}"#;
        let (map, warnings) = statuses_for("p.json", flat, "engineering-leadership").unwrap();
        assert_eq!(map.get("define-core-values"), Some(&Status::Done));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("unknown status \"finished\""));
        let other = br#"{"roadmap": "engineering-manager", "topics": {"a": "done"}}"#;
        let (map, warnings) = statuses_for("q.json", other, "engineering-leadership").unwrap();
        assert!(map.is_empty());
        assert!(warnings[0].contains("not of \"engineering-leadership\""));
    }

    #[test]
    fn a_bad_file_names_every_problem() {
        let csv = "topic,status,note\ndefine-core-values,finished,\nno-such-topic,done,\n";
        let back = read(
            "x.csv",
            csv.as_bytes(),
            Format::Csv,
            Some("engineering-leadership"),
        );
        let errors = check(back.unwrap(), &Catalog::bundled(), 0).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("x.csv:2: unknown status \"finished\""));
        assert!(errors[1].contains("has no topic \"no-such-topic\""));
        assert_eq!(
            read("y.json", b"{\"topics\": {}}", Format::Json, None)
                .unwrap_err()
                .to_string(),
            "y.json: the file names no roadmap: pass --roadmap ID"
        );
    }
}
