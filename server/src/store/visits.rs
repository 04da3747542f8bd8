//! The writes of an accepted household visit, after its submission row: the plan version, the income sheet, the
//! visit log, the change-log row and the household record, as one [`batch`](super::batch) of statements that each
//! write only while the household is still at the visit's base version.

use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::income::IncomeSheet;
use zoufang_domain::model::{Evidence, Household, Plan, VisitLog};

use super::batch::{self, Bind, Statement, Stopped};
use super::changes::{self, ChangeKind};
use super::households::{self, RecordUpdate};
use super::submissions::{self, NewSubmission};
use super::writer::WriterConnection;
use super::{Engine, StoreError, format_instant};

/// What an accepted visit writes besides its submission row.
#[derive(Debug, Clone)]
pub struct VisitWrites<'a> {
    pub submission_id: Uuid,
    pub household: &'a Household,
    /// The version the visit started from; nothing is written unless the household is still at it.
    pub base_version: i64,
    pub plan: &'a Plan,
    pub income: &'a IncomeSheet,
    pub visit: &'a VisitLog,
    /// The photos' metadata, shown in the household's history.
    pub evidence: &'a [Evidence],
    /// The visit's date (China time): `last_visit_on` moves forward to it, never back.
    pub visited_on: Date,
    pub accepted_at: OffsetDateTime,
}

/// Writes the visit inside the caller's transaction, after its submission row: a `plan_versions` row (pending),
/// an `income_sheets` row, a `visit_logs` row and a `household_changes` row, then the record with version + 1 and
/// the household pointing at the new plan version and income sheet. Returns false, having written none of them,
/// when the household is no longer at `base_version` (or no longer exists).
pub async fn record(
    connection: &mut AnyConnection,
    writes: &VisitWrites<'_>,
) -> Result<bool, StoreError> {
    let statements = statements(Engine::of(connection), writes)?;
    let changed = batch::run(connection, statements).await?;
    Ok(changed.last() == Some(&1))
}

/// Why [`claim_and_record`] wrote nothing that may be kept (the caller rolls the transaction back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwritten {
    /// Another submission holds the id: the caller answers with that one.
    Lost,
    /// The household is no longer at the base version.
    Stale,
}

/// Inserts the submission's row and writes the visit, inside the caller's transaction; `None` when both are written.
/// The insert comes first: among concurrent duplicates exactly one wins, and it takes the write lock. On SQLite the
/// insert and the writes go to the connection's thread as one batch (the writes then run whatever the insert did,
/// and the caller rolls them back on any answer but `None`); on PostgreSQL the writes wait, after the insert, for the
/// household's advisory lock ([`super::serialize_on`]). An error leaves the transaction to be rolled back: when it
/// comes from an id another submission has taken, that submission is found after the rollback.
pub async fn claim_and_record(
    connection: &mut AnyConnection,
    claim: &NewSubmission<'_>,
    writes: &VisitWrites<'_>,
) -> Result<Option<Unwritten>, StoreError> {
    let engine = Engine::of(connection);
    if engine == Engine::Postgres {
        if !submissions::insert_if_absent(&mut *connection, claim).await? {
            return Ok(Some(Unwritten::Lost));
        }
        super::serialize_on(connection, writes.household.id.0).await?;
        let written = record(connection, writes).await?;
        return Ok((!written).then_some(Unwritten::Stale));
    }
    let mut all = vec![submissions::insert_if_absent_statement(claim)];
    all.extend(statements(engine, writes)?);
    let changed = batch::run(connection, all).await?;
    Ok(match (changed.first(), changed.last()) {
        (Some(&1), Some(&1)) if changed.len() > 1 => None,
        (Some(&1), _) => Some(Unwritten::Stale),
        _ => Some(Unwritten::Lost),
    })
}

/// SQLite, a visit with no photos to link: the submission's row and the visit's writes in a transaction of their own,
/// sent to the connection's thread in one hand-off ([`WriterConnection::run_in_transaction`]). The answers are those
/// of [`claim_and_record`], decided inside the transaction by the statements themselves:
/// - the submission's row is a plain insert, so an id another submission holds stops the batch there (`Lost`);
/// - the visit's writes each write only at the base version, and a last statement deletes the submission's row
///   again when its visit log was not written (`Stale`: the transaction commits nothing).
///
/// `None` on PostgreSQL, whose writers use [`claim_and_record`].
pub async fn claim_and_record_in_one_step(
    writer: &mut WriterConnection,
    claim: &NewSubmission<'_>,
    writes: &VisitWrites<'_>,
) -> Option<Result<Option<Unwritten>, StoreError>> {
    if Engine::of(writer) != Engine::Sqlite {
        return None;
    }
    let statements = match statements(Engine::Sqlite, writes) {
        Ok(statements) => statements,
        Err(error) => return Some(Err(error)),
    };
    let mut all = vec![submissions::insert_statement(claim)];
    all.extend(statements);
    all.push(Statement {
        sql: "DELETE FROM submissions WHERE id = $1 \
              AND NOT EXISTS (SELECT 1 FROM visit_logs WHERE submission_id = $1)",
        binds: vec![Bind::Text(writes.submission_id.to_string())],
    });
    Some(match writer.run_in_transaction(all).await? {
        Ok(changed) => Ok(match changed.last() {
            Some(&0) => None,
            _ => Some(Unwritten::Stale),
        }),
        Err(Stopped {
            completed: 0,
            error: StoreError::Database(sqlx::Error::Database(error)),
        }) if error.is_unique_violation() => Ok(Some(Unwritten::Lost)),
        Err(stopped) => Err(stopped.error),
    })
}

fn statements(engine: Engine, writes: &VisitWrites<'_>) -> Result<Vec<Statement>, StoreError> {
    let submission_id = writes.submission_id.to_string();
    let household_id = writes.household.id.0;
    let base_version = Bind::Integer(writes.base_version);
    let accepted_at = format_instant(writes.accepted_at);
    let statements = vec![
        Statement {
            sql: "INSERT INTO plan_versions \
                  (submission_id, plan_id, household_id, plan, status, comments, created_at) \
                  SELECT $1, $2, $3, $4, 'pending', '', $5 \
                  WHERE EXISTS (SELECT 1 FROM households WHERE id = $3 AND version = $6)",
            binds: vec![
                Bind::Text(submission_id.clone()),
                Bind::Text(writes.plan.id.0.to_string()),
                Bind::Text(household_id.to_string()),
                Bind::Text(encode("plan_versions.plan", writes.plan)?),
                Bind::Text(accepted_at.clone()),
                base_version.clone(),
            ],
        },
        Statement {
            sql: "INSERT INTO income_sheets (submission_id, sheet_id, household_id, year, sheet, created_at) \
                  SELECT $1, $2, $3, $4, $5, $6 \
                  WHERE EXISTS (SELECT 1 FROM households WHERE id = $7 AND version = $8)",
            binds: vec![
                Bind::Text(submission_id.clone()),
                Bind::Text(writes.income.id.0.to_string()),
                Bind::Text(writes.income.household_id.0.to_string()),
                Bind::Integer(i64::from(writes.income.year)),
                Bind::Text(encode("income_sheets.sheet", writes.income)?),
                Bind::Text(accepted_at.clone()),
                Bind::Text(household_id.to_string()),
                base_version.clone(),
            ],
        },
        Statement {
            sql: "INSERT INTO visit_logs \
                  (submission_id, visit_id, household_id, started_at, visit, evidence, created_at) \
                  SELECT $1, $2, $3, $4, $5, $6, $7 \
                  WHERE EXISTS (SELECT 1 FROM households WHERE id = $8 AND version = $9)",
            binds: vec![
                Bind::Text(submission_id),
                Bind::Text(writes.visit.id.0.to_string()),
                Bind::Text(writes.visit.household_id.0.to_string()),
                Bind::Text(format_instant(writes.visit.started_at)),
                Bind::Text(encode("visit_logs.visit", writes.visit)?),
                Bind::Text(encode("visit_logs.evidence", &writes.evidence)?),
                Bind::Text(accepted_at),
                Bind::Text(household_id.to_string()),
                base_version,
            ],
        },
        changes::append_at_version_statement(
            engine,
            household_id,
            writes.base_version,
            ChangeKind::Visit,
            writes.accepted_at,
        ),
        // Last: it raises the version the statements above check, and it points at the plan version they wrote.
        households::update_record_statement(&RecordUpdate {
            record: writes.household,
            base_version: writes.base_version,
            visited_on: Some(writes.visited_on),
            visit_submission_id: Some(writes.submission_id),
            updated_at: writes.accepted_at,
        })?,
    ];
    Ok(statements)
}

fn encode<T: serde::Serialize + ?Sized>(
    what: &'static str,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|source| StoreError::Encode { what, source })
}
