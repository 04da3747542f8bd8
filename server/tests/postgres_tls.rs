//! The server reaches PostgreSQL over TLS, verifying the server's certificate, when the database URL asks for it
//! (`sslmode=verify-full`, with `sslrootcert` for a private CA). Run against a cluster that takes TLS connections
//! only: `ZOUFANG_PG_TLS=1 scripts/with-postgres cargo test -p zoufang-server --test postgres_tls -- --ignored`
//! (`scripts/test` does).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use zoufang_server::store;

const NEEDS: &str = "run by ZOUFANG_PG_TLS=1 scripts/with-postgres … --ignored";

/// A fresh database on the TLS-only cluster, and the file of the CA that signed its certificate.
async fn tls_database() -> (String, String) {
    let server = common::postgres_server().expect(NEEDS);
    let ca = std::env::var("ZOUFANG_TEST_POSTGRES_TLS_CA").expect(NEEDS);
    (common::fresh_postgres_database(&server).await, ca)
}

#[tokio::test]
#[ignore = "needs a TLS-only PostgreSQL: ZOUFANG_PG_TLS=1 scripts/with-postgres"]
async fn the_store_opens_postgresql_over_tls_with_the_certificate_verified() {
    let (database, ca) = tls_database().await;
    let pool = store::open_url(&format!("{database}?sslmode=verify-full&sslrootcert={ca}"))
        .await
        .unwrap();
    let encrypted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(encrypted, 1);
    // The migrations ran through it.
    let villages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM villages")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(villages, 0);
    pool.close().await;
}

#[tokio::test]
#[ignore = "needs a TLS-only PostgreSQL: ZOUFANG_PG_TLS=1 scripts/with-postgres"]
async fn a_certificate_from_an_unknown_ca_or_a_connection_without_tls_is_refused() {
    let (database, _) = tls_database().await;
    // Our CA is not among the system's: verify-full refuses the server's certificate.
    let unverified = store::open_url(&format!("{database}?sslmode=verify-full")).await;
    let refusal = format!(
        "{:?}",
        unverified.expect_err("a certificate no trusted CA signed was accepted")
    );
    assert!(refusal.contains("UnknownIssuer"), "{refusal}");
    // The cluster takes TLS connections only, so a connection that works is encrypted.
    let plain = store::open_url(&format!("{database}?sslmode=disable")).await;
    let refusal = format!(
        "{:?}",
        plain.expect_err("the cluster took a connection without TLS")
    );
    assert!(refusal.contains("no encryption"), "{refusal}");
}
