//! Household income accounting (收入核算, domain.md §2) in integer fen, with an explanation of every line and threshold.
//!
//! Formula (2014–2020 national system, S6): 纯收入 N = 工资性 W + 生产经营性 B + 财产性 P + 转移性 T − 生产经营性支出 E;
//! 人均纯收入 = N ÷ 家庭人口 (members who count in the household, §2.4).
//!
//! **Rounding**: per-capita income is rounded half away from zero to the fen, so
//! `|per_capita × size − net| ≤ size / 2` fen (integer division). No other figure is rounded.
//!
//! Items recorded but not counted (§2.3, S7) stay on the sheet and appear in the explanation with their ground; a
//! line can override its kind's default ("counts toward net income") with a written reason.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use crate::model::{CURRENT_SCHEMA_VERSION, HouseholdId, IncomeSheetId, MemberId, ModelError};
use crate::money::{Fen, MoneyError};

mod kinds;
mod report;
#[cfg(test)]
mod tests;

pub use kinds::{DefaultTreatment, ExclusionGround, IncomeCategory, IncomeLineKind};
pub use report::{
    AwardOutcome, Comparison, ComparisonOutcome, IncomeReport, LineDecision, LineExplanation,
    compute_income, compute_income_for,
};

/// The year whose income is accounted on `today`: the last full calendar year (the reference period of
/// `reference/domain.md` §2.4, "last calendar year"). The phone's new income sheet and the 未核算 rule both use it.
pub fn accounting_year(today: time::Date) -> i32 {
    today.year() - 1
}

/// The rounding rule, for display next to per-capita figures.
pub const PER_CAPITA_ROUNDING: &str = "人均纯收入四舍五入到分；|人均 × 人口 − 纯收入| ≤ 人口/2 分";

/// Why an income sheet could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IncomeError {
    #[error("line {index}: amount {amount} fen is outside 0 … 100 000 000 000 元")]
    AmountOutOfRange { index: usize, amount: i64 },
    #[error("no member counts in the household, so per-capita income has no divisor")]
    NoCountedMembers,
    #[error("the totals overflow")]
    Overflow,
    #[error(transparent)]
    Schema(#[from] ModelError),
}

impl From<MoneyError> for IncomeError {
    fn from(_: MoneyError) -> Self {
        IncomeError::Overflow
    }
}

/// One household's income for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeSheet {
    pub schema_version: u32,
    pub id: IncomeSheetId,
    pub household_id: HouseholdId,
    /// The year whose standard applies (the calendar year, or the year the rolling window ends in).
    pub year: i32,
    pub period: IncomePeriod,
    pub lines: Vec<IncomeLine>,
}

impl IncomeSheet {
    /// An empty calendar-year sheet.
    pub fn new(id: IncomeSheetId, household_id: HouseholdId, year: i32) -> IncomeSheet {
        IncomeSheet {
            schema_version: CURRENT_SCHEMA_VERSION,
            id,
            household_id,
            year,
            period: IncomePeriod::CalendarYear,
            lines: Vec::new(),
        }
    }
}

/// Reference period (§2.4: calendar year; Anhui's rolling 12 months for 边缘户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum IncomePeriod {
    CalendarYear,
    /// The 12 months ending on `last_day` (inclusive).
    Rolling12Months {
        last_day: Date,
    },
}

/// One line of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeLine {
    pub kind: IncomeLineKind,
    /// Non-negative, at most 100 000 000 000 元 (checked by [`compute_income`]).
    pub amount: Fen,
    pub note: String,
    /// The member the line belongs to (wages, pensions), when known.
    #[serde(default)]
    pub member_id: Option<MemberId>,
    /// A one-off receipt the helper flags (feeds the 算账式脱贫 warning).
    #[serde(default)]
    pub one_off: bool,
    /// Overrides the kind's default "counts toward net income" with a written reason (local policy).
    #[serde(default)]
    pub treatment_override: Option<TreatmentOverride>,
}

impl IncomeLine {
    pub fn new(kind: IncomeLineKind, amount: Fen) -> IncomeLine {
        IncomeLine {
            kind,
            amount,
            note: String::new(),
            member_id: None,
            one_off: false,
            treatment_override: None,
        }
    }
}

/// A per-line decision that differs from the kind's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentOverride {
    pub counts_toward_net_income: bool,
    /// Why (local rule, document number). Required: `IN-OVERRIDE-NO-REASON` is an error without it.
    pub reason: String,
}
