//! Photo bytes outside the database: a content-addressed blob store behind one trait, [`BlobStore`].
//!
//! A blob's name is the lowercase hex SHA-256 of its bytes ([`BlobKey`]). Every store checks that name on the way in
//! (bytes that do not hash to it are refused, nothing is written) and on the way out (bytes that no longer hash to
//! it are reported as damaged, never served). Two engines:
//! - [`local::LocalBlobs`], the default: files in a directory next to the database, written to a temporary file,
//!   flushed and renamed into place, so a crash never leaves half a photo under a photo's name;
//! - [`s3::S3Blobs`], any S3-compatible object store (MinIO, Ceph, a cloud's OSS) through the `object_store` crate,
//!   chosen with `--s3-bucket` (see [`BlobArgs`]), so several server processes share the same photos.
//!
//! The photos' metadata (size, type, uploaders, links) stays in the database (`store::photos`); `sweep` removes the
//! bytes of photos the database has let go.

pub mod local;
pub mod s3;
mod sweep;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};

pub use sweep::{SweepError, sweep_deletions};

/// The shared blob store every handler and command uses.
pub type Blobs = Arc<dyn BlobStore>;

/// The name of a blob: the lowercase hex SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobKey(String);

impl BlobKey {
    /// A key from 64 hex digits (either case); `None` for anything else.
    pub fn parse(text: &str) -> Option<BlobKey> {
        (text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit()))
            .then(|| BlobKey(text.to_ascii_lowercase()))
    }

    /// The key of these bytes.
    pub fn of(bytes: &[u8]) -> BlobKey {
        BlobKey(sha256_hex(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lowercase hex SHA-256 of the bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// Bytes offered under a key they do not hash to; nothing was written.
    #[error("refused to store bytes under {expected}: they hash to {computed}")]
    HashMismatch { expected: BlobKey, computed: String },
    /// The stored bytes no longer hash to their key.
    #[error("the stored bytes of {key} are damaged: they hash to {computed}")]
    Damaged { key: BlobKey, computed: String },
    #[error("photo directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("object store: {0}")]
    ObjectStore(#[from] object_store::Error),
    #[error("object store settings: {0}")]
    Settings(String),
    #[error("a photo file task stopped: {0}")]
    Task(String),
}

impl BlobError {
    fn io(path: &Path, source: std::io::Error) -> BlobError {
        BlobError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Checks that `bytes` hash to `key`.
pub fn verify(key: &BlobKey, bytes: &[u8]) -> Result<(), BlobError> {
    let computed = sha256_hex(bytes);
    if computed == key.0 {
        Ok(())
    } else {
        Err(BlobError::HashMismatch {
            expected: key.clone(),
            computed,
        })
    }
}

/// Checks bytes read back from a store.
fn verify_read(key: &BlobKey, bytes: &[u8]) -> Result<(), BlobError> {
    verify(key, bytes).map_err(|_| BlobError::Damaged {
        key: key.clone(),
        computed: sha256_hex(bytes),
    })
}

/// A content-addressed store of photo bytes. Writing the same key twice is harmless (the bytes are the same);
/// deleting an absent key is not an error.
pub trait BlobStore: Send + Sync + fmt::Debug {
    /// Stores `bytes` under `key` after checking that they hash to it ([`BlobError::HashMismatch`] otherwise).
    fn put<'a>(&'a self, key: &'a BlobKey, bytes: Bytes) -> BoxFuture<'a, Result<(), BlobError>>;
    /// The bytes under `key`, checked against it ([`BlobError::Damaged`]); `None` when absent.
    fn get<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<Option<Bytes>, BlobError>>;
    /// Whether `key` is stored.
    fn contains<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<bool, BlobError>>;
    /// Removes `key`.
    fn delete<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<(), BlobError>>;
    /// Where the bytes go, for the log (no secrets).
    fn describe(&self) -> String;
}

/// Where photo bytes are kept: flags with `ZOUFANG_*` environment fallbacks, global so `admin` commands see them.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct BlobArgs {
    /// Directory of the photo files (the default store). Default: `photos` next to the database file.
    #[arg(long, env = "ZOUFANG_PHOTO_DIR", global = true)]
    pub photo_dir: Option<PathBuf>,

    /// Keep photos in this bucket of an S3-compatible object store instead of the photo directory.
    #[arg(long, env = "ZOUFANG_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,

    /// The object store's address, e.g. http://127.0.0.1:9000 for MinIO; without it, AWS's own for the region.
    #[arg(long, env = "ZOUFANG_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,

    /// The bucket's region (MinIO and most others accept the default).
    #[arg(
        long,
        env = "ZOUFANG_S3_REGION",
        default_value = "us-east-1",
        global = true
    )]
    pub s3_region: String,

    /// Prefix of the photo objects' names in the bucket.
    #[arg(
        long,
        env = "ZOUFANG_S3_PREFIX",
        default_value = "photos/",
        global = true
    )]
    pub s3_prefix: String,

    /// Access key id (prefer the environment variable).
    #[arg(
        long,
        env = "ZOUFANG_S3_ACCESS_KEY_ID",
        hide_env_values = true,
        global = true
    )]
    pub s3_access_key_id: Option<Secret>,

    /// Secret access key (prefer the environment variable: a flag shows in the process list).
    #[arg(
        long,
        env = "ZOUFANG_S3_SECRET_ACCESS_KEY",
        hide_env_values = true,
        global = true
    )]
    pub s3_secret_access_key: Option<Secret>,
}

/// A credential: kept out of `Debug` output and logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(text.to_owned()))
    }
}

impl BlobArgs {
    /// The photo directory: `--photo-dir`, else `photos` beside the database file.
    pub fn local_dir(&self, database: &Path) -> PathBuf {
        self.photo_dir.clone().unwrap_or_else(|| {
            database
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .join("photos")
        })
    }

    /// Opens the configured store: the bucket when `--s3-bucket` is given (checked with one request, so wrong
    /// credentials stop the start), else the photo directory (created `0700` when missing).
    pub async fn open(&self, database: &Path) -> Result<Blobs, BlobError> {
        match &self.s3_bucket {
            Some(bucket) => {
                let store = s3::S3Blobs::new(&s3::S3Settings {
                    bucket: bucket.clone(),
                    endpoint: self.s3_endpoint.clone(),
                    region: self.s3_region.clone(),
                    prefix: self.s3_prefix.clone(),
                    access_key_id: self.s3_access_key_id.clone(),
                    secret_access_key: self.s3_secret_access_key.clone(),
                })?;
                store.check().await?;
                Ok(Arc::new(store))
            }
            None => Ok(Arc::new(local::LocalBlobs::open(
                &self.local_dir(database),
            )?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_64_hex_digits_read_as_lower_case() {
        let upper = "AB".repeat(32);
        assert_eq!(
            BlobKey::parse(&upper).map(|key| key.to_string()),
            Some("ab".repeat(32))
        );
        assert!(BlobKey::parse(&"ab".repeat(31)).is_none());
        assert!(BlobKey::parse(&format!("{}zz", "ab".repeat(31))).is_none());
        assert!(BlobKey::parse(&format!("../{}", "a".repeat(61))).is_none());
    }

    #[test]
    fn bytes_are_checked_against_their_key() {
        let key = BlobKey::of(b"photo");
        assert!(verify(&key, b"photo").is_ok());
        assert!(matches!(
            verify(&key, b"photO"),
            Err(BlobError::HashMismatch { .. })
        ));
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let args = BlobArgs {
            s3_secret_access_key: Some(Secret("hunter2hunter2".into())),
            ..BlobArgs::default()
        };
        assert!(!format!("{args:?}").contains("hunter2"));
    }

    #[test]
    fn the_photo_directory_defaults_to_beside_the_database() {
        let args = BlobArgs::default();
        assert_eq!(
            args.local_dir(Path::new("/var/lib/zoufang/zoufang.sqlite")),
            PathBuf::from("/var/lib/zoufang/photos")
        );
        assert_eq!(
            args.local_dir(Path::new("zoufang.sqlite")),
            PathBuf::from("./photos")
        );
    }
}
