-- PostgreSQL twin of migrations/0002_household_records.sql (same number and name; BIGINT for INTEGER, BYTEA for BLOB).
-- Households become domain records: `record` holds the JSON of `zoufang_domain::model::Household`, the source of
-- truth. The summary columns (code, head_name, group_name, helper_user_id) are copies kept in sync by the store on
-- every write, for listing, scoping and sorting without parsing JSON.
--
-- `record` is nullable only because ADD COLUMN cannot add a NOT NULL column without a default; every write path
-- fills it, and the demo seed backfills rows written before this migration.
-- `version` is the server copy's version, raised by every accepted edit (for 409 conflict checks).
-- `last_visit_on` is the date (YYYY-MM-DD, China time) of the latest visit recorded for the household.
-- Portable to PostgreSQL: one column per ALTER TABLE, TEXT for JSON and dates.

ALTER TABLE households ADD COLUMN record TEXT;
ALTER TABLE households ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE households ADD COLUMN last_visit_on TEXT;

-- Members live inside the record (with relations, health, schooling, labour, insurance …). A second copy in a
-- table of its own would drift from the record and duplicate sensitive ID numbers, so it goes.
DROP TABLE household_members;
