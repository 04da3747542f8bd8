//! Several writes of one transaction sent together: on SQLite as one query string, which the connection's thread
//! runs statement after statement in one hand-off (each hand-off to that thread and back costs more than a small
//! statement itself); on PostgreSQL one statement after another, since a prepared statement there holds only one.

use std::fmt::Write as _;

use sqlx::{AnyConnection, Executor};

use super::{Engine, StoreError};

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Bind {
    Text(String),
    OptionalText(Option<String>),
    Integer(i64),
}

/// One statement of a batch: its SQL with placeholders `$1 … $n` (no other `$` in the text) and their `n` values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Statement {
    pub sql: &'static str,
    pub binds: Vec<Bind>,
}

/// Runs the statements in order inside the caller's transaction; returns how many rows each one changed. On an
/// error the statements before it have run: the caller rolls the transaction back.
pub(super) async fn run(
    connection: &mut AnyConnection,
    statements: Vec<Statement>,
) -> Result<Vec<u64>, StoreError> {
    if Engine::of(connection) == Engine::Postgres {
        let mut changed = Vec::with_capacity(statements.len());
        for statement in statements {
            let result = bind_all(sqlx::query(statement.sql), statement.binds)
                .execute(&mut *connection)
                .await?;
            changed.push(result.rows_affected());
        }
        return Ok(changed);
    }
    run_counting(connection, statements)
        .await
        .map_err(|stopped| stopped.error)
}

/// A SQLite batch stopped by an error: how many of its statements had completed before the one that failed.
#[derive(Debug)]
pub(super) struct Stopped {
    pub completed: usize,
    pub error: StoreError,
}

/// SQLite only: like [`run`], but an error says how many statements completed before it.
pub(super) async fn run_counting(
    connection: &mut AnyConnection,
    statements: Vec<Statement>,
) -> Result<Vec<u64>, Stopped> {
    let sql = joined_sql(&statements);
    let binds: Vec<Bind> = statements
        .into_iter()
        .flat_map(|statement| statement.binds)
        .collect();
    // sqlx's SQLite driver prepares every statement of the string and binds `$k` to the k-th value, answering
    // one result per statement, in order.
    let mut results = connection.fetch_many(bind_all(sqlx::query(&sql), binds));
    let mut changed = Vec::new();
    while let Some(item) = futures_util::TryStreamExt::try_next(&mut results)
        .await
        .map_err(|error| Stopped {
            completed: changed.len(),
            error: error.into(),
        })?
    {
        if let sqlx::Either::Left(result) = item {
            changed.push(result.rows_affected());
        }
    }
    Ok(changed)
}

pub(super) fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text),
            Bind::OptionalText(text) => query.bind(text),
            Bind::Integer(number) => query.bind(number),
        };
    }
    query
}

/// The statements as one string, each statement's `$k` renumbered after the values of the statements before it.
fn joined_sql(statements: &[Statement]) -> String {
    let mut sql = String::new();
    let mut offset = 0;
    for statement in statements {
        let mut rest = statement.sql;
        while let Some(dollar) = rest.find('$') {
            sql.push_str(&rest[..=dollar]);
            rest = &rest[dollar + 1..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let number: usize = rest[..digits].parse().unwrap_or(0);
            let _ = write!(sql, "{}", number + offset);
            rest = &rest[digits..];
        }
        sql.push_str(rest);
        sql.push_str(";\n");
        offset += statement.binds.len();
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_after_the_values_of_earlier_statements() {
        let statements = vec![
            Statement {
                sql: "INSERT INTO a (x, y) VALUES ($1, $2)",
                binds: vec![Bind::Integer(1), Bind::Integer(2)],
            },
            Statement {
                sql: "UPDATE b SET x = $2 WHERE id = $1 AND v = $10",
                binds: (0..10).map(Bind::Integer).collect(),
            },
            Statement {
                sql: "DELETE FROM c WHERE id = $1",
                binds: vec![Bind::Integer(3)],
            },
        ];
        assert_eq!(
            joined_sql(&statements),
            "INSERT INTO a (x, y) VALUES ($1, $2);\n\
             UPDATE b SET x = $4 WHERE id = $3 AND v = $12;\n\
             DELETE FROM c WHERE id = $13;\n"
        );
    }
}
