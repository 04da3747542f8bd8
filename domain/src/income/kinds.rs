//! The kinds of income line and how each is treated by default: counted in one of the four categories of the
//! formula, or recorded but not counted, with its ground (domain.md §2.1–2.3).

use serde::{Deserialize, Serialize};

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
