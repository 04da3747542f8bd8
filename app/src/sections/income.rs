//! 收入核算: the income lines grouped as the formula groups them, live totals from the domain's `compute_income`
//! and its explanation (which lines counted, which were excluded and why, which threshold from which source).
//! Each line can name its member (wages, pensions), be flagged one-off, and override whether it counts toward net
//! income with a written reason. Rows are keyed by the draft's client-side row keys, not by position.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use zoufang_domain::income::{
    AwardOutcome, ComparisonOutcome, DefaultTreatment, IncomeCategory, IncomeError, IncomeLine,
    IncomeLineKind, LineDecision, LineExplanation, TreatmentOverride,
};
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::money::Fen;
use zoufang_domain::validation::{Severity, ValidationReport};

use super::fields::*;
use super::members::under;
use super::{IncomeResult, remove_indexed_raw};
use crate::draft::HouseholdDraft;
use crate::i18n::*;

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
    draft.keep_raw(&line_path(index, "amount"), String::new());
    key
}

/// Removes a line with its row key, and moves the kept text of later lines with them.
pub fn remove_line(draft: &mut HouseholdDraft, index: usize) {
    let count = draft.income.lines.len();
    if index < count {
        draft.income_line_keys.remove(count, index);
        draft.income.lines.remove(index);
        remove_indexed_raw(&mut draft.raw_inputs, "income.lines", index);
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
    Binding::new(
        move |d: &HouseholdDraft| {
            line_index(d, key)
                .and_then(|index| d.income.lines.get(index))
                .map(&get)
                .unwrap_or_default()
        },
        move |d: &mut HouseholdDraft, value| {
            if let Some(line) = line_index(d, key).and_then(|index| d.income.lines.get_mut(index)) {
                set(line, value);
            }
        },
    )
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
                <For each=move || lines.get() key=|(key, _)| *key children=move |(key, kind)| view! {
                    <IncomeLineRow form=form key=key kind=kind />
                } />
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
    view! {
        <div class="line" id=move || base.get()>
            <MoneyField form=form path=under(base, "amount") label=move || kind.label(locale.get()).to_string() binding=amount />
            <p class="hint">{treatment}</p>
            {names_a_member(kind).then(|| view! { <LineMemberField form=form key=key path=under(base, "member_id") /> })}
            <TextField form=form path=under(base, "note") label=move || t_string!(i18n, forms.income.note).to_string()
                binding=line_field(key, |line| line.note.clone(), |line, value| line.note = value) />
            <CheckboxField form=form path=under(base, "one_off") label=move || t_string!(i18n, forms.income.one_off).to_string()
                binding=line_field(key, |line| line.one_off, |line, value| line.one_off = value) />
            {counts_by_default(kind).map(|default| view! { <LineOverrideFields form=form key=key kind=kind counts_by_default=default base=base /> })}
            <ConfirmRemove on_confirm=remove />
        </div>
    }
}

/// The member a wage or pension line belongs to, chosen among the household's members (optional).
#[component]
fn LineMemberField(form: Form, key: u32, path: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let draft = form.draft;
    let binding = line_field(
        key,
        |line| line.member_id,
        |line, value| line.member_id = value,
    );
    let value = form.value(&binding);
    let members = Memo::new(move |_| {
        draft.with(|d| {
            d.household
                .members
                .iter()
                .map(|m| (m.id, m.name.clone(), m.relation))
                .collect::<Vec<_>>()
        })
    });
    let on_change = move |text: String| {
        let chosen = text
            .parse::<usize>()
            .ok()
            .and_then(|index| members.with_untracked(|m| m.get(index).map(|(id, _, _)| *id)));
        form.write(&binding, chosen);
    };
    view! {
        <FieldShell form=form path=path label=move || t_string!(i18n, forms.income.member).to_string()>
            <select id=move || path.get() on:change=move |event| on_change(event_target_value(&event))>
                <option value="" selected=move || value.get().is_none()>{move || t_string!(i18n, forms.income.member_none).to_string()}</option>
                {move || {
                    let current = value.get();
                    let locale = locale.get();
                    members.get().into_iter().enumerate().map(|(index, (member, name, relation))| {
                        let name = if name.trim().is_empty() { t_string!(i18n, forms.member.unnamed).to_string() } else { name };
                        view! {
                            <option value=index.to_string() selected=current == Some(member)>
                                {format!("{name}（{}）", relation.label(locale))}
                            </option>
                        }
                    }).collect_view()
                }}
            </select>
        </FieldShell>
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

/// `share` ‰ as a percentage with one decimal.
pub fn per_mille_text(share: u32) -> String {
    format!("{}.{}%", share / 10, share % 10)
}

#[component]
fn IncomeTotals(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
    let i18n = use_i18n();
    let _ = form;
    let figure = move |id: &'static str, label: String, value: String| {
        view! { <dt>{label}</dt><dd id=id class="figure">{value}</dd> }
    };
    view! {
        <div class="card income-totals" aria-live="polite">
            <h3>{t!(i18n, forms.income.totals_title)}</h3>
            {move || match income.get() {
                Err(IncomeError::NoCountedMembers) => view! { <p class="field-error">{t!(i18n, forms.income.no_counted_members)}</p> }.into_any(),
                Err(_) => view! { <p class="field-error">{t!(i18n, forms.income.compute_failed)}</p> }.into_any(),
                Ok(report) => view! {
                    <dl class="facts">
                        {figure("income.household_size", t_string!(i18n, forms.income.household_size).to_string(), report.household_size.to_string())}
                        {figure("income.wage", t_string!(i18n, forms.income.group_wage).to_string(), report.wage.to_string())}
                        {figure("income.business_income", t_string!(i18n, forms.income.group_business).to_string(), report.business_income.to_string())}
                        {figure("income.property", t_string!(i18n, forms.income.group_property).to_string(), report.property.to_string())}
                        {figure("income.transfer", t_string!(i18n, forms.income.group_transfer).to_string(), report.transfer.to_string())}
                        {figure("income.gross", t_string!(i18n, forms.income.gross).to_string(), report.gross.to_string())}
                        {figure("income.business_costs", t_string!(i18n, forms.income.costs).to_string(), report.business_costs.to_string())}
                        {figure("income.net", t_string!(i18n, forms.income.net).to_string(), report.net.to_string())}
                        {figure("income.per_capita", t_string!(i18n, forms.income.per_capita).to_string(), report.per_capita.to_string())}
                        {figure("income.excluded_total", t_string!(i18n, forms.income.excluded_total).to_string(), report.excluded_total.to_string())}
                        {figure("income.rigid_expenditure", t_string!(i18n, forms.income.rigid_expenditure).to_string(), report.rigid_expenditure.to_string())}
                        {figure("income.transfer_share", t_string!(i18n, forms.income.transfer_share).to_string(),
                            report.transfer_share_per_mille.map(per_mille_text).unwrap_or_else(|| "—".to_string()))}
                    </dl>
                    <p class="hint">{report.rounding.clone()}</p>
                }.into_any(),
            }}
        </div>
    }
}

fn comparison_text(i18n: I18nContext<Locale>, name: String, outcome: &ComparisonOutcome) -> String {
    match outcome {
        ComparisonOutcome::Compared(comparison) => {
            let verdict = if comparison.above {
                t_string!(
                    i18n,
                    forms.income.above,
                    margin = comparison.margin.to_string()
                )
                .to_string()
            } else {
                let below = Fen::from_fen(comparison.margin.fen().saturating_neg());
                t_string!(i18n, forms.income.below, margin = below.to_string()).to_string()
            };
            t_string!(
                i18n,
                forms.income.compared,
                name = name,
                year = comparison.line.year,
                value = comparison.line.value.to_string(),
                verdict = verdict
            )
            .to_string()
        }
        ComparisonOutcome::NotConfigured { region, year } => t_string!(
            i18n,
            forms.income.not_configured,
            name = name,
            region = region.to_string(),
            year = *year
        )
        .to_string(),
    }
}

fn award_text(i18n: I18nContext<Locale>, award: &AwardOutcome) -> (String, Option<String>) {
    match award {
        AwardOutcome::Evaluated {
            business_net,
            tier: Some(tier),
            tiers,
        } => (
            t_string!(
                i18n,
                forms.income.award_tier,
                net = business_net.to_string(),
                above = tier.above.to_string(),
                award = tier.award.to_string()
            )
            .to_string(),
            Some(tiers.source.clone()),
        ),
        AwardOutcome::Evaluated {
            business_net,
            tier: None,
            tiers,
        } => (
            t_string!(
                i18n,
                forms.income.award_none,
                net = business_net.to_string()
            )
            .to_string(),
            Some(tiers.source.clone()),
        ),
        AwardOutcome::NotConfigured { region, year } => (
            t_string!(
                i18n,
                forms.income.award_not_configured,
                region = region.to_string(),
                year = *year
            )
            .to_string(),
            None,
        ),
    }
}

#[component]
fn IncomeComparisons(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
    let i18n = use_i18n();
    let _ = form;
    let source = move |source: Option<String>| {
        source.map(|source| view! { <p class="source">{t_string!(i18n, forms.income.source, source = source).to_string()}</p> })
    };
    view! {
        {move || income.get().ok().map(|report| {
            let standard = comparison_text(i18n, t_string!(i18n, forms.income.standard).to_string(), &report.standard);
            let monitoring = comparison_text(i18n, t_string!(i18n, forms.income.monitoring).to_string(), &report.monitoring);
            let standard_source = report.standard.comparison().map(|c| c.line.source.clone());
            let monitoring_source = report.monitoring.comparison().map(|c| c.line.source.clone());
            let below = report.standard.comparison().is_some_and(|c| !c.above);
            let (award, award_source) = award_text(i18n, &report.award);
            view! {
                <div class="card income-comparisons" aria-live="polite">
                    <h3>{t!(i18n, forms.income.comparisons_title)}</h3>
                    <p class:below=below>{standard}</p>
                    {source(standard_source)}
                    <p>{monitoring}</p>
                    {source(monitoring_source)}
                    <p>{award}</p>
                    {source(award_source)}
                    <p class="source">{t_string!(i18n, forms.income.policy_version, version = report.policy_version.clone()).to_string()}</p>
                </div>
            }
        })}
    }
}

fn decision_text(
    i18n: I18nContext<Locale>,
    locale: DomainLocale,
    line: &LineExplanation,
) -> String {
    let mut text = match line.decision {
        LineDecision::Counted(category) => t_string!(
            i18n,
            forms.income.decision_counted,
            category = category.label(locale)
        )
        .to_string(),
        LineDecision::Deducted => t_string!(i18n, forms.income.decision_deducted).to_string(),
        LineDecision::Excluded => match line.exclusion_ground {
            Some(ground) => t_string!(
                i18n,
                forms.income.decision_excluded,
                ground = ground.label(locale)
            )
            .to_string(),
            None => t_string!(i18n, forms.income.decision_excluded_override).to_string(),
        },
        LineDecision::RecordedOnly => t_string!(i18n, forms.income.decision_recorded).to_string(),
    };
    if let Some(reason) = &line.override_reason {
        text.push_str(
            &t_string!(i18n, forms.income.override_reason, reason = reason.clone()).to_string(),
        );
    }
    if line.one_off {
        text.push_str(t_string!(i18n, forms.income.one_off_marker));
    }
    text
}

#[component]
fn IncomeExplanation(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    view! {
        <details class="card income-explanation">
            <summary>{t!(i18n, forms.income.explanation_title)}</summary>
            <ol class="explanation">
                {move || {
                    let locale = locale.get();
                    income.get().ok().map(|report| {
                        report.lines.iter().map(|line| view! {
                            <li>
                                <a href=format!("#income.lines[{}].amount", line.index)>
                                    {line.kind.label(locale)}" "{line.amount.to_string()}
                                </a>
                                <span>" — "{decision_text(i18n, locale, line)}</span>
                                <span class="source">{line.source.clone()}</span>
                            </li>
                        }).collect_view()
                    })
                }}
            </ol>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_falls_in_the_group_of_its_default_treatment() {
        assert_eq!(line_group(IncomeLineKind::MigrantWork), LineGroup::Wage);
        assert_eq!(line_group(IncomeLineKind::PlantingCost), LineGroup::Cost);
        assert_eq!(
            line_group(IncomeLineKind::IndustryAward),
            LineGroup::Excluded
        );
        assert_eq!(line_group(IncomeLineKind::MedicalSelfPay), LineGroup::Rigid);
        for kind in IncomeLineKind::ALL {
            assert!(GROUPS.contains(&line_group(*kind)));
        }
    }

    fn empty_draft() -> HouseholdDraft {
        crate::draft::HouseholdDraft::start(
            zoufang_domain::sample::household(),
            1,
            crate::draft::NewDraftIds {
                income: zoufang_domain::model::IncomeSheetId(uuid::Uuid::from_u128(1)),
                plan: zoufang_domain::model::PlanId(uuid::Uuid::from_u128(2)),
                visit: zoufang_domain::model::VisitId(uuid::Uuid::from_u128(3)),
            },
            2020,
            zoufang_domain::model::UserId(uuid::Uuid::from_u128(4)),
            time::macros::datetime!(2020-12-01 09:00 +08:00),
        )
    }

    /// What the row with each key shows: its note, its kept amount text and the messages at its fields.
    fn rows(draft: &HouseholdDraft) -> Vec<(u32, String, Option<String>, Vec<String>)> {
        let Ok(policy) = zoufang_domain::policy::PolicyTables::builtin() else {
            panic!("the built-in policy tables load");
        };
        let income = super::super::income_of(draft, &policy);
        let report =
            super::super::household_report(draft, zoufang_domain::sample::TODAY, &policy, &income);
        let keys = draft.income_line_keys.keys(draft.income.lines.len());
        keys.into_iter()
            .map(|key| {
                let Some(index) = line_index(draft, key) else {
                    panic!("key {key} has a line");
                };
                let prefix = format!("income.lines[{index}].");
                let codes = report
                    .findings
                    .iter()
                    .filter(|finding| finding.path.as_str().starts_with(&prefix))
                    .map(|finding| {
                        format!(
                            "{} {}",
                            &finding.path.as_str()[prefix.len()..],
                            finding.code
                        )
                    })
                    .collect();
                (
                    key,
                    draft.income.lines[index].note.clone(),
                    draft.raw_inputs.get(&line_path(index, "amount")).cloned(),
                    codes,
                )
            })
            .collect()
    }

    #[test]
    fn removing_the_second_of_five_lines_leaves_every_other_line_its_text_and_errors() {
        let mut draft = empty_draft();
        let kinds = [
            IncomeLineKind::MigrantWork,
            IncomeLineKind::MigrantWork,
            IncomeLineKind::Planting,
            IncomeLineKind::IndustryAward,
            IncomeLineKind::MigrantWork,
        ];
        for (index, kind) in kinds.into_iter().enumerate() {
            add_line(&mut draft, kind);
            draft.income.lines[index].note = format!("第{}项", index + 1);
            draft.clear_raw(&line_path(index, "amount"));
        }
        draft.keep_raw(&line_path(2, "amount"), "8,5OO".into());
        draft.income.lines[3].treatment_override = Some(TreatmentOverride {
            counts_toward_net_income: true,
            reason: String::new(),
        });
        let before = rows(&draft);
        assert_eq!(before[2].3, vec!["amount FIELD-MONEY-INVALID"]);
        assert_eq!(
            before[3].3,
            vec!["treatment_override.reason IN-OVERRIDE-NO-REASON"]
        );

        remove_line(&mut draft, 1);

        let after = rows(&draft);
        let mut expected = before.clone();
        expected.remove(1);
        assert_eq!(after, expected);
        // The row keys are the ones the lines had: a row component keyed by them keeps its line.
        assert_eq!(
            draft.income_line_keys.keys(4),
            expected.iter().map(|row| row.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn lines_of_a_draft_saved_without_row_keys_get_keys_that_survive_a_removal() {
        let mut draft = empty_draft();
        for note in ["a", "b", "c"] {
            let mut line = IncomeLine::new(IncomeLineKind::MigrantWork, Fen::from_fen(100));
            line.note = note.into();
            draft.income.lines.push(line);
        }
        let keys = draft.income_line_keys.keys(3);
        remove_line(&mut draft, 0);
        assert_eq!(line_index(&draft, keys[0]), None);
        assert_eq!(line_index(&draft, keys[2]), Some(1));
        assert_eq!(draft.income.lines[1].note, "c");
    }

    #[test]
    fn overrides_offer_the_opposite_of_the_default_and_rigid_spending_has_none() {
        assert_eq!(counts_by_default(IncomeLineKind::MigrantWork), Some(true));
        assert_eq!(counts_by_default(IncomeLineKind::PlantingCost), Some(true));
        assert_eq!(
            counts_by_default(IncomeLineKind::IndustryAward),
            Some(false)
        );
        assert_eq!(counts_by_default(IncomeLineKind::MedicalSelfPay), None);
        assert!(names_a_member(IncomeLineKind::MigrantWork));
        assert!(names_a_member(IncomeLineKind::Pension));
        assert!(!names_a_member(IncomeLineKind::Planting));
    }

    #[test]
    fn a_new_line_starts_empty_and_removing_one_keeps_later_typed_text() {
        let household = zoufang_domain::sample::household();
        let mut draft = crate::draft::HouseholdDraft::start(
            household,
            1,
            crate::draft::NewDraftIds {
                income: zoufang_domain::model::IncomeSheetId(uuid::Uuid::from_u128(1)),
                plan: zoufang_domain::model::PlanId(uuid::Uuid::from_u128(2)),
                visit: zoufang_domain::model::VisitId(uuid::Uuid::from_u128(3)),
            },
            2020,
            zoufang_domain::model::UserId(uuid::Uuid::from_u128(4)),
            time::macros::datetime!(2020-12-01 09:00 +08:00),
        );
        add_line(&mut draft, IncomeLineKind::MigrantWork);
        add_line(&mut draft, IncomeLineKind::Dibao);
        assert_eq!(
            draft.shown_text("income.lines[1].amount", || "x".into()),
            ""
        );
        draft.keep_raw("income.lines[1].amount", "12a".into());
        remove_line(&mut draft, 0);
        assert_eq!(draft.income.lines.len(), 1);
        assert_eq!(draft.income.lines[0].kind, IncomeLineKind::Dibao);
        assert_eq!(
            draft
                .raw_inputs
                .get("income.lines[0].amount")
                .map(String::as_str),
            Some("12a")
        );
    }

    #[test]
    fn shares_are_shown_with_one_decimal() {
        assert_eq!(per_mille_text(505), "50.5%");
        assert_eq!(per_mille_text(0), "0.0%");
    }
}
