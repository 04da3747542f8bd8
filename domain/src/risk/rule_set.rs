//! The 红黄绿 rule set as data: each rule's switch, its number (when it has one) and its source, with the built-in
//! set ([`RiskRuleSet::default`]). The seeds give the criteria in words; every number here is this project's
//! proposal and says so, so a county can replace it without a code change.

use serde::{Deserialize, Serialize};

/// One rule's switch, its numeric parameter (when it has one) and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRuleConfig {
    pub enabled: bool,
    pub parameter: Option<u32>,
    pub source: String,
}

impl RiskRuleConfig {
    fn on(parameter: Option<u32>, source: &str) -> RiskRuleConfig {
        RiskRuleConfig {
            enabled: true,
            parameter,
            source: source.to_string(),
        }
    }
}

/// Where the seeds' criteria come from, as a person would cite them.
const MEILAN_2020: &str =
    "《海口市美兰区扶贫开发领导小组2020年工作要点》(美扶发〔2020〕2号)第(八)项：红黄绿三色灯管理";
const HAIKOU_REVIEW: &str =
    "《海口市“十三五”脱贫攻坚工作综述》：对应脱贫监测户、边缘户设置“红灯户”";

fn proposal(criterion: &str) -> String {
    format!("{MEILAN_2020}；{criterion}。数值为本项目建议值，县级可调整")
}

/// The rule set, as data (serde). [`RiskRuleSet::default`] is the built-in proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRuleSet {
    pub version: String,
    /// RED-BELOW-STANDARD: 人均纯收入 not above the year's standard.
    pub red_below_standard: RiskRuleConfig,
    /// RED-GUARANTEE-FAILING: a 三保障/饮水 item fails (checklist, or derived: healthy child out of compulsory school,
    /// uninsured member, C/D house not secured, unsafe water).
    pub red_guarantee_failing: RiskRuleConfig,
    /// RED-RIGID-SPENDING: 合规自付支出 ≥ parameter % of net income.
    pub red_rigid_spending: RiskRuleConfig,
    /// RED-SUDDEN-EVENT: a sudden event other than an epidemic or animal disease in the last `parameter` days (those
    /// two are the seeds' yellow criterion, YELLOW-EXTERNAL-SHOCK).
    pub red_sudden_event: RiskRuleConfig,
    /// RED-MONITORED-HOUSEHOLD: 脱贫监测户 / 边缘户 / 突发严重困难户 are 红灯户 (seed 004).
    pub red_monitored_household: RiskRuleConfig,
    /// RED-SERIOUS-ILLNESS-NO-LABOUR: a member with 大病 and no able-bodied member (seed 002 wording).
    pub red_serious_illness_no_labour: RiskRuleConfig,
    /// YELLOW-BELOW-MONITORING: 人均纯收入 not above the monitoring line.
    pub yellow_below_monitoring: RiskRuleConfig,
    /// YELLOW-ILL-MEMBER-UNCOVERED: an ill or disabled member without 医保 + 大病保险.
    pub yellow_ill_member_uncovered: RiskRuleConfig,
    /// YELLOW-UNSTABLE-EMPLOYMENT: a single wage earner working fewer than `parameter` months.
    pub yellow_unstable_employment: RiskRuleConfig,
    /// YELLOW-INCOME-DROP: per-capita income fell by ≥ parameter % from last year.
    pub yellow_income_drop: RiskRuleConfig,
    /// YELLOW-NO-LABOUR-NO-SAFETY-NET: no member can work and no 兜底保障 measure.
    pub yellow_no_labour_no_safety_net: RiskRuleConfig,
    /// YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT: 家庭经营性纯收入 not above the weak-industry line
    /// ([`RiskRuleSet::weak_industry_line`]) and nobody works ≥ parameter months.
    pub yellow_weak_industry_and_employment: RiskRuleConfig,
    /// The weak-industry line in 元 of 家庭经营性纯收入 a year, used when the policy tables have no industry-award
    /// tiers for the household's region and year (with tiers, their lowest threshold is the line).
    #[serde(default = "default_weak_industry_line")]
    pub weak_industry_line: RiskRuleConfig,
    /// YELLOW-EXTERNAL-SHOCK: an epidemic or animal-disease event in the last `parameter` days (seed 002).
    pub yellow_external_shock: RiskRuleConfig,
}

fn default_weak_industry_line() -> RiskRuleConfig {
    RiskRuleConfig::on(
        Some(4_000),
        "项目取值(非政策文件规定)：海南对家庭经营性纯收入超过4000元的贫困户给予产业奖补(《海南省打赢脱贫攻坚战三年行动计划》琼发〔2018〕15号；美扶发〔2020〕2号)，本项目以此作为“家庭产业不强”的界线；有当地数值时请替换",
    )
}

impl Default for RiskRuleSet {
    fn default() -> Self {
        RiskRuleSet {
            version: "rhg-2026-11-23-proposal".to_string(),
            red_below_standard: RiskRuleConfig::on(None, &proposal("人均纯收入未超过当年扶贫标准")),
            red_guarantee_failing: RiskRuleConfig::on(
                None,
                &proposal("“两不愁三保障”及饮水安全任一项未达标"),
            ),
            red_rigid_spending: RiskRuleConfig::on(
                Some(50),
                &proposal("日常支出较大：合规自付支出达到纯收入的50%"),
            ),
            red_sudden_event: RiskRuleConfig::on(
                Some(90),
                "《海口市“十三五”脱贫攻坚工作综述》：因突发事件导致返贫致贫风险的农户给予临时救助；近90天为本项目建议值",
            ),
            red_monitored_household: RiskRuleConfig::on(None, HAIKOU_REVIEW),
            red_serious_illness_no_labour: RiskRuleConfig::on(
                None,
                &proposal("家庭有大病重病患者，自我发展能力受限"),
            ),
            yellow_below_monitoring: RiskRuleConfig::on(
                None,
                &proposal("人均纯收入未超过当年监测范围"),
            ),
            yellow_ill_member_uncovered: RiskRuleConfig::on(
                None,
                &proposal("患病或残疾成员未同时参加基本医保和大病保险"),
            ),
            yellow_unstable_employment: RiskRuleConfig::on(
                Some(6),
                &proposal("就业不稳：唯一务工人员全年务工不足6个月"),
            ),
            yellow_income_drop: RiskRuleConfig::on(
                Some(30),
                &proposal("人均纯收入比上年下降30%以上"),
            ),
            yellow_no_labour_no_safety_net: RiskRuleConfig::on(
                None,
                &proposal("整户无劳动能力且无兜底保障措施"),
            ),
            yellow_weak_industry_and_employment: RiskRuleConfig::on(
                Some(6),
                &proposal("家庭产业不强、就业不稳：无人务工满6个月"),
            ),
            weak_industry_line: default_weak_industry_line(),
            yellow_external_shock: RiskRuleConfig::on(
                Some(365),
                &proposal("受到新冠肺炎、非洲猪瘟等影响：近12个月内"),
            ),
        }
    }
}
