//! The IndexedDB schema: one version number and the named migrations that lead to it.
//!
//! A migration runs inside the `upgradeneeded` transaction, in order, from the version the phone has
//! to [`SCHEMA_VERSION`]. Migrations are never edited once released: a change is a new migration.

/// The database every Zoufang tab opens.
pub const DATABASE_NAME: &str = "zoufang";

/// Object store for small named values: the session, the last sync cursor, preferences.
pub const META_STORE: &str = "meta";

/// Object store of the households assigned to the user, as last received from the server.
pub const HOUSEHOLDS_STORE: &str = "households";

/// Object store of drafts: one working copy per household, keyed by household id.
pub const DRAFTS_STORE: &str = "drafts";

/// Object store of submitted records waiting to be sent, keyed by the record's client UUID.
pub const OUTBOX_STORE: &str = "outbox";

/// Object store of photo evidence metadata ([`super::photos::PhotoRecord`] as JSON), keyed by evidence id.
pub const PHOTOS_STORE: &str = "photos";

/// Object store of the photos' bytes as `Blob` values, keyed `<evidence id>/photo` and `<evidence id>/thumbnail`.
pub const PHOTO_BLOBS_STORE: &str = "photo_blobs";

/// A step from one schema version to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The version this migration produces.
    pub to_version: u32,
    pub name: &'static str,
    /// Object stores it creates (out-of-line keys).
    pub creates_stores: &'static [&'static str],
}

/// Every migration, oldest first. The last one's `to_version` is the schema version.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        to_version: 1,
        name: "create_meta_store",
        creates_stores: &[META_STORE],
    },
    Migration {
        to_version: 2,
        name: "create_households_drafts_outbox_stores",
        creates_stores: &[HOUSEHOLDS_STORE, DRAFTS_STORE, OUTBOX_STORE],
    },
    Migration {
        to_version: 3,
        name: "create_photos_and_photo_blobs_stores",
        creates_stores: &[PHOTOS_STORE, PHOTO_BLOBS_STORE],
    },
];

/// The version the app opens the database with.
pub const SCHEMA_VERSION: u32 = 3;

/// The migrations to run to go from `old_version` (0 for a new database) to [`SCHEMA_VERSION`].
pub fn migrations_after(old_version: u32) -> impl Iterator<Item = &'static Migration> {
    MIGRATIONS
        .iter()
        .filter(move |migration| migration.to_version > old_version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_version_is_the_last_migration() {
        assert_eq!(
            MIGRATIONS.last().map(|m| m.to_version),
            Some(SCHEMA_VERSION)
        );
    }

    #[test]
    fn migrations_are_in_increasing_order_without_gaps() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                migration.to_version as usize,
                index + 1,
                "{}",
                migration.name
            );
        }
    }

    #[test]
    fn a_new_database_runs_every_migration_and_a_current_one_none() {
        assert_eq!(migrations_after(0).count(), MIGRATIONS.len());
        assert_eq!(migrations_after(SCHEMA_VERSION).count(), 0);
    }
}
