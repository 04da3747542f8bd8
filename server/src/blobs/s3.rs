//! Photo bytes in an S3-compatible object store (MinIO, Ceph, a cloud's OSS) through the `object_store` crate:
//! object `<prefix><64 hex>` in one bucket. Several server processes configured with the same bucket serve the same
//! photos.
//!
//! The SHA-256 is checked here before the upload and again on every read; the upload also carries it
//! (`x-amz-checksum-sha256`), so a store that checks checksums refuses bytes damaged on the way.

use axum::body::Bytes;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use object_store::aws::{AmazonS3, AmazonS3Builder, Checksum};
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ObjectStore, PutPayload, RetryConfig};

use super::{BlobError, BlobKey, BlobStore, Secret, verify, verify_read};

/// How to reach the bucket.
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub bucket: String,
    /// `http(s)://host:port`; `None` for AWS's own endpoint of the region.
    pub endpoint: Option<String>,
    pub region: String,
    pub prefix: String,
    pub access_key_id: Option<Secret>,
    pub secret_access_key: Option<Secret>,
}

#[derive(Debug)]
pub struct S3Blobs {
    store: AmazonS3,
    bucket: String,
    endpoint: String,
    prefix: String,
}

impl S3Blobs {
    /// A client for the bucket (no request is made: see [`S3Blobs::check`]).
    pub fn new(settings: &S3Settings) -> Result<S3Blobs, BlobError> {
        if settings.bucket.trim().is_empty() {
            return Err(BlobError::Settings("the bucket name is empty".into()));
        }
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_checksum_algorithm(Checksum::SHA256)
            // A few quick retries: a phone retries an upload itself, and a wrong address should stop the start
            // within seconds rather than after the library's three minutes.
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 3,
                retry_timeout: std::time::Duration::from_secs(15),
            });
        if let Some(endpoint) = &settings.endpoint {
            if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
                return Err(BlobError::Settings(format!(
                    "the endpoint {endpoint:?} does not start with http:// or https://"
                )));
            }
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        match (&settings.access_key_id, &settings.secret_access_key) {
            (Some(id), Some(secret)) => {
                builder = builder
                    .with_access_key_id(id.expose())
                    .with_secret_access_key(secret.expose());
            }
            (None, None) => {}
            _ => {
                return Err(BlobError::Settings(
                    "give both ZOUFANG_S3_ACCESS_KEY_ID and ZOUFANG_S3_SECRET_ACCESS_KEY, or neither".into(),
                ));
            }
        }
        Ok(S3Blobs {
            store: builder.build()?,
            bucket: settings.bucket.clone(),
            endpoint: settings
                .endpoint
                .clone()
                .unwrap_or_else(|| format!("AWS {}", settings.region)),
            prefix: settings.prefix.clone(),
        })
    }

    /// One request that needs the bucket and the credentials: asks for an object that does not exist.
    pub async fn check(&self) -> Result<(), BlobError> {
        let probe = ObjectPath::from(format!("{}.zoufang-probe", self.prefix));
        match self.store.head(&probe).await {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    fn path(&self, key: &BlobKey) -> ObjectPath {
        ObjectPath::from(format!("{}{}", self.prefix, key.as_str()))
    }

    /// The object store itself, for tests that damage an object on purpose.
    pub fn object_store(&self) -> &AmazonS3 {
        &self.store
    }

    /// The object's name for a key.
    pub fn object_path(&self, key: &BlobKey) -> ObjectPath {
        self.path(key)
    }
}

impl BlobStore for S3Blobs {
    fn put<'a>(&'a self, key: &'a BlobKey, bytes: Bytes) -> BoxFuture<'a, Result<(), BlobError>> {
        async move {
            verify(key, &bytes)?;
            self.store
                .put(&self.path(key), PutPayload::from(bytes))
                .await?;
            Ok(())
        }
        .boxed()
    }

    fn get<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<Option<Bytes>, BlobError>> {
        async move {
            let result = match self.store.get(&self.path(key)).await {
                Ok(result) => result,
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                Err(error) => return Err(error.into()),
            };
            let bytes = result.bytes().await?;
            verify_read(key, &bytes)?;
            Ok(Some(bytes))
        }
        .boxed()
    }

    fn contains<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<bool, BlobError>> {
        async move {
            match self.store.head(&self.path(key)).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(error) => Err(error.into()),
            }
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a BlobKey) -> BoxFuture<'a, Result<(), BlobError>> {
        async move {
            match self.store.delete(&self.path(key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(error) => Err(error.into()),
            }
        }
        .boxed()
    }

    fn describe(&self) -> String {
        format!(
            "bucket {} at {} (prefix {:?})",
            self.bucket, self.endpoint, self.prefix
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> S3Settings {
        S3Settings {
            bucket: "photos".into(),
            endpoint: Some("http://127.0.0.1:9000".into()),
            region: "us-east-1".into(),
            prefix: "photos/".into(),
            access_key_id: Some("id".parse().unwrap_or_else(|e| match e {})),
            secret_access_key: Some("secret".parse().unwrap_or_else(|e| match e {})),
        }
    }

    #[test]
    fn settings_that_cannot_work_are_refused_before_any_request() {
        assert!(S3Blobs::new(&settings()).is_ok());
        let refused = |settings: S3Settings| match S3Blobs::new(&settings) {
            Err(BlobError::Settings(reason)) => reason,
            other => panic!("accepted: {other:?}"),
        };
        let reason = refused(S3Settings {
            endpoint: Some("127.0.0.1:9000".into()),
            ..settings()
        });
        assert!(reason.contains("http://"), "{reason}");
        let reason = refused(S3Settings {
            secret_access_key: None,
            ..settings()
        });
        assert!(reason.contains("ZOUFANG_S3_SECRET_ACCESS_KEY"), "{reason}");
        let reason = refused(S3Settings {
            bucket: " ".into(),
            ..settings()
        });
        assert!(reason.contains("bucket"), "{reason}");
    }

    #[test]
    fn objects_are_named_by_prefix_and_hash() {
        let blobs = S3Blobs::new(&settings()).unwrap_or_else(|e| panic!("{e}"));
        let key = BlobKey::of(b"photo");
        assert_eq!(blobs.object_path(&key).as_ref(), format!("photos/{key}"));
        assert!(!blobs.describe().contains("secret"));
    }
}
