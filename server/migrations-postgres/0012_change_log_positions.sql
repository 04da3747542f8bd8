-- PostgreSQL twin of migrations/0012_change_log_positions.sql (same number and name).
-- The change feed's cursor is a `position`: a reader has seen every change at or below its cursor. Here it is the
-- writing transaction's id (`pg_current_xact_id()`) plus `change_log_xact_offset.xact_offset`, and a reader goes no
-- further than just below the oldest transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`), so a
-- change that commits late is still above the reader's cursor, without the table lock every writer used to wait
-- for. The offset is the largest `seq` at this migration: rows from before keep `position = seq` and every new
-- position is larger, so a phone's cursor from before stays valid. `seq` now comes from a sequence: it is only the
-- row's key. Several changes of one transaction share its position.
ALTER TABLE household_changes ADD COLUMN position BIGINT;
UPDATE household_changes SET position = seq;
ALTER TABLE household_changes ALTER COLUMN position SET NOT NULL;
DROP INDEX household_changes_by_household;
CREATE INDEX household_changes_by_position ON household_changes (household_id, position);
-- The newest committed position, which the feed compares with the watermark.
CREATE INDEX household_changes_positions ON household_changes (position);

CREATE TABLE change_log_xact_offset (
    one_row             INTEGER PRIMARY KEY NOT NULL DEFAULT 1 CHECK (one_row = 1),
    xact_offset         BIGINT NOT NULL
);
INSERT INTO change_log_xact_offset (xact_offset) SELECT COALESCE(MAX(seq), 0) FROM household_changes;

CREATE SEQUENCE household_changes_seq OWNED BY household_changes.seq;
SELECT setval('household_changes_seq', COALESCE(MAX(seq), 0) + 1, false) FROM household_changes;
ALTER TABLE household_changes ALTER COLUMN seq SET DEFAULT nextval('household_changes_seq');
