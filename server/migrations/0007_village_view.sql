-- The household every phone shares, the review decision log, policy lines an admin sets, and per-village settings.
--
-- Portable to PostgreSQL except the backfill of `visit_logs.evidence`, which reads the stored submission with
-- SQLite's `json_extract` (PostgreSQL: `payload::jsonb -> 'record' -> 'evidence'`).

-- The photo metadata of each visit (the `evidence` of the submission that carried it, a JSON array), so the visit
-- history travels without re-reading whole submissions.
ALTER TABLE visit_logs ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
UPDATE visit_logs SET evidence = COALESCE(
    (SELECT json_extract(s.payload, '$.record.evidence') FROM submissions s WHERE s.id = visit_logs.submission_id),
    '[]');
CREATE INDEX visit_logs_by_household_started ON visit_logs (household_id, started_at);

-- Every review decision a first secretary made, keyed by the UUID the phone gave it (the idempotency key of a
-- decision queued offline; the server makes one up for a request without). `plan_versions` keeps the current
-- status; this is the history, with the comments of approvals and returns alike.
CREATE TABLE review_decisions (
    id                  TEXT PRIMARY KEY NOT NULL,
    submission_id       TEXT NOT NULL REFERENCES plan_versions (submission_id),
    household_id        TEXT NOT NULL REFERENCES households (id),
    user_id             TEXT NOT NULL REFERENCES users (id),
    decision            TEXT NOT NULL CHECK (decision IN ('approve', 'return')),
    comments            TEXT NOT NULL,
    decided_at          TEXT NOT NULL
);
CREATE INDEX review_decisions_by_household ON review_decisions (household_id, decided_at);

-- Poverty standards (脱贫标准, series exit_standard) and monitoring lines (监测范围) an admin sets per region and
-- year, each with the document that sets it. They are added to the built-in policy tables sent to phones; a row in
-- force (not retired) wins over nothing, and two rows in force for one kind, region and year are refused.
-- `region` is a path such as `海南省/海口市` (empty: national). `is_demo` marks the demo's made-up values.
CREATE TABLE policy_lines (
    id                  TEXT PRIMARY KEY NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('standard', 'monitoring')),
    region              TEXT NOT NULL,
    year                INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_fen          INTEGER NOT NULL CHECK (amount_fen > 0),
    document_number     TEXT NOT NULL CHECK (length(trim(document_number)) > 0),
    document_title      TEXT NOT NULL CHECK (length(trim(document_title)) > 0),
    document_date       TEXT NOT NULL CHECK (length(document_date) = 10),
    is_demo             INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at          TEXT NOT NULL,
    retired_at          TEXT
);
CREATE UNIQUE INDEX policy_lines_in_force ON policy_lines (kind, region, year) WHERE retired_at IS NULL;

-- After how many days without a visit a household counts as overdue in the first secretary's village view.
ALTER TABLE villages ADD COLUMN overdue_after_days INTEGER NOT NULL DEFAULT 30
    CHECK (overdue_after_days BETWEEN 1 AND 366);
