-- PostgreSQL twin of migrations/0005_photo_access.sql (same number and name; BIGINT for INTEGER, BYTEA for BLOB).
-- Every account that uploaded a photo's bytes, not only the first one.
--
-- Photos are addressed by their SHA-256, so two people who send the same bytes share one `photos` row; both count
-- as uploaders. A submission may link a photo only when its submitter uploaded it or may already see it, HEAD and
-- GET follow the same rule, and the per-account upload quota adds up the sizes of the photos an account uploaded in
-- a time window (by `uploaded_at`).
--
-- `photos.uploaded_by` stays: the first uploader, as before. Portable to PostgreSQL (TEXT uuid, TEXT RFC 3339 UTC).
CREATE TABLE photo_uploads (
    sha256              TEXT NOT NULL REFERENCES photos (sha256),
    user_id             TEXT NOT NULL REFERENCES users (id),
    uploaded_at         TEXT NOT NULL,
    PRIMARY KEY (sha256, user_id)
);
CREATE INDEX photo_uploads_by_user ON photo_uploads (user_id, uploaded_at);

INSERT INTO photo_uploads (sha256, user_id, uploaded_at)
SELECT sha256, uploaded_by, created_at FROM photos;
