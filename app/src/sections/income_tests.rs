//! Tests of the income section: line groups, adding and removing lines by row key, treatment overrides.

use super::super::income_report::per_mille_text;
use super::*;
use crate::draft::KeptKind;

#[test]
fn every_kind_falls_in_the_group_of_its_default_treatment() {
    assert_eq!(line_group(IncomeLineKind::MigrantWork), LineGroup::Wage);
    assert_eq!(line_group(IncomeLineKind::PlantingCost), LineGroup::Cost);
    assert_eq!(
        line_group(IncomeLineKind::IndustryAward),
        LineGroup::Excluded
    );
    assert_eq!(line_group(IncomeLineKind::MedicalSelfPay), LineGroup::Rigid);
    for kind in IncomeLineKind::ALL {
        assert!(GROUPS.contains(&line_group(*kind)));
    }
}

fn empty_draft() -> HouseholdDraft {
    crate::sections::empty_draft()
}

/// What the row with each key shows: its note, its kept amount text and the messages at its fields.
fn rows(draft: &HouseholdDraft) -> Vec<(u32, String, Option<String>, Vec<String>)> {
    let Ok(policy) = zoufang_domain::policy::PolicyTables::builtin() else {
        panic!("the built-in policy tables load");
    };
    let income = super::super::income_of(draft, &policy);
    let report =
        super::super::household_report(draft, zoufang_domain::sample::TODAY, &policy, &income);
    let keys = draft.income_line_keys.keys(draft.income.lines.len());
    keys.into_iter()
        .map(|key| {
            let Some(index) = line_index(draft, key) else {
                panic!("key {key} has a line");
            };
            let prefix = format!("income.lines[{index}].");
            let codes = report
                .findings
                .iter()
                .filter(|finding| finding.path.as_str().starts_with(&prefix))
                .map(|finding| {
                    format!(
                        "{} {}",
                        &finding.path.as_str()[prefix.len()..],
                        finding.code
                    )
                })
                .collect();
            (
                key,
                draft.income.lines[index].note.clone(),
                draft.raw_inputs.get(&line_path(index, "amount")).cloned(),
                codes,
            )
        })
        .collect()
}

#[test]
fn removing_the_second_of_five_lines_leaves_every_other_line_its_text_and_errors() {
    let mut draft = empty_draft();
    let kinds = [
        IncomeLineKind::MigrantWork,
        IncomeLineKind::MigrantWork,
        IncomeLineKind::Planting,
        IncomeLineKind::IndustryAward,
        IncomeLineKind::MigrantWork,
    ];
    for (index, kind) in kinds.into_iter().enumerate() {
        add_line(&mut draft, kind);
        draft.income.lines[index].note = format!("第{}项", index + 1);
        draft.clear_raw(&line_path(index, "amount"));
    }
    draft.keep_raw(&line_path(2, "amount"), "8,5OO".into(), KeptKind::Money);
    draft.income.lines[3].treatment_override = Some(TreatmentOverride {
        counts_toward_net_income: true,
        reason: String::new(),
    });
    let before = rows(&draft);
    assert_eq!(before[2].3, vec!["amount FIELD-MONEY-INVALID"]);
    assert_eq!(
        before[3].3,
        vec!["treatment_override.reason IN-OVERRIDE-NO-REASON"]
    );

    remove_line(&mut draft, 1);

    let after = rows(&draft);
    let mut expected = before.clone();
    expected.remove(1);
    assert_eq!(after, expected);
    // The row keys are the ones the lines had: a row component keyed by them keeps its line.
    assert_eq!(
        draft.income_line_keys.keys(4),
        expected.iter().map(|row| row.0).collect::<Vec<_>>()
    );
}

#[test]
fn lines_of_a_draft_saved_without_row_keys_get_keys_that_survive_a_removal() {
    let mut draft = empty_draft();
    for note in ["a", "b", "c"] {
        let mut line = IncomeLine::new(IncomeLineKind::MigrantWork, Fen::from_fen(100));
        line.note = note.into();
        draft.income.lines.push(line);
    }
    let keys = draft.income_line_keys.keys(3);
    remove_line(&mut draft, 0);
    assert_eq!(line_index(&draft, keys[0]), None);
    assert_eq!(line_index(&draft, keys[2]), Some(1));
    assert_eq!(draft.income.lines[1].note, "c");
}

#[test]
fn overrides_offer_the_opposite_of_the_default_and_rigid_spending_has_none() {
    assert_eq!(counts_by_default(IncomeLineKind::MigrantWork), Some(true));
    assert_eq!(counts_by_default(IncomeLineKind::PlantingCost), Some(true));
    assert_eq!(
        counts_by_default(IncomeLineKind::IndustryAward),
        Some(false)
    );
    assert_eq!(counts_by_default(IncomeLineKind::MedicalSelfPay), None);
    assert!(names_a_member(IncomeLineKind::MigrantWork));
    assert!(names_a_member(IncomeLineKind::Pension));
    assert!(!names_a_member(IncomeLineKind::Planting));
}

#[test]
fn a_new_line_starts_empty_and_removing_one_keeps_later_typed_text() {
    let mut draft = empty_draft();
    add_line(&mut draft, IncomeLineKind::MigrantWork);
    add_line(&mut draft, IncomeLineKind::Dibao);
    assert_eq!(
        draft.shown_text("income.lines[1].amount", || "x".into()),
        ""
    );
    draft.keep_raw("income.lines[1].amount", "12a".into(), KeptKind::Money);
    remove_line(&mut draft, 0);
    assert_eq!(draft.income.lines.len(), 1);
    assert_eq!(draft.income.lines[0].kind, IncomeLineKind::Dibao);
    assert_eq!(
        draft
            .raw_inputs
            .get("income.lines[0].amount")
            .map(String::as_str),
        Some("12a")
    );
}

#[test]
fn shares_are_shown_with_one_decimal() {
    assert_eq!(per_mille_text(505), "50.5%");
    assert_eq!(per_mille_text(0), "0.0%");
}
