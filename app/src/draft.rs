//! A household's working copy on the phone: the record, this year's income sheet, the plan and the
//! visit being written, plus the text of any field that does not parse yet. One draft per household,
//! saved whole on every change (see `autosave`), so a reload or a killed tab loses nothing.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use zoufang_domain::income::IncomeSheet;
use zoufang_domain::model::{Household, IncomeSheetId, Plan, PlanId, UserId, VisitId, VisitLog};
use zoufang_domain::protocol::AssignedHousehold;

/// Bumped when the draft's stored format or meaning changes; older drafts are migrated on read by the steps in
/// `storage::draft_format`. 2: kept text of removed rows is forgotten (1 could hold some).
pub const DRAFT_SCHEMA_VERSION: u32 = 2;

/// Fresh ids for the records a new draft starts (client-generated UUIDs, see `ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDraftIds {
    pub income: IncomeSheetId,
    pub plan: PlanId,
    pub visit: VisitId,
}

/// The kind of value a kept text was meant to be: chosen by the input that kept it, from its binding's value type
/// (`ui::form::FieldValue`), never guessed from the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeptKind {
    /// An amount in 元.
    Money,
    /// A quantity with two decimals (m², km, 亩).
    Quantity,
    /// Work months, 0–12.
    Months,
    /// A four-digit year.
    Year,
    /// A calendar date.
    Date,
    /// A date and time.
    DateTime,
    /// A member's relation to the head, not chosen yet.
    Relation,
    /// A member's sex, not chosen yet.
    Sex,
    /// Text on its way to a value a button sets (the name in the household's confirmation before 确认): no finding of
    /// its own, the missing value has one.
    Pending,
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
    /// What each kept text was meant to be, as declared by the field that kept it (so its message names the right
    /// mistake). Drafts saved before this existed have none; their kept text gets a general message.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw_kinds: BTreeMap<String, KeptKind>,
    /// The server's version of the household this draft started from (for conflict checks).
    pub base_version: i64,
    /// The written reason for each warning, by rule code (a warning needs one before submitting).
    #[serde(default)]
    pub warning_reasons: BTreeMap<String, String>,
    /// Row keys of `income.lines` (the lines have no id of their own).
    #[serde(default)]
    pub income_line_keys: ListKeys,
    /// Row keys of `household.sudden_events`.
    #[serde(default)]
    pub sudden_event_keys: ListKeys,
}

/// Client-side keys for the items of a list whose items have no id (income lines, sudden events), one per item
/// in the items' order. The forms key their rows by these, so removing the second of five lines never hands its
/// row — focus, open state, typed text — to the line after it. They live in the draft so that a list and its keys
/// change in one update; they never reach the domain record or the server.
///
/// A list can be longer than its stored keys (a draft saved before keys existed, a list replaced by the server's):
/// the missing items get the keys `next`, `next + 1` … in order, the same on every read until the list changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListKeys {
    keys: Vec<u32>,
    next: u32,
}

impl ListKeys {
    /// The key of each of `len` items.
    pub fn keys(&self, len: usize) -> Vec<u32> {
        (0..len)
            .filter_map(|index| self.key_at(index, len))
            .collect()
    }

    /// The key of item `index` of `len` items.
    pub fn key_at(&self, index: usize, len: usize) -> Option<u32> {
        if index >= len {
            return None;
        }
        match self.keys.get(index) {
            Some(key) => Some(*key),
            None => u32::try_from(index - self.keys.len())
                .ok()
                .and_then(|offset| self.next.checked_add(offset)),
        }
    }

    /// Where the item with `key` is among `len` items, if it is still there.
    pub fn index_of(&self, key: u32, len: usize) -> Option<usize> {
        let stored = self.keys.len().min(len);
        if let Some(index) = self.keys[..stored].iter().position(|known| *known == key) {
            return Some(index);
        }
        let offset = usize::try_from(key.checked_sub(self.next)?).ok()?;
        (stored == self.keys.len() && stored + offset < len).then_some(stored + offset)
    }

    /// Stores a key for each of `len` items (the ones `keys` would give).
    fn settle(&mut self, len: usize) {
        let keys = self.keys(len);
        self.next = keys
            .iter()
            .max()
            .map_or(self.next, |max| max.saturating_add(1))
            .max(self.next);
        self.keys = keys;
    }

    /// A key for an item appended to a list of `len` items.
    pub fn push(&mut self, len: usize) -> u32 {
        self.settle(len);
        let key = self.next;
        self.keys.push(key);
        self.next = self.next.saturating_add(1);
        key
    }

    /// Forgets the key of item `index` of a list of `len` items being removed.
    pub fn remove(&mut self, len: usize, index: usize) {
        self.settle(len);
        if index < self.keys.len() {
            self.keys.remove(index);
        }
    }
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
            raw_kinds: BTreeMap::new(),
            base_version,
            warning_reasons: BTreeMap::new(),
            income_line_keys: ListKeys::default(),
            sudden_event_keys: ListKeys::default(),
        }
    }

    /// A draft that starts from what the server last accepted for the household: its record, the income sheet
    /// of `year` and the current plan (re-aimed at `year` when it was an earlier year's), with a visit starting
    /// now. What the server does not have yet starts empty, as in [`HouseholdDraft::start`]. The plan and income
    /// sheet keep their ids (a new version of the same plan or sheet); the visit is always new.
    pub fn start_from_server(
        assigned: &AssignedHousehold,
        ids: NewDraftIds,
        year: i32,
        visitor: UserId,
        now: OffsetDateTime,
    ) -> HouseholdDraft {
        let mut draft = HouseholdDraft::start(
            assigned.household.clone(),
            assigned.version,
            ids,
            year,
            visitor,
            now,
        );
        if let Some(sheet) = assigned.income_sheet(year) {
            draft.income = sheet.clone();
        }
        if let Some(plan) = &assigned.plan {
            draft.plan = plan.clone();
            draft.plan.year = year;
        }
        draft
    }

    /// The text a field shows: what was typed if it did not parse, otherwise `formatted`.
    pub fn shown_text(&self, path: &str, formatted: impl FnOnce() -> String) -> String {
        self.raw_inputs.get(path).cloned().unwrap_or_else(formatted)
    }

    /// Records text that did not parse, and what it was meant to be, so it survives a reload.
    pub fn keep_raw(&mut self, path: &str, text: String, kind: KeptKind) {
        self.raw_inputs.insert(path.to_owned(), text);
        self.raw_kinds.insert(path.to_owned(), kind);
    }

    /// Forgets kept text once the field holds a valid value again.
    pub fn clear_raw(&mut self, path: &str) {
        self.raw_inputs.remove(path);
        self.raw_kinds.remove(path);
    }
}

#[cfg(test)]
mod tests {
    use super::{HouseholdDraft, ListKeys, NewDraftIds};
    use time::macros::datetime;
    use uuid::Uuid;
    use zoufang_domain::model::{IncomeSheetId, PlanId, UserId, VisitId};
    use zoufang_domain::protocol::AssignedHousehold;
    use zoufang_domain::risk::{RiskAssessment, RiskColour};
    use zoufang_domain::sample;

    fn ids() -> NewDraftIds {
        NewDraftIds {
            income: IncomeSheetId(Uuid::from_u128(1)),
            plan: PlanId(Uuid::from_u128(2)),
            visit: VisitId(Uuid::from_u128(3)),
        }
    }

    #[test]
    fn a_new_draft_starts_from_the_server_s_income_sheet_and_plan_not_an_empty_one() {
        let household = sample::household();
        let plan = sample::plan(&household);
        let sheet = sample::income_sheet(&household);
        let year = sheet.year;
        let assigned = AssignedHousehold {
            household: household.clone(),
            version: 4,
            risk: RiskAssessment {
                colour: RiskColour::Green,
                triggered: Vec::new(),
                rule_set_version: "test".into(),
            },
            last_visit_on: None,
            plan: Some(plan.clone()),
            review: None,
            income_sheets: vec![sheet.clone()],
            visits: Vec::new(),
            review_history: Vec::new(),
            night_school_follow_up: None,
            earlier_visits: Vec::new(),
            review_basis: None,
        };
        let now = datetime!(2026-11-20 08:00 UTC);
        let visitor = UserId(Uuid::from_u128(9));
        let draft = HouseholdDraft::start_from_server(&assigned, ids(), year, visitor, now);
        assert_eq!(draft.base_version, 4);
        assert_eq!(draft.income, sheet);
        assert_eq!(draft.plan.measures, plan.measures);
        assert_eq!(draft.plan.id, plan.id);
        assert_eq!(draft.visit.id, ids().visit);
        // Another year: the income sheet starts empty for that year, the plan carries over to it.
        let next = HouseholdDraft::start_from_server(&assigned, ids(), year + 1, visitor, now);
        assert!(next.income.lines.is_empty());
        assert_eq!(next.income.year, year + 1);
        assert_eq!(next.plan.year, year + 1);
        assert_eq!(next.plan.measures, plan.measures);
        // Nothing on the server yet: the same as a blank start.
        let blank = AssignedHousehold {
            plan: None,
            income_sheets: Vec::new(),
            ..assigned
        };
        assert_eq!(
            HouseholdDraft::start_from_server(&blank, ids(), year, visitor, now),
            HouseholdDraft::start(household, 4, ids(), year, visitor, now)
        );
    }

    #[test]
    fn keys_follow_their_items_through_pushes_and_removals() {
        let mut keys = ListKeys::default();
        let pushed: Vec<u32> = (0..5).map(|len| keys.push(len)).collect();
        assert_eq!(keys.keys(5), pushed);
        keys.remove(5, 1);
        assert_eq!(
            keys.keys(4),
            vec![pushed[0], pushed[2], pushed[3], pushed[4]]
        );
        assert_eq!(keys.index_of(pushed[3], 4), Some(2));
        assert_eq!(keys.index_of(pushed[1], 4), None);
        let added = keys.push(4);
        assert!(
            !pushed.contains(&added),
            "a removed key is never given again"
        );
    }

    #[test]
    fn items_without_stored_keys_get_stable_keys_after_the_stored_ones() {
        let mut keys = ListKeys::default();
        let first = keys.push(0);
        // Three more items arrived without keys (an older draft, or the server's list).
        let read = keys.keys(4);
        assert_eq!(read[0], first);
        assert_eq!(keys.keys(4), read, "the same keys on every read");
        for (index, key) in read.iter().enumerate() {
            assert_eq!(keys.index_of(*key, 4), Some(index));
        }
        keys.remove(4, 0);
        assert_eq!(keys.keys(3), read[1..].to_vec());
        // A shorter list than the stored keys: the extra keys are not there.
        assert_eq!(keys.keys(1), vec![read[1]]);
        assert_eq!(keys.index_of(read[2], 1), None);
    }
}
