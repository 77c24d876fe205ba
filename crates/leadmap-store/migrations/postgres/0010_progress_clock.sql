-- Append-only: never edit a migration that has shipped; add a new file.
--
-- A clock per person and roadmap: how many times their records of that roadmap were inserted,
-- changed or deleted, kept by the database itself (a trigger on progress), so that no write
-- path can forget it. A team's dashboard keeps its members' records in memory and asks only
-- for these counts (one small row per person) to learn whose records changed since it read
-- them; it reads again only theirs.
--
-- Striped like history_days (migration 0009): a change adds one to one of 16 slots (its
-- connection's process id modulo 16), so one person's concurrent writes do not queue on one
-- row's lock; a person's count is the sum of their slots, and it only ever grows.
--
-- No foreign key to users: deleting a person deletes their records, and the trigger counts
-- those deletions too (a reused id never finds an old count that has not moved).
CREATE TABLE progress_clock (
    roadmap TEXT    NOT NULL,
    user_id BIGINT  NOT NULL,
    slot    INTEGER NOT NULL,
    changes BIGINT  NOT NULL,
    PRIMARY KEY (roadmap, user_id, slot)
);

CREATE FUNCTION leadmap_progress_tick() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO progress_clock (roadmap, user_id, slot, changes)
            VALUES (OLD.roadmap, OLD.user_id, pg_backend_pid() % 16, 1)
            ON CONFLICT (roadmap, user_id, slot) DO UPDATE
            SET changes = progress_clock.changes + 1;
    END IF;
    IF TG_OP = 'INSERT'
       OR (TG_OP = 'UPDATE' AND (NEW.user_id <> OLD.user_id OR NEW.roadmap <> OLD.roadmap)) THEN
        INSERT INTO progress_clock (roadmap, user_id, slot, changes)
            VALUES (NEW.roadmap, NEW.user_id, pg_backend_pid() % 16, 1)
            ON CONFLICT (roadmap, user_id, slot) DO UPDATE
            SET changes = progress_clock.changes + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER progress_tick AFTER INSERT OR UPDATE OR DELETE ON progress
    FOR EACH ROW EXECUTE FUNCTION leadmap_progress_tick();
