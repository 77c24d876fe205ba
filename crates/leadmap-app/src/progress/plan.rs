//! A topic's plan: a target date and evidence links, as every interface accepts them.

use leadmap_store::{Evidence, Plan, Store, UserId};
use serde::{Deserialize, Serialize};

use super::Invalid;
use crate::Error;
use crate::activity::{day_date, parse_day};
use crate::catalog::Entry;

/// The longest evidence URL, in characters.
pub const URL_MAX: usize = 2_000;
/// The longest evidence label, in characters.
pub const LABEL_MAX: usize = 200;
/// The most evidence links a topic keeps.
pub const LINKS_MAX: usize = 20;

/// An evidence link as the API and the files write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceItem {
    pub url: String,
    #[serde(default)]
    pub label: String,
}

impl From<&Evidence> for EvidenceItem {
    fn from(e: &Evidence) -> EvidenceItem {
        EvidenceItem {
            url: e.url.clone(),
            label: e.label.clone(),
        }
    }
}

/// An evidence link: an `http` or `https` URL of at most [`URL_MAX`] characters with a host,
/// no spaces or control characters; a label of at most [`LABEL_MAX`] (trimmed; may be empty:
/// the URL is shown).
pub fn evidence(url: &str, label: &str) -> Result<Evidence, Invalid> {
    let url = url.trim();
    let len = url.chars().count();
    if len > URL_MAX {
        return Err(Invalid::EvidenceUrl(format!(
            "an evidence URL has at most {URL_MAX} characters (this one has {len})"
        )));
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        let shown: String = url.chars().take(60).collect();
        return Err(Invalid::EvidenceUrl(format!(
            "an evidence link must be an http:// or https:// URL, not {shown:?}"
        )));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(Invalid::EvidenceUrl(
            "an evidence URL needs a host (https://example.com/…)".into(),
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Invalid::EvidenceUrl(
            "an evidence URL has no spaces or control characters".into(),
        ));
    }
    let label = label.trim();
    let n = label.chars().count();
    if n > LABEL_MAX {
        return Err(Invalid::EvidenceUrl(format!(
            "an evidence label has at most {LABEL_MAX} characters (this one has {n})"
        )));
    }
    if label.contains('\0') {
        return Err(Invalid::Nul("an evidence label"));
    }
    Ok(Evidence {
        url: url.to_owned(),
        label: label.chars().filter(|c| !c.is_control()).collect(),
    })
}

/// The links of a topic: each checked, at most [`LINKS_MAX`].
pub fn evidence_list(items: &[EvidenceItem]) -> Result<Vec<Evidence>, Invalid> {
    if items.len() > LINKS_MAX {
        return Err(Invalid::EvidenceUrl(format!(
            "a topic keeps at most {LINKS_MAX} evidence links ({} given)",
            items.len()
        )));
    }
    items.iter().map(|e| evidence(&e.url, &e.label)).collect()
}

/// A target date as typed: empty clears it; else `YYYY-MM-DD`, a year from 2000 to 2999.
pub fn due(s: &str) -> Result<Option<i64>, Invalid> {
    match s.trim() {
        "" => Ok(None),
        s => parse_day(s).map(Some),
    }
}

/// The target date written back (`YYYY-MM-DD`).
pub fn due_text(day: Option<i64>) -> Option<String> {
    day.map(day_date)
}

/// Sets a topic's plan: the target day when `due` is given (`Some(None)` clears it), the
/// evidence links when `links` is given (replacing them all).
pub async fn set_plan(
    store: &dyn Store,
    user: UserId,
    entry: &Entry,
    topic: &str,
    due: Option<Option<i64>>,
    links: Option<&[Evidence]>,
) -> Result<Plan, Error> {
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
    plan_of(store, user, &entry.id, topic).await
}

/// One topic's plan (empty when it has none).
pub async fn plan_of(
    store: &dyn Store,
    user: UserId,
    roadmap: &str,
    topic: &str,
) -> Result<Plan, Error> {
    Ok(store.plan(user, roadmap, topic).await?)
}

pub fn plan_of_me(plans: &[Plan], topic: &str) -> Vec<Evidence> {
    plans
        .iter()
        .find(|p| p.topic == topic)
        .map(|p| p.evidence.clone())
        .unwrap_or_default()
}

/// Plans as the export writes them and the import reads them back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    pub roadmap: String,
    pub topic: String,
    #[serde(default)]
    pub due: Option<String>,
    #[serde(default)]
    pub evidence: Vec<EvidenceItem>,
}

impl From<&Plan> for PlanItem {
    fn from(p: &Plan) -> PlanItem {
        PlanItem {
            roadmap: p.roadmap.clone(),
            topic: p.topic.clone(),
            due: due_text(p.due_day),
            evidence: p.evidence.iter().map(EvidenceItem::from).collect(),
        }
    }
}

impl PlanItem {
    /// The plan, every value checked as if typed.
    pub fn check(&self) -> Result<Plan, Invalid> {
        Ok(Plan {
            roadmap: self.roadmap.clone(),
            topic: self.topic.clone(),
            due_day: due(self.due.as_deref().unwrap_or_default())?,
            evidence: evidence_list(&self.evidence)?,
        })
    }
}

/// The `plans` of an account export (JSON), every one checked (values and topics) before any
/// is used: all the problems at once, `file: …` each. A file without `plans` has none.
pub fn read_plans(
    file: &str,
    bytes: &[u8],
    catalog: &crate::Catalog,
) -> Result<Vec<Plan>, Vec<String>> {
    #[derive(Deserialize)]
    struct WithPlans {
        #[serde(default)]
        plans: Vec<PlanItem>,
    }
    let parsed: WithPlans = match serde_json::from_slice(bytes) {
        Ok(p) => p,
        Err(e) => return Err(vec![format!("{file}: plans: {e}")]),
    };
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in parsed.plans.iter().enumerate() {
        match catalog.get(&item.roadmap) {
            Some(e) if e.has_topic(&item.topic) => {}
            _ => {
                errors.push(format!(
                    "{file}: plans[{i}]: no topic {:?} in roadmap {:?}",
                    item.topic, item.roadmap
                ));
                continue;
            }
        }
        match item.check() {
            Ok(p) => plans.push(p),
            Err(e) => errors.push(format!("{file}: plans[{i}] ({}): {e}", item.topic)),
        }
    }
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors)
    }
}

/// Stores imported plans (each replaces the topic's target day and links); how many.
pub async fn import_plans(store: &dyn Store, user: UserId, plans: &[Plan]) -> Result<usize, Error> {
    for p in plans {
        store.set_due(user, &p.roadmap, &p.topic, p.due_day).await?;
        store
            .set_evidence(user, &p.roadmap, &p.topic, &p.evidence)
            .await?;
    }
    Ok(plans.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_http_or_https_and_bounded() {
        let ok = evidence(" https://example.com/pr/1 ", " The PR ").unwrap();
        assert_eq!(
            (ok.url.as_str(), ok.label.as_str()),
            ("https://example.com/pr/1", "The PR")
        );
        assert!(evidence("HTTP://example.com", "").is_ok());
        for (bad, words) in [
            ("javascript:alert(1)", "must be an http:// or https:// URL"),
            (
                "JavaScript://%0aalert(1)",
                "must be an http:// or https:// URL",
            ),
            ("data:text/html,x", "must be an http:// or https:// URL"),
            ("https://", "needs a host"),
            ("https:///x", "needs a host"),
            ("https://a b", "no spaces"),
        ] {
            assert!(
                evidence(bad, "").unwrap_err().to_string().contains(words),
                "{bad}"
            );
        }
        let long = format!("https://example.com/{}", "x".repeat(10_000));
        assert!(
            evidence(&long, "")
                .unwrap_err()
                .to_string()
                .contains("at most 2000 characters")
        );
        assert!(
            evidence("https://e.x", &"l".repeat(201))
                .unwrap_err()
                .to_string()
                .contains("at most 200")
        );
        let many = vec![
            EvidenceItem {
                url: "https://e.x".into(),
                label: String::new()
            };
            21
        ];
        assert!(
            evidence_list(&many)
                .unwrap_err()
                .to_string()
                .contains("at most 20")
        );
    }

    #[test]
    fn plans_round_trip_through_the_export_shape() {
        let catalog = crate::Catalog::bundled();
        let e = &catalog.roadmaps[0];
        let plan = Plan {
            roadmap: e.id.clone(),
            topic: e.topics[0].clone(),
            due_day: due("2027-03-31").unwrap(),
            evidence: vec![evidence("https://example.com/talk", "My talk").unwrap()],
        };
        let file =
            serde_json::json!({ "format": "leadmap-export/1", "plans": [PlanItem::from(&plan)] });
        let back = read_plans("x.json", file.to_string().as_bytes(), &catalog).unwrap();
        assert_eq!(back, vec![plan]);
        let bad = serde_json::json!({ "plans": [
            { "roadmap": e.id, "topic": e.topics[0], "due": "99999-01-01" },
            { "roadmap": e.id, "topic": e.topics[1], "evidence": [{ "url": "javascript:alert(1)" }] },
            { "roadmap": e.id, "topic": "no-such-topic" },
        ]});
        let errors = read_plans("x.json", bad.to_string().as_bytes(), &catalog).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn due_dates_are_years_2000_to_2999() {
        assert_eq!(due("").unwrap(), None);
        assert_eq!(
            due_text(due("2027-03-31").unwrap()).as_deref(),
            Some("2027-03-31")
        );
        assert!(
            due("99999-01-01")
                .unwrap_err()
                .to_string()
                .contains("a year from 2000 to 2999")
        );
        assert!(due("2027-13-01").is_err());
    }
}
