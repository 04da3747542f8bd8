-- Photo bytes move out of the database into a content-addressed blob store (a directory next to the database, or
-- an S3-compatible bucket); the metadata stays here.
--
-- `stored_in` says where a photo's bytes are: 'database' for rows written before this migration (their `bytes` are
-- kept and served until `zoufang-server admin migrate-photos` copies them to the blob store, checks the copy and
-- empties `bytes`), 'blobs' for every photo since (its `bytes` are empty). `head` keeps the first 16 bytes, from
-- which the format is read without fetching the photo.
--
-- `photo_blob_deletions` queues the bytes of photos removed from `photos` (unreferenced after the grace period, or
-- refused over the quota after their bytes were written) until they are deleted from the blob store. A queued hash
-- that has a `photos` row again is kept.
--
-- Portable to PostgreSQL (migrations-postgres/0009_photo_blobs.sql is the same in its dialect: BYTEA for BLOB).
ALTER TABLE photos ADD COLUMN head BLOB;
ALTER TABLE photos ADD COLUMN stored_in TEXT NOT NULL DEFAULT 'database'
    CHECK (stored_in IN ('database', 'blobs'));
UPDATE photos SET head = substr(bytes, 1, 16);
CREATE INDEX photos_by_stored_in ON photos (stored_in, sha256);

CREATE TABLE photo_blob_deletions (
    sha256              TEXT PRIMARY KEY NOT NULL,
    queued_at           TEXT NOT NULL
);
CREATE INDEX photo_blob_deletions_by_queued_at ON photo_blob_deletions (queued_at);
