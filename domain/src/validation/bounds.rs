//! Bounds every record keeps whatever a client sends: free text and person names of a bounded length, plan amounts
//! within `0 ..= MAX_TYPED_FEN` 分, a visit that starts no earlier than the first year of 精准扶贫 and lasts at most
//! a day. The limits are [`ValidationConfig`] fields, with their defaults here.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;
use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

use super::ValidationConfig;
use super::finding::{FieldPath, Finding, finding};
use super::rules::{
    FIELD_NAME_TOO_LONG, FIELD_TEXT_TOO_LONG, PL_AMOUNT_OUT_OF_RANGE, VL_BEFORE_EARLIEST,
    VL_TOO_LONG,
};
use crate::model::{Household, Plan, VisitLog};
use crate::money::{Fen, MAX_TYPED_FEN};

pub(super) fn default_max_text_chars() -> u32 {
    2_000
}

pub(super) fn default_max_name_chars() -> u32 {
    50
}

pub(super) fn default_earliest_visit_year() -> i32 {
    2013
}

pub(super) fn default_max_visit_hours() -> u32 {
    24
}

/// `FIELD-TEXT-TOO-LONG` for every string anywhere in `record` (at its path under `root`) longer than
/// `config.max_text_chars` characters.
pub fn record_bounds<T: Serialize>(
    record: &T,
    root: &FieldPath,
    config: &ValidationConfig,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // The domain's records always serialise; a failure would mean nothing to bound.
    if let Ok(value) = serde_json::to_value(record) {
        let mut path = root.as_str().to_owned();
        long_texts(&value, &mut path, config.max_text_chars, &mut findings);
    }
    findings
}

/// Walks `value` with `path` naming it; each step appends its field or index to `path` and takes it off again, so
/// a path is written out only for a finding.
fn long_texts(value: &Value, path: &mut String, max: u32, findings: &mut Vec<Finding>) {
    match value {
        Value::String(text) => {
            // A character is at least one byte: text of at most `max` bytes needs no counting.
            if text.len() <= max as usize {
                return;
            }
            let length = text.chars().count();
            if length > max as usize {
                findings.push(finding(
                    FIELD_TEXT_TOO_LONG,
                    FieldPath::from_text(path.clone()),
                    format!("内容过长：最多{max}个字，现有{length}个字"),
                    format!("too long: at most {max} characters, this has {length}"),
                ));
            }
        }
        Value::Array(items) => {
            let before = path.len();
            for (index, item) in items.iter().enumerate() {
                let _ = write!(path, "[{index}]");
                long_texts(item, path, max, findings);
                path.truncate(before);
            }
        }
        Value::Object(fields) => {
            let before = path.len();
            for (key, item) in fields {
                if before > 0 {
                    path.push('.');
                }
                path.push_str(key);
                long_texts(item, path, max, findings);
                path.truncate(before);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// `FIELD-NAME-TOO-LONG` for member and helper names longer than `config.max_name_chars` characters.
pub(super) fn name_bounds(
    household: &Household,
    config: &ValidationConfig,
    findings: &mut Vec<Finding>,
) {
    let max = config.max_name_chars as usize;
    let root = FieldPath::root();
    let members = household
        .members
        .iter()
        .enumerate()
        .map(|(index, member)| (root.field("members").index(index), &member.name));
    let helpers = household
        .helpers
        .iter()
        .enumerate()
        .map(|(index, helper)| (root.field("helpers").index(index), &helper.name));
    for (path, name) in members.chain(helpers) {
        let length = name.chars().count();
        if length > max {
            findings.push(finding(
                FIELD_NAME_TOO_LONG,
                path.field("name"),
                format!("姓名过长：最多{max}个字，现有{length}个字"),
                format!("the name is too long: at most {max} characters, this has {length}"),
            ));
        }
    }
}

/// `PL-AMOUNT-OUT-OF-RANGE` for a plan amount below zero or above [`MAX_TYPED_FEN`].
pub(super) fn plan_amount_bounds(plan: &Plan, plan_path: &FieldPath, findings: &mut Vec<Finding>) {
    let mut amounts: Vec<(FieldPath, Fen)> = Vec::new();
    if let Some(target) = plan.target_per_capita_income {
        amounts.push((plan_path.field("target_per_capita_income"), target));
    }
    for (index, measure) in plan.measures.iter().enumerate() {
        let path = plan_path.field("measures").index(index);
        amounts.push((path.field("funds"), measure.funds));
        amounts.push((
            path.field("expected_extra_income"),
            measure.expected_extra_income,
        ));
    }
    for (index, effect) in plan.effects.iter().enumerate() {
        let path = plan_path
            .field("effects")
            .index(index)
            .field("actual_extra_income");
        amounts.push((path, effect.actual_extra_income));
    }
    let max = Fen::from_fen(MAX_TYPED_FEN);
    for (path, amount) in amounts {
        if amount.is_negative() || amount.fen() > MAX_TYPED_FEN {
            findings.push(finding(
                PL_AMOUNT_OUT_OF_RANGE,
                path,
                format!("金额须在0到{max}元之间"),
                format!("the amount must be between 0 and {max} yuan"),
            ));
        }
    }
}

/// `VL-BEFORE-EARLIEST` for a visit starting before 1 January of `config.earliest_visit_year` (China time), and
/// `VL-TOO-LONG` for one lasting more than `config.max_visit_hours`. Paths are under `root`.
pub fn validate_visit_bounds(
    visit: &VisitLog,
    root: &FieldPath,
    config: &ValidationConfig,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let year = config.earliest_visit_year;
    if let Some(earliest) = earliest_visit_instant(config)
        && visit.started_at < earliest
    {
        findings.push(finding(
            VL_BEFORE_EARLIEST,
            root.field("started_at"),
            format!("走访开始时间不能早于{year}年1月1日"),
            format!("a visit cannot start before 1 January {year}"),
        ));
    }
    let hours = config.max_visit_hours;
    if visit.ended_at - visit.started_at > time::Duration::hours(i64::from(hours)) {
        findings.push(finding(
            VL_TOO_LONG,
            root.field("ended_at"),
            format!("一次走访最长{hours}小时，请检查结束时间"),
            format!("a visit lasts at most {hours} hours: check the end time"),
        ));
    }
    findings
}

/// The first instant a visit may start: midnight on 1 January of `config.earliest_visit_year`, China Standard
/// Time (`None` for a year outside the calendar's range).
pub fn earliest_visit_instant(config: &ValidationConfig) -> Option<OffsetDateTime> {
    let date = Date::from_calendar_date(config.earliest_visit_year, Month::January, 1).ok()?;
    let offset = UtcOffset::from_hms(8, 0, 0).ok()?;
    Some(date.with_time(Time::MIDNIGHT).assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;
    use uuid::Uuid;

    use super::*;
    use crate::model::{CURRENT_SCHEMA_VERSION, HouseholdId, VisitId};
    use crate::sample;

    fn visit() -> VisitLog {
        VisitLog {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: VisitId(Uuid::from_u128(9)),
            household_id: HouseholdId(Uuid::from_u128(1)),
            purposes: Vec::new(),
            visitor_ids: Vec::new(),
            started_at: datetime!(2026-12-01 09:00 +08:00),
            ended_at: datetime!(2026-12-01 09:40 +08:00),
            notes: String::new(),
            issues_found: Vec::new(),
            follow_ups: Vec::new(),
            household_confirmation: None,
            evidence: Vec::new(),
        }
    }

    fn config() -> ValidationConfig {
        ValidationConfig::default()
    }

    fn codes(findings: &[Finding]) -> Vec<(&str, &str)> {
        findings
            .iter()
            .map(|finding| (finding.code.as_str(), finding.path.as_str()))
            .collect()
    }

    #[test]
    fn text_at_the_limit_passes_and_one_more_character_is_refused_at_its_path() {
        let mut household = sample::household();
        household.members[0].name = "王".to_string();
        let limit = config().max_text_chars as usize;
        household.address.group = "组".repeat(limit);
        assert!(record_bounds(&household, &FieldPath::root(), &config()).is_empty());
        household.address.group.push('组');
        let findings = record_bounds(&household, &FieldPath::root().field("household"), &config());
        assert_eq!(
            codes(&findings),
            [("FIELD-TEXT-TOO-LONG", "household.address.group")]
        );
        assert!(
            findings[0].message_zh.contains("2000"),
            "{}",
            findings[0].message_zh
        );
    }

    #[test]
    fn a_long_text_in_a_list_is_refused_at_its_index_under_the_root_or_without_one() {
        let mut household = sample::household();
        let limit = config().max_text_chars as usize;
        household.members[1].name = "王".repeat(limit + 1);
        household.members[2].name = "a".repeat(limit);
        let findings = record_bounds(&household, &FieldPath::root(), &config());
        assert_eq!(
            codes(&findings),
            [("FIELD-TEXT-TOO-LONG", "members[1].name")]
        );
        let findings = record_bounds(&household, &FieldPath::root().field("household"), &config());
        assert_eq!(
            codes(&findings),
            [("FIELD-TEXT-TOO-LONG", "household.members[1].name")]
        );
    }

    #[test]
    fn long_names_are_refused_and_counted_in_characters_not_bytes() {
        let mut household = sample::household();
        let limit = config().max_name_chars as usize;
        household.members[0].name = "欧".repeat(limit);
        let mut findings = Vec::new();
        name_bounds(&household, &config(), &mut findings);
        assert!(findings.is_empty());
        household.members[0].name.push('阳');
        name_bounds(&household, &config(), &mut findings);
        assert_eq!(
            codes(&findings),
            [("FIELD-NAME-TOO-LONG", "members[0].name")]
        );
    }

    #[test]
    fn plan_amounts_must_be_between_zero_and_the_typed_maximum() {
        let mut plan = sample::plan(&sample::household());
        let root = FieldPath::root().field("plan");
        plan.target_per_capita_income = Some(Fen::from_fen(MAX_TYPED_FEN));
        plan.measures[0].funds = Fen::ZERO;
        let mut findings = Vec::new();
        plan_amount_bounds(&plan, &root, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        plan.target_per_capita_income = Some(Fen::from_fen(MAX_TYPED_FEN + 1));
        plan.measures[0].funds = Fen::from_fen(-1);
        plan.measures[0].expected_extra_income = Fen::from_fen(i64::MAX);
        plan_amount_bounds(&plan, &root, &mut findings);
        assert_eq!(
            codes(&findings),
            [
                ("PL-AMOUNT-OUT-OF-RANGE", "plan.target_per_capita_income"),
                ("PL-AMOUNT-OUT-OF-RANGE", "plan.measures[0].funds"),
                (
                    "PL-AMOUNT-OUT-OF-RANGE",
                    "plan.measures[0].expected_extra_income"
                ),
            ]
        );
    }

    #[test]
    fn a_visit_starts_in_2013_or_later_china_time_and_lasts_at_most_a_day() {
        let mut visit = visit();
        let root = FieldPath::root().field("visit");
        visit.started_at = datetime!(2013-01-01 00:00 +08:00);
        visit.ended_at = visit.started_at + time::Duration::hours(24);
        assert!(validate_visit_bounds(&visit, &root, &config()).is_empty());
        // 2012-12-31 23:59:59 in China is still 2012 there, though already 2013 nowhere west of it.
        visit.started_at = datetime!(2012-12-31 15:59:59 UTC);
        visit.ended_at = datetime!(2013-01-01 16:00:00 UTC);
        assert_eq!(
            codes(&validate_visit_bounds(&visit, &root, &config())),
            [
                ("VL-BEFORE-EARLIEST", "visit.started_at"),
                ("VL-TOO-LONG", "visit.ended_at")
            ]
        );
        visit.started_at = datetime!(-9999-01-01 00:00 UTC);
        visit.ended_at = datetime!(9999-12-31 23:59:59 UTC);
        assert_eq!(validate_visit_bounds(&visit, &root, &config()).len(), 2);
    }
}
