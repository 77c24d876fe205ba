-- Append-only: never edit a migration that has shipped; add a new file.
-- Sign-in failures by a fixed-size key (a SHA-256 the server computes), reserved before the
-- password is checked. The failures of the old table (keys of any length) are dropped: at
-- worst an attempt made just before the upgrade is not counted.
DROP TABLE login_failures;

CREATE TABLE sign_in_failures (
    id  INTEGER PRIMARY KEY,
    key BLOB    NOT NULL CHECK (length(key) = 32),
    at  INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(key, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);
