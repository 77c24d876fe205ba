//! The practice-assessment scale: how far an organisation or a team has established a practice.
//!
//! Five levels, in order, and "not applicable". The level's number (1–5) is what a person types
//! and what means and indexes are computed from; "not applicable" counts in no mean.

use serde::Serialize;

/// A level on the five-level maturity scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Nobody does it.
    Absent,
    /// Some people do it, each their own way, when they remember.
    AdHoc,
    /// Written down: how it is done, who does it.
    Defined,
    /// Done as written, everywhere it applies, by habit.
    Practised,
    /// Measured and changed on purpose from what is learned.
    Improving,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Absent,
        Level::AdHoc,
        Level::Defined,
        Level::Practised,
        Level::Improving,
    ];

    /// The word kept in files, databases and the API: `absent`, `ad-hoc`, `defined`,
    /// `practised`, `improving`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Absent => "absent",
            Level::AdHoc => "ad-hoc",
            Level::Defined => "defined",
            Level::Practised => "practised",
            Level::Improving => "improving",
        }
    }

    /// The name people read: "Absent", "Ad hoc", …
    pub fn label(self) -> &'static str {
        match self {
            Level::Absent => "Absent",
            Level::AdHoc => "Ad hoc",
            Level::Defined => "Defined",
            Level::Practised => "Practised",
            Level::Improving => "Improving",
        }
    }

    /// 1 (absent) to 5 (improving).
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    pub fn from_number(n: u8) -> Option<Level> {
        Level::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// A level from its word, its label or its number, without regard to case, spaces,
    /// hyphens or underscores (`ad hoc`, `Ad-hoc`, `AD_HOC`, `2`; `practiced` too).
    pub fn parse(s: &str) -> Option<Level> {
        let s = s.trim();
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok().and_then(Level::from_number);
        }
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "absent" => Some(Level::Absent),
            "adhoc" => Some(Level::AdHoc),
            "defined" => Some(Level::Defined),
            "practised" | "practiced" => Some(Level::Practised),
            "improving" => Some(Level::Improving),
            _ => None,
        }
    }
}

/// A practice's rating: a level, or "not applicable" (counted in no mean).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    Level(Level),
    NotApplicable,
}

impl Rating {
    /// The word kept in files, databases and the API: a level's word or `not-applicable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Level(l) => l.as_str(),
            Rating::NotApplicable => "not-applicable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Level(l) => l.label(),
            Rating::NotApplicable => "Not applicable",
        }
    }

    /// A rating from a level's word, label or number, or `n/a`, `na`, `n`, `not applicable`.
    pub fn parse(s: &str) -> Option<Rating> {
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_' | '/'))
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "na" | "n" | "notapplicable" => Some(Rating::NotApplicable),
            _ => Level::parse(s).map(Rating::Level),
        }
    }

    pub fn level(self) -> Option<Level> {
        match self {
            Rating::Level(l) => Some(l),
            Rating::NotApplicable => None,
        }
    }
}

impl Serialize for Rating {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The mean level (1.0–5.0) of the rated, applicable practices; `None` when there are none.
pub fn mean(levels: impl IntoIterator<Item = Level>) -> Option<f64> {
    let (mut sum, mut n) = (0u32, 0u32);
    for l in levels {
        sum += u32::from(l.number());
        n += 1;
    }
    (n > 0).then(|| f64::from(sum) / f64::from(n))
}

/// The index of an assessment: the mean level as a percentage of the way from absent (0) to
/// improving (100), so that "the index rose from 42 to 51" reads without knowing the scale.
pub fn index(levels: impl IntoIterator<Item = Level>) -> Option<f64> {
    mean(levels).map(|m| (m - 1.0) * 25.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_reads_back_from_its_word_label_and_number() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
            assert_eq!(Level::parse(l.label()), Some(l));
            assert_eq!(Level::parse(&l.number().to_string()), Some(l));
            assert_eq!(Level::from_number(l.number()), Some(l));
        }
        assert_eq!(Level::parse("AD_HOC"), Some(Level::AdHoc));
        assert_eq!(Level::parse("practiced"), Some(Level::Practised));
        for bad in [
            "",
            "0",
            "6",
            "excellent",
            "-1",
            "1.5",
            "-",
            "01x",
            "99999999999999999999",
        ] {
            assert_eq!(Level::parse(bad), None, "{bad}");
        }
        assert_eq!(Level::from_number(0), None);
        assert_eq!(Level::from_number(6), None);
    }

    #[test]
    fn not_applicable_has_its_own_words_and_counts_in_no_mean() {
        for w in ["n/a", "N/A", "na", "n", "not applicable", "not-applicable"] {
            assert_eq!(Rating::parse(w), Some(Rating::NotApplicable), "{w}");
        }
        assert_eq!(
            Rating::parse("defined"),
            Some(Rating::Level(Level::Defined))
        );
        assert_eq!(mean([]), None);
        assert_eq!(mean([Level::Absent, Level::Improving]), Some(3.0));
        assert_eq!(index([Level::Absent]), Some(0.0));
        assert_eq!(index([Level::Improving]), Some(100.0));
        assert_eq!(index([Level::Defined, Level::Practised]), Some(62.5));
    }
}
