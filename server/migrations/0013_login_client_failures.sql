-- Failed logins per client address (IPv4, or an IPv6 /64 prefix), as `login_failures` keeps them per phone number:
-- in the database, so that several server instances share them. Every failure beyond the free ones locks the
-- address until `locked_until`, doubling each time; rows whose last failure is old are deleted, and the table is
-- capped (store/login_failures.rs).
CREATE TABLE login_client_failures (
    client_key          TEXT PRIMARY KEY NOT NULL,
    failures            INTEGER NOT NULL,
    last_failure_at     TEXT NOT NULL,
    locked_until        TEXT NOT NULL
);
CREATE INDEX login_client_failures_by_last_failure ON login_client_failures (last_failure_at);
