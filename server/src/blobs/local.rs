//! The default blob store: one file per photo in a directory next to the database, `<dir>/<2 hex>/<64 hex>`.
//!
//! A photo is written to a temporary file in its final directory, flushed to disk, renamed over its name (atomic on
//! one file system) and the directory flushed, so its name only ever holds the whole photo. Directories are `0700`
//! and files `0600`: photos show people and their homes.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::{BlobError, BlobKey, BlobStore, verify, verify_read};

/// Creates `directory` and its missing parents, each new one `0700` (existing ones are left alone).
fn create_directory(directory: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(directory)
}

#[derive(Debug, Clone)]
pub struct LocalBlobs {
    root: PathBuf,
}

impl LocalBlobs {
    /// The store in `root`, created (`0700`) when missing.
    pub fn open(root: &Path) -> Result<LocalBlobs, BlobError> {
        create_directory(root).map_err(|source| BlobError::io(root, source))?;
        Ok(LocalBlobs {
            root: root.to_path_buf(),
        })
    }

    /// Where the key's file lives.
    pub fn path_of(&self, key: &BlobKey) -> PathBuf {
        self.root.join(&key.as_str()[..2]).join(key.as_str())
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BlobError> + Send + 'static,
) -> Result<T, BlobError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| BlobError::Task(error.to_string()))?
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), BlobError> {
    // Content-addressed: a file under this name that still hashes to it holds these very bytes. One that does not
    // (damaged on disk) is replaced.
    match std::fs::read(path) {
        Ok(existing) if existing == bytes => return Ok(()),
        Ok(_) => tracing::warn!(path = %path.display(), "replacing a damaged photo file"),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(BlobError::io(path, error)),
    }
    let directory = path
        .parent()
        .ok_or_else(|| BlobError::io(path, io::Error::other("no parent directory")))?;
    create_directory(directory).map_err(|source| BlobError::io(directory, source))?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = directory.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        // The rename is durable once the directory is.
        #[cfg(unix)]
        std::fs::File::open(directory)?.sync_all()?;
        Ok(())
    })();
    written.map_err(|source: io::Error| {
        let _ = std::fs::remove_file(&temporary);
        BlobError::io(path, source)
    })
}

impl BlobStore for LocalBlobs {
    fn put<'a>(&'a self, key: &'a BlobKey, bytes: Bytes) -> BoxFuture<'a, Result<(), BlobError>> {
        let path = self.path_of(key);
        let key = key.clone();
        blocking(move || {
            verify(&key, &bytes)?;
            write_atomically(&path, &bytes)
        })
        .boxed()
    }

    fn get<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<Option<Bytes>, BlobError>> {
        let path = self.path_of(key);
        let key = key.clone();
        blocking(move || match std::fs::read(&path) {
            Ok(bytes) => {
                verify_read(&key, &bytes)?;
                Ok(Some(Bytes::from(bytes)))
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(BlobError::io(&path, error)),
        })
        .boxed()
    }

    fn contains<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<bool, BlobError>> {
        let path = self.path_of(key);
        blocking(move || match std::fs::metadata(&path) {
            Ok(metadata) => Ok(metadata.is_file()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(BlobError::io(&path, error)),
        })
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<(), BlobError>> {
        let path = self.path_of(key);
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(BlobError::io(&path, error)),
        })
        .boxed()
    }

    fn describe(&self) -> String {
        format!("directory {}", self.root.display())
    }
}
