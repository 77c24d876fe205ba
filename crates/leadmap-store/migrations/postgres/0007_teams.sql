-- Append-only: never edit a migration that has shipped; add a new file.
-- Teams (see the SQLite migration of the same number for what each table is).
-- department holds teams); a manager of a team sees every team beneath it. Deleting a team
-- deletes its memberships, invites, focus topics and 1:1 dates, never anyone's progress; its
-- child teams move up to no parent.
CREATE TABLE teams (
    id         BIGSERIAL PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE,
    parent_id  BIGINT  REFERENCES teams(id) ON DELETE SET NULL,
    show_names BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT  NOT NULL
);

CREATE TABLE team_members (
    team_id  BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id  BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role     TEXT    NOT NULL CHECK (role IN ('manager', 'member')),
    added_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members(user_id);

-- Invite links: only the SHA-256 of the token is kept. `uses` counts redemptions; a redemption
-- is one conditional update (uses < max_uses, not expired, not revoked), so two people opening
-- the last use at once cannot both join.
CREATE TABLE team_invites (
    id         BIGSERIAL PRIMARY KEY,
    team_id    BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    token_hash BYTEA    NOT NULL UNIQUE,
    role       TEXT    NOT NULL CHECK (role IN ('manager', 'member')),
    max_uses   BIGINT  NOT NULL,
    uses       BIGINT  NOT NULL DEFAULT 0,
    expires_at BIGINT  NOT NULL,
    revoked_at BIGINT,
    created_by BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX team_invites_team ON team_invites(team_id);

CREATE TABLE team_invite_uses (
    invite_id BIGINT  NOT NULL REFERENCES team_invites(id) ON DELETE CASCADE,
    user_id   BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at        BIGINT  NOT NULL,
    PRIMARY KEY (invite_id, user_id)
);

-- Focus topics: a manager suggests a topic to one member (user_id) or to the whole team
-- (user_id NULL), with an optional due day (UTC days since 1970-01-01) and a reason.
CREATE TABLE focus_topics (
    id         BIGSERIAL PRIMARY KEY,
    team_id    BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id    BIGINT  REFERENCES users(id) ON DELETE CASCADE,
    roadmap    TEXT    NOT NULL,
    topic      TEXT    NOT NULL,
    due_day    BIGINT,
    reason     TEXT    NOT NULL,
    created_by BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX focus_topics_team ON focus_topics(team_id);
CREATE INDEX focus_topics_user ON focus_topics(user_id);

-- The dates of 1:1s a manager recorded with a member of a team ("since the last 1:1").
CREATE TABLE one_on_ones (
    id         BIGSERIAL PRIMARY KEY,
    team_id    BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    member_id  BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    manager_id BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    at         BIGINT  NOT NULL
);
CREATE INDEX one_on_ones_member ON one_on_ones(team_id, member_id, at);

-- A note its owner shares with their managers; every other note stays private to its owner.
-- On the progress row, so that a reset (which deletes the row) also ends the sharing.
ALTER TABLE progress ADD COLUMN note_shared BOOLEAN NOT NULL DEFAULT FALSE;
