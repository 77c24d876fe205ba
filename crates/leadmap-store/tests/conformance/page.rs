//! The signed-in roadmap page's reads: `session_page` answers what the separate calls answer
//! (PostgreSQL in one statement, SQLite by the separate calls), for the session's own person
//! only; one topic's plan (`plan`); and a write answered with its plan
//! (`set_progress_with_plan`, one statement on PostgreSQL).

use leadmap_store::prelude::*;
use leadmap_store::{
    Evidence, HistoryFilter, NewFocus, NewTeam, PageReads, Plan, Status, TeamRole,
};

use crate::{T0, name};

conformance!(
    the_page_reads_are_the_separate_reads_of_the_sessions_person,
    one_topics_plan_is_its_row_of_plans,
    a_write_with_its_plan_answers_the_write_and_the_plan,
);

async fn the_page_reads_are_the_separate_reads_of_the_sessions_person(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let lead = s.create_user(&name("lead"), "h", true, T0).await.unwrap();
    s.create_session(ana.id, b"ana-token", "csrf-a", "Firefox", T0)
        .await
        .unwrap();
    s.create_session(bob.id, b"bob-token", "csrf-b", "curl", T0)
        .await
        .unwrap();
    // Nothing stored yet: the session, and empty reads.
    let (session, user, reads) = s
        .session_page(b"ana-token", T0 + 1, "el", 20_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((session.csrf.as_str(), user.id), ("csrf-a", ana.id));
    assert_eq!(reads, PageReads::default());

    for (who, topic, status, note) in [
        (ana.id, "okrs", Status::Done, "wrote ours"),
        (ana.id, "values", Status::Learning, ""),
        (bob.id, "okrs", Status::Skipped, "bob's private note"),
    ] {
        s.set_progress(who, "el", topic, status, Some(note), T0 + 5)
            .await
            .unwrap();
    }
    s.set_progress(
        ana.id,
        "em",
        "hiring",
        Status::Done,
        Some("other roadmap"),
        T0,
    )
    .await
    .unwrap();
    s.set_due(ana.id, "el", "values", Some(19_990))
        .await
        .unwrap();
    s.set_due(ana.id, "el", "okrs", Some(20_000)).await.unwrap();
    s.set_due(ana.id, "el", "hiring", Some(20_001))
        .await
        .unwrap();
    s.set_due(ana.id, "em", "hiring", Some(19_000))
        .await
        .unwrap();
    s.set_due(bob.id, "el", "values", Some(19_000))
        .await
        .unwrap();
    let web = s
        .create_team(
            &NewTeam {
                slug: "web",
                name: "Web",
                parent: None,
            },
            T0,
        )
        .await
        .unwrap();
    let other = s
        .create_team(
            &NewTeam {
                slug: "api",
                name: "API",
                parent: None,
            },
            T0,
        )
        .await
        .unwrap();
    s.set_member(web.id, ana.id, TeamRole::Member, T0)
        .await
        .unwrap();
    s.set_member(other.id, bob.id, TeamRole::Member, T0)
        .await
        .unwrap();
    let focus = |team, user, roadmap, topic, due_day| NewFocus {
        team,
        user,
        roadmap,
        topic,
        due_day,
        reason: "for the next quarter",
        created_by: Some(lead.id),
    };
    for (n, f) in [
        focus(web.id, None, "el", "values", None),
        focus(web.id, Some(ana.id), "el", "okrs", Some(20_100)),
        focus(web.id, Some(bob.id), "el", "okrs", Some(20_050)),
        focus(web.id, Some(ana.id), "em", "hiring", Some(20_010)),
        focus(other.id, None, "el", "hiring", Some(20_000)),
    ]
    .iter()
    .enumerate()
    {
        s.add_focus(f, T0 + n as i64).await.unwrap();
    }

    let (session, user, reads) = s
        .session_page(b"ana-token", T0 + 10, "el", 20_000)
        .await
        .unwrap()
        .unwrap();
    let (alone, alone_user) = s.session(b"ana-token", T0 + 10).await.unwrap().unwrap();
    assert_eq!((session, user), (alone, alone_user));
    assert_eq!(reads.records, s.progress(ana.id, "el").await.unwrap());
    assert_eq!(
        reads.due,
        vec![("values".to_owned(), 19_990), ("okrs".to_owned(), 20_000)]
    );
    let focus: Vec<_> = s
        .focus_for(ana.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|f| f.roadmap == "el")
        .collect();
    assert_eq!(reads.focus, focus);
    assert_eq!(
        reads
            .focus
            .iter()
            .map(|f| (f.topic.as_str(), f.user))
            .collect::<Vec<_>>(),
        vec![("okrs", Some(ana.id)), ("values", None)],
        "the team's own and ana's, soonest first; not bob's, not another team's"
    );
    // Nothing of bob's in ana's reads.
    assert!(reads.records.iter().all(|p| !p.note.contains("bob")));

    // last_seen moves as `session` moves it.
    let (later, _, _) = s
        .session_page(b"ana-token", T0 + 10 + 120_001, "el", 20_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(later.last_seen, T0);
    let (again, _) = s
        .session(b"ana-token", T0 + 10 + 120_002)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.last_seen, T0 + 10 + 120_001);

    // An unknown or revoked session reads nothing.
    assert!(
        s.session_page(b"nobody", T0, "el", 20_000)
            .await
            .unwrap()
            .is_none()
    );
    s.delete_sessions(ana.id, None).await.unwrap();
    assert!(
        s.session_page(b"ana-token", T0, "el", 20_000)
            .await
            .unwrap()
            .is_none()
    );
}

async fn one_topics_plan_is_its_row_of_plans(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let links = three_links();
    s.set_due(ana.id, "el", "okrs", Some(20_400)).await.unwrap();
    s.set_evidence(ana.id, "el", "okrs", &links).await.unwrap();
    s.set_evidence(ana.id, "el", "values", &links[..1])
        .await
        .unwrap();
    s.set_due(ana.id, "el", "hiring", Some(20_500))
        .await
        .unwrap();
    s.set_due(bob.id, "el", "vision", Some(20_000))
        .await
        .unwrap();
    let plans = s.plans(ana.id, Some("el")).await.unwrap();
    assert_eq!(plans.len(), 3);
    for p in &plans {
        assert_eq!(&s.plan(ana.id, "el", &p.topic).await.unwrap(), p);
    }
    assert_eq!(
        s.plan(ana.id, "el", "vision").await.unwrap(),
        Plan {
            roadmap: "el".into(),
            topic: "vision".into(),
            due_day: None,
            evidence: vec![],
        },
        "bob's plan is not ana's"
    );
}

async fn a_write_with_its_plan_answers_the_write_and_the_plan(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let links = three_links();
    // Linked in reverse order of their URLs, so that an answer sorted by anything but the
    // links' own order shows.
    let reversed: Vec<Evidence> = links.iter().rev().cloned().collect();
    s.set_due(ana.id, "el", "okrs", Some(20_400)).await.unwrap();
    s.set_evidence(ana.id, "el", "okrs", &reversed)
        .await
        .unwrap();
    s.set_evidence(ana.id, "el", "values", &links[..1])
        .await
        .unwrap();
    s.set_due(bob.id, "el", "hiring", Some(20_000))
        .await
        .unwrap();
    s.set_evidence(bob.id, "el", "hiring", &links)
        .await
        .unwrap();

    // A first record, with a due day and three links.
    let (rec, plan) = s
        .set_progress_with_plan(
            ana.id,
            "el",
            "okrs",
            Status::Learning,
            Some("draft"),
            T0 + 1,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            rec.topic.as_str(),
            rec.status,
            rec.note.as_str(),
            rec.updated_at
        ),
        ("okrs", Status::Learning, "draft", T0 + 1)
    );
    assert_eq!(plan, s.plan(ana.id, "el", "okrs").await.unwrap());
    assert_eq!(
        (plan.due_day, plan.evidence.clone()),
        (Some(20_400), reversed)
    );
    assert_eq!(
        s.progress(ana.id, "el").await.unwrap(),
        vec![rec.clone()],
        "the answer is what is stored"
    );

    // No note: the stored one is kept; the history has both changes.
    let (rec, _) = s
        .set_progress_with_plan(ana.id, "el", "okrs", Status::Done, None, T0 + 2)
        .await
        .unwrap();
    assert_eq!((rec.status, rec.note.as_str()), (Status::Done, "draft"));

    // Links and no due day; then nothing planned at all (bob's plan of the topic is not hers).
    let (_, plan) = s
        .set_progress_with_plan(ana.id, "el", "values", Status::Done, Some(""), T0 + 3)
        .await
        .unwrap();
    assert_eq!((plan.due_day, plan.evidence), (None, links[..1].to_vec()));
    let (rec, plan) = s
        .set_progress_with_plan(ana.id, "el", "hiring", Status::Skipped, None, T0 + 4)
        .await
        .unwrap();
    assert_eq!((rec.status, rec.note.as_str()), (Status::Skipped, ""));
    assert_eq!(
        plan,
        Plan {
            roadmap: "el".into(),
            topic: "hiring".into(),
            due_day: None,
            evidence: vec![],
        },
        "bob's plan is not ana's"
    );
    assert_eq!(s.progress(bob.id, "el").await.unwrap(), vec![]);

    // The history keeps what the separate calls keep: the same writes made by cy with
    // `set_progress` leave the same changes.
    let cy = s.create_user(&name("cy"), "h", false, T0).await.unwrap();
    for (topic, status, note, at) in [
        ("okrs", Status::Learning, Some("draft"), T0 + 1),
        ("okrs", Status::Done, None, T0 + 2),
        ("values", Status::Done, Some(""), T0 + 3),
        ("hiring", Status::Skipped, None, T0 + 4),
    ] {
        s.set_progress(cy.id, "el", topic, status, note, at)
            .await
            .unwrap();
    }
    let changes = |u| async move {
        let all = HistoryFilter {
            limit: 1_000,
            ..Default::default()
        };
        let h = s.history(u, &all).await.unwrap();
        h.into_iter()
            .map(|c| (c.topic, c.from, c.to, c.at))
            .collect::<Vec<_>>()
    };
    let ana_changes = changes(ana.id).await;
    assert!(!ana_changes.is_empty());
    assert_eq!(ana_changes, changes(cy.id).await);
    assert_eq!(
        s.progress(ana.id, "el").await.unwrap().len(),
        s.progress(cy.id, "el").await.unwrap().len()
    );

    // Text the store refuses is refused here too, before anything is written.
    assert!(
        s.set_progress_with_plan(ana.id, "el", "okrs", Status::Done, Some("a\0b"), T0 + 5)
            .await
            .is_err()
    );
    assert_eq!(
        s.progress(ana.id, "el").await.unwrap()[1].note,
        "draft",
        "nothing changed"
    );
}

/// Three evidence links, `https://example.com/0` to `/2`.
fn three_links() -> Vec<Evidence> {
    (0..3)
        .map(|i| Evidence {
            url: format!("https://example.com/{i}"),
            label: format!("Link {i}"),
        })
        .collect()
}
