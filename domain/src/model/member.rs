//! A family member (家庭成员): identity, relation to the head, schooling, health, labour, work, insurance, assistance.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use super::{MemberId, ModelError, Sex};

/// One member of the household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    /// 证件号码 as typed: 18/15-digit 居民身份证 (validated by `MB-ID-INVALID`).
    pub id_number: String,
    /// 残疾人证号 (20 or 22 digits) for members with a disability.
    pub disability_certificate: Option<String>,
    /// 与户主关系.
    pub relation: Relation,
    pub sex: Sex,
    pub birth_date: Date,
    pub ethnicity: Option<Ethnicity>,
    pub political_status: Option<PoliticalStatus>,
    /// 文化程度 (non-students) xor 在校生状况 (students): one enum, so both can never be filled.
    pub schooling: Option<Schooling>,
    /// 健康状况 (健康 excludes the others).
    pub health: HealthStatus,
    /// 劳动技能.
    pub labour: Option<LabourAbility>,
    /// 务工状况 and months.
    pub work: WorkRecord,
    pub insurance: InsuranceFlags,
    /// 是否享受低保.
    pub dibao: bool,
    /// 是否特困供养人员.
    pub tekun: bool,
    /// Whether the member counts in the household size, and why.
    pub membership: Membership,
}

impl Member {
    /// The fields of a [`Member::blank`] that hold a placeholder rather than a choice: a form shows them empty
    /// ("not chosen yet") until the helper chooses, and refuses to submit while one is still unchosen.
    pub const UNCHOSEN_FIELDS: [&'static str; 3] = ["relation", "sex", "birth_date"];

    /// A member nobody has described yet. `relation`, `sex` and `birth_date` are required by the record, so they
    /// hold placeholders (户主 for the first member of an empty household, otherwise 其他; 男; `placeholder_birth`)
    /// that a form treats as not chosen ([`Member::UNCHOSEN_FIELDS`]); every optional field is empty, every flag
    /// off, and the member counts in the household size.
    pub fn blank(id: MemberId, first_of_household: bool, placeholder_birth: Date) -> Member {
        Member {
            id,
            name: String::new(),
            id_number: String::new(),
            disability_certificate: None,
            relation: if first_of_household {
                Relation::Head
            } else {
                Relation::Other
            },
            sex: Sex::Male,
            birth_date: placeholder_birth,
            ethnicity: None,
            political_status: None,
            schooling: None,
            health: HealthStatus::default(),
            labour: None,
            work: WorkRecord::default(),
            insurance: InsuranceFlags::default(),
            dibao: false,
            tekun: false,
            membership: Membership::Counts,
        }
    }
}

/// 与户主关系 (C2 list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// 户主
    Head,
    /// 配偶
    Spouse,
    /// 之子
    Son,
    /// 之女
    Daughter,
    /// 之儿媳
    DaughterInLaw,
    /// 之女婿
    SonInLaw,
    /// 之孙子
    Grandson,
    /// 之孙女
    Granddaughter,
    /// 之外孙子
    DaughtersSon,
    /// 之外孙女
    DaughtersDaughter,
    /// 之父
    Father,
    /// 之母
    Mother,
    /// 之岳父
    WifesFather,
    /// 之岳母
    WifesMother,
    /// 之公公
    HusbandsFather,
    /// 之婆婆
    HusbandsMother,
    /// 之祖父
    Grandfather,
    /// 之祖母
    Grandmother,
    /// 之外祖父
    MaternalGrandfather,
    /// 之外祖母
    MaternalGrandmother,
    /// 之兄弟姐妹
    Sibling,
    /// 之曾孙子
    GreatGrandson,
    /// 之曾孙女
    GreatGranddaughter,
    /// 之侄儿
    Nephew,
    /// 之侄女
    Niece,
    /// 之兄弟媳妇
    SistersInLaw,
    /// 之叔伯
    Uncle,
    /// 其他
    Other,
}

impl Relation {
    /// The sex a relation implies, if any (之子 is male, 之女 female …).
    pub fn implied_sex(self) -> Option<Sex> {
        use Relation::*;
        match self {
            Son | SonInLaw | Grandson | DaughtersSon | Father | WifesFather | HusbandsFather
            | Grandfather | MaternalGrandfather | GreatGrandson | Nephew | Uncle => Some(Sex::Male),
            Daughter | DaughterInLaw | Granddaughter | DaughtersDaughter | Mother | WifesMother
            | HusbandsMother | Grandmother | MaternalGrandmother | GreatGranddaughter | Niece
            | SistersInLaw => Some(Sex::Female),
            Head | Spouse | Sibling | Other => None,
        }
    }
}

/// 民族 as its GB 3304 two-digit code (01 汉族 … 56 基诺族, 97 其他未识别民族, 98 外国血统中国籍人士).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Ethnicity(u8);

impl Ethnicity {
    pub const HAN: Ethnicity = Ethnicity(1);
    pub const LI: Ethnicity = Ethnicity(19);

    /// Accepts 1–56, 97 and 98.
    pub fn from_code(code: u8) -> Result<Ethnicity, ModelError> {
        if (1..=56).contains(&code) || code == 97 || code == 98 {
            Ok(Ethnicity(code))
        } else {
            Err(ModelError::EthnicityCode { code })
        }
    }

    pub fn code(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Ethnicity {
    type Error = ModelError;
    fn try_from(code: u8) -> Result<Self, Self::Error> {
        Ethnicity::from_code(code)
    }
}

impl From<Ethnicity> for u8 {
    fn from(ethnicity: Ethnicity) -> u8 {
        ethnicity.0
    }
}

/// 政治面貌.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoliticalStatus {
    /// 中共党员
    CpcMember,
    /// 中共预备党员
    CpcProbationaryMember,
    /// 共青团员
    CylMember,
    /// 群众
    Masses,
}

/// 文化程度 for non-students, or 在校生状况 for students.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schooling {
    Education(EducationLevel),
    Student(SchoolStatus),
}

/// 文化程度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    /// 文盲或半文盲
    Illiterate,
    /// 小学
    Primary,
    /// 初中
    JuniorHigh,
    /// 高中
    SeniorHigh,
    /// 大专
    JuniorCollege,
    /// 本科及以上
    BachelorOrAbove,
}

/// 在校生状况: a stage and, where the stage has years, the year (七年级 = junior high year 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawSchoolStatus", into = "RawSchoolStatus")]
pub struct SchoolStatus {
    stage: SchoolStage,
    year: Option<u8>,
}

#[derive(Serialize, Deserialize)]
struct RawSchoolStatus {
    stage: SchoolStage,
    year: Option<u8>,
}

impl TryFrom<RawSchoolStatus> for SchoolStatus {
    type Error = ModelError;
    fn try_from(raw: RawSchoolStatus) -> Result<Self, Self::Error> {
        SchoolStatus::new(raw.stage, raw.year)
    }
}

impl From<SchoolStatus> for RawSchoolStatus {
    fn from(status: SchoolStatus) -> Self {
        RawSchoolStatus {
            stage: status.stage,
            year: status.year,
        }
    }
}

impl SchoolStatus {
    /// Refuses a year the stage does not have (e.g. 初中 year 4). `None` is always accepted (year unknown).
    pub fn new(stage: SchoolStage, year: Option<u8>) -> Result<SchoolStatus, ModelError> {
        if let Some(year) = year
            && (year == 0 || year > stage.years())
        {
            return Err(ModelError::SchoolYear { stage, year });
        }
        Ok(SchoolStatus { stage, year })
    }

    pub fn stage(self) -> SchoolStage {
        self.stage
    }

    pub fn year(self) -> Option<u8> {
        self.year
    }

    /// Actually enrolled (学龄前儿童 is a child not yet in any school).
    pub fn is_enrolled(self) -> bool {
        self.stage != SchoolStage::PreschoolAgeChild
    }
}

/// 在校生状况 stages (post-2019 validator list, C2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolStage {
    /// 学龄前儿童
    PreschoolAgeChild,
    /// 学前教育
    Preschool,
    /// 小学
    Primary,
    /// 初中 (七/八/九年级)
    JuniorHigh,
    /// 普通高中
    SeniorHigh,
    /// 中职
    SecondaryVocational,
    /// 高职高专
    HigherVocational,
    /// 技师学院
    TechnicianCollege,
    /// 本科
    Undergraduate,
    /// 硕士研究生及以上
    Postgraduate,
}

impl SchoolStage {
    /// How many years the stage has (0 = no years).
    pub fn years(self) -> u8 {
        match self {
            SchoolStage::PreschoolAgeChild | SchoolStage::Postgraduate => 0,
            SchoolStage::Preschool => 3,
            SchoolStage::Primary => 6,
            SchoolStage::JuniorHigh
            | SchoolStage::SeniorHigh
            | SchoolStage::SecondaryVocational
            | SchoolStage::HigherVocational => 3,
            SchoolStage::TechnicianCollege => 4,
            SchoolStage::Undergraduate => 5,
        }
    }
}

/// 健康状况 conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthCondition {
    /// 健康
    Healthy,
    /// 长期慢性病
    ChronicDisease,
    /// 患有大病
    SeriousIllness,
    /// 残疾
    Disability,
}

/// 健康状况 as a set: empty = not yet filled; {健康} alone, or any of the other three together.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "Vec<HealthCondition>", into = "Vec<HealthCondition>")]
pub struct HealthStatus(BTreeSet<HealthCondition>);

impl HealthStatus {
    /// Refuses 健康 combined with another condition. Duplicates are merged.
    pub fn new<I: IntoIterator<Item = HealthCondition>>(
        conditions: I,
    ) -> Result<HealthStatus, ModelError> {
        let set: BTreeSet<HealthCondition> = conditions.into_iter().collect();
        if set.contains(&HealthCondition::Healthy) && set.len() > 1 {
            return Err(ModelError::HealthyWithCondition);
        }
        Ok(HealthStatus(set))
    }

    pub fn healthy() -> HealthStatus {
        HealthStatus(BTreeSet::from([HealthCondition::Healthy]))
    }

    pub fn is_filled(&self) -> bool {
        !self.0.is_empty()
    }

    pub fn is_healthy(&self) -> bool {
        self.0.contains(&HealthCondition::Healthy)
    }

    pub fn has(&self, condition: HealthCondition) -> bool {
        self.0.contains(&condition)
    }

    /// Any condition other than 健康 (illness or disability).
    pub fn has_any_condition(&self) -> bool {
        self.is_filled() && !self.is_healthy()
    }

    pub fn conditions(&self) -> impl Iterator<Item = HealthCondition> + '_ {
        self.0.iter().copied()
    }
}

impl TryFrom<Vec<HealthCondition>> for HealthStatus {
    type Error = ModelError;
    fn try_from(conditions: Vec<HealthCondition>) -> Result<Self, Self::Error> {
        HealthStatus::new(conditions)
    }
}

impl From<HealthStatus> for Vec<HealthCondition> {
    fn from(status: HealthStatus) -> Self {
        status.0.into_iter().collect()
    }
}

/// 劳动技能 (5-value list, S3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabourAbility {
    /// 普通劳动力
    Ordinary,
    /// 技能劳动力
    Skilled,
    /// 弱劳动力或半劳动力
    Weak,
    /// 丧失劳动力
    Lost,
    /// 无劳动力
    NoLabour,
}

impl LabourAbility {
    /// 普通 or 技能劳动力.
    pub fn is_able(self) -> bool {
        matches!(self, LabourAbility::Ordinary | LabourAbility::Skilled)
    }

    /// 丧失 or 无劳动力.
    pub fn is_without_labour(self) -> bool {
        matches!(self, LabourAbility::Lost | LabourAbility::NoLabour)
    }
}

/// 务工状况 and 务工时间.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkRecord {
    pub location: WorkLocation,
    pub months: WorkMonths,
}

impl WorkRecord {
    /// Any record of work (a location or months).
    pub fn has_record(self) -> bool {
        self.location != WorkLocation::NotWorking || self.months.get() > 0
    }
}

/// 务工所在地.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkLocation {
    /// 无/未外出务工
    #[default]
    NotWorking,
    /// 乡（镇）内务工
    WithinTownship,
    /// 乡（镇）外县内务工
    WithinCounty,
    /// 县外省内务工
    WithinProvince,
    /// 省外务工
    OutsideProvince,
    /// 其他
    Other,
}

/// 务工时间 in months, 0–12.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct WorkMonths(u8);

impl WorkMonths {
    pub fn new(months: u8) -> Result<WorkMonths, ModelError> {
        if months > 12 {
            Err(ModelError::WorkMonthsOutOfRange { months })
        } else {
            Ok(WorkMonths(months))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for WorkMonths {
    type Error = ModelError;
    fn try_from(months: u8) -> Result<Self, Self::Error> {
        WorkMonths::new(months)
    }
}

impl From<WorkMonths> for u8 {
    fn from(months: WorkMonths) -> u8 {
        months.0
    }
}

/// Insurance and health-coverage flags (C2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InsuranceFlags {
    /// 城乡居民基本医疗保险 (新农合)
    pub resident_medical: bool,
    /// 城镇职工基本医疗保险
    pub employee_medical: bool,
    /// 大病保险
    pub critical_illness: bool,
    /// 商业补充医疗保险
    pub commercial_supplementary: bool,
    /// 接受大病医疗救助
    pub medical_assistance: bool,
    /// 接受其他健康扶贫
    pub other_health_aid: bool,
    /// 城乡居民基本养老保险
    pub resident_pension: bool,
}

impl InsuranceFlags {
    /// Enrolled in one of the two basic medical insurances.
    pub fn has_basic_medical(self) -> bool {
        self.resident_medical || self.employee_medical
    }
}

/// Whether a member counts in the household size (domain.md §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "reason")]
pub enum Membership {
    /// Lives in the household.
    #[default]
    Counts,
    /// Away but still counts (在外务工, 在外上学 …).
    CountsWhileAway(AwayReason),
    /// Registered but not counted.
    Excluded(ExclusionReason),
}

impl Membership {
    pub fn counts(self) -> bool {
        !matches!(self, Membership::Excluded(_))
    }
}

/// Why a member who is away still counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwayReason {
    /// 在外务工
    MigrantWork,
    /// 在外上学
    Studying,
    /// 住院/外出就医
    MedicalTreatment,
    /// 其他
    Other,
}

/// Why a registered member does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// 服刑
    Imprisoned,
    /// 强制隔离戒毒
    CompulsoryRehabilitation,
    /// 宣告失踪
    Missing,
    /// 义务兵
    Conscript,
    /// 宗教教职人员离家满三年
    ClergyLivingApart,
    /// 已死亡/已迁出待注销
    DeceasedOrMovedOut,
    /// 其他
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use uuid::Uuid;

    #[test]
    fn a_blank_member_has_nothing_filled_but_its_placeholders() {
        let first = Member::blank(MemberId(Uuid::from_u128(1)), true, date!(2020 - 12 - 01));
        assert_eq!(first.relation, Relation::Head);
        let later = Member::blank(MemberId(Uuid::from_u128(2)), false, date!(2020 - 12 - 01));
        assert_eq!(later.relation, Relation::Other);
        assert!(later.name.is_empty() && later.id_number.is_empty());
        assert_eq!(
            (later.ethnicity, later.political_status, later.labour),
            (None, None, None)
        );
        assert!(!later.dibao && !later.tekun);
        assert_eq!(later.membership, Membership::Counts);
    }
}
