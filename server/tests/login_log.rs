//! A refused login is logged at WARN with a hashed phone number and the client address, never the number itself.
//!
//! Alone in its own test binary: `tracing`'s per-callsite interest cache is process-wide, and tests on other threads
//! registering the same callsites without a subscriber make a thread-local subscriber miss events now and then.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::spawn;
use zoufang_domain::protocol::Role;
use zoufang_server::auth::throttle::phone_pseudonym;

const PHONE: &str = "13900000001";
const PASSWORD: &str = "correct horse 电池";

/// Captures what the `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_refused_login_is_logged_with_a_hashed_phone_and_the_client_address() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    app.login_from("203.0.113.5:1234", PHONE, "wrong password")
        .await;
    app.login_from("203.0.113.5:1234", PHONE, PASSWORD).await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let refusals: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("login refused"))
        .collect();
    assert_eq!(refusals.len(), 1, "{log}");
    assert!(refusals[0].contains("WARN"), "{log}");
    assert!(refusals[0].contains(&phone_pseudonym(PHONE)), "{log}");
    assert!(refusals[0].contains("203.0.113.5"), "{log}");
    assert!(
        !log.contains(PHONE),
        "the phone number is never logged: {log}"
    );
}
