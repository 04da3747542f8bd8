//! The household record's parts of a review diff: 基本情况, 家庭成员, 住房, 饮水用电道路, 两不愁三保障, 致贫原因,
//! 突发事件, 帮扶责任人.

use super::{Change, Fields, NOTHING};
use crate::labels::{Labelled, Locale};
use crate::model::{Household, Member, SuddenEvent};

pub(super) fn basic(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
    let mut fields = Fields::new(locale, None);
    fields.label(
        ("贫困户属性", "Attribute"),
        &before.attribute,
        &after.attribute,
    );
    fields.label(
        ("脱贫状态", "Poverty status"),
        &before.poverty_status,
        &after.poverty_status,
    );
    let year = |year: Option<i32>| year.map_or_else(|| NOTHING.to_owned(), |year| year.to_string());
    fields.value(
        ("脱贫年度", "Exit year"),
        year(before.exit_year),
        year(after.exit_year),
    );
    fields.optional(
        ("监测对象类别", "Monitoring category"),
        before.monitoring_category.as_ref(),
        after.monitoring_category.as_ref(),
    );
    let land = |household: &Household| {
        let land = &household.land;
        format!(
            "{} / {} / {} / {} / {}",
            land.cultivated, land.forest, land.returned_to_forest, land.orchard, land.pasture
        )
    };
    fields.value(
        (
            "耕地/林地/退耕还林/林果/牧草地（亩）",
            "Land: crop/forest/returned/orchard/pasture (mu)",
        ),
        land(before),
        land(after),
    );
    fields.hidden(
        ("开户银行与银行卡号", "Bank account"),
        &before.bank_account,
        &after.bank_account,
    );
    fields.changes
}

fn member_name(member: &Member) -> String {
    member.name.clone()
}

pub(super) fn members(before: &[Member], after: &[Member], locale: Locale) -> Vec<Change> {
    let mut changes = Vec::new();
    for member in after {
        match before.iter().find(|old| old.id == member.id) {
            None => changes.push(Change::Added(member_name(member))),
            Some(old) => changes.extend(member_fields(old, member, locale)),
        }
    }
    for old in before {
        if !after.iter().any(|member| member.id == old.id) {
            changes.push(Change::Removed(member_name(old)));
        }
    }
    changes
}

fn member_fields(before: &Member, after: &Member, locale: Locale) -> Vec<Change> {
    let mut fields = Fields::new(locale, Some(member_name(after)));
    fields.value(("姓名", "Name"), before.name.clone(), after.name.clone());
    fields.hidden(
        ("证件号码", "ID number"),
        &before.id_number,
        &after.id_number,
    );
    fields.label(
        ("与户主关系", "Relation"),
        &before.relation,
        &after.relation,
    );
    fields.value(
        ("出生日期", "Date of birth"),
        before.birth_date.to_string(),
        after.birth_date.to_string(),
    );
    let health = |member: &Member| {
        let names: Vec<&str> = member
            .health
            .conditions()
            .map(|condition| condition.label(locale))
            .collect();
        if names.is_empty() {
            NOTHING.to_owned()
        } else {
            names.join("、")
        }
    };
    fields.value(("健康状况", "Health"), health(before), health(after));
    fields.optional(
        ("劳动技能", "Labour ability"),
        before.labour.as_ref(),
        after.labour.as_ref(),
    );
    let work = |member: &Member| match locale {
        Locale::ZhCn => format!(
            "{}，{} 个月",
            member.work.location.label(locale),
            member.work.months.get()
        ),
        Locale::En => format!(
            "{}, {} months",
            member.work.location.label(locale),
            member.work.months.get()
        ),
    };
    fields.value(("务工状况", "Work"), work(before), work(after));
    fields.hidden(
        ("文化程度/在校生状况", "Schooling"),
        &before.schooling,
        &after.schooling,
    );
    fields.hidden(
        ("参保情况", "Insurance"),
        &before.insurance,
        &after.insurance,
    );
    fields.yes_no(("享受低保", "Dibao"), before.dibao, after.dibao);
    fields.yes_no(("特困供养", "Tekun support"), before.tekun, after.tekun);
    fields.hidden(
        ("是否计入家庭人口", "Counted in the household"),
        &before.membership,
        &after.membership,
    );
    fields.changes
}

pub(super) fn housing(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
    let (old, new) = (&before.housing, &after.housing);
    let mut fields = Fields::new(locale, None);
    fields.value(
        ("住房面积（平方米）", "Floor area (m²)"),
        old.area_m2.to_string(),
        new.area_m2.to_string(),
    );
    fields.optional(
        ("住房结构", "Structure"),
        old.structure.as_ref(),
        new.structure.as_ref(),
    );
    fields.label(
        ("危房等级", "Danger grade"),
        &old.danger_grade,
        &new.danger_grade,
    );
    fields.optional(
        ("安全住房保障方式", "Safe housing by"),
        old.safe_housing_way.as_ref(),
        new.safe_housing_way.as_ref(),
    );
    fields.changes
}

pub(super) fn living(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
    let mut fields = Fields::new(locale, None);
    let (old, new) = (&before.water, &after.water);
    fields.yes_no(
        ("解决安全饮用水", "Safe drinking water"),
        old.safe_drinking_water,
        new.safe_drinking_water,
    );
    fields.yes_no(
        ("饮水困难", "Water is hard to get"),
        old.water_difficulty,
        new.water_difficulty,
    );
    fields.yes_no(
        ("自来水入户", "Piped water"),
        old.piped_into_home,
        new.piped_into_home,
    );
    let (old, new) = (&before.electricity, &after.electricity);
    fields.yes_no(
        ("通生产用电", "Power for work"),
        old.production,
        new.production,
    );
    fields.yes_no(
        ("通生活用电", "Household power"),
        old.domestic,
        new.domestic,
    );
    fields.yes_no(
        ("通广播电视", "Radio and TV"),
        old.broadcast_tv,
        new.broadcast_tv,
    );
    fields.optional(
        ("入户路类型", "Road to the house"),
        before.road.road_type.as_ref(),
        after.road.road_type.as_ref(),
    );
    fields.value(
        ("与村主干路距离（公里）", "To the main road (km)"),
        before.road.distance_to_main_road_km.to_string(),
        after.road.distance_to_main_road_km.to_string(),
    );
    fields.optional(
        ("燃料类型", "Fuel"),
        before.fuel.as_ref(),
        after.fuel.as_ref(),
    );
    fields.yes_no(
        ("卫生厕所", "Sanitary toilet"),
        before.sanitary_toilet,
        after.sanitary_toilet,
    );
    fields.changes
}

pub(super) fn checklist(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
    let mut changes = Vec::new();
    for ((item, old), (_, new)) in before
        .checklist
        .entries()
        .into_iter()
        .zip(after.checklist.entries())
    {
        if old.status != new.status {
            changes.push(Change::Field {
                item: None,
                field: item.label(locale),
                values: Some((
                    old.status.label(locale).to_owned(),
                    new.status.label(locale).to_owned(),
                )),
            });
        }
    }
    changes
}

pub(super) fn causes(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
    let mut fields = Fields::new(locale, None);
    fields.optional(
        ("主要致贫原因", "Main cause"),
        before.causes.main().as_ref(),
        after.causes.main().as_ref(),
    );
    let list = |household: &Household| {
        let names: Vec<&str> = household
            .causes
            .secondary()
            .iter()
            .map(|cause| cause.label(locale))
            .collect();
        if names.is_empty() {
            NOTHING.to_owned()
        } else {
            names.join("、")
        }
    };
    fields.value(("其他致贫原因", "Other causes"), list(before), list(after));
    fields.changes
}

pub(super) fn events(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
    let name = |event: &SuddenEvent| format!("{} {}", event.occurred_on, event.kind.label(locale));
    let same =
        |a: &SuddenEvent, b: &SuddenEvent| a.kind == b.kind && a.occurred_on == b.occurred_on;
    let mut changes = Vec::new();
    for event in &after.sudden_events {
        if !before.sudden_events.iter().any(|old| same(old, event)) {
            changes.push(Change::Added(name(event)));
        }
    }
    for old in &before.sudden_events {
        if !after.sudden_events.iter().any(|event| same(old, event)) {
            changes.push(Change::Removed(name(old)));
        }
    }
    changes
}

pub(super) fn helpers(before: &Household, after: &Household) -> Vec<Change> {
    let names = |household: &Household| -> Vec<String> {
        household
            .helpers
            .iter()
            .map(|helper| helper.name.clone())
            .collect()
    };
    let (old, new) = (names(before), names(after));
    let mut changes: Vec<Change> = new
        .iter()
        .filter(|name| !old.contains(name))
        .cloned()
        .map(Change::Added)
        .collect();
    changes.extend(
        old.iter()
            .filter(|name| !new.contains(name))
            .cloned()
            .map(Change::Removed),
    );
    changes
}
