-- PostgreSQL twin of migrations/0001_foundation.sql (same number and name; BIGINT for INTEGER, BYTEA for BLOB).
-- Foundation schema: villages, teaching points, accounts, sessions, the household register.
-- Portable to PostgreSQL: TEXT uuids, TEXT RFC 3339 UTC instants ('2026-11-22T08:00:00Z'), TEXT dates
-- ('YYYY-MM-DD'), CHECK constraints for closed value lists, no SQLite-only syntax.

CREATE TABLE villages (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    county      TEXT NOT NULL,
    township    TEXT NOT NULL
);

CREATE TABLE teaching_points (
    id          TEXT PRIMARY KEY NOT NULL,
    village_id  TEXT NOT NULL REFERENCES villages (id),
    name        TEXT NOT NULL,
    location    TEXT NOT NULL
);
CREATE INDEX teaching_points_by_village ON teaching_points (village_id);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL,
    phone               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    role                TEXT NOT NULL
                        CHECK (role IN ('helper', 'first_secretary', 'village_cadre', 'admin')),
    password_hash       TEXT NOT NULL,
    village_id          TEXT REFERENCES villages (id),
    teaching_point_id   TEXT REFERENCES teaching_points (id),
    created_at          TEXT NOT NULL
);
CREATE INDEX users_by_village ON users (village_id);

-- token_hash is the lowercase hex SHA-256 of the bearer token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- code is the 户编号; group_name the 组.
CREATE TABLE households (
    id              TEXT PRIMARY KEY NOT NULL,
    village_id      TEXT NOT NULL REFERENCES villages (id),
    code            TEXT NOT NULL UNIQUE,
    head_name       TEXT NOT NULL,
    group_name      TEXT NOT NULL,
    address         TEXT NOT NULL,
    helper_user_id  TEXT REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX households_by_village ON households (village_id);
CREATE INDEX households_by_helper ON households (helper_user_id);

-- relation is 与户主关系 as the national system writes it (户主, 配偶, 之子, ...).
-- id_number is sensitive: never shown in public views.
CREATE TABLE household_members (
    id              TEXT PRIMARY KEY NOT NULL,
    household_id    TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    ordinal         BIGINT NOT NULL,
    name            TEXT NOT NULL,
    relation        TEXT NOT NULL,
    sex             TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    birth_date      TEXT NOT NULL,
    id_number       TEXT NOT NULL,
    UNIQUE (household_id, ordinal)
);
