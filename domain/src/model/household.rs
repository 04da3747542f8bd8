//! The household (户) record: address, category, lifecycle, land, housing, utilities, linkage, helpers, causes, checklist.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{EvidenceId, HouseholdId, Member, ModelError, Sensitive, UserId};
use crate::money::Centi;

/// The household record as the helper keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    pub schema_version: u32,
    pub id: HouseholdId,
    /// 户编号 in the national system (may be empty for an ordinary household not yet registered).
    pub household_code: String,
    pub address: Address,
    /// 贫困户属性.
    pub attribute: PovertyAttribute,
    /// 识别标准.
    pub identification_standard: Option<IdentificationStandard>,
    /// 脱贫状态.
    pub poverty_status: PovertyStatus,
    /// 脱贫年度 (for 已脱贫 / 返贫 households).
    pub exit_year: Option<i32>,
    /// 首次识别时间.
    pub first_identified_on: Option<Date>,
    /// 监测对象类别 (防返贫), when the household is monitored.
    pub monitoring_category: Option<MonitoringCategory>,
    pub land: LandAreas,
    pub housing: Housing,
    pub water: WaterSupply,
    pub electricity: Electricity,
    pub road: RoadAccess,
    pub fuel: Option<FuelType>,
    pub sanitary_toilet: bool,
    pub linkage: Linkage,
    /// 开户银行 and 银行卡号. **Sensitive**: never shown in public views.
    pub bank_account: Option<BankAccount>,
    /// 帮扶责任人 history: a change adds a row and closes the previous one.
    pub helpers: Vec<HelperAssignment>,
    pub members: Vec<Member>,
    pub causes: PovertyCauses,
    pub checklist: Checklist,
    /// Sudden events (illness, accident, disaster …) that feed the 红黄绿 rules.
    pub sudden_events: Vec<SuddenEvent>,
}

/// 家庭住址 down to 组, plus the province and city above the county (used for policy lookup).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    /// 省, e.g. 海南省.
    pub province: String,
    /// 地级市, e.g. 海口市 (empty for 省直辖县).
    pub city: String,
    /// 县/区, e.g. 美兰区.
    pub county: String,
    /// 乡镇.
    pub township: String,
    /// 行政村.
    pub village: String,
    /// 村民小组 / 自然村.
    pub group: String,
}

/// 贫困户属性 (national code table aac006, plus 一般农户 for households monitored but never registered poor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PovertyAttribute {
    /// 01 一般贫困户
    GeneralPoor,
    /// 02 低保脱贫户
    DibaoExited,
    /// 03 特困供养脱贫户
    TekunExited,
    /// 04 低保贫困户
    DibaoPoor,
    /// 05 一般脱贫户
    GeneralExited,
    /// 06 特困供养贫困户
    TekunPoor,
    /// 07 低保特困供养贫困户
    DibaoTekunPoor,
    /// 08 低保特困供养户
    DibaoTekun,
    /// 一般农户 (not 建档立卡; covered by 红黄绿 monitoring, seed 004)
    OrdinaryHousehold,
}

impl PovertyAttribute {
    /// The national aac006 code, `None` for 一般农户.
    pub fn national_code(self) -> Option<&'static str> {
        Some(match self {
            PovertyAttribute::GeneralPoor => "01",
            PovertyAttribute::DibaoExited => "02",
            PovertyAttribute::TekunExited => "03",
            PovertyAttribute::DibaoPoor => "04",
            PovertyAttribute::GeneralExited => "05",
            PovertyAttribute::TekunPoor => "06",
            PovertyAttribute::DibaoTekunPoor => "07",
            PovertyAttribute::DibaoTekun => "08",
            PovertyAttribute::OrdinaryHousehold => return None,
        })
    }

    /// 建档立卡 (registered poor or exited) households.
    pub fn is_registered(self) -> bool {
        self != PovertyAttribute::OrdinaryHousehold
    }

    /// The category includes 低保.
    pub fn includes_dibao(self) -> bool {
        matches!(
            self,
            PovertyAttribute::DibaoExited
                | PovertyAttribute::DibaoPoor
                | PovertyAttribute::DibaoTekunPoor
                | PovertyAttribute::DibaoTekun
        )
    }

    /// The category includes 特困供养.
    pub fn includes_tekun(self) -> bool {
        matches!(
            self,
            PovertyAttribute::TekunExited
                | PovertyAttribute::TekunPoor
                | PovertyAttribute::DibaoTekunPoor
                | PovertyAttribute::DibaoTekun
        )
    }

    /// 一般贫困户 / 一般脱贫户.
    pub fn is_general(self) -> bool {
        matches!(
            self,
            PovertyAttribute::GeneralPoor | PovertyAttribute::GeneralExited
        )
    }
}

/// 识别标准.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentificationStandard {
    National,
    Provincial,
    Municipal,
}

/// 脱贫状态 (aar010; local extras 预脱贫 and 新识别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PovertyStatus {
    /// 0 未脱贫
    NotExited,
    /// 1 已脱贫(享受政策)
    ExitedWithPolicy,
    /// 3 返贫
    Returned,
    /// 4 已脱贫(不再享受政策)
    ExitedNoPolicy,
    /// 预脱贫 (planned to exit this year)
    PreExit,
    /// 新识别
    NewlyIdentified,
    /// 一般农户: never registered
    NotApplicable,
}

impl PovertyStatus {
    /// 已脱贫 in either form.
    pub fn is_exited(self) -> bool {
        matches!(
            self,
            PovertyStatus::ExitedWithPolicy | PovertyStatus::ExitedNoPolicy
        )
    }
}

/// 监测对象类别 (domain.md §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonitoringCategory {
    /// 脱贫不稳定户 (pre-2021: 脱贫监测户)
    UnstableExited,
    /// 边缘易致贫户 (pre-2021: 边缘户)
    EdgeProne,
    /// 突发严重困难户
    SuddenHardship,
}

/// Land areas in 亩 (two decimals).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LandAreas {
    /// 耕地
    pub cultivated: Centi,
    /// 林地
    pub forest: Centi,
    /// 退耕还林
    pub returned_to_forest: Centi,
    /// 林果
    pub orchard: Centi,
    /// 牧草地
    pub pasture: Centi,
    /// 水面
    pub water_surface: Centi,
}

/// 住房.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Housing {
    /// 住房面积 m².
    pub area_m2: Centi,
    pub structure: Option<HousingStructure>,
    /// 危房等级.
    pub danger_grade: DangerGrade,
    /// 安全住房保障方式.
    pub safe_housing_way: Option<SafeHousingWay>,
}

/// 住房结构类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HousingStructure {
    /// 钢混
    ReinforcedConcrete,
    /// 砖混
    BrickConcrete,
    /// 砖木
    BrickWood,
    /// 土木
    EarthWood,
    /// 木竹草
    WoodBambooThatch,
    /// 其他
    Other,
}

/// 危房等级 (农村危险房屋鉴定技术导则: A/B safe, C 局部危房, D 整幢危房).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DangerGrade {
    Unassessed,
    A,
    B,
    C,
    D,
}

impl DangerGrade {
    pub fn is_dangerous(self) -> bool {
        matches!(self, DangerGrade::C | DangerGrade::D)
    }
}

/// 安全住房保障方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafeHousingWay {
    /// 自有安全住房
    OwnSafeHouse,
    /// 危房改造后
    AfterRenovation,
    /// 易地扶贫搬迁
    Relocation,
    /// 投靠子女/亲友
    LivingWithRelatives,
    /// 租住
    Rental,
    /// 公租房
    PublicRental,
    /// 其他
    Other,
}

/// 饮水.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WaterSupply {
    /// 是否解决安全饮用水
    pub safe_drinking_water: bool,
    /// 饮水是否困难
    pub water_difficulty: bool,
    /// 是否自来水入户
    pub piped_into_home: bool,
}

/// 用电与广播电视.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Electricity {
    /// 是否通生产用电
    pub production: bool,
    /// 是否通生活用电
    pub domestic: bool,
    /// 是否通广播电视
    pub broadcast_tv: bool,
}

/// 道路.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoadAccess {
    /// 与村主干路距离 (km).
    pub distance_to_main_road_km: Centi,
    /// 入户路类型.
    pub road_type: Option<RoadType>,
}

/// 入户路类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoadType {
    /// 水泥/沥青路
    Hardened,
    /// 砂石路
    Gravel,
    /// 泥土路
    Dirt,
    /// 无入户路
    NoRoad,
}

/// 主要燃料类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FuelType {
    /// 柴草
    Firewood,
    /// 煤炭
    Coal,
    /// 液化气/天然气
    Gas,
    /// 电
    Electricity,
    /// 沼气
    Biogas,
    /// 其他
    Other,
}

/// 组织带动.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Linkage {
    /// 是否加入农民专业合作组织
    pub cooperative: bool,
    /// 是否有龙头企业带动
    pub leading_enterprise: bool,
    /// 是否有创业致富带头人带动
    pub entrepreneur: bool,
}

/// 开户银行 and 银行卡号 (sensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub bank_name: String,
    pub account_number: Sensitive<String>,
}

/// One row of 帮扶责任人 history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperAssignment {
    /// The account, when the helper uses the app.
    pub user_id: Option<UserId>,
    pub name: String,
    /// 单位名称
    pub unit: String,
    /// 职务
    pub position: String,
    pub phone: String,
    /// 单位隶属关系
    pub unit_level: UnitLevel,
    pub started_on: Date,
    /// `None` for the current helper.
    pub ended_on: Option<Date>,
}

/// 单位隶属关系 (handbook list, S1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// 中央
    Central,
    /// 省直
    Provincial,
    /// 市直
    Municipal,
    /// 县直
    County,
    /// 乡镇
    Township,
    /// 村级
    Village,
    /// 部队
    Military,
    /// 其他
    Other,
}

impl Household {
    /// The helper whose row is open, if any.
    pub fn current_helper(&self) -> Option<&HelperAssignment> {
        self.helpers
            .iter()
            .rev()
            .find(|helper| helper.ended_on.is_none())
    }

    /// Records a change of helper starting on `on`: closes the open row on the day before (the handbook's
    /// periods are inclusive, "2016-05-01 至 2021-03-31") and adds the new one from `on`. History is never
    /// overwritten (S1). Refused when `on` is not after the open row's start, since that row would end before
    /// it began.
    pub fn change_helper(
        &mut self,
        mut new_helper: HelperAssignment,
        on: Date,
    ) -> Result<(), ModelError> {
        if let Some(current) = self
            .helpers
            .iter_mut()
            .rev()
            .find(|helper| helper.ended_on.is_none())
        {
            let day_before = on
                .previous_day()
                .filter(|day_before| *day_before >= current.started_on)
                .ok_or(ModelError::HelperChangeBeforeStart {
                    on,
                    started: current.started_on,
                })?;
            current.ended_on = Some(day_before);
        }
        new_helper.started_on = on;
        new_helper.ended_on = None;
        self.helpers.push(new_helper);
        Ok(())
    }

    /// Members who count in the household size (the divisor of per-capita income).
    pub fn counted_members(&self) -> impl Iterator<Item = &Member> {
        self.members
            .iter()
            .filter(|member| member.membership.counts())
    }
}

/// 致贫原因 (domain.md §1.5, with 因婚/因丧 seen in some systems).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PovertyCause {
    /// 因病
    Illness,
    /// 因残
    Disability,
    /// 因学
    Schooling,
    /// 因灾
    Disaster,
    /// 缺土地
    LackOfLand,
    /// 缺水
    LackOfWater,
    /// 缺技术
    LackOfSkills,
    /// 缺劳力
    LackOfLabour,
    /// 缺资金
    LackOfFunds,
    /// 交通条件落后
    PoorTransport,
    /// 自身发展动力不足
    LackOfDrive,
    /// 因婚
    Marriage,
    /// 因丧
    Funeral,
    /// 其他
    Other,
}

/// One main cause and secondary causes that never repeat it. Built with [`PovertyCauses::new`]; deserialisation
/// applies the same checks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawPovertyCauses", into = "RawPovertyCauses")]
pub struct PovertyCauses {
    main: Option<PovertyCause>,
    secondary: Vec<PovertyCause>,
}

#[derive(Serialize, Deserialize)]
struct RawPovertyCauses {
    main: Option<PovertyCause>,
    #[serde(default)]
    secondary: Vec<PovertyCause>,
}

impl TryFrom<RawPovertyCauses> for PovertyCauses {
    type Error = ModelError;
    fn try_from(raw: RawPovertyCauses) -> Result<Self, Self::Error> {
        PovertyCauses::new(raw.main, raw.secondary)
    }
}

impl From<PovertyCauses> for RawPovertyCauses {
    fn from(causes: PovertyCauses) -> Self {
        RawPovertyCauses {
            main: causes.main,
            secondary: causes.secondary,
        }
    }
}

impl PovertyCauses {
    /// Refuses a secondary cause equal to the main one, or listed twice.
    pub fn new(
        main: Option<PovertyCause>,
        secondary: Vec<PovertyCause>,
    ) -> Result<PovertyCauses, ModelError> {
        for (index, &cause) in secondary.iter().enumerate() {
            if Some(cause) == main {
                return Err(ModelError::SecondaryRepeatsMain { cause });
            }
            if secondary[..index].contains(&cause) {
                return Err(ModelError::DuplicateSecondaryCause { cause });
            }
        }
        Ok(PovertyCauses { main, secondary })
    }

    pub fn main(&self) -> Option<PovertyCause> {
        self.main
    }

    pub fn secondary(&self) -> &[PovertyCause] {
        &self.secondary
    }
}

/// 两不愁三保障 + 饮水安全: six items, each pass / fail / not checked, with a note and evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checklist {
    /// 不愁吃
    pub food: ChecklistEntry,
    /// 不愁穿
    pub clothing: ChecklistEntry,
    /// 义务教育有保障
    pub compulsory_education: ChecklistEntry,
    /// 基本医疗有保障
    pub basic_medical: ChecklistEntry,
    /// 住房安全有保障
    pub housing_safety: ChecklistEntry,
    /// 饮水安全有保障
    pub drinking_water: ChecklistEntry,
}

impl Checklist {
    /// The six entries in handbook order.
    pub fn entries(&self) -> [(ChecklistItem, &ChecklistEntry); 6] {
        [
            (ChecklistItem::Food, &self.food),
            (ChecklistItem::Clothing, &self.clothing),
            (
                ChecklistItem::CompulsoryEducation,
                &self.compulsory_education,
            ),
            (ChecklistItem::BasicMedical, &self.basic_medical),
            (ChecklistItem::HousingSafety, &self.housing_safety),
            (ChecklistItem::DrinkingWater, &self.drinking_water),
        ]
    }
}

/// The six checklist items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistItem {
    Food,
    Clothing,
    CompulsoryEducation,
    BasicMedical,
    HousingSafety,
    DrinkingWater,
}

impl ChecklistItem {
    /// The field name used in [`crate::validation::FieldPath`]s.
    pub fn field_name(self) -> &'static str {
        match self {
            ChecklistItem::Food => "food",
            ChecklistItem::Clothing => "clothing",
            ChecklistItem::CompulsoryEducation => "compulsory_education",
            ChecklistItem::BasicMedical => "basic_medical",
            ChecklistItem::HousingSafety => "housing_safety",
            ChecklistItem::DrinkingWater => "drinking_water",
        }
    }
}

/// One checklist item's state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChecklistEntry {
    pub status: CheckStatus,
    /// What was seen or asked (free text).
    pub note: String,
    pub evidence: Vec<EvidenceId>,
}

/// Pass / fail / not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    #[default]
    NotChecked,
    Pass,
    Fail,
}

/// A sudden event recorded for the household (feeds 突发 risk rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuddenEvent {
    pub kind: SuddenEventKind,
    pub occurred_on: Date,
    pub note: String,
}

/// Kinds of sudden event (domain.md §5.2 risk types; 新冠/非洲猪瘟 from seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuddenEventKind {
    /// 重大疾病
    SeriousIllness,
    /// 意外事故
    Accident,
    /// 自然灾害
    NaturalDisaster,
    /// 疫情 (如新冠肺炎)
    Epidemic,
    /// 动物疫病 (如非洲猪瘟)
    AnimalDisease,
    /// 失业/务工中断
    JobLoss,
    /// 产业项目失败
    IndustryFailure,
    /// 其他
    Other,
}
