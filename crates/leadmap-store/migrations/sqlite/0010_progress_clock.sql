-- Append-only: never edit a migration that has shipped; add a new file.
--
-- A clock per person and roadmap: how many times their records of that roadmap were inserted,
-- changed or deleted, kept by the database itself (triggers on progress), so that no write
-- path can forget it. A team's dashboard keeps its members' records in memory and asks only
-- for these counts to learn whose records changed since it read them; it reads again only
-- theirs. PostgreSQL stripes the count over slots (its migration 0010); SQLite writes one
-- change at a time and keeps slot 0.
--
-- No foreign key to users: deleting a person deletes their records, and the triggers count
-- those deletions too (a reused id never finds an old count that has not moved).
CREATE TABLE progress_clock (
    roadmap TEXT    NOT NULL,
    user_id INTEGER NOT NULL,
    slot    INTEGER NOT NULL DEFAULT 0,
    changes INTEGER NOT NULL,
    PRIMARY KEY (roadmap, user_id, slot)
) WITHOUT ROWID;

CREATE TRIGGER progress_tick_insert AFTER INSERT ON progress
BEGIN
    INSERT INTO progress_clock (roadmap, user_id, slot, changes)
        VALUES (NEW.roadmap, NEW.user_id, 0, 1)
        ON CONFLICT (roadmap, user_id, slot) DO UPDATE SET changes = changes + 1;
END;

CREATE TRIGGER progress_tick_update AFTER UPDATE ON progress
BEGIN
    INSERT INTO progress_clock (roadmap, user_id, slot, changes)
        VALUES (OLD.roadmap, OLD.user_id, 0, 1)
        ON CONFLICT (roadmap, user_id, slot) DO UPDATE SET changes = changes + 1;
    INSERT INTO progress_clock (roadmap, user_id, slot, changes)
        SELECT NEW.roadmap, NEW.user_id, 0, 1
        WHERE NEW.roadmap <> OLD.roadmap OR NEW.user_id <> OLD.user_id
        ON CONFLICT (roadmap, user_id, slot) DO UPDATE SET changes = changes + 1;
END;

CREATE TRIGGER progress_tick_delete AFTER DELETE ON progress
BEGIN
    INSERT INTO progress_clock (roadmap, user_id, slot, changes)
        VALUES (OLD.roadmap, OLD.user_id, 0, 1)
        ON CONFLICT (roadmap, user_id, slot) DO UPDATE SET changes = changes + 1;
END;
