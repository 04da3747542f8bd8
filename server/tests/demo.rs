//! The demo village: seeded once, consistent, and loggable-into with the printed logins.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::spawn;
use time::OffsetDateTime;
use zoufang_domain::protocol::{Role, UserProfile};
use zoufang_server::demo::{self, DEMO_LOGINS, DEMO_PASSWORD, SeedOutcome};

/// GB 11643 / ISO 7064 MOD 11-2, written again here from the standard rather than reusing the seed's code.
fn passes_mod11_2(id: &str) -> bool {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(weights)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    bytes[17] == b"10X98765432"[(sum % 11) as usize]
}

async fn count(app: &common::TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn seeding_twice_changes_nothing_the_second_time() {
    let app = spawn().await;
    let first = demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let SeedOutcome::Seeded {
        households,
        members,
    } = first
    else {
        panic!("first seed did nothing: {first:?}");
    };
    assert_eq!(households, 12);

    let second = demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(second, SeedOutcome::AlreadyPresent);
    assert_eq!(count(&app, "villages").await, 1);
    assert_eq!(count(&app, "users").await, DEMO_LOGINS.len() as i64);
    assert_eq!(count(&app, "households").await, 12);
    assert_eq!(count(&app, "household_members").await, members as i64);
}

#[tokio::test]
async fn every_demo_id_number_passes_mod11_2_and_matches_birth_date_and_sex() {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let members: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id_number, birth_date, sex FROM household_members")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(members.len() >= 12);
    for (id_number, birth_date, sex) in members {
        assert!(passes_mod11_2(&id_number), "{id_number}");
        assert!(id_number.starts_with("460107"), "{id_number}");
        assert_eq!(
            &id_number[6..14],
            birth_date.replace('-', ""),
            "{id_number}"
        );
        let sex_digit = id_number.as_bytes()[16] - b'0';
        let expected_sex = if sex_digit % 2 == 1 { "male" } else { "female" };
        assert_eq!(sex, expected_sex, "{id_number}");
    }
}

#[tokio::test]
async fn demo_households_are_spread_over_three_helpers_and_three_groups() {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let helpers: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT h.helper_user_id) FROM households h \
         JOIN users u ON u.id = h.helper_user_id WHERE u.role = 'helper'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(helpers, 3);
    let groups: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT group_name FROM households ORDER BY group_name")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(groups.len(), 3);
}

#[tokio::test]
async fn every_demo_login_works_and_the_cadre_has_a_teaching_point() {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    for login in DEMO_LOGINS {
        assert_eq!(login.password, DEMO_PASSWORD);
        let token = app.token_for(login.phone, login.password).await;
        let me = app.with_token(Method::GET, "/api/me", &token).await;
        assert_eq!(me.status, StatusCode::OK);
        let profile: UserProfile = serde_json::from_slice(&me.body).unwrap();
        assert_eq!(profile.role, login.role);
        assert_eq!(profile.name, login.name);
        match login.role {
            Role::Admin => assert!(profile.village.is_none()),
            _ => assert_eq!(profile.village.as_ref().unwrap().name, "清泉村"),
        }
        assert_eq!(
            profile.teaching_point.map(|point| point.name),
            (login.role == Role::VillageCadre).then(|| "清泉村委会教学点".to_owned())
        );
    }
}

#[tokio::test]
async fn demo_passwords_are_stored_as_argon2id_hashes() {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let hashes: Vec<String> = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(hashes.len(), DEMO_LOGINS.len());
    for hash in &hashes {
        assert!(hash.starts_with("$argon2id$"), "{hash}");
    }
    // Each account has its own salt.
    let mut unique = hashes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), hashes.len());
}
