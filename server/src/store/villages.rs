//! Villages (行政村) and night-school teaching points (教学点).

use sqlx::AnyExecutor;
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

pub async fn count(executor: impl AnyExecutor<'_>) -> Result<i64, StoreError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM villages")
        .fetch_one(executor)
        .await?;
    Ok(count)
}

pub async fn insert(
    executor: impl AnyExecutor<'_>,
    village: &NewVillage<'_>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO villages (id, name, county, township) VALUES ($1, $2, $3, $4)")
        .bind(village.id.to_string())
        .bind(village.name)
        .bind(village.county)
        .bind(village.township)
        .execute(executor)
        .await?;
    Ok(())
}

pub async fn insert_teaching_point(
    executor: impl AnyExecutor<'_>,
    point: &NewTeachingPoint<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO teaching_points (id, village_id, name, location) VALUES ($1, $2, $3, $4)",
    )
    .bind(point.id.to_string())
    .bind(point.village_id.to_string())
    .bind(point.name)
    .bind(point.location)
    .execute(executor)
    .await?;
    Ok(())
}

/// The village of a teaching point; `None` when the point is unknown.
pub async fn teaching_point_village(
    executor: impl AnyExecutor<'_>,
    teaching_point_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    let village: Option<String> =
        sqlx::query_scalar("SELECT village_id FROM teaching_points WHERE id = $1")
            .bind(teaching_point_id.to_string())
            .fetch_optional(executor)
            .await?;
    village
        .map(|id| super::parse_uuid("teaching_points.village_id", &id))
        .transpose()
}

/// A village's id and name, found by id or by exact name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageSummary {
    pub id: Uuid,
    pub name: String,
}

/// Finds villages whose id or name is `id_or_name` (more than one when names repeat).
pub async fn find(
    executor: impl AnyExecutor<'_>,
    id_or_name: &str,
) -> Result<Vec<VillageSummary>, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM villages WHERE id = $1 OR name = $2 ORDER BY id")
            .bind(id_or_name)
            .bind(id_or_name)
            .fetch_all(executor)
            .await?;
    rows.into_iter()
        .map(|(id, name)| {
            Ok(VillageSummary {
                id: super::parse_uuid("villages.id", &id)?,
                name,
            })
        })
        .collect()
}

/// Finds the teaching points of a village whose id or name is `id_or_name`.
pub async fn find_teaching_points(
    executor: impl AnyExecutor<'_>,
    village_id: Uuid,
    id_or_name: &str,
) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM teaching_points WHERE village_id = $1 AND (id = $2 OR name = $3) ORDER BY id",
    )
    .bind(village_id.to_string())
    .bind(id_or_name)
    .bind(id_or_name)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|id| super::parse_uuid("teaching_points.id", id))
        .collect()
}

/// After how many days without a visit a household of the village counts as overdue; `None` for an unknown village.
pub async fn overdue_after_days(
    executor: impl AnyExecutor<'_>,
    village_id: Uuid,
) -> Result<Option<u32>, StoreError> {
    let days: Option<i64> =
        sqlx::query_scalar("SELECT overdue_after_days FROM villages WHERE id = $1")
            .bind(village_id.to_string())
            .fetch_optional(executor)
            .await?;
    // The column's CHECK keeps it within 1..=366; anything else reads as the default.
    Ok(days.and_then(|days| u32::try_from(days).ok()))
}
