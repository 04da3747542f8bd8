//! The red and yellow rules. Each states in its reason what it found (the amounts, the share, the member, the
//! date), never only the threshold, and never a rule code.

use time::{Date, Duration};

use super::{Fired, RiskColour, RiskInputs, RiskRuleSet};
use crate::income::{AwardOutcome, ComparisonOutcome, IncomeReport};
use crate::locale::{Labelled, Locale};
use crate::model::*;
use crate::money::Fen;
use crate::validation::out_of_compulsory_school;

/// Epidemics and animal diseases are the seeds' yellow criterion (受到新冠肺炎、非洲猪瘟等影响 → 黄灯户), not a
/// sudden event that makes a household red on its own.
fn is_external_shock(kind: SuddenEventKind) -> bool {
    matches!(
        kind,
        SuddenEventKind::Epidemic | SuddenEventKind::AnimalDisease
    )
}

/// The first day of the last `days` days up to `today`.
fn window_start(today: Date, days: u32) -> Date {
    today
        .checked_sub(Duration::days(i64::from(days)))
        .unwrap_or(Date::MIN)
}

pub(super) fn red_rules(
    inputs: &RiskInputs<'_>,
    income: Option<&IncomeReport>,
    rules: &RiskRuleSet,
    fired: &mut Fired,
) {
    let household = inputs.household;
    let members: Vec<&Member> = household.counted_members().collect();
    if rules.red_below_standard.enabled
        && let Some(report) = income
        && let ComparisonOutcome::Compared(comparison) = &report.standard
        && !comparison.above
    {
        fired.push(
            &rules.red_below_standard,
            "RED-BELOW-STANDARD",
            RiskColour::Red,
            format!(
                "人均纯收入{}元，未超过{}年扶贫标准{}元",
                report.per_capita, report.year, comparison.line.value
            ),
            format!(
                "per-capita income of {} yuan does not exceed the {} poverty standard of {} yuan",
                report.per_capita, report.year, comparison.line.value
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
            if let Some(age) = out_of_compulsory_school(member, inputs.today) {
                failing_zh.push(format!(
                    "{}({age}岁)处于义务教育年龄，却没有在小学或中学就读",
                    member.name
                ));
                failing_en.push(format!(
                    "{} (aged {age}) is of compulsory-school age but not in primary or secondary school",
                    member.name
                ));
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
                "the house is {} and not made safe",
                housing.danger_grade.label(Locale::En)
            ));
        }
        if !household.water.safe_drinking_water {
            failing_zh.push("未解决安全饮水".to_string());
            failing_en.push("safe drinking water is not secured".to_string());
        }
        if !failing_zh.is_empty() {
            fired.push(
                &rules.red_guarantee_failing,
                "RED-GUARANTEE-FAILING",
                RiskColour::Red,
                failing_zh.join("；"),
                failing_en.join("; "),
            );
        }
    }
    if let (true, Some(report)) = (rules.red_rigid_spending.enabled, income) {
        let percent = i128::from(rules.red_rigid_spending.parameter.unwrap_or(50));
        let rigid = i128::from(report.rigid_expenditure.fen());
        let net = i128::from(report.net.fen());
        if rigid > 0 && rigid * 100 >= percent * net {
            // The reason states the household's own share, not the threshold.
            let (reason_zh, reason_en) = if net > 0 {
                let share = rigid * 100 / net;
                (
                    format!(
                        "刚性支出(合规自付支出){}元，占纯收入{}元的{share}%",
                        report.rigid_expenditure, report.net
                    ),
                    format!(
                        "rigid spending (compliant self-paid costs) of {} yuan is {share}% of net income of {} yuan",
                        report.rigid_expenditure, report.net
                    ),
                )
            } else {
                (
                    format!(
                        "刚性支出(合规自付支出){}元，而纯收入只有{}元",
                        report.rigid_expenditure, report.net
                    ),
                    format!(
                        "rigid spending (compliant self-paid costs) of {} yuan against a net income of {} yuan",
                        report.rigid_expenditure, report.net
                    ),
                )
            };
            fired.push(
                &rules.red_rigid_spending,
                "RED-RIGID-SPENDING",
                RiskColour::Red,
                reason_zh,
                reason_en,
            );
        }
    }
    if rules.red_sudden_event.enabled {
        let days = rules.red_sudden_event.parameter.unwrap_or(90);
        let since = window_start(inputs.today, days);
        if let Some(event) = household.sudden_events.iter().find(|event| {
            !is_external_shock(event.kind)
                && event.occurred_on >= since
                && event.occurred_on <= inputs.today
        }) {
            fired.push(
                &rules.red_sudden_event,
                "RED-SUDDEN-EVENT",
                RiskColour::Red,
                format!(
                    "{}发生{}(近{days}天内)",
                    event.occurred_on,
                    event.kind.label(Locale::ZhCn)
                ),
                format!(
                    "{} on {} (within the last {days} days)",
                    event.kind.label(Locale::En),
                    event.occurred_on
                ),
            );
        }
    }
    if rules.red_monitored_household.enabled
        && let Some(category) = household.monitoring_category
    {
        fired.push(
            &rules.red_monitored_household,
            "RED-MONITORED-HOUSEHOLD",
            RiskColour::Red,
            format!("已纳入监测：{}", category.label(Locale::ZhCn)),
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
        fired.push(
            &rules.red_serious_illness_no_labour,
            "RED-SERIOUS-ILLNESS-NO-LABOUR",
            RiskColour::Red,
            "家庭有大病患者且无有劳动能力的成员，自我发展能力受限".into(),
            "a member has a serious illness and nobody in the family can work".into(),
        );
    }
}

/// The weak-industry line and its source: the lowest industry-award threshold of the policy tables for the
/// report's region and year, else the rule set's project value, else nothing above zero.
fn weak_industry_line(report: &IncomeReport, rules: &RiskRuleSet) -> (Fen, String) {
    if let AwardOutcome::Evaluated { tiers, .. } = &report.award
        && let Some(lowest) = tiers.value.iter().map(|tier| tier.above).min()
    {
        return (lowest, tiers.source.clone());
    }
    let line = &rules.weak_industry_line;
    match line.parameter {
        Some(yuan) if line.enabled => (Fen::from_fen(i64::from(yuan) * 100), line.source.clone()),
        _ => (Fen::ZERO, String::new()),
    }
}

pub(super) fn yellow_rules(
    inputs: &RiskInputs<'_>,
    income: Option<&IncomeReport>,
    rules: &RiskRuleSet,
    fired: &mut Fired,
) {
    let household = inputs.household;
    let members: Vec<&Member> = household.counted_members().collect();
    if rules.yellow_below_monitoring.enabled
        && let Some(report) = income
        && let ComparisonOutcome::Compared(comparison) = &report.monitoring
        && !comparison.above
    {
        fired.push(
            &rules.yellow_below_monitoring,
            "YELLOW-BELOW-MONITORING",
            RiskColour::Yellow,
            format!(
                "人均纯收入{}元，未超过{}年监测范围{}元",
                report.per_capita, report.year, comparison.line.value
            ),
            format!(
                "per-capita income of {} yuan does not exceed the {} monitoring line of {} yuan",
                report.per_capita, report.year, comparison.line.value
            ),
        );
    }
    if rules.yellow_ill_member_uncovered.enabled
        && let Some(member) = members.iter().find(|member| {
            member.health.has_any_condition()
                && !(member.insurance.has_basic_medical() && member.insurance.critical_illness)
        })
    {
        fired.push(
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
            fired.push(
                &rules.yellow_unstable_employment,
                "YELLOW-UNSTABLE-EMPLOYMENT",
                RiskColour::Yellow,
                format!(
                    "唯一务工人员{}全年务工{}个月，少于{months}个月",
                    only.name,
                    only.work.months.get()
                ),
                format!(
                    "the only wage earner, {}, worked {} months, fewer than {months}",
                    only.name,
                    only.work.months.get()
                ),
            );
        }
    }
    if let (true, Some(report), Some(previous)) = (
        rules.yellow_income_drop.enabled,
        income,
        inputs.previous_per_capita,
    ) {
        let percent = i128::from(rules.yellow_income_drop.parameter.unwrap_or(30));
        let previous_fen = i128::from(previous.fen());
        let drop = previous_fen - i128::from(report.per_capita.fen());
        if previous_fen > 0 && drop * 100 >= percent * previous_fen {
            let actual = drop * 100 / previous_fen;
            fired.push(
                &rules.yellow_income_drop,
                "YELLOW-INCOME-DROP",
                RiskColour::Yellow,
                format!(
                    "人均纯收入由{}元降至{}元，下降{actual}%",
                    previous, report.per_capita
                ),
                format!(
                    "per-capita income fell from {} to {} yuan, by {actual}%",
                    previous, report.per_capita
                ),
            );
        }
    }
    let any_able = members
        .iter()
        .any(|member| member.labour.is_some_and(LabourAbility::is_able));
    let plan_has_safety_net = inputs.plan.is_some_and(|plan| {
        plan.measures.iter().any(|measure| {
            measure.category == MeasureCategory::SafetyNet
                && measure.status != MeasureStatus::Cancelled
        })
    });
    if rules.yellow_no_labour_no_safety_net.enabled
        && !members.is_empty()
        && !any_able
        && !plan_has_safety_net
    {
        fired.push(
            &rules.yellow_no_labour_no_safety_net,
            "YELLOW-NO-LABOUR-NO-SAFETY-NET",
            RiskColour::Yellow,
            "整户无劳动能力，且没有兜底保障措施".into(),
            "nobody in the family can work and there is no safety-net measure".into(),
        );
    }
    if let (true, Some(report)) = (rules.yellow_weak_industry_and_employment.enabled, income) {
        let months = rules
            .yellow_weak_industry_and_employment
            .parameter
            .unwrap_or(6);
        let stable_worker = workers
            .iter()
            .any(|member| u32::from(member.work.months.get()) >= months);
        let (line, line_source) = weak_industry_line(report, rules);
        // A token industry (a few hundred 元) is still a weak one: the line is a real family industry's income.
        if report.business_net <= line && !stable_worker {
            let config = &rules.yellow_weak_industry_and_employment;
            let source = if line_source.is_empty() {
                config.source.clone()
            } else {
                format!("{}；{line_source}", config.source)
            };
            fired.push_with_source(
                &source,
                "YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT",
                RiskColour::Yellow,
                format!(
                    "家庭经营性纯收入{}元，未超过{line}元，产业不强；且无人务工满{months}个月",
                    report.business_net
                ),
                format!(
                    "household business net income of {} yuan does not exceed {line} yuan (a weak family industry), and nobody has worked {months} months or more",
                    report.business_net
                ),
            );
        }
    }
    if rules.yellow_external_shock.enabled {
        let days = rules.yellow_external_shock.parameter.unwrap_or(365);
        let since = window_start(inputs.today, days);
        if let Some(event) = household.sudden_events.iter().find(|event| {
            is_external_shock(event.kind)
                && event.occurred_on >= since
                && event.occurred_on <= inputs.today
        }) {
            fired.push(
                &rules.yellow_external_shock,
                "YELLOW-EXTERNAL-SHOCK",
                RiskColour::Yellow,
                format!(
                    "{}受{}影响",
                    event.occurred_on,
                    event.kind.label(Locale::ZhCn)
                ),
                format!(
                    "affected by {} on {}",
                    event.kind.label(Locale::En),
                    event.occurred_on
                ),
            );
        }
    }
}
