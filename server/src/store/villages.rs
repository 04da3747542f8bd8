//! Villages (行政村) and night-school teaching points (教学点).

use sqlx::SqliteExecutor;
use uuid::Uuid;

use super::StoreError;

/// A village as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVillage<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub county: &'a str,
    pub township: &'a str,
}

/// A teaching point as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTeachingPoint<'a> {
    pub id: Uuid,
    pub village_id: Uuid,
    pub name: &'a str,
    pub location: &'a str,
}

pub async fn count(executor: impl SqliteExecutor<'_>) -> Result<i64, StoreError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM villages")
        .fetch_one(executor)
        .await?;
    Ok(count)
}

pub async fn insert(
    executor: impl SqliteExecutor<'_>,
    village: &NewVillage<'_>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO villages (id, name, county, township) VALUES (?, ?, ?, ?)")
        .bind(village.id.to_string())
        .bind(village.name)
        .bind(village.county)
        .bind(village.township)
        .execute(executor)
        .await?;
    Ok(())
}

pub async fn insert_teaching_point(
    executor: impl SqliteExecutor<'_>,
    point: &NewTeachingPoint<'_>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO teaching_points (id, village_id, name, location) VALUES (?, ?, ?, ?)")
        .bind(point.id.to_string())
        .bind(point.village_id.to_string())
        .bind(point.name)
        .bind(point.location)
        .execute(executor)
        .await?;
    Ok(())
}
