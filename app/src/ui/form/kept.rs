//! Findings for text kept in the draft because it does not parse yet (`HouseholdDraft::keep_raw`): each blocks
//! submitting and names what is wrong, and a choice a new member has not made yet says what is missing.

use std::collections::BTreeMap;

use zoufang_domain::money::Centi;
use zoufang_domain::validation::{FieldPath, Finding, RuleCode, Severity, validate_money_field};

use super::{parse_date, parse_date_time, parse_months, parse_year};
use crate::i18n::{Locale, td_string};

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

/// The finding for one kept text, or `None` if it parses now (or is not a kind the forms keep).
pub fn raw_input_finding(path: &str, text: &str) -> Option<Finding> {
    let chinese = Locale::zh_CN;
    let english = Locale::en;
    let Some(kind) = raw_kind(path) else {
        return unchosen_finding(path, text);
    };
    match kind {
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

/// The finding for a choice kept as not chosen yet (empty kept text under a placeholder field of a new member,
/// `Member::UNCHOSEN_FIELDS`): it says which choice is missing.
fn unchosen_finding(path: &str, text: &str) -> Option<Finding> {
    if !text.is_empty() || !path.starts_with("members[") {
        return None;
    }
    let chinese = Locale::zh_CN;
    let english = Locale::en;
    let field = path.rsplit('.').next().unwrap_or(path);
    let (zh, en) = match field {
        "relation" => (
            td_string!(chinese, forms.error.relation_unchosen),
            td_string!(english, forms.error.relation_unchosen),
        ),
        "sex" => (
            td_string!(chinese, forms.error.sex_unchosen),
            td_string!(english, forms.error.sex_unchosen),
        ),
        _ => return None,
    };
    Some(field_finding(
        "FIELD-NOT-CHOSEN",
        path,
        zh.to_string(),
        en.to_string(),
    ))
}

pub fn raw_input_findings(raw_inputs: &BTreeMap<String, String>) -> Vec<Finding> {
    raw_inputs
        .iter()
        .filter_map(|(path, text)| raw_input_finding(path, text))
        .collect()
}
