//! The sections of one household's record, each one component built only from the form toolkit (`ui::form`) and
//! the domain's types and rules: 基本情况, 家庭成员, 收入, 一户一策, 两不愁三保障, 致贫原因, 走访记录, photos, and the
//! validation summary. Every section edits the shared `RwSignal<HouseholdDraft>`; the page around them owns
//! autosave, tabs or steps, and submitting. Sections never call storage or the network (photos get theirs from the
//! app context the page provides).
//!
//! Findings are computed once per change of the draft, in one `Memo` ([`use_household_report`]), and every field
//! shows the findings at its own path (`report.at(path)`). The income report is computed once per change too
//! ([`use_income_report`]): the live totals show it and validation reuses it. Text that does not parse is kept in the
//! draft (`HouseholdDraft::keep_raw`) and turned into a finding by the toolkit (`raw_input_findings`), so it blocks
//! submitting and survives a reload.

pub mod basic;
pub mod causes;
pub mod checklist;
pub mod events;
pub mod helpers;
pub mod income;
pub mod income_report;
pub mod members;
pub mod photos;
pub mod plan;
pub mod summary;
pub mod visit;

use leptos::prelude::*;
use time::{Date, OffsetDateTime};
use zoufang_domain::income::{IncomeError, IncomeReport, compute_income};
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::validation::{
    FieldPath, ValidationConfig, ValidationContext, ValidationReport,
    validate_household_with_income, validate_visit,
};

use crate::draft::HouseholdDraft;
use crate::ui::form::raw_input_findings;

/// The draft's income sheet computed by the domain, or why it cannot be.
pub type IncomeResult = Result<IncomeReport, IncomeError>;

/// Computes the draft's income sheet. The forms call it only through [`use_income_report`], once per change.
pub fn income_of(draft: &HouseholdDraft, policy: &PolicyTables) -> IncomeResult {
    #[cfg(test)]
    tests::count_income_computation();
    compute_income(&draft.income, &draft.household, policy)
}

/// The one memo of the income report: the income section's totals read it and [`use_household_report`] hands it
/// to validation, so a keystroke computes the sheet once.
pub fn use_income_report(
    draft: RwSignal<HouseholdDraft>,
    policy: Signal<PolicyTables>,
) -> Memo<IncomeResult> {
    Memo::new(move |_| draft.with(|draft| policy.with(|policy| income_of(draft, policy))))
}

/// Runs the domain's validation on the whole draft (household, plan, income sheet with its already computed
/// `income`) and adds one finding for every kept text that does not parse. Visit findings come from
/// [`visit_report`] because they need the clock.
pub fn household_report(
    draft: &HouseholdDraft,
    today: Date,
    policy: &PolicyTables,
    income: &IncomeResult,
) -> ValidationReport {
    let config = ValidationConfig::default();
    let context = ValidationContext {
        today,
        policy,
        config: &config,
    };
    let mut report = validate_household_with_income(
        &draft.household,
        Some(&draft.plan),
        Some((&draft.income, income)),
        &context,
    );
    report.findings.extend(raw_input_findings(draft));
    report
}

/// The visit log's findings, with paths under `visit.` so they name the visit form's fields.
pub fn visit_report(draft: &HouseholdDraft, now: OffsetDateTime) -> ValidationReport {
    let visit = FieldPath::root().field("visit");
    let findings = validate_visit(&draft.visit, now)
        .findings
        .into_iter()
        .map(|mut finding| {
            finding.path = if finding.path.as_str().is_empty() {
                visit.clone()
            } else {
                visit.field(finding.path.as_str())
            };
            finding
        })
        .collect();
    ValidationReport { findings }
}

/// The one memo of findings the sections and the summary read: household, plan, income, visit and kept text.
/// `income` is [`use_income_report`]'s memo: validation reuses its report instead of computing the sheet again.
pub fn use_household_report(
    draft: RwSignal<HouseholdDraft>,
    today: Signal<Date>,
    policy: Signal<PolicyTables>,
    income: Memo<IncomeResult>,
    now: Callback<(), OffsetDateTime>,
) -> Memo<ValidationReport> {
    Memo::new(move |_| {
        let today = today.get();
        income.with(|income| {
            draft.with(|draft| {
                let mut report =
                    policy.with(|policy| household_report(draft, today, policy, income));
                report
                    .findings
                    .extend(visit_report(draft, now.run(())).findings);
                report
            })
        })
    })
}

/// The sample household's draft as a helper starts it, with nothing else filled in (for the sections' tests).
#[cfg(test)]
pub(crate) fn empty_draft() -> HouseholdDraft {
    HouseholdDraft::start(
        zoufang_domain::sample::household(),
        1,
        crate::draft::NewDraftIds {
            income: zoufang_domain::model::IncomeSheetId(uuid::Uuid::from_u128(1)),
            plan: zoufang_domain::model::PlanId(uuid::Uuid::from_u128(2)),
            visit: zoufang_domain::model::VisitId(uuid::Uuid::from_u128(3)),
        },
        2020,
        zoufang_domain::model::UserId(uuid::Uuid::from_u128(4)),
        time::macros::datetime!(2020-12-01 09:00 +08:00),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::KeptKind;
    use crate::i18n::Locale;
    use crate::ui::form::{
        domain_locale, format_date, parse_date, parse_date_time, parse_months, parse_year,
        raw_input_finding, remove_indexed_raw,
    };
    use std::collections::BTreeMap;
    use time::macros::{date, datetime};
    use uuid::Uuid;
    use zoufang_domain::labels::Locale as DomainLocale;
    use zoufang_domain::model::MemberId;
    use zoufang_domain::model::WorkMonths;
    use zoufang_domain::money::Fen;
    use zoufang_domain::sample;

    fn sample_draft() -> HouseholdDraft {
        let household = sample::household();
        let mut draft = empty_draft();
        draft.plan = sample::plan(&household);
        draft.income = sample::income_sheet(&household);
        draft
    }

    fn policy() -> Option<PolicyTables> {
        PolicyTables::builtin().ok()
    }

    fn report_of(draft: &HouseholdDraft, policy: &PolicyTables) -> ValidationReport {
        household_report(draft, sample::TODAY, policy, &income_of(draft, policy))
    }

    thread_local! {
        /// How many times this test thread computed an income sheet through [`income_of`].
        static INCOME_COMPUTATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    pub(super) fn count_income_computation() {
        INCOME_COMPUTATIONS.with(|count| count.set(count.get() + 1));
    }

    fn income_computations() -> usize {
        INCOME_COMPUTATIONS.with(std::cell::Cell::get)
    }

    #[test]
    fn one_change_computes_the_income_sheet_once_for_the_totals_and_validation() {
        let Some(policy) = policy() else {
            panic!("the built-in policy tables load");
        };
        let owner = Owner::new();
        owner.with(|| {
            let draft = RwSignal::new(sample_draft());
            let policy = Signal::stored(policy);
            let today = Signal::stored(sample::TODAY);
            let now = Callback::new(|()| datetime!(2020-12-01 10:00 +08:00));
            let income = use_income_report(draft, policy);
            let report = use_household_report(draft, today, policy, income, now);
            let before = income_computations();
            // What the page reads after a change: the totals, then the findings.
            let net = income.with(|income| income.as_ref().map(|report| report.net).ok());
            report.with(|report| report.findings.len());
            assert_eq!(income_computations() - before, 1);
            draft.update(|draft| draft.income.lines[0].amount = Fen::from_fen(1_234_500));
            let changed_net = income.with(|income| income.as_ref().map(|report| report.net).ok());
            report.with(|report| report.findings.len());
            assert_eq!(
                income_computations() - before,
                2,
                "one more change, one more computation"
            );
            assert_ne!(net, changed_net);
            // Reading again without a change computes nothing.
            income.with(|_| ());
            report.with(|_| ());
            assert_eq!(income_computations() - before, 2);
        });
    }

    #[test]
    fn the_ui_languages_map_to_the_domain_label_languages() {
        assert_eq!(domain_locale(Locale::zh_CN), DomainLocale::ZhCn);
        assert_eq!(domain_locale(Locale::en), DomainLocale::En);
    }

    #[test]
    fn the_sample_household_has_no_findings() {
        let Some(policy) = policy() else {
            panic!("the built-in policy tables load");
        };
        let report = report_of(&sample_draft(), &policy);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }

    #[test]
    fn a_wrong_member_id_number_is_reported_at_its_field_path() {
        let Some(policy) = policy() else {
            panic!("the built-in policy tables load");
        };
        let mut draft = sample_draft();
        draft.household.members[2].id_number = "46010820080910001X".into();
        let report = report_of(&draft, &policy);
        assert_eq!(report.at("members[2].id_number").count(), 1);
        assert!(!report.can_submit());
    }

    #[test]
    fn kept_text_that_does_not_parse_is_an_error_at_its_path() {
        let Some(policy) = policy() else {
            panic!("the built-in policy tables load");
        };
        let mut draft = sample_draft();
        draft.keep_raw("income.lines[0].amount", "12a".into(), KeptKind::Money);
        draft.keep_raw("members[0].work.months", "13".into(), KeptKind::Months);
        let report = report_of(&draft, &policy);
        let money: Vec<_> = report.at("income.lines[0].amount").collect();
        assert_eq!(money.len(), 1);
        assert_eq!(money[0].code.as_str(), "FIELD-MONEY-INVALID");
        assert_eq!(report.at("members[0].work.months").count(), 1);
        draft.clear_raw("income.lines[0].amount");
        draft.clear_raw("members[0].work.months");
        assert!(report_of(&draft, &policy).can_submit());
    }

    #[test]
    fn wrong_amounts_are_refused_by_the_domain_rule() {
        for text in ["12a", "-5", "1.234", ""] {
            assert!(
                raw_input_finding("plan.measures[0].funds", text, Some(KeptKind::Money)).is_some(),
                "{text}"
            );
        }
        assert!(
            raw_input_finding("plan.measures[0].funds", "1,234.50", Some(KeptKind::Money))
                .is_none()
        );
    }

    #[test]
    fn work_months_must_be_a_whole_number_from_0_to_12() {
        assert_eq!(parse_months("12").map(WorkMonths::get), Some(12));
        assert_eq!(parse_months(" 0 ").map(WorkMonths::get), Some(0));
        assert!(parse_months("13").is_none());
        assert!(parse_months("1.5").is_none());
        assert!(
            raw_input_finding("members[1].work.months", "13", Some(KeptKind::Months)).is_some()
        );
    }

    #[test]
    fn dates_years_and_times_parse_year_first_in_the_forms_people_type() {
        for text in [
            "2020-12-01",
            " 2020/12/1 ",
            "2020.12.01",
            "2020年12月1日",
            "２０２０－１２－０１",
            "20201201",
        ] {
            assert_eq!(parse_date(text), Some(date!(2020 - 12 - 01)), "{text}");
        }
        for text in [
            "",
            "12/01/2020",
            "2020-13-01",
            "2020-02-30",
            "2020-12",
            "2020-12-01x",
            "1899-01-01",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(format_date(date!(2020 - 03 - 08)), "2020-03-08");
        assert_eq!(parse_year("2019"), Some(2019));
        assert_eq!(parse_year("19"), None);
        let expected = Some(time::macros::datetime!(2020-12-01 09:30));
        assert_eq!(parse_date_time("2020-12-01 09:30"), expected);
        assert_eq!(parse_date_time("2020-12-01T09:30"), expected);
        assert_eq!(parse_date_time("2020年12月1日 9点30分"), expected);
        assert!(parse_date_time("2020-12-01T09:30:15").is_some());
        assert!(parse_date_time("2020-12-01 25:00").is_none());
        assert!(raw_input_finding("visit.started_at", "", Some(KeptKind::DateTime)).is_some());
        let date_error =
            raw_input_finding("members[0].birth_date", "12/01/2020", Some(KeptKind::Date));
        assert_eq!(
            date_error.map(|finding| finding.message_zh),
            Some("请按 年-月-日 填写日期，如 2026-03-08".to_string())
        );
    }

    #[test]
    fn a_new_member_starts_with_relation_sex_and_birth_date_unchosen() {
        let Some(policy) = policy() else {
            panic!("the built-in policy tables load");
        };
        let mut draft = sample_draft();
        let index = draft.household.members.len();
        members::add_blank_member(&mut draft, MemberId(Uuid::from_u128(99)), sample::TODAY);
        let report = report_of(&draft, &policy);
        for field in ["relation", "sex", "birth_date"] {
            let path = format!("members[{index}].{field}");
            assert_eq!(report.at(&path).count(), 1, "{path}");
        }
        let sex_path = format!("members[{index}].sex");
        let sex: Vec<_> = report.at(&sex_path).collect();
        assert_eq!(sex[0].message_zh, "请选择性别");
        draft.clear_raw(&format!("members[{index}].sex"));
        assert_eq!(
            report_of(&draft, &policy)
                .at(&format!("members[{index}].sex"))
                .count(),
            0
        );
    }

    #[test]
    fn the_first_member_of_an_empty_household_is_the_head() {
        let mut draft = sample_draft();
        draft.household.members.clear();
        members::add_blank_member(&mut draft, MemberId(Uuid::from_u128(99)), sample::TODAY);
        assert_eq!(
            draft.household.head().map(|head| head.id),
            Some(MemberId(Uuid::from_u128(99)))
        );
        assert!(!draft.raw_inputs.contains_key("members[0].relation"));
        assert!(draft.raw_inputs.contains_key("members[0].sex"));
    }

    #[test]
    fn the_kind_recorded_with_kept_text_decides_its_message_not_the_path() {
        // The same last path name, two kinds: the message follows what the field declared.
        let as_money = raw_input_finding("plan.measures[0].date", "x", Some(KeptKind::Money));
        let as_date = raw_input_finding("plan.measures[0].date", "x", Some(KeptKind::Date));
        assert_eq!(
            as_money.map(|f| f.code.as_str().to_string()),
            Some("FIELD-MONEY-INVALID".to_string())
        );
        assert_eq!(
            as_date.map(|f| f.code.as_str().to_string()),
            Some("FIELD-DATE-INVALID".to_string())
        );
        // Text on its way to a button's value has no finding of its own.
        assert!(
            raw_input_finding(
                "visit.household_confirmation.confirmed_by",
                "王",
                Some(KeptKind::Pending)
            )
            .is_none()
        );
        // Text an older app kept without its kind still blocks submitting, with a general message.
        let unknown = raw_input_finding("income.lines[0].amount", "36,0OO", None);
        assert_eq!(
            unknown.map(|f| f.message_zh),
            Some("这里填写的内容无法识别，请重新填写".to_string())
        );
        let mut draft = sample_draft();
        draft.keep_raw("members[0].work.months", "13".into(), KeptKind::Months);
        draft.clear_raw("members[0].work.months");
        assert!(
            draft.raw_kinds.is_empty(),
            "clearing kept text forgets its kind"
        );
    }

    #[test]
    fn visit_findings_are_placed_under_the_visit_path() {
        let draft = sample_draft();
        let report = visit_report(&draft, datetime!(2020-12-01 10:00 +08:00));
        assert!(report.at("visit.purposes").count() == 1);
        assert!(report.at("visit.household_confirmation").count() == 1);
    }

    fn key_paths(value: &serde_json::Value, prefix: &str, into: &mut Vec<String>) {
        if let Some(object) = value.as_object() {
            for (key, child) in object {
                key_paths(child, &format!("{prefix}.{key}"), into);
            }
        } else {
            into.push(prefix.to_string());
        }
    }

    #[test]
    fn both_locales_have_every_forms_key() {
        let mut keys = Vec::new();
        for text in [
            include_str!("../../locales/zh-CN.json"),
            include_str!("../../locales/en.json"),
        ] {
            let parsed: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            let mut paths = Vec::new();
            key_paths(&parsed["forms"], "forms", &mut paths);
            paths.sort();
            keys.push(paths);
        }
        assert!(keys[0].len() > 100);
        assert_eq!(keys[0], keys[1]);
    }

    #[test]
    fn removing_an_item_moves_the_kept_text_of_later_items_down() {
        let mut draft = sample_draft();
        draft.keep_raw("members[0].work.months", "13".into(), KeptKind::Months);
        draft.keep_raw("members[1].work.months", "x".into(), KeptKind::Months);
        draft.keep_raw("members[2].birth_date", "".into(), KeptKind::Date);
        draft.keep_raw("members[10].work.months", "99".into(), KeptKind::Months);
        draft.keep_raw("income.lines[1].amount", "1a".into(), KeptKind::Money);
        remove_indexed_raw(&mut draft, "members", 1);
        let raw = draft.raw_inputs;
        let expected: BTreeMap<String, String> = [
            ("members[0].work.months", "13"),
            ("members[1].birth_date", ""),
            ("members[9].work.months", "99"),
            ("income.lines[1].amount", "1a"),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
        assert_eq!(raw, expected);
        assert_eq!(
            draft.raw_kinds.get("members[1].birth_date"),
            Some(&KeptKind::Date),
            "the kind moves with its text"
        );
        assert_eq!(draft.raw_kinds.len(), 4);
    }
}
