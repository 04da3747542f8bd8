-- The change feed's cursor is a `position`, not `seq`: a reader has seen every change at or below its cursor.
-- On SQLite one transaction writes at a time, so `position` is `seq` (drawn as MAX(seq) + 1 under the write lock).
-- On PostgreSQL (migrations-postgres/0012) it is the writing transaction's id, so writers need no common lock.
ALTER TABLE household_changes ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE household_changes SET position = seq;
DROP INDEX household_changes_by_household;
CREATE INDEX household_changes_by_position ON household_changes (household_id, position);
