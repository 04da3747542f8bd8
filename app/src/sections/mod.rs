//! The forms of one household: small reusable inputs (`fields`) and one component per section, all driven by the
//! domain's types and rules. Every section edits the shared `RwSignal<HouseholdDraft>`; the page around them owns
//! autosave, tabs and submitting.
//!
//! Findings are computed once per change of the draft, in one `Memo` ([`use_household_report`]), and every field
//! shows the findings at its own path (`report.at(path)`). The income report is computed once per change too
//! ([`use_income_report`]): the live totals show it and validation reuses it. Text that does not parse is kept in the draft
//! (`HouseholdDraft::keep_raw`) and turned into a finding here ([`raw_input_finding`]), so it blocks submitting and
//! survives a reload.

pub mod basic;
pub mod causes;
pub mod checklist;
pub mod events;
pub mod fields;
pub mod helpers;
pub mod income;
pub mod members;
pub mod plan;
pub mod summary;
pub mod visit;

use std::collections::BTreeMap;

use leptos::prelude::*;
use time::{Date, OffsetDateTime};
use zoufang_domain::income::{IncomeError, IncomeReport, compute_income};
use zoufang_domain::labels::Locale as DomainLocale;
use zoufang_domain::model::WorkMonths;
use zoufang_domain::money::Centi;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::validation::{
    FieldPath, Finding, RuleCode, Severity, ValidationConfig, ValidationContext, ValidationReport,
    validate_household_with_income, validate_money_field, validate_visit,
};

use crate::draft::HouseholdDraft;
use crate::i18n::{Locale, td_string};

/// The domain's label language for the UI language.
pub fn domain_locale(locale: Locale) -> DomainLocale {
    match locale {
        Locale::zh_CN => DomainLocale::ZhCn,
        Locale::en => DomainLocale::En,
    }
}

/// The current UI language as the domain's label language (tracks language switches).
pub fn use_domain_locale() -> Signal<DomainLocale> {
    let i18n = crate::i18n::use_i18n();
    Signal::derive(move || domain_locale(i18n.get_locale()))
}

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
    report
        .findings
        .extend(raw_input_findings(&draft.raw_inputs));
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

/// What kind of value a kept text was meant to be, read from the last name of its path (the forms choose the
/// paths, so this is a closed list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RawKind {
    Money,
    Quantity,
    Months,
    Year,
    Date,
    DateTime,
}

fn raw_kind(path: &str) -> Option<RawKind> {
    let last = path.rsplit('.').next().unwrap_or(path);
    Some(match last {
        "amount"
        | "funds"
        | "expected_extra_income"
        | "target_per_capita_income"
        | "actual_extra_income" => RawKind::Money,
        "area_m2"
        | "distance_to_main_road_km"
        | "cultivated"
        | "forest"
        | "returned_to_forest"
        | "orchard"
        | "pasture"
        | "water_surface" => RawKind::Quantity,
        "months" => RawKind::Months,
        "exit_year" => RawKind::Year,
        "birth_date" | "deadline" | "date" | "due_on" | "occurred_on" | "started_on"
        | "ended_on" => RawKind::Date,
        "started_at" | "ended_at" => RawKind::DateTime,
        _ => return None,
    })
}

fn field_finding(code: &'static str, path: &str, zh: String, en: String) -> Finding {
    Finding {
        code: RuleCode::new(code),
        severity: Severity::Error,
        path: FieldPath::root().field(path),
        message_zh: zh,
        message_en: en,
    }
}

/// Parses work months as typed: a whole number 0–12 (the range is the domain's `WorkMonths` rule).
pub fn parse_months(text: &str) -> Option<WorkMonths> {
    text.trim()
        .parse::<u8>()
        .ok()
        .and_then(|months| WorkMonths::new(months).ok())
}

/// Parses a four-digit year such as `2019`.
pub fn parse_year(text: &str) -> Option<i32> {
    let text = text.trim();
    (text.len() == 4)
        .then(|| text.parse::<i32>().ok())
        .flatten()
        .filter(|year| (1900..=2100).contains(year))
}

/// Parses the value of an `<input type="date">` (`YYYY-MM-DD`).
pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

/// Parses the value of an `<input type="datetime-local">` (`YYYY-MM-DDTHH:MM`, seconds optional).
pub fn parse_date_time(text: &str) -> Option<time::PrimitiveDateTime> {
    let short = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let long = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let text = text.trim();
    time::PrimitiveDateTime::parse(text, &short)
        .or_else(|_| time::PrimitiveDateTime::parse(text, &long))
        .ok()
}

/// The finding for one kept text, or `None` if it parses now (or is not a kind the forms keep).
pub fn raw_input_finding(path: &str, text: &str) -> Option<Finding> {
    let chinese = Locale::zh_CN;
    let english = Locale::en;
    match raw_kind(path)? {
        RawKind::Money => validate_money_field(text, FieldPath::root().field(path)).err(),
        RawKind::Quantity => Centi::parse(text).err().map(|_| {
            field_finding(
                "FIELD-QUANTITY-INVALID",
                path,
                td_string!(chinese, forms.error.quantity).to_string(),
                td_string!(english, forms.error.quantity).to_string(),
            )
        }),
        RawKind::Months => parse_months(text).is_none().then(|| {
            field_finding(
                "FIELD-MONTHS-INVALID",
                path,
                td_string!(chinese, forms.error.months).to_string(),
                td_string!(english, forms.error.months).to_string(),
            )
        }),
        RawKind::Year => parse_year(text).is_none().then(|| {
            field_finding(
                "FIELD-YEAR-INVALID",
                path,
                td_string!(chinese, forms.error.year).to_string(),
                td_string!(english, forms.error.year).to_string(),
            )
        }),
        RawKind::Date => parse_date(text).is_none().then(|| {
            field_finding(
                "FIELD-DATE-INVALID",
                path,
                td_string!(chinese, forms.error.date).to_string(),
                td_string!(english, forms.error.date).to_string(),
            )
        }),
        RawKind::DateTime => parse_date_time(text).is_none().then(|| {
            field_finding(
                "FIELD-DATE-INVALID",
                path,
                td_string!(chinese, forms.error.date_time).to_string(),
                td_string!(english, forms.error.date_time).to_string(),
            )
        }),
    }
}

fn raw_input_findings(raw_inputs: &BTreeMap<String, String>) -> Vec<Finding> {
    raw_inputs
        .iter()
        .filter_map(|(path, text)| raw_input_finding(path, text))
        .collect()
}

/// How many errors sit under a path prefix such as `members[2].` (for a collapsed item's badge).
pub fn errors_under(report: &ValidationReport, prefix: &str) -> usize {
    report
        .errors()
        .filter(|finding| finding.path.as_str().starts_with(prefix))
        .count()
}

/// After removing item `removed` of the list at `list` (e.g. `members`), moves kept text of later items down one
/// place and forgets the removed item's, so kept text stays with its item.
pub fn remove_indexed_raw(raw_inputs: &mut BTreeMap<String, String>, list: &str, removed: usize) {
    let prefix = format!("{list}[");
    let affected: Vec<(String, usize, String)> = raw_inputs
        .keys()
        .filter_map(|path| {
            let rest = path.strip_prefix(&prefix)?;
            let close = rest.find(']')?;
            let index = rest[..close].parse::<usize>().ok()?;
            (index >= removed).then(|| (path.clone(), index, rest[close + 1..].to_string()))
        })
        .collect();
    let mut moved = Vec::new();
    for (path, index, tail) in affected {
        if let Some(text) = raw_inputs.remove(&path)
            && index > removed
        {
            moved.push((format!("{list}[{}]{tail}", index - 1), text));
        }
    }
    raw_inputs.extend(moved);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::NewDraftIds;
    use time::macros::{date, datetime};
    use uuid::Uuid;
    use zoufang_domain::model::{IncomeSheetId, PlanId, UserId, VisitId};
    use zoufang_domain::money::Fen;
    use zoufang_domain::sample;

    fn sample_draft() -> HouseholdDraft {
        let household = sample::household();
        let mut draft = HouseholdDraft::start(
            household.clone(),
            1,
            NewDraftIds {
                income: IncomeSheetId(Uuid::from_u128(1)),
                plan: PlanId(Uuid::from_u128(2)),
                visit: VisitId(Uuid::from_u128(3)),
            },
            2020,
            UserId(Uuid::from_u128(4)),
            datetime!(2020-12-01 09:00 +08:00),
        );
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
        draft.keep_raw("income.lines[0].amount", "12a".into());
        draft.keep_raw("members[0].work.months", "13".into());
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
                raw_input_finding("plan.measures[0].funds", text).is_some(),
                "{text}"
            );
        }
        assert!(raw_input_finding("plan.measures[0].funds", "1,234.50").is_none());
    }

    #[test]
    fn work_months_must_be_a_whole_number_from_0_to_12() {
        assert_eq!(parse_months("12").map(WorkMonths::get), Some(12));
        assert_eq!(parse_months(" 0 ").map(WorkMonths::get), Some(0));
        assert!(parse_months("13").is_none());
        assert!(parse_months("1.5").is_none());
        assert!(raw_input_finding("members[1].work.months", "13").is_some());
    }

    #[test]
    fn dates_years_and_times_parse_as_the_inputs_send_them() {
        assert_eq!(parse_date("2020-12-01"), Some(date!(2020 - 12 - 01)));
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_year("2019"), Some(2019));
        assert_eq!(parse_year("19"), None);
        assert!(parse_date_time("2020-12-01T09:30").is_some());
        assert!(parse_date_time("2020-12-01T09:30:15").is_some());
        assert!(raw_input_finding("visit.started_at", "").is_some());
    }

    #[test]
    fn text_under_paths_the_forms_do_not_keep_is_ignored() {
        assert!(raw_input_finding("household_code", "x").is_none());
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
        let mut raw = BTreeMap::new();
        raw.insert("members[0].work.months".to_string(), "13".to_string());
        raw.insert("members[1].work.months".to_string(), "x".to_string());
        raw.insert("members[2].birth_date".to_string(), "".to_string());
        raw.insert("members[10].work.months".to_string(), "99".to_string());
        raw.insert("income.lines[1].amount".to_string(), "1a".to_string());
        remove_indexed_raw(&mut raw, "members", 1);
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
    }
}

/// The open/closed state of one item of a list (a member, a measure) and the number of errors inside it.
/// An item opens when tapped, or when a summary link points at one of its fields.
#[derive(Debug, Clone, Copy)]
pub struct ListItem<Id: Copy + PartialEq + Send + Sync + 'static> {
    /// The item's field path, e.g. `members[3]`.
    base: Signal<String>,
    id: Id,
    expanded: RwSignal<Option<Id>>,
    focus: Option<RwSignal<Option<String>>>,
    /// Errors reported under the item's path.
    pub problems: Memo<usize>,
}

impl<Id: Copy + PartialEq + Send + Sync + 'static> ListItem<Id> {
    pub fn new(
        form: fields::Form,
        base: Signal<String>,
        id: Id,
        expanded: RwSignal<Option<Id>>,
        focus: Option<RwSignal<Option<String>>>,
    ) -> ListItem<Id> {
        let problems = Memo::new(move |_| {
            let prefix = format!("{}.", base.get());
            form.report.with(|r| errors_under(r, &prefix))
        });
        ListItem {
            base,
            id,
            expanded,
            focus,
            problems,
        }
    }

    /// Open because it was tapped or because a followed summary link points inside it.
    pub fn is_open(&self) -> bool {
        let focused = self.focus.is_some_and(|focus| {
            focus.with(|path| {
                path.as_ref()
                    .is_some_and(|path| path.starts_with(&format!("{}.", self.base.get())))
            })
        });
        self.expanded.get() == Some(self.id) || focused
    }

    /// Opens a closed item, closes an open one (and forgets a followed link).
    pub fn toggle(&self) {
        let open = self.is_open();
        if let Some(focus) = self.focus {
            focus.set(None);
        }
        self.expanded.set((!open).then_some(self.id));
    }
}
