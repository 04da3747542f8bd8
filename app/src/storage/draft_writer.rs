//! Writing a draft while the helper types, at little more than the cost of the IndexedDB write itself: the draft's
//! JSON is kept part by part (household, income sheet, plan, visit, kept text …) and only the parts that changed
//! since the last write are encoded again; the stored text is those parts joined. It is byte for byte what
//! encoding the whole [`StoredDraft`] writes (tests below), so the stored format, its migrations and
//! `app/tests/golden/` are unchanged.

use super::records::StoredDraft;
use super::{StoreError, encode};
use crate::draft::{HouseholdDraft, KeptKind, ListKeys};
use serde::Serialize;
use std::collections::BTreeMap;
use zoufang_domain::income::IncomeSheet;
use zoufang_domain::model::{Household, Plan, VisitLog};

/// One part of the draft as last encoded: its value, to see whether it changed, and its JSON text.
#[derive(Debug)]
struct Part<T> {
    encoded: Option<(T, String)>,
}

impl<T> Default for Part<T> {
    fn default() -> Self {
        Part { encoded: None }
    }
}

impl<T: Serialize + PartialEq + Clone> Part<T> {
    /// The JSON of `value`, encoded again only if it differs from the value last encoded.
    fn json(&mut self, value: &T) -> Result<&str, StoreError> {
        let unchanged = matches!(&self.encoded, Some((last, _)) if last == value);
        if !unchanged {
            let json = encode(value)?;
            self.encoded = Some((value.clone(), json));
        }
        Ok(self
            .encoded
            .as_ref()
            .map_or("null", |(_, json)| json.as_str()))
    }
}

/// Encodes one household's draft again and again, re-encoding only what changed. One per open draft.
#[derive(Debug, Default)]
pub struct DraftWriter {
    household: Part<Household>,
    income: Part<IncomeSheet>,
    plan: Part<Plan>,
    visit: Part<VisitLog>,
    raw_inputs: Part<BTreeMap<String, String>>,
    raw_kinds: Part<BTreeMap<String, KeptKind>>,
    warning_reasons: Part<BTreeMap<String, String>>,
    income_line_keys: Part<ListKeys>,
    sudden_event_keys: Part<ListKeys>,
}

impl DraftWriter {
    /// The JSON text of `StoredDraft { draft, saved_at }`, exactly as `serde_json` writes it.
    pub fn stored_json(
        &mut self,
        draft: &HouseholdDraft,
        saved_at: &str,
    ) -> Result<String, StoreError> {
        // Every field by name: a field added to the draft does not compile here until it is written too.
        let HouseholdDraft {
            schema_version,
            household,
            income,
            plan,
            visit,
            raw_inputs,
            raw_kinds,
            base_version,
            warning_reasons,
            income_line_keys,
            sudden_event_keys,
        } = draft;
        let mut parts: Vec<(&str, &str)> = Vec::with_capacity(11);
        let schema_version = schema_version.to_string();
        let base_version = base_version.to_string();
        parts.push(("schema_version", &schema_version));
        parts.push(("household", self.household.json(household)?));
        parts.push(("income", self.income.json(income)?));
        parts.push(("plan", self.plan.json(plan)?));
        parts.push(("visit", self.visit.json(visit)?));
        parts.push(("raw_inputs", self.raw_inputs.json(raw_inputs)?));
        // Written only when some kept text has a kind (`skip_serializing_if` on the draft).
        if !raw_kinds.is_empty() {
            parts.push(("raw_kinds", self.raw_kinds.json(raw_kinds)?));
        }
        parts.push(("base_version", &base_version));
        parts.push((
            "warning_reasons",
            self.warning_reasons.json(warning_reasons)?,
        ));
        parts.push((
            "income_line_keys",
            self.income_line_keys.json(income_line_keys)?,
        ));
        parts.push((
            "sudden_event_keys",
            self.sudden_event_keys.json(sudden_event_keys)?,
        ));
        let saved_at = encode(&saved_at)?;
        let length = parts
            .iter()
            .map(|(name, json)| name.len() + json.len() + 4)
            .sum::<usize>()
            + saved_at.len()
            + 32;
        let mut text = String::with_capacity(length);
        text.push_str("{\"draft\":{");
        for (index, (name, json)) in parts.iter().enumerate() {
            if index > 0 {
                text.push(',');
            }
            text.push('"');
            text.push_str(name);
            text.push_str("\":");
            text.push_str(json);
        }
        text.push_str("},\"saved_at\":");
        text.push_str(&saved_at);
        text.push('}');
        Ok(text)
    }
}

/// The JSON of a stored draft encoded whole, the reference [`DraftWriter`] must match.
pub fn stored_json_whole(stored: &StoredDraft) -> Result<String, StoreError> {
    encode(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::NewDraftIds;
    use time::macros::datetime;
    use uuid::Uuid;
    use zoufang_domain::model::{IncomeSheetId, PlanId, UserId, VisitId};
    use zoufang_domain::sample::large_household;

    fn draft() -> HouseholdDraft {
        let (household, plan, income) = large_household(3, 4);
        let mut draft = HouseholdDraft::start(
            household,
            7,
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
        draft
    }

    fn whole(draft: &HouseholdDraft, saved_at: &str) -> String {
        stored_json_whole(&StoredDraft {
            draft: draft.clone(),
            saved_at: saved_at.to_owned(),
        })
        .unwrap_or_default()
    }

    #[test]
    fn the_joined_parts_are_the_whole_draft_s_json_byte_for_byte() {
        let mut writer = DraftWriter::default();
        let mut draft = draft();
        let at = "2026-11-22T09:00:01.5Z";
        assert_eq!(writer.stored_json(&draft, at).ok(), Some(whole(&draft, at)));

        // One part changes, then another, then one goes back: each write is still the whole draft.
        draft.visit.notes.push_str("户主在家，\"引号\"与\\反斜杠");
        assert_eq!(writer.stored_json(&draft, at).ok(), Some(whole(&draft, at)));
        draft.household.members.truncate(1);
        draft.keep_raw("members[0].birth_date", "19x0".into(), KeptKind::Date);
        draft
            .warning_reasons
            .insert("INC-DROP".into(), "已入户核实".into());
        draft.base_version = 8;
        let later = "2026-11-22T09:00:02Z";
        assert_eq!(
            writer.stored_json(&draft, later).ok(),
            Some(whole(&draft, later))
        );
        draft.visit.notes.clear();
        draft.plan.measures.clear();
        // The kept text is fixed: its kind goes too, and the draft writes no `raw_kinds` again.
        draft.clear_raw("members[0].birth_date");
        assert_eq!(
            writer.stored_json(&draft, later).ok(),
            Some(whole(&draft, later))
        );
    }

    #[test]
    fn what_it_writes_reads_back_through_the_app_s_read_path() {
        let mut writer = DraftWriter::default();
        let mut draft = draft();
        draft.visit.notes = "了解今年种植情况。".into();
        let json = writer.stored_json(&draft, "2026-11-22T09:00:00Z");
        let read = json
            .ok()
            .and_then(|json| super::super::draft_format::read_stored_draft(&json).ok());
        assert_eq!(read.map(|stored| stored.draft), Some(draft));
    }
}
