-- PostgreSQL twin of migrations/0008_data_key_copies.sql (same number and name; BIGINT for INTEGER).
-- The copy of a phone's data key the server keeps for each account, so a helper who forgot the app PIN gets the
-- data on their phone back by logging in with the password. The phone wraps the key with a key derived from the
-- account password (PBKDF2-SHA256, this salt and iteration count) before sending it: the server cannot open it.
-- It is released only to a session created by a password login of the last few minutes.
CREATE TABLE data_key_copies (
    user_id    TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    wrapped    TEXT NOT NULL,
    salt       TEXT NOT NULL,
    iterations BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);
