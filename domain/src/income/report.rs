//! The computed report: every line's decision, the totals, per-capita income against the standard and the
//! monitoring line, the industry award, and [`compute_income`] itself.

use serde::{Deserialize, Serialize};

use super::{
    DefaultTreatment, ExclusionGround, IncomeCategory, IncomeError, IncomeLineKind, IncomeSheet,
    PER_CAPITA_ROUNDING,
};
use crate::model::{Household, check_schema_version};
use crate::money::{Fen, MAX_TYPED_FEN, div_round_half_away_from_zero};
use crate::policy::{AwardTier, Lookup, PolicyTables, RegionPath, Sourced, award_for};

/// What happened to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "category")]
pub enum LineDecision {
    Counted(IncomeCategory),
    Deducted,
    Excluded,
    RecordedOnly,
}

/// Why one line was treated as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineExplanation {
    pub index: usize,
    pub kind: IncomeLineKind,
    pub amount: Fen,
    pub decision: LineDecision,
    /// The default ground when excluded by default.
    pub exclusion_ground: Option<ExclusionGround>,
    /// The override's reason when the line overrides its kind.
    pub override_reason: Option<String>,
    pub one_off: bool,
    pub source: String,
}

/// Where a per-capita figure stands against a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub line: Sourced<Fen>,
    /// per-capita − line (negative = below).
    pub margin: Fen,
    /// Strictly above the line ("超过", S16: 稳定超过国家扶贫标准).
    pub above: bool,
}

/// A comparison, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum ComparisonOutcome {
    Compared(Comparison),
    NotConfigured { region: RegionPath, year: i32 },
}

impl ComparisonOutcome {
    fn from_lookup(lookup: Lookup<Fen>, per_capita: Fen) -> Result<ComparisonOutcome, IncomeError> {
        Ok(match lookup {
            Lookup::Found(line) => {
                let margin = per_capita.checked_sub(line.value)?;
                ComparisonOutcome::Compared(Comparison {
                    above: margin.is_positive(),
                    margin,
                    line,
                })
            }
            Lookup::NotConfigured { region, year } => {
                ComparisonOutcome::NotConfigured { region, year }
            }
        })
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        match self {
            ComparisonOutcome::Compared(comparison) => Some(comparison),
            ComparisonOutcome::NotConfigured { .. } => None,
        }
    }
}

/// The industry award outcome (seeds 002, 004).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum AwardOutcome {
    /// Tiers are configured; `tier` is the one earned, if any.
    Evaluated {
        business_net: Fen,
        tier: Option<AwardTier>,
        tiers: Sourced<Vec<AwardTier>>,
    },
    NotConfigured {
        region: RegionPath,
        year: i32,
    },
}

/// Every figure of the sheet with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeReport {
    pub year: i32,
    pub region: RegionPath,
    pub household_size: u32,
    pub wage: Fen,
    pub business_income: Fen,
    pub property: Fen,
    pub transfer: Fen,
    /// 年收入 = W + B + P + T (counted lines).
    pub gross: Fen,
    /// 生产经营性支出 E.
    pub business_costs: Fen,
    /// 纯收入 N = gross − E.
    pub net: Fen,
    /// N ÷ size, rounded half away from zero to the fen.
    pub per_capita: Fen,
    /// 家庭经营性纯收入 = B − E (used for the award).
    pub business_net: Fen,
    /// Recorded lines not counted.
    pub excluded_total: Fen,
    /// 合规自付支出 recorded (not deducted).
    pub rigid_expenditure: Fen,
    /// Counted transfer income plus counted one-off lines of other categories.
    pub transfer_and_one_off: Fen,
    /// `transfer_and_one_off ÷ gross` in ‰ (floor); `None` when gross ≤ 0.
    pub transfer_share_per_mille: Option<u32>,
    pub lines: Vec<LineExplanation>,
    pub standard: ComparisonOutcome,
    pub monitoring: ComparisonOutcome,
    pub award: AwardOutcome,
    pub policy_version: String,
    pub rounding: String,
}

/// Computes the sheet for the household under the policy tables.
pub fn compute_income(
    sheet: &IncomeSheet,
    household: &Household,
    policy: &PolicyTables,
) -> Result<IncomeReport, IncomeError> {
    check_schema_version(sheet.schema_version)?;
    let household_size =
        u32::try_from(household.counted_members().count()).map_err(|_| IncomeError::Overflow)?;
    let region = RegionPath::from_address(&household.address);
    compute_income_for(sheet, household_size, &region, policy)
}

/// Like [`compute_income`] with the household size and region given directly.
pub fn compute_income_for(
    sheet: &IncomeSheet,
    household_size: u32,
    region: &RegionPath,
    policy: &PolicyTables,
) -> Result<IncomeReport, IncomeError> {
    if household_size == 0 {
        return Err(IncomeError::NoCountedMembers);
    }
    let mut wage = Fen::ZERO;
    let mut business_income = Fen::ZERO;
    let mut property = Fen::ZERO;
    let mut transfer = Fen::ZERO;
    let mut business_costs = Fen::ZERO;
    let mut excluded_total = Fen::ZERO;
    let mut rigid_expenditure = Fen::ZERO;
    let mut one_off_other = Fen::ZERO;
    let mut lines = Vec::with_capacity(sheet.lines.len());
    for (index, line) in sheet.lines.iter().enumerate() {
        if line.amount.is_negative() || line.amount.fen() > MAX_TYPED_FEN {
            return Err(IncomeError::AmountOutOfRange {
                index,
                amount: line.amount.fen(),
            });
        }
        let default = line.kind.default_treatment();
        let override_counts = line
            .treatment_override
            .as_ref()
            .map(|chosen| chosen.counts_toward_net_income);
        let one_off = line.one_off || line.kind.is_one_off_by_nature();
        let decision = match (default, override_counts) {
            (DefaultTreatment::RigidExpenditure, _) => LineDecision::RecordedOnly,
            (DefaultTreatment::BusinessCost, Some(false)) => LineDecision::Excluded,
            (DefaultTreatment::BusinessCost, _) => LineDecision::Deducted,
            (DefaultTreatment::Income(category), None | Some(true)) => {
                LineDecision::Counted(category)
            }
            (DefaultTreatment::Income(_), Some(false)) => LineDecision::Excluded,
            (DefaultTreatment::Excluded(_), Some(true)) => {
                LineDecision::Counted(line.kind.category_when_counted())
            }
            (DefaultTreatment::Excluded(_), _) => LineDecision::Excluded,
        };
        // An excluded kind counted by override is by definition not a regular, stable income.
        let one_off = one_off
            || matches!(
                (default, decision),
                (DefaultTreatment::Excluded(_), LineDecision::Counted(_))
            );
        match decision {
            LineDecision::Counted(category) => {
                let total = match category {
                    IncomeCategory::Wage => &mut wage,
                    IncomeCategory::Business => &mut business_income,
                    IncomeCategory::Property => &mut property,
                    IncomeCategory::Transfer => &mut transfer,
                };
                *total = total.checked_add(line.amount)?;
                if one_off && category != IncomeCategory::Transfer {
                    one_off_other = one_off_other.checked_add(line.amount)?;
                }
            }
            LineDecision::Deducted => business_costs = business_costs.checked_add(line.amount)?,
            LineDecision::Excluded => excluded_total = excluded_total.checked_add(line.amount)?,
            LineDecision::RecordedOnly => {
                rigid_expenditure = rigid_expenditure.checked_add(line.amount)?
            }
        }
        lines.push(LineExplanation {
            index,
            kind: line.kind,
            amount: line.amount,
            decision,
            exclusion_ground: match default {
                DefaultTreatment::Excluded(ground) => Some(ground),
                _ => None,
            },
            override_reason: line
                .treatment_override
                .as_ref()
                .map(|chosen| chosen.reason.clone()),
            one_off,
            source: line.kind.source().to_string(),
        });
    }
    let gross = Fen::checked_sum([wage, business_income, property, transfer])?;
    let net = gross.checked_sub(business_costs)?;
    let per_capita = Fen::from_fen(
        i64::try_from(div_round_half_away_from_zero(
            i128::from(net.fen()),
            i128::from(household_size),
        ))
        .map_err(|_| IncomeError::Overflow)?,
    );
    let business_net = business_income.checked_sub(business_costs)?;
    let transfer_and_one_off = transfer.checked_add(one_off_other)?;
    let transfer_share_per_mille = if gross.is_positive() {
        u32::try_from(i128::from(transfer_and_one_off.fen()) * 1000 / i128::from(gross.fen())).ok()
    } else {
        None
    };
    let standard =
        ComparisonOutcome::from_lookup(policy.poverty_standard(region, sheet.year), per_capita)?;
    let monitoring =
        ComparisonOutcome::from_lookup(policy.monitoring_line(region, sheet.year), per_capita)?;
    let award = match policy.award_tiers(region, sheet.year) {
        Lookup::Found(tiers) => AwardOutcome::Evaluated {
            business_net,
            tier: award_for(&tiers.value, business_net),
            tiers,
        },
        Lookup::NotConfigured { region, year } => AwardOutcome::NotConfigured { region, year },
    };
    Ok(IncomeReport {
        year: sheet.year,
        region: region.clone(),
        household_size,
        wage,
        business_income,
        property,
        transfer,
        gross,
        business_costs,
        net,
        per_capita,
        business_net,
        excluded_total,
        rigid_expenditure,
        transfer_and_one_off,
        transfer_share_per_mille,
        lines,
        standard,
        monitoring,
        award,
        policy_version: policy.version().to_string(),
        rounding: PER_CAPITA_ROUNDING.to_string(),
    })
}

impl IncomeReport {
    /// Total of counted lines of one kind.
    pub fn counted_of(&self, kind: IncomeLineKind) -> Fen {
        self.lines
            .iter()
            .filter(|line| line.kind == kind && matches!(line.decision, LineDecision::Counted(_)))
            .fold(Fen::ZERO, |total, line| {
                total.checked_add(line.amount).unwrap_or(total)
            })
    }
}
