//! Whole-household checks: the family's structure (one head, one spouse, unique ID numbers, helpers), causes and
//! categories (致贫原因, 低保/特困), housing and land.

use std::collections::HashMap;

use time::Date;

use super::ValidationContext;
use super::fields::{validate_bank_account_number, validate_causes};
use super::finding::{FieldPath, Finding, en, finding, zh};
use super::members::is_student;
use super::rules::*;
use crate::id_number::parse_id_number;
use crate::model::*;

pub(super) fn household_structure(household: &Household, findings: &mut Vec<Finding>) {
    let root = FieldPath::root();
    if household.counted_members().next().is_none() {
        findings.push(finding(
            HH_MEMBERS_NONE,
            root.field("members"),
            "家庭人口至少为1人(计入家庭人口的成员)".into(),
            "at least one member must count in the household".into(),
        ));
    }
    let heads: Vec<usize> = positions(household, |member| member.relation == Relation::Head);
    if heads.len() != 1 {
        findings.push(finding(
            HH_HEAD_COUNT,
            root.field("members"),
            format!("户主应有且仅有1人，当前{}人", heads.len()),
            format!(
                "there must be exactly one head of household, found {}",
                heads.len()
            ),
        ));
    }
    let spouses: Vec<usize> = positions(household, |member| member.relation == Relation::Spouse);
    if spouses.len() > 1 {
        findings.push(finding(
            HH_SPOUSE_COUNT,
            root.field("members").index(spouses[1]).field("relation"),
            format!("配偶最多1人，当前{}人", spouses.len()),
            format!("at most one spouse, found {}", spouses.len()),
        ));
    }
    if let (Some(&head), Some(&spouse)) = (heads.first(), spouses.first())
        && household.members[head].sex == household.members[spouse].sex
    {
        findings.push(finding(
            HH_HEAD_SPOUSE_SAME_SEX,
            root.field("members").index(spouse).field("sex"),
            "户主与配偶性别相同".into(),
            "the head of household and the spouse have the same sex".into(),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, member) in household.members.iter().enumerate() {
        if let Ok(parsed) = parse_id_number(&member.id_number)
            && let Some(first) = seen.insert(parsed.resident_number, index)
        {
            findings.push(finding(
                HH_ID_DUPLICATE,
                root.field("members").index(index).field("id_number"),
                format!("身份证号码与第{}位成员重复", first + 1),
                format!("the ID number repeats member {}", first + 1),
            ));
        }
    }
    if household.attribute.is_registered() && household.current_helper().is_none() {
        findings.push(finding(
            HH_HELPER_MISSING,
            root.field("helpers"),
            "建档立卡户须有帮扶责任人".into(),
            "a registered household must have a helper".into(),
        ));
    }
    for (index, helper) in household.helpers.iter().enumerate() {
        if helper.name.trim().is_empty() {
            findings.push(finding(
                HH_HELPER_NAME_MISSING,
                root.field("helpers").index(index).field("name"),
                "请填写帮扶责任人姓名".into(),
                "enter the helper's name".into(),
            ));
        }
    }
    if let Some(account) = &household.bank_account
        && let Some(problem) = validate_bank_account_number(
            &account.account_number.0,
            root.field("bank_account").field("account_number"),
        )
    {
        findings.push(problem);
    }
    let open_rows = household
        .helpers
        .iter()
        .filter(|helper| helper.ended_on.is_none())
        .count();
    for (index, helper) in household.helpers.iter().enumerate() {
        let bad_dates = helper.ended_on.is_some_and(|end| end < helper.started_on);
        let overlaps_next = household.helpers.get(index + 1).is_some_and(|next| {
            helper.ended_on.is_none_or(|end| next.started_on < end)
                || next.started_on < helper.started_on
        });
        if bad_dates
            || overlaps_next
            || (open_rows > 1 && helper.ended_on.is_none() && index + 1 < household.helpers.len())
        {
            findings.push(finding(
                HH_HELPER_HISTORY,
                root.field("helpers").index(index),
                "帮扶责任人变更应新增一行并填写原责任人的结束日期，时间不能重叠".into(),
                "a helper change adds a row and closes the previous one; periods must not overlap"
                    .into(),
            ));
        }
    }
}

fn positions(household: &Household, predicate: impl Fn(&Member) -> bool) -> Vec<usize> {
    household
        .members
        .iter()
        .enumerate()
        .filter(|(_, member)| predicate(member))
        .map(|(index, _)| index)
        .collect()
}

pub(super) fn causes_and_categories(
    household: &Household,
    today: Date,
    findings: &mut Vec<Finding>,
) {
    let root = FieldPath::root();
    let causes_path = root.field("causes").field("main");
    let main = household.causes.main();
    if household.attribute.is_registered() && main.is_none() {
        findings.push(finding(
            HH_CAUSE_MAIN_MISSING,
            causes_path.clone(),
            "请选择主要致贫原因".into(),
            "choose the main cause of poverty".into(),
        ));
    }
    findings.extend(validate_causes(main, household.causes.secondary()));
    let members = &household.members;
    match main {
        Some(PovertyCause::Illness)
            if !members
                .iter()
                .any(|member| member.health.has_any_condition()) =>
        {
            findings.push(finding(
                HH_CAUSE_ILLNESS,
                causes_path,
                "主要致贫原因为因病，但没有健康状况为患病(长期慢性病/大病)或残疾的成员".into(),
                "main cause is illness but no member's health is other than healthy".into(),
            ))
        }
        Some(PovertyCause::Schooling) if !members.iter().any(is_student) => findings.push(finding(
            HH_CAUSE_STUDY,
            causes_path,
            "主要致贫原因为因学，但没有在校生".into(),
            "main cause is schooling costs but no member is a student".into(),
        )),
        Some(PovertyCause::Disability)
            if !members
                .iter()
                .any(|member| member.health.has(HealthCondition::Disability)) =>
        {
            findings.push(finding(
                HH_CAUSE_DISABILITY,
                causes_path,
                "主要致贫原因为因残，但没有残疾成员".into(),
                "main cause is disability but no member has a disability".into(),
            ))
        }
        _ => {}
    }
    let attribute_path = root.field("attribute");
    let any_dibao = members.iter().any(|member| member.dibao);
    if household.attribute.includes_dibao() && !any_dibao {
        findings.push(finding(
            HH_DIBAO_NO_MEMBER,
            attribute_path.clone(),
            format!(
                "贫困户属性为“{}”，但没有成员享受低保",
                zh(household.attribute)
            ),
            format!(
                "category \"{}\" but no member receives the allowance",
                en(household.attribute)
            ),
        ));
    }
    if household.attribute.is_general() && any_dibao {
        findings.push(finding(
            HH_GENERAL_WITH_DIBAO_MEMBER,
            attribute_path.clone(),
            format!(
                "贫困户属性为“{}”，但有成员享受低保",
                zh(household.attribute)
            ),
            format!(
                "category \"{}\" but a member receives the allowance",
                en(household.attribute)
            ),
        ));
    }
    if matches!(
        household.attribute,
        PovertyAttribute::TekunPoor | PovertyAttribute::TekunExited
    ) && members.iter().any(|member| {
        member.membership.counts() && (16..=65).contains(&age_on(member.birth_date, today))
    }) {
        findings.push(finding(
            HH_TEKUN_LABOUR_AGE_MEMBER,
            attribute_path,
            "特困供养户中有16–65岁劳动年龄成员，请核实属性".into(),
            "destitute-support household with a member aged 16–65: check the category".into(),
        ));
    }
}

pub(super) fn housing_and_land(
    household: &Household,
    plan: Option<&Plan>,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let root = FieldPath::root();
    let housing = &household.housing;
    if housing.area_m2 == crate::money::Centi::ZERO {
        findings.push(finding(
            HH_HOUSING_AREA_MISSING,
            root.field("housing").field("area_m2"),
            "住房面积为0，请核实".into(),
            "housing area is 0: please check".into(),
        ));
    }
    let secured_elsewhere = matches!(
        housing.safe_housing_way,
        Some(
            SafeHousingWay::Relocation
                | SafeHousingWay::LivingWithRelatives
                | SafeHousingWay::Rental
                | SafeHousingWay::PublicRental
        )
    );
    let has_housing_measure = plan.is_some_and(|plan| {
        plan.measures.iter().any(|measure| {
            matches!(
                measure.category,
                MeasureCategory::Housing | MeasureCategory::Relocation
            ) && measure.status != MeasureStatus::Cancelled
        })
    });
    if housing.danger_grade.is_dangerous() && !secured_elsewhere && !has_housing_measure {
        findings.push(finding(
            HH_DANGEROUS_HOUSE_NO_MEASURE,
            root.field("housing").field("danger_grade"),
            format!("住房为{}，须有危房改造、搬迁或其他安全住房措施", zh(housing.danger_grade)),
            format!("the house is {}: a renovation, relocation or other safe-housing measure is required", en(housing.danger_grade)),
        ));
    }
    let size = household.counted_members().count() as u64;
    if size > 0 {
        let land = &household.land;
        let cultivated = u64::from(land.cultivated.hundredths());
        if cultivated > u64::from(context.config.max_cultivated_per_capita_centi_mu) * size {
            findings.push(finding(
                HH_LAND_CULTIVATED_PER_CAPITA,
                root.field("land").field("cultivated"),
                format!(
                    "人均耕地超过{}亩，请核实",
                    context.config.max_cultivated_per_capita_centi_mu / 100
                ),
                format!(
                    "cultivated land per person exceeds {} mu: please check",
                    context.config.max_cultivated_per_capita_centi_mu / 100
                ),
            ));
        }
        if u64::from(land.forest.hundredths())
            > u64::from(context.config.max_forest_per_capita_centi_mu) * size
        {
            findings.push(finding(
                HH_LAND_FOREST_PER_CAPITA,
                root.field("land").field("forest"),
                format!(
                    "人均林地超过{}亩，请核实",
                    context.config.max_forest_per_capita_centi_mu / 100
                ),
                format!(
                    "forest land per person exceeds {} mu: please check",
                    context.config.max_forest_per_capita_centi_mu / 100
                ),
            ));
        }
        if u64::from(land.returned_to_forest.hundredths())
            > u64::from(land.forest.hundredths()) + u64::from(land.pasture.hundredths())
        {
            findings.push(finding(
                HH_LAND_RETURNED_EXCEEDS,
                root.field("land").field("returned_to_forest"),
                "退耕还林面积大于林地与牧草地面积之和".into(),
                "returned-to-forest area exceeds forest plus pasture".into(),
            ));
        }
    }
}
