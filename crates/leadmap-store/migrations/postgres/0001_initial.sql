-- Append-only: never edit a migration that has shipped; add a new file.
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT    NOT NULL,
    name_key      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  BYTEA   NOT NULL UNIQUE,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf        TEXT    NOT NULL,
    user_agent  TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    last_seen   BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE tokens (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  BYTEA   NOT NULL UNIQUE,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    last_used   BIGINT
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE progress (
    user_id    BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    roadmap    TEXT    NOT NULL,
    topic      TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('pending', 'learning', 'done', 'skipped')),
    note       TEXT    NOT NULL DEFAULT '',
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (user_id, roadmap, topic)
);

CREATE TABLE login_failures (
    key TEXT   NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
