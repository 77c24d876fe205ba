//! Target days and evidence links per (user, roadmap, topic).

use leadmap_store::prelude::*;
use leadmap_store::{Evidence, Plan};

use crate::{T0, name};

conformance!(plans_are_kept_per_topic_replaced_whole_and_go_with_the_account);

fn link(i: usize) -> Evidence {
    Evidence {
        url: format!("https://example.com/{i}?q=ü"),
        label: format!("Link {i} 🚀"),
    }
}

async fn plans_are_kept_per_topic_replaced_whole_and_go_with_the_account(s: &dyn Store) {
    let _admin = s.create_user(&name("root"), "h", true, T0).await.unwrap();
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    s.set_due(ana.id, "el", "okrs", Some(20_500)).await.unwrap();
    s.set_due(ana.id, "el", "okrs", Some(20_400)).await.unwrap();
    s.set_due(ana.id, "em", "hiring", Some(20_450))
        .await
        .unwrap();
    let links: Vec<_> = (0..3).map(link).collect();
    s.set_evidence(ana.id, "el", "values", &links)
        .await
        .unwrap();
    s.set_evidence(bob.id, "el", "values", &links[..1])
        .await
        .unwrap();
    assert_eq!(
        s.plans(ana.id, Some("el")).await.unwrap(),
        vec![
            Plan {
                roadmap: "el".into(),
                topic: "okrs".into(),
                due_day: Some(20_400),
                evidence: vec![],
            },
            Plan {
                roadmap: "el".into(),
                topic: "values".into(),
                due_day: None,
                evidence: links.clone(),
            },
        ]
    );
    assert_eq!(s.plans(ana.id, None).await.unwrap().len(), 3);
    assert_eq!(
        s.due_until(ana.id, 20_449).await.unwrap(),
        vec![("el".to_owned(), "okrs".to_owned(), 20_400)]
    );
    // Replaced whole, in the new order; cleared.
    s.set_evidence(ana.id, "el", "values", &[link(9), link(1)])
        .await
        .unwrap();
    s.set_due(ana.id, "el", "okrs", None).await.unwrap();
    let el = s.plans(ana.id, Some("el")).await.unwrap();
    assert_eq!(el.len(), 1);
    assert_eq!(el[0].evidence, vec![link(9), link(1)]);
    assert_eq!(s.plans(bob.id, None).await.unwrap()[0].evidence.len(), 1);
    assert!(s.delete_user(ana.id).await.unwrap());
    assert!(s.plans(ana.id, None).await.unwrap().is_empty());
    // A NUL is refused before anything is written.
    let bad = Evidence {
        url: "https://x/\0".into(),
        label: String::new(),
    };
    assert!(
        s.set_evidence(bob.id, "el", "values", &[bad])
            .await
            .is_err()
    );
    assert_eq!(s.plans(bob.id, None).await.unwrap()[0].evidence.len(), 1);
}
