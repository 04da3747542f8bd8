//! A household's working copy on the phone: the record, this year's income sheet, the plan and the
//! visit being written, plus the text of any field that does not parse yet. One draft per household,
//! saved whole on every change (see `autosave`), so a reload or a killed tab loses nothing.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use zoufang_domain::income::IncomeSheet;
use zoufang_domain::model::{Household, IncomeSheetId, Plan, PlanId, UserId, VisitId, VisitLog};

/// Bumped when the draft's shape changes; older drafts are migrated on read.
pub const DRAFT_SCHEMA_VERSION: u32 = 1;

/// Fresh ids for the records a new draft starts (client-generated UUIDs, see `ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDraftIds {
    pub income: IncomeSheetId,
    pub plan: PlanId,
    pub visit: VisitId,
}

/// Everything a helper edits for one household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdDraft {
    pub schema_version: u32,
    pub household: Household,
    pub income: IncomeSheet,
    pub plan: Plan,
    pub visit: VisitLog,
    /// Text typed into a field whose value does not parse (a money amount with a letter, 13 months
    /// of work), keyed by the field's path (e.g. `income.lines[3].amount`). The record keeps its last
    /// valid value; the field shows this text and its error until it is corrected.
    #[serde(default)]
    pub raw_inputs: BTreeMap<String, String>,
    /// The server's version of the household this draft started from (for conflict checks).
    pub base_version: i64,
    /// The written reason for each warning, by rule code (a warning needs one before submitting).
    #[serde(default)]
    pub warning_reasons: BTreeMap<String, String>,
}

impl HouseholdDraft {
    /// A draft that starts from the server's copy of the household, with an empty income sheet,
    /// an empty plan and a visit starting now.
    pub fn start(
        household: Household,
        base_version: i64,
        ids: NewDraftIds,
        year: i32,
        visitor: UserId,
        now: OffsetDateTime,
    ) -> HouseholdDraft {
        let household_id = household.id;
        HouseholdDraft {
            schema_version: DRAFT_SCHEMA_VERSION,
            income: IncomeSheet::new(ids.income, household_id, year),
            plan: Plan {
                schema_version: zoufang_domain::model::CURRENT_SCHEMA_VERSION,
                id: ids.plan,
                household_id,
                year,
                needs: Vec::new(),
                target_per_capita_income: None,
                measures: Vec::new(),
                effects: Vec::new(),
            },
            visit: VisitLog {
                schema_version: zoufang_domain::model::CURRENT_SCHEMA_VERSION,
                id: ids.visit,
                household_id,
                purposes: Vec::new(),
                visitor_ids: vec![visitor],
                started_at: now,
                ended_at: now,
                notes: String::new(),
                issues_found: Vec::new(),
                follow_ups: Vec::new(),
                household_confirmation: None,
                evidence: Vec::new(),
            },
            household,
            raw_inputs: BTreeMap::new(),
            base_version,
            warning_reasons: BTreeMap::new(),
        }
    }

    /// The text a field shows: what was typed if it did not parse, otherwise `formatted`.
    pub fn shown_text(&self, path: &str, formatted: impl FnOnce() -> String) -> String {
        self.raw_inputs.get(path).cloned().unwrap_or_else(formatted)
    }

    /// Records text that did not parse, so it survives a reload.
    pub fn keep_raw(&mut self, path: &str, text: String) {
        self.raw_inputs.insert(path.to_owned(), text);
    }

    /// Forgets kept text once the field holds a valid value again.
    pub fn clear_raw(&mut self, path: &str) {
        self.raw_inputs.remove(path);
    }
}
