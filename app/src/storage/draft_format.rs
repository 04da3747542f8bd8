//! The stored draft's format: reading a draft as the phone holds it, migrating one written by an older app step
//! by step up to [`DRAFT_SCHEMA_VERSION`], and refusing — never guessing at — one that does not decode or that a
//! newer app wrote, so that the caller keeps it aside instead of starting afresh over it.
//!
//! Migrations work on the JSON value, before it is decoded, so they can read shapes the current types no longer
//! have. They are pure and never edited once released: a change of format is a new step at the end of
//! [`DRAFT_MIGRATIONS`] and a bump of [`DRAFT_SCHEMA_VERSION`]. `app/tests/golden/` pins the stored formats.

use super::records::StoredDraft;
use crate::draft::DRAFT_SCHEMA_VERSION;
use serde_json::Value;

/// Why a stored draft cannot be read. Kept with the draft set aside (not shown to the helper as is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftReadError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("no draft or no schema_version in it")]
    NoVersion,
    #[error("written by a newer app: draft version {found}, this app reads up to {supported}")]
    Newer { found: u64, supported: u32 },
    #[error("no migration from draft version {0}")]
    NoMigration(u64),
    #[error("migration {name} failed: {reason}")]
    Migration { name: &'static str, reason: String },
    #[error("does not have the draft's shape: {0}")]
    Shape(String),
}

/// One step from a draft version to the next.
#[derive(Debug, Clone, Copy)]
pub struct DraftMigration {
    /// The version it reads; it writes `from_version + 1`.
    pub from_version: u32,
    pub name: &'static str,
    /// Changes the draft (the `draft` object of the stored value) in place.
    pub run: fn(&mut Value) -> Result<(), String>,
}

/// Every step, oldest first; the last one ends at [`DRAFT_SCHEMA_VERSION`].
pub const DRAFT_MIGRATIONS: &[DraftMigration] = &[DraftMigration {
    from_version: 1,
    name: "v1_to_v2_forget_text_of_removed_rows",
    run: v1_to_v2_forget_text_of_removed_rows,
}];

/// Reads a stored draft from its JSON text, migrating it if an older app wrote it.
///
/// A draft of the current version (what this app writes, so nearly always) is decoded straight into its types;
/// only another version, or text that does not decode, goes through the JSON value the migrations work on. Both
/// ways read a current draft alike (tests below); the direct one spares the household page building a tree of
/// every value first, several times the cost of the decode itself.
pub fn read_stored_draft(json: &str) -> Result<StoredDraft, DraftReadError> {
    match serde_json::from_str::<StoredDraft>(json) {
        Ok(stored) if stored.draft.schema_version == DRAFT_SCHEMA_VERSION => Ok(stored),
        _ => read_through_value(json),
    }
}

/// Reads a stored draft of any version: as a JSON value, migrated step by step, then decoded.
fn read_through_value(json: &str) -> Result<StoredDraft, DraftReadError> {
    let mut stored: Value =
        serde_json::from_str(json).map_err(|error| DraftReadError::NotJson(error.to_string()))?;
    migrate_stored_draft(&mut stored)?;
    serde_json::from_value(stored).map_err(|error| DraftReadError::Shape(error.to_string()))
}

/// Brings a stored draft (`{"draft": {...}, "saved_at": ...}`) to [`DRAFT_SCHEMA_VERSION`], one step at a time.
pub fn migrate_stored_draft(stored: &mut Value) -> Result<(), DraftReadError> {
    let draft = stored
        .get_mut("draft")
        .filter(|draft| draft.is_object())
        .ok_or(DraftReadError::NoVersion)?;
    let mut version = draft
        .get("schema_version")
        .and_then(Value::as_u64)
        .ok_or(DraftReadError::NoVersion)?;
    if version > u64::from(DRAFT_SCHEMA_VERSION) {
        return Err(DraftReadError::Newer {
            found: version,
            supported: DRAFT_SCHEMA_VERSION,
        });
    }
    while version < u64::from(DRAFT_SCHEMA_VERSION) {
        let step = DRAFT_MIGRATIONS
            .iter()
            .find(|step| u64::from(step.from_version) == version)
            .ok_or(DraftReadError::NoMigration(version))?;
        (step.run)(draft).map_err(|reason| DraftReadError::Migration {
            name: step.name,
            reason,
        })?;
        version += 1;
        draft["schema_version"] = Value::from(version);
    }
    Ok(())
}

/// Version 1 → 2: forgets text kept for rows that no longer exist.
///
/// Apps before list rows were keyed did not move or forget a row's kept text (`raw_inputs`, by path such as
/// `members[3].birth_date`) when a row was removed. Text left at an index past the end of its list names a field
/// that is gone: it shows as an error the helper cannot reach and blocks 提交. Text of rows that still exist is
/// kept as it is.
pub fn v1_to_v2_forget_text_of_removed_rows(draft: &mut Value) -> Result<(), String> {
    let orphans: Vec<String> = match draft.get("raw_inputs") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Object(raw_inputs)) => raw_inputs
            .keys()
            .filter(|path| names_a_removed_row(draft, path))
            .cloned()
            .collect(),
        Some(_) => return Err("raw_inputs is not an object".to_owned()),
    };
    if let Some(Value::Object(raw_inputs)) = draft.get_mut("raw_inputs") {
        for path in orphans {
            raw_inputs.remove(&path);
        }
    }
    Ok(())
}

/// Whether `path` (a field path as the forms write it: `income.…`, `plan.…` and `visit.…` from the draft, the
/// rest from the household) goes through a list index past the end of its list. A path that does not resolve for
/// another reason (a field that is empty, a name this version does not know) is not a removed row.
fn names_a_removed_row(draft: &Value, path: &str) -> bool {
    let root = match path.split(['.', '[']).next() {
        Some("income" | "plan" | "visit") => Some(draft),
        _ => draft.get("household"),
    };
    let Some(mut node) = root else {
        return false;
    };
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => match rest.strip_suffix(']').map(str::parse::<usize>) {
                Some(Ok(index)) => (name, Some(index)),
                _ => return false,
            },
            None => (segment, None),
        };
        let Some(child) = node.get(name) else {
            return false;
        };
        node = match index {
            None => child,
            Some(index) => match child.as_array() {
                Some(items) => match items.get(index) {
                    Some(item) => item,
                    None => return true,
                },
                None => return false,
            },
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stored(draft: Value) -> Value {
        json!({ "draft": draft, "saved_at": "2026-11-20T08:00:00Z" })
    }

    #[test]
    fn the_steps_are_in_order_without_gaps_and_end_at_the_current_version() {
        for (index, step) in DRAFT_MIGRATIONS.iter().enumerate() {
            assert_eq!(step.from_version as usize, index + 1, "{}", step.name);
        }
        assert_eq!(
            DRAFT_MIGRATIONS.last().map(|step| step.from_version + 1),
            Some(DRAFT_SCHEMA_VERSION)
        );
    }

    #[test]
    fn v1_to_v2_forgets_text_past_the_end_of_its_list_and_keeps_the_rest() {
        let mut draft = json!({
            "schema_version": 1,
            "household": {
                "members": [{ "name": "甲" }, { "name": "乙" }],
                "sudden_events": [],
                "address": { "village": "" },
            },
            "income": { "lines": [{ "amount": null }] },
            "plan": { "measures": [] },
            "visit": { "follow_ups": [] },
            "raw_inputs": {
                "members[1].birth_date": "1990-13-01",
                "members[2].birth_date": "19x0",
                "members[7].work.months": "13",
                "income.lines[0].amount": "12a",
                "income.lines[1].amount": "3O0",
                "plan.measures[0].deadline": "明年",
                "sudden_events[0].occurred_on": "",
                "address.postcode": "57l200",
                "land.cultivated_mu": "二",
            },
        });
        assert_eq!(v1_to_v2_forget_text_of_removed_rows(&mut draft), Ok(()));
        let mut kept: Vec<&str> = draft["raw_inputs"]
            .as_object()
            .map(|raw| raw.keys().map(String::as_str).collect())
            .unwrap_or_default();
        kept.sort_unstable();
        assert_eq!(
            kept,
            vec![
                "address.postcode",
                "income.lines[0].amount",
                "land.cultivated_mu",
                "members[1].birth_date",
            ]
        );
    }

    #[test]
    fn v1_to_v2_leaves_a_draft_without_kept_text_alone_and_refuses_a_wrong_shape() {
        let mut draft = json!({ "schema_version": 1, "household": { "members": [] } });
        let before = draft.clone();
        assert_eq!(v1_to_v2_forget_text_of_removed_rows(&mut draft), Ok(()));
        assert_eq!(draft, before);
        let mut wrong = json!({ "raw_inputs": ["members[0].name"] });
        assert!(v1_to_v2_forget_text_of_removed_rows(&mut wrong).is_err());
    }

    #[test]
    fn an_older_draft_is_brought_to_the_current_version() {
        let mut value = stored(json!({
            "schema_version": 1,
            "household": { "members": [] },
            "raw_inputs": { "members[0].name": "x" },
        }));
        assert_eq!(migrate_stored_draft(&mut value), Ok(()));
        assert_eq!(
            value["draft"]["schema_version"],
            json!(DRAFT_SCHEMA_VERSION)
        );
        assert_eq!(value["draft"]["raw_inputs"], json!({}));
        assert_eq!(value["saved_at"], json!("2026-11-20T08:00:00Z"));
    }

    #[test]
    fn a_current_draft_is_not_changed() {
        let mut value = stored(json!({
            "schema_version": DRAFT_SCHEMA_VERSION,
            "household": { "members": [] },
            "raw_inputs": { "members[0].name": "x" },
        }));
        let before = value.clone();
        assert_eq!(migrate_stored_draft(&mut value), Ok(()));
        assert_eq!(value, before);
    }

    #[test]
    fn a_draft_from_a_newer_app_or_without_a_version_is_refused_not_guessed_at() {
        let newer = u64::from(DRAFT_SCHEMA_VERSION) + 1;
        let mut value = stored(json!({ "schema_version": newer }));
        assert_eq!(
            migrate_stored_draft(&mut value),
            Err(DraftReadError::Newer {
                found: newer,
                supported: DRAFT_SCHEMA_VERSION
            })
        );
        let mut value = stored(json!({ "household": {} }));
        assert_eq!(
            migrate_stored_draft(&mut value),
            Err(DraftReadError::NoVersion)
        );
        let mut value = stored(json!({ "schema_version": 0 }));
        assert_eq!(
            migrate_stored_draft(&mut value),
            Err(DraftReadError::NoMigration(0))
        );
        assert_eq!(
            migrate_stored_draft(&mut json!([1, 2])),
            Err(DraftReadError::NoVersion)
        );
    }

    #[test]
    fn a_current_draft_reads_the_same_straight_into_its_types_as_through_the_json_value() {
        use crate::draft::{HouseholdDraft, KeptKind, NewDraftIds};
        use crate::storage::draft_writer::DraftWriter;
        use time::macros::datetime;
        use uuid::Uuid;
        use zoufang_domain::model::{IncomeSheetId, PlanId, UserId, VisitId};

        let (household, plan, income) = zoufang_domain::sample::large_household(20, 50);
        let mut draft = HouseholdDraft::start(
            household,
            3,
            NewDraftIds {
                income: IncomeSheetId(Uuid::from_u128(1)),
                plan: PlanId(Uuid::from_u128(2)),
                visit: VisitId(Uuid::from_u128(3)),
            },
            2026,
            UserId(Uuid::from_u128(4)),
            datetime!(2026-11-22 09:00 UTC),
        );
        draft.plan = plan;
        draft.income = income;
        draft.keep_raw("members[2].birth_date", "19x0".into(), KeptKind::Date);
        draft
            .warning_reasons
            .insert("INC-DROP".into(), "已入户核实".into());
        let json = DraftWriter::default()
            .stored_json(&draft, "2026-11-22T09:00:01Z")
            .unwrap_or_default();
        let direct = read_stored_draft(&json);
        assert_eq!(direct.as_ref().map(|stored| &stored.draft), Ok(&draft));
        assert_eq!(direct, read_through_value(&json));
    }

    #[test]
    fn an_older_draft_that_would_decode_as_it_is_is_still_migrated() {
        // The golden version 1 draft decodes into today's types as it is; decoding it directly would skip the
        // migration, which forgets the text of a row that is gone.
        let mut older: Value =
            serde_json::from_str(include_str!("../../tests/golden/draft-v1.json"))
                .unwrap_or_default();
        older["draft"]["raw_inputs"]["members[99].name"] = json!("x");
        assert!(serde_json::from_value::<StoredDraft>(older.clone()).is_ok());
        let read = read_stored_draft(&older.to_string());
        let draft = read.map(|stored| stored.draft);
        assert_eq!(
            draft.as_ref().map(|draft| draft.schema_version),
            Ok(DRAFT_SCHEMA_VERSION)
        );
        assert_eq!(
            draft.map(|draft| draft.raw_inputs.into_keys().collect::<Vec<_>>()),
            Ok(vec!["income.lines[0].amount".to_owned()])
        );
    }

    #[test]
    fn a_newer_draft_that_would_decode_as_it_is_is_still_refused() {
        let mut newer: Value =
            serde_json::from_str(include_str!("../../tests/golden/draft-v1.json"))
                .unwrap_or_default();
        let version = u64::from(DRAFT_SCHEMA_VERSION) + 1;
        newer["draft"]["schema_version"] = json!(version);
        assert_eq!(
            read_stored_draft(&newer.to_string()),
            Err(DraftReadError::Newer {
                found: version,
                supported: DRAFT_SCHEMA_VERSION
            })
        );
    }

    #[test]
    fn text_that_is_not_a_draft_is_refused_with_the_reason() {
        assert!(matches!(
            read_stored_draft("{\"draft\": {\"schema_version\": 1"),
            Err(DraftReadError::NotJson(_))
        ));
        assert!(matches!(
            read_stored_draft(
                "{\"draft\": {\"schema_version\": 1, \"household\": 42}, \"saved_at\": \"x\"}"
            ),
            Err(DraftReadError::Shape(_))
        ));
    }
}
