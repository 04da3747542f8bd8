//! A database file from before migration 0009, with its photo bytes as BLOBs, for the migration tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use time::OffsetDateTime;
use zoufang_server::api::sha256_hex;
use zoufang_server::demo::{self, demo_user_id};
use zoufang_server::store::format_instant;

/// The name the damaged row carries (the hash of what its bytes were).
pub fn damaged_name() -> String {
    sha256_hex(b"what the bytes were")
}

/// A database file as the server left it before migration 0009: every migration up to 0008 applied, the demo
/// village seeded, and photos whose bytes are BLOBs in `photos`, each uploaded by the first helper.
pub async fn database(path: &Path, photos: &[Vec<u8>], damaged: &[u8]) {
    let old_migrations = tempfile::tempdir().unwrap();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations")).unwrap()
    {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.as_str() < "0009" {
            std::fs::copy(entry.path(), old_migrations.path().join(&name)).unwrap();
        }
    }
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(old_migrations.path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    demo::seed(&pool, now).await.unwrap();
    let helper = demo_user_id(0).to_string();
    let rows = photos
        .iter()
        .map(|photo| (sha256_hex(photo), photo.clone()))
        // A row whose bytes were damaged after they were checked: it keeps the name of the bytes it had.
        .chain([(damaged_name(), damaged.to_vec())]);
    for (sha256, bytes) in rows {
        sqlx::query(
            "INSERT INTO photos (sha256, bytes, size, content_type, uploaded_by, created_at) \
             VALUES ($1, $2, $3, 'image/jpeg', $4, $5)",
        )
        .bind(&sha256)
        .bind(&bytes)
        .bind(bytes.len() as i64)
        .bind(&helper)
        .bind(format_instant(now))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO photo_uploads (sha256, user_id, uploaded_at) VALUES ($1, $2, $3)")
            .bind(&sha256)
            .bind(&helper)
            .bind(format_instant(now))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
}
