//! Checks of a night-school session's attendance sheet (rules `NS-*`).

use super::finding::{FieldPath, ValidationReport, finding};
use super::rules::*;
use crate::model::*;

/// Validates a night-school session's attendance sheet.
pub fn validate_session(session: &Session) -> ValidationReport {
    let base = FieldPath::root().field("attendance");
    let mut findings = Vec::new();
    for (index, entry) in session.attendance.iter().enumerate() {
        let path = base.index(index);
        match entry.status {
            AttendanceStatus::Present => {
                if entry.absence_reason.is_some() {
                    findings.push(finding(
                        NS_PRESENT_WITH_REASON,
                        path.field("absence_reason"),
                        "出席的农户不应填写缺席原因".into(),
                        "a present household has no absence reason".into(),
                    ));
                }
                if entry.present_member_ids.is_empty() {
                    findings.push(finding(
                        NS_PRESENT_WITHOUT_MEMBER,
                        path.field("present_member_ids"),
                        "请勾选出席的家庭成员".into(),
                        "tick the members who attended".into(),
                    ));
                }
            }
            AttendanceStatus::Absent | AttendanceStatus::Excused => {
                if entry.absence_reason.is_none() {
                    findings.push(finding(
                        NS_ABSENT_WITHOUT_REASON,
                        path.field("absence_reason"),
                        "请填写缺席原因".into(),
                        "give the absence reason".into(),
                    ));
                }
            }
        }
        if session.attendance[..index]
            .iter()
            .any(|other| other.household_id == entry.household_id)
        {
            findings.push(finding(
                NS_DUPLICATE_HOUSEHOLD,
                path.field("household_id"),
                "同一农户重复登记".into(),
                "the household is recorded twice".into(),
            ));
        }
    }
    ValidationReport { findings }
}
