//! Teams: names and parents, members and roles, invites (one use each, exactly one winner of
//! the last), what a manager may read of members' progress, focus topics, 1:1 dates.

use leadmap_store::prelude::*;
use leadmap_store::{
    NewFocus, NewInvite, NewTeam, Progress, Redeemed, Redeemer, ResetScope, Status, StoreError,
    TeamChange, TeamRole, UserId,
};

use crate::{T0, name};

conformance!(
    teams_have_unique_names_and_parents_without_cycles,
    members_have_roles_and_deleting_a_team_keeps_everyones_progress,
    an_invite_is_used_once_per_use_and_never_after_it_ends,
    two_people_taking_the_last_use_of_an_invite_at_once_one_wins,
    managers_read_statuses_and_only_shared_notes,
    focus_topics_and_one_on_ones,
    every_write_of_a_persons_records_moves_their_clock,
);

fn team<'a>(slug: &'a str, name: &'a str, parent: Option<i64>) -> NewTeam<'a> {
    NewTeam { slug, name, parent }
}

async fn teams_have_unique_names_and_parents_without_cycles(s: &dyn Store) {
    let eng = s
        .create_team(&team("eng", "Engineering", None), T0)
        .await
        .unwrap();
    let web = s
        .create_team(&team("web", "Web", Some(eng.id)), T0)
        .await
        .unwrap();
    let ui = s
        .create_team(&team("ui", "UI", Some(web.id)), T0)
        .await
        .unwrap();
    assert_eq!(web.parent, Some(eng.id));
    assert!(matches!(
        s.create_team(&team("eng", "Other", None), T0).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(
        matches!(
            s.create_team(&team("eng-2", "ENGINEERING", None), T0).await,
            Err(StoreError::Conflict(_))
        ),
        "names are unique without regard to case"
    );
    assert!(matches!(
        s.create_team(&team("x", "X", Some(999_999)), T0).await,
        Err(StoreError::Invalid(_))
    ));
    // A cycle, direct or through a child, is refused and changes nothing.
    for parent in [eng.id, web.id, ui.id] {
        let change = TeamChange {
            name: Some("Renamed"),
            parent: Some(Some(parent)),
            show_names: None,
        };
        assert!(
            matches!(
                s.change_team(eng.id, &change).await,
                Err(StoreError::Refused(_))
            ),
            "eng under {parent}"
        );
    }
    assert_eq!(s.team("eng").await.unwrap().unwrap().name, "Engineering");
    // Moving down the tree elsewhere is fine; renaming onto a taken name is not.
    let moved = s
        .change_team(
            ui.id,
            &TeamChange {
                name: None,
                parent: Some(Some(eng.id)),
                show_names: Some(true),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!((moved.parent, moved.show_names), (Some(eng.id), true));
    assert!(matches!(
        s.change_team(
            ui.id,
            &TeamChange {
                name: Some("web"),
                parent: None,
                show_names: None
            }
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        s.change_team(
            424_242,
            &TeamChange {
                name: None,
                parent: None,
                show_names: None
            }
        )
        .await
        .unwrap(),
        None
    );
    let names: Vec<String> = s
        .teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["Engineering", "UI", "Web"]);
    // Deleting a parent leaves its children without one.
    assert!(s.delete_team(eng.id).await.unwrap());
    assert_eq!(s.team("web").await.unwrap().unwrap().parent, None);
    assert!(s.team("eng").await.unwrap().is_none());
    assert!(!s.delete_team(eng.id).await.unwrap());
}

async fn members_have_roles_and_deleting_a_team_keeps_everyones_progress(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let web = s.create_team(&team("web", "Web", None), T0).await.unwrap();
    let api = s.create_team(&team("api", "API", None), T0).await.unwrap();
    s.set_member(web.id, ana.id, TeamRole::Manager, T0)
        .await
        .unwrap();
    s.set_member(web.id, bob.id, TeamRole::Member, T0)
        .await
        .unwrap();
    s.set_member(api.id, bob.id, TeamRole::Member, T0)
        .await
        .unwrap();
    // A second set changes the role, not the membership.
    s.set_member(api.id, bob.id, TeamRole::Manager, T0 + 1)
        .await
        .unwrap();
    assert!(matches!(
        s.set_member(999_999, bob.id, TeamRole::Member, T0).await,
        Err(StoreError::Invalid(_))
    ));
    let members = s.members(&[web.id]).await.unwrap();
    let got: Vec<(&str, TeamRole)> = members
        .iter()
        .map(|m| (m.user.name.as_str(), m.role))
        .collect();
    assert_eq!(got, [("ana", TeamRole::Manager), ("bob", TeamRole::Member)]);
    assert_eq!(s.members(&[web.id, api.id]).await.unwrap().len(), 3);
    let bobs: Vec<(String, TeamRole)> = s
        .memberships(bob.id)
        .await
        .unwrap()
        .into_iter()
        .map(|(t, r)| (t.slug, r))
        .collect();
    assert_eq!(
        bobs,
        [
            ("api".to_owned(), TeamRole::Manager),
            ("web".to_owned(), TeamRole::Member)
        ]
    );
    s.set_progress(bob.id, "el", "t1", Status::Done, Some("mine"), T0)
        .await
        .unwrap();
    assert!(s.remove_member(web.id, bob.id).await.unwrap());
    assert!(!s.remove_member(web.id, bob.id).await.unwrap());
    assert_eq!(s.memberships(bob.id).await.unwrap().len(), 1);
    assert!(s.delete_team(api.id).await.unwrap());
    assert!(s.memberships(bob.id).await.unwrap().is_empty());
    assert_eq!(s.progress(bob.id, "el").await.unwrap().len(), 1);
    // An account's deletion takes its memberships with it.
    assert!(s.delete_user(ana.id).await.unwrap());
    assert!(s.members(&[web.id]).await.unwrap().is_empty());
}

fn invite(team: i64, hash: &[u8], role: TeamRole, max_uses: i64) -> NewInvite<'_> {
    NewInvite {
        team,
        token_hash: hash,
        role,
        max_uses,
        expires_at: T0 + 1_000,
        created_by: None,
    }
}

async fn an_invite_is_used_once_per_use_and_never_after_it_ends(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let web = s.create_team(&team("web", "Web", None), T0).await.unwrap();
    let two = s
        .create_invite(&invite(web.id, b"two", TeamRole::Member, 2), T0)
        .await
        .unwrap();
    assert_eq!((two.uses, two.max_uses, two.revoked_at), (0, 2, None));
    let (found, t) = s.invite_by_token(b"two", T0).await.unwrap().unwrap();
    assert_eq!((found.id, t.slug.as_str()), (two.id, "web"));

    // Ana joins with her account; opening it again does not take a second use.
    let r = s
        .redeem_invite(b"two", &Redeemer::Existing(ana.id), T0 + 1)
        .await
        .unwrap();
    assert!(matches!(
        r,
        Redeemed::Joined {
            role: TeamRole::Member,
            ..
        }
    ));
    let r = s
        .redeem_invite(b"two", &Redeemer::Existing(ana.id), T0 + 2)
        .await
        .unwrap();
    assert!(matches!(r, Redeemed::AlreadyMember { .. }));
    // A new person whose name is taken takes no use and gets no account.
    let taken = name("ANA");
    assert!(matches!(
        s.redeem_invite(
            b"two",
            &Redeemer::New {
                name: &taken,
                password_hash: "h"
            },
            T0 + 3
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    let cleo = name("cleo");
    let r = s
        .redeem_invite(
            b"two",
            &Redeemer::New {
                name: &cleo,
                password_hash: "h",
            },
            T0 + 4,
        )
        .await
        .unwrap();
    let Redeemed::Joined { user, .. } = r else {
        panic!("{r:?}")
    };
    assert_eq!(user.name, "cleo");
    assert!(!user.is_admin);
    // Used up: gone for the next person, and a new person is not created.
    let dan = name("dan");
    assert_eq!(
        s.redeem_invite(
            b"two",
            &Redeemer::New {
                name: &dan,
                password_hash: "h"
            },
            T0 + 5
        )
        .await
        .unwrap(),
        Redeemed::Gone
    );
    assert!(s.credentials("dan").await.unwrap().is_none());
    assert!(s.invite_by_token(b"two", T0).await.unwrap().is_none());
    let listed = s.invites(web.id).await.unwrap();
    let used: Vec<&str> = listed[0]
        .used_by
        .iter()
        .map(|(u, _)| u.name.as_str())
        .collect();
    assert_eq!((listed[0].uses, used), (2, vec!["ana", "cleo"]));

    // Expired, revoked, unknown: gone.
    s.create_invite(&invite(web.id, b"exp", TeamRole::Member, 5), T0)
        .await
        .unwrap();
    assert_eq!(
        s.redeem_invite(b"exp", &Redeemer::Existing(ana.id), T0 + 1_000)
            .await
            .unwrap(),
        Redeemed::Gone
    );
    let rev = s
        .create_invite(&invite(web.id, b"rev", TeamRole::Manager, 5), T0)
        .await
        .unwrap();
    assert!(
        !s.revoke_invite(999_999, rev.id, T0).await.unwrap(),
        "another team's"
    );
    assert!(s.revoke_invite(web.id, rev.id, T0 + 1).await.unwrap());
    assert!(!s.revoke_invite(web.id, rev.id, T0 + 2).await.unwrap());
    assert_eq!(
        s.redeem_invite(b"rev", &Redeemer::Existing(ana.id), T0 + 3)
            .await
            .unwrap(),
        Redeemed::Gone
    );
    assert_eq!(
        s.redeem_invite(b"nope", &Redeemer::Existing(ana.id), T0)
            .await
            .unwrap(),
        Redeemed::Gone
    );
    // A manager's invite raises a member to manager.
    s.create_invite(&invite(web.id, b"mgr", TeamRole::Manager, 1), T0)
        .await
        .unwrap();
    let r = s
        .redeem_invite(b"mgr", &Redeemer::Existing(ana.id), T0 + 1)
        .await
        .unwrap();
    assert!(matches!(
        r,
        Redeemed::Joined {
            role: TeamRole::Manager,
            ..
        }
    ));
    assert_eq!(s.memberships(ana.id).await.unwrap()[0].1, TeamRole::Manager);
}

async fn two_people_taking_the_last_use_of_an_invite_at_once_one_wins(s: &dyn Store) {
    let web = s.create_team(&team("web", "Web", None), T0).await.unwrap();
    s.create_invite(&invite(web.id, b"last", TeamRole::Member, 1), T0)
        .await
        .unwrap();
    let names: Vec<_> = (0..8).map(|i| name(&format!("person{i}"))).collect();
    let who: Vec<Redeemer> = names
        .iter()
        .map(|n| Redeemer::New {
            name: n,
            password_hash: "h",
        })
        .collect();
    let attempts = who.iter().map(|w| s.redeem_invite(b"last", w, T0 + 1));
    let results = futures_util::future::join_all(attempts).await;
    let joined = results
        .iter()
        .filter(|r| matches!(r, Ok(Redeemed::Joined { .. })))
        .count();
    let gone = results
        .iter()
        .filter(|r| matches!(r, Ok(Redeemed::Gone)))
        .count();
    assert_eq!((joined, gone), (1, 7), "{results:?}");
    assert_eq!(s.members(&[web.id]).await.unwrap().len(), 1);
    assert_eq!(
        s.user_count().await.unwrap(),
        1,
        "the others got no account"
    );
    assert_eq!(s.invites(web.id).await.unwrap()[0].uses, 1);
}

async fn managers_read_statuses_and_only_shared_notes(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let cleo = s.create_user(&name("cleo"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "a", Status::Done, Some("private"), T0)
        .await
        .unwrap();
    s.set_progress(ana.id, "el", "b", Status::Learning, Some("shared"), T0)
        .await
        .unwrap();
    s.set_progress(ana.id, "el", "c", Status::Pending, Some("pending"), T0)
        .await
        .unwrap();
    s.set_progress(ana.id, "em", "a", Status::Done, None, T0)
        .await
        .unwrap();
    s.set_progress(bob.id, "el", "a", Status::Done, None, T0)
        .await
        .unwrap();
    s.set_progress(
        cleo.id,
        "el",
        "a",
        Status::Done,
        Some("not in the team"),
        T0,
    )
    .await
    .unwrap();
    assert!(s.set_note_shared(ana.id, "el", "b", true).await.unwrap());
    assert!(!s.set_note_shared(ana.id, "el", "zzz", true).await.unwrap());
    assert_eq!(s.shared_note_topics(ana.id, "el").await.unwrap(), ["b"]);

    let mut records = s.team_records(&[ana.id, bob.id], "el").await.unwrap();
    records.sort_by(|a, b| (a.user, &a.topic).cmp(&(b.user, &b.topic)));
    let got: Vec<(UserId, &str, Status, Option<&str>)> = records
        .iter()
        .map(|r| (r.user, r.topic.as_str(), r.status, r.shared_note.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (ana.id, "a", Status::Done, None),
            (ana.id, "b", Status::Learning, Some("shared")),
            (bob.id, "a", Status::Done, None),
        ]
    );
    assert!(s.team_records(&[], "el").await.unwrap().is_empty());
    // A reset ends the sharing: a note written later is private again.
    // (Ten minutes later: a change back within a few minutes folds away in the history.)
    let later = T0 + 600_000;
    s.reset_progress(ana.id, "el", ResetScope::Roadmap, later)
        .await
        .unwrap();
    s.set_progress(ana.id, "el", "b", Status::Learning, Some("new"), later + 1)
        .await
        .unwrap();
    let records = s.team_records(&[ana.id], "el").await.unwrap();
    assert_eq!(records[0].shared_note, None);

    // The moves to and from done, oldest first (the reset took a done back).
    let moves = s.done_moves(&[ana.id, bob.id], "el").await.unwrap();
    let ana_moves: Vec<i64> = moves
        .iter()
        .filter(|m| m.0 == ana.id)
        .map(|m| m.2)
        .collect();
    assert_eq!(ana_moves, [1, -1]);
    assert_eq!(moves.iter().filter(|m| m.0 == bob.id).count(), 1);
}

async fn focus_topics_and_one_on_ones(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    let web = s.create_team(&team("web", "Web", None), T0).await.unwrap();
    let api = s.create_team(&team("api", "API", None), T0).await.unwrap();
    s.set_member(web.id, ana.id, TeamRole::Manager, T0)
        .await
        .unwrap();
    s.set_member(web.id, bob.id, TeamRole::Member, T0)
        .await
        .unwrap();
    let focus = |team, user, topic, due_day| NewFocus {
        team,
        user,
        roadmap: "el",
        topic,
        due_day,
        reason: "we need it next quarter",
        created_by: Some(ana.id),
    };
    let whole = s
        .add_focus(&focus(web.id, None, "postmortems", Some(20_500)), T0)
        .await
        .unwrap();
    let bobs = s
        .add_focus(&focus(web.id, Some(bob.id), "one-on-ones", None), T0)
        .await
        .unwrap();
    s.add_focus(&focus(api.id, None, "hiring", Some(20_000)), T0)
        .await
        .unwrap();
    let for_bob: Vec<i64> = s
        .focus_for(bob.id)
        .await
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(
        for_bob,
        [whole.id, bobs.id],
        "dated first; not another team's"
    );
    assert_eq!(s.team_focus(web.id).await.unwrap().len(), 2);
    assert!(!s.delete_focus(api.id, whole.id).await.unwrap());
    assert!(s.delete_focus(web.id, whole.id).await.unwrap());
    assert_eq!(s.focus_for(bob.id).await.unwrap().len(), 1);
    // Out of the team, its focus topics (even one suggested to bob alone) are not his.
    assert!(s.remove_member(web.id, bob.id).await.unwrap());
    assert!(s.focus_for(bob.id).await.unwrap().is_empty());
    s.set_member(web.id, bob.id, TeamRole::Member, T0)
        .await
        .unwrap();
    assert_eq!(s.focus_for(bob.id).await.unwrap().len(), 1);

    assert_eq!(s.last_one_on_one(web.id, bob.id).await.unwrap(), None);
    s.record_one_on_one(web.id, bob.id, Some(ana.id), T0 + 10)
        .await
        .unwrap();
    s.record_one_on_one(web.id, bob.id, Some(ana.id), T0 + 5)
        .await
        .unwrap();
    assert_eq!(
        s.last_one_on_one(web.id, bob.id).await.unwrap(),
        Some(T0 + 10)
    );
    assert_eq!(s.last_one_on_one(api.id, bob.id).await.unwrap(), None);
}

/// A person's clock on a roadmap (0 when it never moved).
async fn clock(s: &dyn Store, user: UserId, roadmap: &str) -> i64 {
    let clocks = s.progress_clocks(&[user], roadmap).await.unwrap();
    assert!(clocks.len() <= 1, "{clocks:?}");
    clocks.first().map_or(0, |&(u, n)| {
        assert_eq!(u, user);
        n
    })
}

/// What a team's dashboard keeps its members' records by: every kind of write to a person's
/// records of a roadmap moves their clock, including the deletion of their account; nothing
/// moves anyone else's, or theirs on another roadmap; concurrent writes each count.
async fn every_write_of_a_persons_records_moves_their_clock(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    let bob = s.create_user(&name("bob"), "h", false, T0).await.unwrap();
    assert_eq!(
        s.progress_clocks(&[ana.id, bob.id], "el").await.unwrap(),
        []
    );
    s.set_progress(bob.id, "el", "okrs", Status::Done, None, T0)
        .await
        .unwrap();
    let bob_el = clock(s, bob.id, "el").await;
    assert!(bob_el > 0);

    let mut last = clock(s, ana.id, "el").await;
    assert_eq!(last, 0);
    let mut step = async |what: &str| {
        let now = clock(s, ana.id, "el").await;
        assert!(now > last, "{what} did not move the clock ({last} → {now})");
        last = now;
    };
    s.set_progress(ana.id, "el", "okrs", Status::Learning, None, T0)
        .await
        .unwrap();
    step("a first record").await;
    s.set_progress(ana.id, "el", "okrs", Status::Done, None, T0 + 1)
        .await
        .unwrap();
    step("a new status").await;
    s.set_progress(ana.id, "el", "okrs", Status::Done, Some("a note"), T0 + 2)
        .await
        .unwrap();
    step("a new note, the status kept").await;
    assert!(s.set_note_shared(ana.id, "el", "okrs", true).await.unwrap());
    step("sharing the note").await;
    let imported = [Progress {
        roadmap: "el".into(),
        topic: "values".into(),
        status: Status::Skipped,
        note: String::new(),
        updated_at: T0 + 3,
    }];
    s.import_progress(ana.id, &imported).await.unwrap();
    step("an import").await;
    s.reset_progress(ana.id, "el", ResetScope::Topics(&["values".into()]), T0 + 4)
        .await
        .unwrap();
    step("a reset of one topic").await;
    s.reset_progress(ana.id, "el", ResetScope::Roadmap, T0 + 5)
        .await
        .unwrap();
    step("a reset of the roadmap").await;

    // Reads move nothing; another roadmap's clock is its own.
    s.team_records(&[ana.id, bob.id], "el").await.unwrap();
    s.progress(ana.id, "el").await.unwrap();
    assert_eq!(clock(s, ana.id, "el").await, last);
    assert_eq!(clock(s, ana.id, "em").await, 0);
    assert_eq!(clock(s, bob.id, "el").await, bob_el);

    // Sixteen new topics at once: sixteen more, however the database spreads them.
    let writes = (0..16).map(|i| {
        let topic = format!("t{i}");
        async move {
            s.set_progress(ana.id, "el", &topic, Status::Done, None, T0 + 6)
                .await
                .unwrap();
        }
    });
    futures_util::future::join_all(writes).await;
    assert_eq!(clock(s, ana.id, "el").await, last + 16);
    last += 16;

    // Deleting the account deletes the records, and that moves the clock too: a reader that
    // kept them learns they are gone (and an id used again never meets an unmoved clock).
    assert!(s.delete_user(ana.id).await.unwrap());
    assert!(clock(s, ana.id, "el").await > last);
    assert_eq!(clock(s, bob.id, "el").await, bob_el);
}
