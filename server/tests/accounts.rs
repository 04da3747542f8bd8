//! Account lifecycle: disabling (tokens refused at once), password reset and session revocation, the session cap,
//! the password policy, and the database's file modes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::spawn;
use time::{Duration, OffsetDateTime};
use zoufang_domain::protocol::Role;
use zoufang_server::admin::{self, AdminCommand, NewAccount};
use zoufang_server::auth::token::hash_token;
use zoufang_server::store::sessions;

const PHONE: &str = "13900000001";
const PASSWORD: &str = "correct horse 电池";
const NEW_PASSWORD: &str = "a fresh 新密码 2027";

async fn run(app: &common::TestApp, command: AdminCommand, stdin: &str) -> Result<(), String> {
    let mut stdin = stdin.as_bytes();
    admin::run(&app.pool, command, &mut stdin)
        .await
        .map_err(|error| error.to_string())
}

async fn sessions_of(app: &common::TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_disabled_users_token_is_refused_at_once_and_they_cannot_log_in() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let token = app.token_for(PHONE, PASSWORD).await;
    assert_eq!(
        app.with_token(Method::GET, "/api/me", &token).await.status,
        StatusCode::OK
    );

    run(
        &app,
        AdminCommand::DisableUser {
            phone: PHONE.into(),
        },
        "",
    )
    .await
    .unwrap();
    let me = app.with_token(Method::GET, "/api/me", &token).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.error_code(), "account_disabled");
    assert_eq!(me.json()["message"], "该账号已停用，请联系乡镇管理员。");
    assert_eq!(
        me.header("www-authenticate"),
        r#"Bearer error="invalid_token""#
    );
    let login = app.login(PHONE, PASSWORD).await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
    assert_eq!(login.error_code(), "account_disabled");
    // A wrong password on a disabled account says no more than on any account.
    assert_eq!(
        app.login(PHONE, "wrong password").await.error_code(),
        "invalid_credentials"
    );
    let again = run(
        &app,
        AdminCommand::DisableUser {
            phone: PHONE.into(),
        },
        "",
    )
    .await;
    assert!(again.unwrap_err().contains("already disabled"));

    run(
        &app,
        AdminCommand::EnableUser {
            phone: PHONE.into(),
        },
        "",
    )
    .await
    .unwrap();
    assert_eq!(
        app.with_token(Method::GET, "/api/me", &token).await.status,
        StatusCode::OK,
        "enabling restores the phone's session"
    );
    assert_eq!(app.login(PHONE, PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn reset_password_revokes_every_session_and_the_old_password() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let first = app.token_for(PHONE, PASSWORD).await;
    let second = app.token_for(PHONE, PASSWORD).await;

    run(
        &app,
        AdminCommand::ResetPassword {
            phone: PHONE.into(),
            password: None,
        },
        &format!("{NEW_PASSWORD}\n"),
    )
    .await
    .unwrap();
    for token in [&first, &second] {
        let me = app.with_token(Method::GET, "/api/me", token).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        assert_eq!(me.error_code(), "invalid_token");
    }
    assert_eq!(sessions_of(&app).await, 0);
    assert_eq!(
        app.login(PHONE, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.login(PHONE, NEW_PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn reset_password_applies_the_password_policy_and_changes_nothing_when_refused() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let token = app.token_for(PHONE, PASSWORD).await;
    for (password, fragment) in [
        ("short1", "at least 10"),
        ("wang13900000001", "phone number"),
        ("1qaz2wsx3edc", "most common"),
        ("Woaini1314", "most common"),
    ] {
        let error = run(
            &app,
            AdminCommand::ResetPassword {
                phone: PHONE.into(),
                password: Some(password.into()),
            },
            "",
        )
        .await
        .unwrap_err();
        assert!(error.contains(fragment), "{password}: {error}");
    }
    assert_eq!(
        app.with_token(Method::GET, "/api/me", &token).await.status,
        StatusCode::OK
    );
    assert_eq!(app.login(PHONE, PASSWORD).await.status, StatusCode::OK);
    let unknown = run(
        &app,
        AdminCommand::ResetPassword {
            phone: "13912345678".into(),
            password: Some(NEW_PASSWORD.into()),
        },
        "",
    )
    .await;
    assert!(unknown.unwrap_err().contains("no account"));
}

#[tokio::test]
async fn create_user_refuses_passwords_the_policy_refuses() {
    let app = spawn().await;
    for (password, fragment) in [
        ("123456", "at least 10"),
        ("13900000002", "phone number"),
        ("my13900000002", "phone number"),
        ("123456789a", "most common"),
        ("Password123", "most common"),
        ("qwertyuiop", "most common"),
    ] {
        let error = admin::create_user(
            &app.pool,
            NewAccount {
                phone: "13900000002",
                name: "新帮扶人",
                role: Role::Helper,
                village: None,
                teaching_point: None,
                password: password.into(),
            },
            OffsetDateTime::now_utc(),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(error.contains(fragment), "{password}: {error}");
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn revoke_sessions_logs_an_account_out_everywhere_and_no_one_else() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    app.create_user("13900000002", PASSWORD, Role::Helper).await;
    let lost_phone = app.token_for(PHONE, PASSWORD).await;
    let colleague = app.token_for("13900000002", PASSWORD).await;

    run(
        &app,
        AdminCommand::RevokeSessions {
            phone: PHONE.into(),
        },
        "",
    )
    .await
    .unwrap();
    let me = app.with_token(Method::GET, "/api/me", &lost_phone).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.error_code(), "invalid_token");
    assert_eq!(
        app.with_token(Method::GET, "/api/me", &colleague)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(app.login(PHONE, PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn sessions_per_account_are_capped_and_the_oldest_is_dropped_at_login() {
    let app = spawn().await;
    let user_id = app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let now = OffsetDateTime::now_utc();
    // Five older sessions, a minute apart: "old-0" is the oldest.
    for n in 0..5_i64 {
        sessions::insert(
            &app.pool,
            &hash_token(&format!("old-{n}")),
            user_id,
            now - Duration::minutes(10 - n),
            now + Duration::days(30),
        )
        .await
        .unwrap();
    }
    let token = app.token_for(PHONE, PASSWORD).await;
    assert_eq!(sessions_of(&app).await, 5);
    let oldest = app.with_token(Method::GET, "/api/me", "old-0").await;
    assert_eq!(oldest.status, StatusCode::UNAUTHORIZED);
    for kept in ["old-1", "old-4", token.as_str()] {
        assert_eq!(
            app.with_token(Method::GET, "/api/me", kept).await.status,
            StatusCode::OK,
            "{kept}"
        );
    }

    // Logins within the same second: still five, and the newest always works.
    for _ in 0..4 {
        let newest = app.token_for(PHONE, PASSWORD).await;
        assert_eq!(sessions_of(&app).await, 5);
        assert_eq!(
            app.with_token(Method::GET, "/api/me", &newest).await.status,
            StatusCode::OK
        );
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_directory_is_0700_and_its_files_0600() {
    use std::os::unix::fs::PermissionsExt;

    let root = tempfile::tempdir().unwrap();
    let directory = root.path().join("zoufang").join("data");
    let database = directory.join("zoufang.sqlite");
    let pool = zoufang_server::store::open(&database).await.unwrap();
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&directory), 0o700);
    assert_eq!(mode(&root.path().join("zoufang")), 0o700);
    for suffix in ["", "-wal", "-shm"] {
        let path = std::path::PathBuf::from(format!("{}{suffix}", database.display()));
        assert!(path.exists(), "{}", path.display());
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    pool.close().await;
}

#[cfg(unix)]
#[tokio::test]
async fn a_world_readable_database_from_before_is_made_private() {
    use std::os::unix::fs::PermissionsExt;

    let root = tempfile::tempdir().unwrap();
    // A shared directory such as /var/lib: readable by others, and it must stay so.
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let database = root.path().join("old.sqlite");
    let pool = zoufang_server::store::open(&database).await.unwrap();
    pool.close().await;
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();

    let pool = zoufang_server::store::open(&database).await.unwrap();
    let mode = std::fs::metadata(&database).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // The directory existed before: it is left as it was.
    let root_mode = std::fs::metadata(root.path()).unwrap().permissions().mode() & 0o777;
    assert_eq!(root_mode, 0o755);
    pool.close().await;
}
