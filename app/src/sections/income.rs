//! 收入核算: the income lines grouped as the formula groups them, live totals from the domain's `compute_income`
//! and its explanation (which lines counted, which were excluded and why, which threshold from which source).
//! Each line can name its member (wages, pensions), be flagged one-off, and override whether it counts toward net
//! income with a written reason. Rows are keyed by the draft's client-side row keys, not by position.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use zoufang_domain::income::{
    DefaultTreatment, IncomeCategory, IncomeLine, IncomeLineKind, TreatmentOverride,
};
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::money::Fen;
use zoufang_domain::validation::{Severity, ValidationReport};

use super::IncomeResult;
use super::income_report::{IncomeComparisons, IncomeExplanation, IncomeTotals};
use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::remove_indexed_raw;
use crate::ui::form::*;

/// How the sheet groups lines: the four income categories, costs, items not counted, rigid expenditure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineGroup {
    Wage,
    Business,
    Cost,
    Property,
    Transfer,
    Excluded,
    Rigid,
}

const GROUPS: [LineGroup; 7] = [
    LineGroup::Wage,
    LineGroup::Business,
    LineGroup::Cost,
    LineGroup::Property,
    LineGroup::Transfer,
    LineGroup::Excluded,
    LineGroup::Rigid,
];

/// The group of a kind, from the domain's default treatment.
pub fn line_group(kind: IncomeLineKind) -> LineGroup {
    match kind.default_treatment() {
        DefaultTreatment::Income(IncomeCategory::Wage) => LineGroup::Wage,
        DefaultTreatment::Income(IncomeCategory::Business) => LineGroup::Business,
        DefaultTreatment::Income(IncomeCategory::Property) => LineGroup::Property,
        DefaultTreatment::Income(IncomeCategory::Transfer) => LineGroup::Transfer,
        DefaultTreatment::BusinessCost => LineGroup::Cost,
        DefaultTreatment::Excluded(_) => LineGroup::Excluded,
        DefaultTreatment::RigidExpenditure => LineGroup::Rigid,
    }
}

fn group_title(i18n: I18nContext<Locale>, group: LineGroup) -> String {
    match group {
        LineGroup::Wage => t_string!(i18n, forms.income.group_wage),
        LineGroup::Business => t_string!(i18n, forms.income.group_business),
        LineGroup::Cost => t_string!(i18n, forms.income.group_cost),
        LineGroup::Property => t_string!(i18n, forms.income.group_property),
        LineGroup::Transfer => t_string!(i18n, forms.income.group_transfer),
        LineGroup::Excluded => t_string!(i18n, forms.income.group_excluded),
        LineGroup::Rigid => t_string!(i18n, forms.income.group_rigid),
    }
    .to_string()
}

/// The path of a line's field.
fn line_path(index: usize, field: &str) -> String {
    format!("income.lines[{index}].{field}")
}

/// Adds an empty line of this kind and returns its row key; its amount starts empty (kept as typed) so it must be
/// filled in.
pub fn add_line(draft: &mut HouseholdDraft, kind: IncomeLineKind) -> u32 {
    let index = draft.income.lines.len();
    let key = draft.income_line_keys.push(index);
    draft.income.lines.push(IncomeLine::new(kind, Fen::ZERO));
    draft.keep_raw(
        &line_path(index, "amount"),
        String::new(),
        <Option<Fen> as FieldValue>::KIND,
    );
    key
}

/// Removes a line with its row key, and moves the kept text of later lines with them.
pub fn remove_line(draft: &mut HouseholdDraft, index: usize) {
    let count = draft.income.lines.len();
    if index < count {
        draft.income_line_keys.remove(count, index);
        draft.income.lines.remove(index);
        remove_indexed_raw(draft, "income.lines", index);
    }
}

/// Where the line with row key `key` is now.
pub fn line_index(draft: &HouseholdDraft, key: u32) -> Option<usize> {
    draft
        .income_line_keys
        .index_of(key, draft.income.lines.len())
}

/// Binds one field of the line with this row key (wherever removals have moved it).
fn line_field<T: Default + 'static>(
    key: u32,
    get: impl Fn(&IncomeLine) -> T + Send + Sync + 'static,
    set: impl Fn(&mut IncomeLine, T) + Send + Sync + 'static,
) -> Binding<T> {
    const LINES: ItemList<IncomeLine, u32> = ItemList {
        find: |d, key| line_index(d, key).and_then(|index| d.income.lines.get(index)),
        find_mut: |d, key| line_index(d, key).and_then(|index| d.income.lines.get_mut(index)),
    };
    LINES.field(key, get, set)
}

/// Lines that usually belong to one member (wages, pensions and personal allowances): they offer a member choice.
pub fn names_a_member(kind: IncomeLineKind) -> bool {
    line_group(kind) == LineGroup::Wage
        || matches!(
            kind,
            IncomeLineKind::Pension
                | IncomeLineKind::ElderlyAllowance
                | IncomeLineKind::EntitledGroupsPension
                | IncomeLineKind::DisabilityAllowance
                | IncomeLineKind::DisabledElderlyCareSubsidy
        )
}

/// Whether a line of this kind counts toward net income (or, for a cost, is deducted) unless overridden. Rigid
/// expenditure is never counted or deducted, so it has no override (`None`).
pub fn counts_by_default(kind: IncomeLineKind) -> Option<bool> {
    match kind.default_treatment() {
        DefaultTreatment::Income(_) | DefaultTreatment::BusinessCost => Some(true),
        DefaultTreatment::Excluded(_) => Some(false),
        DefaultTreatment::RigidExpenditure => None,
    }
}

/// 收入核算. `income` is the page's one income memo (see `use_income_report`).
#[component]
pub fn IncomeSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
    income: Memo<IncomeResult>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    let sheet_messages = sheet_findings(form);
    view! {
        <section class="form-section" id="income" aria-labelledby="income-title">
            <h2 id="income-title">{t!(i18n, forms.income.title)}</h2>
            <FieldMessages messages=sheet_messages path=fixed_path("income.findings") />
            <div id="income.lines">
                {GROUPS.iter().map(|group| view! { <IncomeGroup form=form group=*group /> }).collect_view()}
            </div>
            <AddIncomeLine form=form />
            <IncomeTotals form=form income=income />
            <IncomeComparisons form=form income=income />
            <IncomeExplanation form=form income=income />
        </section>
    }
}

/// Findings about the sheet as a whole (`income`, `income.wage`, `income.dibao` …), not about one line's field.
fn sheet_findings(form: Form) -> Memo<Vec<(Severity, String)>> {
    let report = form.report;
    let locale = form.locale;
    Memo::new(move |_| {
        let locale = locale.get();
        report.with(|report| {
            report
                .findings
                .iter()
                .filter(|finding| {
                    let path = finding.path.as_str();
                    (path == "income" || path.starts_with("income."))
                        && !path.starts_with("income.lines[")
                })
                .map(|finding| (finding.severity, finding.message(locale).to_string()))
                .collect()
        })
    })
}

#[component]
fn IncomeGroup(form: Form, group: LineGroup) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let lines = Memo::new(move |_| {
        draft.with(|d| {
            let keys = d.income_line_keys.keys(d.income.lines.len());
            d.income
                .lines
                .iter()
                .zip(keys)
                .filter(|(line, _)| line_group(line.kind) == group)
                .map(|(line, key)| (key, line.kind))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || lines.with(|lines| !lines.is_empty())>
            <div class="card form income-group">
                <h3>{move || group_title(i18n, group)}</h3>
                <ul class="item-list">
                    <For each=move || lines.get() key=|(key, _)| *key children=move |(key, kind)| view! {
                        <IncomeLineRow form=form key=key kind=kind />
                    } />
                </ul>
            </div>
        </Show>
    }
}

/// One line, keyed by its row key: its field paths follow its current position, so findings and kept text (which
/// are by position) stay with it when an earlier line is removed.
#[component]
fn IncomeLineRow(form: Form, key: u32, kind: IncomeLineKind) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let draft = form.draft;
    let index = Memo::new(move |_| draft.with(|d| line_index(d, key)));
    let base = Signal::derive(move || format!("income.lines[{}]", index.get().unwrap_or(0)));
    let amount = line_field(
        key,
        |line| Some(line.amount),
        |line, value| {
            if let Some(value) = value {
                line.amount = value;
            }
        },
    );
    let treatment = move || treatment_text(i18n, locale.get(), kind);
    let remove = move |()| {
        draft.update(|d| {
            if let Some(index) = line_index(d, key) {
                remove_line(d, index);
            }
        })
    };
    let item = ListItem::always_open(form, base, key);
    view! {
        <EditorItem item=item title=move || kind.label(locale.get()).to_string() meta=treatment on_remove=remove>
            <MoneyField form=form path=under(base, "amount") label=move || t_string!(i18n, forms.income.amount).to_string() binding=amount.clone() />
            {names_a_member(kind).then(|| view! { <LineMemberField form=form key=key path=under(base, "member_id") /> })}
            <TextField form=form path=under(base, "note") label=move || t_string!(i18n, forms.income.note).to_string()
                binding=line_field(key, |line| line.note.clone(), |line, value| line.note = value) />
            <CheckboxField form=form path=under(base, "one_off") label=move || t_string!(i18n, forms.income.one_off).to_string()
                binding=line_field(key, |line| line.one_off, |line, value| line.one_off = value) />
            {counts_by_default(kind).map(|default| view! { <LineOverrideFields form=form key=key kind=kind counts_by_default=default base=base /> })}
        </EditorItem>
    }
}

/// The member a wage or pension line belongs to, chosen among the household's members (optional).
#[component]
fn LineMemberField(form: Form, key: u32, path: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let draft = form.draft;
    let members = Memo::new(move |_| {
        let locale = locale.get();
        draft.with(|d| {
            d.household
                .members
                .iter()
                .map(|m| {
                    let name = if m.name.trim().is_empty() {
                        t_string!(i18n, forms.member.unnamed).to_string()
                    } else {
                        m.name.clone()
                    };
                    (m.id, format!("{name}（{}）", m.relation.label(locale)))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ItemChoiceField form=form path=path label=move || t_string!(i18n, forms.income.member).to_string()
            none=move || t_string!(i18n, forms.income.member_none).to_string() options=members
            binding=line_field(key, |line| line.member_id, |line, value| line.member_id = value) />
    }
}

/// "Counts toward net income": the kind's default, or the opposite with a written reason (`TreatmentOverride`).
/// `IN-OVERRIDE-NO-REASON` is reported at the reason field.
#[component]
fn LineOverrideFields(
    form: Form,
    key: u32,
    kind: IncomeLineKind,
    counts_by_default: bool,
    base: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let overridden = line_field(
        key,
        |line| line.treatment_override.is_some(),
        move |line, chosen: bool| {
            line.treatment_override = chosen.then(|| TreatmentOverride {
                counts_toward_net_income: !counts_by_default,
                reason: line
                    .treatment_override
                    .take()
                    .map(|kept| kept.reason)
                    .unwrap_or_default(),
            });
        },
    );
    let is_overridden = form.value(&overridden);
    let path = under(base, "treatment_override");
    // The hint above the line already says why; the choice only says which way it goes.
    let is_cost = matches!(kind.default_treatment(), DefaultTreatment::BusinessCost);
    let default_text = move || {
        match (is_cost, counts_by_default) {
            (true, _) => t_string!(i18n, forms.income.override_default_deducted),
            (false, true) => t_string!(i18n, forms.income.override_default_counted),
            (false, false) => t_string!(i18n, forms.income.override_default_not_counted),
        }
        .to_string()
    };
    let opposite_text = move || {
        match (is_cost, counts_by_default) {
            (true, _) => t_string!(i18n, forms.income.override_not_deducted),
            (false, true) => t_string!(i18n, forms.income.override_not_counted),
            (false, false) => t_string!(i18n, forms.income.override_counted),
        }
        .to_string()
    };
    view! {
        <FieldShell form=form path=path label=move || t_string!(i18n, forms.income.override_label).to_string()>
            <select id=move || path.get() on:change=move |event| form.write(&overridden, event_target_value(&event) == "override")>
                <option value="default" selected=move || !is_overridden.get()>{default_text}</option>
                <option value="override" selected=move || is_overridden.get()>{opposite_text}</option>
            </select>
        </FieldShell>
        <Show when=move || is_overridden.get()>
            <TextField form=form path=under(base, "treatment_override.reason") label=move || t_string!(i18n, forms.income.override_reason_label).to_string()
                binding=line_field(key, |line| line.treatment_override.as_ref().map(|chosen| chosen.reason.clone()).unwrap_or_default(), |line, reason| {
                    if let Some(chosen) = line.treatment_override.as_mut() {
                        chosen.reason = reason;
                    }
                }) />
        </Show>
    }
}

fn treatment_text(i18n: I18nContext<Locale>, locale: DomainLocale, kind: IncomeLineKind) -> String {
    match kind.default_treatment() {
        DefaultTreatment::Income(category) => t_string!(
            i18n,
            forms.income.decision_counted,
            category = category.label(locale)
        )
        .to_string(),
        DefaultTreatment::BusinessCost => {
            t_string!(i18n, forms.income.decision_deducted).to_string()
        }
        DefaultTreatment::Excluded(ground) => t_string!(
            i18n,
            forms.income.decision_excluded,
            ground = ground.label(locale)
        )
        .to_string(),
        DefaultTreatment::RigidExpenditure => {
            t_string!(i18n, forms.income.decision_recorded).to_string()
        }
    }
}

#[component]
fn AddIncomeLine(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let chosen = RwSignal::new(None::<IncomeLineKind>);
    let add = move |_| {
        if let Some(kind) = chosen.get_untracked() {
            form.draft.update(|d| {
                add_line(d, kind);
            });
            chosen.set(None);
        }
    };
    view! {
        <div class="card form add-line">
            <label class="field">
                <span class="field-label">{t!(i18n, forms.income.add_kind)}</span>
                <select id="income.add_kind" on:change=move |event| {
                    let index = event_target_value(&event).parse::<usize>().ok();
                    chosen.set(index.and_then(|index| IncomeLineKind::ALL.get(index).copied()));
                }>
                    <option value="" selected=move || chosen.get().is_none()>{move || t_string!(i18n, forms.choose).to_string()}</option>
                    {move || {
                        let locale = locale.get();
                        GROUPS.iter().map(|group| {
                            let kinds = IncomeLineKind::ALL.iter().enumerate().filter(|(_, kind)| line_group(**kind) == *group);
                            view! {
                                <optgroup label=group_title(i18n, *group)>
                                    {kinds.map(|(index, kind)| view! { <option value=index.to_string()>{kind.label(locale)}</option> }).collect_view()}
                                </optgroup>
                            }
                        }).collect_view()
                    }}
                </select>
            </label>
            <button type="button" class="button button-add" disabled=move || chosen.get().is_none() on:click=add>
                {t!(i18n, forms.income.add)}
            </button>
        </div>
    }
}

#[cfg(test)]
#[path = "income_tests.rs"]
mod tests;
