-- Append-only: never edit a migration that has shipped; add a new file.
-- Roadmaps published on this server (custom ones, and the bundled ones as the binary ships
-- them). A roadmap is a sequence of immutable versions; `roadmaps.version` is the current one,
-- which every server reads per request (one row by key), so a publish on one server is served
-- by every other from its next request on. Progress stays keyed by (user, roadmap id, topic
-- id) in `progress` and is never deleted by a publish.
CREATE TABLE roadmaps (
    id         TEXT    PRIMARY KEY,
    title      TEXT    NOT NULL,
    author_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    visibility TEXT    NOT NULL CHECK (visibility IN ('private', 'signed-in', 'public')),
    bundled    INTEGER NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE roadmap_versions (
    roadmap_id   TEXT    NOT NULL REFERENCES roadmaps(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    markdown     TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    topics       INTEGER NOT NULL,
    published_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    published_at INTEGER NOT NULL,
    PRIMARY KEY (roadmap_id, version)
);
