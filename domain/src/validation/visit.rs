//! Checks of a visit log, of a whole household visit as the server receives it, and of the written reasons its
//! warnings need.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::bounds;
use super::finding::{FieldPath, ValidationReport, finding};
use super::rules::*;
use super::{ValidationContext, record_bounds, validate_household, validate_visit_bounds};
use crate::model::*;

/// Validates a visit log against `now` (passed in: the domain never reads the clock).
pub fn validate_visit(visit: &VisitLog, now: OffsetDateTime) -> ValidationReport {
    let root = FieldPath::root();
    let mut findings = Vec::new();
    if visit.purposes.is_empty() {
        findings.push(finding(
            VL_NO_PURPOSE,
            root.field("purposes"),
            "请选择走访目的".into(),
            "choose at least one purpose".into(),
        ));
    }
    if visit.visitor_ids.is_empty() {
        findings.push(finding(
            VL_NO_VISITOR,
            root.field("visitor_ids"),
            "请填写走访人".into(),
            "list at least one visitor".into(),
        ));
    }
    if visit.ended_at < visit.started_at {
        findings.push(finding(
            VL_END_BEFORE_START,
            root.field("ended_at"),
            "结束时间早于开始时间".into(),
            "the visit ends before it starts".into(),
        ));
    }
    if visit.started_at > now {
        findings.push(finding(
            VL_IN_FUTURE,
            root.field("started_at"),
            "走访开始时间晚于当前时间".into(),
            "the visit starts in the future".into(),
        ));
    }
    if visit.household_confirmation.is_none() {
        findings.push(finding(
            VL_NOT_CONFIRMED,
            root.field("household_confirmation"),
            "走访记录尚未经农户确认".into(),
            "the household has not confirmed the visit record".into(),
        ));
    }
    ValidationReport { findings }
}

/// Validates a whole household visit as the server receives it: the household with its plan and income sheet
/// ([`validate_household`]), then the visit log ([`validate_visit`], paths under `visit.` as the visit form names
/// them), and a visit log that belongs to another household. `context.today` and `now` come from the caller's
/// clock.
pub fn validate_household_visit(
    visit: &crate::household_visit::HouseholdVisit,
    context: &ValidationContext<'_>,
    now: OffsetDateTime,
) -> ValidationReport {
    let mut report = validate_household(
        &visit.household,
        Some(&visit.plan),
        Some(&visit.income),
        context,
    );
    let visit_path = FieldPath::root().field("visit");
    let root = FieldPath::root();
    bounds::name_bounds(&visit.household, context.config, &mut report.findings);
    for findings in [
        record_bounds(&visit.household, &root, context.config),
        record_bounds(&visit.plan, &root.field("plan"), context.config),
        record_bounds(&visit.income, &root.field("income"), context.config),
        record_bounds(&visit.visit, &visit_path, context.config),
    ] {
        report.findings.extend(findings);
    }
    report.findings.extend(validate_visit_bounds(
        &visit.visit,
        &visit_path,
        context.config,
    ));
    report
        .findings
        .extend(
            validate_visit(&visit.visit, now)
                .findings
                .into_iter()
                .map(|mut finding| {
                    finding.path = if finding.path.as_str().is_empty() {
                        visit_path.clone()
                    } else {
                        visit_path.field(finding.path.as_str())
                    };
                    finding
                }),
        );
    if visit.visit.household_id != visit.household.id {
        report.findings.push(finding(
            VL_HOUSEHOLD_MISMATCH,
            visit_path.field("household_id"),
            "走访记录属于另一户".into(),
            "the visit log belongs to another household".into(),
        ));
    }
    report
}

/// The warning codes of `report` that have no written reason in `reasons` (missing or blank), sorted and without
/// repeats. A submission is refused while this is not empty, as it is while [`ValidationReport::can_submit`] is
/// false.
pub fn warnings_without_reason(
    report: &ValidationReport,
    reasons: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut missing: Vec<String> = report
        .warnings()
        .map(|finding| finding.code.as_str().to_string())
        .filter(|code| {
            reasons
                .get(code)
                .is_none_or(|reason| reason.trim().is_empty())
        })
        .collect();
    missing.sort();
    missing.dedup();
    missing
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::household_visit::HouseholdVisit;
    use crate::policy::PolicyTables;
    use crate::sample;
    use crate::validation::{Severity, ValidationConfig, validate_bank_account_number};

    const NOW: OffsetDateTime = datetime!(2020-12-01 10:00 +08:00);

    fn sample_visit() -> HouseholdVisit {
        let household = sample::household();
        HouseholdVisit {
            plan: sample::plan(&household),
            income: sample::income_sheet(&household),
            visit: VisitLog {
                schema_version: CURRENT_SCHEMA_VERSION,
                id: VisitId(uuid::Uuid::from_u128(9)),
                household_id: household.id,
                purposes: vec![VisitPurpose::RoutineVisit],
                visitor_ids: vec![UserId(uuid::Uuid::from_u128(3))],
                started_at: datetime!(2020-12-01 09:00 +08:00),
                ended_at: datetime!(2020-12-01 09:40 +08:00),
                notes: String::new(),
                issues_found: Vec::new(),
                follow_ups: Vec::new(),
                household_confirmation: Some(HouseholdConfirmation {
                    method: ConfirmationMethod::Signature,
                    confirmed_by: "王海".into(),
                    confirmed_at: datetime!(2020-12-01 09:40 +08:00),
                    signature_evidence: None,
                }),
                evidence: Vec::new(),
            },
            household,
            base_version: 1,
            evidence: Vec::new(),
            warning_reasons: BTreeMap::new(),
        }
    }

    fn report_of(visit: &HouseholdVisit) -> ValidationReport {
        let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
        let config = ValidationConfig::default();
        let context = ValidationContext {
            today: sample::TODAY,
            policy: &policy,
            config: &config,
        };
        validate_household_visit(visit, &context, NOW)
    }

    #[test]
    fn a_bank_account_number_has_16_to_19_digits_and_nothing_else() {
        let path = || {
            FieldPath::root()
                .field("bank_account")
                .field("account_number")
        };
        for valid in [
            "6228480000000000",
            "62284800000000001",
            "6228480000000000000",
            // Masked by the server for a role without access: stands for the number it keeps.
            "6228 **** **** 0000",
        ] {
            assert_eq!(validate_bank_account_number(valid, path()), None, "{valid}");
        }
        for (invalid, zh_fragment) in [
            ("", "请填写"),
            ("622848000000000", "当前为15位"),
            ("62284800000000000001", "当前为20位"),
            ("6228 480000000000", "第5位"),
            ("６２２８480000000000", "第1位"),
        ] {
            let finding = validate_bank_account_number(invalid, path())
                .unwrap_or_else(|| panic!("{invalid:?} should be refused"));
            assert_eq!(finding.code.as_str(), "HH-BANK-ACCOUNT-INVALID");
            assert_eq!(finding.severity, Severity::Error);
            assert_eq!(finding.path.as_str(), "bank_account.account_number");
            assert!(
                finding.message_zh.contains(zh_fragment),
                "{}",
                finding.message_zh
            );
        }
    }

    #[test]
    fn the_sample_visit_has_no_findings() {
        let report = report_of(&sample_visit());
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
    }

    #[test]
    fn visit_findings_are_under_the_visit_path() {
        let mut visit = sample_visit();
        visit.visit.purposes.clear();
        visit.visit.household_confirmation = None;
        let report = report_of(&visit);
        assert_eq!(report.at("visit.purposes").count(), 1);
        assert!(report.has("VL-NO-PURPOSE"));
        assert_eq!(report.at("visit.household_confirmation").count(), 1);
        assert!(!report.can_submit());
    }

    #[test]
    fn household_plan_and_income_rules_run_too() {
        let mut visit = sample_visit();
        visit.plan.household_id = HouseholdId(uuid::Uuid::from_u128(77));
        visit.household.members[0].name.clear();
        let report = report_of(&visit);
        assert!(report.has("PL-HOUSEHOLD-MISMATCH"));
        assert!(report.has("MB-NAME-MISSING"));
    }

    #[test]
    fn a_visit_log_of_another_household_is_an_error() {
        let mut visit = sample_visit();
        visit.visit.household_id = HouseholdId(uuid::Uuid::from_u128(77));
        let report = report_of(&visit);
        let finding = report
            .at("visit.household_id")
            .next()
            .unwrap_or_else(|| panic!("{:#?}", report.findings));
        assert_eq!(finding.code.as_str(), "VL-HOUSEHOLD-MISMATCH");
        assert_eq!(finding.severity, Severity::Error);
    }

    #[test]
    fn a_visit_in_the_future_is_an_error() {
        let mut visit = sample_visit();
        visit.visit.started_at = NOW + time::Duration::hours(1);
        visit.visit.ended_at = NOW + time::Duration::hours(2);
        assert!(report_of(&visit).has("VL-IN-FUTURE"));
    }

    #[test]
    fn warnings_need_a_non_blank_reason_each() {
        let mut visit = sample_visit();
        visit.visit.household_confirmation = None;
        visit.household.housing.area_m2 = crate::money::Centi::from_hundredths(0);
        let report = report_of(&visit);
        assert!(report.can_submit(), "{:#?}", report.findings);
        let mut reasons = BTreeMap::new();
        assert_eq!(
            warnings_without_reason(&report, &reasons),
            vec!["HH-HOUSING-AREA-MISSING", "VL-NOT-CONFIRMED"]
        );
        reasons.insert("HH-HOUSING-AREA-MISSING".to_string(), " \t".to_string());
        reasons.insert(
            "VL-NOT-CONFIRMED".to_string(),
            "户主外出，电话确认".to_string(),
        );
        assert_eq!(
            warnings_without_reason(&report, &reasons),
            vec!["HH-HOUSING-AREA-MISSING"]
        );
        reasons.insert("HH-HOUSING-AREA-MISSING".to_string(), "待测量".to_string());
        assert!(warnings_without_reason(&report, &reasons).is_empty());
    }

    #[test]
    fn a_reason_for_a_code_that_did_not_fire_changes_nothing() {
        let report = report_of(&sample_visit());
        let reasons = BTreeMap::from([("HH-EXIT-NO-INCOME".to_string(), "无".to_string())]);
        assert!(warnings_without_reason(&report, &reasons).is_empty());
    }
}
