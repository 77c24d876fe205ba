-- Append-only: never edit a migration that has shipped; add a new file.
-- Roadmaps published on this server (see the SQLite migration of the same number).
CREATE TABLE roadmaps (
    id         TEXT    PRIMARY KEY,
    title      TEXT    NOT NULL,
    author_id  BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    visibility TEXT    NOT NULL CHECK (visibility IN ('private', 'signed-in', 'public')),
    bundled    BOOLEAN NOT NULL DEFAULT FALSE,
    version    BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);

CREATE TABLE roadmap_versions (
    roadmap_id   TEXT    NOT NULL REFERENCES roadmaps(id) ON DELETE CASCADE,
    version      BIGINT  NOT NULL,
    title        TEXT    NOT NULL,
    markdown     TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    topics       BIGINT  NOT NULL,
    published_by BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    published_at BIGINT  NOT NULL,
    PRIMARY KEY (roadmap_id, version)
);
