//! zh-CN and English labels for every closed value list, in one place, through the [`Labelled`] trait.
//!
//! The match in each impl is exhaustive, so adding a variant without its labels does not compile.

use crate::id_number::IdNumberKind;
use crate::income::{ExclusionGround, IncomeCategory, IncomeLineKind};
use crate::model::*;
use crate::policy::{AssistanceKind, StandardSeries};
use crate::risk::RiskColour;
use crate::validation::Severity;

/// Re-exported from the leaf module [`crate::locale`], so rules can write sentences without importing this one.
pub use crate::locale::{Labelled, Locale};

/// Writes, for each listed enum, its [`Labelled`] impl (an exhaustive match, so a variant without labels does not
/// compile) and `pub const ALL: &[Self]`, every value in the order listed (so a new variant reaches every picker).
macro_rules! labels {
    (@label $ty:ident { $($variant:path => $zh:literal, $en:literal;)* }) => {
        impl Labelled for $ty {
            fn label(&self, locale: Locale) -> &'static str {
                #[allow(unused_imports)]
                use $ty as This;
                let (zh, en) = match self { $($variant => ($zh, $en),)* };
                match locale { Locale::ZhCn => zh, Locale::En => en }
            }
        }
    };
    (@all $ty:ident { $($variant:path => $zh:literal, $en:literal;)* }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $ty as This;
            impl $ty {
                /// Every value, in the order its labels are listed in `labels.rs`.
                pub const ALL: &'static [$ty] = &[$($variant,)*];
            }
        };
    };
    ($($ty:ident { $($body:tt)* })*) => {$(
        labels!(@label $ty { $($body)* });
        labels!(@all $ty { $($body)* });
    )*};
}

labels! {
    Locale {
        Locale::ZhCn => "简体中文", "Simplified Chinese";
        Locale::En => "英语", "English";
    }
    Sex {
        Sex::Male => "男", "Male";
        Sex::Female => "女", "Female";
    }
    PovertyAttribute {
        PovertyAttribute::GeneralPoor => "一般贫困户", "Ordinary poor household";
        PovertyAttribute::DibaoExited => "低保脱贫户", "Exited household on minimum living allowance";
        PovertyAttribute::TekunExited => "特困供养脱贫户", "Exited household under destitute support";
        PovertyAttribute::DibaoPoor => "低保贫困户", "Poor household on minimum living allowance";
        PovertyAttribute::GeneralExited => "一般脱贫户", "Ordinary exited household";
        PovertyAttribute::TekunPoor => "特困供养贫困户", "Poor household under destitute support";
        PovertyAttribute::DibaoTekunPoor => "低保特困供养贫困户", "Poor household on allowance and destitute support";
        PovertyAttribute::DibaoTekun => "低保特困供养户", "Household on allowance and destitute support";
        PovertyAttribute::OrdinaryHousehold => "一般农户", "Ordinary rural household";
    }
    IdentificationStandard {
        IdentificationStandard::National => "国家标准", "National standard";
        IdentificationStandard::Provincial => "省定标准", "Provincial standard";
        IdentificationStandard::Municipal => "市定标准", "Municipal standard";
    }
    PovertyStatus {
        PovertyStatus::NotExited => "未脱贫", "Not yet lifted out";
        PovertyStatus::ExitedWithPolicy => "已脱贫(享受政策)", "Lifted out (still receiving support)";
        PovertyStatus::Returned => "返贫", "Fallen back into poverty";
        PovertyStatus::ExitedNoPolicy => "已脱贫(不再享受政策)", "Lifted out (support ended)";
        PovertyStatus::PreExit => "预脱贫", "Planned to exit";
        PovertyStatus::NewlyIdentified => "新识别", "Newly identified";
        PovertyStatus::NotApplicable => "不适用", "Not applicable";
    }
    MonitoringCategory {
        MonitoringCategory::UnstableExited => "脱贫不稳定户", "Unstable exited household";
        MonitoringCategory::EdgeProne => "边缘易致贫户", "Edge household at risk";
        MonitoringCategory::SuddenHardship => "突发严重困难户", "Household in sudden severe hardship";
    }
    HousingStructure {
        HousingStructure::ReinforcedConcrete => "钢混", "Reinforced concrete";
        HousingStructure::BrickConcrete => "砖混", "Brick and concrete";
        HousingStructure::BrickWood => "砖木", "Brick and wood";
        HousingStructure::EarthWood => "土木", "Earth and wood";
        HousingStructure::WoodBambooThatch => "木竹草", "Wood, bamboo or thatch";
        HousingStructure::Other => "其他", "Other";
    }
    DangerGrade {
        DangerGrade::Unassessed => "未鉴定", "Not assessed";
        DangerGrade::A => "A级", "Grade A (safe)";
        DangerGrade::B => "B级", "Grade B (safe)";
        DangerGrade::C => "C级(局部危房)", "Grade C (partly dangerous)";
        DangerGrade::D => "D级(整幢危房)", "Grade D (whole building dangerous)";
    }
    SafeHousingWay {
        SafeHousingWay::OwnSafeHouse => "自有安全住房", "Own safe house";
        SafeHousingWay::AfterRenovation => "危房改造后", "After renovation";
        SafeHousingWay::Relocation => "易地扶贫搬迁", "Relocation";
        SafeHousingWay::LivingWithRelatives => "投靠子女/亲友", "Living with children or relatives";
        SafeHousingWay::Rental => "租住", "Rented";
        SafeHousingWay::PublicRental => "公租房", "Public rental housing";
        SafeHousingWay::Other => "其他", "Other";
    }
    RoadType {
        RoadType::Hardened => "硬化路", "Paved road";
        RoadType::Gravel => "砂石路", "Gravel road";
        RoadType::Dirt => "泥土路", "Dirt road";
        RoadType::NoRoad => "无入户路", "No road to the house";
    }
    FuelType {
        FuelType::Firewood => "柴草", "Firewood";
        FuelType::Coal => "煤炭", "Coal";
        FuelType::Gas => "燃气", "Gas";
        FuelType::Electricity => "电", "Electricity";
        FuelType::Biogas => "沼气", "Biogas";
        FuelType::Other => "其他", "Other";
    }
    UnitLevel {
        UnitLevel::Central => "中央", "Central";
        UnitLevel::Provincial => "省直", "Provincial";
        UnitLevel::Municipal => "市直", "Municipal";
        UnitLevel::County => "县直", "County";
        UnitLevel::Township => "乡镇", "Township";
        UnitLevel::Village => "村级", "Village";
        UnitLevel::Military => "部队", "Military";
        UnitLevel::Other => "其他", "Other";
    }
    PovertyCause {
        PovertyCause::Illness => "因病", "Illness";
        PovertyCause::Disability => "因残", "Disability";
        PovertyCause::Schooling => "因学", "Schooling costs";
        PovertyCause::Disaster => "因灾", "Disaster";
        PovertyCause::LackOfLand => "缺土地", "Lack of land";
        PovertyCause::LackOfWater => "缺水", "Lack of water";
        PovertyCause::LackOfSkills => "缺技术", "Lack of skills";
        PovertyCause::LackOfLabour => "缺劳力", "Lack of labour";
        PovertyCause::LackOfFunds => "缺资金", "Lack of funds";
        PovertyCause::PoorTransport => "交通条件落后", "Poor transport";
        PovertyCause::LackOfDrive => "自身发展动力不足", "Lack of drive";
        PovertyCause::Marriage => "因婚", "Marriage";
        PovertyCause::Funeral => "因丧", "Funeral";
        PovertyCause::Other => "其他", "Other";
    }
    ChecklistItem {
        ChecklistItem::Food => "不愁吃", "Enough food";
        ChecklistItem::Clothing => "不愁穿", "Enough clothing";
        ChecklistItem::CompulsoryEducation => "义务教育有保障", "Compulsory education secured";
        ChecklistItem::BasicMedical => "基本医疗有保障", "Basic medical care secured";
        ChecklistItem::HousingSafety => "住房安全有保障", "Safe housing secured";
        ChecklistItem::DrinkingWater => "饮水安全有保障", "Safe drinking water secured";
    }
    CheckStatus {
        CheckStatus::Pass => "达标", "Pass";
        CheckStatus::Fail => "未达标", "Fail";
        CheckStatus::NotChecked => "未核查", "Not checked";
    }
    SuddenEventKind {
        SuddenEventKind::SeriousIllness => "重大疾病", "Serious illness";
        SuddenEventKind::Accident => "意外事故", "Accident";
        SuddenEventKind::NaturalDisaster => "自然灾害", "Natural disaster";
        SuddenEventKind::Epidemic => "疫情影响", "Epidemic";
        SuddenEventKind::AnimalDisease => "动物疫病(如非洲猪瘟)", "Animal disease (e.g. African swine fever)";
        SuddenEventKind::JobLoss => "务工中断", "Loss of work";
        SuddenEventKind::IndustryFailure => "产业项目失败", "Failed industry project";
        SuddenEventKind::Other => "其他", "Other";
    }
    Relation {
        Relation::Head => "户主", "Head of household";
        Relation::Spouse => "配偶", "Spouse";
        Relation::Son => "之子", "Son";
        Relation::Daughter => "之女", "Daughter";
        Relation::DaughterInLaw => "之儿媳", "Daughter-in-law";
        Relation::SonInLaw => "之女婿", "Son-in-law";
        Relation::Grandson => "之孙子", "Grandson (son's son)";
        Relation::Granddaughter => "之孙女", "Granddaughter (son's daughter)";
        Relation::DaughtersSon => "之外孙子", "Grandson (daughter's son)";
        Relation::DaughtersDaughter => "之外孙女", "Granddaughter (daughter's daughter)";
        Relation::Father => "之父", "Father";
        Relation::Mother => "之母", "Mother";
        Relation::WifesFather => "之岳父", "Father-in-law (wife's father)";
        Relation::WifesMother => "之岳母", "Mother-in-law (wife's mother)";
        Relation::HusbandsFather => "之公公", "Father-in-law (husband's father)";
        Relation::HusbandsMother => "之婆婆", "Mother-in-law (husband's mother)";
        Relation::Grandfather => "之祖父", "Grandfather (paternal)";
        Relation::Grandmother => "之祖母", "Grandmother (paternal)";
        Relation::MaternalGrandfather => "之外祖父", "Grandfather (maternal)";
        Relation::MaternalGrandmother => "之外祖母", "Grandmother (maternal)";
        Relation::Sibling => "之兄弟姐妹", "Sibling";
        Relation::GreatGrandson => "之曾孙子", "Great-grandson";
        Relation::GreatGranddaughter => "之曾孙女", "Great-granddaughter";
        Relation::Nephew => "之侄儿", "Nephew";
        Relation::Niece => "之侄女", "Niece";
        Relation::SistersInLaw => "之兄弟媳妇", "Sister-in-law (brother's wife)";
        Relation::Uncle => "之叔伯", "Uncle";
        Relation::Other => "其他", "Other";
    }
    PoliticalStatus {
        PoliticalStatus::CpcMember => "中共党员", "CPC member";
        PoliticalStatus::CpcProbationaryMember => "中共预备党员", "CPC probationary member";
        PoliticalStatus::CylMember => "共青团员", "Communist Youth League member";
        PoliticalStatus::Masses => "群众", "No party affiliation";
    }
    EducationLevel {
        EducationLevel::Illiterate => "文盲或半文盲", "Illiterate or semi-literate";
        EducationLevel::Primary => "小学", "Primary school";
        EducationLevel::JuniorHigh => "初中", "Junior high school";
        EducationLevel::SeniorHigh => "高中", "Senior high school";
        EducationLevel::JuniorCollege => "大专", "Junior college";
        EducationLevel::BachelorOrAbove => "本科及以上", "Bachelor's degree or above";
    }
    SchoolStage {
        SchoolStage::PreschoolAgeChild => "学龄前儿童", "Pre-school-age child";
        SchoolStage::Preschool => "学前教育", "Pre-school education";
        SchoolStage::Primary => "小学", "Primary school";
        SchoolStage::JuniorHigh => "初中", "Junior high school";
        SchoolStage::SeniorHigh => "普通高中", "Senior high school";
        SchoolStage::SecondaryVocational => "中职", "Secondary vocational school";
        SchoolStage::HigherVocational => "高职高专", "Higher vocational college";
        SchoolStage::TechnicianCollege => "技师学院", "Technician college";
        SchoolStage::Undergraduate => "本科", "Undergraduate";
        SchoolStage::Postgraduate => "硕士研究生及以上", "Postgraduate";
    }
    HealthCondition {
        HealthCondition::Healthy => "健康", "Healthy";
        HealthCondition::ChronicDisease => "长期慢性病", "Long-term chronic disease";
        HealthCondition::SeriousIllness => "患有大病", "Serious illness";
        HealthCondition::Disability => "残疾", "Disability";
    }
    LabourAbility {
        LabourAbility::Ordinary => "普通劳动力", "Ordinary labour";
        LabourAbility::Skilled => "技能劳动力", "Skilled labour";
        LabourAbility::Weak => "弱劳动力或半劳动力", "Weak or half labour";
        LabourAbility::Lost => "丧失劳动力", "Lost ability to work";
        LabourAbility::NoLabour => "无劳动力", "No labour";
    }
    WorkLocation {
        WorkLocation::NotWorking => "未外出务工", "Not working away";
        WorkLocation::WithinTownship => "乡（镇）内务工", "Working within the township";
        WorkLocation::WithinCounty => "乡（镇）外县内务工", "Working within the county";
        WorkLocation::WithinProvince => "县外省内务工", "Working within the province";
        WorkLocation::OutsideProvince => "省外务工", "Working outside the province";
        WorkLocation::Other => "其他", "Other";
    }
    AwayReason {
        AwayReason::MigrantWork => "在外务工", "Working away";
        AwayReason::Studying => "在外上学", "Studying away";
        AwayReason::MedicalTreatment => "外出就医", "Away for medical treatment";
        AwayReason::Other => "其他", "Other";
    }
    ExclusionReason {
        ExclusionReason::Imprisoned => "服刑", "Serving a prison sentence";
        ExclusionReason::CompulsoryRehabilitation => "强制隔离戒毒", "Compulsory drug rehabilitation";
        ExclusionReason::Missing => "宣告失踪", "Declared missing";
        ExclusionReason::Conscript => "义务兵", "Conscript soldier";
        ExclusionReason::ClergyLivingApart => "宗教教职人员离家满三年", "Clergy living apart three years or more";
        ExclusionReason::DeceasedOrMovedOut => "已死亡或迁出", "Deceased or moved out";
        ExclusionReason::Other => "其他", "Other";
    }
    MeasureCategory {
        MeasureCategory::Industry => "产业", "Industry";
        MeasureCategory::Employment => "就业", "Employment";
        MeasureCategory::PublicWelfareJob => "公益岗位", "Public-welfare job";
        MeasureCategory::Education => "教育", "Education";
        MeasureCategory::Health => "健康", "Health";
        MeasureCategory::Housing => "住房", "Housing";
        MeasureCategory::DrinkingWater => "饮水", "Drinking water";
        MeasureCategory::SafetyNet => "兜底保障", "Safety net";
        MeasureCategory::Finance => "金融/小额信贷", "Finance / micro-credit";
        MeasureCategory::Relocation => "易地搬迁", "Relocation";
        MeasureCategory::SkillsTraining => "技能培训", "Skills training";
        MeasureCategory::Motivation => "扶志/夜校", "Motivation / night school";
        MeasureCategory::Other => "其他", "Other";
    }
    MeasureStatus {
        MeasureStatus::Planned => "计划中", "Planned";
        MeasureStatus::InProgress => "实施中", "In progress";
        MeasureStatus::Completed => "已完成", "Completed";
        MeasureStatus::Cancelled => "已取消", "Cancelled";
    }
    ConfirmationMethod {
        ConfirmationMethod::Signature => "签字", "Signature";
        ConfirmationMethod::Fingerprint => "按手印", "Fingerprint";
        ConfirmationMethod::OralRecorded => "口头确认并录音", "Oral, recorded";
    }
    VisitPurpose {
        VisitPurpose::RoutineVisit => "走访", "Routine visit";
        VisitPurpose::PolicyExplanation => "政策宣传", "Policy explanation";
        VisitPurpose::IncomeAccounting => "收入核算", "Income accounting";
        VisitPurpose::PlanUpdate => "一户一策制定/更新", "Household plan update";
        VisitPurpose::GuaranteesCheck => "三保障核查", "Check of the three guarantees";
        VisitPurpose::Condolence => "慰问", "Condolence visit";
        VisitPurpose::MonitoringVerification => "监测核实", "Monitoring verification";
    }
    EvidenceKind {
        EvidenceKind::SitePhoto => "现场照片", "Site photo";
        EvidenceKind::DocumentCheck => "证件核验", "Document check";
        EvidenceKind::Receipt => "票据", "Receipt";
        EvidenceKind::Signature => "签字", "Signature";
    }
    GpsSource {
        GpsSource::Gnss => "卫星定位", "Satellite (GNSS)";
        GpsSource::Network => "网络定位", "Network";
    }
    AttendanceStatus {
        AttendanceStatus::Present => "出席", "Present";
        AttendanceStatus::Excused => "请假", "Excused";
        AttendanceStatus::Absent => "缺席", "Absent";
    }
    AbsenceReason {
        AbsenceReason::MigrantWork => "外出务工", "Working away";
        AbsenceReason::Illness => "生病/住院", "Ill or in hospital";
        AbsenceReason::FarmWork => "农忙", "Farm work";
        AbsenceReason::CaringForFamily => "照顾家人", "Caring for family";
        AbsenceReason::Other => "其他", "Other";
    }
    IncomeCategory {
        IncomeCategory::Wage => "工资性收入", "Wage income";
        IncomeCategory::Business => "生产经营性收入", "Household business income";
        IncomeCategory::Property => "财产性收入", "Property income";
        IncomeCategory::Transfer => "转移性收入", "Transfer income";
    }
    ExclusionGround {
        ExclusionGround::IndustrySupport => "产业扶持及奖补资金(含以奖代补)", "Industry support and award funds";
        ExclusionGround::HousingRenovationSubsidy => "危房改造补助", "Dangerous-house renovation subsidy";
        ExclusionGround::MicroCreditPrincipal => "扶贫小额信贷本金", "Poverty micro-loan principal";
        ExclusionGround::InsuranceClaim => "保险理赔款", "Insurance payout";
        ExclusionGround::CondolenceMoney => "临时慰问金", "Temporary condolence money";
        ExclusionGround::TemporaryRelief => "临时救助金", "Temporary relief";
        ExclusionGround::HelperDonation => "帮扶干部资助", "Money from helper cadres";
        ExclusionGround::SocialDonation => "社会捐赠", "Donations from society";
        ExclusionGround::OccasionalGift => "亲友偶然馈赠", "Occasional gifts from relatives and friends";
        ExclusionGround::MedicalReimbursement => "医疗报销和大病救助", "Medical reimbursement and critical-illness aid";
        ExclusionGround::EducationSubsidy => "教育补助", "Education subsidy";
        ExclusionGround::YuluSubsidy => "雨露计划补助", "Yulu plan subsidy";
        ExclusionGround::Other => "其他不计入项目", "Other items not counted";
    }
    StandardSeries {
        StandardSeries::ExitStandard => "脱贫标准", "Exit standard";
        StandardSeries::NbsMonitoring => "国家统计局贫困监测标准", "NBS monitoring line";
    }
    AssistanceKind {
        AssistanceKind::RuralDibao => "农村低保标准", "Rural minimum living allowance";
        AssistanceKind::Tekun => "特困人员基本生活救助标准", "Destitute support standard";
    }
    IdNumberKind {
        IdNumberKind::Resident18 => "18位居民身份证号码", "18-digit resident ID number";
        IdNumberKind::UpgradedFrom15 => "15位身份证号码(已升位)", "15-digit ID number (upgraded)";
        IdNumberKind::DisabilityCertificate20 => "20位残疾人证号", "20-digit disability certificate number";
        IdNumberKind::DisabilityCertificate22 => "22位残疾人证号", "22-digit disability certificate number";
    }
    Severity {
        Severity::Error => "错误(须修改后提交)", "Error (blocks submitting)";
        Severity::Warning => "提醒(须填写说明)", "Warning (needs a written reason)";
    }
    RiskColour {
        RiskColour::Green => "绿灯户", "Green (no risk)";
        RiskColour::NotConfigured => "未配置", "No line configured";
        RiskColour::NotAccounted => "未核算", "Income not accounted";
        RiskColour::Yellow => "黄灯户", "Yellow (at risk)";
        RiskColour::Red => "红灯户", "Red (high risk)";
    }
}

// `IncomeLineKind::ALL` is written next to the type (`income.rs`), with its default treatments.
labels!(@label IncomeLineKind {
    This::MigrantWork => "务工收入", "Migrant and local work";
    This::PublicWelfareJobSector => "行业部门公益岗", "Sector public-welfare job";
    This::PublicWelfareJobTownship => "乡镇公益岗", "Township public-welfare job";
    This::PublicWelfareJobVillage => "村级公益岗", "Village public-welfare job";
    This::SelfPicking => "自主采摘", "Self-employed picking";
    This::OtherWage => "其他工资性收入", "Other wage income";
    This::Planting => "种植业收入", "Crop farming";
    This::Breeding => "养殖业收入", "Livestock and fish farming";
    This::ForestFruit => "林果业收入", "Forestry and fruit";
    This::UnsoldProduceValued => "未出售产品折价", "Unsold produce at market value";
    This::OtherBusiness => "其他生产经营性收入", "Other business income";
    This::PlantingCost => "种植业支出", "Crop farming costs";
    This::BreedingCost => "养殖业支出", "Livestock and fish farming costs";
    This::ForestFruitCost => "林果业支出", "Forestry and fruit costs";
    This::OtherBusinessCost => "其他生产经营性支出", "Other business costs";
    This::AssetDividend => "资产收益扶贫分红", "Asset-income dividend";
    This::LandTransfer => "土地流转收入", "Land transfer rent";
    This::FinancialLoanProject => "金融贷款项目收益", "Financial loan project income";
    This::ContractFarming => "代种代养收益", "Contract farming income";
    This::OtherProperty => "其他财产性收入", "Other property income";
    This::FamilyPlanning => "计划生育金", "Family-planning award";
    This::Dibao => "低保金", "Minimum living allowance";
    This::Tekun => "特困供养金", "Destitute support";
    This::Pension => "养老保险金", "Pension";
    This::EcoReturnedFarmland => "退耕还林补助", "Returned-farmland compensation";
    This::EcoPublicForest => "公益林补偿", "Public-welfare forest compensation";
    This::EcoGrassland => "草原生态奖补", "Grassland ecological award";
    This::EcoMigrant => "移民补助", "Resettlement subsidy";
    This::EcoOther => "其他生态补偿金", "Other ecological compensation";
    This::PlantingSubsidy => "种植补贴", "Planting subsidy";
    This::SoilFertilitySubsidy => "地力补贴", "Soil-fertility subsidy";
    This::CropInsuranceSubsidy => "大田保险补助", "Crop insurance subsidy";
    This::ElderlyAllowance => "高龄补贴", "Old-age allowance";
    This::EntitledGroupsPension => "优抚金", "Entitled-groups pension";
    This::DisabilityAllowance => "残疾补贴", "Disability allowance";
    This::DisabledElderlyCareSubsidy => "失能老人补贴", "Care subsidy for disabled elderly";
    This::SupportFromRelatives => "赡养费", "Support from relatives";
    This::DibaoHeatingPriceSubsidy => "低保五保取暖/物价补贴", "Heating and price subsidy for allowance recipients";
    This::SocialRelief => "社会救济和补助", "Social relief";
    This::DisasterRelief => "救灾款", "Disaster relief";
    This::RegularDonationCompensation => "经常性捐赠和赔偿", "Regular donations and compensation";
    This::RemittanceFromNonResident => "非常住成员寄回带回", "Remittances from non-resident members";
    This::OtherTransfer => "其他转移性收入", "Other transfer income";
    This::IndustrySupportSubsidy => "产业扶持资金及实物", "Industry support funds and goods";
    This::IndustryAward => "产业奖补(以奖代补)", "Industry award";
    This::HousingRenovationSubsidy => "危房改造补助", "Dangerous-house renovation subsidy";
    This::MicroCreditPrincipal => "扶贫小额信贷本金", "Poverty micro-loan principal";
    This::InsuranceClaim => "保险理赔款", "Insurance payout";
    This::AntiPovertyInsurancePayout => "防贫保险赔付", "Anti-poverty insurance payout";
    This::CondolenceMoney => "临时慰问金", "Temporary condolence money";
    This::TemporaryRelief => "临时救助金", "Temporary relief";
    This::HelperDonation => "帮扶干部资助", "Money from helper cadres";
    This::SocialDonation => "社会捐赠", "Donations from society";
    This::OccasionalGift => "亲友偶然馈赠", "Occasional gifts";
    This::MedicalReimbursement => "医疗报销和大病救助", "Medical reimbursement and aid";
    This::EducationSubsidy => "教育补助", "Education subsidy";
    This::YuluSubsidy => "雨露计划补助", "Yulu plan subsidy";
    This::OtherExcluded => "其他不计入收入", "Other receipts not counted";
    This::MedicalSelfPay => "合规自付医疗支出", "Compliant medical self-pay";
    This::CompulsoryEducationCost => "义务教育自付支出", "Compulsory-education self-pay";
    This::OtherCompliantSelfPay => "其他合规自负支出", "Other compliant self-pay";
});

/// 民族 names by GB 3304 code.
const ETHNICITIES: [(u8, &str, &str); 58] = [
    (1, "汉族", "Han"),
    (2, "蒙古族", "Mongol"),
    (3, "回族", "Hui"),
    (4, "藏族", "Tibetan"),
    (5, "维吾尔族", "Uyghur"),
    (6, "苗族", "Miao"),
    (7, "彝族", "Yi"),
    (8, "壮族", "Zhuang"),
    (9, "布依族", "Bouyei"),
    (10, "朝鲜族", "Korean"),
    (11, "满族", "Manchu"),
    (12, "侗族", "Dong"),
    (13, "瑶族", "Yao"),
    (14, "白族", "Bai"),
    (15, "土家族", "Tujia"),
    (16, "哈尼族", "Hani"),
    (17, "哈萨克族", "Kazakh"),
    (18, "傣族", "Dai"),
    (19, "黎族", "Li"),
    (20, "傈僳族", "Lisu"),
    (21, "佤族", "Va"),
    (22, "畲族", "She"),
    (23, "高山族", "Gaoshan"),
    (24, "拉祜族", "Lahu"),
    (25, "水族", "Sui"),
    (26, "东乡族", "Dongxiang"),
    (27, "纳西族", "Naxi"),
    (28, "景颇族", "Jingpo"),
    (29, "柯尔克孜族", "Kyrgyz"),
    (30, "土族", "Tu"),
    (31, "达斡尔族", "Daur"),
    (32, "仫佬族", "Mulao"),
    (33, "羌族", "Qiang"),
    (34, "布朗族", "Blang"),
    (35, "撒拉族", "Salar"),
    (36, "毛南族", "Maonan"),
    (37, "仡佬族", "Gelao"),
    (38, "锡伯族", "Xibe"),
    (39, "阿昌族", "Achang"),
    (40, "普米族", "Pumi"),
    (41, "塔吉克族", "Tajik"),
    (42, "怒族", "Nu"),
    (43, "乌孜别克族", "Uzbek"),
    (44, "俄罗斯族", "Russian"),
    (45, "鄂温克族", "Evenki"),
    (46, "德昂族", "De'ang"),
    (47, "保安族", "Bonan"),
    (48, "裕固族", "Yugur"),
    (49, "京族", "Gin"),
    (50, "塔塔尔族", "Tatar"),
    (51, "独龙族", "Derung"),
    (52, "鄂伦春族", "Oroqen"),
    (53, "赫哲族", "Hezhen"),
    (54, "门巴族", "Monpa"),
    (55, "珞巴族", "Lhoba"),
    (56, "基诺族", "Jino"),
    (97, "其他未识别民族", "Other unrecognised"),
    (
        98,
        "外国血统中国籍人士",
        "Naturalised citizen of foreign origin",
    ),
];

impl Labelled for Ethnicity {
    fn label(&self, locale: Locale) -> &'static str {
        let found = ETHNICITIES.iter().find(|(code, _, _)| *code == self.code());
        match (found, locale) {
            (Some((_, zh, _)), Locale::ZhCn) => zh,
            (Some((_, _, en)), Locale::En) => en,
            (None, Locale::ZhCn) => "未知",
            (None, Locale::En) => "Unknown",
        }
    }
}

impl Ethnicity {
    /// Every GB 3304 code with a label, for pickers.
    pub fn all() -> impl Iterator<Item = Ethnicity> {
        ETHNICITIES
            .iter()
            .filter_map(|(code, _, _)| Ethnicity::from_code(*code).ok())
    }
}

#[cfg(test)]
mod tests;
