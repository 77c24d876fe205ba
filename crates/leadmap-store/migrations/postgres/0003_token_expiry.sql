-- A personal access token may carry an expiry (milliseconds since the epoch); NULL: none.
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
