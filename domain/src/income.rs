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

use crate::model::{
    CURRENT_SCHEMA_VERSION, Household, HouseholdId, IncomeSheetId, MemberId, ModelError,
    check_schema_version,
};
use crate::money::{Fen, MAX_TYPED_FEN, MoneyError, div_round_half_away_from_zero};
use crate::policy::{AwardTier, Lookup, PolicyTables, RegionPath, Sourced, award_for};

/// The rounding rule, for display next to per-capita figures.
pub const PER_CAPITA_ROUNDING: &str = "人均纯收入四舍五入到分 (round half away from zero to the fen); |人均 × 人口 − 纯收入| ≤ 人口/2 分";

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

/// The four income categories of the formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeCategory {
    /// 工资性收入
    Wage,
    /// 生产经营性收入
    Business,
    /// 财产性收入
    Property,
    /// 转移性收入
    Transfer,
}

/// The items not counted by default, numbered as in the county rule quoted in domain.md §2.3 (S7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionGround {
    /// 1. 产业扶持/奖补资金 (incl. 以奖代补, seed, breeding stock)
    IndustrySupport,
    /// 2. 危房改造补助
    HousingRenovationSubsidy,
    /// 3. 扶贫小额信贷本金
    MicroCreditPrincipal,
    /// 4. 保险理赔款
    InsuranceClaim,
    /// 5. 临时慰问金
    CondolenceMoney,
    /// 6. 临时救助金
    TemporaryRelief,
    /// 7. 帮扶干部资助
    HelperDonation,
    /// 8. 社会捐赠
    SocialDonation,
    /// 9. 亲友偶然馈赠
    OccasionalGift,
    /// 10. 医疗报销和大病救助
    MedicalReimbursement,
    /// 11. 教育补助
    EducationSubsidy,
    /// 12. 雨露计划补助
    YuluSubsidy,
    /// 13. 其他
    Other,
}

impl ExclusionGround {
    pub fn item_number(self) -> u8 {
        self as u8 + 1
    }
}

/// How a kind is treated unless a line overrides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum DefaultTreatment {
    Income(IncomeCategory),
    /// 生产经营性支出: deducted.
    BusinessCost,
    /// Recorded, not counted, with its ground.
    Excluded(ExclusionGround),
    /// 刚性支出 / 合规自付支出: recorded, never deducted in the 2014–2020 formula (§2.3), used by risk rules.
    RigidExpenditure,
}

macro_rules! line_kinds {
    ($($variant:ident => $treatment:expr,)*) => {
        /// Every kind of line of domain.md §2.1–2.3 (2023 schema sub-items, C4).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum IncomeLineKind { $($variant,)* }

        impl IncomeLineKind {
            /// Every kind, in sheet order.
            pub const ALL: &'static [IncomeLineKind] = &[$(IncomeLineKind::$variant,)*];

            /// The default treatment and its basis.
            pub fn default_treatment(self) -> DefaultTreatment {
                use DefaultTreatment::*;
                use IncomeCategory::*;
                use ExclusionGround::*;
                match self { $(IncomeLineKind::$variant => $treatment,)* }
            }
        }
    };
}

line_kinds! {
    // 工资性收入 (C4: 务工 + 公益岗 + 自主采摘)
    MigrantWork => Income(Wage),
    PublicWelfareJobSector => Income(Wage),
    PublicWelfareJobTownship => Income(Wage),
    PublicWelfareJobVillage => Income(Wage),
    SelfPicking => Income(Wage),
    OtherWage => Income(Wage),
    // 生产经营性收入
    Planting => Income(Business),
    Breeding => Income(Business),
    ForestFruit => Income(Business),
    UnsoldProduceValued => Income(Business),
    OtherBusiness => Income(Business),
    // 生产经营性支出
    PlantingCost => BusinessCost,
    BreedingCost => BusinessCost,
    ForestFruitCost => BusinessCost,
    OtherBusinessCost => BusinessCost,
    // 财产性收入
    AssetDividend => Income(Property),
    LandTransfer => Income(Property),
    FinancialLoanProject => Income(Property),
    ContractFarming => Income(Property),
    OtherProperty => Income(Property),
    // 转移性收入
    FamilyPlanning => Income(Transfer),
    Dibao => Income(Transfer),
    Tekun => Income(Transfer),
    Pension => Income(Transfer),
    EcoReturnedFarmland => Income(Transfer),
    EcoPublicForest => Income(Transfer),
    EcoGrassland => Income(Transfer),
    EcoMigrant => Income(Transfer),
    EcoOther => Income(Transfer),
    PlantingSubsidy => Income(Transfer),
    SoilFertilitySubsidy => Income(Transfer),
    CropInsuranceSubsidy => Income(Transfer),
    ElderlyAllowance => Income(Transfer),
    EntitledGroupsPension => Income(Transfer),
    DisabilityAllowance => Income(Transfer),
    DisabledElderlyCareSubsidy => Income(Transfer),
    SupportFromRelatives => Income(Transfer),
    DibaoHeatingPriceSubsidy => Income(Transfer),
    SocialRelief => Income(Transfer),
    DisasterRelief => Income(Transfer),
    RegularDonationCompensation => Income(Transfer),
    RemittanceFromNonResident => Income(Transfer),
    OtherTransfer => Income(Transfer),
    // Recorded, not counted (S7)
    IndustrySupportSubsidy => Excluded(IndustrySupport),
    IndustryAward => Excluded(IndustrySupport),
    HousingRenovationSubsidy => Excluded(ExclusionGround::HousingRenovationSubsidy),
    MicroCreditPrincipal => Excluded(ExclusionGround::MicroCreditPrincipal),
    InsuranceClaim => Excluded(ExclusionGround::InsuranceClaim),
    AntiPovertyInsurancePayout => Excluded(ExclusionGround::InsuranceClaim),
    CondolenceMoney => Excluded(ExclusionGround::CondolenceMoney),
    TemporaryRelief => Excluded(ExclusionGround::TemporaryRelief),
    HelperDonation => Excluded(ExclusionGround::HelperDonation),
    SocialDonation => Excluded(ExclusionGround::SocialDonation),
    OccasionalGift => Excluded(ExclusionGround::OccasionalGift),
    MedicalReimbursement => Excluded(ExclusionGround::MedicalReimbursement),
    EducationSubsidy => Excluded(ExclusionGround::EducationSubsidy),
    YuluSubsidy => Excluded(ExclusionGround::YuluSubsidy),
    OtherExcluded => Excluded(ExclusionGround::Other),
    // 刚性支出 (recorded for monitoring, not deducted)
    MedicalSelfPay => RigidExpenditure,
    CompulsoryEducationCost => RigidExpenditure,
    OtherCompliantSelfPay => RigidExpenditure,
}

impl IncomeLineKind {
    /// Kinds that are one-off by nature (救灾款), whatever the line says.
    pub fn is_one_off_by_nature(self) -> bool {
        matches!(self, IncomeLineKind::DisasterRelief)
    }

    /// The category a line is counted in when an override makes an excluded kind count.
    pub fn category_when_counted(self) -> IncomeCategory {
        match self.default_treatment() {
            DefaultTreatment::Income(category) => category,
            DefaultTreatment::Excluded(ExclusionGround::IndustrySupport) => {
                IncomeCategory::Business
            }
            _ => IncomeCategory::Transfer,
        }
    }

    /// The citation for the kind's default treatment.
    pub fn source(self) -> &'static str {
        match self.default_treatment() {
            DefaultTreatment::Income(IncomeCategory::Wage) => {
                "domain.md §2.1–2.2 工资性收入 (S4, S6; C4 sub-items)"
            }
            DefaultTreatment::Income(IncomeCategory::Business) => {
                if self == IncomeLineKind::UnsoldProduceValued {
                    "domain.md §2.2: 未出售产品折价计算 (S6); a locality that counts produce only when sold overrides the line"
                } else {
                    "domain.md §2.1–2.2 生产经营性收入 (S4, S6; C4 sub-items)"
                }
            }
            DefaultTreatment::Income(IncomeCategory::Property) => {
                "domain.md §2.1–2.2 财产性收入 (S4, S6; C4 sub-items)"
            }
            DefaultTreatment::Income(IncomeCategory::Transfer) => {
                "domain.md §2.1–2.2 转移性收入 (国务院扶贫办采集表说明 via S5 [V-gov]; C4 sub-items)"
            }
            DefaultTreatment::BusinessCost => {
                "domain.md §2.1 生产经营性支出 deducted from 年收入 (S6)"
            }
            DefaultTreatment::Excluded(_) => {
                "domain.md §2.3 items not counted (county rule S7; 以奖代补 excluded by default)"
            }
            DefaultTreatment::RigidExpenditure => {
                "domain.md §2.3: 刚性支出 not deducted in the 2014–2020 formula; recorded for 防返贫 monitoring (S5, C4)"
            }
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn policy() -> PolicyTables {
        match PolicyTables::builtin() {
            Ok(tables) => tables,
            Err(error) => panic!("{error}"),
        }
    }

    fn yuan(amount: i64) -> Fen {
        Fen::from_fen(amount * 100)
    }

    fn sheet(year: i32, lines: Vec<IncomeLine>) -> IncomeSheet {
        let mut sheet =
            IncomeSheet::new(IncomeSheetId(Uuid::nil()), HouseholdId(Uuid::nil()), year);
        sheet.lines = lines;
        sheet
    }

    fn compute(year: i32, size: u32, region: &str, lines: Vec<IncomeLine>) -> IncomeReport {
        match compute_income_for(
            &sheet(year, lines),
            size,
            &RegionPath::parse(region),
            &policy(),
        ) {
            Ok(report) => report,
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn net_income_is_the_formula_of_section_2_1() {
        let report = compute(
            2020,
            4,
            "海南省/海口市/美兰区",
            vec![
                IncomeLine::new(IncomeLineKind::MigrantWork, yuan(12_000)),
                IncomeLine::new(IncomeLineKind::Planting, yuan(6_000)),
                IncomeLine::new(IncomeLineKind::PlantingCost, yuan(1_500)),
                IncomeLine::new(IncomeLineKind::AssetDividend, yuan(500)),
                IncomeLine::new(IncomeLineKind::Pension, yuan(1_200)),
                IncomeLine::new(IncomeLineKind::InsuranceClaim, yuan(3_000)),
                IncomeLine::new(IncomeLineKind::MedicalSelfPay, yuan(2_000)),
            ],
        );
        assert_eq!(report.gross, yuan(19_700));
        assert_eq!(report.net, yuan(18_200));
        assert_eq!(report.per_capita, yuan(4_550));
        assert_eq!(report.excluded_total, yuan(3_000));
        assert_eq!(report.rigid_expenditure, yuan(2_000));
        assert_eq!(report.business_net, yuan(4_500));
        assert!(
            matches!(&report.standard, ComparisonOutcome::Compared(c) if c.above && c.margin == yuan(550))
        );
        assert!(
            matches!(&report.monitoring, ComparisonOutcome::Compared(c) if !c.above && c.line.value == yuan(6_000))
        );
        assert!(
            matches!(&report.award, AwardOutcome::Evaluated { tier: Some(tier), .. } if tier.award == yuan(1_000))
        );
        let claim = &report.lines[5];
        assert_eq!(
            (claim.decision, claim.exclusion_ground),
            (
                LineDecision::Excluded,
                Some(ExclusionGround::InsuranceClaim)
            )
        );
    }

    #[test]
    fn per_capita_rounds_half_away_from_zero() {
        let report = compute(
            2020,
            3,
            "",
            vec![IncomeLine::new(
                IncomeLineKind::MigrantWork,
                Fen::from_fen(100),
            )],
        );
        assert_eq!(report.per_capita, Fen::from_fen(33));
        let report = compute(
            2020,
            2,
            "",
            vec![IncomeLine::new(
                IncomeLineKind::MigrantWork,
                Fen::from_fen(1),
            )],
        );
        assert_eq!(report.per_capita, Fen::from_fen(1));
        let negative = compute(
            2020,
            2,
            "",
            vec![IncomeLine::new(
                IncomeLineKind::PlantingCost,
                Fen::from_fen(1),
            )],
        );
        assert_eq!(negative.per_capita, Fen::from_fen(-1));
    }

    #[test]
    fn an_override_with_reason_counts_an_excluded_line_as_one_off() {
        let mut award = IncomeLine::new(IncomeLineKind::IndustryAward, yuan(1_000));
        award.treatment_override = Some(TreatmentOverride {
            counts_toward_net_income: true,
            reason: "本地以奖代补计入".into(),
        });
        let report = compute(
            2020,
            1,
            "",
            vec![
                award,
                IncomeLine::new(IncomeLineKind::MigrantWork, yuan(4_000)),
            ],
        );
        assert_eq!(report.net, yuan(5_000));
        assert_eq!(report.transfer_and_one_off, yuan(1_000));
        assert_eq!(report.transfer_share_per_mille, Some(200));
    }

    #[test]
    fn ziyang_2018_compares_with_3600() {
        let report = compute(
            2018,
            1,
            "四川省/资阳市/雁江区",
            vec![IncomeLine::new(IncomeLineKind::MigrantWork, yuan(3_600))],
        );
        assert!(
            matches!(&report.standard, ComparisonOutcome::Compared(c) if !c.above && c.line.value == yuan(3_600))
        );
        assert!(matches!(report.award, AwardOutcome::NotConfigured { .. }));
        assert!(matches!(
            report.monitoring,
            ComparisonOutcome::NotConfigured { .. }
        ));
    }

    #[test]
    fn errors_are_typed() {
        let bad = compute_income_for(
            &sheet(
                2020,
                vec![IncomeLine::new(
                    IncomeLineKind::MigrantWork,
                    Fen::from_fen(-1),
                )],
            ),
            1,
            &RegionPath::national(),
            &policy(),
        );
        assert_eq!(
            bad.map(|report| report.net),
            Err(IncomeError::AmountOutOfRange {
                index: 0,
                amount: -1
            })
        );
        let empty = compute_income_for(&sheet(2020, vec![]), 0, &RegionPath::national(), &policy());
        assert_eq!(
            empty.map(|report| report.net),
            Err(IncomeError::NoCountedMembers)
        );
    }

    fn line_strategy(max: i64) -> impl Strategy<Value = IncomeLine> {
        (
            0..IncomeLineKind::ALL.len(),
            0..=max,
            any::<bool>(),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(|(kind, amount, one_off, override_counts)| IncomeLine {
                kind: IncomeLineKind::ALL[kind],
                amount: Fen::from_fen(amount),
                note: String::new(),
                member_id: None,
                one_off,
                treatment_override: override_counts.map(|counts| TreatmentOverride {
                    counts_toward_net_income: counts,
                    reason: "r".into(),
                }),
            })
    }

    proptest! {
        #[test]
        fn net_equals_counted_lines_minus_costs(lines in proptest::collection::vec(line_strategy(MAX_TYPED_FEN), 0..40), size in 1u32..30) {
            let report = compute(2020, size, "", lines);
            let counted: i128 = report.lines.iter().filter(|line| matches!(line.decision, LineDecision::Counted(_))).map(|line| i128::from(line.amount.fen())).sum();
            let deducted: i128 = report.lines.iter().filter(|line| line.decision == LineDecision::Deducted).map(|line| i128::from(line.amount.fen())).sum();
            prop_assert_eq!(i128::from(report.net.fen()), counted - deducted);
            prop_assert_eq!(report.gross, Fen::checked_sum([report.wage, report.business_income, report.property, report.transfer]).unwrap_or(Fen::ZERO));
        }

        #[test]
        fn per_capita_times_size_is_net_within_half_the_size(lines in proptest::collection::vec(line_strategy(MAX_TYPED_FEN), 0..40), size in 1u32..30) {
            let report = compute(2020, size, "", lines);
            let difference = (i128::from(report.per_capita.fen()) * i128::from(size) - i128::from(report.net.fen())).abs();
            prop_assert!(difference <= i128::from(size / 2), "difference {} size {}", difference, size);
        }

        #[test]
        fn adding_an_excluded_line_never_changes_net(lines in proptest::collection::vec(line_strategy(MAX_TYPED_FEN), 0..30), extra in 0..=MAX_TYPED_FEN, pick in 0usize..1000) {
            let excluded: Vec<IncomeLineKind> = IncomeLineKind::ALL.iter().copied().filter(|kind| matches!(kind.default_treatment(), DefaultTreatment::Excluded(_) | DefaultTreatment::RigidExpenditure)).collect();
            let before = compute(2020, 3, "海南省/海口市", lines.clone());
            let mut more = lines;
            more.push(IncomeLine::new(excluded[pick % excluded.len()], Fen::from_fen(extra)));
            let after = compute(2020, 3, "海南省/海口市", more);
            prop_assert_eq!(before.net, after.net);
            prop_assert_eq!(before.per_capita, after.per_capita);
        }

        #[test]
        fn any_amounts_give_a_result_or_a_typed_error(amounts in proptest::collection::vec(any::<i64>(), 0..20), kinds in proptest::collection::vec(0..IncomeLineKind::ALL.len(), 20), size in 0u32..5) {
            let lines = amounts.iter().zip(&kinds).map(|(&amount, &kind)| IncomeLine::new(IncomeLineKind::ALL[kind], Fen::from_fen(amount))).collect();
            let result = compute_income_for(&sheet(2020, lines), size, &RegionPath::national(), &policy());
            if let Err(error) = result {
                let expected = matches!(error, IncomeError::AmountOutOfRange { .. } | IncomeError::NoCountedMembers | IncomeError::Overflow);
                prop_assert!(expected, "unexpected {:?}", error);
            }
        }
    }
}
