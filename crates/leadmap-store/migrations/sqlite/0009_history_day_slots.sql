-- Append-only: never edit a migration that has shipped; add a new file.
--
-- The slot column PostgreSQL's history_days gained (its migration 0009: a striped counter, so
-- that one person's concurrent changes do not queue on one row). SQLite writes one change at
-- a time and keeps every day in slot 0; the column is here so that both schemas have the same
-- columns (`leadmap migrate` copies the target's columns from the source).
ALTER TABLE history_days ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
