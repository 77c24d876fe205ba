//! Practice assessments: what a person types (a title, a level, a rationale, evidence links,
//! an owner, a next step and its due date) checked once for every interface; starting an
//! assessment as a copy of the last one; rating a practice; and the pure computations over
//! what the store holds ([`compute`]: levels per area, the organisation view, history,
//! comparison), the files ([`files`]: CSV and JSON, out and in) and the report ([`report`]).
//!
//! Who may do what is decided by the caller (the web app's access layer; the CLI is the
//! operator). Nothing here reads the clock.

pub mod compute;
pub mod files;
pub mod pictures;
pub mod report;
pub mod synthetic;

use std::collections::HashMap;

use leadmap_core::assessment::Rating;
use leadmap_store::{
    Assessed, Assessment, AssessmentState, NewAssessment, PracticeRating, RatingChange, Store,
    Team, User, UserId, UserName,
};

use crate::catalog::Entry;
use crate::progress::Invalid;
use crate::progress::plan::{due, evidence};

/// The longest title, in characters.
pub const TITLE_MAX: usize = 100;
/// The longest rationale, in characters.
pub const RATIONALE_MAX: usize = 4_000;
/// The longest next step, in characters.
pub const NEXT_STEP_MAX: usize = 1_000;
/// The most evidence links one practice keeps.
pub const EVIDENCE_MAX: usize = 20;

fn invalid(message: impl Into<String>) -> Invalid {
    Invalid::Other(message.into())
}

/// What every interface says when a level is not on the scale.
pub const LEVELS_HINT: &str =
    "use absent, ad hoc, defined, practised, improving (or 1 to 5), or n/a for not applicable";

/// A rating as typed: a level's word, label or number, or n/a.
pub fn rating(s: &str) -> Result<Rating, Invalid> {
    Rating::parse(s.trim()).ok_or_else(|| {
        let shown: String = s.trim().chars().take(40).collect();
        invalid(format!("{shown:?} is not a level: {LEVELS_HINT}"))
    })
}

fn text(what: &'static str, s: &str, max: usize) -> Result<String, Invalid> {
    let s = s.trim();
    if s.contains('\0') {
        return Err(Invalid::Nul(what));
    }
    if s.chars().count() > max {
        return Err(Invalid::TooLong { what, max });
    }
    Ok(s.to_owned())
}

/// A title: 1 to [`TITLE_MAX`] characters on one line.
pub fn title(s: &str) -> Result<String, Invalid> {
    let t = text("a title", s, TITLE_MAX)?;
    if t.is_empty() {
        return Err(Invalid::Empty("a title"));
    }
    if t.contains(['\n', '\r']) {
        return Err(invalid("a title is one line"));
    }
    Ok(t)
}

pub fn rationale(s: &str) -> Result<String, Invalid> {
    text("a rationale", s, RATIONALE_MAX)
}

pub fn next_step(s: &str) -> Result<String, Invalid> {
    text("a next step", s, NEXT_STEP_MAX)
}

/// Evidence links: each an http(s) URL with a host (a `javascript:` URL is refused), at most
/// [`EVIDENCE_MAX`]; empty lines are dropped.
pub fn evidence_links<S: AsRef<str>>(links: &[S]) -> Result<Vec<String>, Invalid> {
    let links: Vec<&str> = links
        .iter()
        .map(|l| l.as_ref().trim())
        .filter(|l| !l.is_empty())
        .collect();
    if links.len() > EVIDENCE_MAX {
        return Err(invalid(format!(
            "a practice keeps at most {EVIDENCE_MAX} evidence links ({} given)",
            links.len()
        )));
    }
    links
        .into_iter()
        .map(|l| evidence(l, "").map(|e| e.url))
        .collect()
}

/// A day as typed (`YYYY-MM-DD`), and as written back.
pub use crate::activity::{day_date as date, parse_day as day};

/// A rating change as a person typed it: every field optional (absent: unchanged). The owner
/// is a user name ("" clears it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatingInput {
    pub rating: Option<String>,
    pub rationale: Option<String>,
    pub evidence: Option<Vec<String>>,
    pub owner: Option<String>,
    pub next_step: Option<String>,
    pub due: Option<String>,
}

/// People by the name one types, for owners.
#[derive(Debug, Default)]
pub struct People {
    by_key: HashMap<String, User>,
    by_id: HashMap<UserId, User>,
}

impl People {
    pub fn new(users: Vec<User>) -> People {
        let mut p = People::default();
        for u in users {
            p.by_key.insert(u.name.to_lowercase(), u.clone());
            p.by_id.insert(u.id, u);
        }
        p
    }

    pub async fn load(store: &dyn Store) -> Result<People, crate::Error> {
        Ok(People::new(store.users().await?))
    }

    pub fn by_name(&self, name: &str) -> Option<&User> {
        let key = UserName::parse(name.trim()).ok()?.key();
        self.by_key.get(&key)
    }

    /// Everyone, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &User> {
        self.by_id.values()
    }

    pub fn get(&self, id: UserId) -> Option<&User> {
        self.by_id.get(&id)
    }

    /// The user name of a person (`None` for nobody or a deleted account).
    pub fn name(&self, id: Option<UserId>) -> Option<&str> {
        id.and_then(|i| self.get(i)).map(|u| u.name.as_str())
    }

    /// The name to show.
    pub fn shown(&self, id: Option<UserId>) -> Option<&str> {
        id.and_then(|i| self.get(i)).map(|u| u.shown_name())
    }
}

impl RatingInput {
    /// The change to store, every field checked.
    pub fn check(&self, people: &People) -> Result<RatingChange, Invalid> {
        Ok(RatingChange {
            rating: self.rating.as_deref().map(rating).transpose()?,
            rationale: self.rationale.as_deref().map(rationale).transpose()?,
            evidence: self.evidence.as_deref().map(evidence_links).transpose()?,
            owner: match self.owner.as_deref().map(str::trim) {
                None => None,
                Some("") => Some(None),
                Some(n) => Some(Some(
                    people
                        .by_name(n)
                        .ok_or_else(|| {
                            let shown: String = n.chars().take(60).collect();
                            invalid(format!("no person named {shown:?} to own this practice"))
                        })?
                        .id,
                )),
            },
            next_step: self.next_step.as_deref().map(next_step).transpose()?,
            due_day: self.due.as_deref().map(due).transpose()?,
        })
    }
}

/// The roadmap version an assessment is made on: a published roadmap's current version, 0
/// for a bundled one.
pub fn version_of(current: &crate::publish::Current) -> i64 {
    current.record.as_ref().map_or(0, |r| r.version)
}

/// The assessment a new one of the same owner and roadmap starts from: the latest published,
/// else the latest draft.
pub fn last_of<'a>(
    all: &'a [Assessment],
    assessed: Assessed,
    roadmap: &str,
) -> Option<&'a Assessment> {
    let mine = || {
        all.iter()
            .filter(move |a| a.assessed == assessed && a.roadmap == roadmap)
    };
    let key = |a: &&Assessment| (a.assessed_on, a.id);
    mine()
        .filter(|a| a.state == AssessmentState::Published)
        .max_by_key(key)
        .or_else(|| mine().max_by_key(key))
}

/// Starts an assessment of `assessed` on the roadmap: a draft holding a copy of the ratings
/// of the last one (see [`last_of`]) for the practices the roadmap still has.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    store: &dyn Store,
    entry: &Entry,
    version: i64,
    assessed: Assessed,
    title_text: &str,
    on: i64,
    by: Option<UserId>,
    now: i64,
) -> Result<Assessment, crate::Error> {
    let title_text = title(title_text)?;
    let all = store.assessments().await?;
    let from = last_of(&all, assessed, &entry.id).map(|a| a.id);
    let keep = entry.topics.clone();
    let new = NewAssessment {
        assessed,
        roadmap: &entry.id,
        roadmap_version: version,
        title: &title_text,
        assessed_on: on,
        created_by: by,
        copy_from: from.map(|id| (id, keep.as_slice())),
    };
    Ok(store.create_assessment(&new, now).await?)
}

/// Rates one practice of a draft: the practice must be one of the roadmap's.
pub async fn rate(
    store: &dyn Store,
    entry: &Entry,
    a: &Assessment,
    topic: &str,
    change: &RatingChange,
    by: Option<UserId>,
    now: i64,
) -> Result<PracticeRating, crate::Error> {
    if !entry.has_topic(topic) {
        return Err(crate::Error::UnknownTopic {
            roadmap: entry.id.clone(),
            topic: topic.to_owned(),
        });
    }
    store
        .rate(a.id, topic, change, by, now)
        .await?
        .ok_or_else(|| crate::Error::Invalid(invalid("the assessment is gone")))
}

/// Who an assessment is of, in words: "The organisation" or the team's name.
pub fn owner_name(assessed: Assessed, teams: &[Team]) -> String {
    match assessed {
        Assessed::Organisation => "The organisation".into(),
        Assessed::Team(id) => teams
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| "a deleted team".into(), |t| t.name.clone()),
    }
}

/// Ratings by topic.
pub fn by_topic(ratings: Vec<PracticeRating>) -> HashMap<String, PracticeRating> {
    ratings.into_iter().map(|r| (r.topic.clone(), r)).collect()
}

/// The ratings of each of these assessments, by assessment id then topic.
pub async fn ratings_of(
    store: &dyn Store,
    ids: &[i64],
) -> Result<HashMap<i64, HashMap<String, PracticeRating>>, crate::Error> {
    let mut out: HashMap<i64, HashMap<String, PracticeRating>> =
        ids.iter().map(|id| (*id, HashMap::new())).collect();
    for (id, r) in store.ratings(ids).await? {
        out.entry(id).or_default().insert(r.topic.clone(), r);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadmap_core::assessment::Level;

    #[test]
    fn a_level_is_read_in_every_spelling_and_refused_off_the_scale() {
        assert_eq!(rating(" Ad hoc ").unwrap(), Rating::Level(Level::AdHoc));
        assert_eq!(rating("5").unwrap(), Rating::Level(Level::Improving));
        assert_eq!(rating("N/A").unwrap(), Rating::NotApplicable);
        for bad in ["6", "0", "great", "", "3.5"] {
            let e = rating(bad).unwrap_err().to_string();
            assert!(e.contains("is not a level: use absent, ad hoc"), "{e}");
        }
    }

    #[test]
    fn evidence_is_an_http_link_and_never_a_script() {
        assert_eq!(
            evidence_links(&["  https://wiki.example.com/x ", "", "http://a.example"]).unwrap(),
            ["https://wiki.example.com/x", "http://a.example"]
        );
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<b>",
            "wiki page",
            "https://",
            "https://a.example/x y",
        ] {
            assert!(evidence_links(&[bad]).is_err(), "{bad}");
        }
        let many: Vec<String> = (0..21).map(|i| format!("https://e.example/{i}")).collect();
        assert!(evidence_links(&many).is_err());
    }

    #[test]
    fn a_title_is_one_short_line() {
        assert_eq!(title("  Q1 2027 ").unwrap(), "Q1 2027");
        assert!(title("  ").is_err());
        assert!(title("a\nb").is_err());
        assert!(title(&"x".repeat(101)).is_err());
    }

    #[test]
    fn a_new_assessment_starts_from_the_last_published_one() {
        let a = |id, on, state| Assessment {
            id,
            assessed: Assessed::Organisation,
            roadmap: "r".into(),
            roadmap_version: 0,
            title: String::new(),
            assessed_on: on,
            state,
            based_on: None,
            created_by: None,
            created_at: 0,
            published_at: None,
        };
        let all = [
            a(1, 10, AssessmentState::Published),
            a(2, 20, AssessmentState::Published),
            a(3, 30, AssessmentState::Draft),
        ];
        assert_eq!(
            last_of(&all, Assessed::Organisation, "r").map(|a| a.id),
            Some(2)
        );
        assert_eq!(
            last_of(&all[2..], Assessed::Organisation, "r").map(|a| a.id),
            Some(3)
        );
        assert_eq!(last_of(&all, Assessed::Team(1), "r"), None);
        assert_eq!(last_of(&all, Assessed::Organisation, "other"), None);
    }
}
