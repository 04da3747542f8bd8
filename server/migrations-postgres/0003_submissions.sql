-- PostgreSQL twin of migrations/0003_submissions.sql (same number and name; BIGINT for INTEGER, BYTEA for BLOB).
-- Submissions from phones (household visits, night-school attendance), plan versions with their review, income
-- sheets, visit logs, attendance sheets, photo bytes, and the change log behind `GET /api/changes`.
--
-- Records are kept as JSON in TEXT columns (the domain types are the source of truth); the other columns are copies
-- for keys, scoping and ordering. Portable to PostgreSQL: TEXT uuids, TEXT RFC 3339 UTC instants, TEXT dates,
-- BIGINT counters, CHECK constraints for closed lists. The one exception is `photos.bytes`: BYTEA here, BLOB in
-- SQLite.

-- `id` is the UUID the phone gave the record: the idempotency key. `payload` is the submission as received (in
-- canonical JSON, to tell a retry from a reused id); `receipt` the SubmissionReceipt JSON answered the first time.
CREATE TABLE submissions (
    id                  TEXT PRIMARY KEY NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('household_visit', 'attendance')),
    user_id             TEXT NOT NULL REFERENCES users (id),
    household_id        TEXT REFERENCES households (id),
    teaching_point_id   TEXT REFERENCES teaching_points (id),
    payload             TEXT NOT NULL,
    receipt             TEXT NOT NULL,
    submitted_at        TEXT NOT NULL,
    accepted_at         TEXT NOT NULL
);
CREATE INDEX submissions_by_household ON submissions (household_id);
CREATE INDEX submissions_by_teaching_point ON submissions (teaching_point_id);

-- One row per submitted plan version. The household's current version is `households.plan_submission_id`.
CREATE TABLE plan_versions (
    submission_id       TEXT PRIMARY KEY NOT NULL REFERENCES submissions (id),
    plan_id             TEXT NOT NULL,
    household_id        TEXT NOT NULL REFERENCES households (id),
    plan                TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'returned')),
    comments            TEXT NOT NULL,
    reviewer_user_id    TEXT REFERENCES users (id),
    reviewed_at         TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX plan_versions_by_household ON plan_versions (household_id);

ALTER TABLE households ADD COLUMN plan_submission_id TEXT REFERENCES plan_versions (submission_id);
ALTER TABLE households ADD COLUMN income_submission_id TEXT;

CREATE TABLE income_sheets (
    submission_id       TEXT PRIMARY KEY NOT NULL REFERENCES submissions (id),
    sheet_id            TEXT NOT NULL,
    household_id        TEXT NOT NULL REFERENCES households (id),
    year                BIGINT NOT NULL,
    sheet               TEXT NOT NULL,
    created_at          TEXT NOT NULL
);
CREATE INDEX income_sheets_by_household ON income_sheets (household_id, year);

CREATE TABLE visit_logs (
    submission_id       TEXT PRIMARY KEY NOT NULL REFERENCES submissions (id),
    visit_id            TEXT NOT NULL,
    household_id        TEXT NOT NULL REFERENCES households (id),
    started_at          TEXT NOT NULL,
    visit               TEXT NOT NULL,
    created_at          TEXT NOT NULL
);
CREATE INDEX visit_logs_by_household ON visit_logs (household_id);

CREATE TABLE attendance_sessions (
    submission_id       TEXT PRIMARY KEY NOT NULL REFERENCES submissions (id),
    session_id          TEXT NOT NULL,
    teaching_point_id   TEXT NOT NULL REFERENCES teaching_points (id),
    session_date        TEXT NOT NULL,
    sheet               TEXT NOT NULL,
    created_at          TEXT NOT NULL
);
CREATE INDEX attendance_sessions_by_point ON attendance_sessions (teaching_point_id, session_date);

-- Photo bytes, addressed by their lowercase hex SHA-256 (checked by the server on upload).
CREATE TABLE photos (
    sha256              TEXT PRIMARY KEY NOT NULL,
    bytes               BYTEA NOT NULL,
    size                BIGINT NOT NULL,
    content_type        TEXT NOT NULL,
    uploaded_by         TEXT NOT NULL REFERENCES users (id),
    created_at          TEXT NOT NULL
);

-- Which submission refers to which photo: who may download a photo follows from who may see the submission.
CREATE TABLE submission_photos (
    submission_id       TEXT NOT NULL REFERENCES submissions (id),
    sha256              TEXT NOT NULL REFERENCES photos (sha256),
    PRIMARY KEY (submission_id, sha256)
);
CREATE INDEX submission_photos_by_sha256 ON submission_photos (sha256);

-- One row per change to a household (accepted visit, review decision, admin edit). `seq` is written as
-- MAX(seq) + 1 inside the writing transaction: SQLite runs one writer at a time (a PostgreSQL port locks the table
-- for the insert), so a reader never sees a later seq committed before an earlier one and a cursor never skips a
-- change.
CREATE TABLE household_changes (
    seq                 BIGINT PRIMARY KEY NOT NULL,
    household_id        TEXT NOT NULL REFERENCES households (id),
    kind                TEXT NOT NULL,
    changed_at          TEXT NOT NULL
);
CREATE INDEX household_changes_by_household ON household_changes (household_id, seq);
