//! The household (户) record: address, category, lifecycle, land, housing, utilities, linkage, helpers, causes, checklist.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    Checklist, HouseholdId, Member, ModelError, PovertyCauses, Sensitive, SuddenEvent, UserId,
};
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

    /// The 户主: the first member whose relation is 户主 (validation reports a household with none or several).
    pub fn head(&self) -> Option<&Member> {
        self.members
            .iter()
            .find(|member| member.relation == super::Relation::Head)
    }

    /// Members who count in the household size (the divisor of per-capita income).
    pub fn counted_members(&self) -> impl Iterator<Item = &Member> {
        self.members
            .iter()
            .filter(|member| member.membership.counts())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Relation;
    use crate::sample;

    #[test]
    fn the_head_is_the_member_whose_relation_is_head() {
        let mut household = sample::household();
        assert_eq!(
            household.head().map(|head| head.name.as_str()),
            Some("王海")
        );
        household
            .members
            .retain(|member| member.relation != Relation::Head);
        assert!(household.head().is_none());
    }
}
