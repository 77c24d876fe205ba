//! Published roadmaps: versions in order, a publish refused unless it was made from the
//! current version, an id map that moves progress in the publish's transaction and never
//! overwrites a record, visibility, and the counts behind the orphan report.

use leadmap_store::prelude::*;
use leadmap_store::{Evidence, NewVersion, Publish, Status, Visibility};

use crate::{T0, name};

conformance!(
    versions_follow_one_another_and_a_stale_base_is_refused,
    concurrent_publishes_on_one_base_store_exactly_one,
    an_id_map_moves_progress_without_overwriting_any
);

fn new<'a>(id: &'a str, markdown: &'a str, base: Option<i64>) -> NewVersion<'a> {
    NewVersion {
        roadmap: id,
        title: "Team roadmap",
        markdown,
        message: "first cut",
        topics: 3,
        base,
        by: None,
        visibility: Visibility::SignedIn,
        bundled: false,
        id_map: &[],
    }
}

fn published(p: Publish) -> leadmap_store::Version {
    match p {
        Publish::Published { version, .. } => version,
        Publish::Conflict { current } => panic!("refused, current is {current:?}"),
    }
}

async fn versions_follow_one_another_and_a_stale_base_is_refused(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", true, T0).await.unwrap();
    assert_eq!(s.roadmap_record("team").await.unwrap(), None);
    let v1 = published(
        s.publish(
            &NewVersion {
                by: Some(ana.id),
                ..new("team", "# Team\n\n## A\n\n- x\n", None)
            },
            T0,
        )
        .await
        .unwrap(),
    );
    assert_eq!((v1.version, v1.published_by), (1, Some(ana.id)));
    // Creating it again is a conflict with version 1.
    assert_eq!(
        s.publish(&new("team", "# Other\n", None), T0 + 1)
            .await
            .unwrap(),
        Publish::Conflict { current: Some(1) }
    );
    let v2 = published(
        s.publish(
            &NewVersion {
                title: "Team roadmap 2",
                message: "second ✍️",
                ..new("team", "# Team\n\n## A\n\n- y\n", Some(1))
            },
            T0 + 2,
        )
        .await
        .unwrap(),
    );
    assert_eq!(v2.version, 2);
    // A publish made from version 1 after version 2 landed changes nothing.
    assert_eq!(
        s.publish(&new("team", "# stale\n", Some(1)), T0 + 3)
            .await
            .unwrap(),
        Publish::Conflict { current: Some(2) }
    );
    // Nor does one based on a roadmap that does not exist.
    assert_eq!(
        s.publish(&new("ghost", "# g\n", Some(4)), T0 + 3)
            .await
            .unwrap(),
        Publish::Conflict { current: None }
    );
    let record = s.roadmap_record("team").await.unwrap().unwrap();
    assert_eq!(
        (
            record.title.as_str(),
            record.version,
            record.author,
            record.visibility,
            record.bundled,
            record.created_at,
            record.updated_at
        ),
        (
            "Team roadmap 2",
            2,
            Some(ana.id),
            Visibility::SignedIn,
            false,
            T0,
            T0 + 2
        )
    );
    let versions = s.versions("team").await.unwrap();
    assert_eq!(versions, vec![v2.clone(), v1.clone()]);
    assert_eq!(versions[0].message, "second ✍️");
    let (v, md) = s.version_source("team", 1).await.unwrap().unwrap();
    assert_eq!((v, md.as_str()), (v1, "# Team\n\n## A\n\n- x\n"));
    assert_eq!(s.version_source("team", 3).await.unwrap(), None);
    // Visibility changes; an unknown roadmap is not created by it.
    assert!(s.set_visibility("team", Visibility::Public).await.unwrap());
    assert!(!s.set_visibility("ghost", Visibility::Public).await.unwrap());
    assert_eq!(
        s.roadmap_record("team").await.unwrap().unwrap().visibility,
        Visibility::Public
    );
    // Text with NUL is refused before anything is written.
    assert!(
        s.publish(&new("team", "# a\0b\n", Some(2)), T0 + 4)
            .await
            .is_err()
    );
    assert_eq!(s.versions("team").await.unwrap().len(), 2);
    // The author's account goes; the roadmap and its versions stay.
    let _root = s.create_user(&name("root"), "h", true, T0).await.unwrap();
    assert!(s.delete_user(ana.id).await.unwrap());
    let record = s.roadmap_record("team").await.unwrap().unwrap();
    assert_eq!((record.author, record.version), (None, 2));
    assert_eq!(s.versions("team").await.unwrap()[1].published_by, None);
    assert_eq!(s.roadmap_records().await.unwrap(), vec![record]);
}

async fn concurrent_publishes_on_one_base_store_exactly_one(s: &dyn Store) {
    published(s.publish(&new("team", "# v1\n", None), T0).await.unwrap());
    let bodies: Vec<String> = (0..12).map(|i| format!("# v2 by writer {i}\n")).collect();
    let news: Vec<NewVersion> = bodies.iter().map(|b| new("team", b, Some(1))).collect();
    let answers = futures_util::future::join_all(news.iter().map(|n| s.publish(n, T0 + 1))).await;
    let won: Vec<_> = answers
        .iter()
        .filter(|a| matches!(a, Ok(Publish::Published { .. })))
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    assert!(
        answers.iter().all(|a| matches!(
            a,
            Ok(Publish::Published { .. }) | Ok(Publish::Conflict { current: Some(2) })
        )),
        "{answers:?}"
    );
    assert_eq!(s.versions("team").await.unwrap().len(), 2);
    // The same for the first version of a new roadmap.
    let news: Vec<NewVersion> = bodies.iter().map(|b| new("fresh", b, None)).collect();
    let answers = futures_util::future::join_all(news.iter().map(|n| s.publish(n, T0 + 1))).await;
    assert_eq!(
        answers
            .iter()
            .filter(|a| matches!(a, Ok(Publish::Published { .. })))
            .count(),
        1,
        "{answers:?}"
    );
    assert_eq!(s.versions("fresh").await.unwrap().len(), 1);
}

async fn an_id_map_moves_progress_without_overwriting_any(s: &dyn Store) {
    let _root = s.create_user(&name("root"), "h", true, T0).await.unwrap();
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    published(s.publish(&new("team", "# v1\n", None), T0).await.unwrap());
    s.set_progress(ana.id, "team", "old", Status::Done, Some("mine"), T0)
        .await
        .unwrap();
    s.set_due(ana.id, "team", "old", Some(20_000))
        .await
        .unwrap();
    let link = Evidence {
        url: "https://example.com/a".into(),
        label: "A".into(),
    };
    s.set_evidence(ana.id, "team", "old", std::slice::from_ref(&link))
        .await
        .unwrap();
    s.set_progress(bob.id, "team", "old", Status::Learning, None, T0)
        .await
        .unwrap();
    s.set_progress(bob.id, "team", "new", Status::Skipped, None, T0)
        .await
        .unwrap();
    // Another roadmap's topic of the same id is not touched.
    s.set_progress(ana.id, "other", "old", Status::Done, None, T0)
        .await
        .unwrap();
    assert_eq!(
        s.topic_holders("team").await.unwrap(),
        vec![("new".into(), 1), ("old".into(), 2)]
    );
    let map = [("old".to_owned(), "new".to_owned())];
    let answer = s
        .publish(
            &NewVersion {
                id_map: &map,
                ..new("team", "# v2\n", Some(1))
            },
            T0 + 1,
        )
        .await
        .unwrap();
    assert!(
        matches!(answer, Publish::Published { moved: 1, .. }),
        "{answer:?}"
    );
    let ana_team = s.progress(ana.id, "team").await.unwrap();
    assert_eq!(
        ana_team
            .iter()
            .map(|p| (p.topic.as_str(), p.status, p.note.as_str()))
            .collect::<Vec<_>>(),
        vec![("new", Status::Done, "mine")]
    );
    let plans = s.plans(ana.id, Some("team")).await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(
        (
            plans[0].topic.as_str(),
            plans[0].due_day,
            &plans[0].evidence
        ),
        ("new", Some(20_000), &vec![link])
    );
    // Bob had both: both stay, nothing overwritten.
    let mut bob_team: Vec<_> = s
        .progress(bob.id, "team")
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.topic, p.status))
        .collect();
    bob_team.sort();
    assert_eq!(
        bob_team,
        vec![
            ("new".into(), Status::Skipped),
            ("old".into(), Status::Learning)
        ]
    );
    assert_eq!(s.progress(ana.id, "other").await.unwrap()[0].topic, "old");
    // A conflicting publish with a map moves nothing.
    let back = [("new".to_owned(), "old".to_owned())];
    assert_eq!(
        s.publish(
            &NewVersion {
                id_map: &back,
                ..new("team", "# v2'\n", Some(1))
            },
            T0 + 2,
        )
        .await
        .unwrap(),
        Publish::Conflict { current: Some(2) }
    );
    assert_eq!(s.progress(ana.id, "team").await.unwrap()[0].topic, "new");
}
