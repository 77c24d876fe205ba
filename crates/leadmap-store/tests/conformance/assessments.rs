//! Practice assessments: drafts rated and published, published ones never changed again, a
//! new one started as a copy of the last, concurrent ratings of one practice (the last wins,
//! both kept in the history), deleting a team.

use leadmap_store::prelude::*;
use leadmap_store::{
    Assessed, AssessmentState, Level, NewAssessment, NewTeam, Rating, RatingChange, StoreError,
};

use crate::{T0, name};

conformance!(
    a_draft_is_rated_published_and_then_never_changed,
    a_new_assessment_starts_as_a_copy_of_the_practices_still_there,
    two_raters_at_once_the_last_wins_and_both_are_in_the_history,
    deleting_a_team_deletes_its_assessments_only,
);

fn new<'a>(assessed: Assessed, title: &'a str, day: i64) -> NewAssessment<'a> {
    NewAssessment {
        assessed,
        roadmap: "engineering-leadership",
        roadmap_version: 0,
        title,
        assessed_on: day,
        created_by: None,
        copy_from: None,
    }
}

fn level(l: Level) -> RatingChange {
    RatingChange {
        rating: Some(Rating::Level(l)),
        ..RatingChange::default()
    }
}

async fn a_draft_is_rated_published_and_then_never_changed(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", true, T0).await.unwrap();
    let a = s
        .create_assessment(&new(Assessed::Organisation, "Q1 2027", 20_000), T0)
        .await
        .unwrap();
    assert_eq!(a.state, AssessmentState::Draft);
    assert_eq!(a.assessed, Assessed::Organisation);

    // A first write without a level is refused; with one it is the rating.
    let only_words = RatingChange {
        rationale: Some("we think".into()),
        ..RatingChange::default()
    };
    assert!(matches!(
        s.rate(a.id, "postmortems", &only_words, Some(ana.id), T0)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let full = RatingChange {
        rating: Some(Rating::Level(Level::Defined)),
        rationale: Some("A template exists; half the teams use it.".into()),
        evidence: Some(vec![
            "https://wiki.example.com/postmortems".into(),
            "https://docs.example.com/sev1-review".into(),
        ]),
        owner: Some(Some(ana.id)),
        next_step: Some("Review every Sev1 within 5 days".into()),
        due_day: Some(Some(20_090)),
    };
    let r = s
        .rate(a.id, "postmortems", &full, Some(ana.id), T0 + 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.rating, Rating::Level(Level::Defined));
    assert_eq!(r.evidence.len(), 2);
    // A later change of the level alone keeps the rest.
    let r = s
        .rate(a.id, "postmortems", &level(Level::Practised), None, T0 + 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.rating, Rating::Level(Level::Practised));
    assert_eq!(r.rationale, "A template exists; half the teams use it.");
    assert_eq!(r.owner, Some(ana.id));
    assert_eq!(r.due_day, Some(20_090));
    assert_eq!(r.evidence[1], "https://docs.example.com/sev1-review");
    let na = RatingChange {
        rating: Some(Rating::NotApplicable),
        ..RatingChange::default()
    };
    s.rate(a.id, "on-call", &na, None, T0 + 3).await.unwrap();
    s.rate(a.id, "hiring", &level(Level::Absent), None, T0 + 3)
        .await
        .unwrap();
    assert!(s.unrate(a.id, "hiring").await.unwrap());
    assert!(!s.unrate(a.id, "hiring").await.unwrap());

    // An evidence link with a line break is refused before it is stored.
    let broken = RatingChange {
        evidence: Some(vec!["https://a.example\nhttps://b.example".into()]),
        ..RatingChange::default()
    };
    assert!(matches!(
        s.rate(a.id, "postmortems", &broken, None, T0 + 4).await,
        Err(StoreError::Invalid(_))
    ));

    let ratings = s.ratings(&[a.id]).await.unwrap();
    let topics: Vec<&str> = ratings.iter().map(|(_, r)| r.topic.as_str()).collect();
    assert_eq!(topics, ["on-call", "postmortems"]);

    let p = s.publish_assessment(a.id, T0 + 5).await.unwrap().unwrap();
    assert_eq!(p.state, AssessmentState::Published);
    assert_eq!(p.published_at, Some(T0 + 5));
    // Published: every change is refused and nothing moves.
    assert!(matches!(
        s.rate(a.id, "postmortems", &level(Level::Absent), None, T0 + 6)
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        s.unrate(a.id, "postmortems").await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        s.publish_assessment(a.id, T0 + 6).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        s.retitle_assessment(a.id, "Other", 1).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        s.delete_assessment(a.id).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(s.ratings(&[a.id]).await.unwrap(), ratings);
    assert_eq!(s.assessment(a.id).await.unwrap().unwrap().title, "Q1 2027");
    // Nothing there: None, not an error.
    assert_eq!(
        s.rate(999_999, "x", &level(Level::Absent), None, T0)
            .await
            .unwrap(),
        None
    );
    assert_eq!(s.publish_assessment(999_999, T0).await.unwrap(), None);
    assert!(matches!(
        s.create_assessment(&new(Assessed::Team(999_999), "Q1", 1), T0)
            .await,
        Err(StoreError::Invalid(_))
    ));
    // A NUL is refused before any SQL, on both backends.
    assert!(matches!(
        s.create_assessment(&new(Assessed::Organisation, "Q\0", 1), T0)
            .await,
        Err(StoreError::Invalid(_))
    ));
}

async fn a_new_assessment_starts_as_a_copy_of_the_practices_still_there(s: &dyn Store) {
    let q1 = s
        .create_assessment(&new(Assessed::Organisation, "Q1", 20_000), T0)
        .await
        .unwrap();
    for (topic, l) in [
        ("postmortems", Level::Defined),
        ("on-call", Level::AdHoc),
        ("retired", Level::Improving),
    ] {
        s.rate(q1.id, topic, &level(l), None, T0).await.unwrap();
    }
    s.publish_assessment(q1.id, T0 + 1).await.unwrap();
    let keep = vec!["postmortems".to_owned(), "on-call".to_owned()];
    let q2 = s
        .create_assessment(
            &NewAssessment {
                copy_from: Some((q1.id, &keep)),
                ..new(Assessed::Organisation, "Q2", 20_090)
            },
            T0 + 2,
        )
        .await
        .unwrap();
    assert_eq!(q2.based_on, Some(q1.id));
    assert_eq!(q2.state, AssessmentState::Draft);
    let copied = s.ratings(&[q2.id]).await.unwrap();
    let topics: Vec<(&str, Rating)> = copied
        .iter()
        .map(|(_, r)| (r.topic.as_str(), r.rating))
        .collect();
    assert_eq!(
        topics,
        [
            ("on-call", Rating::Level(Level::AdHoc)),
            ("postmortems", Rating::Level(Level::Defined))
        ]
    );
    // The copy is the new one's own: rating it leaves the published one as it was.
    s.rate(q2.id, "on-call", &level(Level::Practised), None, T0 + 3)
        .await
        .unwrap();
    let q1_ratings = s.ratings(&[q1.id]).await.unwrap();
    assert_eq!(q1_ratings.len(), 3);
    assert!(
        q1_ratings
            .iter()
            .any(|(_, r)| r.topic == "on-call" && r.rating == Rating::Level(Level::AdHoc))
    );
    // Both at once, by assessment.
    assert_eq!(s.ratings(&[q1.id, q2.id]).await.unwrap().len(), 5);
    // The history holds writes, not copies.
    assert_eq!(s.rating_history(q2.id).await.unwrap().len(), 1);
    let list = s.assessments().await.unwrap();
    assert_eq!(
        list.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(),
        ["Q1", "Q2"]
    );
    // A draft can be renamed and deleted.
    let renamed = s
        .retitle_assessment(q2.id, "Q2 2027", 20_091)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (renamed.title.as_str(), renamed.assessed_on),
        ("Q2 2027", 20_091)
    );
    assert!(s.delete_assessment(q2.id).await.unwrap());
    assert!(s.ratings(&[q2.id]).await.unwrap().is_empty());
    assert_eq!(s.assessment(q2.id).await.unwrap(), None);
}

async fn two_raters_at_once_the_last_wins_and_both_are_in_the_history(s: &dyn Store) {
    let a = s
        .create_assessment(&new(Assessed::Organisation, "Q1", 20_000), T0)
        .await
        .unwrap();
    let levels = [
        Level::Absent,
        Level::AdHoc,
        Level::Defined,
        Level::Practised,
        Level::Improving,
        Level::Defined,
        Level::AdHoc,
        Level::Practised,
    ];
    let changes: Vec<RatingChange> = levels.iter().map(|l| level(*l)).collect();
    let writes = changes
        .iter()
        .enumerate()
        .map(|(i, c)| s.rate(a.id, "postmortems", c, None, T0 + i as i64));
    let results = futures_util::future::join_all(writes).await;
    assert!(
        results.iter().all(|r| matches!(r, Ok(Some(_)))),
        "{results:?}"
    );
    let history = s.rating_history(a.id).await.unwrap();
    assert_eq!(history.len(), levels.len(), "every write is kept");
    let last = history.last().unwrap();
    let now = &s.ratings(&[a.id]).await.unwrap()[0].1;
    assert_eq!(now.rating, last.rating, "the rating is the last write");
}

async fn deleting_a_team_deletes_its_assessments_only(s: &dyn Store) {
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
    let team = s
        .create_assessment(&new(Assessed::Team(web.id), "Web Q1", 20_000), T0)
        .await
        .unwrap();
    assert_eq!(team.assessed, Assessed::Team(web.id));
    let org = s
        .create_assessment(&new(Assessed::Organisation, "Org Q1", 20_000), T0)
        .await
        .unwrap();
    s.rate(team.id, "postmortems", &level(Level::Defined), None, T0)
        .await
        .unwrap();
    s.publish_assessment(team.id, T0).await.unwrap();
    assert!(s.delete_team(web.id).await.unwrap());
    assert_eq!(s.assessment(team.id).await.unwrap(), None);
    assert!(s.ratings(&[team.id]).await.unwrap().is_empty());
    assert!(s.assessment(org.id).await.unwrap().is_some());
}
