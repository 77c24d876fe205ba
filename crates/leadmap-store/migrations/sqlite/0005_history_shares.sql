-- Append-only: never edit a migration that has shipped; add a new file.
-- The history of status changes: one row per change, appended in the same transaction as the
-- change itself. Rows are never rewritten, with one bounded exception: a change that follows
-- the same person's change of the same topic within a few minutes (policy::HISTORY_COALESCE_MS)
-- folds into that row (its new status), and a change back to where the row started (an undo)
-- deletes it. `from_status` NULL: the topic had no record before.
CREATE TABLE progress_history (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap     TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    from_status TEXT    CHECK (from_status IN ('pending', 'learning', 'done', 'skipped')),
    to_status   TEXT    NOT NULL CHECK (to_status IN ('pending', 'learning', 'done', 'skipped')),
    at          INTEGER NOT NULL
);
CREATE INDEX progress_history_user_at ON progress_history(user_id, at);
CREATE INDEX progress_history_user_roadmap_at ON progress_history(user_id, roadmap, at);

-- Per person, roadmap and UTC day (at / 86400000): how many history rows the day holds and
-- how the number of finished (done or skipped) topics moved. Kept with the history, in the
-- same transaction, so that the activity page never reads the whole history.
CREATE TABLE history_days (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap    TEXT    NOT NULL,
    day        INTEGER NOT NULL,
    changes    INTEGER NOT NULL DEFAULT 0,
    done_delta INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, roadmap, day)
) WITHOUT ROWID;

-- The history starts with what is stored: one change per record that is not pending, at its time.
INSERT INTO progress_history (user_id, roadmap, topic, from_status, to_status, at)
    SELECT user_id, roadmap, topic, NULL, status, updated_at FROM progress
    WHERE status <> 'pending' ORDER BY updated_at;
INSERT INTO history_days (user_id, roadmap, day, changes, done_delta)
    SELECT user_id, roadmap, updated_at / 86400000, COUNT(*),
           SUM(CASE WHEN status IN ('done', 'skipped') THEN 1 ELSE 0 END)
    FROM progress WHERE status <> 'pending'
    GROUP BY user_id, roadmap, updated_at / 86400000;

-- A person's plan for a topic: a target day (UTC days since 1970-01-01) and evidence links
-- (http or https URLs with a label, in the order given; the app bounds them).
CREATE TABLE topic_due (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap TEXT    NOT NULL,
    topic   TEXT    NOT NULL,
    due_day INTEGER NOT NULL,
    PRIMARY KEY (user_id, roadmap, topic)
) WITHOUT ROWID;
CREATE INDEX topic_due_user_day ON topic_due(user_id, due_day);

CREATE TABLE evidence (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap  TEXT    NOT NULL,
    topic    TEXT    NOT NULL,
    position INTEGER NOT NULL,
    url      TEXT    NOT NULL,
    label    TEXT    NOT NULL
);
CREATE INDEX evidence_topic ON evidence(user_id, roadmap, topic, position);

-- Share links: a read-only view of one person's progress on one roadmap, by a token of which
-- only the hash is kept. Looked up on every request (a revoked or expired link is gone at once
-- on every server); deleted with the account.
CREATE TABLE shares (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap    TEXT    NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    label      TEXT    NOT NULL,
    shown_name TEXT    NOT NULL,
    show_notes INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);
CREATE INDEX shares_user ON shares(user_id);
