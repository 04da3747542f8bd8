-- PostgreSQL twin of migrations/0004_accounts.sql (same number and name; BIGINT for INTEGER, BYTEA for BLOB).
-- Account lifecycle and login throttling: disabled accounts, demo accounts marked as such, and failed-login
-- counters per phone number (kept in the database so that several server instances share them).
-- Portable to PostgreSQL: one column per ALTER TABLE, TEXT RFC 3339 UTC instants, BIGINT 0/1 flags.

-- When the account was disabled; NULL while it may log in. A disabled account's sessions are refused at once.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- 1 for the accounts of the fictional demo village (published password), which `admin remove-demo` removes.
ALTER TABLE users ADD COLUMN is_demo BIGINT NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1));

-- Databases seeded before this migration: the demo accounts have fixed ids (src/demo.rs, demo_user_id).
UPDATE users SET is_demo = 1 WHERE id IN (
    '2f0a0000-0003-4000-8000-000000000001',
    '2f0a0000-0003-4000-8000-000000000002',
    '2f0a0000-0003-4000-8000-000000000003',
    '2f0a0000-0003-4000-8000-000000000004',
    '2f0a0000-0003-4000-8000-000000000005',
    '2f0a0000-0003-4000-8000-000000000006'
);

-- Failed logins per phone number, keyed by the hex SHA-256 of the number (numbers typed by strangers are not
-- kept in clear). Every attempt beyond the free ones locks the number until `locked_until`, doubling each time.
-- Rows whose last failure is old are deleted, and the table is capped (store/login_failures.rs).
CREATE TABLE login_failures (
    phone_hash          TEXT PRIMARY KEY NOT NULL,
    failures            BIGINT NOT NULL,
    last_failure_at     TEXT NOT NULL,
    locked_until        TEXT NOT NULL
);
CREATE INDEX login_failures_by_last_failure ON login_failures (last_failure_at);
