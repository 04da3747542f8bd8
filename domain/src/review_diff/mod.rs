//! What changed between the version a first secretary last approved and the one submitted for review, part by part
//! (基本情况, 家庭成员, 住房, 两不愁三保障, 收入, 一户一策 …), as short readable entries: an item added or removed,
//! or one field with its value before and after. Pure: the caller passes both versions and the language.
//!
//! Members and measures are matched by their ids, income by line kind (the sum of a kind's lines), sudden events by
//! kind and date, helpers by name. Sensitive values (ID numbers, the bank account) are never written out: their
//! entry only says the field changed.

use crate::income::{IncomeLineKind, IncomeSheet};
use crate::labels::{Labelled, Locale};
use crate::model::{Household, Plan};

mod record;
use crate::money::Fen;
use record::{basic, causes, checklist, events, helpers, housing, living, members};

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

pub(super) fn pick(locale: Locale, zh: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::ZhCn => zh,
        Locale::En => en,
    }
}

/// Collects field changes with their labels in one language.
pub(super) struct Fields {
    locale: Locale,
    item: Option<String>,
    pub(super) changes: Vec<Change>,
}

impl Fields {
    pub(super) fn new(locale: Locale, item: Option<String>) -> Fields {
        Fields {
            locale,
            item,
            changes: Vec::new(),
        }
    }

    /// A field whose values are shown.
    pub(super) fn value(
        &mut self,
        (zh, en): (&'static str, &'static str),
        before: String,
        after: String,
    ) {
        if before != after {
            self.changes.push(Change::Field {
                item: self.item.clone(),
                field: pick(self.locale, zh, en),
                values: Some((before, after)),
            });
        }
    }

    /// A field that is only said to have changed (sensitive, or not readable in one line).
    pub(super) fn hidden<T: PartialEq>(
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

    pub(super) fn yes_no(
        &mut self,
        label: (&'static str, &'static str),
        before: bool,
        after: bool,
    ) {
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

    pub(super) fn label<T: Labelled>(
        &mut self,
        label: (&'static str, &'static str),
        before: &T,
        after: &T,
    ) {
        let (before, after) = (
            before.label(self.locale).to_owned(),
            after.label(self.locale).to_owned(),
        );
        self.value(label, before, after);
    }

    pub(super) fn optional<T: Labelled>(
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

    pub(super) fn money(&mut self, label: (&'static str, &'static str), before: Fen, after: Fen) {
        let (before, after) = (money(before, self.locale), money(after, self.locale));
        self.value(label, before, after);
    }
}

/// What an empty value reads as.
pub(super) const NOTHING: &str = "—";

pub(super) fn optional_label<T: Labelled>(value: Option<&T>, locale: Locale) -> String {
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
