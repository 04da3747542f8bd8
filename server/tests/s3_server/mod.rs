//! A real S3-compatible server for tests: moto's S3 server (`moto[server]` from PyPI), which `scripts/setup --test`
//! installs into `target/s3-test/venv`. Each test starts its own on a free loopback port and creates its bucket;
//! dropping the handle stops it. `ZOUFANG_MOTO_SERVER` may name another `moto_server` executable.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zoufang_server::blobs::s3::{S3Blobs, S3Settings};

pub const ACCESS_KEY_ID: &str = "zoufang-test";
pub const SECRET_ACCESS_KEY: &str = "zoufang-test-secret";

pub struct S3Server {
    child: Child,
    pub address: SocketAddr,
}

fn moto_server() -> PathBuf {
    if let Some(path) = std::env::var_os("ZOUFANG_MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/s3-test/venv/bin/moto_server");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/setup --test, which installs moto's S3 server for these tests",
        path.display()
    );
    path
}

/// One raw HTTP/1.1 request without a body; the status code.
async fn status_of(address: SocketAddr, method: &str, path: &str) -> std::io::Result<u16> {
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP answer: {text:?}")))
}

impl S3Server {
    /// Starts moto's server and waits (up to 60 s) until it answers.
    pub async fn start() -> S3Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let server = S3Server {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while status_of(server.address, "GET", "/").await.is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not answer on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Creates a bucket.
    pub async fn create_bucket(&self, bucket: &str) {
        let status = status_of(self.address, "PUT", &format!("/{bucket}"))
            .await
            .unwrap();
        assert_eq!(status, 200, "creating bucket {bucket}");
    }

    pub fn settings(&self, bucket: &str) -> S3Settings {
        S3Settings {
            bucket: bucket.into(),
            endpoint: Some(self.endpoint()),
            region: "us-east-1".into(),
            prefix: "photos/".into(),
            access_key_id: Some(ACCESS_KEY_ID.parse().unwrap()),
            secret_access_key: Some(SECRET_ACCESS_KEY.parse().unwrap()),
        }
    }

    /// A client of the bucket (created here).
    pub async fn blobs(&self, bucket: &str) -> S3Blobs {
        self.create_bucket(bucket).await;
        let blobs = S3Blobs::new(&self.settings(bucket)).unwrap();
        blobs.check().await.unwrap();
        blobs
    }

    /// The environment that points a server process at the bucket.
    pub fn env(&self, bucket: &str) -> Vec<(&'static str, String)> {
        vec![
            ("ZOUFANG_S3_BUCKET", bucket.into()),
            ("ZOUFANG_S3_ENDPOINT", self.endpoint()),
            ("ZOUFANG_S3_ACCESS_KEY_ID", ACCESS_KEY_ID.into()),
            ("ZOUFANG_S3_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.into()),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
