-- Append-only: never edit a migration that has shipped; add a new file.
-- The history of status changes (see the SQLite migration of the same number for the rules).
CREATE TABLE progress_history (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap     TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    from_status TEXT    CHECK (from_status IN ('pending', 'learning', 'done', 'skipped')),
    to_status   TEXT    NOT NULL CHECK (to_status IN ('pending', 'learning', 'done', 'skipped')),
    at          BIGINT  NOT NULL
);
CREATE INDEX progress_history_user_at ON progress_history(user_id, at, id);
CREATE INDEX progress_history_user_roadmap_at ON progress_history(user_id, roadmap, at, id);

CREATE TABLE history_days (
    user_id    BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap    TEXT    NOT NULL,
    day        BIGINT  NOT NULL,
    changes    BIGINT  NOT NULL DEFAULT 0,
    done_delta BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, roadmap, day)
);

INSERT INTO progress_history (user_id, roadmap, topic, from_status, to_status, at)
    SELECT user_id, roadmap, topic, NULL, status, updated_at FROM progress
    WHERE status <> 'pending' ORDER BY updated_at;
INSERT INTO history_days (user_id, roadmap, day, changes, done_delta)
    SELECT user_id, roadmap, updated_at / 86400000, COUNT(*),
           SUM(CASE WHEN status IN ('done', 'skipped') THEN 1 ELSE 0 END)
    FROM progress WHERE status <> 'pending'
    GROUP BY user_id, roadmap, updated_at / 86400000;

-- Records one status change (called in the transaction of the change, BEFORE the progress
-- row is written, so that it reads the status being left): one round trip per change. Rows
-- older than p_window are never touched.
CREATE FUNCTION leadmap_record_change(p_user BIGINT, p_roadmap TEXT, p_topic TEXT,
                                      p_to TEXT, p_at BIGINT, p_window BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    v_from  TEXT;
    v_id    BIGINT;
    v_start TEXT;
    v_at    BIGINT;
    v_delta BIGINT;
BEGIN
    SELECT status INTO v_from FROM progress
        WHERE user_id = p_user AND roadmap = p_roadmap AND topic = p_topic FOR UPDATE;
    IF COALESCE(v_from, 'pending') = p_to THEN
        RETURN;
    END IF;
    v_delta := (CASE WHEN p_to IN ('done', 'skipped') THEN 1 ELSE 0 END)
             - (CASE WHEN COALESCE(v_from, 'pending') IN ('done', 'skipped') THEN 1 ELSE 0 END);
    SELECT id, from_status, at INTO v_id, v_start, v_at FROM progress_history
        WHERE user_id = p_user AND at >= p_at - p_window AND at <= p_at
          AND roadmap = p_roadmap AND topic = p_topic
        ORDER BY at DESC, id DESC LIMIT 1;
    IF v_id IS NOT NULL THEN
        IF COALESCE(v_start, 'pending') = p_to THEN
            DELETE FROM progress_history WHERE id = v_id;
            UPDATE history_days SET changes = changes - 1
                WHERE user_id = p_user AND roadmap = p_roadmap AND day = v_at / 86400000;
        ELSE
            UPDATE progress_history SET to_status = p_to WHERE id = v_id;
        END IF;
    ELSE
        INSERT INTO progress_history (user_id, roadmap, topic, from_status, to_status, at)
            VALUES (p_user, p_roadmap, p_topic, v_from, p_to, p_at);
        INSERT INTO history_days (user_id, roadmap, day, changes, done_delta)
            VALUES (p_user, p_roadmap, p_at / 86400000, 1, v_delta)
            ON CONFLICT (user_id, roadmap, day) DO UPDATE
            SET changes = history_days.changes + 1,
                done_delta = history_days.done_delta + EXCLUDED.done_delta;
        RETURN;
    END IF;
    IF v_delta <> 0 THEN
        INSERT INTO history_days (user_id, roadmap, day, changes, done_delta)
            VALUES (p_user, p_roadmap, p_at / 86400000, 0, v_delta)
            ON CONFLICT (user_id, roadmap, day) DO UPDATE
            SET done_delta = history_days.done_delta + EXCLUDED.done_delta;
    END IF;
END
$$;

-- A person's plan for a topic: a target day (UTC days since 1970-01-01) and evidence links
-- (http or https URLs with a label, in the order given; the app bounds them).
CREATE TABLE topic_due (
    user_id BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap TEXT    NOT NULL,
    topic   TEXT    NOT NULL,
    due_day BIGINT NOT NULL,
    PRIMARY KEY (user_id, roadmap, topic)
);
CREATE INDEX topic_due_user_day ON topic_due(user_id, due_day);

CREATE TABLE evidence (
    id       BIGSERIAL PRIMARY KEY,
    user_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
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
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap    TEXT    NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    label      TEXT    NOT NULL,
    shown_name TEXT    NOT NULL,
    show_notes BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX shares_user ON shares(user_id);
