//! Checks of a night-school session's attendance sheet (rules `NS-*`).

use super::finding::{FieldPath, ValidationReport, finding};
use super::rules::*;
use crate::model::*;
use crate::money::{Fen, MAX_TYPED_FEN};

/// Validates a night-school session's attendance sheet. 出席 needs no member named (one tap; it then counts one
/// person); 缺席 needs no reason (a household that did not come rarely says why); 请假 does.
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
            }
            AttendanceStatus::Excused => {
                if entry.absence_reason.is_none() {
                    findings.push(finding(
                        NS_EXCUSED_WITHOUT_REASON,
                        path.field("absence_reason"),
                        "请假请选择原因".into(),
                        "choose why the household is excused".into(),
                    ));
                }
            }
            AttendanceStatus::Absent => {}
        }
        if entry.absence_reason == Some(AbsenceReason::Other)
            && entry.absence_note.trim().is_empty()
        {
            findings.push(finding(
                NS_OTHER_WITHOUT_NOTE,
                path.field("absence_note"),
                "原因选“其他”时请写明原因".into(),
                "say what the other reason is".into(),
            ));
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
    let sales = FieldPath::root().field("market_sales");
    let max = Fen::from_fen(MAX_TYPED_FEN);
    for (index, sale) in session.market_sales.iter().enumerate() {
        if sale.amount <= Fen::ZERO || sale.amount > max {
            findings.push(finding(
                NS_SALE_AMOUNT_OUT_OF_RANGE,
                sales.index(index).field("amount"),
                format!("销售金额应大于 0 元且不超过 {max} 元"),
                format!("the amount sold must be more than 0 and at most {max} yuan"),
            ));
        }
        if sale.product.trim().is_empty() {
            findings.push(finding(
                NS_SALE_WITHOUT_PRODUCT,
                sales.index(index).field("product"),
                "请填写销售的产品".into(),
                "say what was sold".into(),
            ));
        }
    }
    ValidationReport { findings }
}
