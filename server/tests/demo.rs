//! The demo village: seeded once, consistent, and loggable-into with the printed logins.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::spawn;
use time::OffsetDateTime;
use zoufang_domain::model::{Household, Member, Sex};
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

/// Every household record in the database, parsed as the domain type.
async fn records(app: &common::TestApp) -> Vec<Household> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT record FROM households ORDER BY code")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    rows.iter()
        .map(|json| serde_json::from_str(json).unwrap())
        .collect()
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
    let records = records(&app).await;
    assert_eq!(
        records
            .iter()
            .map(|household| household.members.len())
            .sum::<usize>(),
        members
    );
}

#[tokio::test]
async fn every_demo_id_number_passes_mod11_2_and_matches_birth_date_and_sex() {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let members: Vec<Member> = records(&app)
        .await
        .into_iter()
        .flat_map(|household| household.members)
        .collect();
    assert!(members.len() >= 12);
    for member in members {
        let id_number = &member.id_number;
        assert!(passes_mod11_2(id_number), "{id_number}");
        assert!(id_number.starts_with("460107"), "{id_number}");
        let birth_date = member.birth_date;
        assert_eq!(
            &id_number[6..14],
            format!(
                "{:04}{:02}{:02}",
                birth_date.year(),
                u8::from(birth_date.month()),
                birth_date.day()
            ),
            "{id_number}"
        );
        let sex_digit = id_number.as_bytes()[16] - b'0';
        let expected_sex = if sex_digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        };
        assert_eq!(member.sex, expected_sex, "{id_number}");
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

#[tokio::test]
async fn a_database_seeded_before_household_records_gets_them_at_the_next_start() {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    // What migration 0002 leaves of households written before it: no record.
    sqlx::query("UPDATE households SET record = NULL, code = 'QQ' || substr(id, -4)")
        .execute(&app.pool)
        .await
        .unwrap();
    let outcome = demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(outcome, SeedOutcome::Backfilled { households: 12 });
    let records = records(&app).await;
    assert_eq!(records.len(), 12);
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM households ORDER BY code")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        codes,
        records
            .iter()
            .map(|household| household.household_code.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        demo::seed(&app.pool, OffsetDateTime::now_utc())
            .await
            .unwrap(),
        SeedOutcome::AlreadyPresent
    );
}

/// id, code, head_name, group_name, helper_user_id, record, version.
type SummaryRow = (String, String, String, String, Option<String>, String, i64);

#[tokio::test]
async fn the_summary_columns_are_copied_from_the_record() {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, code, head_name, group_name, helper_user_id, record, version FROM households",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 12);
    for (id, code, head_name, group_name, helper_user_id, record, version) in rows {
        let household: Household = serde_json::from_str(&record).unwrap();
        assert_eq!(household.id.to_string(), id);
        assert_eq!(household.household_code, code);
        assert_eq!(household.members[0].name, head_name);
        assert_eq!(household.address.group, group_name);
        assert_eq!(
            household
                .current_helper()
                .and_then(|helper| helper.user_id)
                .map(|user| user.to_string()),
            helper_user_id
        );
        assert_eq!(version, 1);
    }
}

#[tokio::test]
async fn a_database_from_before_migration_0002_is_upgraded_and_backfilled() {
    use sqlx::migrate::Migrator;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("old.sqlite");
    let only_0001 = directory.path().join("migrations");
    std::fs::create_dir(&only_0001).unwrap();
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    std::fs::copy(
        migrations.join("0001_foundation.sql"),
        only_0001.join("0001_foundation.sql"),
    )
    .unwrap();

    // The old server: schema 0001, one demo household with a member row and no record.
    let old = SqlitePoolOptions::new()
        .connect_with(
            SqliteConnectOptions::new()
                .filename(&database)
                .create_if_missing(true)
                .foreign_keys(true),
        )
        .await
        .unwrap();
    Migrator::new(only_0001.as_path())
        .await
        .unwrap()
        .run(&old)
        .await
        .unwrap();
    let village = demo::demo_village_id().to_string();
    let household = demo::demo_households(time::macros::date!(2026 - 11 - 22))[0]
        .record
        .id
        .to_string();
    let helper = demo::demo_user_id(0).to_string();
    for statement in [
        format!(
            "INSERT INTO villages (id, name, county, township) VALUES ('{village}', '清泉村', '海口市琼山区', '三门坡镇')"
        ),
        format!(
            "INSERT INTO users (id, phone, name, role, password_hash, village_id, created_at) \
             VALUES ('{helper}', '13800000001', '王海燕', 'helper', 'x', '{village}', '2026-11-01T00:00:00Z')"
        ),
        format!(
            "INSERT INTO households (id, village_id, code, head_name, group_name, address, helper_user_id, created_at, updated_at) \
             VALUES ('{household}', '{village}', 'QQ0001', '王德福', '一组', '清泉村一组 3 号', '{helper}', \
                     '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')"
        ),
        format!(
            "INSERT INTO household_members (id, household_id, ordinal, name, relation, sex, birth_date, id_number) \
             VALUES ('m1', '{household}', 1, '王德福', '户主', 'male', '1962-03-14', '460107196203140011')"
        ),
    ] {
        sqlx::query(&statement).execute(&old).await.unwrap();
    }
    old.close().await;

    // The new server opens it: 0002 applies, and the seed fills in the record.
    let pool = zoufang_server::store::open(&database).await.unwrap();
    let outcome = demo::seed(&pool, OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(outcome, SeedOutcome::Backfilled { households: 1 });
    let (code, record, version): (String, String, i64) =
        sqlx::query_as("SELECT code, record, version FROM households")
            .fetch_one(&pool)
            .await
            .unwrap();
    let record: Household = serde_json::from_str(&record).unwrap();
    assert_eq!(record.household_code, code);
    assert_eq!(record.members[0].name, "王德福");
    assert_eq!(version, 1);
    let members_table: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'household_members'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(members_table, 0);
}
