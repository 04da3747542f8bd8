//! What changed between the version a first secretary last approved and the one submitted for review, part by part
//! (基本情况, 家庭成员, 住房, 两不愁三保障, 收入, 一户一策 …), as short readable entries: an item added or removed,
//! or one field with its value before and after. Pure: the caller passes both versions and the language.
//!
//! Members and measures are matched by their ids, income by line kind (the sum of a kind's lines), sudden events by
//! kind and date, helpers by name. Sensitive values (ID numbers, the bank account) are never written out: their
//! entry only says the field changed.

use crate::income::{IncomeLineKind, IncomeSheet};
use crate::labels::{Labelled, Locale};
use crate::model::{Household, Member, Plan};
use crate::money::Fen;

/// One version of the parts a review looks at.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot<'a> {
    pub household: &'a Household,
    pub plan: Option<&'a Plan>,
    pub income: Option<&'a IncomeSheet>,
    /// 人均纯收入 of `income` as the income report computes it (the caller has the policy tables), when known.
    pub net_per_capita: Option<Fen>,
}

/// The parts a submission is shown in, in the order the household page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Basic,
    Members,
    Housing,
    Living,
    Checklist,
    Causes,
    Events,
    Helpers,
    Income,
    Plan,
}

impl Labelled for Part {
    fn label(&self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Part::Basic => ("基本情况", "Basic facts"),
            Part::Members => ("家庭成员", "Members"),
            Part::Housing => ("住房", "Housing"),
            Part::Living => ("饮水、用电与道路", "Water, power and road"),
            Part::Checklist => ("两不愁三保障", "Basic needs"),
            Part::Causes => ("致贫原因", "Causes of poverty"),
            Part::Events => ("突发事件", "Sudden events"),
            Part::Helpers => ("帮扶责任人", "Helpers"),
            Part::Income => ("收入", "Income"),
            Part::Plan => ("一户一策", "Household plan"),
        };
        pick(locale, zh, en)
    }
}

/// One readable change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// An item that is new in the submitted version (a member's name, a measure, a need …).
    Added(String),
    /// An item the submitted version no longer has.
    Removed(String),
    /// A field of the part, or of one named item in it (`item`). `values` is `None` for a sensitive field or one too
    /// long to show: the entry then only says that it changed.
    Field {
        item: Option<String>,
        field: &'static str,
        values: Option<(String, String)>,
    },
}

/// The changes of one part (never empty when returned by [`diff`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDiff {
    pub part: Part,
    pub changes: Vec<Change>,
}

/// The changes from `approved` to `submitted`, parts with no change left out; an empty list means the two versions
/// are the same in everything a review looks at.
pub fn diff(approved: &Snapshot<'_>, submitted: &Snapshot<'_>, locale: Locale) -> Vec<PartDiff> {
    let (before, after) = (approved.household, submitted.household);
    let mut parts = Vec::new();
    let mut push = |part: Part, changes: Vec<Change>| {
        if !changes.is_empty() {
            parts.push(PartDiff { part, changes });
        }
    };
    push(Part::Basic, basic(before, after, locale));
    push(
        Part::Members,
        members(&before.members, &after.members, locale),
    );
    push(Part::Housing, housing(before, after, locale));
    push(Part::Living, living(before, after, locale));
    push(Part::Checklist, checklist(before, after, locale));
    push(Part::Causes, causes(before, after, locale));
    push(Part::Events, events(before, after, locale));
    push(Part::Helpers, helpers(before, after));
    push(Part::Income, income(approved, submitted, locale));
    push(Part::Plan, plan(approved.plan, submitted.plan, locale));
    parts
}

fn pick(locale: Locale, zh: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::ZhCn => zh,
        Locale::En => en,
    }
}

/// Collects field changes with their labels in one language.
struct Fields {
    locale: Locale,
    item: Option<String>,
    changes: Vec<Change>,
}

impl Fields {
    fn new(locale: Locale, item: Option<String>) -> Fields {
        Fields {
            locale,
            item,
            changes: Vec::new(),
        }
    }

    /// A field whose values are shown.
    fn value(&mut self, (zh, en): (&'static str, &'static str), before: String, after: String) {
        if before != after {
            self.changes.push(Change::Field {
                item: self.item.clone(),
                field: pick(self.locale, zh, en),
                values: Some((before, after)),
            });
        }
    }

    /// A field that is only said to have changed (sensitive, or not readable in one line).
    fn hidden<T: PartialEq>(
        &mut self,
        (zh, en): (&'static str, &'static str),
        before: T,
        after: T,
    ) {
        if before != after {
            self.changes.push(Change::Field {
                item: self.item.clone(),
                field: pick(self.locale, zh, en),
                values: None,
            });
        }
    }

    fn yes_no(&mut self, label: (&'static str, &'static str), before: bool, after: bool) {
        let text = |value: bool| {
            pick(
                self.locale,
                if value { "是" } else { "否" },
                if value { "yes" } else { "no" },
            )
            .to_owned()
        };
        let (before, after) = (text(before), text(after));
        self.value(label, before, after);
    }

    fn label<T: Labelled>(&mut self, label: (&'static str, &'static str), before: &T, after: &T) {
        let (before, after) = (
            before.label(self.locale).to_owned(),
            after.label(self.locale).to_owned(),
        );
        self.value(label, before, after);
    }

    fn optional<T: Labelled>(
        &mut self,
        label: (&'static str, &'static str),
        before: Option<&T>,
        after: Option<&T>,
    ) {
        let (before, after) = (
            optional_label(before, self.locale),
            optional_label(after, self.locale),
        );
        self.value(label, before, after);
    }

    fn money(&mut self, label: (&'static str, &'static str), before: Fen, after: Fen) {
        let (before, after) = (money(before, self.locale), money(after, self.locale));
        self.value(label, before, after);
    }
}

/// What an empty value reads as.
const NOTHING: &str = "—";

fn optional_label<T: Labelled>(value: Option<&T>, locale: Locale) -> String {
    value.map_or_else(
        || NOTHING.to_owned(),
        |value| value.label(locale).to_owned(),
    )
}

/// An amount as the household page writes it: `1234.50 元`, or `¥1234.50` in English.
pub fn money(amount: Fen, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => format!("{amount} 元"),
        Locale::En => format!("¥{amount}"),
    }
}

fn basic(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
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

fn members(before: &[Member], after: &[Member], locale: Locale) -> Vec<Change> {
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

fn housing(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
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

fn living(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
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

fn checklist(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
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

fn causes(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
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

fn events(before: &Household, after: &Household, locale: Locale) -> Vec<Change> {
    let name = |event: &crate::model::SuddenEvent| {
        format!("{} {}", event.occurred_on, event.kind.label(locale))
    };
    let same = |a: &crate::model::SuddenEvent, b: &crate::model::SuddenEvent| {
        a.kind == b.kind && a.occurred_on == b.occurred_on
    };
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

fn helpers(before: &Household, after: &Household) -> Vec<Change> {
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

fn income(approved: &Snapshot<'_>, submitted: &Snapshot<'_>, locale: Locale) -> Vec<Change> {
    let (before, after) = (approved.income, submitted.income);
    let mut fields = Fields::new(locale, None);
    let per_capita =
        |amount: Option<Fen>| amount.map_or_else(|| NOTHING.to_owned(), |fen| money(fen, locale));
    fields.value(
        ("人均纯收入", "Net income per person"),
        per_capita(approved.net_per_capita),
        per_capita(submitted.net_per_capita),
    );
    let year = |sheet: Option<&IncomeSheet>| {
        sheet.map_or_else(|| NOTHING.to_owned(), |sheet| sheet.year.to_string())
    };
    fields.value(("收入年度", "Income year"), year(before), year(after));
    let mut kinds: Vec<IncomeLineKind> = Vec::new();
    for sheet in [before, after].into_iter().flatten() {
        for line in &sheet.lines {
            if !kinds.contains(&line.kind) {
                kinds.push(line.kind);
            }
        }
    }
    let sum = |sheet: Option<&IncomeSheet>, kind: IncomeLineKind| -> Fen {
        sheet.map_or(Fen::ZERO, |sheet| {
            sheet
                .lines
                .iter()
                .filter(|line| line.kind == kind)
                .fold(Fen::ZERO, |total, line| {
                    total.checked_add(line.amount).unwrap_or(total)
                })
        })
    };
    for kind in kinds {
        let (old, new) = (sum(before, kind), sum(after, kind));
        if old != new {
            fields.changes.push(Change::Field {
                item: None,
                field: kind.label(locale),
                values: Some((money(old, locale), money(new, locale))),
            });
        }
    }
    fields.changes
}

fn plan(before: Option<&Plan>, after: Option<&Plan>, locale: Locale) -> Vec<Change> {
    let mut fields = Fields::new(locale, None);
    let year =
        |plan: Option<&Plan>| plan.map_or_else(|| NOTHING.to_owned(), |plan| plan.year.to_string());
    fields.value(("计划年度", "Plan year"), year(before), year(after));
    let target = |plan: Option<&Plan>| {
        plan.and_then(|plan| plan.target_per_capita_income)
            .map_or_else(|| NOTHING.to_owned(), |fen| money(fen, locale))
    };
    fields.value(
        ("年度目标人均纯收入", "Target income per person"),
        target(before),
        target(after),
    );
    let mut changes = fields.changes;
    let (old_needs, new_needs) = (
        before.map_or(&[][..], |plan| plan.needs.as_slice()),
        after.map_or(&[][..], |plan| plan.needs.as_slice()),
    );
    for need in new_needs {
        if !old_needs.contains(need) {
            changes.push(Change::Added(need.clone()));
        }
    }
    for need in old_needs {
        if !new_needs.contains(need) {
            changes.push(Change::Removed(need.clone()));
        }
    }
    let (old_measures, new_measures) = (
        before.map_or(&[][..], |plan| plan.measures.as_slice()),
        after.map_or(&[][..], |plan| plan.measures.as_slice()),
    );
    let title = |measure: &crate::model::Measure| {
        format!("{}：{}", measure.category.label(locale), measure.content)
    };
    for measure in new_measures {
        match old_measures.iter().find(|old| old.id == measure.id) {
            None => changes.push(Change::Added(title(measure))),
            Some(old) => {
                let mut fields = Fields::new(locale, Some(title(measure)));
                fields.value(
                    ("内容", "Content"),
                    old.content.clone(),
                    measure.content.clone(),
                );
                fields.label(("类别", "Category"), &old.category, &measure.category);
                fields.value(("规模", "Scale"), old.scale.clone(), measure.scale.clone());
                fields.money(("扶持资金", "Funds"), old.funds, measure.funds);
                fields.money(
                    ("预期增收", "Expected extra income"),
                    old.expected_extra_income,
                    measure.expected_extra_income,
                );
                let date = |measure: &crate::model::Measure| {
                    measure
                        .deadline
                        .map_or_else(|| NOTHING.to_owned(), |date| date.to_string())
                };
                fields.value(("完成时限", "Deadline"), date(old), date(measure));
                fields.label(("进度", "Status"), &old.status, &measure.status);
                changes.extend(fields.changes);
            }
        }
    }
    for old in old_measures {
        if !new_measures.iter().any(|measure| measure.id == old.id) {
            changes.push(Change::Removed(title(old)));
        }
    }
    changes
}
