//! 红黄绿 (red/yellow/green) risk classification of seeds 002 and 004, as a configurable rule set.
//!
//! The seeds give the criteria in words: 绿灯户 no risk; 黄灯户 weak industry, unstable employment, hit by COVID-19 or
//! African swine fever; 红灯户 a member with serious illness, limited self-development, large daily spending — and
//! (seed 004) 脱贫监测户 and 边缘户. The numeric triggers are the proposal of domain.md §5.3 (`[I]`), kept as data in
//! [`RiskRuleSet`] so a county can change them without a code change. The result names every rule that fired.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::income::{ComparisonOutcome, IncomeReport};
use crate::locale::{Labelled, Locale};
use crate::model::*;
use crate::money::Fen;

/// 绿灯户 < 黄灯户 < 红灯户.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskColour {
    Green,
    Yellow,
    Red,
}

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

/// The rule set, as data (serde). [`RiskRuleSet::default`] is the built-in proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRuleSet {
    pub version: String,
    /// RED-BELOW-STANDARD: 人均纯收入 not above the year's standard.
    pub red_below_standard: RiskRuleConfig,
    /// RED-GUARANTEE-FAILING: a 三保障/饮水 item fails (checklist, or derived: healthy child out of school, uninsured
    /// member, C/D house not secured, unsafe water).
    pub red_guarantee_failing: RiskRuleConfig,
    /// RED-RIGID-SPENDING: 合规自付支出 ≥ parameter % of net income.
    pub red_rigid_spending: RiskRuleConfig,
    /// RED-SUDDEN-EVENT: a sudden event in the last `parameter` days.
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
    /// YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT: no positive 家庭经营性纯收入 and nobody works ≥ parameter months.
    pub yellow_weak_industry_and_employment: RiskRuleConfig,
    /// YELLOW-EXTERNAL-SHOCK: an epidemic or animal-disease event in the last `parameter` days (seed 002).
    pub yellow_external_shock: RiskRuleConfig,
}

impl Default for RiskRuleSet {
    fn default() -> Self {
        const PROPOSAL: &str = "domain.md §5.3 [I] proposal implementing seeds 002/004";
        RiskRuleSet {
            version: "rhg-2026-11-22-proposal".to_string(),
            red_below_standard: RiskRuleConfig::on(None, PROPOSAL),
            red_guarantee_failing: RiskRuleConfig::on(
                None,
                "domain.md §5.3 [I]; §4 两不愁三保障 + 饮水 (S16, S14)",
            ),
            red_rigid_spending: RiskRuleConfig::on(
                Some(50),
                "seed 002 日常支出较大 → 红灯户; 50% threshold [I] domain.md §5.3",
            ),
            red_sudden_event: RiskRuleConfig::on(
                Some(90),
                "seed 004 突发性风险 → 临时救助; 3 months [I] domain.md §5.3",
            ),
            red_monitored_household: RiskRuleConfig::on(
                None,
                "seed 004 海口综述 三(二): 对应脱贫监测户、边缘户设置“红灯户”",
            ),
            red_serious_illness_no_labour: RiskRuleConfig::on(
                None,
                "seed 002 美扶发〔2020〕2号 (八): 家庭有大病重病患者，自我发展能力受限 → 红灯户 [I: reading]",
            ),
            yellow_below_monitoring: RiskRuleConfig::on(None, PROPOSAL),
            yellow_ill_member_uncovered: RiskRuleConfig::on(None, PROPOSAL),
            yellow_unstable_employment: RiskRuleConfig::on(
                Some(6),
                "seed 002 就业不稳 → 黄灯户; 6 months [I] domain.md §5.3",
            ),
            yellow_income_drop: RiskRuleConfig::on(
                Some(30),
                "domain.md §5.3 [I]; income collapse (S14)",
            ),
            yellow_no_labour_no_safety_net: RiskRuleConfig::on(None, PROPOSAL),
            yellow_weak_industry_and_employment: RiskRuleConfig::on(
                Some(6),
                "seed 002 家庭产业不强、就业不稳 → 黄灯户 [I: reading]",
            ),
            yellow_external_shock: RiskRuleConfig::on(
                Some(365),
                "seed 002 受到新冠肺炎、非洲猪瘟等影响 → 黄灯户; 12 months [I]",
            ),
        }
    }
}

/// A rule that fired, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggeredRule {
    pub code: String,
    pub colour: RiskColour,
    pub reason_zh: String,
    pub reason_en: String,
    pub source: String,
}

/// The classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskAssessment {
    pub colour: RiskColour,
    pub triggered: Vec<TriggeredRule>,
    pub rule_set_version: String,
}

/// What the rules look at. `today` is passed in (the domain never reads the clock).
#[derive(Debug, Clone, Copy)]
pub struct RiskInputs<'a> {
    pub household: &'a Household,
    pub plan: Option<&'a Plan>,
    pub income: Option<&'a IncomeReport>,
    /// Last year's per-capita net income, for YELLOW-INCOME-DROP.
    pub previous_per_capita: Option<Fen>,
    pub today: Date,
}

/// Classifies a household. Disabled rules never fire; the colour is the highest colour that fired, else green.
pub fn assess_risk(inputs: &RiskInputs<'_>, rules: &RiskRuleSet) -> RiskAssessment {
    let mut triggered = Vec::new();
    let mut fire = |config: &RiskRuleConfig,
                    code: &str,
                    colour: RiskColour,
                    reason_zh: String,
                    reason_en: String| {
        triggered.push(TriggeredRule {
            code: code.to_string(),
            colour,
            reason_zh,
            reason_en,
            source: config.source.clone(),
        });
    };
    let household = inputs.household;
    let members: Vec<&Member> = household.counted_members().collect();
    let plan_has = |category: MeasureCategory| {
        inputs.plan.is_some_and(|plan| {
            plan.measures.iter().any(|measure| {
                measure.category == category && measure.status != MeasureStatus::Cancelled
            })
        })
    };

    if rules.red_below_standard.enabled
        && let Some(ComparisonOutcome::Compared(comparison)) =
            inputs.income.map(|income| &income.standard)
        && !comparison.above
    {
        fire(
            &rules.red_below_standard,
            "RED-BELOW-STANDARD",
            RiskColour::Red,
            format!(
                "人均纯收入{}元未超过标准{}元",
                comparison
                    .line
                    .value
                    .checked_add(comparison.margin)
                    .unwrap_or(comparison.margin),
                comparison.line.value
            ),
            format!(
                "per-capita income {} yuan does not exceed the standard {} yuan",
                comparison
                    .line
                    .value
                    .checked_add(comparison.margin)
                    .unwrap_or(comparison.margin),
                comparison.line.value
            ),
        );
    }
    if rules.red_guarantee_failing.enabled {
        let mut failing_zh: Vec<String> = Vec::new();
        let mut failing_en: Vec<String> = Vec::new();
        for (item, entry) in household.checklist.entries() {
            if entry.status == CheckStatus::Fail {
                failing_zh.push(format!("{}未达标", item.label(Locale::ZhCn)));
                failing_en.push(format!("{} fails", item.label(Locale::En)));
            }
        }
        for member in &members {
            let age = age_on(member.birth_date, inputs.today);
            let in_school = matches!(member.schooling, Some(Schooling::Student(status)) if status.is_enrolled());
            if (6..=15).contains(&age) && member.health.is_healthy() && !in_school {
                failing_zh.push(format!("{}({age}岁)失学辍学", member.name));
                failing_en.push(format!("{} (aged {age}) is out of school", member.name));
            }
            if !member.insurance.has_basic_medical() {
                failing_zh.push(format!("{}未参加基本医疗保险", member.name));
                failing_en.push(format!("{} has no basic medical insurance", member.name));
            }
        }
        let housing = &household.housing;
        let secured = matches!(
            housing.safe_housing_way,
            Some(
                SafeHousingWay::AfterRenovation
                    | SafeHousingWay::Relocation
                    | SafeHousingWay::LivingWithRelatives
                    | SafeHousingWay::Rental
                    | SafeHousingWay::PublicRental
            )
        );
        if housing.danger_grade.is_dangerous() && !secured {
            failing_zh.push(format!(
                "住房为{}且未改造",
                housing.danger_grade.label(Locale::ZhCn)
            ));
            failing_en.push(format!(
                "house is {} and not made safe",
                housing.danger_grade.label(Locale::En)
            ));
        }
        if !household.water.safe_drinking_water {
            failing_zh.push("未解决安全饮水".to_string());
            failing_en.push("safe drinking water not secured".to_string());
        }
        if !failing_zh.is_empty() {
            fire(
                &rules.red_guarantee_failing,
                "RED-GUARANTEE-FAILING",
                RiskColour::Red,
                failing_zh.join("；"),
                failing_en.join("; "),
            );
        }
    }
    if let (true, Some(income)) = (rules.red_rigid_spending.enabled, inputs.income) {
        let percent = i128::from(rules.red_rigid_spending.parameter.unwrap_or(50));
        let rigid = i128::from(income.rigid_expenditure.fen());
        if rigid > 0 && rigid * 100 >= percent * i128::from(income.net.fen()) {
            fire(
                &rules.red_rigid_spending,
                "RED-RIGID-SPENDING",
                RiskColour::Red,
                format!(
                    "合规自付支出{}元达到纯收入{}元的{percent}%",
                    income.rigid_expenditure, income.net
                ),
                format!(
                    "compliant self-paid spending {} yuan is at least {percent}% of net income {} yuan",
                    income.rigid_expenditure, income.net
                ),
            );
        }
    }
    if rules.red_sudden_event.enabled {
        let days = i64::from(rules.red_sudden_event.parameter.unwrap_or(90));
        let since = inputs
            .today
            .checked_sub(Duration::days(days))
            .unwrap_or(Date::MIN);
        if let Some(event) = household
            .sudden_events
            .iter()
            .find(|event| event.occurred_on >= since && event.occurred_on <= inputs.today)
        {
            fire(
                &rules.red_sudden_event,
                "RED-SUDDEN-EVENT",
                RiskColour::Red,
                format!(
                    "{}发生{}(近{days}天内)",
                    event.occurred_on,
                    event.kind.label(Locale::ZhCn)
                ),
                format!(
                    "{} on {} (within {days} days)",
                    event.kind.label(Locale::En),
                    event.occurred_on
                ),
            );
        }
    }
    if rules.red_monitored_household.enabled
        && let Some(category) = household.monitoring_category
    {
        fire(
            &rules.red_monitored_household,
            "RED-MONITORED-HOUSEHOLD",
            RiskColour::Red,
            format!("监测对象：{}", category.label(Locale::ZhCn)),
            format!("monitored household: {}", category.label(Locale::En)),
        );
    }
    let any_able = members
        .iter()
        .any(|member| member.labour.is_some_and(LabourAbility::is_able));
    if rules.red_serious_illness_no_labour.enabled
        && !any_able
        && members
            .iter()
            .any(|member| member.health.has(HealthCondition::SeriousIllness))
    {
        fire(
            &rules.red_serious_illness_no_labour,
            "RED-SERIOUS-ILLNESS-NO-LABOUR",
            RiskColour::Red,
            "家庭有大病患者且无有劳动能力的成员，自我发展能力受限".into(),
            "a member has a serious illness and nobody can work".into(),
        );
    }
    if rules.yellow_below_monitoring.enabled
        && let Some(ComparisonOutcome::Compared(comparison)) =
            inputs.income.map(|income| &income.monitoring)
        && !comparison.above
    {
        fire(
            &rules.yellow_below_monitoring,
            "YELLOW-BELOW-MONITORING",
            RiskColour::Yellow,
            format!("人均纯收入未超过监测范围{}元", comparison.line.value),
            format!(
                "per-capita income does not exceed the monitoring line {} yuan",
                comparison.line.value
            ),
        );
    }
    if rules.yellow_ill_member_uncovered.enabled
        && let Some(member) = members.iter().find(|member| {
            member.health.has_any_condition()
                && !(member.insurance.has_basic_medical() && member.insurance.critical_illness)
        })
    {
        fire(
            &rules.yellow_ill_member_uncovered,
            "YELLOW-ILL-MEMBER-UNCOVERED",
            RiskColour::Yellow,
            format!("{}患病或残疾，但未同时参加基本医保和大病保险", member.name),
            format!(
                "{} is ill or disabled without both basic medical and critical-illness insurance",
                member.name
            ),
        );
    }
    let workers: Vec<&&Member> = members
        .iter()
        .filter(|member| member.work.has_record())
        .collect();
    if rules.yellow_unstable_employment.enabled {
        let months = rules.yellow_unstable_employment.parameter.unwrap_or(6);
        if let [only] = workers.as_slice()
            && u32::from(only.work.months.get()) < months
        {
            fire(
                &rules.yellow_unstable_employment,
                "YELLOW-UNSTABLE-EMPLOYMENT",
                RiskColour::Yellow,
                format!(
                    "唯一务工人员{}全年务工{}个月，少于{months}个月",
                    only.name,
                    only.work.months.get()
                ),
                format!(
                    "the only wage earner {} worked {} months, fewer than {months}",
                    only.name,
                    only.work.months.get()
                ),
            );
        }
    }
    if let (true, Some(income), Some(previous)) = (
        rules.yellow_income_drop.enabled,
        inputs.income,
        inputs.previous_per_capita,
    ) {
        let percent = i128::from(rules.yellow_income_drop.parameter.unwrap_or(30));
        let previous_fen = i128::from(previous.fen());
        let drop = previous_fen - i128::from(income.per_capita.fen());
        if previous_fen > 0 && drop * 100 >= percent * previous_fen {
            fire(
                &rules.yellow_income_drop,
                "YELLOW-INCOME-DROP",
                RiskColour::Yellow,
                format!(
                    "人均纯收入由{}元降至{}元，降幅达{percent}%以上",
                    previous, income.per_capita
                ),
                format!(
                    "per-capita income fell from {} to {} yuan, by {percent}% or more",
                    previous, income.per_capita
                ),
            );
        }
    }
    if rules.yellow_no_labour_no_safety_net.enabled
        && !members.is_empty()
        && !any_able
        && !plan_has(MeasureCategory::SafetyNet)
    {
        fire(
            &rules.yellow_no_labour_no_safety_net,
            "YELLOW-NO-LABOUR-NO-SAFETY-NET",
            RiskColour::Yellow,
            "整户无劳动能力且无兜底保障措施".into(),
            "no member can work and there is no safety-net measure".into(),
        );
    }
    if let (true, Some(income)) = (
        rules.yellow_weak_industry_and_employment.enabled,
        inputs.income,
    ) {
        let months = rules
            .yellow_weak_industry_and_employment
            .parameter
            .unwrap_or(6);
        let stable_worker = workers
            .iter()
            .any(|member| u32::from(member.work.months.get()) >= months);
        if !income.business_net.is_positive() && !stable_worker {
            fire(
                &rules.yellow_weak_industry_and_employment,
                "YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT",
                RiskColour::Yellow,
                format!(
                    "家庭经营性纯收入{}元，且无人稳定务工({months}个月以上)",
                    income.business_net
                ),
                format!(
                    "household business net income {} yuan and nobody works {months} months or more",
                    income.business_net
                ),
            );
        }
    }
    if rules.yellow_external_shock.enabled {
        let days = i64::from(rules.yellow_external_shock.parameter.unwrap_or(365));
        let since = inputs
            .today
            .checked_sub(Duration::days(days))
            .unwrap_or(Date::MIN);
        if let Some(event) = household.sudden_events.iter().find(|event| {
            matches!(
                event.kind,
                SuddenEventKind::Epidemic | SuddenEventKind::AnimalDisease
            ) && event.occurred_on >= since
                && event.occurred_on <= inputs.today
        }) {
            fire(
                &rules.yellow_external_shock,
                "YELLOW-EXTERNAL-SHOCK",
                RiskColour::Yellow,
                format!(
                    "受{}影响({})",
                    event.kind.label(Locale::ZhCn),
                    event.occurred_on
                ),
                format!(
                    "affected by {} ({})",
                    event.kind.label(Locale::En),
                    event.occurred_on
                ),
            );
        }
    }
    let colour = triggered
        .iter()
        .map(|rule| rule.colour)
        .max()
        .unwrap_or(RiskColour::Green);
    RiskAssessment {
        colour,
        triggered,
        rule_set_version: rules.version.clone(),
    }
}
