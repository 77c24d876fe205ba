-- Append-only: never edit a migration that has shipped; add a new file.
-- Practice assessments: the organisation (team_id NULL) or one team rates each practice (a
-- topic of one roadmap version) on the five-level scale. A published assessment is never
-- changed again (the store refuses it in the write's transaction); a new one starts as a copy
-- of the last. Deleting a team deletes its assessments.
CREATE TABLE assessments (
    id              BIGSERIAL PRIMARY KEY,
    team_id         BIGINT  REFERENCES teams(id) ON DELETE CASCADE,
    roadmap         TEXT    NOT NULL,
    roadmap_version BIGINT  NOT NULL,
    title           TEXT    NOT NULL,
    assessed_on     BIGINT  NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'published')),
    based_on        BIGINT  REFERENCES assessments(id) ON DELETE SET NULL,
    created_by      BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at      BIGINT  NOT NULL,
    published_at    BIGINT
);
CREATE INDEX assessments_owner ON assessments(team_id, roadmap, assessed_on);

-- One row per rated practice: the current rating. `evidence` is the links, one per line.
CREATE TABLE assessment_ratings (
    assessment_id BIGINT  NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    topic         TEXT    NOT NULL,
    rating        TEXT    NOT NULL CHECK (rating IN ('absent', 'ad-hoc', 'defined', 'practised',
                                                     'improving', 'not-applicable')),
    rationale     TEXT    NOT NULL DEFAULT '',
    evidence      TEXT    NOT NULL DEFAULT '',
    owner_id      BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    next_step     TEXT    NOT NULL DEFAULT '',
    due_day       BIGINT,
    rated_by      BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    rated_at      BIGINT  NOT NULL,
    PRIMARY KEY (assessment_id, topic)
);

-- Every write of a rating, kept: when two managers rate one practice at once the last write is
-- the rating, and both are here.
CREATE TABLE assessment_rating_history (
    id            BIGSERIAL PRIMARY KEY,
    assessment_id BIGINT  NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    topic         TEXT    NOT NULL,
    rating        TEXT    NOT NULL,
    rationale     TEXT    NOT NULL,
    evidence      TEXT    NOT NULL,
    owner_id      BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    next_step     TEXT    NOT NULL,
    due_day       BIGINT,
    rated_by      BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    rated_at      BIGINT  NOT NULL
);
CREATE INDEX assessment_rating_history_topic
    ON assessment_rating_history(assessment_id, topic, id);

-- The team dashboard reads every record of its members on one roadmap; with the columns it
-- needs in the index, PostgreSQL answers from the index alone instead of one heap page per
-- record (SQLite's progress table is already clustered on its key). The shared notes, few,
-- are read apart through an index of their own.
CREATE INDEX progress_team_read ON progress (roadmap, user_id)
    INCLUDE (topic, status, updated_at) WHERE status <> 'pending';
CREATE INDEX progress_shared_notes ON progress (roadmap, user_id)
    WHERE note_shared AND status <> 'pending';
