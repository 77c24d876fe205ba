//! Teams: the shapes of what a person types (a team's name and address, an invite's terms, a
//! focus topic's reason), and the pure computations over what the store holds: the dashboard
//! ([`dashboard`]), the trend ([`trend`]) and the 1:1 preparation ([`one_on_one`]). The
//! caller reads the store and the clock; nothing here does I/O but [`records`], which keeps
//! members' records between requests and reads the store for those that changed.

pub mod dashboard;
pub mod manage;
pub mod one_on_one;
pub mod records;
pub mod trend;

pub use dashboard::{Aggregate, Dashboard, DashboardJson, MatrixJson, Person};
pub use one_on_one::{Prep, PrepInput};
pub use records::{RecordsCache, TeamRecords};
pub use trend::{TrendPoint, TrendRow, trend_svg, trend_table, weekly_trend};

use crate::progress::Invalid;

fn invalid(message: impl Into<String>) -> Invalid {
    Invalid::Other(message.into())
}

/// A team's address (`/teams/{slug}`): 1 to 64 of `a`–`z`, `0`–`9` and `-`, neither first nor
/// last.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TeamSlug(String);

impl TeamSlug {
    pub const MAX: usize = 64;

    /// Reads an address as typed (spaces around it are dropped).
    pub fn parse(s: &str) -> Result<TeamSlug, Invalid> {
        let s = s.trim();
        if s.is_empty() {
            return Err(invalid("a team's address needs at least one character"));
        }
        if let Some(c) = s
            .chars()
            .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            return Err(invalid(format!(
                "a team's address is made of lowercase letters a to z, digits and '-'; {c:?} is not one of them"
            )));
        }
        if s.len() > Self::MAX {
            return Err(invalid(format!(
                "a team's address has at most {} characters",
                Self::MAX
            )));
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err(invalid("a team's address cannot begin or end with '-'"));
        }
        Ok(TeamSlug(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TeamSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address made from a team's name: its ASCII letters and digits in lower case, every run
/// of anything else one `-` (apostrophes vanish: "Ana's team" → `anas-team`), cut to
/// [`TeamSlug::MAX`]. A name with no ASCII letter or digit gives `team`. The caller makes it
/// unique (`-2`, `-3` …) when it is taken. Always a valid [`TeamSlug`].
pub fn slug_from_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(TeamSlug::MAX));
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
            if out.len() >= TeamSlug::MAX {
                break;
            }
        } else if c != '\'' && c != '\u{2019}' {
            dash = true;
        }
    }
    // ASCII only, so any byte is a character boundary.
    out.truncate(TeamSlug::MAX);
    let keep = out.trim_end_matches('-').len();
    out.truncate(keep);
    if out.is_empty() {
        out.push_str("team");
    }
    out
}

/// A team's name: trimmed, 1 to 80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TeamName(String);

impl TeamName {
    pub const MAX: usize = 80;

    pub fn parse(s: &str) -> Result<TeamName, Invalid> {
        let s = s.trim();
        let len = s.chars().count();
        if len == 0 || len > Self::MAX {
            return Err(invalid(format!(
                "a team name is 1 to {} characters (this one has {len})",
                Self::MAX
            )));
        }
        if s.chars().any(char::is_control) {
            return Err(invalid(
                "a team name is one line of text, without control characters",
            ));
        }
        Ok(TeamName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TeamName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How many times an invite link may be used and for how many days it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteTerms {
    /// 1 to [`InviteTerms::MAX_USES`] (`i64`, as the store counts uses).
    pub uses: i64,
    /// 1 to [`InviteTerms::MAX_DAYS`].
    pub days: i64,
}

impl InviteTerms {
    pub const DEFAULT_USES: i64 = 1;
    pub const MAX_USES: i64 = 1000;
    pub const DEFAULT_DAYS: i64 = 7;
    pub const MAX_DAYS: i64 = 90;

    /// Reads the two numbers as typed; one absent or blank takes its default (one use, seven
    /// days).
    pub fn parse(uses: Option<&str>, days: Option<&str>) -> Result<InviteTerms, Invalid> {
        let number = |s: Option<&str>, default: i64, max: i64, message: &str| match s
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(default),
            Some(s) => s
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| invalid(message)),
        };
        Ok(InviteTerms {
            uses: number(
                uses,
                Self::DEFAULT_USES,
                Self::MAX_USES,
                "an invite can be used 1 to 1000 times: give a whole number in that range",
            )?,
            days: number(
                days,
                Self::DEFAULT_DAYS,
                Self::MAX_DAYS,
                "an invite works for 1 to 90 days: give a whole number of days in that range",
            )?,
        })
    }

    /// When an invite made at `now` stops working.
    pub fn expires_at(&self, now: i64) -> i64 {
        now + self.days * leadmap_store::policy::DAY_MS
    }
}

/// Why a manager suggests a focus topic: trimmed, up to 500 characters on one line, no
/// control characters; empty is allowed (no reason given).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FocusReason(String);

impl FocusReason {
    pub const MAX: usize = 500;

    pub fn parse(s: &str) -> Result<FocusReason, Invalid> {
        let s = s.trim();
        let len = s.chars().count();
        if len > Self::MAX {
            return Err(invalid(format!(
                "a reason has at most {} characters (this one has {len})",
                Self::MAX
            )));
        }
        if s.chars().any(char::is_control) {
            return Err(invalid(
                "a reason is one line of text, without line breaks or control characters",
            ));
        }
        Ok(FocusReason(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The teams below `root` (not `root` itself), parents before children.
pub fn descendants(teams: &[leadmap_store::Team], root: i64) -> Vec<i64> {
    let mut children: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for t in teams {
        if let Some(p) = t.parent {
            children.entry(p).or_default().push(t.id);
        }
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::from([root]);
    let mut next = vec![root];
    while let Some(id) = next.pop() {
        for &c in children.get(&id).map_or(&[][..], Vec::as_slice) {
            if seen.insert(c) {
                out.push(c);
                next.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn message(e: Invalid) -> String {
        Error::from(e).to_string()
    }

    #[test]
    fn addresses_are_lowercase_words_joined_by_dashes() {
        assert_eq!(
            TeamSlug::parse(" platform-2 ").unwrap().as_str(),
            "platform-2"
        );
        assert_eq!(TeamSlug::parse("a").unwrap().as_str(), "a");
        assert!(TeamSlug::parse(&"a".repeat(64)).is_ok());
        for (bad, said) in [
            ("", "a team's address needs at least one character"),
            (
                "Platform",
                "a team's address is made of lowercase letters a to z, digits and '-'; 'P' is not one of them",
            ),
            (
                "plat form",
                "a team's address is made of lowercase letters a to z, digits and '-'; ' ' is not one of them",
            ),
            (
                "équipe",
                "a team's address is made of lowercase letters a to z, digits and '-'; 'é' is not one of them",
            ),
            ("-core", "a team's address cannot begin or end with '-'"),
            ("core-", "a team's address cannot begin or end with '-'"),
        ] {
            assert_eq!(message(TeamSlug::parse(bad).unwrap_err()), said, "{bad:?}");
        }
        assert_eq!(
            message(TeamSlug::parse(&"a".repeat(65)).unwrap_err()),
            "a team's address has at most 64 characters"
        );
    }

    #[test]
    fn an_address_made_from_a_name_is_always_valid() {
        for (name, slug) in [
            ("Platform Team", "platform-team"),
            ("  Ana's  team!! ", "anas-team"),
            ("SRE / On-call (EU)", "sre-on-call-eu"),
            ("Équipe Données", "quipe-donn-es"),
            ("Команда", "team"),
            ("---", "team"),
            ("", "team"),
        ] {
            let s = slug_from_name(name);
            assert_eq!(s, slug, "{name:?}");
            assert_eq!(TeamSlug::parse(&s).unwrap().as_str(), s);
        }
        let long = slug_from_name(&format!("{} tail", "x".repeat(63)));
        assert_eq!(
            long.as_str(),
            "x".repeat(63),
            "cut at 64, no dash left at the end"
        );
        assert!(TeamSlug::parse(long.as_str()).is_ok());
    }

    #[test]
    fn names_are_one_trimmed_line_of_1_to_80_characters() {
        assert_eq!(
            TeamName::parse("  Platform & Core ").unwrap().as_str(),
            "Platform & Core"
        );
        assert!(
            TeamName::parse(&"é".repeat(80)).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            message(TeamName::parse("   ").unwrap_err()),
            "a team name is 1 to 80 characters (this one has 0)"
        );
        assert_eq!(
            message(TeamName::parse(&"x".repeat(81)).unwrap_err()),
            "a team name is 1 to 80 characters (this one has 81)"
        );
        for bad in ["a\nb", "a\u{0}b", "a\u{9d}b"] {
            assert_eq!(
                message(TeamName::parse(bad).unwrap_err()),
                "a team name is one line of text, without control characters"
            );
        }
    }

    #[test]
    fn invite_terms_default_to_one_use_for_seven_days() {
        assert_eq!(
            InviteTerms::parse(None, None),
            Ok(InviteTerms { uses: 1, days: 7 })
        );
        assert_eq!(
            InviteTerms::parse(Some(" "), Some("")),
            Ok(InviteTerms { uses: 1, days: 7 })
        );
        assert_eq!(
            InviteTerms::parse(Some("1000"), Some(" 90 ")),
            Ok(InviteTerms {
                uses: 1000,
                days: 90
            })
        );
        for bad in ["0", "1001", "-1", "2.5", "ten", "99999999999"] {
            assert_eq!(
                message(InviteTerms::parse(Some(bad), None).unwrap_err()),
                "an invite can be used 1 to 1000 times: give a whole number in that range"
            );
        }
        for bad in ["0", "91", "x"] {
            assert_eq!(
                message(InviteTerms::parse(None, Some(bad)).unwrap_err()),
                "an invite works for 1 to 90 days: give a whole number of days in that range"
            );
        }
        let t = InviteTerms { uses: 1, days: 2 };
        assert_eq!(t.expires_at(1_000), 1_000 + 2 * 86_400_000);
    }

    #[test]
    fn a_reason_is_optional_and_one_line() {
        assert_eq!(FocusReason::parse("  ").unwrap().as_str(), "");
        assert_eq!(
            FocusReason::parse(" before the reorg ").unwrap().as_str(),
            "before the reorg"
        );
        assert!(FocusReason::parse(&"é".repeat(500)).is_ok());
        assert_eq!(
            message(FocusReason::parse(&"x".repeat(501)).unwrap_err()),
            "a reason has at most 500 characters (this one has 501)"
        );
        assert_eq!(
            message(FocusReason::parse("one\ntwo").unwrap_err()),
            "a reason is one line of text, without line breaks or control characters"
        );
    }
}
