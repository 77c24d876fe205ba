//! Managing teams, one path for the web app, the API and the command line: creating a team,
//! adding and removing people, invite links. Who may do it is the caller's business (the web
//! app checks the person's relation to the team; the command line is the server's operator).

use leadmap_store::{
    Invite, NewInvite, NewTeam, Store, StoreError, Team, TeamRole, User, policy::DAY_MS,
};

use super::{InviteTerms, TeamName, TeamSlug, slug_from_name};
use crate::progress::Invalid;
use crate::{Error, secrets};

/// Where an invite link leads (below the server's address).
pub fn invite_path(token: &str) -> String {
    format!("/join/{token}")
}

/// Creates a team: the name checked, the slug given or derived from the name, the parent
/// named by its slug.
pub async fn create_team(
    store: &dyn Store,
    name: &str,
    slug: Option<&str>,
    parent: Option<&str>,
    now: i64,
) -> Result<Team, Error> {
    let name = TeamName::parse(name)?;
    let slug = match slug.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => TeamSlug::parse(s)?,
        None => TeamSlug::parse(&slug_from_name(name.as_str()))?,
    };
    let parent = match parent.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => Some(
            store
                .team(p)
                .await?
                .ok_or_else(|| Invalid::Other(format!("no team {p:?} to put it under")))?
                .id,
        ),
        None => None,
    };
    Ok(store
        .create_team(
            &NewTeam {
                slug: slug.as_str(),
                name: name.as_str(),
                parent,
            },
            now,
        )
        .await?)
}

/// A team by its slug, or the message a person reads.
pub async fn team(store: &dyn Store, slug: &str) -> Result<Team, Error> {
    store.team(slug.trim()).await?.ok_or_else(|| {
        Invalid::Other(format!(
            "no team {:?} (see `leadmap team list`)",
            slug.trim()
        ))
        .into()
    })
}

/// An account by its user name, or the message a person reads.
pub async fn account(store: &dyn Store, name: &str) -> Result<User, Error> {
    store
        .credentials(name.trim())
        .await?
        .map(|c| c.user)
        .ok_or_else(|| Invalid::Other(format!("no account named {:?}", name.trim())).into())
}

/// Adds a person to a team with a role (or changes their role).
pub async fn add(
    store: &dyn Store,
    team: &Team,
    name: &str,
    role: TeamRole,
    now: i64,
) -> Result<User, Error> {
    let user = account(store, name).await?;
    store.set_member(team.id, user.id, role, now).await?;
    Ok(user)
}

/// Removes a person from a team; `false`: they were not in it. Their progress stays.
pub async fn remove(store: &dyn Store, team: &Team, name: &str) -> Result<bool, Error> {
    let user = account(store, name).await?;
    Ok(store.remove_member(team.id, user.id).await?)
}

/// A new invite link's token (shown once; only its hash is kept) and the invite.
pub async fn invite(
    store: &dyn Store,
    team: &Team,
    role: TeamRole,
    terms: InviteTerms,
    by: Option<&User>,
    now: i64,
) -> Result<(Invite, String), Error> {
    let token = secrets::random_hex(16);
    let invite = store
        .create_invite(
            &NewInvite {
                team: team.id,
                token_hash: &secrets::secret_hash(&token),
                role,
                max_uses: terms.uses,
                expires_at: now + terms.days * DAY_MS,
                created_by: by.map(|u| u.id),
            },
            now,
        )
        .await?;
    Ok((invite, token))
}

/// Whether an error is "that name is taken".
pub fn is_conflict(e: &Error) -> bool {
    matches!(e, Error::Store(StoreError::Conflict(_)))
}
