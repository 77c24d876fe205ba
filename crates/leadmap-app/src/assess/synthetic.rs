//! A synthetic organisation for benchmarks: `teams` teams, each with `quarters` published
//! assessments of one roadmap (the first rates every practice, each later one starts as a copy
//! of the one before and moves about a fifth of them), and the organisation's own assessments
//! beside them. Deterministic: the same arguments give the same ratings.

use leadmap_core::assessment::{Level, Rating};
use leadmap_store::{Assessed, NewTeam, RatingChange, Store};

use crate::catalog::Entry;

/// A small deterministic generator (xorshift64*), enough to spread levels.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn rating(rng: &mut Rng, around: u8) -> Rating {
    if rng.below(40) == 0 {
        return Rating::NotApplicable;
    }
    let step = rng.below(3) as i16 - 1;
    let n = (i16::from(around) + step).clamp(1, 5) as u8;
    Rating::Level(Level::from_number(n).unwrap_or(Level::Defined))
}

/// What was made: (teams, assessments, ratings written).
pub async fn fill(
    store: &dyn Store,
    entry: &Entry,
    teams: usize,
    quarters: usize,
    now: i64,
) -> Result<(usize, usize, usize), crate::Error> {
    let mut owners = vec![Assessed::Organisation];
    for t in 0..teams {
        let slug = format!("team-{t:03}");
        let team = store
            .create_team(
                &NewTeam {
                    slug: &slug,
                    name: &format!("Team {t:03}"),
                    parent: None,
                },
                now,
            )
            .await?;
        owners.push(Assessed::Team(team.id));
    }
    let jobs = owners.iter().enumerate().map(|(i, owner)| async move {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1));
        let maturity = 1 + (i % 4) as u8;
        let mut written = 0usize;
        for q in 0..quarters {
            let title = format!("Q{} {}", q % 4 + 1, 2025 + q / 4);
            let day = 20_000 + 91 * q as i64;
            let a = super::start(store, entry, 0, *owner, &title, day, None, now).await?;
            for t in &entry.topics {
                // The first quarter rates everything; later ones move a fifth.
                if q > 0 && rng.below(5) != 0 {
                    continue;
                }
                let around = (maturity + (q as u8) / 3).min(5);
                let r = rating(&mut rng, around);
                let change = RatingChange {
                    rating: Some(r),
                    rationale: Some(format!("Seen in {title}.")),
                    evidence: Some(vec![format!("https://wiki.example.com/{t}/{q}")]),
                    next_step: (rng.below(6) == 0).then(|| format!("Raise {t} next quarter")),
                    due_day: Some(Some(day + 90)),
                    owner: None,
                };
                store.rate(a.id, t, &change, None, now).await?;
                written += 1;
            }
            store.publish_assessment(a.id, now).await?;
        }
        Ok::<usize, crate::Error>(written)
    });
    let mut ratings = 0;
    // Each owner's writes are in order; the owners' interleave, so the store's group commit
    // carries many of them per transaction.
    for r in futures_util::future::join_all(jobs).await {
        ratings += r?;
    }
    Ok((teams, owners.len() * quarters, ratings))
}
