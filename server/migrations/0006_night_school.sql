-- Night school: each submission of a session is a version of it (`version`, 1 for the first), an edit after
-- confirmation carries its reason, and the first secretary's confirmations are kept per version, so the previous
-- version (who, when, why) stays visible. Portable to PostgreSQL: one column per ALTER TABLE, TEXT instants.

ALTER TABLE attendance_sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attendance_sessions ADD COLUMN edit_reason TEXT NOT NULL DEFAULT '';

-- Sheets stored before this migration: number a session's submissions in the order they were accepted.
UPDATE attendance_sessions SET version = (
    SELECT COUNT(*) FROM attendance_sessions earlier
    WHERE earlier.session_id = attendance_sessions.session_id
      AND (earlier.created_at < attendance_sessions.created_at
           OR (earlier.created_at = attendance_sessions.created_at
               AND earlier.submission_id <= attendance_sessions.submission_id))
);

CREATE UNIQUE INDEX attendance_sessions_by_version ON attendance_sessions (session_id, version);

CREATE TABLE attendance_confirmations (
    session_id          TEXT NOT NULL,
    version             INTEGER NOT NULL,
    teaching_point_id   TEXT NOT NULL REFERENCES teaching_points (id),
    confirmed_by        TEXT NOT NULL REFERENCES users (id),
    confirmed_at        TEXT NOT NULL,
    PRIMARY KEY (session_id, version)
);
CREATE INDEX attendance_confirmations_by_point ON attendance_confirmations (teaching_point_id);
