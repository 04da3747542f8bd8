//! Table-driven tests of the validation rules: each test is named after the rule it pins and starts from the valid
//! sample household, changes one thing, and expects exactly that rule to fire. Here: the sample passes, rule codes,
//! who is counted (heads, spouses, ID numbers), the helper and the bank account. The members' rules are in
//! `member_rules.rs`, causes, assistance, housing, land and exit in `household_rules.rs`, the income sheet and the
//! plan in `income_plan_rules.rs`, field-level checks, the visit log and the night school in `record_rules.rs`.

mod rule_case;

use rule_case::*;

#[test]
fn the_sample_household_passes_every_rule() {
    let report = validate(&base());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn every_rule_code_is_unique_and_cites_a_source() {
    let mut codes: Vec<&str> = RULES.iter().map(|rule| rule.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), RULES.len());
    assert!(RULES.iter().all(|rule| !rule.source.is_empty()));
}

// ---- household structure ----

#[test]
fn hh_members_none_a_household_with_nobody_counted_is_an_error() {
    check(
        |case| {
            case.household
                .members
                .iter_mut()
                .for_each(|m| m.membership = Membership::Excluded(ExclusionReason::Missing))
        },
        "HH-MEMBERS-NONE",
        Severity::Error,
        "members",
    );
}

#[test]
fn hh_head_count_two_heads_is_an_error() {
    check(
        |case| member(case, 2).relation = Relation::Head,
        "HH-HEAD-COUNT",
        Severity::Error,
        "members",
    );
}

#[test]
fn hh_spouse_count_two_spouses_is_an_error() {
    check(
        |case| {
            let m = member(case, 3);
            m.relation = Relation::Spouse;
        },
        "HH-SPOUSE-COUNT",
        Severity::Error,
        "members[3].relation",
    );
}

#[test]
fn hh_head_spouse_same_sex_is_an_error() {
    check(
        |case| case.household.members[0].sex = Sex::Female,
        "HH-HEAD-SPOUSE-SAME-SEX",
        Severity::Error,
        "members[1].sex",
    );
}

#[test]
fn hh_id_duplicate_within_the_household_is_an_error() {
    check(
        |case| {
            let id = case.household.members[0].id_number.clone();
            member(case, 2).id_number = id;
        },
        "HH-ID-DUPLICATE",
        Severity::Error,
        "members[2].id_number",
    );
}

#[test]
fn hh_helper_missing_for_a_registered_household_is_an_error() {
    check(
        |case| case.household.helpers.clear(),
        "HH-HELPER-MISSING",
        Severity::Error,
        "helpers",
    );
}

#[test]
fn hh_helper_history_overlapping_rows_is_an_error() {
    check(
        |case| {
            let mut second = case.household.helpers[0].clone();
            second.started_on = date!(2018 - 01 - 01);
            case.household.helpers.push(second);
        },
        "HH-HELPER-HISTORY",
        Severity::Error,
        "helpers[0]",
    );
}

#[test]
fn a_helper_change_closes_the_old_row_and_passes_hh_helper_history() {
    let mut case = base();
    let mut new_helper = case.household.helpers[0].clone();
    new_helper.name = "刘新".into();
    assert!(
        case.household
            .change_helper(new_helper.clone(), date!(2020 - 06 - 01))
            .is_ok()
    );
    assert_eq!(case.household.helpers.len(), 2);
    assert_eq!(
        case.household.helpers[0].ended_on,
        Some(date!(2020 - 05 - 31)),
        "the previous helper's inclusive period ends the day before"
    );
    assert_eq!(case.household.helpers[1].started_on, date!(2020 - 06 - 01));
    assert_eq!(
        case.household
            .current_helper()
            .map(|helper| helper.name.as_str()),
        Some("刘新")
    );
    assert!(!validate(&case).has("HH-HELPER-HISTORY"));
    assert!(
        case.household
            .change_helper(new_helper, date!(2020 - 01 - 01))
            .is_err()
    );
}

#[test]
fn a_helper_change_on_the_day_the_current_helper_started_is_refused() {
    let mut case = base();
    let started = case.household.helpers[0].started_on;
    let new_helper = case.household.helpers[0].clone();
    assert!(
        case.household
            .change_helper(new_helper.clone(), started)
            .is_err()
    );
    assert_eq!(case.household.helpers.len(), 1, "nothing changed");
    let next_day = started.next_day().unwrap_or(started);
    assert!(case.household.change_helper(new_helper, next_day).is_ok());
    assert_eq!(case.household.helpers[0].ended_on, Some(started));
}

#[test]
fn hh_helper_name_missing_is_an_error() {
    check(
        |case| case.household.helpers[0].name = "  ".into(),
        "HH-HELPER-NAME-MISSING",
        Severity::Error,
        "helpers[0].name",
    );
}

// ---- bank account ----

fn set_account_number(case: &mut Case, number: &str) {
    if let Some(account) = case.household.bank_account.as_mut() {
        account.account_number = Sensitive(number.into());
    }
}

#[test]
fn hh_bank_account_invalid_when_too_short() {
    check(
        |case| set_account_number(case, "622848000000123"),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
}

#[test]
fn hh_bank_account_invalid_when_too_long() {
    check(
        |case| set_account_number(case, "62284800000000000001"),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
}

#[test]
fn hh_bank_account_invalid_with_a_letter_or_empty() {
    check(
        |case| set_account_number(case, "62284800000000000a"),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
    check(
        |case| set_account_number(case, ""),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
}

#[test]
fn sixteen_and_nineteen_digit_bank_accounts_and_no_account_pass() {
    for number in ["6228480000000000", "6228480000000000000"] {
        let mut case = base();
        set_account_number(&mut case, number);
        assert!(!validate(&case).has("HH-BANK-ACCOUNT-INVALID"), "{number}");
    }
    let mut case = base();
    case.household.bank_account = None;
    assert!(!validate(&case).has("HH-BANK-ACCOUNT-INVALID"));
}

// ---- members ----
