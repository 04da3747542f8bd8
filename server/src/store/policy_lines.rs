//! Poverty standards and monitoring lines an administrator set per region and year (`policy_lines`), each with
//! the document that sets it. Retired rows stay for the record; at most one row in force per kind, region and year
//! (a partial unique index).

use sqlx::{AnyConnection, AnyExecutor, Either, Executor, FromRow};
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::money::Fen;
use zoufang_domain::policy::RegionPath;
use zoufang_domain::policy::lines::{ConfiguredLine, LineKind, PolicySource};

use super::households::{self, HouseholdRecord, format_date, parse_date};
use super::{Engine, StoreError, format_instant, parse_uuid};

/// A stored line with its id and whether it is retired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    pub id: Uuid,
    pub line: ConfiguredLine,
    pub created_at: String,
    pub retired_at: Option<String>,
}

/// Adds a line in force. Returns false (and writes nothing) when a line of the same kind, region and year is
/// already in force.
pub async fn insert(
    executor: impl AnyExecutor<'_>,
    id: Uuid,
    line: &ConfiguredLine,
    created_at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO policy_lines (id, kind, region, year, amount_fen, document_number, document_title, \
           document_date, is_demo, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(id.to_string())
    .bind(line.kind.code())
    .bind(String::from(line.region.clone()))
    .bind(line.year)
    .bind(line.amount.fen())
    .bind(&line.source.number)
    .bind(&line.source.title)
    .bind(format_date(line.source.date))
    .bind(i64::from(line.is_demo))
    .bind(format_instant(created_at))
    .execute(executor)
    .await?;
    Ok(result.rows_affected() > 0)
}

/// Retires a line in force; false when there is no such line in force.
pub async fn retire(
    executor: impl AnyExecutor<'_>,
    id: Uuid,
    retired_at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result =
        sqlx::query("UPDATE policy_lines SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL")
            .bind(format_instant(retired_at))
            .bind(id.to_string())
            .execute(executor)
            .await?;
    Ok(result.rows_affected() > 0)
}

/// The columns of a [`LineRow`], from the table.
macro_rules! line_columns {
    () => {
        "SELECT id, kind, region, year, amount_fen, document_number, document_title, document_date, is_demo, \
         created_at, retired_at FROM policy_lines"
    };
}

/// Every line, retired ones too.
const ALL: &str = concat!(line_columns!(), " ORDER BY kind, region, year, created_at");
/// The lines not retired.
const IN_FORCE: &str = concat!(
    line_columns!(),
    " WHERE retired_at IS NULL ORDER BY kind, region, year, created_at"
);

/// Every line (with the retired ones when `with_retired`), by kind, region, year.
pub async fn list(
    executor: impl AnyExecutor<'_>,
    with_retired: bool,
) -> Result<Vec<StoredLine>, StoreError> {
    let sql = if with_retired { ALL } else { IN_FORCE };
    let rows: Vec<LineRow> = sqlx::query_as(sql).fetch_all(executor).await?;
    rows.into_iter().map(LineRow::into_stored).collect()
}

/// A household's record ([`households::find_record`]) and the lines in force ([`in_force`]), read together: on SQLite
/// the two queries go to the connection's thread as one string, one hand-off instead of two.
pub async fn household_and_lines_in_force(
    connection: &mut AnyConnection,
    id: Uuid,
) -> Result<(Option<HouseholdRecord>, Vec<ConfiguredLine>), StoreError> {
    if Engine::of(connection) == Engine::Postgres {
        let record = households::find_record(&mut *connection, id).await?;
        return Ok((record, in_force(&mut *connection).await?));
    }
    let sql = format!("{};\n{IN_FORCE}", households::FIND_RECORD);
    let mut results = connection.fetch_many(sqlx::query(&sql).bind(id.to_string()));
    // The rows of the first query, its result, then the rows of the second.
    let (mut record, mut lines, mut first_done) = (None, Vec::new(), false);
    while let Some(item) = futures_util::TryStreamExt::try_next(&mut results).await? {
        match item {
            Either::Left(_) => first_done = true,
            Either::Right(row) if first_done => {
                lines.push(LineRow::from_row(&row)?.into_stored()?.line);
            }
            Either::Right(row) => {
                record = Some(households::record_from_row(id, FromRow::from_row(&row)?)?);
            }
        }
    }
    Ok((record, lines))
}

/// The lines in force, as the policy document needs them.
pub async fn in_force(executor: impl AnyExecutor<'_>) -> Result<Vec<ConfiguredLine>, StoreError> {
    Ok(list(executor, false)
        .await?
        .into_iter()
        .map(|stored| stored.line)
        .collect())
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: String,
    kind: String,
    region: String,
    year: i32,
    amount_fen: i64,
    document_number: String,
    document_title: String,
    document_date: String,
    /// 0 or 1 (an integer on both engines).
    is_demo: i64,
    created_at: String,
    retired_at: Option<String>,
}

impl LineRow {
    fn into_stored(self) -> Result<StoredLine, StoreError> {
        let corrupt = |column: &'static str, value: &str| StoreError::Corrupt {
            column,
            value: value.to_owned(),
        };
        let kind = LineKind::from_code(&self.kind)
            .ok_or_else(|| corrupt("policy_lines.kind", &self.kind))?;
        let date = parse_date("policy_lines.document_date", &self.document_date)?;
        let source = PolicySource::new(&self.document_number, &self.document_title, date)
            .ok_or_else(|| corrupt("policy_lines.document_number", &self.document_number))?;
        Ok(StoredLine {
            id: parse_uuid("policy_lines.id", &self.id)?,
            line: ConfiguredLine {
                kind,
                region: RegionPath::parse(&self.region),
                year: self.year,
                amount: Fen::from_fen(self.amount_fen),
                source,
                is_demo: self.is_demo != 0,
            },
            created_at: self.created_at,
            retired_at: self.retired_at,
        })
    }
}
